#include "common/timezone.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace cartable {
namespace {

namespace fs = std::filesystem;

constexpr std::int64_t hour = 3600;

std::int64_t utc(int year, int month, int day, int h = 0, int min = 0, int s = 0) {
  return days_from_civil(Date{year, month, day}) * 86400 + h * hour + min * 60 + s;
}

std::shared_ptr<const TimeZone> must_load(std::string_view name) {
  std::string error;
  auto zone = TimeZone::load(name, &error);
  EXPECT_NE(zone, nullptr) << error;
  return zone;
}

std::shared_ptr<const TimeZone> must_parse_rule(std::string_view tz) {
  std::string error;
  auto zone = TimeZone::from_posix_string(tz, &error);
  EXPECT_NE(zone, nullptr) << error;
  return zone;
}

std::string read_bytes(const fs::path& path) {
  std::error_code ec;
  const auto size = fs::file_size(path, ec);
  std::string bytes(ec ? 0 : static_cast<std::size_t>(size), '\0');
  std::ifstream in(path, std::ios::binary);
  in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  bytes.resize(static_cast<std::size_t>(in.gcount()));
  return bytes;
}

// Sets (or unsets, with nullopt) an environment variable for one scope, restoring it after, so
// a failing assertion cannot leak it into the other tests of the binary.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, std::optional<std::string> value) : name_(name) {
    if (const char* old = std::getenv(name)) {
      old_ = old;
    }
    set(value);
  }
  ~ScopedEnv() { set(old_); }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  void set(const std::optional<std::string>& value) {
    if (value) {
      ::setenv(name_, value->c_str(), 1);
    } else {
      ::unsetenv(name_);
    }
  }
  const char* name_;
  std::optional<std::string> old_;
};

class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "cartable_tz_XXXXXX").string();
    if (::mkdtemp(pattern.data()) != nullptr) {
      path_ = pattern;
    }
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const fs::path& path() const { return path_; }
  void write(const std::string& name, const std::string& bytes) const {
    fs::create_directories((path_ / name).parent_path());
    std::ofstream(path_ / name, std::ios::binary) << bytes;
  }

 private:
  fs::path path_;
};

// A hand-made TZif image, for the shapes the system files do not cover.
struct TestType {
  std::int32_t utc_offset;
  bool is_dst;
  std::string abbreviation;
};

void put_u32(std::string& out, std::uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) {
    out += static_cast<char>((v >> shift) & 0xff);
  }
}

void put_u64(std::string& out, std::uint64_t v) {
  put_u32(out, static_cast<std::uint32_t>(v >> 32));
  put_u32(out, static_cast<std::uint32_t>(v));
}

void put_block(std::string& out, char version, bool wide, const std::vector<std::int64_t>& times,
               const std::vector<std::uint8_t>& indices, const std::vector<TestType>& types) {
  std::string chars;
  std::vector<std::uint8_t> abbreviation_indices;
  for (const TestType& type : types) {
    abbreviation_indices.push_back(static_cast<std::uint8_t>(chars.size()));
    chars += type.abbreviation;
    chars += '\0';
  }
  out += "TZif";
  out += version;
  out.append(15, '\0');
  put_u32(out, 0);  // isutcnt
  put_u32(out, 0);  // isstdcnt
  put_u32(out, 0);  // leapcnt
  put_u32(out, static_cast<std::uint32_t>(times.size()));
  put_u32(out, static_cast<std::uint32_t>(types.size()));
  put_u32(out, static_cast<std::uint32_t>(chars.size()));
  for (std::int64_t t : times) {
    if (wide) {
      put_u64(out, static_cast<std::uint64_t>(t));
    } else {
      put_u32(out, static_cast<std::uint32_t>(t));
    }
  }
  for (std::uint8_t index : indices) {
    out += static_cast<char>(index);
  }
  for (std::size_t i = 0; i < types.size(); ++i) {
    put_u32(out, static_cast<std::uint32_t>(types[i].utc_offset));
    out += static_cast<char>(types[i].is_dst ? 1 : 0);
    out += static_cast<char>(abbreviation_indices[i]);
  }
  out += chars;
}

// version 0: one 32-bit block, no footer. '2'..'4': a minimal 32-bit block (as zic's "slim"
// output), the 64-bit block, then "\n" footer "\n".
std::string make_tzif(char version, const std::vector<std::int64_t>& times,
                      const std::vector<std::uint8_t>& indices, const std::vector<TestType>& types,
                      std::string_view footer = {}) {
  std::string out;
  if (version == 0) {
    put_block(out, version, false, times, indices, types);
    return out;
  }
  put_block(out, version, false, {}, {}, {{0, false, ""}});
  put_block(out, version, true, times, indices, types);
  out += '\n';
  out += footer;
  out += '\n';
  return out;
}

// Byte offset of a count field in the (first) header: isutcnt is at 20, then every 4 bytes.
constexpr std::size_t leapcnt_at = 28, timecnt_at = 32, typecnt_at = 36;

void patch_u32(std::string& bytes, std::size_t at, std::uint32_t v) {
  std::string field;
  put_u32(field, v);
  bytes.replace(at, 4, field);
}

// ---- Zones from the system tzdata ----

