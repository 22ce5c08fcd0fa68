#include "admission/gate.hpp"

#include <sodium.h>

#include <boost/asio/post.hpp>
#include <boost/beast/http/field.hpp>
#include <boost/json/object.hpp>
#include <cmath>
#include <sstream>

#include "admission/waiting_page.hpp"
#include "http/cookies.hpp"

namespace cartable::admission {

namespace {

namespace beast_http = boost::beast::http;
using Clock_ = std::chrono::steady_clock;
using std::chrono::duration_cast;
using std::chrono::milliseconds;
using std::chrono::nanoseconds;
using std::chrono::seconds;

// A visitor stays "active" (for the operator's cap and the metrics) this long after a request.
constexpr std::int64_t kActiveSeconds = 5 * 60;
constexpr auto kForgetEvery = std::chrono::seconds(10);

std::uint64_t hash_of(std::string_view text) {
  return std::hash<std::string_view>{}(text);
}

std::uint64_t address_key(const boost::asio::ip::address& address) {
  if (address.is_v4()) {
    return address.to_v4().to_uint();
  }
  const auto bytes = address.to_v6().to_bytes();
  return hash_of(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
}

unsigned whole_seconds(milliseconds duration) {
  return static_cast<unsigned>(std::max<std::int64_t>(1, (duration.count() + 999) / 1000));
}

std::int64_t unix_ms(const Clock& clock) {
  return duration_cast<milliseconds>(clock.now().time_since_epoch()).count();
}

bool has_priority(Role role) {
  return role == Role::teacher || role == Role::staff || role == Role::admin;
}

}  // namespace

AdmissionGate::AdmissionGate(GateOptions options, const AdmissionKey& key,
                             const guard::Sessions& sessions, const Clock& clock)
    : options_(std::move(options)),
      key_(key),
      sessions_(sessions),
      clock_(clock),
      epoch_(randombytes_random()),
      controller_(options_.controller, Clock_::now()),
      jitter_(randombytes_random()),
      per_address_(options_.per_address),
      per_session_(options_.per_session),
      tickets_per_address_(options_.tickets_per_address) {}

AdmissionGate::~AdmissionGate() {
  if (ticker_.joinable()) {
    ticker_.request_stop();
    ticker_.join();
  }
}

http::CookieOptions AdmissionGate::cookie_options(std::optional<seconds> max_age) const {
  http::CookieOptions cookie;
  cookie.max_age = max_age;
  cookie.secure = options_.secure_cookies;
  return cookie;
}

http::Gate::Verdict AdmissionGate::answer(http::Response response) const {
  Verdict verdict;
  verdict.answer = std::move(response);
  return verdict;
}

http::Gate::Verdict AdmissionGate::refuse(http::Status status, std::string_view code,
                                          std::string_view message, milliseconds retry_after,
                                          Reply reply) const {
  if (reply != Reply::page) {
    return answer(http::retry_later(status, code, message, whole_seconds(retry_after)));
  }
  http::Response page =
      http::text_response(status, maintenance_page(message), "text/html; charset=utf-8");
  page.set(beast_http::field::retry_after, std::to_string(whole_seconds(retry_after)));
  return answer(std::move(page));
}

http::Gate::Verdict AdmissionGate::admit(const http::RequestContext& context, bool api) {
  const Reply reply = api ? Reply::api : Reply::page;
  if (!options_.maintenance_message.empty()) {
    counters_.maintenance.fetch_add(1, std::memory_order_relaxed);
    return refuse(http::Status::service_unavailable, "maintenance", options_.maintenance_message,
                  seconds(300), reply);
  }
  const auto now = Clock_::now();
  milliseconds retry_after{0};
  if (!per_address_.take(address_key(context.peer.address), now, retry_after)) {
    counters_.limited_address.fetch_add(1, std::memory_order_relaxed);
    return refuse(http::Status::too_many_requests, "rate_limited",
                  "Too many requests from your network; slow down.", retry_after, reply);
  }
  const auto session_cookie = http::find_cookie(context.request, guard::Sessions::kCookieName);
  if (session_cookie && !per_session_.take(hash_of(*session_cookie), now, retry_after)) {
    counters_.limited_session.fetch_add(1, std::memory_order_relaxed);
    return refuse(http::Status::too_many_requests, "rate_limited",
                  "Too many requests from your account; slow down.", retry_after, reply);
  }
  Verdict verdict;
  if (!options_.enabled) {
    return verdict;
  }
  const std::int64_t now_s = clock_.unix_seconds();
  if (const auto cookie = http::find_cookie(context.request, kPassCookie)) {
    if (const auto pass = decode_pass(*cookie, key_, now_s)) {
      touch_active(pass->id, now_s);
      // Slide: a pass used after a third of its life is renewed, so active visitors never expire.
      if (now_s - pass->issued_at > options_.pass_lifetime.count() / 3) {
        verdict.set_cookies.push_back(issue_pass(now_s));
      }
      return verdict;
    }
  }
  if (session_cookie) {
    if (const auto claims = sessions_.authenticate(context.request);
        claims && has_priority(claims->role)) {
      {
        const std::lock_guard lock(controller_mutex_);
        controller_.admit_priority();
      }
      return let_in(context, verdict.set_cookies);
    }
  }
  bool admitted = false;
  Verdict queued = ask_queue(context, reply, admitted, verdict.set_cookies);
  return admitted ? verdict : queued;
}

http::Gate::Verdict AdmissionGate::let_in(const http::RequestContext& context,
                                          std::vector<std::string>& cookies) {
  cookies.push_back(issue_pass(clock_.unix_seconds()));
  if (http::find_cookie(context.request, kTicketCookie)) {
    cookies.push_back(http::clear_cookie_header(kTicketCookie, cookie_options(std::nullopt)));
  }
  Verdict verdict;
  verdict.set_cookies = cookies;
  return verdict;
}

http::Gate::Verdict AdmissionGate::ask_queue(const http::RequestContext& context, Reply reply,
                                             bool& admitted, std::vector<std::string>& cookies) {
  const auto now = Clock_::now();
  if (const auto cookie = http::find_cookie(context.request, kTicketCookie)) {
    if (const auto ticket = decode_ticket(*cookie, key_); ticket && ticket->epoch == epoch_) {
      std::variant<Admitted, Waiting, UnknownTicket> news;
      {
        const std::lock_guard lock(controller_mutex_);
        news = controller_.poll(ticket->number, now);
      }
      if (std::holds_alternative<Admitted>(news)) {
        record_redemption(*ticket);
        admitted = true;
        return let_in(context, cookies);
      }
      if (const auto* place = std::get_if<Waiting>(&news)) {
        return waiting(*place, *ticket, false, reply);
      }
    }
  }
  milliseconds retry_after{0};
  if (!tickets_per_address_.take(address_key(context.peer.address), now, retry_after)) {
    counters_.limited_tickets.fetch_add(1, std::memory_order_relaxed);
    return refuse(http::Status::too_many_requests, "rate_limited",
                  "Too many new visitors from your network; slow down.", retry_after, reply);
  }
  std::variant<Admitted, Waiting, QueueFull> fate;
  {
    const std::lock_guard lock(controller_mutex_);
    fate = controller_.arrive(now);
  }
  if (std::holds_alternative<Admitted>(fate)) {
    admitted = true;
    return let_in(context, cookies);
  }
  if (const auto* place = std::get_if<Waiting>(&fate)) {
    Ticket ticket;
    ticket.epoch = epoch_;
    ticket.number = place->ticket;
    ticket.issued_ms = unix_ms(clock_);
    return waiting(*place, ticket, true, reply);
  }
  return refuse(http::Status::service_unavailable, "overloaded",
                "The waiting room is full; try again in a moment.", seconds(30), reply);
}

http::Gate::Verdict AdmissionGate::waiting(const Waiting& place, Ticket ticket, bool new_ticket,
                                           Reply reply) {
  const milliseconds poll = poll_interval(place.estimated_wait);
  // The visitor learns of their turn at their next poll: half an interval later, on average.
  const milliseconds announced = place.estimated_wait + poll / 2;
  const auto wait_seconds = whole_seconds(announced);
  if (new_ticket) {
    ticket.announced_wait_ms =
        static_cast<std::uint32_t>(std::min<std::int64_t>(announced.count(), UINT32_MAX));
  }
  boost::json::object queue{{"position", place.position},
                            {"estimated_wait_seconds", wait_seconds},
                            {"poll_after_ms", poll.count()}};
  http::Response response;
  if (reply == Reply::poll) {
    // Polling the queue is not an error: the news comes as a 200.
    queue["status"] = "waiting";
    response = http::json_response(http::Status::ok, queue);
  } else if (reply == Reply::api) {
    response = http::json_response(
        http::Status::service_unavailable,
        boost::json::object{{"error",
                             {{"code", "waiting_room"},
                              {"message",
                               "Many people are arriving at once: you are in the "
                               "queue. Poll GET /api/queue."}}},
                            {"queue", std::move(queue)}});
    response.set(beast_http::field::retry_after, std::to_string(whole_seconds(poll)));
  } else {
    response = http::text_response(http::Status::ok, waiting_page(place.position, announced, poll),
                                   "text/html; charset=utf-8");
  }
  response.set("X-Cartable-Waiting-Room", "1");
  response.set("X-Cartable-Queue-Position", std::to_string(place.position));
  response.set("X-Cartable-Queue-Wait", std::to_string(wait_seconds));
  response.set("X-Cartable-Queue-Poll", std::to_string(poll.count()));
  if (new_ticket) {
    // A browser-session cookie: closing the browser gives the place up, as leaving a queue does.
    response.insert(beast_http::field::set_cookie,
                    http::set_cookie_header(kTicketCookie, encode_ticket(ticket, key_),
                                            cookie_options(std::nullopt)));
  }
  return answer(std::move(response));
}

milliseconds AdmissionGate::poll_interval(milliseconds estimate) {
  // A quarter of the wait, within bounds, with ±20 % jitter so that pollers do not synchronise.
  const auto base = std::clamp(estimate / 4, options_.poll_min, options_.poll_max);
  double factor = 1;
  {
    const std::lock_guard lock(controller_mutex_);
    factor = std::uniform_real_distribution<double>(0.8, 1.2)(jitter_);
  }
  return milliseconds(static_cast<std::int64_t>(static_cast<double>(base.count()) * factor));
}

std::string AdmissionGate::issue_pass(std::int64_t now) {
  Pass pass;
  randombytes_buf(&pass.id, sizeof pass.id);
  pass.issued_at = now;
  pass.expires_at = now + options_.pass_lifetime.count();
  touch_active(pass.id, now);
  return http::set_cookie_header(kPassCookie, encode_pass(pass, key_),
                                 cookie_options(options_.pass_lifetime));
}

void AdmissionGate::touch_active(std::uint64_t pass_id, std::int64_t now) {
  ActiveShard& shard = active_[pass_id % kActiveShards];
  const std::lock_guard lock(shard.mutex);
  shard.last_seen[pass_id] = now;
}

std::size_t AdmissionGate::count_active(std::int64_t now, bool forget_old) {
  std::size_t count = 0;
  for (ActiveShard& shard : active_) {
    const std::lock_guard lock(shard.mutex);
    if (forget_old) {
      std::erase_if(shard.last_seen,
                    [now](const auto& entry) { return now - entry.second > kActiveSeconds; });
    }
    count += shard.last_seen.size();
  }
  return count;
}

void AdmissionGate::record_redemption(const Ticket& ticket) {
  counters_.redeemed.fetch_add(1, std::memory_order_relaxed);
  const std::int64_t waited_ms = std::max<std::int64_t>(0, unix_ms(clock_) - ticket.issued_ms);
  const double waited = static_cast<double>(waited_ms) / 1000.0;
  std::size_t bucket = 0;
  while (bucket < kWaitBuckets.size() && waited > kWaitBuckets[bucket]) {
    ++bucket;
  }
  wait_counts_[bucket].fetch_add(1, std::memory_order_relaxed);
  wait_sum_ms_.fetch_add(waited_ms, std::memory_order_relaxed);
  // Relative error, with a one-second floor so that short waits are not judged in milliseconds.
  const double announced = std::max(1.0, ticket.announced_wait_ms / 1000.0);
  const double error = std::abs(std::max(1.0, waited) - announced) / announced;
  bucket = 0;
  while (bucket < kErrorBuckets.size() && error > kErrorBuckets[bucket]) {
    ++bucket;
  }
  error_counts_[bucket].fetch_add(1, std::memory_order_relaxed);
}

void AdmissionGate::completed(nanoseconds latency) {
  latencies_.record(latency);
}

void AdmissionGate::add_routes(http::Router& router) {
  router.add({http::Verb::get, "/api/queue", "admission.queue", 0,
              [this](http::RequestContext& context) -> boost::asio::awaitable<http::Response> {
                co_return poll_queue(context);
              },
              false});
  router.add({http::Verb::get, "/waiting-room.js", "admission.script", 0,
              [](http::RequestContext&) -> boost::asio::awaitable<http::Response> {
                http::Response response =
                    http::text_response(http::Status::ok, std::string(kWaitingScript),
                                        "text/javascript; charset=utf-8");
                response.set(beast_http::field::cache_control, "public, max-age=3600");
                co_return response;
              },
              false});
  router.add({http::Verb::get, "/waiting-room.css", "admission.style", 0,
              [](http::RequestContext&) -> boost::asio::awaitable<http::Response> {
                http::Response response = http::text_response(
                    http::Status::ok, std::string(kWaitingStyle), "text/css; charset=utf-8");
                response.set(beast_http::field::cache_control, "public, max-age=3600");
                co_return response;
              },
              false});
}

http::Response AdmissionGate::poll_queue(const http::RequestContext& context) {
  const auto now = Clock_::now();
  milliseconds retry_after{0};
  if (!per_address_.take(address_key(context.peer.address), now, retry_after)) {
    counters_.limited_address.fetch_add(1, std::memory_order_relaxed);
    return http::retry_later(http::Status::too_many_requests, "rate_limited",
                             "Too many requests from your network; slow down.",
                             whole_seconds(retry_after));
  }
  const auto pass_cookie = http::find_cookie(context.request, kPassCookie);
  const boost::json::object admitted_news{{"status", "admitted"}};
  if (!options_.enabled ||
      (pass_cookie && decode_pass(*pass_cookie, key_, clock_.unix_seconds()))) {
    return http::json_response(http::Status::ok, admitted_news);
  }
  bool admitted = false;
  std::vector<std::string> cookies;
  Verdict verdict = ask_queue(context, Reply::poll, admitted, cookies);
  if (!admitted) {
    return std::move(*verdict.answer);
  }
  http::Response response = http::json_response(http::Status::ok, admitted_news);
  for (const std::string& cookie : verdict.set_cookies) {
    response.insert(beast_http::field::set_cookie, cookie);
  }
  return response;
}

void AdmissionGate::start(std::vector<WorkPool*> pools,
                          std::vector<boost::asio::any_io_executor> loops) {
  pools_ = std::move(pools);
  for (auto& executor : loops) {
    auto probe = std::make_unique<LoopProbe>();
    probe->executor = std::move(executor);
    probes_.push_back(std::move(probe));
  }
  ticker_ = std::jthread([this](std::stop_token stop) { run_ticks(stop); });
}

std::chrono::nanoseconds AdmissionGate::take_loop_lag() {
  const std::int64_t now = duration_cast<nanoseconds>(Clock_::now().time_since_epoch()).count();
  std::int64_t lag = 0;
  for (auto& probe : probes_) {
    const std::int64_t posted = probe->posted_ns.load(std::memory_order_acquire);
    if (posted != 0) {
      // Still not run since the last tick: the loop is at least this far behind.
      lag = std::max(lag, now - posted);
      continue;
    }
    probe->posted_ns.store(now, std::memory_order_release);
    LoopProbe* raw = probe.get();
    boost::asio::post(raw->executor, [raw] { raw->posted_ns.store(0, std::memory_order_release); });
  }
  return nanoseconds(lag);
}

// Jobs queued in a pool that count as a passing burst, not a standing queue.
constexpr int kBurstJobsAllowed = 2;

void AdmissionGate::run_ticks(std::stop_token stop) {
  auto next = Clock_::now();
  auto next_forget = next;
  while (!stop.stop_requested()) {
    next += options_.controller.tick;
    std::this_thread::sleep_until(next);
    const auto now = Clock_::now();
    Signals signals;
    signals.loop_lag = take_loop_lag();
    signals.latency_p95 = latencies_.take(0.95);
    for (WorkPool* pool : pools_) {
      // The standing queue: the shortest wait of the tick (FIFO), or the oldest job still waiting
      // (under LIFO the newest start at once while the oldest wait on), beyond a few jobs' worth:
      // behind a burst of 36 ms password hashes a few wait 70 ms or more on an idle server (four
      // jobs' worth let sign-ins queue past their users' patience in a 10x surge).
      const nanoseconds waited = std::max(pool->take_min_sojourn(), pool->oldest_wait(now));
      const nanoseconds delay =
          std::max(nanoseconds(0), waited - kBurstJobsAllowed * pool->job_interval());
      signals.pool_delay = std::max(signals.pool_delay, delay);
    }
    const bool forget = now >= next_forget;
    if (forget) {
      next_forget = now + kForgetEvery;
      per_address_.forget_idle(now);
      per_session_.forget_idle(now);
      tickets_per_address_.forget_idle(now);
    }
    signals.active_users = count_active(clock_.unix_seconds(), forget);
    active_count_.store(signals.active_users, std::memory_order_relaxed);
    last_loop_lag_ns_.store(signals.loop_lag.count(), std::memory_order_relaxed);
    last_latency_p95_ns_.store(signals.latency_p95.count(), std::memory_order_relaxed);
    last_pool_delay_ns_.store(signals.pool_delay.count(), std::memory_order_relaxed);
    const std::lock_guard lock(controller_mutex_);
    controller_.tick(now, signals);
  }
}

std::string AdmissionGate::render_metrics() const {
  ControllerStats stats;
  {
    const std::lock_guard lock(controller_mutex_);
    stats = controller_.stats();
  }
  std::ostringstream out;
  const auto seconds_of = [](const std::atomic<std::int64_t>& ns) {
    return static_cast<double>(ns.load(std::memory_order_relaxed)) / 1e9;
  };
  out << "# HELP cartable_admission_rate New visitors admitted per second (the adaptive limit).\n"
         "# TYPE cartable_admission_rate gauge\n"
      << "cartable_admission_rate " << stats.rate << "\n"
      << "# HELP cartable_admission_drain_rate Waiting-room progress per second (estimates' "
         "basis).\n# TYPE cartable_admission_drain_rate gauge\n"
      << "cartable_admission_drain_rate " << stats.drain_rate << "\n"
      << "# HELP cartable_admission_queue_length Tickets waiting.\n"
         "# TYPE cartable_admission_queue_length gauge\n"
      << "cartable_admission_queue_length " << stats.queued << "\n"
      << "# HELP cartable_admission_active_visitors Visitors with a pass seen in the last 5 "
         "minutes.\n# TYPE cartable_admission_active_visitors gauge\n"
      << "cartable_admission_active_visitors " << active_count_.load(std::memory_order_relaxed)
      << "\n# HELP cartable_admission_overloaded 1 when the last tick saw an overload signal.\n"
         "# TYPE cartable_admission_overloaded gauge\n"
      << "cartable_admission_overloaded " << (stats.overloaded ? 1 : 0) << "\n"
      << "# HELP cartable_admission_decreases_total Times the rate was cut for overload.\n"
         "# TYPE cartable_admission_decreases_total counter\n"
      << "cartable_admission_decreases_total " << stats.overload_decreases << "\n"
      << "# HELP cartable_admission_decreases_by_signal_total Rate cuts by the signal over its "
         "target.\n# TYPE cartable_admission_decreases_by_signal_total counter\n"
      << "cartable_admission_decreases_by_signal_total{signal=\"latency_p95\"} "
      << stats.decreases_latency << "\n"
      << "cartable_admission_decreases_by_signal_total{signal=\"pool_delay\"} "
      << stats.decreases_pool_delay << "\n"
      << "cartable_admission_decreases_by_signal_total{signal=\"loop_lag\"} "
      << stats.decreases_loop_lag << "\n"
      << "# HELP cartable_admission_signal_seconds Overload signals measured at the last tick.\n"
         "# TYPE cartable_admission_signal_seconds gauge\n"
      << "cartable_admission_signal_seconds{signal=\"latency_p95\"} "
      << seconds_of(last_latency_p95_ns_) << "\n"
      << "cartable_admission_signal_seconds{signal=\"pool_delay\"} "
      << seconds_of(last_pool_delay_ns_) << "\n"
      << "cartable_admission_signal_seconds{signal=\"loop_lag\"} " << seconds_of(last_loop_lag_ns_)
      << "\n# HELP cartable_admission_admitted_total Visitors let in, by way.\n"
         "# TYPE cartable_admission_admitted_total counter\n"
      << "cartable_admission_admitted_total{via=\"direct\"} " << stats.admitted_direct << "\n"
      << "cartable_admission_admitted_total{via=\"queue\"} " << stats.admitted_from_queue << "\n"
      << "cartable_admission_admitted_total{via=\"priority\"} " << stats.admitted_priority << "\n"
      << "# HELP cartable_admission_tickets_total Waiting-room tickets, by fate.\n"
         "# TYPE cartable_admission_tickets_total counter\n"
      << "cartable_admission_tickets_total{event=\"issued\"} " << stats.tickets_issued << "\n"
      << "cartable_admission_tickets_total{event=\"redeemed\"} "
      << counters_.redeemed.load(std::memory_order_relaxed) << "\n"
      << "cartable_admission_tickets_total{event=\"skipped_stale\"} " << stats.tickets_skipped_stale
      << "\n"
      << "# HELP cartable_admission_rejected_total Requests refused by the gate, by reason.\n"
         "# TYPE cartable_admission_rejected_total counter\n"
      << "cartable_admission_rejected_total{reason=\"rate_limit_address\"} "
      << counters_.limited_address.load(std::memory_order_relaxed) << "\n"
      << "cartable_admission_rejected_total{reason=\"rate_limit_session\"} "
      << counters_.limited_session.load(std::memory_order_relaxed) << "\n"
      << "cartable_admission_rejected_total{reason=\"rate_limit_tickets\"} "
      << counters_.limited_tickets.load(std::memory_order_relaxed) << "\n"
      << "cartable_admission_rejected_total{reason=\"queue_full\"} " << stats.queue_full << "\n"
      << "cartable_admission_rejected_total{reason=\"maintenance\"} "
      << counters_.maintenance.load(std::memory_order_relaxed) << "\n";
  out << "# HELP cartable_admission_wait_seconds Time from ticket to admission.\n"
         "# TYPE cartable_admission_wait_seconds histogram\n";
  std::uint64_t cumulative = 0;
  for (std::size_t i = 0; i < kWaitBuckets.size(); ++i) {
    cumulative += wait_counts_[i].load(std::memory_order_relaxed);
    out << "cartable_admission_wait_seconds_bucket{le=\"" << kWaitBuckets[i] << "\"} " << cumulative
        << "\n";
  }
  cumulative += wait_counts_.back().load(std::memory_order_relaxed);
  out << "cartable_admission_wait_seconds_bucket{le=\"+Inf\"} " << cumulative << "\n"
      << "cartable_admission_wait_seconds_sum "
      << static_cast<double>(wait_sum_ms_.load(std::memory_order_relaxed)) / 1000.0 << "\n"
      << "cartable_admission_wait_seconds_count " << cumulative << "\n";
  out << "# HELP cartable_admission_estimate_error Relative error of the announced wait.\n"
         "# TYPE cartable_admission_estimate_error histogram\n";
  cumulative = 0;
  for (std::size_t i = 0; i < kErrorBuckets.size(); ++i) {
    cumulative += error_counts_[i].load(std::memory_order_relaxed);
    out << "cartable_admission_estimate_error_bucket{le=\"" << kErrorBuckets[i] << "\"} "
        << cumulative << "\n";
  }
  cumulative += error_counts_.back().load(std::memory_order_relaxed);
  out << "cartable_admission_estimate_error_bucket{le=\"+Inf\"} " << cumulative << "\n"
      << "cartable_admission_estimate_error_count " << cumulative << "\n";
  return out.str();
}

}  // namespace cartable::admission
