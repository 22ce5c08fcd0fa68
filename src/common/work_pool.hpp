// A bounded thread pool that I/O-thread coroutines hand blocking or CPU-heavy work to (password
// hashing, database calls). Three rules keep latency bounded when more work arrives than the pool
// can do:
// - a bounded queue: when it is full, `run` throws PoolOverloaded at once (a 503 with Retry-After)
//   instead of letting the wait grow without limit;
// - adaptive LIFO: while the queue is standing (its oldest job has waited longer than
//   `lifo_after`), the newest job is served first. In a surge the newest requests are the ones
//   whose clients are still there; the oldest have often been abandoned (F5) already;
// - a sojourn deadline (as in CoDel, drop what waited too long): a job that waited longer than
//   `max_wait` is not run; its coroutine gets PoolOverloaded. Work nobody waits for any more is
//   not done.
// Each pool also measures how long jobs wait (the signal admission control watches).
#pragma once

#include <atomic>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <exception>
#include <limits>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

#include "common/queue_discipline.hpp"

namespace cartable {

class PoolOverloaded : public std::runtime_error {
 public:
  explicit PoolOverloaded(const std::string& pool) : std::runtime_error(pool + " pool is full") {}
};

class WorkPool {
 public:
  WorkPool(std::string name, std::size_t threads, std::size_t queue_capacity,
           QueueDiscipline discipline = {});
  WorkPool(const WorkPool&) = delete;
  WorkPool& operator=(const WorkPool&) = delete;
  ~WorkPool();

  // Runs `job(arguments...)` on the pool and resumes the awaiting coroutine on its own executor
  // with the result (a job returning void gives `true`). Throws PoolOverloaded without running the
  // job when `queue_capacity` jobs are already waiting, or (in the coroutine) when the job waited
  // past `max_wait`; the awaiting coroutine rethrows what the job throws.
  //
  // The job and arguments are taken by reference and must be named locals of the awaiting
  // coroutine (they live in its frame until it resumes). Why not by value: g++ 12 relocates
  // non-trivial temporaries of a co_await expression bitwise across the suspension, which breaks
  // a lambda capturing a std::string; named locals are safe.
  template <class Job, class... Arguments>
  auto run(Job& job, Arguments&... arguments) {
    using Raw = std::invoke_result_t<Job&, Arguments&...>;
    using Result = std::conditional_t<std::is_void_v<Raw>, bool, Raw>;
    auto initiate = [this, &job, &arguments...](auto handler) {
      using Handler = decltype(handler);
      // Runs the job (or not, when it waited too long) and resumes the coroutine on its own I/O
      // thread, never on the pool.
      struct Bound final : Task {
        Job& job;
        std::tuple<Arguments&...> arguments;
        Handler handler;
        const std::string& pool;
        Bound(Job& j, Arguments&... a, Handler h, const std::string& p)
            : job(j), arguments(a...), handler(std::move(h)), pool(p) {}
        void run(bool expired) override {
          std::exception_ptr failure;
          std::optional<Result> result;
          if (expired) {
            failure = std::make_exception_ptr(PoolOverloaded(pool));
          } else {
            try {
              if constexpr (std::is_void_v<Raw>) {
                std::apply(job, arguments);
                result.emplace(true);
              } else {
                result.emplace(std::apply(job, arguments));
              }
            } catch (...) {
              failure = std::current_exception();
            }
          }
          auto executor = boost::asio::get_associated_executor(handler);
          boost::asio::dispatch(executor, [handler = std::move(handler), failure,
                                           result = std::move(result)]() mutable {
            handler(failure, result ? std::move(*result) : Result{});
          });
        }
      };
      push(std::make_unique<Bound>(job, arguments..., std::move(handler), name_));
    };
    if (!admit()) {
      throw PoolOverloaded(name_);
    }
    return boost::asio::async_initiate<decltype(boost::asio::use_awaitable),
                                       void(std::exception_ptr, Result)>(
        std::move(initiate), boost::asio::use_awaitable);
  }

  const std::string& name() const { return name_; }
  std::size_t queued() const { return queued_.load(std::memory_order_relaxed); }
  std::size_t capacity() const { return queue_capacity_; }
  std::uint64_t rejected() const { return rejected_.load(std::memory_order_relaxed); }
  std::uint64_t expired() const { return expired_.load(std::memory_order_relaxed); }

  // The shortest wait of a job started since the last call (which starts a new window); zero when
  // none started. As in CoDel, a minimum above zero means a standing queue, not a passing burst.
  std::chrono::nanoseconds take_min_sojourn();
  // How long the oldest waiting job has waited (zero when none waits). Under LIFO the newest jobs
  // start at once and the minimum sojourn stays low while the oldest wait on: this shows them.
  std::chrono::nanoseconds oldest_wait(std::chrono::steady_clock::time_point now);
  // How long a job usually runs (a moving average), divided by the threads: how long the queue
  // takes to move by one job. A pool of slow jobs (a password hash) has a short queue behind any
  // burst that is no overload; admission control allows a few jobs' worth of it.
  std::chrono::nanoseconds job_interval() const;

 private:
  struct Task {
    virtual ~Task() = default;
    virtual void run(bool expired) = 0;
    std::chrono::steady_clock::time_point enqueued;
  };

  // Takes a place in the queue; false (counted as rejected) when it is full.
  bool admit();
  void push(std::unique_ptr<Task> task);
  void work();
  // The next task by the discipline, and whether it waited too long. Called with the lock held.
  std::unique_ptr<Task> pick(std::chrono::steady_clock::time_point now, bool& expired);
  void record_sojourn(std::chrono::steady_clock::duration waited);
  void record_service(std::chrono::steady_clock::duration ran);

  std::string name_;
  std::size_t queue_capacity_;
  QueueDiscipline discipline_;
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<std::unique_ptr<Task>> tasks_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;

  std::atomic<std::size_t> queued_{0};
  std::atomic<std::uint64_t> rejected_{0};
  std::atomic<std::uint64_t> expired_{0};
  static constexpr std::int64_t kNoSojourn = std::numeric_limits<std::int64_t>::max();
  std::atomic<std::int64_t> min_sojourn_ns_{kNoSojourn};
  std::atomic<std::int64_t> service_ns_{0};  // moving average of a job's run time
};

}  // namespace cartable
