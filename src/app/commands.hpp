// The subcommands of `cartable` other than plain serving: import, demo, admin.
#pragma once

#include <filesystem>
#include <string>

#include "app/config.hpp"
#include "demo/generator.hpp"

namespace cartable::app {

struct ImportOptions {
  std::filesystem::path file;
  bool dry_run = false;
};

// Validates the whole file, prints every bad line, and writes all or nothing. Exit code: 0 on
// success (also when nothing changed), 1 when the file has errors, 2 when it cannot be read.
int import_roster(const ServeConfig& config, const ImportOptions& options);

struct DemoConfig {
  int schools = 1;
  int classes_per_school = 12;
  int pupils_per_class = 28;
  double parents = 1.0;
  std::uint64_t seed = 2021;
  std::filesystem::path accounts_file;  // write every account as CSV
  // Write a "stay signed in" session opened yesterday for every account (load tests: pupils who
  // come back in the morning without typing their password).
  std::filesystem::path sessions_file;
  bool fresh = false;  // rebuild even if a matching demo exists
};

// Builds (or reuses) the demo database in config.data, with its homework worksheets (PDF) in
// config.data / "blobs", then serves it.
int run_demo(const ServeConfig& config, const DemoConfig& demo);

// Adds a new session signing key; older keys keep verifying until their sessions expire.
int rotate_session_keys(const ServeConfig& config);
// Sets a password read from standard input (one line).
int set_password(const ServeConfig& config, const std::string& login);

}  // namespace cartable::app
