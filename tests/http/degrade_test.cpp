// When the database cannot take a write (another process holds its write lock past the busy
// timeout), the write answers 503 store_unavailable with Retry-After, and nothing is written.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <boost/json.hpp>

#include "test_server.hpp"

namespace cartable::testing {
namespace {

namespace beast_http = boost::beast::http;

TEST(Degrade, AWriteTheDatabaseCannotTakeIs503AndChangesNothing) {
  TestServer server;
  const Client teacher = server.sign_in(server.account("teacher"));
  const auto me = server.request(beast_http::verb::get, "/api/me", {}, &teacher).json();
  const auto& teaching = me.at("teaching").at(0);
  const std::string body =
      boost::json::serialize(boost::json::object{{"class_id", teaching.at("class").at("id")},
                                                 {"subject_id", teaching.at("subject").at("id")},
                                                 {"title", "Pendant la panne"},
                                                 {"body", ""},
                                                 {"due_date", "2026-11-25"}});

  sqlite3* blocker = nullptr;
  ASSERT_EQ(sqlite3_open((server.data_directory() / "cartable.db").c_str(), &blocker), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(blocker, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
  const Reply refused = server.request(beast_http::verb::post, "/api/homework", body, &teacher);
  sqlite3_exec(blocker, "ROLLBACK", nullptr, nullptr, nullptr);
  sqlite3_close(blocker);

  EXPECT_EQ(refused.status, 503);
  EXPECT_EQ(refused.json().at("error").at("code"), "store_unavailable");
  EXPECT_GE(std::stoi(refused.header("Retry-After")), 1);
  const Reply listed = server.request(beast_http::verb::get, "/api/homework?mine=1", {}, &teacher);
  EXPECT_EQ(listed.message.body().find("Pendant la panne"), std::string::npos);
  // Reads went on meanwhile and the next write succeeds.
  EXPECT_EQ(server.request(beast_http::verb::post, "/api/homework", body, &teacher).status, 201);
}

}  // namespace
}  // namespace cartable::testing
