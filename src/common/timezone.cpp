#include "common/timezone.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <limits>
#include <mutex>
#include <optional>
#include <unordered_map>
#include <utility>
#include <vector>

namespace cartable {
namespace {

constexpr std::int64_t seconds_per_day = 86400;
// RFC 8536 section 3.2 bounds utoff to (-25 h, +26 h). Enforcing it on every type we accept keeps
// the to_utc search window small and all instant arithmetic far from overflow.
constexpr std::int32_t min_utc_offset = -89999;
constexpr std::int32_t max_utc_offset = 93599;
// Half-width of the UTC window in which to_utc looks for transitions: wider than any offset.
constexpr std::int64_t to_utc_window_seconds = 27 * 3600;
constexpr std::string_view default_zoneinfo_dir = "/usr/share/zoneinfo";

struct LocalType {
  std::int32_t utc_offset = 0;
  bool is_dst = false;
  std::string abbreviation;
};

// One of the two yearly switch dates of a POSIX rule.
struct RuleDate {
  enum class Kind { julian_no_leap, zero_based, month_week_day };
  Kind kind = Kind::month_week_day;
  int day = 0;                           // Jn: 1..365, n: 0..365
  int month = 0, week = 0, weekday = 0;  // Mm.w.d: 1..12, 1..5 (5 = last), 0..6 (0 = Sunday)
  std::int32_t time = 2 * 3600;          // wall-clock seconds after local midnight, -167 h..+167 h
};

struct PosixRule {
  LocalType standard;
  bool has_dst = false;
  LocalType dst;
  RuleDate start, end;  // start is read in standard time, end in daylight time
};

std::int64_t clamp_instant(std::int64_t t) {
  return std::clamp(t, -instant_limit_seconds, instant_limit_seconds);
}

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  const std::int64_t q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

void set_error(std::string* error, std::string message) {
  if (error != nullptr) {
    *error = std::move(message);
  }
}

std::string in_quotes(std::string_view text) {
  std::string out = "\"";
  out += text;
  out += '"';
  return out;
}

// ---- POSIX TZ strings (POSIX.1-2017 section 8.3, with the RFC 8536 section 3.3.1 extensions) ----

class PosixParser {
 public:
  explicit PosixParser(std::string_view text) : text_(text) {}

  std::optional<PosixRule> parse(std::string* reason) {
    PosixRule rule;
    std::int32_t offset = 0;
    if (!parse_name(rule.standard.abbreviation)) {
      return fail(reason, "bad standard-time name");
    }
    if (!parse_hms(24, offset)) {
      return fail(reason, "bad standard-time offset");
    }
    rule.standard.utc_offset = -offset;  // POSIX counts west of Greenwich as positive
    if (at_end()) {
      return rule;
    }
    rule.has_dst = true;
    rule.dst.is_dst = true;
    if (!parse_name(rule.dst.abbreviation)) {
      return fail(reason, "bad daylight-time name");
    }
    rule.dst.utc_offset = rule.standard.utc_offset + 3600;
    if (!at_end() && peek() != ',') {
      if (!parse_hms(24, offset)) {
        return fail(reason, "bad daylight-time offset");
      }
      rule.dst.utc_offset = -offset;
    }
    if (at_end()) {
      return fail(reason, "daylight time without switch rules");
    }
    if (!consume(',') || !parse_rule_date(rule.start) || !consume(',') ||
        !parse_rule_date(rule.end) || !at_end()) {
      return fail(reason, "bad daylight-time switch rules");
    }
    return rule;
  }

 private:
  static std::optional<PosixRule> fail(std::string* reason, const char* what) {
    *reason = what;
    return std::nullopt;
  }

  bool at_end() const { return pos_ == text_.size(); }
  char peek() const { return text_[pos_]; }
  bool consume(char c) {
    if (at_end() || peek() != c) {
      return false;
    }
    ++pos_;
    return true;
  }

  static bool is_alpha(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }
  static bool is_digit(char c) { return c >= '0' && c <= '9'; }