TEST(TimeZoneTest, ParisWinterAndSummer) {
  const auto paris = must_load("Europe/Paris");
  ASSERT_NE(paris, nullptr);
  EXPECT_EQ(paris->name(), "Europe/Paris");
  EXPECT_EQ(paris->utc_offset_seconds(utc(2026, 1, 15, 12)), 3600);
  EXPECT_EQ(paris->abbreviation(utc(2026, 1, 15, 12)), "CET");
  EXPECT_EQ(paris->utc_offset_seconds(utc(2026, 7, 15, 12)), 7200);
  EXPECT_EQ(paris->abbreviation(utc(2026, 7, 15, 12)), "CEST");
  EXPECT_FALSE(paris->to_local(utc(2026, 1, 15, 12)).is_dst);
  EXPECT_TRUE(paris->to_local(utc(2026, 7, 15, 12)).is_dst);
}

TEST(TimeZoneTest, ParisSwitchInstants2026) {
  const auto paris = must_load("Europe/Paris");
  ASSERT_NE(paris, nullptr);
  EXPECT_EQ(paris->utc_offset_seconds(utc(2026, 3, 29, 0, 59, 59)), 3600);
  EXPECT_EQ(paris->utc_offset_seconds(utc(2026, 3, 29, 1)), 7200);
  EXPECT_EQ(paris->utc_offset_seconds(utc(2026, 10, 25, 0, 59, 59)), 7200);
  EXPECT_EQ(paris->utc_offset_seconds(utc(2026, 10, 25, 1)), 3600);
}

TEST(TimeZoneTest, ParisFarFutureUsesFooterRule) {
  const auto paris = must_load("Europe/Paris");
  ASSERT_NE(paris, nullptr);
  // 2090: after the last transition in any file (fat files stop in 2037), so the footer
  // "CET-1CEST,M3.5.0,M10.5.0/3" decides: last Sundays are 26 March and 29 October.
  EXPECT_EQ(paris->utc_offset_seconds(utc(2090, 1, 10)), 3600);
  EXPECT_EQ(paris->utc_offset_seconds(utc(2090, 3, 26, 0, 59, 59)), 3600);
  EXPECT_EQ(paris->utc_offset_seconds(utc(2090, 3, 26, 1)), 7200);
  EXPECT_EQ(paris->utc_offset_seconds(utc(2090, 10, 29, 0, 59, 59)), 7200);
  EXPECT_EQ(paris->utc_offset_seconds(utc(2090, 10, 29, 1)), 3600);
  EXPECT_EQ(paris->abbreviation(utc(2090, 7, 1)), "CEST");
}

TEST(TimeZoneTest, ParisFileAgreesWithItsOwnFooterRule) {
  // Where the file still lists transitions (up to 2037 in fat files), the footer rule evaluated
  // on its own must give the same answers: this checks our POSIX rule code against zic's output.
  const auto paris = must_load("Europe/Paris");
  const auto rule = must_parse_rule("CET-1CEST,M3.5.0,M10.5.0/3");
  const auto sydney = must_load("Australia/Sydney");
  const auto sydney_rule = must_parse_rule("AEST-10AEDT,M10.1.0,M4.1.0/3");
  ASSERT_TRUE(paris && rule && sydney && sydney_rule);
  for (std::int64_t t = utc(2000, 1, 1); t < utc(2037, 12, 31); t += 1800) {
    ASSERT_EQ(paris->utc_offset_seconds(t), rule->utc_offset_seconds(t)) << t;
  }
  for (std::int64_t t = utc(2009, 1, 1); t < utc(2037, 12, 31); t += 1800) {
    ASSERT_EQ(sydney->utc_offset_seconds(t), sydney_rule->utc_offset_seconds(t)) << t;
  }
}

TEST(TimeZoneTest, Utc) {
  const auto zone = must_load("UTC");
  ASSERT_NE(zone, nullptr);
  EXPECT_EQ(zone->name(), "UTC");  // the name asked for, not the Etc/UTC it links to
  for (std::int64_t t : {utc(1900, 1, 1), std::int64_t{0}, utc(2026, 7, 1), utc(2200, 1, 1)}) {
    EXPECT_EQ(zone->utc_offset_seconds(t), 0);
  }
  EXPECT_EQ(zone->abbreviation(0), "UTC");
}

TEST(TimeZoneTest, ZonesWithoutDst) {
  const auto reunion = must_load("Indian/Reunion");
  const auto guadeloupe = must_load("America/Guadeloupe");
  ASSERT_TRUE(reunion && guadeloupe);
  for (int month = 1; month <= 12; ++month) {
    EXPECT_EQ(reunion->utc_offset_seconds(utc(2026, month, 1)), 4 * 3600);
    EXPECT_EQ(guadeloupe->utc_offset_seconds(utc(2026, month, 1)), -4 * 3600);
  }
  EXPECT_EQ(reunion->abbreviation(utc(2026, 1, 1)), "+04");
  EXPECT_EQ(reunion->utc_offset_seconds(utc(2090, 6, 1)), 4 * 3600);
  EXPECT_EQ(guadeloupe->abbreviation(utc(2090, 6, 1)), "AST");
  // Before its first transition (1911) Réunion kept local mean time, 3:41:52.
  EXPECT_EQ(reunion->utc_offset_seconds(utc(1900, 1, 1)), 3 * 3600 + 41 * 60 + 52);
}

