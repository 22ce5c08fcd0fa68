// The live lesson's polls and quick quizzes: the teacher asks a question with 2 to 10 choices,
// members answer (and may change their answer while the poll is open), the teacher sees the counts
// as they come and closes it; the results then go to everyone. Polls stay in the lesson's state
// (late joiners see them, results included). Pure state, used from the room's strand.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <cstdint>
#include <map>
#include <string>
#include <variant>
#include <vector>

namespace cartable::live {

struct PollLimits {
  std::size_t max_polls = 50;  // per lesson
  std::size_t max_question_chars = 300;
  std::size_t max_choice_chars = 100;
  std::size_t max_choices = 10;
};

class Polls {
 public:
  explicit Polls(PollLimits limits = {}) : limits_(limits) {}

  // `{"type":"poll","question":"...","choices":["...",...]}`: the poll as everyone receives it,
  // or why it is refused.
  std::variant<boost::json::object, std::string> open(const boost::json::object& message);
  // `{"type":"answer","poll":id,"choice":index}`: the poll's id, or why the answer is refused.
  std::variant<std::uint64_t, std::string> answer(const boost::json::object& message,
                                                  std::int64_t user_id);
  // `{"type":"close_poll","poll":id}`: the poll's id, or why it cannot be closed.
  std::variant<std::uint64_t, std::string> close(const boost::json::object& message);

  // {"type":"poll_results","poll","counts":[...],"answers","closed"}
  boost::json::object results(std::uint64_t poll_id) const;
  // Every poll, with its results for those who lead or once it is closed, and `you` (the caller's
  // own choice) for `user_id`.
  boost::json::array snapshot(bool leads, std::int64_t user_id) const;

 private:
  struct Poll {
    std::uint64_t id = 0;
    std::string question;
    std::vector<std::string> choices;
    std::map<std::int64_t, std::size_t> answers;  // user id -> choice
    bool closed = false;
  };
  boost::json::object to_json(const Poll& poll) const;
  Poll* find(const boost::json::object& message);

  PollLimits limits_;
  std::vector<Poll> polls_;
  std::uint64_t next_id_ = 1;
};

}  // namespace cartable::live