  // "CET" (letters) or "<+0330>" (letters, digits, '+', '-'), at least three characters.
  bool parse_name(std::string& out) {
    if (consume('<')) {
      const std::size_t begin = pos_;
      while (!at_end() &&
             (is_alpha(peek()) || is_digit(peek()) || peek() == '+' || peek() == '-')) {
        ++pos_;
      }
      out = std::string(text_.substr(begin, pos_ - begin));
      return consume('>') && out.size() >= 3;
    }
    const std::size_t begin = pos_;
    while (!at_end() && is_alpha(peek())) {
      ++pos_;
    }
    out = std::string(text_.substr(begin, pos_ - begin));
    return out.size() >= 3;
  }

  // 1 to `max_digits` decimal digits, at most `max_value`.
  bool parse_number(int max_digits, int max_value, int& out) {
    int digits = 0;
    out = 0;
    while (!at_end() && is_digit(peek()) && digits < max_digits) {
      out = out * 10 + (peek() - '0');
      ++pos_;
      ++digits;
    }
    return digits > 0 && out <= max_value;
  }

  // [+-]h[h[h]][:mm[:ss]], hours at most `max_hours`, as signed seconds.
  bool parse_hms(int max_hours, std::int32_t& out) {
    int sign = 1;
    if (consume('-')) {
      sign = -1;
    } else {
      consume('+');
    }
    int hours = 0, minutes = 0, seconds = 0;
    if (!parse_number(3, max_hours, hours)) {
      return false;
    }
    if (consume(':')) {
      if (!parse_number(2, 59, minutes)) {
        return false;
      }
      if (consume(':') && !parse_number(2, 59, seconds)) {
        return false;
      }
    }
    out = sign * (hours * 3600 + minutes * 60 + seconds);
    return true;
  }

  // Jn | n | Mm.w.d, then an optional /time.
  bool parse_rule_date(RuleDate& out) {
    if (consume('J')) {
      out.kind = RuleDate::Kind::julian_no_leap;
      if (!parse_number(3, 365, out.day) || out.day < 1) {
        return false;
      }
    } else if (consume('M')) {
      out.kind = RuleDate::Kind::month_week_day;
      if (!parse_number(2, 12, out.month) || out.month < 1 || !consume('.') ||
          !parse_number(1, 5, out.week) || out.week < 1 || !consume('.') ||
          !parse_number(1, 6, out.weekday)) {
        return false;
      }
    } else {
      out.kind = RuleDate::Kind::zero_based;
      if (!parse_number(3, 365, out.day)) {
        return false;
      }
    }
    if (consume('/')) {
      return parse_hms(167, out.time);
    }
    return true;
  }

