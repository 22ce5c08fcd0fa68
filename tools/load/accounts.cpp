#include "accounts.hpp"

#include <fstream>
#include <map>
#include <stdexcept>

namespace cartable::load {

std::vector<std::string> csv_fields(const std::string& line) {
  std::vector<std::string> fields(1);
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted && c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
      fields.back() += '"';
      ++i;
    } else if (c == '"') {
      quoted = !quoted;
    } else if (c == ',' && !quoted) {
      fields.emplace_back();
    } else {
      fields.back() += c;
    }
  }
  return fields;
}

std::vector<Account> read_accounts(const std::string& accounts_file,
                                   const std::string& sessions_file) {
  std::ifstream accounts(accounts_file);
  if (!accounts) {
    throw std::invalid_argument("--accounts " + accounts_file + ": cannot read it");
  }
  std::map<std::string, std::string> sessions;
  if (!sessions_file.empty()) {
    std::ifstream in(sessions_file);
    if (!in) {
      throw std::invalid_argument("--sessions " + sessions_file + ": cannot read it");
    }
    std::string line;
    std::getline(in, line);
    while (std::getline(in, line)) {
      const auto fields = csv_fields(line);
      if (fields.size() == 2) {
        sessions[fields[0]] = fields[1];
      }
    }
  }
  std::vector<Account> people;
  std::string line;
  std::getline(accounts, line);
  while (std::getline(accounts, line)) {
    const auto fields = csv_fields(line);
    if (fields.size() < 5) {
      continue;
    }
    Account person{fields[0], fields[1], fields[2], fields[3], fields[4], {}};
    if (const auto found = sessions.find(person.login); found != sessions.end()) {
      person.session = found->second;
    }
    people.push_back(std::move(person));
  }
  return people;
}

}  // namespace cartable::load
