// Wires the whole server from its configuration and runs it until SIGTERM/SIGINT.
#pragma once

#include <functional>
#include <memory>

#include "app/config.hpp"
#include "common/clock.hpp"
#include "store/database.hpp"

namespace cartable::app {

// The clock --now asks for, or the system clock. Throws std::invalid_argument on a bad --now.
std::unique_ptr<Clock> make_clock(const ServeConfig& config);

// Opens (creating) the data directory's database.
std::unique_ptr<Database> open_database(const ServeConfig& config);

// Serves until drained. `on_listening` runs once every listener is bound (the banner). Returns the
// process exit code; throws std::runtime_error with a message for the operator on bad
// configuration (refused plain HTTP address, unreadable certificate, port in use...).
int serve(const ServeConfig& config, Database& database, const Clock& clock,
          const std::function<void(const std::vector<std::string>& urls)>& on_listening);

}  // namespace cartable::app
