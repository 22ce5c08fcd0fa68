// Calendar dates without time zones: the days schools reason in (due dates, holidays, timetables).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cartable {

struct Date {
  int year = 1970;
  int month = 1;  // 1..12
  int day = 1;    // 1..31

  friend auto operator<=>(const Date&, const Date&) = default;
};

// Days since 1970-01-01 (negative before); valid for any proleptic Gregorian date.
std::int64_t days_from_civil(Date date);
Date civil_from_days(std::int64_t days);

inline Date add_days(Date date, std::int64_t days) {
  return civil_from_days(days_from_civil(date) + days);
}

// ISO 8601: 1 = Monday ... 7 = Sunday.
int iso_weekday(Date date);
// ISO 8601 week number, 1..53.
int iso_week_number(Date date);

// Parses exactly "YYYY-MM-DD" (a real calendar date, year 1900..9999); nullopt otherwise.
std::optional<Date> parse_date(std::string_view text);
std::string format_date(Date date);

// Parses exactly "HH:MM" (00:00..23:59, or 24:00) to minutes after midnight; nullopt otherwise.
std::optional<int> parse_minute_of_day(std::string_view text);
std::string format_minute_of_day(int minutes);

// "2026-11-23T07:45:00Z" for a count of seconds since 1970-01-01T00:00:00Z.
std::string format_utc_timestamp(std::int64_t unix_seconds);
// The reverse, for exactly that form; nullopt otherwise.
std::optional<std::int64_t> parse_utc_timestamp(std::string_view text);

}  // namespace cartable