TEST(TimeZoneTest, NewYork) {
  const auto ny = must_load("America/New_York");
  ASSERT_NE(ny, nullptr);
  EXPECT_EQ(ny->utc_offset_seconds(utc(2026, 1, 15)), -5 * 3600);
  EXPECT_EQ(ny->utc_offset_seconds(utc(2026, 7, 15)), -4 * 3600);
  EXPECT_EQ(ny->utc_offset_seconds(utc(2026, 3, 8, 6, 59, 59)), -5 * 3600);
  EXPECT_EQ(ny->utc_offset_seconds(utc(2026, 3, 8, 7)), -4 * 3600);
  EXPECT_EQ(ny->utc_offset_seconds(utc(2026, 11, 1, 5, 59, 59)), -4 * 3600);
  EXPECT_EQ(ny->utc_offset_seconds(utc(2026, 11, 1, 6)), -5 * 3600);
  EXPECT_EQ(ny->abbreviation(utc(2026, 7, 15)), "EDT");
  // Before the 2007 US rule change DST began on the first Sunday of April.
  EXPECT_EQ(ny->utc_offset_seconds(utc(2006, 3, 15)), -5 * 3600);
  EXPECT_EQ(ny->utc_offset_seconds(utc(2006, 4, 2, 7)), -4 * 3600);
}

TEST(TimeZoneTest, MatchesGlibcAcrossCenturies) {
  // glibc reads the same files: comparing with localtime_r over 1890..2150 (file transitions,
  // footer rules, pre-1901 and post-2037 times) catches misread tables. Setting TZ is fine in a
  // single-threaded test; it is restored afterwards.
  const std::vector<std::string> names = {
      "Europe/Paris",      "America/New_York", "Australia/Sydney",   "Indian/Reunion",
      "America/Nuuk",      "Europe/Dublin",    "Pacific/Chatham",    "Asia/Tehran",
      "America/Sao_Paulo", "Pacific/Apia",     "Asia/Kolkata",       "America/Guadeloupe",
      "Africa/Casablanca", "Antarctica/Troll", "Pacific/Kiritimati", "UTC"};
  ScopedEnv tzdir("TZDIR", std::nullopt);
  for (const std::string& name : names) {
    const auto zone = must_load(name);
    ASSERT_NE(zone, nullptr);
    ScopedEnv tz("TZ", name);
    ::tzset();
    int mismatches = 0;
    // An odd step so that samples drift through every hour of the day and day of the week.
    for (std::int64_t t = utc(1890, 1, 1); t < utc(2150, 1, 1) && mismatches < 5;
         t += 2 * 86400 + 3 * 3600 + 17 * 60 + 11) {
      const std::time_t tt = static_cast<std::time_t>(t);
      std::tm tm{};
      ASSERT_NE(::localtime_r(&tt, &tm), nullptr);
      const LocalTime local = zone->to_local(t);
      if (local.utc_offset_seconds != tm.tm_gmtoff || local.is_dst != (tm.tm_isdst > 0) ||
          local.date.year != tm.tm_year + 1900 || local.date.month != tm.tm_mon + 1 ||
          local.date.day != tm.tm_mday || local.minute_of_day != tm.tm_hour * 60 + tm.tm_min ||
          local.second != tm.tm_sec) {
        ++mismatches;
        ADD_FAILURE() << name << " at " << t << ": ours " << local.utc_offset_seconds
                      << " dst=" << local.is_dst << ", glibc " << tm.tm_gmtoff
                      << " dst=" << tm.tm_isdst;
      }
    }
  }
  ::tzset();  // TZ itself was restored by its ScopedEnv
}

// ---- to_local ----

TEST(TimeZoneTest, ToLocalRollsDateAroundMidnight) {
  const auto paris = must_load("Europe/Paris");
  const auto ny = must_load("America/New_York");
  const auto reunion = must_load("Indian/Reunion");
  ASSERT_TRUE(paris && ny && reunion);

  LocalTime local = paris->to_local(utc(2026, 12, 31, 23, 30, 15));
  EXPECT_EQ(local.date, (Date{2027, 1, 1}));
  EXPECT_EQ(local.minute_of_day, 30);
  EXPECT_EQ(local.second, 15);
  EXPECT_EQ(local.utc_offset_seconds, 3600);

  local = paris->to_local(utc(2026, 12, 31, 22, 59, 59));
  EXPECT_EQ(local.date, (Date{2026, 12, 31}));
  EXPECT_EQ(local.minute_of_day, 23 * 60 + 59);
  EXPECT_EQ(local.second, 59);

  local = ny->to_local(utc(2026, 1, 1, 3));
  EXPECT_EQ(local.date, (Date{2025, 12, 31}));
  EXPECT_EQ(local.minute_of_day, 22 * 60);

  local = reunion->to_local(utc(2028, 2, 28, 21));  // leap year: into 29 February
  EXPECT_EQ(local.date, (Date{2028, 2, 29}));
  EXPECT_EQ(local.minute_of_day, 60);

  local = paris->to_local(utc(2026, 3, 29, 1));  // the first instant of summer time
  EXPECT_EQ(local.date, (Date{2026, 3, 29}));
  EXPECT_EQ(local.minute_of_day, 3 * 60);

  const auto zone_utc = must_load("UTC");
  ASSERT_NE(zone_utc, nullptr);
  local = zone_utc->to_local(-1);  // floor, not truncation, before the epoch
  EXPECT_EQ(local.date, (Date{1969, 12, 31}));
  EXPECT_EQ(local.minute_of_day, 23 * 60 + 59);
  EXPECT_EQ(local.second, 59);
}

