#include "common/work_pool.hpp"

namespace cartable {

WorkPool::WorkPool(std::string name, std::size_t threads, std::size_t queue_capacity,
                   QueueDiscipline discipline)
    : name_(std::move(name)), queue_capacity_(queue_capacity), discipline_(discipline) {
  for (std::size_t i = 0; i < std::max<std::size_t>(1, threads); ++i) {
    threads_.emplace_back([this] { work(); });
  }
}

WorkPool::~WorkPool() {
  {
    const std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  ready_.notify_all();
  for (std::thread& thread : threads_) {
    thread.join();
  }
}

bool WorkPool::admit() {
  if (queued_.fetch_add(1, std::memory_order_relaxed) >= queue_capacity_) {
    queued_.fetch_sub(1, std::memory_order_relaxed);
    rejected_.fetch_add(1, std::memory_order_relaxed);
    return false;
  }
  return true;
}

void WorkPool::push(std::unique_ptr<Task> task) {
  task->enqueued = std::chrono::steady_clock::now();
  {
    const std::lock_guard lock(mutex_);
    tasks_.push_back(std::move(task));
  }
  ready_.notify_one();
}

std::unique_ptr<WorkPool::Task> WorkPool::pick(std::chrono::steady_clock::time_point now,
                                               bool& expired) {
  // Expired jobs at the front are answered first (cheaply, without running them), so that a
  // standing queue does not keep abandoned work, or its callers, waiting.
  std::unique_ptr<Task> task;
  if (now - tasks_.front()->enqueued > discipline_.max_wait) {
    task = std::move(tasks_.front());
    tasks_.pop_front();
    expired = true;
    return task;
  }
  const bool standing = now - tasks_.front()->enqueued > discipline_.lifo_after;
  if (standing) {
    task = std::move(tasks_.back());
    tasks_.pop_back();
  } else {
    task = std::move(tasks_.front());
    tasks_.pop_front();
  }
  expired = false;
  return task;
}

void WorkPool::work() {
  while (true) {
    std::unique_ptr<Task> task;
    bool expired = false;
    {
      std::unique_lock lock(mutex_);
      ready_.wait(lock, [this] { return stopping_ || !tasks_.empty(); });
      if (tasks_.empty()) {
        return;  // stopping, and nothing left: every caller has been answered
      }
      task = pick(std::chrono::steady_clock::now(), expired);
    }
    queued_.fetch_sub(1, std::memory_order_relaxed);
    if (expired) {
      expired_.fetch_add(1, std::memory_order_relaxed);
    } else {
      record_sojourn(std::chrono::steady_clock::now() - task->enqueued);
    }
    const auto started = std::chrono::steady_clock::now();
    task->run(expired);
    if (!expired) {
      record_service(std::chrono::steady_clock::now() - started);
    }
  }
}

void WorkPool::record_service(std::chrono::steady_clock::duration ran) {
  // Threads race on the average: a lost update only shifts it a little, which is all it needs.
  const std::int64_t sample = std::chrono::duration_cast<std::chrono::nanoseconds>(ran).count();
  const std::int64_t average = service_ns_.load(std::memory_order_relaxed);
  service_ns_.store(average == 0 ? sample : average + (sample - average) / 16,
                    std::memory_order_relaxed);
}

std::chrono::nanoseconds WorkPool::job_interval() const {
  return std::chrono::nanoseconds(
      service_ns_.load(std::memory_order_relaxed) /
      static_cast<std::int64_t>(std::max<std::size_t>(1, threads_.size())));
}

void WorkPool::record_sojourn(std::chrono::steady_clock::duration waited) {
  const std::int64_t nanoseconds =
      std::chrono::duration_cast<std::chrono::nanoseconds>(waited).count();
  std::int64_t shortest = min_sojourn_ns_.load(std::memory_order_relaxed);
  while (nanoseconds < shortest &&
         !min_sojourn_ns_.compare_exchange_weak(shortest, nanoseconds, std::memory_order_relaxed)) {
  }
}

std::chrono::nanoseconds WorkPool::oldest_wait(std::chrono::steady_clock::time_point now) {
  const std::lock_guard lock(mutex_);
  if (tasks_.empty()) {
    return std::chrono::nanoseconds(0);
  }
  return std::max(std::chrono::nanoseconds(0), std::chrono::duration_cast<std::chrono::nanoseconds>(
                                                   now - tasks_.front()->enqueued));
}

std::chrono::nanoseconds WorkPool::take_min_sojourn() {
  const auto shortest = min_sojourn_ns_.exchange(kNoSojourn, std::memory_order_relaxed);
  return std::chrono::nanoseconds(shortest == kNoSojourn ? 0 : shortest);
}

}  // namespace cartable
