// Messages: conversations between people a school lets talk to each other (guard::may_message),
// their messages with attachments, read marks and unread counts; and the school setting that lets
// pupils write to each other.
//
//   GET  /api/contacts?q=                  people the caller may write to
//   GET  /api/conversations                the caller's, newest activity first, unread counts
//   POST /api/conversations                start one (subject, participants, first message)
//   GET  /api/conversations/{id}           participants only (404 otherwise), paginated messages
//   POST /api/conversations/{id}/messages  write in it
//   POST /api/conversations/{id}/read      mark read up to a message
//   GET  /api/messages/unread              {"unread": N}, cheap enough to poll
//   GET, PUT /api/schools/{id}/settings    the school's staff and admins
#pragma once

#include "common/clock.hpp"
#include "guard/sessions.hpp"
#include "http/router.hpp"
#include "messages/send_limiter.hpp"
#include "store/database.hpp"

namespace cartable::messages {

constexpr std::size_t kMaxSubjectChars = 200;
constexpr std::size_t kMaxBodyChars = 10'000;
// A conversation has 2 to kMaxParticipants people, its creator included.
constexpr std::size_t kMaxParticipants = 20;
constexpr std::size_t kMaxAttachments = 10;
// A JSON body: a message at up to 4 bytes a character, escaped, plus the other fields.
constexpr std::size_t kMaxRequestBodyBytes = 64 * 1024;
constexpr std::size_t kSmallRequestBodyBytes = 1024;  // read marks, settings
// Contacts listed at most (search by name to find others).
constexpr std::size_t kMaxContacts = 50;
constexpr std::size_t kMaxContactQueryChars = 100;
// Conversations listed at most, newest activity first.
constexpr std::size_t kMaxConversationsListed = 100;
// Messages per page of a conversation: the default and the most a client may ask for.
constexpr std::size_t kDefaultMessagesPerPage = 50;
constexpr std::size_t kMaxMessagesPerPage = 100;

struct Dependencies {
  Database& database;
  guard::Sessions& sessions;
  const Clock& clock;
  SendLimiter& limiter;  // new conversations and messages, per user
};

void add_routes(http::Router& router, Dependencies dependencies);

}  // namespace cartable::messages