TEST(TimeZoneTest, ExtremeInstantsAreClampedNotOverflowed) {
  const auto paris = must_load("Europe/Paris");
  ASSERT_NE(paris, nullptr);
  for (std::int64_t t : {std::numeric_limits<std::int64_t>::min(),
                         std::numeric_limits<std::int64_t>::max(), instant_limit_seconds + 1}) {
    const LocalTime local = paris->to_local(t);
    EXPECT_GE(local.minute_of_day, 0);
    EXPECT_LT(local.minute_of_day, 1440);
    (void)paris->utc_offset_seconds(t);
  }
  (void)paris->to_utc(Date{std::numeric_limits<int>::max(), 12, 31}, 1439);
  (void)paris->to_utc(Date{std::numeric_limits<int>::min(), 3, 1}, 0);
  (void)paris->to_utc(Date{2026, 1, 1}, std::numeric_limits<int>::max());
}

// ---- to_utc ----

TEST(TimeZoneTest, ToUtcOrdinaryTimes) {
  const auto paris = must_load("Europe/Paris");
  ASSERT_NE(paris, nullptr);
  EXPECT_EQ(paris->to_utc(Date{2026, 1, 15}, 7 * 60 + 50), utc(2026, 1, 15, 6, 50));
  EXPECT_EQ(paris->to_utc(Date{2026, 7, 15}, 7 * 60 + 50), utc(2026, 7, 15, 5, 50));
  EXPECT_EQ(paris->to_utc(Date{2026, 3, 29}, 60 + 59), utc(2026, 3, 29, 0, 59));
  EXPECT_EQ(paris->to_utc(Date{2026, 3, 29}, 3 * 60), utc(2026, 3, 29, 1));
  EXPECT_EQ(paris->to_utc(Date{2026, 10, 25}, 3 * 60), utc(2026, 10, 25, 2));
  EXPECT_EQ(paris->to_utc(Date{2026, 12, 31}, 1440), utc(2026, 12, 31, 23));  // next midnight
}

TEST(TimeZoneTest, ToUtcSpringGapMovesForward) {
  const auto paris = must_load("Europe/Paris");
  const auto ny = must_load("America/New_York");
  const auto sydney = must_load("Australia/Sydney");
  ASSERT_TRUE(paris && ny && sydney);
  // 02:30 does not exist on 29 March 2026 in Paris: 01:30 UTC, shown as 03:30 CEST.
  const std::int64_t t = paris->to_utc(Date{2026, 3, 29}, 2 * 60 + 30);
  EXPECT_EQ(t, utc(2026, 3, 29, 1, 30));
  EXPECT_EQ(paris->to_local(t).minute_of_day, 3 * 60 + 30);
  EXPECT_EQ(paris->to_utc(Date{2026, 3, 29}, 2 * 60), utc(2026, 3, 29, 1));
  EXPECT_EQ(paris->to_utc(Date{2090, 3, 26}, 2 * 60 + 30), utc(2090, 3, 26, 1, 30));  // footer
  EXPECT_EQ(ny->to_utc(Date{2026, 3, 8}, 2 * 60 + 30), utc(2026, 3, 8, 7, 30));
  EXPECT_EQ(sydney->to_utc(Date{2026, 10, 4}, 2 * 60 + 30), utc(2026, 10, 3, 16, 30));
}

TEST(TimeZoneTest, ToUtcAutumnOverlapTakesEarlier) {
  const auto paris = must_load("Europe/Paris");
  const auto ny = must_load("America/New_York");
  const auto sydney = must_load("Australia/Sydney");
  ASSERT_TRUE(paris && ny && sydney);
  // 02:30 happens at 00:30 UTC (CEST) and again at 01:30 UTC (CET).
  EXPECT_EQ(paris->to_utc(Date{2026, 10, 25}, 2 * 60 + 30), utc(2026, 10, 25, 0, 30));
  EXPECT_EQ(paris->to_utc(Date{2026, 10, 25}, 2 * 60), utc(2026, 10, 25, 0));
  EXPECT_EQ(paris->to_utc(Date{2090, 10, 29}, 2 * 60 + 30), utc(2090, 10, 29, 0, 30));
  EXPECT_EQ(ny->to_utc(Date{2026, 11, 1}, 60 + 30), utc(2026, 11, 1, 5, 30));
  EXPECT_EQ(sydney->to_utc(Date{2026, 4, 5}, 2 * 60 + 30), utc(2026, 4, 4, 15, 30));
}

TEST(TimeZoneTest, ToUtcRoundTripsEveryQuarterHour) {
  // For every wall-clock time actually shown, to_utc gives back an instant showing it, and the
  // earliest such instant.
  for (const char* name : {"Europe/Paris", "America/New_York", "Australia/Sydney", "Europe/Dublin",
                           "Pacific/Chatham", "America/Nuuk"}) {
    const auto zone = must_load(name);
    ASSERT_NE(zone, nullptr);
    for (std::int64_t t = utc(2026, 1, 1); t < utc(2027, 1, 1); t += 900) {
      const LocalTime local = zone->to_local(t);
      const std::int64_t back = zone->to_utc(local.date, local.minute_of_day);
      ASSERT_LE(back, t) << name << " " << t;
      const LocalTime again = zone->to_local(back);
      ASSERT_EQ(again.date, local.date) << name << " " << t;
      ASSERT_EQ(again.minute_of_day, local.minute_of_day) << name << " " << t;
    }
  }
}

