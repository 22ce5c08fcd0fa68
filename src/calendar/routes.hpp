// Calendar feeds: a signed-in user's timetable and homework due dates as an iCalendar URL that
// calendar programs subscribe to.
//   GET  /api/calendar          {"url": "/calendar/<token>.ics"}, creating the feed on first call
//   POST /api/calendar/reset    a new token; the old URL answers 404 from then on
//   GET  /calendar/{token}.ics  the feed itself: no session, the token is the credential
#pragma once

#include "calendar/feed_token.hpp"
#include "common/clock.hpp"
#include "guard/sessions.hpp"
#include "http/router.hpp"
#include "store/database.hpp"

namespace cartable::calendar {

// The feed covers today and the next 27 days (four weeks) in the school's time zone.
constexpr int kFeedDays = 28;
// Calendar programs poll; five minutes of caching spares the server without hiding changes long.
constexpr int kFeedMaxAgeSeconds = 300;

struct Dependencies {
  Database& database;
  guard::Sessions& sessions;
  const Clock& clock;
  const FeedKey& key;
};

void add_routes(http::Router& router, Dependencies dependencies);

}  // namespace cartable::calendar