  std::string_view text_;
  std::size_t pos_ = 0;
};

std::optional<PosixRule> parse_posix_rule(std::string_view text, std::string* reason) {
  if (text.size() > max_posix_tz_bytes) {
    *reason = "TZ string too long";
    return std::nullopt;
  }
  return PosixParser(text).parse(reason);
}

bool is_leap_year(std::int64_t year) {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

// The wall-clock moment of `date` in `year`, as seconds since 1970-01-01 00:00 of that wall clock.
std::int64_t rule_wall_seconds(const RuleDate& date, int year) {
  const std::int64_t jan1 = days_from_civil(Date{year, 1, 1});
  std::int64_t day = 0;
  switch (date.kind) {
    case RuleDate::Kind::julian_no_leap:
      // Jn never counts 29 February: J60 is always 1 March.
      day = jan1 + date.day - 1 + (is_leap_year(year) && date.day >= 60 ? 1 : 0);
      break;
    case RuleDate::Kind::zero_based:
      day = jan1 + date.day;
      break;
    case RuleDate::Kind::month_week_day: {
      const Date first{year, date.month, 1};
      const std::int64_t first_day = days_from_civil(first);
      const std::int64_t next_month =
          days_from_civil(date.month == 12 ? Date{year + 1, 1, 1} : Date{year, date.month + 1, 1});
      const int first_weekday = iso_weekday(first) % 7;  // POSIX counts Sunday as 0
      day = first_day + (date.weekday - first_weekday + 7) % 7 + 7 * (date.week - 1);
      while (day >= next_month) {  // week 5 means the last such weekday of the month
        day -= 7;
      }
      break;
    }
  }
  return day * seconds_per_day + date.time;
}

struct RuleSwitch {
  std::int64_t at;  // UTC
  bool to_dst;
};

// The DST switches of the years around `t`, sorted. Looking at neighbouring years too covers
// switches that RFC 8536 times (up to 167 h) push across a year boundary, and southern-hemisphere
// rules whose DST spans New Year.
std::array<RuleSwitch, 8> switches_around(const PosixRule& rule, std::int64_t t) {
  const int year = civil_from_days(floor_div(t + rule.standard.utc_offset, seconds_per_day)).year;
  std::array<RuleSwitch, 8> out{};
  std::size_t n = 0;
  for (int y = year - 1; y <= year + 2; ++y) {
    out[n++] = {rule_wall_seconds(rule.start, y) - rule.standard.utc_offset, true};
    out[n++] = {rule_wall_seconds(rule.end, y) - rule.dst.utc_offset, false};
  }
  // On a tie the start wins, so that "DST all year" (0/0,J365/25) stays in DST across New Year.
  std::sort(out.begin(), out.end(), [](const RuleSwitch& a, const RuleSwitch& b) {
    return a.at != b.at ? a.at < b.at : (!a.to_dst && b.to_dst);
  });
  return out;
}

const LocalType& rule_type_at(const PosixRule& rule, std::int64_t t) {
  if (!rule.has_dst) {
    return rule.standard;
  }
  bool dst = false;
  for (const RuleSwitch& s : switches_around(rule, t)) {
    if (s.at > t) {
      break;
    }
    dst = s.to_dst;
  }
  return dst ? rule.dst : rule.standard;
}

std::optional<std::int64_t> rule_next_switch(const PosixRule& rule, std::int64_t t) {
  if (!rule.has_dst) {
    return std::nullopt;
  }
  for (const RuleSwitch& s : switches_around(rule, t)) {
    if (s.at > t) {
      return s.at;
    }
  }
  return std::nullopt;
}

// ---- TZif (RFC 8536) ----

class ByteReader {
 public:
  explicit ByteReader(std::string_view bytes) : bytes_(bytes) {}

  std::size_t remaining() const { return bytes_.size() - pos_; }
  bool has(std::uint64_t n) const { return n <= remaining(); }

  // Unchecked, for speed and brevity: callers first check has() for the whole block they read.
  std::uint8_t u8() { return static_cast<std::uint8_t>(bytes_[pos_++]); }
  std::uint32_t u32() {
    std::uint32_t v = 0;
    for (int i = 0; i < 4; ++i) {
      v = (v << 8) | u8();
    }
    return v;
  }
  std::uint64_t u64() {
    std::uint64_t v = 0;
    for (int i = 0; i < 8; ++i) {
      v = (v << 8) | u8();
    }
    return v;
  }
  std::string_view take(std::size_t n) {
    const std::string_view out = bytes_.substr(pos_, n);
    pos_ += n;
    return out;
  }
  void skip(std::size_t n) { pos_ += n; }

 private:
  std::string_view bytes_;
  std::size_t pos_ = 0;
};

struct TzifHeader {
  char version = 0;
  std::uint32_t isutcnt = 0, isstdcnt = 0, leapcnt = 0, timecnt = 0, typecnt = 0, charcnt = 0;

  // Size of the data block that follows, in 64-bit arithmetic so hostile counts cannot wrap.
  std::uint64_t data_bytes(std::uint64_t time_bytes) const {
    return std::uint64_t{timecnt} * (time_bytes + 1) + std::uint64_t{typecnt} * 6 + charcnt +
           std::uint64_t{leapcnt} * (time_bytes + 4) + isstdcnt + isutcnt;
  }
};

constexpr std::size_t tzif_header_bytes = 44;

bool read_header(ByteReader& in, TzifHeader& header, std::string& reason) {
  if (!in.has(tzif_header_bytes)) {
    reason = "truncated header";
    return false;
  }
  if (in.take(4) != "TZif") {
    reason = "not a TZif file";
    return false;
  }
  header.version = static_cast<char>(in.u8());
  if (header.version != 0 && (header.version < '2' || header.version > '4')) {
    reason = "unsupported TZif version";
    return false;
  }
  in.skip(15);
  header.isutcnt = in.u32();
  header.isstdcnt = in.u32();
  header.leapcnt = in.u32();
  header.timecnt = in.u32();
  header.typecnt = in.u32();
  header.charcnt = in.u32();
  return true;
}

}  // namespace

struct TimeZone::Data {
  std::vector<std::int64_t> transition_times;  // strictly increasing
  std::vector<std::uint8_t> transition_types;  // each < types.size()
  std::vector<LocalType> types;                // never empty
  std::size_t initial_type = 0;                // in force before the first transition
  std::optional<PosixRule> rule;               // in force after the last transition
};

namespace {

// Reads the data block described by `header` (whose counts the caller has checked fit the file).
bool read_data_block(ByteReader& in, const TzifHeader& header, std::size_t time_bytes,
                     TimeZone::Data& data, std::string& reason) {
  if (header.typecnt == 0 || header.charcnt == 0) {
    reason = "no local time types";
    return false;
  }
  if ((header.isutcnt != 0 && header.isutcnt != header.typecnt) ||
      (header.isstdcnt != 0 && header.isstdcnt != header.typecnt)) {
    reason = "inconsistent indicator counts";
    return false;
  }
  if (header.leapcnt != 0) {
    reason = "leap-second zones (\"right/\") are not supported";
    return false;
  }
  data.transition_times.reserve(header.timecnt);
  for (std::uint32_t i = 0; i < header.timecnt; ++i) {
    const std::int64_t t = time_bytes == 4 ? std::int64_t{static_cast<std::int32_t>(in.u32())}
                                           : static_cast<std::int64_t>(in.u64());
    if (!data.transition_times.empty() && t <= data.transition_times.back()) {
      reason = "transition times not increasing";
      return false;
    }
    data.transition_times.push_back(t);
  }
  data.transition_types.reserve(header.timecnt);
  for (std::uint32_t i = 0; i < header.timecnt; ++i) {
    const std::uint8_t index = in.u8();
    if (index >= header.typecnt) {
      reason = "transition type index out of range";
      return false;
    }
    data.transition_types.push_back(index);
  }
  std::vector<std::uint8_t> abbreviation_indices;
  data.types.reserve(header.typecnt);
  for (std::uint32_t i = 0; i < header.typecnt; ++i) {
    LocalType type;
    type.utc_offset = static_cast<std::int32_t>(in.u32());
    const std::uint8_t is_dst = in.u8();
    const std::uint8_t abbreviation_index = in.u8();
    if (type.utc_offset < min_utc_offset || type.utc_offset > max_utc_offset) {
      reason = "UTC offset out of range";
      return false;
    }
    if (is_dst > 1 || abbreviation_index >= header.charcnt) {
      reason = "bad local time type";
      return false;
    }
    type.is_dst = is_dst == 1;
    abbreviation_indices.push_back(abbreviation_index);
    data.types.push_back(std::move(type));
  }
  const std::string_view chars = in.take(header.charcnt);
  for (std::size_t i = 0; i < data.types.size(); ++i) {
    const std::size_t nul = chars.find('\0', abbreviation_indices[i]);
    if (nul == std::string_view::npos) {
      reason = "unterminated time zone abbreviation";
      return false;
    }
    data.types[i].abbreviation =
        std::string(chars.substr(abbreviation_indices[i], nul - abbreviation_indices[i]));
  }
  // The standard/wall and UT/local indicators only matter for POSIX rules without dates, which
  // we refuse; their size was counted in data_bytes.
  in.skip(std::size_t{header.isstdcnt} + header.isutcnt);

  // RFC 8536 says type 0; zic makes it the first standard type anyway, and preferring a standard
  // type guards against files that start with a DST type.
  const auto standard = std::find_if(data.types.begin(), data.types.end(),
                                     [](const LocalType& type) { return !type.is_dst; });
  data.initial_type =
      standard == data.types.end() ? 0 : static_cast<std::size_t>(standard - data.types.begin());
  return true;
}

std::unique_ptr<TimeZone::Data> parse_tzif(std::string_view bytes, std::string& reason) {
  ByteReader in(bytes);
  TzifHeader header;
  if (!read_header(in, header, reason)) {
    return nullptr;
  }
  std::size_t time_bytes = 4;
  if (header.version != 0) {
    // Version 2+: skip the 32-bit block, whose times stop in 2038, and use the 64-bit one.
    const std::uint64_t v1_bytes = header.data_bytes(4);
    if (!in.has(v1_bytes)) {
      reason = "truncated version 1 data";
      return nullptr;
    }
    in.skip(static_cast<std::size_t>(v1_bytes));
    const char v1_version = header.version;
    if (!read_header(in, header, reason)) {
      return nullptr;
    }
    if (header.version != v1_version) {
      reason = "mismatched TZif versions";
      return nullptr;
    }
    time_bytes = 8;
  }
  if (!in.has(header.data_bytes(time_bytes))) {
    reason = "truncated data";
    return nullptr;
  }
  auto data = std::make_unique<TimeZone::Data>();
  if (!read_data_block(in, header, time_bytes, *data, reason)) {
    return nullptr;
  }
  if (header.version == 0) {
    return data;
  }
  // The footer: "\n" TZ-string "\n", ending the file.
  const std::string_view footer = in.take(in.remaining());
  if (footer.size() < 2 || footer.front() != '\n' || footer.back() != '\n' ||
      footer.find('\n', 1) != footer.size() - 1) {
    reason = "missing or malformed footer";
    return nullptr;
  }
  const std::string_view tz = footer.substr(1, footer.size() - 2);
  if (!tz.empty()) {  // empty: no rule, the last transition's type holds forever
    std::string why;
    data->rule = parse_posix_rule(tz, &why);
    if (!data->rule) {
      reason = "footer TZ string " + in_quotes(tz.substr(0, max_posix_tz_bytes)) + ": " + why;
      return nullptr;
    }
  }
  return data;
}

const LocalType& type_at(const TimeZone::Data& data, std::int64_t t) {
  const auto& times = data.transition_times;
  if (times.empty() || t >= times.back()) {
    if (data.rule) {
      return rule_type_at(*data.rule, clamp_instant(t));
    }
    return data.types[times.empty() ? data.initial_type : data.transition_types.back()];
  }
  if (t < times.front()) {
    return data.types[data.initial_type];
  }
  // The transition at exactly t is already in force.
  const auto after = std::upper_bound(times.begin(), times.end(), t);
  return data.types[data.transition_types[static_cast<std::size_t>(after - times.begin() - 1)]];
}

// The first instant after `t` at which the local time type may change.
std::optional<std::int64_t> next_change(const TimeZone::Data& data, std::int64_t t) {
  const auto& times = data.transition_times;
  if (!times.empty() && t < times.back()) {
    return *std::upper_bound(times.begin(), times.end(), t);
  }
  if (data.rule) {
    return rule_next_switch(*data.rule, clamp_instant(t));
  }
  return std::nullopt;
}

// ---- Files ----

std::string zoneinfo_dir() {
  // The environment is never modified after start-up.
  const char* dir = std::getenv("TZDIR");  // NOLINT(concurrency-mt-unsafe)
  return dir != nullptr && *dir != '\0' ? std::string(dir) : std::string(default_zoneinfo_dir);
}

// Returns an error message, or an empty string when `name` may be looked up as a file.
std::string check_zone_name(std::string_view name) {
  if (name.empty()) {
    return "time zone name is empty";
  }
  if (name.size() > max_zone_name_bytes) {
    return "time zone name longer than " + std::to_string(max_zone_name_bytes) + " bytes";
  }
  if (name.front() == '/') {
    return "time zone name " + in_quotes(name) + " is an absolute path";
  }
  std::size_t begin = 0;
  while (begin <= name.size()) {
    const std::size_t end = std::min(name.find('/', begin), name.size());
    const std::string_view component = name.substr(begin, end - begin);
    if (component == "..") {
      return "time zone name " + in_quotes(name) + " contains \"..\"";
    }
    if (component.empty()) {
      return "time zone name " + in_quotes(name) + " has an empty path component";
    }
    begin = end + 1;
  }
  for (char c : name) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '+' || c == '-' || c == '/';
    if (!ok) {
      return "time zone name contains a character outside [A-Za-z0-9_+-/]";
    }
  }
  return {};
}

// Reads zoneinfo_dir()/name into `bytes`, refusing anything that resolves outside the directory.
bool read_zone_file(std::string_view name, std::string& bytes, std::string& reason) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const std::string dir = zoneinfo_dir();
  const fs::path root = fs::canonical(dir, ec);
  if (ec) {
    reason = "zoneinfo directory " + in_quotes(dir) + ": " + ec.message();
    return false;
  }
  const fs::path path = fs::canonical(root / fs::path(name), ec);
  if (ec) {
    reason = ec == std::errc::no_such_file_or_directory ? std::string("unknown time zone")
                                                        : ec.message();
    return false;
  }
  // Links inside the directory are normal (UTC -> Etc/UTC); one leading out is not
  // (Debian's localtime -> /etc/localtime).
  std::string prefix = root.string();
  if (prefix.back() != '/') {
    prefix += '/';
  }
  if (path.string().compare(0, prefix.size(), prefix) != 0) {
    reason = "resolves outside the zoneinfo directory";
    return false;
  }
  // O_NOFOLLOW: the path is canonical, so a symlink here means it changed under us.
  // O_NONBLOCK: a FIFO planted in the directory must not hang the caller.
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY);
  if (fd < 0) {
    reason = std::error_code(errno, std::generic_category()).message();
    return false;
  }
  struct stat info {};
  bool ok = ::fstat(fd, &info) == 0 && S_ISREG(info.st_mode) &&
            static_cast<std::uint64_t>(info.st_size) <= max_tzif_file_bytes;
  if (!ok) {
    reason = "not a regular file of at most " + std::to_string(max_tzif_file_bytes) + " bytes";
  } else {
    // Read one byte past the limit so a file that grew since fstat is still refused.
    bytes.resize(max_tzif_file_bytes + 1);
    std::size_t size = 0;
    while (ok && size < bytes.size()) {
      const ssize_t n = ::read(fd, bytes.data() + size, bytes.size() - size);
      if (n > 0) {
        size += static_cast<std::size_t>(n);
      } else if (n == 0) {
        break;
      } else if (errno != EINTR) {
        reason = std::error_code(errno, std::generic_category()).message();
        ok = false;
      }
    }
    bytes.resize(size);
    if (ok && size > max_tzif_file_bytes) {
      reason = "file larger than " + std::to_string(max_tzif_file_bytes) + " bytes";
      ok = false;
    }
  }
  ::close(fd);
  return ok;
}

}  // namespace