// ---- POSIX TZ rules ----

TEST(PosixTzRuleTest, SouthernHemisphere) {
  const auto zone = must_parse_rule("AEST-10AEDT,M10.1.0,M4.1.0/3");
  ASSERT_NE(zone, nullptr);
  EXPECT_EQ(zone->name(), "AEST-10AEDT,M10.1.0,M4.1.0/3");
  EXPECT_EQ(zone->utc_offset_seconds(utc(2026, 1, 15)), 11 * 3600);  // summer over New Year
  EXPECT_EQ(zone->abbreviation(utc(2026, 1, 15)), "AEDT");
  EXPECT_EQ(zone->utc_offset_seconds(utc(2026, 7, 15)), 10 * 3600);
  EXPECT_EQ(zone->abbreviation(utc(2026, 7, 15)), "AEST");
  // Ends first Sunday of April at 03:00 AEDT, starts first Sunday of October at 02:00 AEST.
  EXPECT_EQ(zone->utc_offset_seconds(utc(2026, 4, 4, 15, 59, 59)), 11 * 3600);
  EXPECT_EQ(zone->utc_offset_seconds(utc(2026, 4, 4, 16)), 10 * 3600);
  EXPECT_EQ(zone->utc_offset_seconds(utc(2026, 10, 3, 15, 59, 59)), 10 * 3600);
  EXPECT_EQ(zone->utc_offset_seconds(utc(2026, 10, 3, 16)), 11 * 3600);
  EXPECT_EQ(zone->utc_offset_seconds(utc(2026, 12, 31, 23)), 11 * 3600);
  EXPECT_EQ(zone->to_utc(Date{2026, 10, 4}, 2 * 60 + 30), utc(2026, 10, 3, 16, 30));  // gap
  EXPECT_EQ(zone->to_utc(Date{2026, 4, 5}, 2 * 60 + 30), utc(2026, 4, 4, 15, 30));    // overlap
}

TEST(PosixTzRuleTest, QuotedNamesAndMinutes) {
  const auto tehran_like = must_parse_rule("<+0330>-3:30");
  const auto west = must_parse_rule("<-03>3");
  const auto seconds = must_parse_rule("LMT-0:09:21");
  ASSERT_TRUE(tehran_like && west && seconds);
  EXPECT_EQ(tehran_like->utc_offset_seconds(0), 3 * 3600 + 30 * 60);
  EXPECT_EQ(tehran_like->abbreviation(0), "+0330");
  EXPECT_EQ(west->utc_offset_seconds(utc(2026, 1, 1)), -3 * 3600);
  EXPECT_EQ(seconds->utc_offset_seconds(0), 9 * 60 + 21);
}

TEST(PosixTzRuleTest, NegativeAndExtendedHours) {
  // Nuuk since 2023: switches at -1:00 (the previous evening) and 0:00 local time.
  const auto nuuk = must_parse_rule("<-02>2<-01>,M3.5.0/-1,M10.5.0/0");
  ASSERT_NE(nuuk, nullptr);
  EXPECT_EQ(nuuk->utc_offset_seconds(utc(2026, 3, 29, 0, 59, 59)), -2 * 3600);
  EXPECT_EQ(nuuk->utc_offset_seconds(utc(2026, 3, 29, 1)), -3600);
  EXPECT_EQ(nuuk->utc_offset_seconds(utc(2026, 10, 25, 0, 59, 59)), -3600);
  EXPECT_EQ(nuuk->utc_offset_seconds(utc(2026, 10, 25, 1)), -2 * 3600);

  // 26 hours after the second Sunday of March (8 March 2026) is 9 March 02:00.
  const auto late = must_parse_rule("AAA3BBB,M3.2.0/26,M11.1.0/-2:30");
  ASSERT_NE(late, nullptr);
  EXPECT_EQ(late->utc_offset_seconds(utc(2026, 3, 9, 4, 59, 59)), -3 * 3600);
  EXPECT_EQ(late->utc_offset_seconds(utc(2026, 3, 9, 5)), -2 * 3600);
  // First Sunday of November is 1 November; -2:30 is 31 October 21:30 daylight time.
  EXPECT_EQ(late->utc_offset_seconds(utc(2026, 10, 31, 23, 29, 59)), -2 * 3600);
  EXPECT_EQ(late->utc_offset_seconds(utc(2026, 10, 31, 23, 30)), -3 * 3600);

  // RFC 8536's example of daylight time all year.
  const auto always = must_parse_rule("EST5EDT4,0/0,J365/25");
  ASSERT_NE(always, nullptr);
  for (std::int64_t t = utc(2026, 12, 30); t < utc(2027, 1, 3); t += 1800) {
    ASSERT_EQ(always->utc_offset_seconds(t), -4 * 3600) << t;
  }
  EXPECT_EQ(always->utc_offset_seconds(utc(2028, 2, 29, 12)), -4 * 3600);
}

