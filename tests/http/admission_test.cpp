// The waiting room against the real server: tickets in order, F5 keeps the place, forged and
// replayed tickets do not help, people inside and teachers go on, API clients get 503 with
// Retry-After, maintenance and rate limits. Rates are set so low that nothing moves by itself
// during a test, or high enough that a poll loop ends within seconds.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cstdlib>
#include <fstream>
#include <thread>

#include "test_server.hpp"

namespace cartable::testing {
namespace {

namespace beast_http = boost::beast::http;
using namespace std::chrono_literals;

// The queue barely moves: one visitor every ten seconds, and nobody is let in at first.
std::vector<std::string> frozen_queue(std::vector<std::string> more = {}) {
  std::vector<std::string> flags = {
      "--admission",          "on",  "--admission-initial-rate", "0.1",
      "--admission-min-rate", "0.1", "--admission-max-rate",     "0.1"};
  flags.insert(flags.end(), more.begin(), more.end());
  return flags;
}

// name=value of every cookie the reply sets.
std::map<std::string, std::string> cookies_set(const Reply& reply) {
  std::map<std::string, std::string> cookies;
  const auto [first, last] = reply.message.equal_range(beast_http::field::set_cookie);
  for (auto field = first; field != last; ++field) {
    const std::string text(field->value());
    const std::size_t equals = text.find('=');
    const std::size_t end = text.find(';');
    cookies[text.substr(0, equals)] = text.substr(equals + 1, end - equals - 1);
  }
  return cookies;
}

Reply visit(const TestServer& server, const std::string& cookie = {},
            const std::string& target = "/") {
  std::map<std::string, std::string> headers{{"Accept", "text/html"}};
  if (!cookie.empty()) {
    headers["Cookie"] = cookie;
  }
  return server.request(beast_http::verb::get, target, {}, nullptr, headers);
}

int position_of(const Reply& reply) {
  return std::stoi(reply.header("X-Cartable-Queue-Position"));
}

std::string temporary_file(const std::string& name) {
  return (std::filesystem::temp_directory_path() /
          (name + "-" + std::to_string(::getpid()) + ".csv"))
      .string();
}

// login -> cookie value, from `cartable demo --sessions`.
std::map<std::string, std::string> read_sessions(const std::string& file) {
  std::map<std::string, std::string> sessions;
  std::ifstream in(file);
  std::string line;
  std::getline(in, line);
  while (std::getline(in, line)) {
    const std::size_t comma = line.find(',');
    sessions[line.substr(0, comma)] = line.substr(comma + 1);
  }
  return sessions;
}

TEST(WaitingRoom, TicketsAreOrderedAndF5KeepsThePlace) {
  TestServer server(frozen_queue());
  const Reply first = visit(server);
  const Reply second = visit(server);
  const Reply third = visit(server);
  for (const Reply* reply : {&first, &second, &third}) {
    EXPECT_EQ(reply->status, 200);
    EXPECT_EQ(reply->header("X-Cartable-Waiting-Room"), "1");
    EXPECT_EQ(reply->header("Cache-Control"), "no-store");
    EXPECT_NE(reply->message.body().find("/waiting-room.js"), std::string::npos);
    EXPECT_FALSE(reply->header("X-Cartable-Queue-Poll").empty());
  }
  EXPECT_LT(position_of(first), position_of(second));
  EXPECT_LT(position_of(second), position_of(third));
  EXPECT_LE(std::stoi(first.header("X-Cartable-Queue-Wait")),
            std::stoi(third.header("X-Cartable-Queue-Wait")));

  const std::string ticket = "cartable_ticket=" + cookies_set(second).at("cartable_ticket");
  const Reply again = visit(server, ticket);
  EXPECT_EQ(again.header("X-Cartable-Waiting-Room"), "1");
  EXPECT_EQ(position_of(again), position_of(second));
  EXPECT_TRUE(cookies_set(again).empty()) << "F5 keeps the same ticket";

  const Reply polled =
      server.request(beast_http::verb::get, "/api/queue", {}, nullptr, {{"Cookie", ticket}});
  EXPECT_EQ(polled.status, 200);
  EXPECT_EQ(polled.json().at("status"), "waiting");
  EXPECT_EQ(polled.json().at("position").as_int64(), position_of(second));
  EXPECT_GT(polled.json().at("poll_after_ms").as_int64(), 0);
}

TEST(WaitingRoom, AForgedTicketGoesToTheBack) {
  TestServer server(frozen_queue());
  const Reply first = visit(server);
  const Reply second = visit(server);
  std::string forged = cookies_set(first).at("cartable_ticket");
  forged[forged.size() / 2] = forged[forged.size() / 2] == 'A' ? 'B' : 'A';
  const Reply reply = visit(server, "cartable_ticket=" + forged);
  EXPECT_EQ(reply.header("X-Cartable-Waiting-Room"), "1");
  EXPECT_GT(position_of(reply), position_of(second));
  EXPECT_EQ(cookies_set(reply).count("cartable_ticket"), 1u) << "a new ticket, at the back";
}

TEST(WaitingRoom, ApiClientsGet503WithRetryAfterAndTheirPlace) {
  TestServer server(frozen_queue());
  const Reply reply = server.request(beast_http::verb::get, "/api/me/today");
  EXPECT_EQ(reply.status, 503);
  EXPECT_FALSE(reply.header("Retry-After").empty());
  EXPECT_GE(std::stoi(reply.header("Retry-After")), 1);
  const auto body = reply.json();
  EXPECT_EQ(body.at("error").at("code"), "waiting_room");
  EXPECT_GE(body.at("queue").at("position").as_int64(), 1);
  EXPECT_GE(body.at("queue").at("estimated_wait_seconds").as_int64(), 1);
  EXPECT_EQ(cookies_set(reply).count("cartable_ticket"), 1u);
}

TEST(WaitingRoom, TeachersAndPassHoldersGoOnWhilePupilsWait) {
  const std::string sessions_file = temporary_file("admission-sessions");
  TestServer server(frozen_queue({"--sessions", sessions_file}));
  const auto sessions = read_sessions(sessions_file);
  std::filesystem::remove(sessions_file);
  const std::string teacher = sessions.at(server.account("teacher").login);
  const std::string pupil = sessions.at(server.account("pupil").login);

  const Reply pupil_reply = server.request(beast_http::verb::get, "/api/me", {}, nullptr,
                                           {{"Cookie", "cartable_session=" + pupil}});
  EXPECT_EQ(pupil_reply.status, 503) << "a remembered pupil still queues at 8:00";

  const Reply teacher_reply = server.request(beast_http::verb::get, "/api/me", {}, nullptr,
                                             {{"Cookie", "cartable_session=" + teacher}});
  EXPECT_EQ(teacher_reply.status, 200) << "teachers come first";
  const std::string pass = cookies_set(teacher_reply).at("cartable_pass");
  ASSERT_FALSE(pass.empty());

  // Anyone holding a pass is inside and stays so, queue or not.
  const Reply inside =
      server.request(beast_http::verb::get, "/api/me/today", {}, nullptr,
                     {{"Cookie", "cartable_pass=" + pass + "; cartable_session=" + pupil}});
  EXPECT_EQ(inside.status, 200);
  const Reply shell = visit(server, "cartable_pass=" + pass);
  EXPECT_EQ(shell.status, 200);
  EXPECT_TRUE(shell.header("X-Cartable-Waiting-Room").empty());
  // A forged pass is no pass.
  std::string forged = pass;
  forged[3] = forged[3] == 'A' ? 'B' : 'A';
  EXPECT_EQ(visit(server, "cartable_pass=" + forged).header("X-Cartable-Waiting-Room"), "1");
  // The waiting room's own files and the operators' routes are never queued.
  EXPECT_EQ(server.request(beast_http::verb::get, "/waiting-room.js").status, 200);
  EXPECT_EQ(server.request(beast_http::verb::get, "/healthz").status, 200);
  EXPECT_EQ(server.request(beast_http::verb::get, "/status").status, 200);
  EXPECT_EQ(server.request(beast_http::verb::get, "/status.js").status, 200);
  // The waiting room's answers are counted apart from the routes' own errors.
  const std::string metrics = server.request(beast_http::verb::get, "/metrics").message.body();
  EXPECT_NE(metrics.find("cartable_http_requests_total{route=\"admission\",code=\"5xx\"} "),
            std::string::npos);
}

TEST(WaitingRoom, AdmissionComesInOrderAndATicketIsRedeemedOnce) {
  TestServer server({"--admission", "on", "--admission-initial-rate", "1", "--admission-min-rate",
                     "1", "--admission-max-rate", "1"});
  const Reply first = visit(server);
  EXPECT_EQ(cookies_set(first).count("cartable_pass"), 1u) << "the first is let in at once";
  const Reply second = visit(server);
  ASSERT_EQ(second.header("X-Cartable-Waiting-Room"), "1");
  const std::string ticket = "cartable_ticket=" + cookies_set(second).at("cartable_ticket");

  std::string pass;
  for (int attempt = 0; attempt < 100 && pass.empty(); ++attempt) {
    const Reply polled =
        server.request(beast_http::verb::get, "/api/queue", {}, nullptr, {{"Cookie", ticket}});
    ASSERT_EQ(polled.status, 200);
    if (polled.json().at("status") == "admitted") {
      const auto cookies = cookies_set(polled);
      pass = cookies.at("cartable_pass");
      EXPECT_EQ(cookies.at("cartable_ticket"), "") << "the ticket is cleared";
    } else {
      std::this_thread::sleep_for(100ms);
    }
  }
  ASSERT_FALSE(pass.empty()) << "admitted within ten seconds at one a second";
  EXPECT_EQ(visit(server, "cartable_pass=" + pass).status, 200);

  // The same ticket again (a copy, or a replay) is a new visitor: a new ticket, not a pass.
  const Reply replayed =
      server.request(beast_http::verb::get, "/api/queue", {}, nullptr, {{"Cookie", ticket}});
  const auto cookies = cookies_set(replayed);
  EXPECT_EQ(cookies.count("cartable_pass") + cookies.count("cartable_ticket"), 1u);
  if (cookies.count("cartable_ticket") == 1) {
    EXPECT_NE(cookies.at("cartable_ticket"), ticket.substr(ticket.find('=') + 1));
  }
  const Reply metrics = server.request(beast_http::verb::get, "/metrics");
  EXPECT_NE(metrics.message.body().find("cartable_admission_tickets_total{event=\"redeemed\"} 1"),
            std::string::npos);
  EXPECT_NE(metrics.message.body().find("cartable_admission_wait_seconds_count 1"),
            std::string::npos);
}

TEST(WaitingRoom, MaintenanceAnswersEveryoneButOperators) {
  TestServer server({"--admission", "on", "--maintenance", "Retour à 9 h <b>"});
  const Reply page = visit(server);
  EXPECT_EQ(page.status, 503);
  EXPECT_NE(page.message.body().find("Retour à 9 h &lt;b&gt;"), std::string::npos);
  EXPECT_FALSE(page.header("Retry-After").empty());
  const Reply api = server.request(beast_http::verb::get, "/api/me");
  EXPECT_EQ(api.status, 503);
  EXPECT_EQ(api.json().at("error").at("code"), "maintenance");
  EXPECT_EQ(server.request(beast_http::verb::get, "/healthz").status, 200);
}

TEST(RateLimits, AnAddressOverItsBudgetGets429WithRetryAfter) {
  TestServer server({"--rate-limit-per-address", "1"});  // a burst of 10, then one a second
  int refused = 0;
  Reply last;
  for (int i = 0; i < 12; ++i) {
    last = server.request(beast_http::verb::get, "/api/me");
    refused += last.status == 429 ? 1 : 0;
  }
  EXPECT_GE(refused, 1);
  EXPECT_EQ(last.status, 429);
  EXPECT_EQ(last.json().at("error").at("code"), "rate_limited");
  EXPECT_GE(std::stoi(last.header("Retry-After")), 1);
  EXPECT_EQ(server.request(beast_http::verb::get, "/healthz").status, 200) << "operators exempt";
}

TEST(RateLimits, OneSessionOverItsBudgetGets429) {
  TestServer server({"--rate-limit-per-session", "1"});
  const Client client = server.sign_in(server.account("pupil"));
  int refused = 0;
  for (int i = 0; i < 12; ++i) {
    refused += server.request(beast_http::verb::get, "/api/me", {}, &client).status == 429;
  }
  EXPECT_GE(refused, 1);
}

}  // namespace
}  // namespace cartable::testing