TimeZone::TimeZone(std::string name, std::unique_ptr<const Data> data)
    : name_(std::move(name)), data_(std::move(data)) {}

TimeZone::~TimeZone() = default;

std::shared_ptr<const TimeZone> TimeZone::from_tzif(std::string_view name, std::string_view bytes,
                                                    std::string* error) {
  try {
    std::string reason;
    std::unique_ptr<Data> data = parse_tzif(bytes, reason);
    if (!data) {
      set_error(error, "time zone " + in_quotes(name) + ": " + reason);
      return nullptr;
    }
    return std::shared_ptr<const TimeZone>(new TimeZone(std::string(name), std::move(data)));
  } catch (const std::exception& e) {  // allocation failure: report, as promised, never throw
    set_error(error, "time zone " + in_quotes(name) + ": " + e.what());
    return nullptr;
  }
}

std::shared_ptr<const TimeZone> TimeZone::load(std::string_view name, std::string* error) {
  try {
    if (std::string reason = check_zone_name(name); !reason.empty()) {
      set_error(error, std::move(reason));
      return nullptr;
    }
    std::string bytes, reason;
    if (!read_zone_file(name, bytes, reason)) {
      set_error(error, "time zone " + in_quotes(name) + ": " + reason);
      return nullptr;
    }
    return from_tzif(name, bytes, error);
  } catch (const std::exception& e) {
    set_error(error, "time zone " + in_quotes(name) + ": " + e.what());
    return nullptr;
  }
}