TEST(PosixTzRuleTest, JulianAndZeroBasedDays) {
  // J60 is 1 March even in a leap year; zero-based 59 is 29 February in one.
  const auto julian = must_parse_rule("AAA3BBB,J60/2,J300/2");
  const auto zero_based = must_parse_rule("AAA3BBB,59/2,300/2");
  ASSERT_TRUE(julian && zero_based);
  EXPECT_EQ(julian->utc_offset_seconds(utc(2028, 3, 1, 4, 59, 59)), -3 * 3600);
  EXPECT_EQ(julian->utc_offset_seconds(utc(2028, 3, 1, 5)), -2 * 3600);
  EXPECT_EQ(julian->utc_offset_seconds(utc(2027, 3, 1, 5)), -2 * 3600);
  EXPECT_EQ(julian->utc_offset_seconds(utc(2027, 3, 1, 4)), -3 * 3600);
  EXPECT_EQ(zero_based->utc_offset_seconds(utc(2028, 2, 29, 4, 59, 59)), -3 * 3600);
  EXPECT_EQ(zero_based->utc_offset_seconds(utc(2028, 2, 29, 5)), -2 * 3600);
  EXPECT_EQ(zero_based->utc_offset_seconds(utc(2027, 3, 1, 5)), -2 * 3600);  // day 59 of 2027
  EXPECT_EQ(zero_based->utc_offset_seconds(utc(2027, 2, 28, 5)), -3 * 3600);
}

TEST(PosixTzRuleTest, FifthWeekMeansLast) {
  // M2.5.0: February 2026 has four Sundays, the last on the 22nd.
  const auto zone = must_parse_rule("AAA0BBB,M2.5.0/0,M11.1.0/0");
  ASSERT_NE(zone, nullptr);
  EXPECT_EQ(zone->utc_offset_seconds(utc(2026, 2, 21, 23, 59, 59)), 0);
  EXPECT_EQ(zone->utc_offset_seconds(utc(2026, 2, 22)), 3600);
}

TEST(PosixTzRuleTest, RefusesMalformedRules) {
  for (const char* bad : {"",
                          "AB0",
                          "CET",
                          "CET-1CEST",
                          "CET-25",
                          "CET-1CEST,M13.1.0,M10.5.0",
                          "CET-1CEST,M3.0.0,M10.5.0",
                          "CET-1CEST,M3.5.7,M10.5.0",
                          "CET-1CEST,M3.5.0,M10.5.0/168",
                          "CET-1CEST,M3.5.0",
                          "<AB>0",
                          "<+03",
                          "<+0 3>3",
                          "CET-1CEST,M3.5.0,M10.5.0x",
                          "CET-1CEST,J0,J365",
                          "CET-1CEST,366,1",
                          "CET-1:60",
                          "CET-1CEST-2:00:60,M3.5.0,M10.5.0",
                          "CET-1CEST,M3.5.0/,M10.5.0",
                          "1CET"}) {
    std::string error;
    EXPECT_EQ(TimeZone::from_posix_string(bad, &error), nullptr) << bad;
    EXPECT_FALSE(error.empty()) << bad;
  }
  std::string error;
  EXPECT_EQ(TimeZone::from_posix_string(std::string(max_posix_tz_bytes + 1, 'A'), &error), nullptr);
  EXPECT_NE(error.find("too long"), std::string::npos) << error;
}

// ---- Names and files ----

TEST(TimeZoneTest, RefusesBadNames) {
  const std::string long_name(max_zone_name_bytes + 1, 'A');
  const std::string embedded_nul("Europe/Paris\0x", 14);
  for (std::string_view bad :
       {std::string_view("../etc/passwd"), std::string_view("/etc/passwd"), std::string_view(""),
        std::string_view("Europe/Nowhere"), std::string_view("Europe/../../etc/passwd"),
        std::string_view("Europe/Paris/"), std::string_view("Europe//Paris"),
        std::string_view("Europe/Pa ris"), std::string_view("zone.tab"), std::string_view("Europe"),
        std::string_view("leapseconds"), std::string_view("right/Europe/Paris"),
        std::string_view(long_name), std::string_view(embedded_nul)}) {
    std::string error;
    EXPECT_EQ(TimeZone::load(bad, &error), nullptr) << bad;
    EXPECT_FALSE(error.empty()) << bad;
    std::string cached_error;
    EXPECT_EQ(find_time_zone(bad, &cached_error), nullptr) << bad;
    EXPECT_EQ(cached_error, error) << bad;
  }
  std::string error;
  EXPECT_EQ(TimeZone::load("../etc/passwd", &error), nullptr);
  EXPECT_NE(error.find(".."), std::string::npos) << error;
  EXPECT_EQ(TimeZone::load("/etc/passwd", &error), nullptr);
  EXPECT_NE(error.find("absolute"), std::string::npos) << error;
  EXPECT_EQ(TimeZone::load("Europe/Nowhere", &error), nullptr);
  EXPECT_NE(error.find("unknown time zone"), std::string::npos) << error;
  EXPECT_EQ(TimeZone::load("right/Europe/Paris", &error), nullptr);
  EXPECT_NE(error.find("leap-second"), std::string::npos) << error;
  EXPECT_EQ(TimeZone::load("", nullptr), nullptr);  // a null error pointer is allowed
}

