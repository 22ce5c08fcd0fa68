#include "common/civil_time.hpp"

#include <charconv>
#include <cstdio>

namespace cartable {
namespace {

bool is_leap(int year) {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int days_in_month(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && is_leap(year) ? 29 : kDays[month - 1];
}

// Parses exactly `digits` decimal digits.
std::optional<int> parse_fixed_digits(std::string_view text, std::size_t digits) {
  if (text.size() != digits) {
    return std::nullopt;
  }
  int value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') {
      return std::nullopt;
    }
    value = value * 10 + (c - '0');
  }
  return value;
}

}  // namespace

// The era-based algorithm from Howard Hinnant's "chrono-Compatible Low-Level Date Algorithms".
std::int64_t days_from_civil(Date date) {
  const std::int64_t y = date.year - (date.month <= 2 ? 1 : 0);
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const std::int64_t yoe = y - era * 400;
  const std::int64_t mp = (date.month + 9) % 12;
  const std::int64_t doy = (153 * mp + 2) / 5 + date.day - 1;
  const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

Date civil_from_days(std::int64_t days) {
  days += 719468;
  const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const std::int64_t doe = days - era * 146097;
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int64_t mp = (5 * doy + 2) / 153;
  const int day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  const int month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  const int year = static_cast<int>(yoe + era * 400 + (month <= 2 ? 1 : 0));
  return Date{year, month, day};
}

int iso_weekday(Date date) {
  const std::int64_t days = days_from_civil(date);      // 1970-01-01 was a Thursday (4)
  const std::int64_t weekday = (days % 7 + 7 + 3) % 7;  // 0 = Monday
  return static_cast<int>(weekday) + 1;
}

int iso_week_number(Date date) {
  // The week belongs to the year of its Thursday.
  const Date thursday = add_days(date, 4 - iso_weekday(date));
  const std::int64_t first_of_year = days_from_civil(Date{thursday.year, 1, 1});
  return static_cast<int>((days_from_civil(thursday) - first_of_year) / 7 + 1);
}

std::optional<Date> parse_date(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') {
    return std::nullopt;
  }
  const auto year = parse_fixed_digits(text.substr(0, 4), 4);
  const auto month = parse_fixed_digits(text.substr(5, 2), 2);
  const auto day = parse_fixed_digits(text.substr(8, 2), 2);
  if (!year || !month || !day || *year < 1900 || *month < 1 || *month > 12 || *day < 1 ||
      *day > days_in_month(*year, *month)) {
    return std::nullopt;
  }
  return Date{*year, *month, *day};
}

std::string format_date(Date date) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02d", date.year, date.month, date.day);
  return buffer;
}

std::optional<int> parse_minute_of_day(std::string_view text) {
  if (text.size() != 5 || text[2] != ':') {
    return std::nullopt;
  }
  const auto hours = parse_fixed_digits(text.substr(0, 2), 2);
  const auto minutes = parse_fixed_digits(text.substr(3, 2), 2);
  if (!hours || !minutes || *minutes > 59 || *hours > 24 || (*hours == 24 && *minutes != 0)) {
    return std::nullopt;
  }
  return *hours * 60 + *minutes;
}

std::string format_minute_of_day(int minutes) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%02d:%02d", minutes / 60, minutes % 60);
  return buffer;
}

std::string format_utc_timestamp(std::int64_t unix_seconds) {
  const std::int64_t day =
      unix_seconds >= 0 ? unix_seconds / 86400 : (unix_seconds - 86399) / 86400;
  const std::int64_t second_of_day = unix_seconds - day * 86400;
  char text[48];
  std::snprintf(text, sizeof text, "%sT%02d:%02d:%02dZ", format_date(civil_from_days(day)).c_str(),
                static_cast<int>(second_of_day / 3600), static_cast<int>(second_of_day / 60 % 60),
                static_cast<int>(second_of_day % 60));
  return text;
}

std::optional<std::int64_t> parse_utc_timestamp(std::string_view text) {
  if (text.size() != 20 || text[10] != 'T' || text[13] != ':' || text[16] != ':' ||
      text[19] != 'Z') {
    return std::nullopt;
  }
  const auto date = parse_date(text.substr(0, 10));
  const auto minute = parse_minute_of_day(text.substr(11, 5));
  const char tens = text[17];
  const char units = text[18];
  if (!date || !minute || *minute >= 24 * 60 || tens < '0' || tens > '5' || units < '0' ||
      units > '9') {
    return std::nullopt;
  }
  return days_from_civil(*date) * 86400 + *minute * 60 + (tens - '0') * 10 + (units - '0');
}

}  // namespace cartable
