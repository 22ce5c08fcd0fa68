#include "app/config.hpp"

#include "common/civil_time.hpp"

namespace cartable::app {

namespace {

void add_admission_options(CLI::App& command, admission::GateOptions& options) {
  admission::ControllerOptions& controller = options.controller;
  command
      .add_option_function<std::string>(
          "--admission", [&options](const std::string& value) { options.enabled = value == "on"; },
          "Waiting room and adaptive admission of new visitors")
      ->envname("CARTABLE_ADMISSION")
      ->check(CLI::IsMember({"on", "off"}))
      ->default_str("on");
  command
      .add_option("--admission-initial-rate", controller.initial_rate,
                  "New visitors admitted per second at start, before anything is measured")
      ->envname("CARTABLE_ADMISSION_INITIAL_RATE")
      ->check(CLI::Range(0.1, 1e6))
      ->capture_default_str();
  command
      .add_option("--admission-min-rate", controller.min_rate,
                  "New visitors admitted per second at least, however loaded")
      ->envname("CARTABLE_ADMISSION_MIN_RATE")
      ->check(CLI::Range(0.1, 1e6))
      ->capture_default_str();
  command
      .add_option("--admission-max-rate", controller.max_rate,
                  "New visitors admitted per second at most")
      ->envname("CARTABLE_ADMISSION_MAX_RATE")
      ->check(CLI::Range(0.1, 1e6))
      ->capture_default_str();
  const auto target = [&](const char* flag, const char* env, std::chrono::milliseconds& value,
                          const char* help) {
    command
        .add_option_function<std::int64_t>(
            flag, [&value](std::int64_t ms) { value = std::chrono::milliseconds(ms); }, help)
        ->envname(env)
        ->check(CLI::Range(std::int64_t{1}, std::int64_t{60'000}))
        ->default_str(std::to_string(value.count()));
  };
  target("--admission-latency-target-ms", "CARTABLE_ADMISSION_LATENCY_TARGET_MS",
         controller.latency_target, "p95 latency of admitted requests above which admission slows");
  target("--admission-pool-delay-target-ms", "CARTABLE_ADMISSION_POOL_DELAY_TARGET_MS",
         controller.pool_delay_target, "Standing queue delay of a work pool that means overload");
  target("--admission-loop-lag-target-ms", "CARTABLE_ADMISSION_LOOP_LAG_TARGET_MS",
         controller.loop_lag_target, "I/O event loop lag that means overload");
  command
      .add_option("--max-active-users", controller.max_active_users,
                  "Fixed cap: visitors active in the last 5 minutes (0: none)")
      ->envname("CARTABLE_MAX_ACTIVE_USERS")
      ->capture_default_str();
  command
      .add_option("--max-new-per-minute", controller.max_new_per_minute,
                  "Fixed cap: new visitors admitted per minute (0: none)")
      ->envname("CARTABLE_MAX_NEW_PER_MINUTE")
      ->check(CLI::Range(0.0, 1e9))
      ->capture_default_str();
  const auto bucket = [&](const char* flag, const char* env, admission::BucketOptions& value,
                          double burst_seconds, const char* help) {
    command
        .add_option_function<double>(
            flag,
            [&value, burst_seconds](double rate) {
              value.per_second = rate;
              value.burst = rate * burst_seconds;
            },
            help)
        ->envname(env)
        ->check(CLI::Range(0.0, 1e9))
        ->default_str(std::to_string(static_cast<long>(value.per_second)));
  };
  bucket("--rate-limit-per-address", "CARTABLE_RATE_LIMIT_PER_ADDRESS", options.per_address, 10,
         "Requests per second from one address (burst: 10 s worth; 0: unlimited); beyond: 429");
  bucket("--rate-limit-per-session", "CARTABLE_RATE_LIMIT_PER_SESSION", options.per_session, 10,
         "Requests per second from one session (burst: 10 s worth; 0: unlimited); beyond: 429");
  bucket("--tickets-per-address", "CARTABLE_TICKETS_PER_ADDRESS", options.tickets_per_address, 30,
         "New waiting-room places per second from one address (burst: 30 s worth); beyond: 429");
  command
      .add_option("--maintenance", options.maintenance_message,
                  "Maintenance mode: every page and API call answers 503 with this message")
      ->envname("CARTABLE_MAINTENANCE");
}

}  // namespace

void add_file_options(CLI::App& command, ServeConfig& config);
void add_live_options(CLI::App& command, ServeConfig& config);

void add_serve_options(CLI::App& command, ServeConfig& config) {
  command
      .add_option("--listen", config.listen,
                  "Address and port to serve on (repeatable). Plain HTTP only on loopback, unless "
                  "--tls-cert/--tls-key or --behind-proxy")
      ->envname("CARTABLE_LISTEN")
      ->capture_default_str();
  command
      .add_option("--redirect-http", config.redirect_listen,
                  "Address:port of a plain HTTP listener that redirects to HTTPS (repeatable)")
      ->envname("CARTABLE_REDIRECT_HTTP");
  command.add_option("--data", config.data, "Directory for the database, keys and files")
      ->envname("CARTABLE_DATA")
      ->capture_default_str();
  command.add_option("--threads", config.threads, "I/O threads (0: one per core)")
      ->envname("CARTABLE_THREADS")
      ->capture_default_str();
  command.add_option("--db-threads", config.db_threads, "Database reader threads")
      ->envname("CARTABLE_DB_THREADS")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  command
      .add_option("--hash-threads", config.hash_threads,
                  "Password hashing threads (0: one per core)")
      ->envname("CARTABLE_HASH_THREADS")
      ->capture_default_str();
  command.add_option("--tls-cert", config.tls_cert, "PEM certificate chain: serve HTTPS")
      ->envname("CARTABLE_TLS_CERT");
  command.add_option("--tls-key", config.tls_key, "PEM private key of --tls-cert")
      ->envname("CARTABLE_TLS_KEY");
  command
      .add_flag("--behind-proxy", config.behind_proxy,
                "Plain HTTP behind a TLS-terminating proxy: allow non-loopback addresses, send "
                "HSTS and Secure cookies")
      ->envname("CARTABLE_BEHIND_PROXY");
  command.add_option("--web-root", config.web_root, "Directory of the built web app")
      ->envname("CARTABLE_WEB_ROOT");
  command
      .add_option("--now", config.now,
                  "Start the clock at this instant (e.g. 2026-11-23T07:45:00Z); it runs on "
                  "from there. For demos and tests")
      ->envname("CARTABLE_NOW");
  command.add_option("--port-file", config.port_file,
                     "Write the first listener's port here once listening (for tests)");
  command.add_option("--log-level", config.log_level, "trace, debug, info, warn, error")
      ->envname("CARTABLE_LOG_LEVEL")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error"}))
      ->capture_default_str();
  command.add_option("--argon2-ops", config.password_cost.ops, "argon2id passes")
      ->envname("CARTABLE_ARGON2_OPS")
      ->check(CLI::Range(1, 16))
      ->capture_default_str();
  command.add_option("--argon2-mem-kib", config.password_cost.memory_kib, "argon2id memory (KiB)")
      ->envname("CARTABLE_ARGON2_MEM_KIB")
      ->check(CLI::Range(8, 4 * 1024 * 1024))
      ->capture_default_str();

  Limits& limits = config.limits;
  command
      .add_option("--max-header-bytes", limits.max_header_bytes,
                  "Request line and headers; larger: 431")
      ->envname("CARTABLE_MAX_HEADER_BYTES")
      ->check(CLI::Range(1024, 1024 * 1024))
      ->capture_default_str();
  command
      .add_option("--max-body-bytes", limits.max_body_bytes,
                  "Largest in-memory request body (routes set less; uploads have "
                  "--max-file-mib); larger: 413")
      ->envname("CARTABLE_MAX_BODY_BYTES")
      ->capture_default_str();
  command.add_option("--max-connections", limits.max_connections, "Open connections in total")
      ->envname("CARTABLE_MAX_CONNECTIONS")
      ->capture_default_str();
  command
      .add_option("--max-connections-per-ip", limits.max_connections_per_ip,
                  "Open connections from one address")
      ->envname("CARTABLE_MAX_CONNECTIONS_PER_IP")
      ->capture_default_str();
  command
      .add_option("--hash-queue", limits.hash_queue_capacity,
                  "Password checks waiting for the hash pool; beyond: 503")
      ->envname("CARTABLE_HASH_QUEUE")
      ->capture_default_str();
  command
      .add_option("--db-queue", limits.db_queue_capacity,
                  "Jobs waiting for each database pool; beyond: 503")
      ->envname("CARTABLE_DB_QUEUE")
      ->capture_default_str();
  const auto milliseconds = [&](const char* flag, const char* env,
                                std::chrono::milliseconds& target, const char* help) {
    command
        .add_option_function<std::int64_t>(
            flag, [&target](std::int64_t value) { target = std::chrono::milliseconds(value); },
            help)
        ->envname(env)
        ->check(CLI::Range(std::int64_t{1}, std::int64_t{3'600'000}))
        ->default_str(std::to_string(target.count()));
  };
  milliseconds("--head-deadline-ms", "CARTABLE_HEAD_DEADLINE_MS", limits.request_head_deadline,
               "From a request's first byte to its last header byte; slower: 408");
  milliseconds("--body-deadline-ms", "CARTABLE_BODY_DEADLINE_MS", limits.body_read_deadline,
               "From the end of the head to the last body byte; slower: 408");
  milliseconds("--idle-timeout-ms", "CARTABLE_IDLE_TIMEOUT_MS", limits.idle_timeout,
               "Close a keep-alive connection idle this long");
  milliseconds("--write-deadline-ms", "CARTABLE_WRITE_DEADLINE_MS", limits.write_deadline,
               "Drop a connection whose response takes longer to send");
  milliseconds("--drain-timeout-ms", "CARTABLE_DRAIN_TIMEOUT_MS", limits.drain_timeout,
               "On SIGTERM, how long in-flight requests may take to finish");
  add_admission_options(command, config.admission);
  command
      .add_option_function<std::int64_t>(
          "--prewarm-lead-minutes",
          [&config](std::int64_t minutes) { config.prewarm_lead = std::chrono::minutes(minutes); },
          "Build each class's day this long before its lessons start (0: off)")
      ->envname("CARTABLE_PREWARM_LEAD_MINUTES")
      ->check(CLI::Range(std::int64_t{0}, std::int64_t{120}))
      ->default_str(std::to_string(config.prewarm_lead.count()));
  add_file_options(command, config);
  add_live_options(command, config);
}

void add_live_options(CLI::App& command, ServeConfig& config) {
  command
      .add_option("--advertise-url", config.advertise_url,
                  "When several processes serve a region: how clients reach this one's live "
                  "lessons, put before their socket paths (ws://host:port, wss://host, or a path "
                  "such as /p/2 that the proxy routes here); empty: a single process")
      ->envname("CARTABLE_ADVERTISE_URL")
      ->check(
          [](const std::string& value) -> std::string {
            const bool path = value.starts_with('/') && !value.starts_with("//");
            const bool socket = value.starts_with("ws://") || value.starts_with("wss://");
            if (!path && !socket) {
              return "must start with ws://, wss:// or /";
            }
            if (value.ends_with('/') || value.find_first_of(" ?#\"\\") != std::string::npos) {
              return "no trailing slash, spaces, quotes, query or fragment";
            }
            return {};
          },
          "URL PREFIX");
  command
      .add_option("--live-rooms-per-teacher", config.live_rooms_per_teacher,
                  "Live lessons one teacher may run at once")
      ->envname("CARTABLE_LIVE_ROOMS_PER_TEACHER")
      ->check(CLI::Range(1, 100))
      ->capture_default_str();
  command
      .add_option("--live-joins-per-second", config.live_joins_per_second,
                  "Joins of live lessons let through a second; beyond, each joiner is given a "
                  "short delay before connecting (0: unpaced)")
      ->envname("CARTABLE_LIVE_JOINS_PER_SECOND")
      ->check(CLI::Range(0.0, 1e6))
      ->capture_default_str();
  command
      .add_option("--live-join-burst", config.live_join_burst,
                  "Joins let through at once after a quiet spell, before pacing starts")
      ->envname("CARTABLE_LIVE_JOIN_BURST")
      ->check(CLI::Range(0.0, 1e6))
      ->capture_default_str();
}

void add_file_options(CLI::App& command, ServeConfig& config) {
  const auto mebibytes = [&](const char* flag, const char* env, std::uint64_t& target,
                             const char* help) {
    command
        .add_option_function<std::uint64_t>(
            flag, [&target](std::uint64_t value) { target = value << 20; }, help)
        ->envname(env)
        ->check(CLI::Range(std::uint64_t{1}, std::uint64_t{1} << 30))
        ->default_str(std::to_string(target >> 20));
  };
  mebibytes("--max-file-mib", "CARTABLE_MAX_FILE_MIB", config.files.max_file_bytes,
            "Largest upload, in MiB; larger: 413");
  mebibytes("--user-quota-mib", "CARTABLE_USER_QUOTA_MIB", config.files.user_quota_bytes,
            "Files one person may store, in MiB");
  mebibytes("--school-quota-mib", "CARTABLE_SCHOOL_QUOTA_MIB", config.files.school_quota_bytes,
            "Files one school may store, in MiB");
  command.add_option("--file-threads", config.file_threads, "Threads for file reads and writes")
      ->envname("CARTABLE_FILE_THREADS")
      ->check(CLI::Range(1, 32))
      ->capture_default_str();
  command
      .add_option("--messages-per-minute", config.messages_per_minute,
                  "New conversations and messages one person may send a minute (0: unlimited); "
                  "beyond: 429")
      ->envname("CARTABLE_MESSAGES_PER_MINUTE")
      ->check(CLI::Range(0, 100000))
      ->capture_default_str();
}

std::optional<std::int64_t> parse_instant(std::string_view text) {
  // YYYY-MM-DDTHH:MM[:SS](Z|+HH:MM|-HH:MM)
  if (text.size() < 17 || (text[10] != 'T' && text[10] != ' ')) {
    return std::nullopt;
  }
  const auto date = parse_date(text.substr(0, 10));
  const auto minute = parse_minute_of_day(text.substr(11, 5));
  if (!date || !minute || *minute >= 24 * 60) {
    return std::nullopt;
  }
  std::string_view rest = text.substr(16);
  int seconds = 0;
  if (rest.size() >= 3 && rest[0] == ':') {
    const char tens = rest[1];
    const char units = rest[2];
    if (tens < '0' || tens > '5' || units < '0' || units > '9') {
      return std::nullopt;
    }
    seconds = (tens - '0') * 10 + (units - '0');
    rest.remove_prefix(3);
  }
  std::int64_t offset = 0;
  if (rest == "Z") {
    offset = 0;
  } else if (rest.size() == 6 && (rest[0] == '+' || rest[0] == '-')) {
    const auto offset_minutes = parse_minute_of_day(rest.substr(1));
    if (!offset_minutes) {
      return std::nullopt;
    }
    offset = (rest[0] == '+' ? 1 : -1) * *offset_minutes * 60;
  } else {
    return std::nullopt;
  }
  return days_from_civil(*date) * 86400 + *minute * 60 + seconds - offset;
}

}  // namespace cartable::app
