// The live lessons of a rentrée morning: each class's teacher starts its lesson and stays on its
// socket; a share of the pupils join their class's lesson (through its lobby when it is open) and
// stay until the end of the morning, sending a chat line or raising a hand now and then.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/address.hpp>
#include <cstdint>
#include <memory>

#include "rentree_journey.hpp"

namespace cartable::load {

class WsClient;

struct LessonSeat {
  std::shared_ptr<WsClient> socket;  // welcomed into the lesson; null: no lesson to be in
  std::int64_t room_id = 0;          // a teacher's own lesson, ended when the morning is over
  bool failed = false;               // the journey failed here
};

// A pupil asks to join their class's lesson; a lesson not (yet) running is counted, not a failure.
boost::asio::awaitable<LessonSeat> join_lesson(Journey& journey, UserAgent& agent,
                                               const Profile& profile,
                                               boost::asio::ip::address source);
// A teacher starts the lesson of the first class they teach that has pupils in the run and that no
// other teacher of the run has taken.
boost::asio::awaitable<LessonSeat> start_lesson(Journey& journey, UserAgent& agent,
                                                const Account& teacher, const Profile& profile,
                                                boost::asio::ip::address source);
// Reads the lesson until the morning ends; a pupil also talks now and then. A socket the server
// closes before then is counted as a connection error.
boost::asio::awaitable<void> stay_in_lesson(Journey& journey, LessonSeat seat);
// The teacher ends their lesson (DELETE), as the bell rings.
boost::asio::awaitable<void> end_lesson(Journey& journey, UserAgent& agent, const Profile& profile,
                                        std::int64_t room_id);
// At the end of the morning every lesson socket closes.
boost::asio::awaitable<void> end_morning(Stats& stats);

}  // namespace cartable::load
