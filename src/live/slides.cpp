#include "live/slides.hpp"

#include <boost/json/parse.hpp>

namespace cartable::live {

namespace {

// A whole number from `low` to `high`, or nullopt.
std::optional<std::int64_t> whole_in(const boost::json::value* value, std::int64_t low,
                                     std::int64_t high) {
  if (value == nullptr || !value->is_int64() || value->as_int64() < low ||
      value->as_int64() > high) {
    return std::nullopt;
  }
  return value->as_int64();
}

}  // namespace

std::variant<std::optional<std::int64_t>, std::string> parse_slides(
    const boost::json::object& message) {
  const auto* file = message.if_contains("file_id");
  if (file != nullptr && file->is_null()) {
    return std::optional<std::int64_t>();
  }
  if (file == nullptr || !file->is_int64() || file->as_int64() <= 0) {
    return std::string("A slides message needs \"file_id\": a PDF's id, or null to hide the deck.");
  }
  return std::optional<std::int64_t>(file->as_int64());
}

std::variant<boost::json::object, std::string> parse_laser(const boost::json::object& message,
                                                           const SlideLimits& limits) {
  if (const auto* off = message.if_contains("off")) {
    if (!off->is_bool() || !off->as_bool() || message.contains("x") || message.contains("y")) {
      return std::string("A laser message is {\"x\",\"y\"} or {\"off\": true}.");
    }
    return boost::json::object{{"type", "laser"}, {"off", true}};
  }
  const auto x = whole_in(message.if_contains("x"), 0, limits.canvas);
  const auto y = whole_in(message.if_contains("y"), 0, limits.canvas);
  if (!x || !y) {
    return "A laser position needs whole \"x\" and \"y\" from 0 to " +
           std::to_string(limits.canvas) + ".";
  }
  return boost::json::object{{"type", "laser"}, {"x", *x}, {"y", *y}};
}

void Slides::show(Deck deck) {
  deck_ = std::move(deck);
  page_ = 1;
}

std::variant<boost::json::object, std::string> Slides::turn(const boost::json::object& message) {
  if (!deck_) {
    return std::string("No slides are shown: show a deck first.");
  }
  const auto page = whole_in(message.if_contains("page"), 1, limits_.max_page);
  if (!page) {
    return "A page message needs \"page\" from 1 to " + std::to_string(limits_.max_page) + ".";
  }
  page_ = static_cast<int>(*page);
  return boost::json::object{{"type", "page"}, {"page", page_}};
}

boost::json::object Slides::message() const {
  boost::json::object message{{"type", "slides"}, {"file", nullptr}, {"page", page_}};
  if (deck_) {
    message["file"] = {{"id", deck_->file_id}, {"name", deck_->name}};
  }
  return message;
}

boost::json::value Slides::snapshot() const {
  if (!deck_) {
    return nullptr;
  }
  boost::json::object state = message();
  state.erase("type");
  return state;
}

}  // namespace cartable::live
