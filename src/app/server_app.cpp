#include "app/server_app.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/ip/address.hpp>
#include <boost/beast/http/field.hpp>
#include <charconv>
#include <fstream>
#include <thread>

#include "account/routes.hpp"
#include "admission/gate.hpp"
#include "announcements/routes.hpp"
#include "calendar/routes.hpp"
#include "classes/routes.hpp"
#include "files/routes.hpp"
#include "grades/routes.hpp"
#include "guard/login_throttle.hpp"
#include "guard/sessions.hpp"
#include "handin/routes.hpp"
#include "homework/routes.hpp"
#include "http/service.hpp"
#include "live/service.hpp"
#include "messages/routes.hpp"
#include "net/server.hpp"
#include "net/tls.hpp"
#include "ops/routes.hpp"
#include "resources/routes.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "today/day_view.hpp"
#include "today/metrics.hpp"
#include "today/prewarm.hpp"
#include "web/static_files.hpp"

namespace cartable::app {

namespace {

namespace asio = boost::asio;
namespace fs = std::filesystem;
using tcp = asio::ip::tcp;

std::size_t or_cores(std::size_t wanted) {
  return wanted != 0 ? wanted : std::max(1u, std::thread::hardware_concurrency());
}

// "127.0.0.1:8080", "[::1]:8080", ":8080" (all addresses).
tcp::endpoint parse_endpoint(const std::string& text) {
  const std::size_t colon = text.rfind(':');
  if (colon == std::string::npos) {
    throw std::invalid_argument("--listen " + text + ": expected ADDRESS:PORT");
  }
  std::string host = text.substr(0, colon);
  const std::string port_text = text.substr(colon + 1);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  if (host.empty()) {
    host = "0.0.0.0";
  }
  boost::system::error_code ec;
  const auto address = asio::ip::make_address(host, ec);
  unsigned port = 0;
  const auto [end, parse_error] =
      std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (ec || parse_error != std::errc{} || end != port_text.data() + port_text.size() ||
      port > 65535) {
    throw std::invalid_argument("--listen " + text +
                                ": expected ADDRESS:PORT with a numeric address");
  }
  return {address, static_cast<unsigned short>(port)};
}

fs::path find_web_root(const ServeConfig& config) {
  if (!config.web_root.empty()) {
    return config.web_root;
  }
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  for (const fs::path& candidate :
       {exe.parent_path() / "web", exe.parent_path() / "../../web/dist", fs::path("web/dist")}) {
    if (fs::exists(candidate / "index.html", ec)) {
      return candidate;
    }
  }
  return {};
}

// Answers every request with a redirect to the same path over HTTPS.
class RedirectToHttps final : public net::HttpService {
 public:
  explicit RedirectToHttps(const http::Service& errors) : errors_(errors) {}

  // The HTTPS port to send browsers to; set once the listeners are bound (port 0 resolves then).
  void set_https_port(unsigned short port) { https_port_ = port; }

  BodyRule body_rule(const net::RequestHead&) const override { return {}; }

  asio::awaitable<http::Response> handle(http::Request& request, const net::Peer&,
                                         net::BodyStream*) override {
    std::string host(request[boost::beast::http::field::host]);
    if (host.empty() || host.find_first_of("/\\@ ") != std::string::npos || host.size() > 255) {
      co_return refusal(http::Status::bad_request, "bad_host", "A valid Host header is needed.");
    }
    if (const std::size_t colon = host.rfind(':');
        colon != std::string::npos && host.find(']', colon) == std::string::npos) {
      host.resize(colon);
    }
    if (https_port_ != 443) {
      host += ":" + std::to_string(https_port_);
    }
    http::Response response = http::empty_response(http::Status::permanent_redirect);
    std::string target(request.target());
    if (target.empty() || target.front() != '/') {
      target = "/";
    }
    response.set(boost::beast::http::field::location, "https://" + host + target);
    response.prepare_payload();
    co_return response;
  }

  http::Response refusal(http::Status status, std::string_view code,
                         std::string_view message) const override {
    return errors_.refusal(status, code, message);
  }

