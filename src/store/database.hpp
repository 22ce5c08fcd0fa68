// How feature coroutines reach the Store: reads on the reader pool, writes on the single writer
// thread, never on an I/O thread. Both pools have bounded queues (PoolOverloaded when full).
#pragma once

#include <boost/asio/awaitable.hpp>
#include <memory>
#include <type_traits>

#include "common/work_pool.hpp"
#include "store/store.hpp"

namespace cartable {

class Database {
 public:
  Database(std::unique_ptr<Store> store, std::size_t reader_threads, std::size_t queue_capacity,
           QueueDiscipline discipline = {})
      : store_(std::move(store)),
        readers_("db-read", reader_threads, queue_capacity, discipline),
        writer_("db-write", 1, queue_capacity, discipline) {}

  // `job(Store&)` runs on the reader pool. `job` must be a named local of the awaiting coroutine
  // (see WorkPool::run for why).
  template <class Job>
  auto read(Job& job) {
    return readers_.run(job, *store_);
  }

  // `job` receives the Store and runs on the writer thread; it returns once the write is durable.
  template <class Job>
  auto write(Job& job) {
    return writer_.run(job, *store_);
  }

  // Direct access for start-up and command-line work (not from I/O threads).
  Store& store() { return *store_; }
  const WorkPool& reader_pool() const { return readers_; }
  const WorkPool& writer_pool() const { return writer_; }
  WorkPool& reader_pool() { return readers_; }
  WorkPool& writer_pool() { return writer_; }

 private:
  std::unique_ptr<Store> store_;
  WorkPool readers_;
  WorkPool writer_;
};

}  // namespace cartable
