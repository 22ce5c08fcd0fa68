// IANA time zones read straight from the system's TZif files (RFC 8536).
//
// g++ 12's libstdc++ has no std::chrono::zoned_time, and switching the process-wide TZ variable
// is not thread-safe, so schools' local times ("homework due 7:50 in Guadeloupe") go through this
// small reader instead. A TimeZone is immutable once loaded: share it freely between threads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "common/civil_time.hpp"

namespace cartable {

// Longest zone name accepted; the longest IANA name today is 32 bytes.
inline constexpr std::size_t max_zone_name_bytes = 64;
// Largest TZif file read; real ones are under 5 KiB, so anything bigger is not a zone file.
inline constexpr std::size_t max_tzif_file_bytes = 256 * 1024;
// Longest POSIX TZ string accepted by TimeZone::from_posix_string.
inline constexpr std::size_t max_posix_tz_bytes = 256;
// Instants are clamped to +/- this many seconds (about 316,000 years) so that no date or offset
// arithmetic can overflow; inside that range the result is exact.
inline constexpr std::int64_t instant_limit_seconds = 10'000'000'000'000;

struct LocalTime {
  Date date;
  int minute_of_day = 0;       // 0..1439
  int second = 0;              // 0..59
  int utc_offset_seconds = 0;  // local wall clock = UTC + offset
  bool is_dst = false;
};

class TimeZone {
 public:
  ~TimeZone();
  TimeZone(const TimeZone&) = delete;
  TimeZone& operator=(const TimeZone&) = delete;

  // Loads the IANA zone `name` (e.g. "Europe/Paris", "UTC", "Indian/Reunion") from the zoneinfo
  // directory: $TZDIR if set and non-empty, else /usr/share/zoneinfo. Never throws.
  // Refuses, returning nullptr with a message in *error (when error is not null):
  // - a name that is empty, longer than max_zone_name_bytes, absolute, containing a ".." or empty
  //   path component, or any character outside [A-Za-z0-9_+-/];
  // - a name that resolves (after symlinks) outside the zoneinfo directory, is missing, or is not
  //   a regular file of at most max_tzif_file_bytes;
  // - a file that is not valid TZif version 1 to 4: bad magic, counts that do not fit the file
  //   size, unsorted transitions, out-of-range type indices, offsets or abbreviations, a missing
  //   or unparsable footer TZ string (version 2+), or leap-second records (the "right/" zones,
  //   whose timestamps are not POSIX time).
  static std::shared_ptr<const TimeZone> load(std::string_view name, std::string* error);

  // Parses a TZif image already in memory; `name` is only recorded. Same refusals as load for
  // the content. Used by load, and by tests and fuzzers to feed arbitrary bytes.
  static std::shared_ptr<const TimeZone> from_tzif(std::string_view name, std::string_view bytes,
                                                   std::string* error);

  // A zone made of a POSIX TZ rule alone, e.g. "AEST-10AEDT,M10.1.0,M4.1.0/3" (also its name).
  // Accepts "STDoffset" and "STDoffset DST[offset],start[/time],end[/time]" with Jn, n and Mm.w.d
  // dates, <quoted> names and RFC 8536 times (-167..167 hours). Refuses, with *error set: an empty
  // string, one over max_posix_tz_bytes, names under 3 characters, offsets over 24 hours, dates
  // out of range, a DST name without rules (the POSIX default rules are implementation-defined).
  static std::shared_ptr<const TimeZone> from_posix_string(std::string_view tz, std::string* error);

  // The name it was loaded under ("UTC", not the "Etc/UTC" its file links to).
  const std::string& name() const { return name_; }

  // Seconds to add to UTC to get the wall clock at `unix_seconds` (+3600 for Paris in winter).
  int utc_offset_seconds(std::int64_t unix_seconds) const;
  // The wall clock at `unix_seconds`, which is clamped to +/- instant_limit_seconds.
  LocalTime to_local(std::int64_t unix_seconds) const;
  // The abbreviation in use at `unix_seconds` ("CET", "CEST", "+04"); may be empty.
  std::string abbreviation(std::int64_t unix_seconds) const;

  // The UTC instant of a wall-clock time, for "7:50 local" scheduling. `date` is read as
  // days_from_civil reads it and `minute_of_day` may leave 0..1439 (1440 is the next midnight).
  // A time that occurs twice (autumn fall-back) gives the earlier instant. A skipped time (spring
  // gap) gives the instant it would be had the clock not yet moved, which the clock shows as just
  // after the gap: Paris 02:30 on the spring-forward day gives 01:30 UTC, shown as 03:30 CEST.
  std::int64_t to_utc(Date date, int minute_of_day) const;

  struct Data;  // The parsed tables; defined in timezone.cpp.

 private:
  TimeZone(std::string name, std::unique_ptr<const Data> data);

  std::string name_;
  std::unique_ptr<const Data> data_;
};

// Process-wide, thread-safe cache in front of TimeZone::load: each zone file is read once per
// zoneinfo directory, then shared. Refuses exactly what TimeZone::load refuses, with the same
// messages; failures are not cached, so a zone installed later is found on the next call.
std::shared_ptr<const TimeZone> find_time_zone(std::string_view name, std::string* error);

}  // namespace cartable
