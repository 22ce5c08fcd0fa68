// Waiting in a simulated user's coroutine: until a moment, or for a while.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>

namespace cartable::load {

inline boost::asio::awaitable<void> sleep_until(std::chrono::steady_clock::time_point at) {
  boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor);
  timer.expires_at(at);
  boost::system::error_code ignored;
  co_await timer.async_wait(boost::asio::redirect_error(boost::asio::use_awaitable, ignored));
}

inline boost::asio::awaitable<void> pause(std::chrono::milliseconds duration) {
  co_await sleep_until(std::chrono::steady_clock::now() + duration);
}

}  // namespace cartable::load
