#include "ops/routes.hpp"

#include <boost/beast/http/field.hpp>

#include "ops/status_page.hpp"

namespace cartable::ops {

namespace {

using http::RequestContext;
using http::Response;
using http::Status;

void metric(std::string& out, std::string_view name, std::string_view type, std::string_view help) {
  out.append("# HELP ").append(name).append(" ").append(help).append("\n");
  out.append("# TYPE ").append(name).append(" ").append(type).append("\n");
}

void sample(std::string& out, std::string_view name, std::string_view labels, double value) {
  out.append(name);
  if (!labels.empty()) {
    out.append("{").append(labels).append("}");
  }
  out.append(" ").append(std::to_string(value)).append("\n");
}

std::string render_metrics(const Dependencies& deps) {
  std::string out;
  out.reserve(4096);
  metric(out, "cartable_connections_accepted_total", "counter", "Connections accepted.");
  sample(out, "cartable_connections_accepted_total", "",
         static_cast<double>(deps.events.connections_accepted.load()));
  metric(out, "cartable_connections_open", "gauge", "Connections open now.");
  sample(out, "cartable_connections_open", "", static_cast<double>(deps.open_connections()));
  metric(out, "cartable_requests_total", "counter", "Requests read completely.");
  sample(out, "cartable_requests_total", "", static_cast<double>(deps.events.requests.load()));
  metric(out, "cartable_refused_total", "counter",
         "Requests or connections refused by the network layer, by reason.");
  for (std::size_t i = 0; i < static_cast<std::size_t>(net::Refusal::count_); ++i) {
    const auto refusal = static_cast<net::Refusal>(i);
    sample(out, "cartable_refused_total",
           "reason=\"" + std::string(net::refusal_name(refusal)) + "\"",
           static_cast<double>(deps.events.count(refusal)));
  }
  // Each family's samples together, as the text format wants.
  const WorkPool* pools[] = {&deps.hash_pool, &deps.database.reader_pool(),
                             &deps.database.writer_pool(), &deps.file_pool};
  const auto per_pool = [&](const char* name, const char* type, const char* help, auto value) {
    metric(out, name, type, help);
    for (const WorkPool* pool : pools) {
      sample(out, name, "pool=\"" + pool->name() + "\"", static_cast<double>(value(*pool)));
    }
  };
  per_pool("cartable_pool_queued", "gauge", "Jobs waiting in a work pool.",
           [](const WorkPool& pool) { return pool.queued(); });
  per_pool("cartable_pool_capacity", "gauge", "Queue bound of a work pool.",
           [](const WorkPool& pool) { return pool.capacity(); });
  per_pool("cartable_pool_rejected_total", "counter", "Jobs refused because a pool was full.",
           [](const WorkPool& pool) { return pool.rejected(); });
  per_pool("cartable_pool_expired_total", "counter",
           "Jobs not run because they waited past the pool's deadline.",
           [](const WorkPool& pool) { return pool.expired(); });
  out += deps.request_metrics();
  return out;
}

}  // namespace

void add_routes(http::Router& router, Dependencies dependencies) {
  auto deps = std::make_shared<Dependencies>(std::move(dependencies));
  router.add({http::Verb::get, "/healthz", "ops.healthz", 0,
              [](RequestContext&) -> boost::asio::awaitable<Response> {
                co_return http::text_response(Status::ok, "ok\n", "text/plain; charset=utf-8");
              },
              false});
  router.add({http::Verb::get, "/readyz", "ops.readyz", 0,
              [deps](RequestContext&) -> boost::asio::awaitable<Response> {
                if (deps->draining()) {
                  co_return http::retry_later(Status::service_unavailable, "draining",
                                              "The server is shutting down.", 5);
                }
                auto probe = [](Store& store) { store.setting("ready-probe"); };
                co_await deps->database.read(probe);
                co_return http::text_response(Status::ok, "ready\n", "text/plain; charset=utf-8");
              },
              false});
  router.add({http::Verb::get, "/status", "ops.status", 0,
              [](RequestContext&) -> boost::asio::awaitable<Response> {
                co_return http::text_response(Status::ok, std::string(kStatusPage),
                                              "text/html; charset=utf-8");
              },
              false});
  router.add({http::Verb::get, "/status.js", "ops.status_script", 0,
              [](RequestContext&) -> boost::asio::awaitable<Response> {
                Response response = http::text_response(Status::ok, std::string(kStatusScript),
                                                        "text/javascript; charset=utf-8");
                response.set(boost::beast::http::field::cache_control, "public, max-age=3600");
                co_return response;
              },
              false});
  router.add({http::Verb::get, "/metrics", "ops.metrics", 0,
              [deps](RequestContext&) -> boost::asio::awaitable<Response> {
                co_return http::text_response(Status::ok, render_metrics(*deps),
                                              "text/plain; version=0.0.4; charset=utf-8");
              },
              false});
}

}  // namespace cartable::ops