TEST(TimeZoneTest, TzdirWithBrokenFiles) {
  const std::string paris = read_bytes("/usr/share/zoneinfo/Europe/Paris");
  ASSERT_GT(paris.size(), 100u);
  TempDir dir;
  ASSERT_FALSE(dir.path().empty());
  dir.write("Good/Zone", paris);
  dir.write("Broken/Truncated", paris.substr(0, paris.size() / 2));
  dir.write("Broken/Empty", "");
  dir.write("Broken/Text", "this is not a zone file\n");
  // A link out of the directory (as Debian's localtime -> /etc/localtime) must not be followed,
  // even to a valid zone file.
  fs::create_directory_symlink("/usr/share/zoneinfo/Europe", dir.path() / "Escape");
  fs::create_symlink("Good/Zone", dir.path() / "Alias");

  ScopedEnv tzdir("TZDIR", dir.path().string());
  std::string error;
  const auto good = TimeZone::load("Good/Zone", &error);
  ASSERT_NE(good, nullptr) << error;
  EXPECT_EQ(good->utc_offset_seconds(utc(2026, 7, 1)), 7200);
  EXPECT_NE(TimeZone::load("Alias", &error), nullptr) << error;
  EXPECT_NE(find_time_zone("Good/Zone", &error), nullptr) << error;

  for (const char* bad : {"Broken/Truncated", "Broken/Empty", "Broken/Text", "Escape/Paris",
                          "Europe/Paris", "Broken"}) {
    error.clear();
    EXPECT_EQ(TimeZone::load(bad, &error), nullptr) << bad;
    EXPECT_NE(error.find(bad), std::string::npos) << error;
    error.clear();
    EXPECT_EQ(find_time_zone(bad, &error), nullptr) << bad;
    EXPECT_FALSE(error.empty()) << bad;
  }
  EXPECT_EQ(TimeZone::load("Escape/Paris", &error), nullptr);
  EXPECT_NE(error.find("outside"), std::string::npos) << error;
  EXPECT_EQ(TimeZone::load("Broken/Truncated", &error), nullptr);
  EXPECT_NE(error.find("truncated"), std::string::npos) << error;
}

TEST(TimeZoneTest, MissingZoneinfoDirectory) {
  ScopedEnv tzdir("TZDIR", "/nonexistent/cartable/zoneinfo");
  std::string error;
  EXPECT_EQ(TimeZone::load("Europe/Paris", &error), nullptr);
  EXPECT_NE(error.find("zoneinfo directory"), std::string::npos) << error;
}

// ---- Corrupt TZif images ----

TEST(TzifTest, EveryTruncationIsRefused) {
  const std::string paris = read_bytes("/usr/share/zoneinfo/Europe/Paris");
  ASSERT_GT(paris.size(), 100u);
  ASSERT_NE(TimeZone::from_tzif("Paris", paris, nullptr), nullptr);
  for (std::size_t size = 0; size < paris.size(); ++size) {
    // An exact-size heap copy, so that AddressSanitizer sees any read past the end.
    const std::vector<char> prefix(paris.begin(),
                                   paris.begin() + static_cast<std::ptrdiff_t>(size));
    std::string error;
    ASSERT_EQ(TimeZone::from_tzif("Paris", std::string_view(prefix.data(), prefix.size()), &error),
              nullptr)
        << size;
    ASSERT_FALSE(error.empty()) << size;
  }
}

TEST(TzifTest, CorruptedBytesNeverCrash) {
  // Under the sanitizers, any out-of-bounds read or overflow fails this test. Whatever still
  // parses must also answer queries without misbehaving.
  for (const char* name : {"Europe/Paris", "Indian/Reunion", "America/New_York"}) {
    const std::string original = read_bytes(fs::path("/usr/share/zoneinfo") / name);
    ASSERT_FALSE(original.empty());
    for (std::size_t i = 0; i < original.size(); ++i) {
      for (int value : {0x00, 0x7f, 0x80, 0xff}) {
        std::vector<char> bytes(original.begin(), original.end());  // exact size, see above
        bytes[i] = static_cast<char>(value);
        const auto zone =
            TimeZone::from_tzif(name, std::string_view(bytes.data(), bytes.size()), nullptr);
        if (zone) {
          for (std::int64_t t : {utc(1800, 1, 1), utc(2026, 3, 29, 1), utc(2090, 10, 29, 1)}) {
            (void)zone->to_local(t);
          }
          (void)zone->to_utc(Date{2026, 3, 29}, 150);
        }
      }
    }
  }
}

TEST(TzifTest, HandMadeFilesOfEachVersion) {
  const std::vector<TestType> types = {{3600, false, "AAA"}, {7200, true, "BBB"}};
  const std::vector<std::int64_t> times = {utc(2000, 3, 26, 1), utc(2000, 10, 29, 1)};
  for (char version : {'\0', '2', '3', '4'}) {
    std::string error;
    const auto zone = TimeZone::from_tzif(
        "Test", make_tzif(version, times, {1, 0}, types, "AAA-1BBB,M3.5.0,M10.5.0/3"), &error);
    ASSERT_NE(zone, nullptr) << error;
    EXPECT_EQ(zone->utc_offset_seconds(utc(1999, 1, 1)), 3600);
    EXPECT_EQ(zone->utc_offset_seconds(utc(2000, 7, 1)), 7200);
    EXPECT_EQ(zone->abbreviation(utc(2000, 7, 1)), "BBB");
    // Version 1 has no footer: the last type holds forever. Later versions follow the rule.
    EXPECT_EQ(zone->utc_offset_seconds(utc(2030, 7, 1)), version == '\0' ? 3600 : 7200);
  }
}

