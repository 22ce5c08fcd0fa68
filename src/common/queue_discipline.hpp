// How a work pool serves a standing queue (see common/work_pool.hpp).
#pragma once

#include <chrono>

namespace cartable {

struct QueueDiscipline {
  // Serve newest first while the oldest waiting job has waited longer than this.
  std::chrono::milliseconds lifo_after{50};
  // Do not run a job that waited longer than this; its caller gets PoolOverloaded.
  std::chrono::milliseconds max_wait{5'000};
};

}  // namespace cartable