std::shared_ptr<const TimeZone> TimeZone::from_posix_string(std::string_view tz,
                                                            std::string* error) {
  try {
    if (tz.empty()) {
      set_error(error, "empty TZ string");
      return nullptr;
    }
    std::string reason;
    std::optional<PosixRule> rule = parse_posix_rule(tz, &reason);
    if (!rule) {
      set_error(error, "TZ string " + in_quotes(tz.substr(0, max_posix_tz_bytes)) + ": " + reason);
      return nullptr;
    }
    auto data = std::make_unique<Data>();
    data->types.push_back(rule->standard);
    data->rule = std::move(rule);
    return std::shared_ptr<const TimeZone>(new TimeZone(std::string(tz), std::move(data)));
  } catch (const std::exception& e) {
    set_error(error, std::string("TZ string: ") + e.what());
    return nullptr;
  }
}

int TimeZone::utc_offset_seconds(std::int64_t unix_seconds) const {
  return type_at(*data_, clamp_instant(unix_seconds)).utc_offset;
}

std::string TimeZone::abbreviation(std::int64_t unix_seconds) const {
  return type_at(*data_, clamp_instant(unix_seconds)).abbreviation;
}

LocalTime TimeZone::to_local(std::int64_t unix_seconds) const {
  const std::int64_t t = clamp_instant(unix_seconds);
  const LocalType& type = type_at(*data_, t);
  const std::int64_t local = t + type.utc_offset;
  const std::int64_t days = floor_div(local, seconds_per_day);
  const auto second_of_day = static_cast<int>(local - days * seconds_per_day);
  return LocalTime{civil_from_days(days), second_of_day / 60, second_of_day % 60, type.utc_offset,
                   type.is_dst};
}

