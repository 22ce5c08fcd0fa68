#include "roster/csv_import.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#ifndef CARTABLE_SOURCE_DIR
#define CARTABLE_SOURCE_DIR "."
#endif

namespace cartable {
namespace {

using Errors = std::vector<std::pair<std::size_t, std::string>>;

Errors errors_of(const ImportResult& result) {
  Errors errors;
  for (const ImportError& error : result.errors) {
    errors.emplace_back(error.line, error.message);
  }
  return errors;
}

std::string show(const Errors& errors) {
  std::string out;
  for (const auto& [line, message] : errors) {
    out += std::to_string(line) + ": " + message + "\n";
  }
  return out;
}

// Every field of a Roster, one record a line: compares two rosters and shows the difference.
std::string describe(const Roster& roster) {
  std::ostringstream out;
  for (const School& s : roster.schools) {
    out << "school|" << s.code << '|' << s.name << '|' << s.timezone << '\n';
  }
  for (const SchoolClass& c : roster.classes) {
    out << "class|" << c.school_code << '|' << c.code << '|' << c.name << '\n';
  }
  for (const Subject& s : roster.subjects) {
    out << "subject|" << s.school_code << '|' << s.code << '|' << s.name << '\n';
  }
  for (const Person& p : roster.people) {
    out << role_name(p.role) << '|' << p.login << '|' << p.school_code << '|' << p.class_code << '|'
        << p.first_name << '|' << p.last_name << '|' << p.password << '\n';
  }
  for (const Teaching& t : roster.teachings) {
    out << "teaches|" << t.teacher_login << '|' << t.school_code << '|' << t.class_code << '|'
        << t.subject_code << '\n';
  }
  for (const ParentLink& l : roster.parent_links) {
    out << "parent_of|" << l.parent_login << '|' << l.pupil_login << '\n';
  }
  for (const TimetableSlot& s : roster.slots) {
    out << "slot|" << s.school_code << '|' << s.class_code << '|' << s.subject_code << '|'
        << s.teacher_login << '|' << s.weekday << '|' << s.start_minute << '|' << s.end_minute
        << '|' << s.room << '|' << static_cast<int>(s.week) << '\n';
  }
  for (const Holiday& h : roster.holidays) {
    out << "holiday|" << h.school_code << '|' << h.first_day << '|' << h.last_day << '|' << h.label
        << '\n';
  }
  return out.str();
}

ImportResult parse(std::string_view text, const RosterKeys& existing = {}) {
  return parse_roster_csv(text, existing);
}

using namespace std::string_literals;

#define ASSERT_VALID(result) ASSERT_TRUE((result).errors.empty()) << show(errors_of(result))

// A small valid school used as the start of several files (7 lines).
constexpr std::string_view prelude =
    "school,S1,École A\n"
    "class,S1,6A,6e A\n"
    "subject,S1,MATH,Maths\n"
    "teacher,t.one,S1,Tina,One\n"
    "pupil,p.one,S1,6A,Paul,One\n"
    "parent,r.one,S1,Rita,One\n"
    "teaches,t.one,S1,6A,MATH\n";

TEST(RoleNames, RoundTrip) {
  for (const Role role : {Role::pupil, Role::teacher, Role::parent, Role::staff, Role::admin}) {
    EXPECT_EQ(parse_role(role_name(role)), role);
  }
  EXPECT_EQ(role_name(Role::parent), std::string("parent"));
  EXPECT_FALSE(parse_role("Pupil").has_value());
  EXPECT_FALSE(parse_role("").has_value());
}

TEST(CsvImport, GoodFileWithEveryKind) {
  const auto result = parse(
      "school,0750001A,Collège Jaurès,\n"
      "school,0971234Z,Collège des Abymes,America/Guadeloupe\n"
      "class,0750001A,5B,5e B\n"
      "subject,0750001A,MATH,Mathématiques\n"
      "pupil,Jean.Dupont,0750001A,5B,Jean,Dupont,motdepasse1\n"
      "teacher,m.durand,0750001A,Marie,Durand\n"
      "parent,a.dupont,0750001A,Anne,Dupont,\n"
      "staff,cpe,0750001A,Karim,Benali,\n"
      "admin,admin.jaures,0750001A,Paul,Martin,unmotdepasse\n"
      "teaches,M.Durand,0750001A,5B,MATH\n"
      "parent_of,a.dupont,jean.dupont\n"
      "slot,0750001A,5B,MATH,m.durand,Lundi,8:00,9h30,B204,A\n"
      "slot,0750001A,5B,MATH,m.durand,5,13:30,24:00\n"
      "holiday,0750001A,19/10/2024,2024-11-03,Vacances de la Toussaint\n");
  ASSERT_VALID(result);
  EXPECT_EQ(describe(result.roster),
            "school|0750001A|Collège Jaurès|Europe/Paris\n"
            "school|0971234Z|Collège des Abymes|America/Guadeloupe\n"
            "class|0750001A|5B|5e B\n"
            "subject|0750001A|MATH|Mathématiques\n"
            "pupil|jean.dupont|0750001A|5B|Jean|Dupont|motdepasse1\n"
            "teacher|m.durand|0750001A||Marie|Durand|\n"
            "parent|a.dupont|0750001A||Anne|Dupont|\n"
            "staff|cpe|0750001A||Karim|Benali|\n"
            "admin|admin.jaures|0750001A||Paul|Martin|unmotdepasse\n"
            "teaches|m.durand|0750001A|5B|MATH\n"
            "parent_of|a.dupont|jean.dupont\n"
            "slot|0750001A|5B|MATH|m.durand|1|480|570|B204|1\n"
            "slot|0750001A|5B|MATH|m.durand|5|810|1440||0\n"
            "holiday|0750001A|2024-10-19|2024-11-03|Vacances de la Toussaint\n");
}

TEST(CsvImport, ExampleFileParses) {
  std::ifstream file(CARTABLE_SOURCE_DIR "/docs/examples/roster.csv", std::ios::binary);
  ASSERT_TRUE(file) << "cannot open " CARTABLE_SOURCE_DIR "/docs/examples/roster.csv";
  std::ostringstream text;
  text << file.rdbuf();
  const auto result = parse(text.str());
  ASSERT_VALID(result);
  EXPECT_EQ(result.roster.schools.size(), 1u);
  EXPECT_EQ(result.roster.classes.size(), 2u);
  EXPECT_EQ(result.roster.subjects.size(), 4u);
  EXPECT_EQ(result.roster.people.size(), 15u);
  EXPECT_EQ(result.roster.teachings.size(), 6u);
  EXPECT_EQ(result.roster.parent_links.size(), 5u);
  EXPECT_EQ(result.roster.slots.size(), 9u);
  EXPECT_EQ(result.roster.holidays.size(), 5u);
  EXPECT_EQ(result.roster.subjects[2].name, "Histoire, géographie");
}

TEST(CsvImport, ReportsEveryBadLine) {
  std::string text(prelude);
  text +=
      "school,S2\n"                                     // 8
      "eleve,x,y\n"                                     // 9
      "class,S1,,Sixième\n"                             // 10
      "class,S1,6 B,Sixième B\n"                        // 11
      "pupil,Jean Dupont,S1,6A,Jean,Dupont\n"           // 12
      "teacher,t.two,S1,,Two\n"                         // 13
      "school,S3,Collège,Europe/../etc\n"               // 14
      "holiday,S1,2024-02-30,2024-03-01,Hiver\n"        // 15
      "holiday,S1,2024-03-10,2024-03-01,Hiver\n"        // 16
      "slot,S1,6A,MATH,t.one,lundy,08:00,09:00,B1,*\n"  // 17
      "slot,S1,6A,MATH,t.one,1,09:00,08:00,B1,*\n"      // 18
      "slot,S1,6A,MATH,t.one,1,08:00,25:00,B1,*\n"      // 19
      "slot,S1,6A,MATH,t.one,1,08:00,09:00,B1,C\n"      // 20
      "admin,a.one,S1,Ann,One,short\n"                  // 21
      "pupil,p.two,S1,6Z,Pia,Two\n"                     // 22
      "teaches,p.one,S1,6A,MATH\n"                      // 23
      "parent_of,t.one,p.one\n"                         // 24
      "parent_of,r.one,nobody\n"                        // 25
      "class,S9,5A,5e A\n"                              // 26
      "subject,S1,MATH,Mathématiques\n"                 // 27
      "pupil,p.three,S1,6A,\"Zo\x01"
      "e\",Three\n"                                      // 28
      "pupil,p.four,S1,6A,Zo\xE9,Four\n"                 // 29
      "slot,S1,6A,MATH,t.new,2,08:00,09:00,B1,*\n"       // 30
      "teacher,t.new,S1,Ned,New\n"                       // 31
      "pupil,p.five,S1,6A,\"Bad\"quote,Five\n"           // 32
      "pupil,p.six,S1,6A,Ba\"d,Six\n"                    // 33
      "school,S1,École A,America/Nope\n"                 // 34
      "teacher,P.One,S1,Paul,One\n"                      // 35
      "pupil,p.seven,S1,6A,Sam,Seven,\"abc\0defgh\"\n"s  // 36
      "teacher,t.three,S1,Tom,Three,x,y\n"               // 37
      "pupil,p.eight,S1,6A,Eve\xE2\x80\xAEgro,Eight\n"   // 38
      ",x,y\n";                                          // 39
  const auto result = parse(text);
  const Errors expected = {
      {8, "school expects 3 or 4 columns (kind, code, name, optional timezone), found 2"},
      {9,
       "kind (column 1): unknown kind \"eleve\"; expected school, class, subject, pupil, teacher, "
       "parent, staff, admin, teaches, parent_of, slot or holiday"},
      {10, "code (column 3): required value is empty"},
      {11,
       "code (column 3): \"6 B\" is not a valid code (1 to 32 of A-Z a-z 0-9 _ . -, starting with "
       "a letter or digit)"},
      {12,
       "login (column 2): \"Jean Dupont\" is not a valid login (1 to 64 of a-z 0-9 . - _, starting "
       "with a letter or digit)"},
      {13, "first_name (column 4): required value is empty"},
      {14,
       "timezone (column 4): \"Europe/../etc\" is not a time zone name (like Europe/Paris: A-Z "
       "a-z 0-9 _ + - /, at most 64 bytes)"},
      {15, "first_day (column 3): \"2024-02-30\" is not a date (YYYY-MM-DD or DD/MM/YYYY)"},
      {16, "last_day (column 4): \"2024-03-01\" is before first_day \"2024-03-10\""},
      {17, "weekday (column 6): \"lundy\" is not a weekday (1 to 7, lun to dim, or mon to sun)"},
      {18, "end (column 8): \"08:00\" is not after start \"09:00\""},
      {19, "end (column 8): \"25:00\" is not a time (HH:MM, 00:00 to 24:00)"},
      {20, "week (column 10): \"C\" is not a week (* for every week, A or B)"},
      {21, "password (column 6): is 5 bytes long; a password needs 8 to 128"},
      {22, "class (column 4): no class \"6Z\" in school \"S1\" in this file or the database"},
      {23, "teacher (column 2): \"p.one\" is a pupil, not a teacher"},
      {24, "parent (column 2): \"t.one\" is a teacher, not a parent"},
      {25, "pupil (column 3): no person \"nobody\" in this file or the database"},
      {26, "school (column 2): no school \"S9\" in this file or the database"},
      {27, "subject \"MATH\" of school \"S1\" is already defined on line 3 with different values"},
      {28, "first_name (column 5): contains a control or text-direction character"},
      {29, "first_name (column 5): is not valid UTF-8 (save the file as \"CSV UTF-8\")"},
      {30,
       "teacher (column 5): \"t.new\" has no teaches record for class \"6A\" and subject \"MATH\" "
       "of school \"S1\""},
      {32,
       "column 5: unexpected text after a closing quote (a quote inside a quoted field is written "
       "\"\")"},
      {33,
       "column 5: a quote inside an unquoted field (quote the whole field and write a quote "
       "inside it as \"\")"},
      {34, "school \"S1\" is already defined on line 1 with different values"},
      {35, "login \"p.one\" is already defined on line 5 with different values"},
      {36, "password (column 7): contains a NUL byte"},
      {37,
       "teacher expects 5 or 6 columns (kind, login, school, first_name, last_name, optional "
       "password), found 7"},
      {38, "first_name (column 5): contains a control or text-direction character"},
      {39, "kind (column 1): required value is empty"},
  };
  EXPECT_EQ(errors_of(result), expected) << show(errors_of(result));
  EXPECT_TRUE(describe(result.roster).empty()) << "an invalid file must yield no roster";
}

TEST(CsvImport, ErrorMessagesEscapeFileContent) {
  const auto result = parse("\x1b[31mschool,S1,x\n");
  ASSERT_EQ(result.errors.size(), 1u);
  EXPECT_EQ(result.errors[0].message,
            "kind (column 1): unknown kind \"\\x1B[31mschool\"; expected school, class, subject, "
            "pupil, teacher, parent, staff, admin, teaches, parent_of, slot or holiday");
  const std::string long_kind(100, 'k');
  const auto truncated = parse(long_kind + ",x\n");
  ASSERT_EQ(truncated.errors.size(), 1u);
  EXPECT_NE(truncated.errors[0].message.find("\"" + std::string(40, 'k') + "...\""),
            std::string::npos);
}

TEST(CsvImport, PasswordsAreNeverEchoed) {
  const auto result = parse(std::string(prelude) + "staff,s.one,S1,Sam,One,secret\n");
  ASSERT_EQ(result.errors.size(), 1u);
  EXPECT_EQ(result.errors[0].message.find("secret"), std::string::npos);
}

TEST(CsvImport, Quoting) {
  const auto result = parse(
      "\"school\" , \"S1\" ,\"Collège \"\"Les Tilleuls\"\", Lyon\",  Europe/Paris  \n"
      "class,S1,6A,\"  6e A  \"\n"
      "subject,S1,EPS,\"\"\n"  // line 3: quoted empty required name
      "subject,S1,ART,\"Arts\n"
      "plastiques\"\n"  // lines 4-5: a newline inside a name
      "subject,S1,MUS,Musique,\n");
  const Errors expected = {
      {3, "name (column 4): required value is empty"},
      {4, "name (column 4): contains a control or text-direction character"},
  };
  EXPECT_EQ(errors_of(result), expected) << show(errors_of(result));

  const auto good = parse(
      "\"school\" , \"S1\" ,\"Collège \"\"Les Tilleuls\"\", Lyon\",  Europe/Paris  \n"
      "class,S1,6A,\"  6e A  \"\n"
      "admin,adm,S1,Ad,Min,\" spaces kept \"\n");
  ASSERT_VALID(good);
  EXPECT_EQ(good.roster.schools[0].name, "Collège \"Les Tilleuls\", Lyon");
  EXPECT_EQ(good.roster.schools[0].timezone, "Europe/Paris");
  EXPECT_EQ(good.roster.classes[0].name, "6e A");              // names are trimmed even when quoted
  EXPECT_EQ(good.roster.people[0].password, " spaces kept ");  // passwords are not
}

TEST(CsvImport, BomCrlfCommentsAndBlankLines) {
  const std::string text =
      "\xEF\xBB\xBF# exported 2024-09-02\r\n"                 // 1
      "kind,a,b,c\r\n"                                        // 2: header
      "\r\n"                                                  // 3
      "   \t \r\n"                                            // 4
      ",,,,,\r\n"                                             // 5: an empty spreadsheet row
      "school,S1,École A,,,,,,\r\n"                           // 6: padded to the widest row
      "  # indented comment, with \"an unbalanced quote\r\n"  // 7
      "class,S1,6A,6e A\r"  // 8: a lone CR (classic Mac) ends a line too
      "class,S1,6B\r\n"     // 9: too few columns
      "class,S1,6C,6e C";   // 10: no final line break
  const auto result = parse(text);
  const Errors expected = {
      {9, "class expects 4 columns (kind, school, code, name), found 3"},
  };
  EXPECT_EQ(errors_of(result), expected) << show(errors_of(result));

  const auto good = parse(
      "\xEF\xBB\xBF"
      "school,S1,École A\r\n# c\r\nclass,S1,6A,6e A\r\n");
  ASSERT_VALID(good);
  EXPECT_EQ(good.roster.schools[0].code, "S1");  // the BOM is not part of the first field
  EXPECT_EQ(good.roster.classes.size(), 1u);
}

TEST(CsvImport, HeaderOnlyOnFirstRecord) {
  const auto result = parse("school,S1,École A\nkind,code,name\n");
  ASSERT_EQ(result.errors.size(), 1u);
  EXPECT_EQ(result.errors[0].line, 2u);
}

TEST(CsvImport, SemicolonSeparatorFromSpreadsheets) {
  const auto result = parse(
      "# Export Excel\n"
      ";;;;\n"
      "\"school\";S1;\"Collège Jaurès, Paris\"\n"
      "class;S1;6A;6e A;;;\n"
      "holiday;S1;01/11/2024;03/11/2024;Toussaint\n");
  ASSERT_VALID(result);
  EXPECT_EQ(result.roster.schools[0].name, "Collège Jaurès, Paris");
  EXPECT_EQ(result.roster.holidays[0].first_day, "2024-11-01");
  // The separator is chosen once per file: a comma file's ';' is just a character.
  const auto mixed = parse("school,S1,A\nclass;S1;6A;6e A\n");
  ASSERT_EQ(mixed.errors.size(), 1u);
  EXPECT_EQ(mixed.errors[0].line, 2u);
}

TEST(CsvImport, Duplicates) {
  const std::string text = std::string(prelude) +
                           "pupil,p.one,S1,6A,Paul,One\n"  // 8: identical to line 5: kept once
                           "teaches,t.one,S1,6A,MATH\n"    // 9: identical
                           "pupil,P.ONE,S1,6A,Paul,One\n"  // 10: identical once folded
                           "pupil,p.one,S1,6A,Paul,Uno\n"  // 11: conflict
                           "parent,p.one,S1,Paul,One\n"    // 12: same login, other role
                           "class,S1,6A,6e A\n"            // 13: identical
                           "class,S1,6A,Sixième A\n";      // 14: conflict
  const auto result = parse(text);
  const Errors expected = {
      {11, "login \"p.one\" is already defined on line 5 with different values"},
      {12, "login \"p.one\" is already defined on line 5 with different values"},
      {14, "class \"6A\" of school \"S1\" is already defined on line 2 with different values"},
  };
  EXPECT_EQ(errors_of(result), expected) << show(errors_of(result));

  const auto repeated = parse(std::string(prelude) + std::string(prelude));
  ASSERT_VALID(repeated);
  EXPECT_EQ(describe(repeated.roster), describe(parse(prelude).roster));
}

TEST(CsvImport, SameFileTwiceGivesSameRoster) {
  std::ifstream file(CARTABLE_SOURCE_DIR "/docs/examples/roster.csv", std::ios::binary);
  std::ostringstream text;
  text << file.rdbuf();
  const auto first = parse(text.str());
  const auto second = parse(text.str());
  ASSERT_VALID(first);
  EXPECT_EQ(describe(first.roster), describe(second.roster));
  EXPECT_FALSE(describe(first.roster).empty());
}

TEST(CsvImport, ReferencesToExistingKeys) {
  RosterKeys existing;
  existing.schools = {"S1", "S2"};
  existing.classes = {{"S1", "6A"}};
  existing.subjects = {{"S1", "MATH"}};
  existing.people = {
      {"t.old", {Role::teacher, "S1"}},
      {"p.old", {Role::pupil, "S1"}},
      {"r.old", {Role::parent, "S1"}},
  };
  const auto result = parse(
      "class,S1,6B,6e B\n"                          // 1: an existing school
      "pupil,p.new,S1,6A,Pia,New\n"                 // 2: an existing class
      "teaches,t.old,S1,6B,MATH\n"                  // 3: existing teacher and subject
      "parent_of,r.old,p.new\n"                     // 4
      "parent_of,r.old,p.old\n"                     // 5: both existing
      "slot,S1,6A,MATH,t.old,mon,08:00,09:00,,*\n"  // 6: the database may hold the teaching
      "teacher,t.old,S1,Tom,Old\n"                  // 7: re-import of an existing account
      "subject,S2,MATH,Maths\n",                    // 8
      existing);
  ASSERT_VALID(result);

  const auto conflicts = parse(
      "teacher,p.old,S1,Pia,Old\n"    // 1: other role
      "pupil,t.old,S2,6A,Tom,Old\n"   // 2: other role and school (6A is not in S2 either)
      "parent,r.old,S2,Rita,Old\n"    // 3: other school
      "parent_of,r.old,t.old\n"       // 4: t.old is a pupil per this file, which wins
      "pupil,p.new,S1,6B,Pia,New\n",  // 5: 6B is in neither
      existing);
  const Errors expected = {
      {1,
       "login (column 2): \"p.old\" already exists as a pupil of school \"S1\"; an import cannot "
       "change a person's role or school"},
      {2,
       "login (column 2): \"t.old\" already exists as a teacher of school \"S1\"; an import "
       "cannot change a person's role or school"},
      {2, "class (column 4): no class \"6A\" in school \"S2\" in this file or the database"},
      {3,
       "login (column 2): \"r.old\" already exists as a parent of school \"S1\"; an import cannot "
       "change a person's role or school"},
      {5, "class (column 4): no class \"6B\" in school \"S1\" in this file or the database"},
  };
  EXPECT_EQ(errors_of(conflicts), expected) << show(errors_of(conflicts));
}

TEST(CsvImport, SlotTeacherNewInFileNeedsTeaches) {
  const std::string base(prelude);
  ASSERT_VALID(parse(base + "slot,S1,6A,MATH,t.one,1,08:00,09:00,A1,*\n"));
  const auto result = parse(base +
                            "subject,S1,FR,Français\n"                     // 8
                            "slot,S1,6A,FR,t.one,1,08:00,09:00,A1,*\n"     // 9
                            "slot,S1,6A,MATH,r.one,1,08:00,09:00,A1,*\n"   // 10
                            "slot,S1,6A,SVT,t.one,1,08:00,09:00,A1,*\n");  // 11
  const Errors expected = {
      {9,
       "teacher (column 5): \"t.one\" has no teaches record for class \"6A\" and subject \"FR\" "
       "of school \"S1\""},
      {10, "teacher (column 5): \"r.one\" is a parent, not a teacher"},
      {11, "subject (column 4): no subject \"SVT\" in school \"S1\" in this file or the database"},
  };
  EXPECT_EQ(errors_of(result), expected) << show(errors_of(result));
}

TEST(CsvImport, RefusedRecordsCauseNoCascade) {
  // The school line is refused for its time zone; its classes, pupils and slots must not add
  // "no school" errors on top.
  const auto result = parse(
      "school,S1,École A,Europe/../x\n"
      "class,S1,6A,6e A\n"
      "subject,S1,MATH,\"Maths\"x\n"
      "teacher,t.one,S1,Tina,One,short\n"
      "teaches,t.one,S1,6A,MATH\n"
      "slot,S1,6A,MATH,t.one,1,08:00,09:00,,*\n");
  ASSERT_EQ(result.errors.size(), 3u) << show(errors_of(result));
  EXPECT_EQ(result.errors[0].line, 1u);
  EXPECT_EQ(result.errors[1].line, 3u);
  EXPECT_EQ(result.errors[2].line, 4u);
}

TEST(CsvImport, TruncatedInsideQuote) {
  const std::string text = std::string(prelude) +
                           "class,S1,6B,6e B\n"         // 8
                           "pupil,p.two,S1,6B,\"Pia\n"  // 9: the quote opens here
                           "pupil,p.three,S1,6Z,Z,Z\n"
                           "class,S1,6Z,6e Z\n";
  const auto result = parse(text.substr(0, text.size() - 5));
  const Errors expected = {
      {9, "column 5: unterminated quoted field: the quote that opens here is never closed"},
  };
  // Nothing after the quote can be read, so no reference is checked either.
  EXPECT_EQ(errors_of(result), expected) << show(errors_of(result));

  // Cutting the file at every byte never crashes and never yields a roster with errors.
  for (std::size_t size = 0; size <= text.size(); ++size) {
    const auto cut = parse(text.substr(0, size));
    if (!cut.errors.empty()) {
      EXPECT_TRUE(describe(cut.roster).empty());
    }
  }
}

TEST(CsvImport, EncodingProblems) {
  EXPECT_EQ(errors_of(parse("\xFF\xFEs\0c\0"s)),
            (Errors{{1, "the file is UTF-16; save it as \"CSV UTF-8\""}}));
  const auto overlong = parse("school,S1,\xC0\xAF\n");
  ASSERT_EQ(overlong.errors.size(), 1u);
  EXPECT_EQ(overlong.errors[0].message,
            "name (column 3): is not valid UTF-8 (save the file as \"CSV UTF-8\")");
  const auto surrogate = parse("school,S1,\xED\xA0\x80\n");
  ASSERT_EQ(surrogate.errors.size(), 1u);
  const auto ok = parse("school,S1,Lycée 🏫 Ω\n");
  ASSERT_VALID(ok);
}

TEST(CsvImport, EmptyFilesAreRefused) {
  const Errors expected = {{0, "the file contains no records"}};
  EXPECT_EQ(errors_of(parse("")), expected);
  EXPECT_EQ(errors_of(parse("\xEF\xBB\xBF")), expected);
  EXPECT_EQ(errors_of(parse("# nothing\n\nkind,code,name\n")), expected);
}

TEST(CsvImport, TimesAndWeekdays) {
  const std::string base(prelude);
  const auto result = parse(base +
                            "slot,S1,6A,MATH,t.one,DIM,00:00,24:00,,b\n"
                            "slot,S1,6A,MATH,t.one,sunday,07h05,7:06,,\n");
  ASSERT_VALID(result);
  EXPECT_EQ(result.roster.slots[0].weekday, 7);
  EXPECT_EQ(result.roster.slots[0].start_minute, 0);
  EXPECT_EQ(result.roster.slots[0].end_minute, 1440);
  EXPECT_EQ(result.roster.slots[0].week, WeekParity::b);
  EXPECT_EQ(result.roster.slots[1].start_minute, 425);
  EXPECT_EQ(result.roster.slots[1].week, WeekParity::every);

  const auto bad = parse(base +
                         "slot,S1,6A,MATH,t.one,0,08:00,08:00,,*\n"  // 8
                         "slot,S1,6A,MATH,t.one,8,24:01,8,,*\n");    // 9
  const Errors expected = {
      {8, "weekday (column 6): \"0\" is not a weekday (1 to 7, lun to dim, or mon to sun)"},
      {8, "end (column 8): \"08:00\" is not after start \"08:00\""},
      {9, "weekday (column 6): \"8\" is not a weekday (1 to 7, lun to dim, or mon to sun)"},
      {9, "start (column 7): \"24:01\" is not a time (HH:MM, 00:00 to 24:00)"},
      {9, "end (column 8): \"8\" is not a time (HH:MM, 00:00 to 24:00)"},
  };
  EXPECT_EQ(errors_of(bad), expected) << show(errors_of(bad));
}

TEST(CsvImport, FieldLimits) {
  namespace limits = roster_csv_limits;
  const std::string base(prelude);
  const std::string code32(limits::max_code_bytes, 'C');
  const std::string login64(limits::max_login_bytes, 'l');
  const std::string name100(limits::max_name_bytes, 'n');
  const std::string password128(limits::max_password_bytes, 'p');
  ASSERT_VALID(parse(base + "class,S1," + code32 + "," + name100 + "\n" + "staff," + login64 +
                     ",S1," + name100 + "," + name100 + "," + password128 + "\n"));
  const auto bad = parse(base + "class,S1," + code32 + "C," + name100 + "n\n" + "staff," + login64 +
                         "l,S1,a,b," + password128 + "p\n" + "class,S1,-x,x\n");
  ASSERT_EQ(bad.errors.size(), 5u) << show(errors_of(bad));
  EXPECT_EQ(bad.errors[1].message, "name (column 4): is 101 bytes long; the limit is 100");
  EXPECT_EQ(bad.errors[3].message,
            "password (column 6): is 129 bytes long; a password needs 8 to 128");
  EXPECT_EQ(bad.errors[4].line, 10u);
}

TEST(CsvImport, RecordTooLong) {
  const std::string name(roster_csv_limits::max_record_bytes, 'x');
  const auto result = parse(std::string(prelude) + "school,S2," + name + "\nschool,S3,ok\n");
  const Errors expected = {{8, "the record is 4106 bytes long; the limit is 4096"}};
  EXPECT_EQ(errors_of(result), expected) << show(errors_of(result));
  // A long record full of separators does not cost a field each.
  const auto commas = parse(std::string(1'000'000, ','));
  EXPECT_EQ(errors_of(commas), (Errors{{0, "the file contains no records"}}));
  const auto fields = parse("x" + std::string(1'000'000, ','));
  ASSERT_EQ(fields.errors.size(), 1u);
  EXPECT_EQ(fields.errors[0].message, "the record is 1000001 bytes long; the limit is 4096");
}

TEST(CsvImport, FileAndRecordCountLimits) {
  const std::string big(roster_csv_limits::max_file_bytes + 1, '#');
  EXPECT_EQ(errors_of(parse(big)),
            (Errors{{0, "the file is 52428801 bytes; the limit is 52428800 bytes (50 MiB)"}}));

  std::string many;
  for (std::size_t i = 0; i <= roster_csv_limits::max_records; ++i) {
    many += "school,S1,A\n";
  }
  many += "class,S9,x,y\n";  // never read, so never reported
  const auto result = parse(many);
  EXPECT_EQ(errors_of(result), (Errors{{200'001, "more than 200000 records; split the file"}}));
}

TEST(CsvImport, StopsAfterMaxErrors) {
  std::string text;
  for (int i = 0; i < 1500; ++i) {
    text += "nope\n";
  }
  const auto result = parse(text);
  ASSERT_EQ(result.errors.size(), roster_csv_limits::max_errors + 1);
  EXPECT_EQ(result.errors[999].line, 1000u);
  EXPECT_EQ(result.errors.back().line, 0u);
  EXPECT_EQ(result.errors.back().message, "too many errors: stopped after the first 1000");
}

}  // namespace
}  // namespace cartable
