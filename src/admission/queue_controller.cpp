#include "admission/queue_controller.hpp"

#include <algorithm>
#include <cmath>

namespace cartable::admission {

namespace {

double seconds(std::chrono::steady_clock::duration duration) {
  return std::chrono::duration<double>(duration).count();
}

// How much the queue's measured progress follows each tick: about a 2.5 s memory at 250 ms ticks,
// smooth enough that a waiting visitor's estimate does not jump with every tick.
constexpr double kDrainSmoothing = 0.1;

// In a surge, cuts come in chains while the crowd's own arrivals and polls load the server (at 10x
// the rate fell to a third of what it held once they had slowed): the highest rate at which
// overload was found says more about the capacity than the average of the chain.
constexpr double kCapacityFading = 0.01;

}  // namespace

QueueController::QueueController(ControllerOptions options, Instant now)
    : options_(options),
      rate_(std::clamp(options.initial_rate, options.min_rate, options.max_rate)),
      slow_start_until_(options.max_rate),
      tokens_(rate_),
      drain_rate_(rate_),
      last_tick_(now),
      last_decrease_(now - options.decrease_holdoff) {}

std::variant<Admitted, Waiting, QueueFull> QueueController::arrive(Instant now) {
  const bool someone_waits = cursor_ < entries_.size();
  if (!someone_waits && tokens_ >= 1 && !active_cap_reached_) {
    tokens_ -= 1;
    ++counters_.admitted_direct;
    return Admitted{};
  }
  demand_exceeded_ = true;
  if (entries_.size() >= options_.max_queue) {
    ++counters_.queue_full;
    return QueueFull{};
  }
  entries_.push_back({now, State::waiting});
  ++counters_.tickets_issued;
  return place_of(first_ticket_ + entries_.size() - 1);
}

void QueueController::admit_priority() {
  tokens_ -= 1;
  ++counters_.admitted_priority;
}

std::variant<Admitted, Waiting, UnknownTicket> QueueController::poll(std::uint64_t ticket,
                                                                     Instant now) {
  if (ticket < first_ticket_ || ticket - first_ticket_ >= entries_.size()) {
    return UnknownTicket{};
  }
  Entry& entry = entries_[ticket - first_ticket_];
  switch (entry.state) {
    case State::admitted:
      entry.state = State::redeemed;
      return Admitted{};
    case State::waiting:
      entry.last_seen = now;
      return place_of(ticket);
    case State::skipped:
    case State::redeemed:
      break;
  }
  return UnknownTicket{};
}

void QueueController::tick(Instant now, const Signals& signals) {
  const double elapsed = std::max(0.0, seconds(now - last_tick_));
  last_tick_ = now;
  adapt(now, signals);
  active_cap_reached_ =
      options_.max_active_users != 0 && signals.active_users >= options_.max_active_users;
  if (!active_cap_reached_) {
    // At most one second's worth banked: a quiet minute must not let a crowd in at once.
    const double rate = effective_rate();
    tokens_ = std::min(tokens_ + rate * elapsed, std::max(1.0, rate));
  }
  progressed_this_tick_ = 0;
  advance_queue(now);
  drop_settled_front(now);
  if (elapsed > 0 && cursor_ < entries_.size()) {
    // Only while people wait does progress measure the queue's speed.
    const double observed = static_cast<double>(progressed_this_tick_) / elapsed;
    drain_rate_ += kDrainSmoothing * (observed - drain_rate_);
  } else if (cursor_ >= entries_.size()) {
    drain_rate_ = effective_rate();
  }
  demand_exceeded_ = cursor_ < entries_.size();
}

bool QueueController::overloaded(const Signals& signals) const {
  return signals.latency_p95 > options_.latency_target ||
         signals.pool_delay > options_.pool_delay_target ||
         signals.loop_lag > options_.loop_lag_target;
}

void QueueController::adapt(Instant now, const Signals& signals) {
  counters_.overloaded = overloaded(signals);
  // The capacity found fades by kCapacityFading a second: a server that really became slower is
  // believed within a minute or two, while a passing crowd's cuts do not hide what it can do.
  overload_rate_ *= std::pow(1 - kCapacityFading, seconds(options_.tick));
  if (counters_.overloaded) {
    if (now - last_decrease_ >= options_.decrease_holdoff) {
      overload_rate_ = std::max(overload_rate_, rate_);
      rate_ = std::max(options_.min_rate, rate_ * options_.decrease_factor);
      slow_start_until_ = rate_;
      last_decrease_ = now;
      ++counters_.overload_decreases;
      counters_.decreases_latency += signals.latency_p95 > options_.latency_target ? 1 : 0;
      counters_.decreases_pool_delay += signals.pool_delay > options_.pool_delay_target ? 1 : 0;
      counters_.decreases_loop_lag += signals.loop_lag > options_.loop_lag_target ? 1 : 0;
    }
    return;
  }
  // Grow only when visitors were held back: an idle server has proven nothing about its capacity.
  if (demand_exceeded_) {
    const double step = rate_ < slow_start_until_ ? options_.slow_start_step : options_.steady_step;
    rate_ = std::min(options_.max_rate, rate_ * (1 + step));
  }
}

double QueueController::effective_rate() const {
  if (options_.max_new_per_minute > 0) {
    return std::min(rate_, options_.max_new_per_minute / 60.0);
  }
  return rate_;
}

void QueueController::advance_queue(Instant now) {
  while (cursor_ < entries_.size()) {
    Entry& entry = entries_[cursor_];
    if (now - entry.last_seen > options_.ticket_stale_after) {
      // Its holder stopped polling: skipping it costs no admission.
      entry.state = State::skipped;
      ++counters_.tickets_skipped_stale;
    } else if (tokens_ >= 1 && !active_cap_reached_) {
      tokens_ -= 1;
      entry.state = State::admitted;
      entry.last_seen = now;
      ++counters_.admitted_from_queue;
    } else {
      break;
    }
    ++cursor_;
    ++progressed_this_tick_;
  }
}

void QueueController::drop_settled_front(Instant now) {
  while (cursor_ > 0) {
    const Entry& front = entries_.front();
    // An admitted ticket waits a while for its holder to come back and redeem it.
    const bool settled = front.state == State::skipped || front.state == State::redeemed ||
                         now - front.last_seen > options_.ticket_stale_after;
    if (!settled) {
      break;
    }
    entries_.pop_front();
    ++first_ticket_;
    --cursor_;
  }
}

Waiting QueueController::place_of(std::uint64_t ticket) const {
  const std::size_t index = ticket - first_ticket_;
  const std::size_t position = index >= cursor_ ? index - cursor_ + 1 : 1;
  const double wait = forecast_seconds(static_cast<double>(position));
  return {ticket, position,
          std::chrono::milliseconds(static_cast<std::int64_t>(std::ceil(wait * 1000.0)))};
}

// The queue moves at the measured pace now. Once overload has been found, the rate regrows by
// `steady_step` a tick towards the capacity found and then saw-tooths under it (cut by
// `decrease_factor`, regrown), moving on average at the middle of the tooth: a long wait is
// forecast with that average, not with the pace of the moment (after a cut, the queue speeds up
// again; estimates from the pace alone came out ~35 % long in a 10x surge).
double QueueController::forecast_seconds(double position) const {
  const double pace = std::max(drain_rate_, options_.min_rate);
  double ceiling = overload_rate_ * (1 + options_.decrease_factor) / 2;
  if (options_.max_new_per_minute > 0) {
    ceiling = std::min(ceiling, options_.max_new_per_minute / 60.0);
  }
  if (ceiling <= pace) {
    return position / pace;
  }
  const double growth = std::log1p(options_.steady_step) / seconds(options_.tick);  // per second
  const double admitted_while_growing = (ceiling - pace) / growth;
  if (position <= admitted_while_growing) {
    return std::log1p(position * growth / pace) / growth;
  }
  return std::log(ceiling / pace) / growth + (position - admitted_while_growing) / ceiling;
}

ControllerStats QueueController::stats() const {
  ControllerStats stats = counters_;
  stats.rate = effective_rate();
  stats.drain_rate = drain_rate_;
  stats.tokens = tokens_;
  stats.queued = entries_.size() - cursor_;
  return stats;
}

}  // namespace cartable::admission
