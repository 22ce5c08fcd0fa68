// Writing iCalendar (RFC 5545) for calendar feeds: timed events in UTC (the school's local times
// are converted by the caller, so no VTIMEZONE is needed) and all-day events.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/civil_time.hpp"

namespace cartable::calendar {

// A line longer than this many octets is folded (RFC 5545 3.1), CRLF excluded.
constexpr std::size_t kMaxLineOctets = 75;

struct IcsEvent {
  std::string uid;  // stable across fetches: calendar programs update the event in place
  bool all_day = false;
  std::int64_t start = 0;  // unix seconds (timed events)
  std::int64_t end = 0;
  Date day;  // all-day events
  std::string summary;
  std::string location;     // may be empty
  std::string description;  // may be empty; newlines allowed
};

// TEXT value escaping: backslash, semicolon and comma get a backslash, a line break becomes \n
// (a CR LF pair counts as one break).
std::string escape_text(std::string_view text);

// One content line, folded: CRLF plus a space before each 75th octet, never inside a UTF-8
// sequence; ends with CRLF.
std::string fold_line(std::string_view line);

// A VCALENDAR with these events. `stamp` (unix seconds) is every event's DTSTAMP.
std::string write_calendar(std::string_view name, const std::vector<IcsEvent>& events,
                           std::int64_t stamp);

}  // namespace cartable::calendar
