#include "live/board.hpp"

namespace cartable::live {

namespace {

bool is_colour(std::string_view text) {
  return text.size() == 7 && text[0] == '#' &&
         std::all_of(text.begin() + 1, text.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
         });
}

}  // namespace

std::variant<boost::json::object, std::string> Board::add(const boost::json::object& message,
                                                          std::int64_t by) {
  const auto* tool = message.if_contains("tool");
  if (tool == nullptr || !tool->is_string() ||
      (tool->as_string() != "pen" && tool->as_string() != "eraser")) {
    return std::string("A stroke needs \"tool\": \"pen\" or \"eraser\".");
  }
  const bool pen = tool->as_string() == "pen";
  const auto* colour = message.if_contains("color");
  if (pen && (colour == nullptr || !colour->is_string() || !is_colour(colour->as_string()))) {
    return std::string("A pen stroke needs \"color\" as \"#rrggbb\".");
  }
  const auto* width = message.if_contains("width");
  if (width == nullptr || !width->is_int64() || width->as_int64() < 1 ||
      width->as_int64() > limits_.max_width) {
    return "A stroke needs \"width\" from 1 to " + std::to_string(limits_.max_width) + ".";
  }
  const auto* points = message.if_contains("points");
  if (points == nullptr || !points->is_array() || points->as_array().empty() ||
      points->as_array().size() > limits_.max_points) {
    return "A stroke needs \"points\": 1 to " + std::to_string(limits_.max_points) +
           " [x, y] pairs.";
  }
  boost::json::array clean;
  clean.reserve(points->as_array().size());
  for (const auto& point : points->as_array()) {
    const auto* pair = point.if_array();
    if (pair == nullptr || pair->size() != 2 || !(*pair)[0].is_int64() || !(*pair)[1].is_int64() ||
        (*pair)[0].as_int64() < 0 || (*pair)[0].as_int64() > limits_.canvas ||
        (*pair)[1].as_int64() < 0 || (*pair)[1].as_int64() > limits_.canvas) {
      return "Stroke points are [x, y] with whole numbers from 0 to " +
             std::to_string(limits_.canvas) + ".";
    }
    clean.push_back(boost::json::array{(*pair)[0].as_int64(), (*pair)[1].as_int64()});
  }
  if (strokes_.size() >= limits_.max_strokes || points_ + clean.size() > limits_.max_board_points) {
    return std::string("The board is full; clear it to go on drawing.");
  }
  boost::json::object stroke{
      {"type", "stroke"},          {"id", next_id_++},           {"by", by},
      {"tool", tool->as_string()}, {"width", width->as_int64()}, {"points", std::move(clean)}};
  if (pen) {
    stroke["color"] = colour->as_string();
  }
  points_ += stroke.at("points").as_array().size();
  strokes_.push_back(stroke);
  return stroke;
}

boost::json::array Board::drawers_json() const {
  boost::json::array drawers;
  for (const std::int64_t user : drawers_) {
    drawers.push_back(user);
  }
  return drawers;
}

boost::json::object Board::snapshot() const {
  boost::json::array strokes;
  for (const auto& stroke : strokes_) {
    strokes.push_back(stroke);
  }
  return {{"strokes", std::move(strokes)}, {"drawers", drawers_json()}};
}

}  // namespace cartable::live
