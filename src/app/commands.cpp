#include "app/commands.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <chrono>
#include <fstream>
#include <iostream>
#include <mutex>
#include <sstream>

#include "app/server_app.hpp"
#include "common/civil_time.hpp"
#include "common/timezone.hpp"
#include "demo/worksheets.hpp"
#include "files/blob_store.hpp"
#include "guard/password.hpp"
#include "guard/session_token.hpp"
#include "guard/sessions.hpp"
#include "roster/csv_import.hpp"

namespace cartable::app {

namespace {

namespace fs = std::filesystem;

// Hashes the initial passwords of the people the store does not have yet, on every core.
std::map<std::string, std::string> hash_new_passwords(const Roster& roster,
                                                      const RosterKeys& existing,
                                                      const guard::PasswordCost& cost) {
  std::map<std::string, std::string> hashes;
  std::mutex mutex;
  boost::asio::thread_pool pool(std::max(1u, std::thread::hardware_concurrency()));
  for (const Person& person : roster.people) {
    if (person.password.empty() || existing.people.contains(person.login)) {
      continue;
    }
    boost::asio::post(pool, [&, login = person.login, password = person.password] {
      std::string hash = guard::hash_password(password, cost);
      std::lock_guard lock(mutex);
      hashes.emplace(login, std::move(hash));
    });
  }
  pool.join();
  return hashes;
}

// Time zone names are checked against the zoneinfo database here, where it is at hand.
void check_time_zones(const Roster& roster, std::vector<ImportError>& errors) {
  for (const School& school : roster.schools) {
    std::string error;
    if (!find_time_zone(school.timezone, &error)) {
      errors.push_back({0, "school " + school.code + ": unknown time zone " + school.timezone});
    }
  }
}

std::string class_name_of(const Roster& roster, const Person& person) {
  for (const SchoolClass& school_class : roster.classes) {
    if (school_class.school_code == person.school_code && school_class.code == person.class_code) {
      return school_class.name;
    }
  }
  return {};
}

std::string csv_field(const std::string& value) {
  if (value.find_first_of(",\"\n") == std::string::npos) {
    return value;
  }
  std::string quoted = "\"";
  for (char c : value) {
    quoted += c;
    if (c == '"') {
      quoted += '"';
    }
  }
  return quoted + "\"";
}

void write_accounts(const fs::path& file, const Roster& roster) {
  std::ofstream out(file, std::ios::trunc);
  out << "login,password,role,school,class\n";
  for (const Person& person : roster.people) {
    out << csv_field(person.login) << ',' << csv_field(person.password) << ','
        << role_name(person.role) << ',' << csv_field(person.school_code) << ','
        << csv_field(class_name_of(roster, person)) << '\n';
  }
  if (!out) {
    throw std::runtime_error("cannot write accounts to " + file.string());
  }
}

void write_remembered_sessions(const fs::path& file, const Roster& roster, Store& store,
                               const ServeConfig& config, std::int64_t now) {
  fs::create_directories(config.data);
  const auto keys = guard::SessionKeys::load_or_create(config.data / "session-keys", now);
  const guard::SessionOptions lifetimes;
  // Opened yesterday evening: valid this morning, and due for renewal on first use.
  const std::int64_t issued = now - 14 * 3600;
  std::ofstream out(file, std::ios::trunc);
  out << "login,session\n";
  for (const Person& person : roster.people) {
    const auto credentials = store.credentials(person.login);
    if (!credentials) {
      continue;
    }
    guard::SessionClaims claims;
    claims.user_id = credentials->user_id;
    claims.role = credentials->role;
    claims.school_id = credentials->school_id;
    claims.session_id = guard::random_session_id();
    claims.issued_at = issued;
    claims.expires_at = issued + lifetimes.remembered_lifetime.count();
    claims.remember = true;
    out << csv_field(person.login) << ',' << guard::encode_session_token(claims, keys) << '\n';
  }
  if (!out) {
    throw std::runtime_error("cannot write sessions to " + file.string());
  }
}

void print_banner(const std::vector<std::string>& urls, const Roster& roster) {
  std::ostringstream banner;
  banner << "\n  Cartable demo is up: " << urls.front()
         << "\n\n  Demo accounts (login / password):\n";
  for (const Role role : {Role::pupil, Role::teacher, Role::parent, Role::staff, Role::admin}) {
    int shown = 0;
    for (const Person& person : roster.people) {
      if (person.role == role && shown < (role == Role::pupil ? 3 : 2)) {
        banner << "    " << role_name(role)
               << std::string(9 - std::string(role_name(role)).size(), ' ') << person.login << " / "
               << person.password;
        if (role == Role::pupil) {
          banner << "   (" << class_name_of(roster, person) << ")";
        }
        banner << "\n";
        ++shown;
      }
    }
  }
  banner << "\n  Stop with Ctrl+C.\n\n";
  std::cout << banner.str() << std::flush;
}

Date local_date(const Clock& clock) {
  std::string error;
  const auto zone = find_time_zone("Europe/Paris", &error);
  return zone ? zone->to_local(clock.unix_seconds()).date
              : civil_from_days(clock.unix_seconds() / 86400);
}

std::string fingerprint(const DemoConfig& demo, const guard::PasswordCost& cost) {
  std::ostringstream text;
  // v2: the demo has grades; v3: announcements and conversations; v4: homework worksheets (PDF
  // attachments). An older database is rebuilt rather than reused without them.
  text << "v4 schools=" << demo.schools << " classes=" << demo.classes_per_school
       << " pupils=" << demo.pupils_per_class << " parents=" << demo.parents
       << " seed=" << demo.seed << " argon2=" << cost.ops << "/" << cost.memory_kib;
  return text.str();
}

}  // namespace

int import_roster(const ServeConfig& config, const ImportOptions& options) {
  std::error_code ec;
  const auto size = fs::file_size(options.file, ec);
  if (ec) {
    std::cerr << options.file.string() << ": " << ec.message() << "\n";
    return 2;
  }
  if (size > roster_csv_limits::max_file_bytes) {
    std::cerr << options.file.string() << ": larger than "
              << roster_csv_limits::max_file_bytes / (1024 * 1024) << " MiB\n";
    return 1;
  }
  std::ifstream in(options.file, std::ios::binary);
  std::ostringstream content;
  content << in.rdbuf();
  if (!in && !in.eof()) {
    std::cerr << options.file.string() << ": cannot read\n";
    return 2;
  }
  auto database = open_database(config);
  const RosterKeys existing = database->store().roster_keys();
  ImportResult result = parse_roster_csv(content.str(), existing);
  check_time_zones(result.roster, result.errors);
  if (!result.errors.empty()) {
    for (const ImportError& error : result.errors) {
      std::cerr << options.file.string() << ":" << error.line << ": " << error.message << "\n";
    }
    std::cerr << result.errors.size() << " error(s); nothing was imported.\n";
    return 1;
  }
  if (options.dry_run) {
    std::cout << "The file is valid (" << result.roster.people.size()
              << " people); nothing written (--dry-run).\n";
    return 0;
  }
  const auto hashes = hash_new_passwords(result.roster, existing, config.password_cost);
  const ImportSummary summary = database->store().apply_roster(
      result.roster, hashes, format_utc_timestamp(SystemClock().unix_seconds()));
  if (!summary.changed()) {
    std::cout << "Already up to date: nothing changed.\n";
    return 0;
  }
  std::cout << "Imported: " << summary.schools_created << " schools, " << summary.classes_created
            << " classes, " << summary.subjects_created << " subjects, " << summary.people_created
            << " people created; " << summary.rows_updated << " updated; " << summary.links_created
            << " enrolments, teachings, links, slots and holidays added.\n";
  return 0;
}

int run_demo(const ServeConfig& config, const DemoConfig& demo) {
  const auto clock = make_clock(config);
  const Date today = local_date(*clock);
  DemoOptions options;
  options.schools = demo.schools;
  options.classes_per_school = demo.classes_per_school;
  options.pupils_per_class = demo.pupils_per_class;
  options.parents_per_pupil = demo.parents;
  options.seed = demo.seed;
  options.today = today;
  Roster roster = generate_demo(options);

  const std::string wanted = fingerprint(demo, config.password_cost);
  const fs::path database_file = config.data / "cartable.db";
  bool reuse = false;
  if (!demo.fresh && fs::exists(database_file)) {
    auto database = open_database(config);
    reuse = database->store().setting("demo.fingerprint") == wanted;
  }
  if (!reuse) {
    for (const char* suffix : {"", "-wal", "-shm"}) {
      fs::remove(database_file.string() + suffix);
    }
  }
  auto database = open_database(config);
  Store& store = database->store();
  if (reuse) {
    // Keep the demo's homework current: move it by whole weeks, so weekdays stay the same.
    const auto generated = parse_date(store.setting("demo.generated_on").value_or(""));
    const std::int64_t days = generated ? days_from_civil(today) - days_from_civil(*generated) : 0;
    if (days >= 7) {
      const int shift = static_cast<int>(days / 7 * 7);
      store.shift_homework_due_dates(shift);
      store.set_setting("demo.generated_on", format_date(add_days(*generated, shift)));
    }
    spdlog::info("reusing the demo database in {}", config.data.string());
  } else {
    spdlog::info("building the demo: {} people, hashing their passwords...", roster.people.size());
    const auto hashes = hash_new_passwords(roster, {}, config.password_cost);
    const std::string now = format_utc_timestamp(clock->unix_seconds());
    store.apply_roster(roster, hashes, now);
    const auto started = std::chrono::steady_clock::now();
    const files::BlobStore blobs(config.data / "blobs");  // where serve() keeps them
    const WorksheetsAttached attached = attach_demo_worksheets(store, blobs, roster, now);
    spdlog::info("attached {} worksheet PDFs to {} homework items in {} ms", attached.worksheets,
                 attached.homework,
                 std::chrono::duration_cast<std::chrono::milliseconds>(
                     std::chrono::steady_clock::now() - started)
                     .count());
    store.set_setting("demo.generated_on", format_date(today));
    store.set_setting("demo.fingerprint", wanted);
  }
  if (!demo.accounts_file.empty()) {
    write_accounts(demo.accounts_file, roster);
  }
  if (!demo.sessions_file.empty()) {
    write_remembered_sessions(demo.sessions_file, roster, store, config, clock->unix_seconds());
  }
  return serve(config, *database, *clock,
               [&roster](const std::vector<std::string>& urls) { print_banner(urls, roster); });
}

int rotate_session_keys(const ServeConfig& config) {
  fs::create_directories(config.data);
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  const fs::path file = config.data / "session-keys";
  guard::SessionKeys::load_or_create(file, now);
  // Keep old keys as long as the longest session they may have signed.
  const std::int64_t keep =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::days(31)).count();
  const auto id = guard::SessionKeys::rotate(file, now, keep);
  std::cout << "New signing key " << id
            << " added; restart the server to use it. Older keys keep verifying for 31 days.\n";
  return 0;
}

int set_password(const ServeConfig& config, const std::string& login) {
  std::string password;
  std::getline(std::cin, password);
  if (password.size() < guard::kMinPasswordBytes || password.size() > guard::kMaxPasswordBytes) {
    std::cerr << "The password must be 8 to 128 bytes long.\n";
    return 1;
  }
  auto database = open_database(config);
  const auto credentials = database->store().credentials(login);
  if (!credentials) {
    std::cerr << "No account " << login << ".\n";
    return 1;
  }
  database->store().set_password_hash(credentials->user_id,
                                      guard::hash_password(password, config.password_cost));
  std::cout << "Password of " << login << " set.\n";
  return 0;
}

}  // namespace cartable::app
