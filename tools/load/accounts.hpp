// The demo's people, as `cartable demo --accounts` and `--sessions` write them: one CSV of
// login,password,role,school,class and one of login,session ("stay signed in" cookies).
#pragma once

#include <string>
#include <vector>

namespace cartable::load {

struct Account {
  std::string login;
  std::string password;
  std::string role;
  std::string school;
  std::string class_name;
  std::string session;  // remembered from yesterday, when the sessions file has one
};

// The fields of one CSV line (RFC 4180 quoting).
std::vector<std::string> csv_fields(const std::string& line);

// Reads the accounts and, when sessions_file is not empty, their sessions; throws
// std::invalid_argument naming the file it cannot read.
std::vector<Account> read_accounts(const std::string& accounts_file,
                                   const std::string& sessions_file);

}  // namespace cartable::load
