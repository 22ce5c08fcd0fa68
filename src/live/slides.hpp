// The live lesson's slides: the teacher shows a PDF (a deck) and everyone sees the page the
// teacher is on, rendered by their own browser; the teacher's laser pointer moves over it. The
// server only relays which deck, which page and where the pointer is: it never reads the PDF.
// Pure state and message checks, used from the room's strand.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace cartable::live {

struct SlideLimits {
  int max_page = 10'000;  // the server does not open the PDF, so pages are checked against this
  int canvas = 10'000;    // laser coordinates run from 0 to this, both axes, in page coordinates
};

// A deck as members see it: the file they download through GET /api/files/{id}.
struct Deck {
  std::int64_t file_id = 0;
  std::string name;
};

// Why a deck was refused: an `error` frame's code and message.
struct DeckRefusal {
  std::string code;
  std::string message;
};

using DeckResult = std::variant<Deck, DeckRefusal>;

// Checks that `user_id` may show `file_id` in lesson `lesson_id` and records it (the class may then
// download it); calls `done` with the deck or why not, on any thread. Looked up in the Store, so
// asynchronous: live/decks.hpp makes the real one.
using DeckResolver =
    std::function<void(std::int64_t lesson_id, std::int64_t user_id, std::int64_t file_id,
                       std::function<void(DeckResult)> done)>;

// `{"type":"slides","file_id":N|null}`: the file to show (nullopt: hide the deck), or why the
// message is refused.
std::variant<std::optional<std::int64_t>, std::string> parse_slides(
    const boost::json::object& message);

// `{"type":"laser","x":X,"y":Y}` or `{"type":"laser","off":true}`: the `laser` message everyone
// receives, or why it is refused.
std::variant<boost::json::object, std::string> parse_laser(const boost::json::object& message,
                                                           const SlideLimits& limits);

class Slides {
 public:
  explicit Slides(SlideLimits limits = {}) : limits_(limits) {}

  const SlideLimits& limits() const { return limits_; }
  bool shown() const { return deck_.has_value(); }

  // Shows a deck from its first page.
  void show(Deck deck);
  void hide() {
    deck_.reset();
    page_ = 1;
  }
  // `{"type":"page","page":N}`: the `page` message everyone receives, or why it is refused.
  std::variant<boost::json::object, std::string> turn(const boost::json::object& message);

  // {"type":"slides","file":{"id","name"}|null,"page"}
  boost::json::object message() const;
  // {"file":{"id","name"},"page"} or null, for `welcome`.
  boost::json::value snapshot() const;

 private:
  SlideLimits limits_;
  std::optional<Deck> deck_;
  int page_ = 1;
};

}  // namespace cartable::live