 private:
  const http::Service& errors_;
  unsigned short https_port_ = 443;
};

void write_port_file(const fs::path& file, unsigned short port) {
  const fs::path temporary = file.string() + ".tmp";
  {
    std::ofstream out(temporary, std::ios::trunc);
    out << port << "\n";
  }
  fs::rename(temporary, file);  // readers never see a half-written file
}

}  // namespace

std::unique_ptr<Clock> make_clock(const ServeConfig& config) {
  if (config.now.empty()) {
    return std::make_unique<SystemClock>();
  }
  const auto instant = parse_instant(config.now);
  if (!instant) {
    throw std::invalid_argument("--now " + config.now +
                                ": expected an instant like 2026-11-23T07:45:00Z");
  }
  return std::make_unique<ShiftedClock>(
      std::chrono::system_clock::time_point(std::chrono::seconds(*instant)));
}

std::unique_ptr<Database> open_database(const ServeConfig& config) {
  fs::create_directories(config.data);
  fs::permissions(config.data, fs::perms::owner_all, fs::perm_options::replace);
  auto store = std::make_unique<SqliteStore>(config.data / "cartable.db", config.db_threads);
  return std::make_unique<Database>(std::move(store), config.db_threads,
                                    config.limits.db_queue_capacity, config.limits.db_discipline);
}

int serve(const ServeConfig& config, Database& database, const Clock& clock,
          const std::function<void(const std::vector<std::string>& urls)>& on_listening) {
  const bool tls = !config.tls_cert.empty() || !config.tls_key.empty();
  if (tls && (config.tls_cert.empty() || config.tls_key.empty())) {
    throw std::invalid_argument("--tls-cert and --tls-key go together");
  }
  std::vector<tcp::endpoint> endpoints;
  for (const std::string& text : config.listen) {
    endpoints.push_back(parse_endpoint(text));
    if (!tls && !config.behind_proxy && !endpoints.back().address().is_loopback()) {
      throw std::invalid_argument(
          "refusing plain HTTP on " + text +
          ": give --tls-cert/--tls-key, or --behind-proxy when a TLS proxy stands in front");
    }
  }
  if (endpoints.empty()) {
    throw std::invalid_argument("nothing to listen on: give --listen ADDRESS:PORT");
  }
  if (!config.redirect_listen.empty() && !tls) {
    throw std::invalid_argument("--redirect-http needs --tls-cert/--tls-key");
  }
  if (const auto problem = guard::validate_cost(config.password_cost)) {
    throw std::invalid_argument(*problem);
  }

  auto keys = std::make_shared<const guard::SessionKeys>(
      guard::SessionKeys::load_or_create(config.data / "session-keys", clock.unix_seconds()));
  guard::SessionOptions session_options;
  session_options.secure_cookies = tls || config.behind_proxy;
  guard::Sessions sessions(clock, keys, session_options);
  sessions.load_revoked(database.store().revoked_sessions(clock.unix_seconds()));
  guard::LoginThrottle throttle(clock, {});
  WorkPool hash_pool("hash", or_cores(config.hash_threads), config.limits.hash_queue_capacity,
                     config.limits.hash_discipline);
  // Computed now rather than on the first unknown login, which would pay for it.
  guard::decoy_hash(config.password_cost);

  net::NetEvents events;
  std::unique_ptr<net::Server> server;
  http::Router router;
  admission::GateOptions gate_options = config.admission;
  gate_options.secure_cookies = session_options.secure_cookies;
  admission::AdmissionGate gate(
      gate_options, admission::derive_admission_key(keys->signing().secret), sessions, clock);
  gate.add_routes(router);
  account::add_routes(router, {database, sessions, throttle, hash_pool, config.password_cost});
  ClassVersions class_versions;
  today::ClassDayCache class_days(class_versions);
  today::DayCache day_views(class_versions);
  today::Prewarmer prewarmer(database.store(), clock, class_days, config.prewarm_lead);
  today::add_routes(router, {database, sessions, clock, class_versions, class_days, day_views});
  homework::add_routes(router, {database, sessions, clock, class_versions});
  const files::BlobStore blobs(config.data / "blobs");
  if (const std::size_t swept = files::collect_garbage(database.store(), blobs, clock)) {
    spdlog::info("removed {} stored files no longer used", swept);
  }
  WorkPool file_pool("files", config.file_threads, config.limits.db_queue_capacity,
                     config.limits.db_discipline);
  files::add_routes(router, {database, sessions, clock, blobs, file_pool, config.files});
  handin::add_routes(router, {database, sessions, clock, blobs, file_pool, config.files});
  resources::add_routes(router, {database, sessions, clock});
  classes::add_routes(router, {database, sessions});
  grades::add_routes(router, {database, sessions, clock});
  messages::SendLimiter send_limiter(clock, config.messages_per_minute);
  messages::add_routes(router, {database, sessions, clock, send_limiter});
  announcements::add_routes(router, {database, sessions, clock, class_versions});
  const calendar::FeedKey feed_key =
      calendar::load_or_create_feed_key(config.data / "calendar-key");
  calendar::add_routes(router, {database, sessions, clock, feed_key});
  live::LiveOptions live_options;
  live_options.rooms_per_teacher = config.live_rooms_per_teacher;
  live_options.joins_per_second = config.live_joins_per_second;
  live_options.join_burst = config.live_join_burst;
  live_options.advertise = config.advertise_url;
  live::LiveService live(database, sessions, clock, live_options);
  live.end_abandoned();
  prewarmer.also_prepare(
      [&live](Store& store, const NamedRef& school_class, std::int64_t starts_at) {
        live.prepare(store, school_class, starts_at);
      });
  live.add_routes(router);
  // The service is built after its routes, /metrics among them: reach it through this pointer.
  const http::Service* service_for_metrics = nullptr;
  ops::add_routes(
      router,
      {database, hash_pool, file_pool, events, [&server] { return server && server->draining(); },
       [&server] { return server ? server->open_connections() : 0; },
       [&service_for_metrics, &gate, &day_views, &class_days, &prewarmer, &live] {
         return (service_for_metrics ? service_for_metrics->metrics().render() : std::string{}) +
                gate.render_metrics() + today::render_metrics(day_views, class_days, prewarmer) +
                live.render_metrics();
       }});

  const fs::path web_root = find_web_root(config);
  auto static_files = std::make_shared<web::StaticFiles>(web_root);
  spdlog::info("web app: {} files from '{}'", static_files->file_count(), web_root.string());
  http::Handler serve_static =
      [static_files](http::RequestContext& context) -> asio::awaitable<http::Response> {
    co_return static_files->serve(context);
  };
  http::Service service(std::move(router), std::move(serve_static),
                        {.assume_https = config.behind_proxy, .gate = &gate});
  service_for_metrics = &service;
  service.add_websocket("/api/live/rooms/{id}/socket", "live.socket",
                        [&live](http::RequestContext& context) { return live.accept(context); });
  service.add_websocket(
      "/api/live/classes/{id}/lobby", "live.lobby_socket",
      [&live](http::RequestContext& context) { return live.accept_lobby(context); });

  std::shared_ptr<asio::ssl::context> tls_context;
  if (tls) {
    tls_context = net::make_tls_context(config.tls_cert, config.tls_key);
  }
  std::vector<net::ListenerSpec> listeners;
  for (const auto& endpoint : endpoints) {
    listeners.push_back({endpoint, &service, tls});
  }
  std::unique_ptr<RedirectToHttps> redirect;
  if (!config.redirect_listen.empty()) {
    redirect = std::make_unique<RedirectToHttps>(service);
    for (const std::string& text : config.redirect_listen) {
      listeners.push_back({parse_endpoint(text), redirect.get(), false});
    }
  }

  server = std::make_unique<net::Server>(std::move(listeners), or_cores(config.threads),
                                         config.limits, tls_context, events);
  server->bind();
  gate.start({&hash_pool, &database.reader_pool(), &database.writer_pool()}, server->executors());
  prewarmer.start();
  live.set_executors(server->executors());
  live.watch_other_processes();
  const auto bound = server->endpoints();
  if (redirect) {
    redirect->set_https_port(bound.front().port());
  }
  std::vector<std::string> urls;
  for (std::size_t i = 0; i < endpoints.size(); ++i) {
    const auto& endpoint = bound[i];
    const std::string host = endpoint.address().is_v6() ? "[" + endpoint.address().to_string() + "]"
                                                        : endpoint.address().to_string();
    urls.push_back(std::string(tls ? "https://" : "http://") + host + ":" +
                   std::to_string(endpoint.port()));
    spdlog::info("listening on {}", urls.back());
  }
  if (!config.port_file.empty()) {
    write_port_file(config.port_file, bound.front().port());
  }
  if (on_listening) {
    on_listening(urls);
  }
  server->run();
  return 0;
}

}  // namespace cartable::app
