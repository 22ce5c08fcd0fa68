// Everyone of a demo server signed in once, with what /api/me says about them (school, class,
// children's classes, classes taught): lets a test pick "a teacher of this pupil's class", "a
// parent in another school" and so on. Header-only, shared by the messages and announcements tests.
#pragma once

#include <boost/json.hpp>
#include <functional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "test_server.hpp"

namespace cartable::testing {

struct Member {
  Account account;
  Client client;
  std::int64_t id = 0;
  std::int64_t school_id = 0;
  std::int64_t class_id = 0;             // pupils
  std::set<std::int64_t> child_classes;  // parents
  std::set<std::int64_t> child_ids;      // parents
  std::set<std::int64_t> taught;         // teachers: classes they teach
  std::string role() const { return account.role; }
};

class Directory {
 public:
  explicit Directory(const TestServer& server) {
    for (const Account& account : server.accounts()) {
      Member member;
      member.account = account;
      member.client = server.sign_in(account);
      const boost::json::value me =
          server.request(boost::beast::http::verb::get, "/api/me", {}, &member.client).json();
      const auto& user = me.at("user");
      member.id = user.at("id").as_int64();
      member.school_id = user.at("school").at("id").as_int64();
      if (user.at("class").is_object()) {
        member.class_id = user.at("class").at("id").as_int64();
      }
      for (const auto& child : me.at("children").as_array()) {
        member.child_classes.insert(child.at("class").at("id").as_int64());
        member.child_ids.insert(child.at("id").as_int64());
      }
      for (const auto& teaching : me.at("teaching").as_array()) {
        member.taught.insert(teaching.at("class").at("id").as_int64());
      }
      members_.push_back(std::move(member));
    }
  }

  const Member& find(const std::function<bool(const Member&)>& wanted,
                     const std::string& what) const {
    for (const Member& member : members_) {
      if (wanted(member)) {
        return member;
      }
    }
    throw std::runtime_error("no member: " + what);
  }
  std::vector<const Member*> all(const std::function<bool(const Member&)>& wanted) const {
    std::vector<const Member*> result;
    for (const Member& member : members_) {
      if (wanted(member)) {
        result.push_back(&member);
      }
    }
    return result;
  }
  const std::vector<Member>& members() const { return members_; }

 private:
  std::vector<Member> members_;
};

}  // namespace cartable::testing
