// For operators: /healthz (the process answers), /readyz (the store answers and the server is
// not draining), /metrics (Prometheus text format).
#pragma once

#include <functional>

#include "common/work_pool.hpp"
#include "http/router.hpp"
#include "net/events.hpp"
#include "store/database.hpp"

namespace cartable::ops {

struct Dependencies {
  Database& database;
  WorkPool& hash_pool;
  WorkPool& file_pool;
  const net::NetEvents& events;
  std::function<bool()> draining;
  std::function<std::size_t()> open_connections;
  std::function<std::string()> request_metrics;  // the HTTP service's, rendered
};

void add_routes(http::Router& router, Dependencies dependencies);

}  // namespace cartable::ops
