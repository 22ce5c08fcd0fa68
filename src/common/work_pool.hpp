// A bounded thread pool that I/O-thread coroutines hand blocking or CPU-heavy work to (password
// hashing, database calls). The queue bound is the overload signal: when it is full, `run` throws
// PoolOverloaded at once instead of letting latency grow without limit; handlers turn it into a
// 503 with Retry-After. Each pool also measures how long jobs wait in its queue, the signal
// admission control watches.
#pragma once

#include <atomic>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>

namespace cartable {

class PoolOverloaded : public std::runtime_error {
 public:
  explicit PoolOverloaded(const std::string& pool) : std::runtime_error(pool + " pool is full") {}
};

class WorkPool {
 public:
  WorkPool(std::string name, std::size_t threads, std::size_t queue_capacity)
      : name_(std::move(name)), pool_(threads), queue_capacity_(queue_capacity) {}
  WorkPool(const WorkPool&) = delete;
  WorkPool& operator=(const WorkPool&) = delete;
  ~WorkPool() { pool_.join(); }

  // Runs `job(arguments...)` on the pool and resumes the awaiting coroutine on its own executor
  // with the result (a job returning void gives `true`). Throws PoolOverloaded without running the
  // job when `queue_capacity` jobs are already waiting; the awaiting coroutine rethrows what the
  // job throws.
  //
  // The job and arguments are taken by reference and must be named locals of the awaiting
  // coroutine (they live in its frame until it resumes). Why not by value: g++ 12 relocates
  // non-trivial temporaries of a co_await expression bitwise across the suspension, which breaks
  // a lambda capturing a std::string; named locals are safe.
  template <class Job, class... Arguments>
  auto run(Job& job, Arguments&... arguments) {
    using Raw = std::invoke_result_t<Job&, Arguments&...>;
    using Result = std::conditional_t<std::is_void_v<Raw>, bool, Raw>;
    if (queued_.fetch_add(1, std::memory_order_relaxed) >= queue_capacity_) {
      queued_.fetch_sub(1, std::memory_order_relaxed);
      rejected_.fetch_add(1, std::memory_order_relaxed);
      throw PoolOverloaded(name_);
    }
    auto initiate = [this, &job, &arguments...](auto handler) {
      const auto enqueued = std::chrono::steady_clock::now();
      boost::asio::post(
          pool_, [this, &job, &arguments..., enqueued, handler = std::move(handler)]() mutable {
            queued_.fetch_sub(1, std::memory_order_relaxed);
            record_sojourn(std::chrono::steady_clock::now() - enqueued);
            std::exception_ptr failure;
            std::optional<Result> result;
            try {
              if constexpr (std::is_void_v<Raw>) {
                job(arguments...);
                result.emplace(true);
              } else {
                result.emplace(job(arguments...));
              }
            } catch (...) {
              failure = std::current_exception();
            }
            // Resume the coroutine on its own I/O thread, never on the pool.
            auto executor = boost::asio::get_associated_executor(handler);
            boost::asio::dispatch(executor, [handler = std::move(handler), failure,
                                             result = std::move(result)]() mutable {
              handler(failure, result ? std::move(*result) : Result{});
            });
          });
    };
    return boost::asio::async_initiate<decltype(boost::asio::use_awaitable),
                                       void(std::exception_ptr, Result)>(
        std::move(initiate), boost::asio::use_awaitable);
  }

  const std::string& name() const { return name_; }
  std::size_t queued() const { return queued_.load(std::memory_order_relaxed); }
  std::size_t capacity() const { return queue_capacity_; }
  std::uint64_t rejected() const { return rejected_.load(std::memory_order_relaxed); }

  // The shortest wait of a job started since the last call (which starts a new window); zero when
  // none started. As in CoDel, a minimum above zero means a standing queue, not a passing burst.
  std::chrono::nanoseconds take_min_sojourn() {
    const auto shortest = min_sojourn_ns_.exchange(kNoSojourn, std::memory_order_relaxed);
    return std::chrono::nanoseconds(shortest == kNoSojourn ? 0 : shortest);
  }

 private:
  std::string name_;
  boost::asio::thread_pool pool_;
  std::size_t queue_capacity_;
  std::atomic<std::size_t> queued_{0};
  std::atomic<std::uint64_t> rejected_{0};
  static constexpr std::int64_t kNoSojourn = std::numeric_limits<std::int64_t>::max();
  std::atomic<std::int64_t> min_sojourn_ns_{kNoSojourn};

  void record_sojourn(std::chrono::steady_clock::duration waited) {
    const std::int64_t nanoseconds =
        std::chrono::duration_cast<std::chrono::nanoseconds>(waited).count();
    std::int64_t shortest = min_sojourn_ns_.load(std::memory_order_relaxed);
    while (nanoseconds < shortest && !min_sojourn_ns_.compare_exchange_weak(
                                         shortest, nanoseconds, std::memory_order_relaxed)) {
    }
  }
};

}  // namespace cartable
