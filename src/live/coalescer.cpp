#include "live/coalescer.hpp"

namespace cartable::live {

Coalescer::Coalescer(boost::asio::strand<boost::asio::any_io_executor> strand,
                     std::chrono::milliseconds interval, Out out)
    : timer_(std::move(strand)), interval_(interval), out_(std::move(out)) {}

void Coalescer::push(boost::json::object message, std::shared_ptr<void> owner) {
  pending_ = std::move(message);
  if (!waiting_) {
    flush(std::move(owner));
  }
}

void Coalescer::flush(std::shared_ptr<void> owner) {
  if (!pending_) {
    waiting_ = false;  // nothing came during the interval: the next one goes at once
    return;
  }
  out_(*pending_);
  pending_.reset();
  waiting_ = true;
  timer_.expires_after(interval_);
  timer_.async_wait([this, owner = std::move(owner)](boost::system::error_code ec) mutable {
    if (ec) {
      waiting_ = false;
      return;
    }
    flush(std::move(owner));
  });
}

}  // namespace cartable::live
