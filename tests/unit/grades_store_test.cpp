// The SQLite store's grades and its migrations: marks set all at once, deleted with their
// evaluation, and migration versions applied by what is missing (a gap, a late lower version).
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>

#include "store/sqlite/connection.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace cartable {
namespace {

namespace fs = std::filesystem;

class GradeStore : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "cartable-grades-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    directory_ = pattern;
    file_ = directory_ / "cartable.db";
  }
  void TearDown() override { fs::remove_all(directory_); }

  // A school with one class of two pupils and their mathematics teacher.
  static Roster roster() {
    Roster roster;
    roster.schools.push_back({"s", "École", "Europe/Paris"});
    roster.classes.push_back({"s", "6A", "6e A"});
    roster.subjects.push_back({"s", "MATH", "Mathématiques"});
    roster.people.push_back({"prof", Role::teacher, "s", "Ada", "Prof", "", ""});
    roster.people.push_back({"p1", Role::pupil, "s", "Léa", "Martin", "6A", ""});
    roster.people.push_back({"p2", Role::pupil, "s", "Hugo", "Bernard", "6A", ""});
    roster.teachings.push_back({"prof", "s", "6A", "MATH"});
    EvaluationItem evaluation{"s", "6A", "MATH", "prof", "Contrôle", "2026-11-20", 20, 2, {}};
    evaluation.marks = {{"p1", MarkState::graded, 14.5}, {"p2", MarkState::absent, 0}};
    roster.evaluations.push_back(evaluation);
    return roster;
  }

  fs::path directory_;
  fs::path file_;
};

TEST_F(GradeStore, RosterEvaluationsAndMarksRoundTrip) {
  SqliteStore store(file_, 1);
  store.apply_roster(roster(), {}, "2026-11-20T10:00:00Z");
  const auto evaluations = store.class_evaluations(1, 0);
  ASSERT_EQ(evaluations.size(), 1u);
  EXPECT_EQ(evaluations[0].title, "Contrôle");
  EXPECT_DOUBLE_EQ(evaluations[0].coefficient, 2);
  const auto marks = store.evaluation_marks(evaluations[0].id);
  ASSERT_EQ(marks.size(), 2u);
  EXPECT_EQ(marks[0].pupil.last_name, "Bernard");  // by last name
  EXPECT_EQ(marks[0].state, MarkState::absent);
  EXPECT_FALSE(marks[0].value.has_value());
  EXPECT_DOUBLE_EQ(*marks[1].value, 14.5);
}

TEST_F(GradeStore, SetMarksReplacesAndDeleteTakesTheMarks) {
  SqliteStore store(file_, 1);
  store.apply_roster(roster(), {}, "2026-11-20T10:00:00Z");
  const Id evaluation = store.class_evaluations(1, 0).at(0).id;
  const auto pupils = store.class_pupils(1);
  ASSERT_EQ(pupils.size(), 2u);
  ASSERT_TRUE(store.set_marks(evaluation,
                              {{pupils[0].id, MarkState::graded, 9.25, "Revoir"},
                               {pupils[1].id, MarkState::excused, std::nullopt, ""}},
                              "2026-11-21T10:00:00Z"));
  const auto marks = store.evaluation_marks(evaluation);
  EXPECT_DOUBLE_EQ(*marks[0].value, 9.25);
  EXPECT_EQ(marks[0].comment, "Revoir");
  EXPECT_EQ(marks[1].state, MarkState::excused);
  EXPECT_FALSE(marks[1].value.has_value());

  EXPECT_TRUE(store.delete_evaluation(evaluation));
  EXPECT_TRUE(store.evaluation_marks(evaluation).empty());
  EXPECT_TRUE(store.pupil_marks(pupils[0].id).empty());
  EXPECT_FALSE(store.set_marks(evaluation, {{pupils[0].id, MarkState::graded, 1, ""}}, "now"));
}

TEST_F(GradeStore, AMissingMigrationBelowTheNewestIsStillApplied) {
  { SqliteStore store(file_, 1); }
  {
    // As if version 2 had come from a branch merged after a database was already at 3.
    sqlite::Connection db(file_, false);
    db.execute(
        "DROP TABLE hand_in_files; DROP TABLE hand_ins; DROP TABLE homework_attachments; "
        "DROP TABLE files; DELETE FROM schema_migrations WHERE version = 2");
  }
  SqliteStore store(file_, 1);
  store.apply_roster(roster(), {}, "2026-11-20T10:00:00Z");
  EXPECT_TRUE(store.file_hashes().empty());  // the files table is back
  EXPECT_EQ(store.class_evaluations(1, 0).size(), 1u);
}

TEST_F(GradeStore, ANewerSchemaIsRefused) {
  { SqliteStore store(file_, 1); }
  {
    sqlite::Connection db(file_, false);
    db.execute("INSERT INTO schema_migrations (version, description) VALUES (99, 'future')");
  }
  EXPECT_THROW(SqliteStore(file_, 1), std::runtime_error);
}

}  // namespace
}  // namespace cartable
