#include <gtest/gtest.h>

#include "live/board.hpp"

namespace cartable::live {
namespace {

boost::json::object stroke(std::size_t points) {
  boost::json::array line;
  for (std::size_t i = 0; i < points; ++i) {
    line.push_back(boost::json::array{static_cast<std::int64_t>(i), 5});
  }
  return {{"type", "stroke"},
          {"tool", "pen"},
          {"color", "#1d4e89"},
          {"width", 3},
          {"points", std::move(line)}};
}

TEST(LiveBoard, IsBoundedByItsPointsUntilCleared) {
  BoardLimits limits;
  limits.max_board_points = 10;
  Board board(limits);
  ASSERT_TRUE(std::holds_alternative<boost::json::object>(board.add(stroke(4), 1)));
  ASSERT_TRUE(std::holds_alternative<boost::json::object>(board.add(stroke(6), 1)));
  // Full: one more point is refused and changes nothing.
  const auto refused = board.add(stroke(1), 1);
  ASSERT_TRUE(std::holds_alternative<std::string>(refused));
  EXPECT_NE(std::get<std::string>(refused).find("clear it"), std::string::npos);
  EXPECT_EQ(board.snapshot().at("strokes").as_array().size(), 2u);
  board.clear();
  EXPECT_TRUE(std::holds_alternative<boost::json::object>(board.add(stroke(10), 1)));
}

TEST(LiveBoard, IsBoundedByItsStrokes) {
  BoardLimits limits;
  limits.max_strokes = 3;
  Board board(limits);
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(std::holds_alternative<boost::json::object>(board.add(stroke(1), 1))) << i;
  }
  EXPECT_TRUE(std::holds_alternative<std::string>(board.add(stroke(1), 1)));
}

TEST(LiveBoard, KeepsOnlyCheckedCoordinates) {
  Board board;
  auto bad = stroke(2);
  bad["points"].as_array()[1] = boost::json::array{10'001, 0};
  EXPECT_TRUE(std::holds_alternative<std::string>(board.add(bad, 1)));
  EXPECT_TRUE(board.snapshot().at("strokes").as_array().empty());
}

}  // namespace
}  // namespace cartable::live
