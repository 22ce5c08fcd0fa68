// The live lesson's whiteboard: vector strokes on a 10,000 × 10,000 canvas (clients scale it to
// their screen), drawn by the teacher and by the members they grant it to. The board keeps every
// stroke since the last clear, so a late joiner or a reconnection gets the current board whole.
// Pure state, used from the room's strand.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <cstdint>
#include <deque>
#include <set>
#include <string>
#include <variant>

namespace cartable::live {

struct BoardLimits {
  std::size_t max_points = 1'000;  // per stroke
  // Kept since the last clear. Drawers send a piece of their line every frame, so pieces are many
  // and small: the board is bounded by its points (about 80 bytes each in memory).
  std::size_t max_strokes = 20'000;
  std::size_t max_board_points = 100'000;
  int canvas = 10'000;  // coordinates run from 0 to this, both axes
  int max_width = 200;  // stroke width, in canvas units
};

class Board {
 public:
  explicit Board(BoardLimits limits = {}) : limits_(limits) {}

  // `{"type":"stroke","tool":"pen"|"eraser","color":"#rrggbb","width":N,"points":[[x,y],...]}`:
  // the stroke as everyone receives it (with its id and author), or why it is refused.
  std::variant<boost::json::object, std::string> add(const boost::json::object& message,
                                                     std::int64_t by);
  void clear() {
    strokes_.clear();
    points_ = 0;
  }

  bool may_draw(std::int64_t user_id, bool leads) const {
    return leads || drawers_.contains(user_id);
  }
  void grant(std::int64_t user_id) { drawers_.insert(user_id); }
  void revoke(std::int64_t user_id) { drawers_.erase(user_id); }

  // {"strokes": [...], "drawers": [user ids]}
  boost::json::object snapshot() const;
  boost::json::array drawers_json() const;

 private:
  BoardLimits limits_;
  std::deque<boost::json::object> strokes_;
  std::size_t points_ = 0;  // in strokes_
  std::uint64_t next_id_ = 1;
  std::set<std::int64_t> drawers_;
};

}  // namespace cartable::live
