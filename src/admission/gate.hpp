// The waiting room in front of the application. For each gated request, in this order:
// 1. maintenance mode answers everyone with its page;
// 2. abusive clients are refused first (429): token buckets per address (generous: a school sits
//    behind one NAT address) and per session;
// 3. a valid pass (people already inside) goes on;
// 4. teachers and staff, known by their session, come in ahead of the queue;
// 5. a ticket holder gets their place's news: admitted (a pass) or still waiting;
// 6. anyone else is a new visitor: in at once while the budget allows and nobody waits, else a
//    ticket at the back of the queue.
// Waiting browsers get a small page that polls GET /api/queue; API clients get 503 + Retry-After
// with the same position and estimate in JSON.
#pragma once

#include <array>
#include <atomic>
#include <boost/asio/any_io_executor.hpp>
#include <memory>
#include <mutex>
#include <random>
#include <thread>
#include <unordered_map>
#include <vector>

#include "admission/admission_tokens.hpp"
#include "admission/latency_window.hpp"
#include "admission/options.hpp"
#include "admission/queue_controller.hpp"
#include "admission/rate_limiter.hpp"
#include "common/clock.hpp"
#include "common/work_pool.hpp"
#include "guard/sessions.hpp"
#include "http/gate.hpp"

namespace cartable::admission {

// Counters for /metrics, beyond the controller's own.
struct GateCounters {
  std::atomic<std::uint64_t> limited_address{0};
  std::atomic<std::uint64_t> limited_session{0};
  std::atomic<std::uint64_t> limited_tickets{0};
  std::atomic<std::uint64_t> maintenance{0};
  std::atomic<std::uint64_t> redeemed{0};
};

class AdmissionGate final : public http::Gate {
 public:
  static constexpr std::string_view kPassCookie = "cartable_pass";
  static constexpr std::string_view kTicketCookie = "cartable_ticket";

  AdmissionGate(GateOptions options, const AdmissionKey& key, const guard::Sessions& sessions,
                const Clock& clock);
  ~AdmissionGate() override;

  Verdict admit(const http::RequestContext& context, bool api) override;
  void completed(std::chrono::nanoseconds latency) override;

  // GET /api/queue (the waiting page's poll) and the waiting page's script and style.
  void add_routes(http::Router& router);
  // Starts the control loop: every tick it reads the pools' queue delay and the event loops' lag.
  void start(std::vector<WorkPool*> pools, std::vector<boost::asio::any_io_executor> loops);
  std::string render_metrics() const;

 private:
  struct LoopProbe {
    boost::asio::any_io_executor executor;
    std::atomic<std::int64_t> posted_ns{0};  // 0: none outstanding
  };
  struct ActiveShard {
    std::mutex mutex;
    std::unordered_map<std::uint64_t, std::int64_t> last_seen;  // pass id -> unix seconds
  };
  static constexpr std::size_t kActiveShards = 16;

  // How a waiting visitor is answered: the page, a 503 for an API call, or the poll's 200.
  enum class Reply { page, api, poll };

  Verdict answer(http::Response response) const;
  Verdict refuse(http::Status status, std::string_view code, std::string_view message,
                 std::chrono::milliseconds retry_after, Reply reply) const;
  Verdict let_in(const http::RequestContext& context, std::vector<std::string>& cookies);
  // Answers a waiting visitor; a new ticket is given its announced wait and set as a cookie.
  Verdict waiting(const Waiting& place, Ticket ticket, bool new_ticket, Reply reply);
  // Shared by admit() and the queue route: a ticket's news or a new visitor's fate. `admitted`
  // is set when the visitor may go on (cookies then hold the pass to set).
  Verdict ask_queue(const http::RequestContext& context, Reply reply, bool& admitted,
                    std::vector<std::string>& cookies);
  http::Response poll_queue(const http::RequestContext& context);
  std::string issue_pass(std::int64_t now);
  void touch_active(std::uint64_t pass_id, std::int64_t now);
  std::size_t count_active(std::int64_t now, bool forget_old);
  void record_redemption(const Ticket& ticket);
  std::chrono::milliseconds poll_interval(std::chrono::milliseconds estimate);
  void run_ticks(std::stop_token stop);
  std::chrono::nanoseconds take_loop_lag();
  http::CookieOptions cookie_options(std::optional<std::chrono::seconds> max_age) const;

  GateOptions options_;
  AdmissionKey key_;
  const guard::Sessions& sessions_;
  const Clock& clock_;
  std::uint32_t epoch_;

  mutable std::mutex controller_mutex_;
  QueueController controller_;
  std::mt19937 jitter_;  // guarded by controller_mutex_

  RateLimiter per_address_;
  RateLimiter per_session_;
  RateLimiter tickets_per_address_;
  LatencyWindow latencies_;
  std::array<ActiveShard, kActiveShards> active_;
  std::atomic<std::size_t> active_count_{0};

  std::vector<WorkPool*> pools_;
  std::vector<std::unique_ptr<LoopProbe>> probes_;
  std::atomic<std::int64_t> last_loop_lag_ns_{0};
  std::atomic<std::int64_t> last_latency_p95_ns_{0};
  std::atomic<std::int64_t> last_pool_delay_ns_{0};

  // Waiting-room outcomes: real wait (seconds) and |real - announced| / announced.
  static constexpr std::array<double, 10> kWaitBuckets{1, 2, 5, 10, 20, 30, 60, 120, 300, 600};
  static constexpr std::array<double, 5> kErrorBuckets{0.1, 0.25, 0.5, 1, 2};
  std::array<std::atomic<std::uint64_t>, kWaitBuckets.size() + 1> wait_counts_{};
  std::atomic<std::int64_t> wait_sum_ms_{0};
  std::array<std::atomic<std::uint64_t>, kErrorBuckets.size() + 1> error_counts_{};

  GateCounters counters_;
  std::jthread ticker_;
};

}  // namespace cartable::admission
