// Keeps only the newest of a fast stream of messages (the laser pointer) and lets one through per
// frame interval: the first at once, then whatever is newest when the interval is over. Used on a
// room's strand, where its timer fires too; what goes out is serialised once by `out`.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/json/object.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>

namespace cartable::live {

class Coalescer {
 public:
  using Out = std::function<void(const boost::json::object&)>;

  Coalescer(boost::asio::strand<boost::asio::any_io_executor> strand,
            std::chrono::milliseconds interval, Out out);

  // A newer message replaces the one waiting. `owner` keeps whoever holds this coalescer (and
  // `out`'s target) alive until the interval's timer has fired.
  void push(boost::json::object message, std::shared_ptr<void> owner);
  // Forgets the message waiting, if any (the deck was hidden, the lesson ended).
  void drop() { pending_.reset(); }

 private:
  void flush(std::shared_ptr<void> owner);

  boost::asio::steady_timer timer_;
  std::chrono::milliseconds interval_;
  Out out_;
  std::optional<boost::json::object> pending_;
  bool waiting_ = false;  // an interval is running: what comes waits for its end
};

}  // namespace cartable::live
