#include "live/decks.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>

#include "files/access.hpp"

namespace cartable::live {

namespace {

using boost::asio::awaitable;

constexpr std::string_view kPdf = "application/pdf";

// Whether `user_id` may show `file_id`: the deck, or why not. A file that does not exist and one
// the teacher may not read get the same answer, so ids reveal nothing.
DeckResult check_deck(Store& store, std::int64_t user_id, std::int64_t file_id) {
  const auto user = store.user(user_id);
  const auto file = store.file(file_id);
  guard::SessionClaims actor;
  if (user) {
    actor.user_id = user->id;
    actor.role = user->role;
    actor.school_id = user->school.id;
  }
  if (!user || !file || !files::may_read(store, actor, *file)) {
    return DeckRefusal{"forbidden", "You may not show this file (or it does not exist)."};
  }
  if (file->media_type != kPdf) {
    return DeckRefusal{"invalid", "Slides are a PDF file."};
  }
  return Deck{file->id, file->name};
}

// A free function, not a lambda: a spawned coroutine must not live in a frame that goes first.
awaitable<void> resolve_deck(Database& database, const Clock& clock, std::int64_t lesson_id,
                             std::int64_t user_id, std::int64_t file_id,
                             std::function<void(DeckResult)> done) {
  DeckResult result = DeckRefusal{"unavailable", "The slides cannot be shown now; try again."};
  try {
    auto check = [&](Store& store) { return check_deck(store, user_id, file_id); };
    const DeckResult checked = co_await database.read(check);
    if (std::holds_alternative<Deck>(checked)) {
      const std::int64_t now = clock.unix_seconds();
      auto record = [&](Store& store) { store.record_live_slides(lesson_id, file_id, now); };
      co_await database.write(record);
    }
    result = checked;
  } catch (const std::exception& error) {
    spdlog::warn("live lesson {}: deck {} not shown: {}", lesson_id, file_id, error.what());
  }
  done(std::move(result));
}

}  // namespace

DeckResolver make_deck_resolver(Database& database, const Clock& clock,
                                boost::asio::any_io_executor executor) {
  return [&database, &clock, executor](std::int64_t lesson_id, std::int64_t user_id,
                                       std::int64_t file_id, std::function<void(DeckResult)> done) {
    boost::asio::co_spawn(
        executor, resolve_deck(database, clock, lesson_id, user_id, file_id, std::move(done)),
        boost::asio::detached);
  };
}

}  // namespace cartable::live
