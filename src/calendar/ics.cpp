#include "calendar/ics.hpp"

#include <cstdio>

namespace cartable::calendar {

namespace {

// 20261123T070000Z
std::string utc_date_time(std::int64_t unix_seconds) {
  const std::int64_t days =
      unix_seconds >= 0 ? unix_seconds / 86400 : (unix_seconds - 86399) / 86400;
  const std::int64_t second_of_day = unix_seconds - days * 86400;
  const Date date = civil_from_days(days);
  char text[32];
  std::snprintf(text, sizeof text, "%04d%02d%02dT%02d%02d%02dZ", date.year, date.month, date.day,
                static_cast<int>(second_of_day / 3600), static_cast<int>(second_of_day / 60 % 60),
                static_cast<int>(second_of_day % 60));
  return text;
}

// 20261125
std::string basic_date(Date date) {
  char text[16];
  std::snprintf(text, sizeof text, "%04d%02d%02d", date.year, date.month, date.day);
  return text;
}

bool is_continuation_byte(char c) {
  return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}

}  // namespace

std::string escape_text(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    switch (c) {
      case '\\':
      case ';':
      case ',':
        out += '\\';
        out += c;
        break;
      case '\r':
        if (i + 1 < text.size() && text[i + 1] == '\n') {
          ++i;
        }
        out += "\\n";
        break;
      case '\n':
        out += "\\n";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string fold_line(std::string_view line) {
  std::string out;
  std::size_t on_line = 0;  // octets on the current physical line
  for (std::size_t i = 0; i < line.size();) {
    std::size_t length = 1;  // the whole UTF-8 sequence starting at i moves together
    while (i + length < line.size() && is_continuation_byte(line[i + length])) {
      ++length;
    }
    if (on_line + length > kMaxLineOctets) {
      out += "\r\n ";
      on_line = 1;  // the leading space counts
    }
    out.append(line.substr(i, length));
    on_line += length;
    i += length;
  }
  out += "\r\n";
  return out;
}

std::string write_calendar(std::string_view name, const std::vector<IcsEvent>& events,
                           std::int64_t stamp) {
  std::string out;
  const auto line = [&out](std::string_view text) { out += fold_line(text); };
  line("BEGIN:VCALENDAR");
  line("VERSION:2.0");
  line("PRODID:-//Cartable//Calendar feed//FR");
  line("CALSCALE:GREGORIAN");
  line("METHOD:PUBLISH");
  line("X-WR-CALNAME:" + escape_text(name));
  const std::string dtstamp = "DTSTAMP:" + utc_date_time(stamp);
  for (const IcsEvent& event : events) {
    line("BEGIN:VEVENT");
    line("UID:" + escape_text(event.uid));
    line(dtstamp);
    if (event.all_day) {
      line("DTSTART;VALUE=DATE:" + basic_date(event.day));
      line("DTEND;VALUE=DATE:" + basic_date(add_days(event.day, 1)));
      line("TRANSP:TRANSPARENT");  // a due date does not make anyone busy
    } else {
      line("DTSTART:" + utc_date_time(event.start));
      line("DTEND:" + utc_date_time(event.end));
    }
    line("SUMMARY:" + escape_text(event.summary));
    if (!event.location.empty()) {
      line("LOCATION:" + escape_text(event.location));
    }
    if (!event.description.empty()) {
      line("DESCRIPTION:" + escape_text(event.description));
    }
    line("END:VEVENT");
  }
  line("END:VCALENDAR");
  return out;
}

}  // namespace cartable::calendar
