// The iCalendar writer: escaping, folding at 75 octets without splitting a character, and the
// shape of a calendar.
#include "calendar/ics.hpp"

#include <gtest/gtest.h>

#include <string>

namespace cartable::calendar {
namespace {

// Every physical line of `text` (CRLF-separated), which must end with CRLF.
std::vector<std::string> physical_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t end = text.find("\r\n", start);
    EXPECT_NE(end, std::string::npos) << "unterminated line";
    if (end == std::string::npos) {
      break;
    }
    lines.push_back(text.substr(start, end - start));
    start = end + 2;
  }
  return lines;
}

TEST(CalendarIcs, TextIsEscaped) {
  EXPECT_EQ(escape_text("a,b;c\\d"), "a\\,b\\;c\\\\d");
  EXPECT_EQ(escape_text("one\ntwo\r\nthree\rfour"), "one\\ntwo\\nthree\\nfour");
  EXPECT_EQ(escape_text("Français: page 12"), "Français: page 12");  // ':' needs nothing
}

TEST(CalendarIcs, ShortLinesAreNotFolded) {
  EXPECT_EQ(fold_line("SUMMARY:Maths"), "SUMMARY:Maths\r\n");
  EXPECT_EQ(fold_line(std::string(75, 'x')), std::string(75, 'x') + "\r\n");
}

TEST(CalendarIcs, LongLinesFoldAt75Octets) {
  const std::string line = "DESCRIPTION:" + std::string(200, 'a');
  const std::string folded = fold_line(line);
  const auto lines = physical_lines(folded);
  ASSERT_GE(lines.size(), 3u);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    EXPECT_LE(lines[i].size(), 75u) << i;
    if (i > 0) {
      EXPECT_EQ(lines[i][0], ' ') << i;
    }
  }
  EXPECT_EQ(lines[0].size(), 75u);
  // Unfolding (dropping CRLF + space) gives the line back.
  std::string unfolded;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    unfolded += i == 0 ? lines[i] : lines[i].substr(1);
  }
  EXPECT_EQ(unfolded, line);
}

TEST(CalendarIcs, FoldingNeverSplitsAUtf8Character) {
  // "é" is two octets: 74 ASCII octets, then é would straddle the 75th.
  std::string line = std::string(74, 'x');
  for (int i = 0; i < 100; ++i) {
    line += "é";
  }
  for (const std::string& physical : physical_lines(fold_line(line))) {
    EXPECT_LE(physical.size(), 75u);
    const auto last = static_cast<unsigned char>(physical.back());
    EXPECT_FALSE(last >= 0xC0) << "a lead byte ends a line";
    const std::size_t first = physical[0] == ' ' ? 1 : 0;
    EXPECT_NE(static_cast<unsigned char>(physical[first]) & 0xC0, 0x80)
        << "a continuation byte starts a line";
  }
}

TEST(CalendarIcs, CalendarHasEventsInUtcAndAllDayDates) {
  IcsEvent lesson;
  lesson.uid = "lesson-1@cartable";
  lesson.start = 1795417200;  // 2026-11-23T07:00:00Z
  lesson.end = 1795417200 + 55 * 60;
  lesson.summary = "Mathématiques, 6e A";
  lesson.location = "Salle 12";
  IcsEvent homework;
  homework.uid = "homework-7@cartable";
  homework.all_day = true;
  homework.day = Date{2026, 11, 25};
  homework.summary = "À rendre ; exercices";
  homework.description = "Exercices 1 à 4\npage 12";
  const std::string text = write_calendar("Cartable", {lesson, homework}, 1795392000);
  EXPECT_EQ(text.rfind("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n", 0), 0u);
  EXPECT_NE(text.find("DTSTART:20261123T070000Z\r\n"), std::string::npos);
  EXPECT_NE(text.find("DTEND:20261123T075500Z\r\n"), std::string::npos);
  EXPECT_NE(text.find("DTSTAMP:20261123T000000Z\r\n"), std::string::npos);
  EXPECT_NE(text.find("SUMMARY:Mathématiques\\, 6e A\r\n"), std::string::npos);
  EXPECT_NE(text.find("DTSTART;VALUE=DATE:20261125\r\nDTEND;VALUE=DATE:20261126\r\n"),
            std::string::npos);
  EXPECT_NE(text.find("SUMMARY:À rendre \\; exercices\r\n"), std::string::npos);
  EXPECT_NE(text.find("DESCRIPTION:Exercices 1 à 4\\npage 12\r\n"), std::string::npos);
  EXPECT_TRUE(text.ends_with("END:VEVENT\r\nEND:VCALENDAR\r\n"));
  // No bare LF anywhere.
  for (std::size_t i = text.find('\n'); i != std::string::npos; i = text.find('\n', i + 1)) {
    EXPECT_EQ(text[i - 1], '\r') << i;
  }
}

}  // namespace
}  // namespace cartable::calendar
