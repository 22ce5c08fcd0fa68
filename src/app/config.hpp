// Configuration of `cartable serve` and `cartable demo`: flags, CARTABLE_* environment variables
// and an optional config file (--config, INI or TOML), in that order of precedence.
#pragma once

#include <CLI/CLI.hpp>
#include <filesystem>
#include <string>
#include <vector>

#include "admission/options.hpp"
#include "common/limits.hpp"
#include "files/options.hpp"
#include "guard/password.hpp"
#include "messages/send_limiter.hpp"

namespace cartable::app {

struct ServeConfig {
  std::vector<std::string> listen{"127.0.0.1:8080"};
  std::vector<std::string> redirect_listen;  // plain HTTP listeners that redirect to HTTPS
  std::filesystem::path data{"var"};
  std::size_t threads = 0;  // 0: one per core
  std::size_t db_threads = 2;
  std::size_t hash_threads = 0;  // 0: one per core
  std::string tls_cert;
  std::string tls_key;
  bool behind_proxy = false;
  std::filesystem::path web_root;  // empty: found next to the binary or in ./web/dist
  std::string now;                 // fixed start of the clock (ISO 8601), for demos and tests
  std::filesystem::path port_file;
  std::string log_level = "info";
  guard::PasswordCost password_cost;
  Limits limits;
  admission::GateOptions admission;
  // Build the class days this long before each start of lessons (0: off).
  std::chrono::minutes prewarm_lead{5};
  files::FileLimits files;
  std::size_t file_threads = 2;  // disk work of uploads and downloads
  // New conversations and messages one person may send a minute (0: unlimited).
  int messages_per_minute = messages::kDefaultMessagesPerMinute;
  // Live lessons.
  std::size_t live_rooms_per_teacher = 3;
  double live_joins_per_second = 2000;  // paced joins (0: unpaced)
  double live_join_burst = 200;
  // With several processes: how clients reach this one's live sockets (docs/live.md).
  std::string advertise_url;
};

// Adds the serve options to `command`; `config` receives them when parsed. Limits get their
// flags in their natural units (bytes, milliseconds, counts).
void add_serve_options(CLI::App& command, ServeConfig& config);

// The instant written as "2026-11-23T07:45:00Z" or with an offset "+01:00"; nullopt if malformed.
std::optional<std::int64_t> parse_instant(std::string_view text);

}  // namespace cartable::app