std::int64_t TimeZone::to_utc(Date date, int minute_of_day) const {
  const std::int64_t local =
      clamp_instant(days_from_civil(date) * seconds_per_day + std::int64_t{minute_of_day} * 60);
  // The offset is piecewise constant in UTC. Walk its pieces over a window wider than any offset:
  // an instant u answers if local - offset(u) == u lies in the piece that offset belongs to.
  const std::int64_t window_end = local + to_utc_window_seconds;
  std::int64_t piece_begin = local - to_utc_window_seconds;
  std::int32_t offset = type_at(*data_, piece_begin).utc_offset;
  std::optional<std::int64_t> after_gap;
  while (piece_begin <= window_end) {
    const std::optional<std::int64_t> change = next_change(*data_, piece_begin);
    const std::int64_t piece_end = change ? *change : std::numeric_limits<std::int64_t>::max();
    const std::int64_t candidate = local - offset;
    if (candidate >= piece_begin && candidate < piece_end) {
      return candidate;  // pieces come in order, so the first match is the earlier of two
    }
    if (!change || *change > window_end) {
      break;
    }
    const std::int32_t next_offset = type_at(*data_, *change).utc_offset;
    // In a spring gap the wall clock jumps from change + offset to change + next_offset.
    if (!after_gap && *change + offset <= local && local < *change + next_offset) {
      after_gap = local - offset;
    }
    piece_begin = *change;
    offset = next_offset;
  }
  return after_gap ? *after_gap : local - type_at(*data_, local).utc_offset;
}

std::shared_ptr<const TimeZone> find_time_zone(std::string_view name, std::string* error) {
  struct Cache {
    std::mutex mutex;
    std::unordered_map<std::string, std::shared_ptr<const TimeZone>> zones;
  };
  // Never destroyed, so threads still running at exit can use it.
  static Cache* const cache = new Cache;
  try {
    if (std::string reason = check_zone_name(name); !reason.empty()) {
      set_error(error, std::move(reason));
      return nullptr;
    }
    std::string key = zoneinfo_dir();
    key += '\0';
    key += name;
    // Held while loading too: a zone is read at most once, and loads are rare and small.
    const std::lock_guard lock(cache->mutex);
    if (const auto it = cache->zones.find(key); it != cache->zones.end()) {
      return it->second;
    }
    std::shared_ptr<const TimeZone> zone = TimeZone::load(name, error);
    if (zone) {
      cache->zones.emplace(std::move(key), zone);
    }
    return zone;
  } catch (const std::exception& e) {
    set_error(error, "time zone " + in_quotes(name) + ": " + e.what());
    return nullptr;
  }
}

}  // namespace cartable
