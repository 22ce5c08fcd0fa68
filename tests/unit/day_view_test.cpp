#include "today/day_view.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace cartable::today {
namespace {

Date date(std::string_view text) {
  const auto parsed = parse_date(text);
  EXPECT_TRUE(parsed.has_value()) << text;
  return parsed.value_or(Date{});
}

HolidayRecord holiday(std::string first_day, std::string last_day, std::string label) {
  return HolidayRecord{std::move(first_day), std::move(last_day), std::move(label)};
}

// Autumn 2026: Toussaint from Monday 19 October to Friday 30 October, Armistice on Wednesday
// 11 November (given out of order on purpose).
const std::vector<HolidayRecord> kHolidays = {
    holiday("2026-11-11", "2026-11-11", "Armistice"),
    holiday("2026-10-19", "2026-10-30", "Vacances de la Toussaint"),
};

TEST(ChooseSchoolDay, AWeekdayIsItself) {
  for (const char* day : {"2026-09-21", "2026-09-22", "2026-09-23", "2026-09-24", "2026-09-25"}) {
    const SchoolDay chosen = choose_school_day(date(day), kHolidays);
    EXPECT_EQ(format_date(chosen.today), day);
    EXPECT_EQ(format_date(chosen.shown), day);
    EXPECT_EQ(chosen.shift_reason, "");
    EXPECT_EQ(chosen.holiday_label, "");
  }
  // Also with no holidays at all.
  EXPECT_EQ(choose_school_day(date("2026-09-23"), {}).shown, date("2026-09-23"));
}

TEST(ChooseSchoolDay, WeekendShiftsToMonday) {
  for (const char* day : {"2026-09-26", "2026-09-27"}) {
    const SchoolDay chosen = choose_school_day(date(day), kHolidays);
    EXPECT_EQ(format_date(chosen.today), day);
    EXPECT_EQ(format_date(chosen.shown), "2026-09-28");
    EXPECT_EQ(chosen.shift_reason, "weekend");
    EXPECT_EQ(chosen.holiday_label, "");
  }
  // Across a month and a year boundary.
  EXPECT_EQ(format_date(choose_school_day(date("2026-10-31"), {}).shown), "2026-11-02");
  EXPECT_EQ(format_date(choose_school_day(date("2027-01-02"), {}).shown), "2027-01-04");
}

TEST(ChooseSchoolDay, HolidayShiftsToTheFirstDayAfterIt) {
  const SchoolDay chosen = choose_school_day(date("2026-11-11"), kHolidays);
  EXPECT_EQ(format_date(chosen.today), "2026-11-11");
  EXPECT_EQ(format_date(chosen.shown), "2026-11-12");
  EXPECT_EQ(chosen.shift_reason, "holiday");
  EXPECT_EQ(chosen.holiday_label, "Armistice");
}

TEST(ChooseSchoolDay, HolidayEndingOnAFridayIsFollowedByTheWeekend) {
  // The first, a middle and the last day of the holiday all show the Monday after the weekend.
  for (const char* day : {"2026-10-19", "2026-10-21", "2026-10-24", "2026-10-30"}) {
    const SchoolDay chosen = choose_school_day(date(day), kHolidays);
    EXPECT_EQ(format_date(chosen.shown), "2026-11-02") << day;
    EXPECT_EQ(chosen.shift_reason, "holiday") << day;
    EXPECT_EQ(chosen.holiday_label, "Vacances de la Toussaint") << day;
  }
  // The weekend just after it is a plain weekend.
  const SchoolDay saturday = choose_school_day(date("2026-10-31"), kHolidays);
  EXPECT_EQ(format_date(saturday.shown), "2026-11-02");
  EXPECT_EQ(saturday.shift_reason, "weekend");
  EXPECT_EQ(saturday.holiday_label, "");
}

TEST(ChooseSchoolDay, WeekendBeforeAHolidayShiftsPastTheHoliday) {
  const SchoolDay chosen = choose_school_day(date("2026-10-17"), kHolidays);
  EXPECT_EQ(format_date(chosen.shown), "2026-11-02");
  EXPECT_EQ(chosen.shift_reason, "weekend");
  EXPECT_EQ(chosen.holiday_label, "");
  // The day before the holiday and the day after it are school days.
  EXPECT_EQ(format_date(choose_school_day(date("2026-10-16"), kHolidays).shown), "2026-10-16");
  EXPECT_EQ(format_date(choose_school_day(date("2026-11-02"), kHolidays).shown), "2026-11-02");
  EXPECT_EQ(format_date(choose_school_day(date("2026-11-10"), kHolidays).shown), "2026-11-10");
}

TEST(ChooseSchoolDay, AWeekendInsideAHolidayIsTheHoliday) {
  const std::vector<HolidayRecord> holidays = {holiday("2026-10-17", "2026-11-01", "Toussaint")};
  const SchoolDay chosen = choose_school_day(date("2026-10-25"), holidays);  // a Sunday
  EXPECT_EQ(format_date(chosen.shown), "2026-11-02");
  EXPECT_EQ(chosen.shift_reason, "holiday");
  EXPECT_EQ(chosen.holiday_label, "Toussaint");
}

TEST(ChooseSchoolDay, AdjacentHolidaysAreBothSkipped) {
  const std::vector<HolidayRecord> holidays = {
      holiday("2026-12-19", "2027-01-03", "Noël"),
      holiday("2027-01-04", "2027-01-05", "Journées pédagogiques"),
  };
  const SchoolDay chosen = choose_school_day(date("2026-12-24"), holidays);
  EXPECT_EQ(format_date(chosen.shown), "2027-01-06");
  EXPECT_EQ(chosen.shift_reason, "holiday");
  EXPECT_EQ(chosen.holiday_label, "Noël");
}

TEST(ChooseSchoolDay, NoSchoolDayWithinTheHorizonShowsToday) {
  const std::vector<HolidayRecord> holidays = {holiday("2027-07-04", "2027-12-31", "Long")};
  const SchoolDay chosen = choose_school_day(date("2027-07-05"), holidays);
  EXPECT_EQ(format_date(chosen.shown), "2027-07-05");
  EXPECT_EQ(chosen.shift_reason, "holiday");
  EXPECT_EQ(chosen.holiday_label, "Long");

  // The horizon is kMaxDaysToNextSchoolDay (120) days after today, inclusive.
  ASSERT_EQ(kMaxDaysToNextSchoolDay, 120);
  const Date monday = date("2027-03-01");  // + 120 days = Tuesday 2027-06-29
  const SchoolDay at_horizon =
      choose_school_day(monday, {holiday("2027-03-01", "2027-06-28", "Until the horizon")});
  EXPECT_EQ(format_date(at_horizon.shown), "2027-06-29");
  const SchoolDay past_horizon =
      choose_school_day(monday, {holiday("2027-03-01", "2027-06-29", "Past the horizon")});
  EXPECT_EQ(format_date(past_horizon.shown), "2027-03-01");
  EXPECT_EQ(past_horizon.shift_reason, "holiday");
}

TEST(WeekParity, WeekAOnOddIsoWeeks) {
  EXPECT_EQ(week_parity(date("2026-01-01")), WeekParity::a);  // week 1 (a Thursday)
  EXPECT_EQ(week_parity(date("2026-01-04")), WeekParity::a);  // week 1 (its Sunday)
  EXPECT_EQ(week_parity(date("2026-01-05")), WeekParity::b);  // week 2
  EXPECT_EQ(week_parity(date("2026-09-21")), WeekParity::a);  // week 39
  EXPECT_EQ(week_parity(date("2026-09-28")), WeekParity::b);  // week 40
  EXPECT_EQ(week_parity(date("2026-12-28")), WeekParity::a);  // week 53
  EXPECT_EQ(week_parity(date("2027-01-01")), WeekParity::a);  // still week 53 of 2026
  EXPECT_EQ(week_parity(date("2027-01-04")), WeekParity::a);  // week 1 of 2027: A twice in a row
  EXPECT_EQ(week_parity(date("2027-01-11")), WeekParity::b);  // week 2
  EXPECT_EQ(week_parity(date("2024-12-30")), WeekParity::a);  // week 1 of 2025
}

TEST(WeekParity, AlternatesWithinAYearAndIsConstantWithinAWeek) {
  Date monday = date("2026-01-05");  // week 2
  for (int week = 2; week <= 53; ++week) {
    const WeekParity expected = week % 2 == 1 ? WeekParity::a : WeekParity::b;
    for (int day = 0; day < 7; ++day) {
      EXPECT_EQ(week_parity(add_days(monday, day)), expected)
          << format_date(add_days(monday, day)) << " week " << week;
    }
    monday = add_days(monday, 7);
  }
  EXPECT_EQ(format_date(monday), "2027-01-04");
}

}  // namespace
}  // namespace cartable::today
