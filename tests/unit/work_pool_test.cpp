#include "common/work_pool.hpp"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <future>
#include <thread>
#include <vector>

namespace cartable {
namespace {

using namespace std::chrono_literals;

// Holds the pool's only thread until released, so that jobs queue behind it.
struct Gate {
  std::promise<void> open;
  std::shared_future<void> opened = open.get_future().share();
};

boost::asio::awaitable<void> submit(WorkPool& pool, std::function<void()>& job, bool& overloaded) {
  try {
    co_await pool.run(job);
  } catch (const PoolOverloaded&) {
    overloaded = true;
  }
}

TEST(WorkPool, ServesNewestFirstWhileTheQueueStands) {
  WorkPool pool("test", 1, 16, {1ms, 10s});
  boost::asio::io_context context;
  Gate gate;
  std::vector<int> order;
  std::mutex order_mutex;
  std::vector<std::function<void()>> jobs;
  jobs.emplace_back([&] { gate.opened.wait(); });
  for (int i = 1; i <= 3; ++i) {
    jobs.emplace_back([&, i] {
      const std::lock_guard lock(order_mutex);
      order.push_back(i);
    });
  }
  std::vector<char> overloaded(jobs.size(), 0);
  for (std::size_t i = 0; i < jobs.size(); ++i) {
    boost::asio::co_spawn(
        context,
        [&, i]() -> boost::asio::awaitable<void> {
          bool refused = false;
          co_await submit(pool, jobs[i], refused);
          overloaded[i] = refused;
        },
        boost::asio::detached);
    context.poll();  // each job queued in turn
  }
  std::this_thread::sleep_for(5ms);  // the queue has stood longer than lifo_after
  // Admission control sees the standing queue by its oldest job, whatever the order of service.
  EXPECT_GE(pool.oldest_wait(std::chrono::steady_clock::now()), 5ms);
  gate.open.set_value();
  context.run();
  EXPECT_EQ(order, (std::vector<int>{3, 2, 1}));
  EXPECT_EQ(pool.expired(), 0u);
  EXPECT_EQ(pool.oldest_wait(std::chrono::steady_clock::now()), 0ns);
}

TEST(WorkPool, DoesNotRunWhatWaitedPastItsDeadline) {
  WorkPool pool("test", 1, 16, {1s, 10ms});
  boost::asio::io_context context;
  Gate gate;
  bool ran = false;
  std::function<void()> blocker = [&] { gate.opened.wait(); };
  std::function<void()> late = [&] { ran = true; };
  bool blocker_refused = false;
  bool late_refused = false;
  boost::asio::co_spawn(context, submit(pool, blocker, blocker_refused), boost::asio::detached);
  context.poll();
  boost::asio::co_spawn(context, submit(pool, late, late_refused), boost::asio::detached);
  context.poll();
  std::this_thread::sleep_for(30ms);
  gate.open.set_value();
  context.run();
  EXPECT_FALSE(blocker_refused);
  EXPECT_TRUE(late_refused);
  EXPECT_FALSE(ran);
  EXPECT_EQ(pool.expired(), 1u);
  EXPECT_EQ(pool.queued(), 0u);
}

// The queue moves by one job every (run time / threads): what a burst of jobs costs to wait out.
TEST(WorkPool, KnowsHowLongItsJobsTakePerThread) {
  WorkPool one("one", 1, 16);
  WorkPool two("two", 2, 16);
  EXPECT_EQ(one.job_interval(), 0ns);  // nothing measured yet
  boost::asio::io_context context;
  std::function<void()> job = [] { std::this_thread::sleep_for(20ms); };
  bool overloaded = false;
  for (int i = 0; i < 4; ++i) {
    boost::asio::co_spawn(context, submit(one, job, overloaded), boost::asio::detached);
    boost::asio::co_spawn(context, submit(two, job, overloaded), boost::asio::detached);
  }
  context.run();
  EXPECT_FALSE(overloaded);
  EXPECT_GE(one.job_interval(), 20ms);
  EXPECT_LT(one.job_interval(), 200ms);
  EXPECT_GE(two.job_interval(), 10ms);
  EXPECT_LT(two.job_interval(), one.job_interval());
}

TEST(WorkPool, RefusesAtOnceWhenFull) {
  WorkPool pool("test", 1, 1, {});
  boost::asio::io_context context;
  Gate gate;
  std::function<void()> blocker = [&] { gate.opened.wait(); };
  std::function<void()> waiting = [] {};
  std::function<void()> refused_job = [] {};
  bool first = false, second = false, third = false;
  boost::asio::co_spawn(context, submit(pool, blocker, first), boost::asio::detached);
  context.poll();
  std::this_thread::sleep_for(5ms);  // the blocker has started: the queue is empty again
  boost::asio::co_spawn(context, submit(pool, waiting, second), boost::asio::detached);
  context.poll();
  boost::asio::co_spawn(context, submit(pool, refused_job, third), boost::asio::detached);
  context.poll();
  gate.open.set_value();
  context.run();
  EXPECT_FALSE(first);
  EXPECT_FALSE(second);
  EXPECT_TRUE(third);
  EXPECT_EQ(pool.rejected(), 1u);
}

}  // namespace
}  // namespace cartable