TEST(TzifTest, BeforeFirstTransitionUsesFirstStandardType) {
  const std::vector<TestType> types = {{7200, true, "DST"}, {1800, false, "STD"}};
  const auto zone =
      TimeZone::from_tzif("Test", make_tzif('2', {utc(2000, 1, 1)}, {0}, types, ""), nullptr);
  ASSERT_NE(zone, nullptr);
  EXPECT_EQ(zone->utc_offset_seconds(utc(1990, 1, 1)), 1800);
  EXPECT_EQ(zone->utc_offset_seconds(utc(2010, 1, 1)), 7200);  // empty footer: last type holds
}

TEST(TzifTest, NoTransitionsFollowsFooter) {
  const auto zone = TimeZone::from_tzif(
      "Test", make_tzif('2', {}, {}, {{0, false, "XXX"}}, "AAA-1BBB,M3.5.0,M10.5.0/3"), nullptr);
  ASSERT_NE(zone, nullptr);
  EXPECT_EQ(zone->utc_offset_seconds(utc(2026, 1, 1)), 3600);
  EXPECT_EQ(zone->utc_offset_seconds(utc(2026, 7, 1)), 7200);
}

TEST(TzifTest, RefusesInvalidTables) {
  const std::vector<TestType> types = {{3600, false, "AAA"}, {7200, true, "BBB"}};
  const std::vector<std::int64_t> times = {100, 200};
  const std::string good = make_tzif('\0', times, {1, 0}, types);
  ASSERT_NE(TimeZone::from_tzif("Test", good, nullptr), nullptr);

  struct Case {
    const char* what;
    std::string bytes;
    const char* expected;
  };
  std::vector<Case> cases;
  cases.push_back({"bad magic", "TZxf" + good.substr(4), "not a TZif"});
  cases.push_back({"version 5", good.substr(0, 4) + "5" + good.substr(5), "version"});
  std::string huge = good;
  patch_u32(huge, timecnt_at, 0xffffffff);
  cases.push_back({"huge timecnt", huge, "truncated"});
  std::string no_types = good;
  patch_u32(no_types, typecnt_at, 0);
  cases.push_back({"no types", no_types, "types"});
  std::string leap = good;
  patch_u32(leap, leapcnt_at, 1);
  leap += std::string(8, '\0');
  cases.push_back({"leap seconds", leap, "leap-second"});
  cases.push_back({"unsorted", make_tzif('\0', {200, 100}, {1, 0}, types), "increasing"});
  cases.push_back({"equal times", make_tzif('\0', {100, 100}, {1, 0}, types), "increasing"});
  cases.push_back({"bad index", make_tzif('\0', times, {1, 2}, types), "index"});
  cases.push_back({"offset",
                   make_tzif('\0', times, {1, 0}, {{3600, false, "A"}, {-90000, true, "B"}}),
                   "offset"});
  cases.push_back(
      {"min offset",
       make_tzif('\0', {}, {}, {{std::numeric_limits<std::int32_t>::min(), false, "A"}}),
       "offset"});
  std::string bad_dst = good;
  bad_dst[44 + 2 * 4 + 2 + 4] = 2;  // isdst of type 0
  cases.push_back({"isdst 2", bad_dst, "type"});
  std::string unterminated = good;
  unterminated.back() = 'X';  // the last abbreviation's NUL
  cases.push_back({"abbreviation", unterminated, "abbreviation"});
  const std::string v2 = make_tzif('2', times, {1, 0}, types, "AAA-1");
  ASSERT_NE(TimeZone::from_tzif("Test", v2, nullptr), nullptr);
  cases.push_back({"no footer newline", v2.substr(0, v2.size() - 1), "footer"});
  cases.push_back({"junk after footer", v2 + "x", "footer"});
  cases.push_back({"two-line footer", v2 + "AAA-1\n", "footer"});
  cases.push_back({"bad footer rule", make_tzif('2', times, {1, 0}, types, "AAA-1BBB"), "footer"});
  std::string mismatched = v2;
  mismatched[44 + 7 + 4] = '3';  // second header's version, after the 7-byte minimal v1 block
  cases.push_back({"mismatched versions", mismatched, "mismatched"});

  for (const Case& c : cases) {
    std::string error;
    EXPECT_EQ(TimeZone::from_tzif("Test", c.bytes, &error), nullptr) << c.what;
    EXPECT_NE(error.find(c.expected), std::string::npos) << c.what << ": " << error;
    EXPECT_NE(error.find("\"Test\""), std::string::npos) << c.what << ": " << error;
  }
}

// ---- The cache ----

TEST(FindTimeZoneTest, LoadsOnceAndSharesAcrossThreads) {
  std::string error;
  const auto first = find_time_zone("Europe/Paris", &error);
  ASSERT_NE(first, nullptr) << error;
  EXPECT_EQ(find_time_zone("Europe/Paris", &error), first);
  EXPECT_NE(find_time_zone("America/New_York", &error), first);

  std::atomic<int> same{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] {
      for (int j = 0; j < 200; ++j) {
        const auto zone = find_time_zone(j % 2 == 0 ? "Europe/Paris" : "Indian/Reunion", nullptr);
        if (zone && (j % 2 != 0 || zone == first) && zone->utc_offset_seconds(0) != 0) {
          ++same;
        }
      }
    });
  }
  for (std::thread& thread : threads) {
    thread.join();
  }
  EXPECT_EQ(same.load(), 8 * 200);
}

}  // namespace
}  // namespace cartable
