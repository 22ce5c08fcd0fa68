// Admission control for the 8 o'clock surge: how many new visitors come in per second, and a FIFO
// queue (the waiting room) for the others.
//
// The limit is a rate of new visitors (AIMD). Requests are cheap and varied (a 304 costs
// microseconds, a sign-in an argon2id hash), so a limit on requests in flight says little; a
// visitor, once in, makes a short journey of requests, and the expensive ones (sign-in, first
// cache fill) come with new visitors. The overload signals are the server's own: the 95th
// percentile latency of admitted requests, the standing delay of the work pools' queues (the
// minimum sojourn of a tick, as in CoDel: a burst drains, a standing queue does not) and the lag
// of the I/O threads' event loops. See docs/operations.md, "Admission control".
//
// Pure and single-threaded by contract: the caller serialises calls and passes the time in, so the
// tests drive it with a fake clock.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <optional>
#include <variant>

namespace cartable::admission {

using Instant = std::chrono::steady_clock::time_point;
using namespace std::chrono_literals;

struct ControllerOptions {
  double initial_rate = 100;      // new visitors per second before anything is measured
  double min_rate = 2;            // never admit fewer (the queue must move)
  double max_rate = 5'000;        // never more
  double slow_start_step = 0.10;  // growth per tick while below the last overload level
  double steady_step = 0.02;      // growth per tick above it
  double decrease_factor = 0.75;  // on overload
  std::chrono::milliseconds tick = 250ms;
  std::chrono::milliseconds decrease_holdoff = 1s;     // let a decrease show before the next one
  std::chrono::milliseconds latency_target = 150ms;    // p95 of admitted requests
  std::chrono::milliseconds pool_delay_target = 50ms;  // standing sojourn in a work pool
  std::chrono::milliseconds loop_lag_target = 50ms;    // I/O event loop lag
  // A ticket not polled for this long loses its place (its holder left); the queue skips it.
  std::chrono::seconds ticket_stale_after = 30s;
  std::size_t max_queue = 1'000'000;
  // Operator caps, 0 = none: visitors seen in the last minutes; new visitors per minute.
  std::size_t max_active_users = 0;
  double max_new_per_minute = 0;
};

// What the server measured over the last tick.
struct Signals {
  std::chrono::nanoseconds latency_p95{0};
  std::chrono::nanoseconds pool_delay{0};
  std::chrono::nanoseconds loop_lag{0};
  std::size_t active_users = 0;
};

struct Admitted {};
struct Waiting {
  std::uint64_t ticket = 0;
  std::size_t position = 0;  // 1 = next
  std::chrono::milliseconds estimated_wait{0};
};
struct QueueFull {};
// The ticket names no waiting or admitted place (never issued, skipped as stale, already redeemed):
// the holder is a new visitor again.
struct UnknownTicket {};

struct ControllerStats {
  double rate = 0;        // new visitors admitted per second, the current limit
  double drain_rate = 0;  // measured queue progress per second (the estimates' basis)
  double tokens = 0;
  std::size_t queued = 0;  // waiting tickets (stale ones included until skipped)
  std::uint64_t admitted_direct = 0;
  std::uint64_t admitted_from_queue = 0;
  std::uint64_t admitted_priority = 0;
  std::uint64_t tickets_issued = 0;
  std::uint64_t tickets_skipped_stale = 0;
  std::uint64_t queue_full = 0;
  std::uint64_t overload_decreases = 0;
  // Decreases by the signal over its target (several at once each count).
  std::uint64_t decreases_latency = 0, decreases_pool_delay = 0, decreases_loop_lag = 0;
  bool overloaded = false;  // the last tick's verdict
};

class QueueController {
 public:
  QueueController(ControllerOptions options, Instant now);

  // A visitor without a ticket: admitted at once when nobody waits and the budget allows,
  // otherwise given the next ticket.
  std::variant<Admitted, Waiting, QueueFull> arrive(Instant now);
  // Teachers, staff and live-class traffic: admitted whatever the queue, paid from the budget
  // (the queue moves slower for it).
  void admit_priority();
  // A ticket holder asks again (F5 or a poll). An admitted ticket is redeemed once: a copy of it
  // presented later is an UnknownTicket.
  std::variant<Admitted, Waiting, UnknownTicket> poll(std::uint64_t ticket, Instant now);
  // Every `options.tick`: adapt the rate, refill the budget, move the queue.
  void tick(Instant now, const Signals& signals);

  ControllerStats stats() const;
  const ControllerOptions& options() const { return options_; }

 private:
  enum class State : std::uint8_t { waiting, admitted, skipped, redeemed };
  struct Entry {
    Instant last_seen;
    State state = State::waiting;
  };

  bool overloaded(const Signals& signals) const;
  void adapt(Instant now, const Signals& signals);
  double effective_rate() const;
  void advance_queue(Instant now);
  void drop_settled_front(Instant now);
  Waiting place_of(std::uint64_t ticket) const;
  // Seconds until `position` more visitors are admitted (see the definition).
  double forecast_seconds(double position) const;

  ControllerOptions options_;
  double rate_;
  double slow_start_until_;  // the rate at the last overload: growth slows above it
  double tokens_ = 0;
  double drain_rate_;
  double overload_rate_ = 0;  // the highest rate at which overload was found, fading: the capacity
  Instant last_tick_;
  Instant last_decrease_;
  bool demand_exceeded_ = false;  // someone had to wait since the last tick
  bool active_cap_reached_ = false;

  std::deque<Entry> entries_;  // entries_[i] is ticket first_ticket_ + i
  std::uint64_t first_ticket_ = 1;
  std::size_t cursor_ = 0;  // first entry the queue has not reached yet
  std::uint64_t progressed_this_tick_ = 0;

  ControllerStats counters_;
};

}  // namespace cartable::admission
