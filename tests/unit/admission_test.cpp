#include <gtest/gtest.h>

#include "admission/admission_tokens.hpp"
#include "admission/latency_window.hpp"
#include "admission/queue_controller.hpp"
#include "admission/rate_limiter.hpp"

namespace cartable::admission {
namespace {

using namespace std::chrono_literals;

const Instant kStart = Instant() + 1000s;
const Signals kCalm{};

ControllerOptions options(double rate) {
  ControllerOptions result;
  result.initial_rate = rate;
  result.min_rate = 1;
  return result;
}

std::uint64_t ticket_of(const std::variant<Admitted, Waiting, QueueFull>& fate) {
  return std::get<Waiting>(fate).ticket;
}

TEST(QueueController, AdmitsWithinTheBudgetThenQueuesInOrder) {
  QueueController controller(options(2), kStart);
  EXPECT_TRUE(std::holds_alternative<Admitted>(controller.arrive(kStart)));
  EXPECT_TRUE(std::holds_alternative<Admitted>(controller.arrive(kStart)));
  const auto first = controller.arrive(kStart);
  const auto second = controller.arrive(kStart);
  ASSERT_TRUE(std::holds_alternative<Waiting>(first));
  EXPECT_EQ(std::get<Waiting>(first).position, 1u);
  EXPECT_EQ(std::get<Waiting>(second).position, 2u);
  EXPECT_LT(ticket_of(first), ticket_of(second));
  // The wait announced grows with the place: two per second, so the second waits a second.
  EXPECT_EQ(std::get<Waiting>(second).estimated_wait, 1000ms);
}

TEST(QueueController, NobodyJumpsTheQueueEvenWithBudgetLeft) {
  QueueController controller(options(1), kStart);
  controller.arrive(kStart);                       // spends the budget
  const auto waiting = controller.arrive(kStart);  // queued
  controller.tick(kStart + 250ms, kCalm);          // a quarter token: not enough
  controller.tick(kStart + 2s, kCalm);             // now there is budget: it goes to the queue
  const auto late = controller.arrive(kStart + 2s);
  EXPECT_TRUE(std::holds_alternative<Waiting>(late));
  EXPECT_TRUE(std::holds_alternative<Admitted>(controller.poll(ticket_of(waiting), kStart + 2s)));
}

TEST(QueueController, AnAdmittedTicketIsRedeemedOnce) {
  QueueController controller(options(1), kStart);
  controller.arrive(kStart);
  const auto ticket = ticket_of(controller.arrive(kStart));
  EXPECT_TRUE(std::holds_alternative<Waiting>(controller.poll(ticket, kStart + 100ms)));
  controller.tick(kStart + 1s, kCalm);
  EXPECT_TRUE(std::holds_alternative<Admitted>(controller.poll(ticket, kStart + 1s)));
  EXPECT_TRUE(std::holds_alternative<UnknownTicket>(controller.poll(ticket, kStart + 1s)));
  EXPECT_TRUE(std::holds_alternative<UnknownTicket>(controller.poll(ticket + 100, kStart + 1s)));
  EXPECT_TRUE(std::holds_alternative<UnknownTicket>(controller.poll(0, kStart + 1s)));
}

TEST(QueueController, PollingMovesTheHolderForwardAsTheQueueDrains) {
  QueueController controller(options(1), kStart);
  controller.arrive(kStart);
  controller.arrive(kStart);
  const auto last = ticket_of(controller.arrive(kStart));
  EXPECT_EQ(std::get<Waiting>(controller.poll(last, kStart)).position, 2u);
  controller.tick(kStart + 1s, kCalm);
  EXPECT_EQ(std::get<Waiting>(controller.poll(last, kStart + 1s)).position, 1u);
}

TEST(QueueController, StaleTicketsAreSkippedWithoutSpendingTheBudget) {
  auto settings = options(1);
  settings.ticket_stale_after = 10s;
  QueueController controller(settings, kStart);
  controller.arrive(kStart);
  const auto gone = ticket_of(controller.arrive(kStart));
  const auto present = ticket_of(controller.arrive(kStart + 9s));
  controller.poll(present, kStart + 11s);
  controller.tick(kStart + 11s, kCalm);  // one token: the absent one is skipped for free
  EXPECT_TRUE(std::holds_alternative<Admitted>(controller.poll(present, kStart + 11s)));
  EXPECT_TRUE(std::holds_alternative<UnknownTicket>(controller.poll(gone, kStart + 11s)));
  EXPECT_EQ(controller.stats().tickets_skipped_stale, 1u);
}

TEST(QueueController, OverloadCutsTheRateOncePerHoldoff) {
  QueueController controller(options(100), kStart);
  Signals slow;
  slow.latency_p95 = 400ms;
  controller.tick(kStart + 250ms, slow);
  EXPECT_DOUBLE_EQ(controller.stats().rate, 75);
  controller.tick(kStart + 500ms, slow);  // within the holdoff: no second cut yet
  EXPECT_DOUBLE_EQ(controller.stats().rate, 75);
  Signals stuck_pool;
  stuck_pool.pool_delay = 80ms;
  controller.tick(kStart + 1500ms, stuck_pool);
  EXPECT_DOUBLE_EQ(controller.stats().rate, 56.25);
  Signals lagging;
  lagging.loop_lag = 90ms;
  controller.tick(kStart + 2600ms, lagging);
  EXPECT_NEAR(controller.stats().rate, 42.1875, 1e-9);
  EXPECT_EQ(controller.stats().overload_decreases, 3u);
  // Each cut is put down to the signal that was over its target.
  EXPECT_EQ(controller.stats().decreases_latency, 1u);
  EXPECT_EQ(controller.stats().decreases_pool_delay, 1u);
  EXPECT_EQ(controller.stats().decreases_loop_lag, 1u);
}

TEST(QueueController, GrowsOnlyWhenVisitorsWereHeldBack) {
  QueueController controller(options(10), kStart);
  controller.tick(kStart + 250ms, kCalm);
  EXPECT_DOUBLE_EQ(controller.stats().rate, 10);  // idle: nothing learnt
  for (int i = 0; i < 20; ++i) {
    controller.arrive(kStart + 250ms);
  }
  controller.tick(kStart + 500ms, kCalm);
  EXPECT_DOUBLE_EQ(controller.stats().rate, 11);  // slow start: +10 % a tick
  Signals slow;
  slow.latency_p95 = 1s;
  controller.tick(kStart + 750ms, slow);
  EXPECT_DOUBLE_EQ(controller.stats().rate, 8.25);
  for (int i = 0; i < 20; ++i) {
    controller.arrive(kStart + 750ms);
  }
  controller.tick(kStart + 1s, kCalm);
  EXPECT_DOUBLE_EQ(controller.stats().rate, 8.25 * 1.02);  // past the last overload: +2 %
}

TEST(QueueController, LongWaitsAreForecastWithTheCapacityFoundNotTheMomentsPace) {
  QueueController controller(options(100), kStart);
  Signals slow;
  slow.latency_p95 = 400ms;
  controller.tick(kStart + 250ms, slow);   // overload found at 100/s: cut to 75
  controller.tick(kStart + 1500ms, slow);  // and again: 56.25/s, the capacity found ~ 100/s
  for (int i = 0; i < 200; ++i) {
    controller.arrive(kStart + 1500ms);  // the budget spent, then a queue
  }
  const auto far = std::get<Waiting>(controller.arrive(kStart + 1500ms));
  const double pace = controller.stats().drain_rate;
  ASSERT_LT(pace, 70);
  const double announced = std::chrono::duration<double>(far.estimated_wait).count();
  // The rate regrows from the pace towards the middle of the saw-tooth under the capacity found
  // (the highest rate cut, 100, times (1 + 0.75) / 2): faster than the pace, slower than the
  // capacity.
  EXPECT_LT(announced, static_cast<double>(far.position) / pace);
  EXPECT_GT(announced, static_cast<double>(far.position) / 100);
  // A short wait is the pace's.
  QueueController calm(options(2), kStart);
  calm.arrive(kStart);
  calm.arrive(kStart);
  calm.arrive(kStart);
  EXPECT_EQ(std::get<Waiting>(calm.arrive(kStart)).estimated_wait, 1000ms);
}

TEST(QueueController, PriorityVisitorsPayFromTheBudget) {
  QueueController controller(options(1), kStart);
  controller.admit_priority();
  controller.admit_priority();  // one more than the budget: a debt
  const auto fate = controller.arrive(kStart);
  EXPECT_TRUE(std::holds_alternative<Waiting>(fate));
  controller.tick(kStart + 1s, kCalm);  // the debt is repaid first
  EXPECT_TRUE(std::holds_alternative<Waiting>(controller.poll(ticket_of(fate), kStart + 1s)));
  controller.tick(kStart + 2s, kCalm);
  EXPECT_TRUE(std::holds_alternative<Admitted>(controller.poll(ticket_of(fate), kStart + 2s)));
  EXPECT_EQ(controller.stats().admitted_priority, 2u);
}

TEST(QueueController, OperatorCapsHold) {
  auto settings = options(100);
  settings.max_new_per_minute = 60;
  QueueController capped(settings, kStart);
  EXPECT_DOUBLE_EQ(capped.stats().rate, 1);

  auto active = options(100);
  active.max_active_users = 10;
  QueueController full(active, kStart);
  Signals crowd;
  crowd.active_users = 10;
  full.tick(kStart + 250ms, crowd);
  while (std::holds_alternative<Admitted>(full.arrive(kStart + 250ms))) {
  }
  full.tick(kStart + 5s, crowd);
  EXPECT_EQ(full.stats().admitted_from_queue, 0u);
  full.tick(kStart + 6s, kCalm);
  EXPECT_EQ(full.stats().admitted_from_queue, 1u);
}

TEST(QueueController, AFullQueueSaysSo) {
  auto settings = options(1);
  settings.max_queue = 2;
  QueueController controller(settings, kStart);
  controller.arrive(kStart);
  controller.arrive(kStart);
  controller.arrive(kStart);
  EXPECT_TRUE(std::holds_alternative<QueueFull>(controller.arrive(kStart)));
  EXPECT_EQ(controller.stats().queue_full, 1u);
}

AdmissionKey key_of(unsigned char fill) {
  AdmissionKey key{};
  key.fill(fill);
  return key;
}

TEST(AdmissionTokens, TicketsRoundTripAndRefuseEveryTampering) {
  const AdmissionKey key = key_of(7);
  const Ticket ticket{42, 123456789, 1'700'000'000'000, 61'000};
  const std::string text = encode_ticket(ticket, key);
  const auto decoded = decode_ticket(text, key);
  ASSERT_TRUE(decoded);
  EXPECT_EQ(decoded->epoch, 42u);
  EXPECT_EQ(decoded->number, 123456789u);
  EXPECT_EQ(decoded->issued_ms, 1'700'000'000'000);
  EXPECT_EQ(decoded->announced_wait_ms, 61'000u);
  for (std::size_t i = 0; i < text.size(); ++i) {
    std::string tampered = text;
    tampered[i] = tampered[i] == 'A' ? 'B' : 'A';
    EXPECT_FALSE(decode_ticket(tampered, key)) << "byte " << i;
  }
  EXPECT_FALSE(decode_ticket(text, key_of(8)));
  EXPECT_FALSE(decode_ticket(text + "A", key));
  EXPECT_FALSE(decode_ticket("", key));
}

TEST(AdmissionTokens, PassesExpireAndAreNotTickets) {
  const AdmissionKey key = key_of(9);
  const Pass pass{99, 1000, 2000};
  const std::string text = encode_pass(pass, key);
  ASSERT_TRUE(decode_pass(text, key, 1999));
  EXPECT_EQ(decode_pass(text, key, 1999)->id, 99u);
  EXPECT_FALSE(decode_pass(text, key, 2000));
  EXPECT_FALSE(decode_ticket(text, key));
  EXPECT_FALSE(decode_pass(encode_ticket(Ticket{1, 2, 3, 4}, key), key, 0));
}

TEST(RateLimiter, RefusesPastTheBurstAndRefills) {
  RateLimiter limiter({10, 5});
  std::chrono::milliseconds retry{0};
  const auto now = std::chrono::steady_clock::time_point() + 1h;
  for (int i = 0; i < 5; ++i) {
    EXPECT_TRUE(limiter.take(1, now, retry));
  }
  EXPECT_FALSE(limiter.take(1, now, retry));
  EXPECT_EQ(retry, 100ms);
  EXPECT_TRUE(limiter.take(2, now, retry));  // another key has its own bucket
  EXPECT_TRUE(limiter.take(1, now + 100ms, retry));
  limiter.forget_idle(now + 10s);
  EXPECT_EQ(limiter.tracked(), 0u);
  RateLimiter unlimited({0, 0});
  for (int i = 0; i < 1000; ++i) {
    EXPECT_TRUE(unlimited.take(1, now, retry));
  }
}

TEST(LatencyWindow, GivesAPercentileAndStartsAgain) {
  LatencyWindow window;
  EXPECT_EQ(window.take(0.95).count(), 0);
  for (int i = 0; i < 95; ++i) {
    window.record(1ms);
  }
  for (int i = 0; i < 5; ++i) {
    window.record(500ms);
  }
  const auto p95 = window.take(0.95);
  EXPECT_GE(p95, 1ms);
  EXPECT_LT(p95, 1200us);
  window.record(500ms);
  EXPECT_GE(window.take(0.95), 500ms);
  EXPECT_EQ(window.take(0.95).count(), 0);
}

}  // namespace
}  // namespace cartable::admission
