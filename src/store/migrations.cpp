#include "store/migrations.hpp"

#include <array>

namespace cartable {

namespace {

constexpr std::string_view kInitialSchema = R"sql(
CREATE TABLE schools (
  id INTEGER PRIMARY KEY,
  code TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  timezone TEXT NOT NULL
);
CREATE TABLE classes (
  id INTEGER PRIMARY KEY,
  school_id INTEGER NOT NULL REFERENCES schools(id),
  code TEXT NOT NULL,
  name TEXT NOT NULL,
  UNIQUE (school_id, code)
);
CREATE TABLE subjects (
  id INTEGER PRIMARY KEY,
  school_id INTEGER NOT NULL REFERENCES schools(id),
  code TEXT NOT NULL,
  name TEXT NOT NULL,
  UNIQUE (school_id, code)
);
CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  login TEXT NOT NULL UNIQUE,
  role TEXT NOT NULL CHECK (role IN ('pupil', 'teacher', 'parent', 'staff', 'admin')),
  school_id INTEGER NOT NULL REFERENCES schools(id),
  first_name TEXT NOT NULL,
  last_name TEXT NOT NULL,
  password_hash TEXT NOT NULL DEFAULT ''
);
CREATE TABLE enrolments (
  pupil_id INTEGER PRIMARY KEY REFERENCES users(id),
  class_id INTEGER NOT NULL REFERENCES classes(id)
);
CREATE INDEX enrolments_by_class ON enrolments (class_id);
CREATE TABLE teachings (
  teacher_id INTEGER NOT NULL REFERENCES users(id),
  class_id INTEGER NOT NULL REFERENCES classes(id),
  subject_id INTEGER NOT NULL REFERENCES subjects(id),
  PRIMARY KEY (teacher_id, class_id, subject_id)
);
CREATE INDEX teachings_by_class ON teachings (class_id);
CREATE TABLE parent_links (
  parent_id INTEGER NOT NULL REFERENCES users(id),
  pupil_id INTEGER NOT NULL REFERENCES users(id),
  PRIMARY KEY (parent_id, pupil_id)
);
CREATE TABLE timetable_slots (
  id INTEGER PRIMARY KEY,
  class_id INTEGER NOT NULL REFERENCES classes(id),
  subject_id INTEGER NOT NULL REFERENCES subjects(id),
  teacher_id INTEGER NOT NULL REFERENCES users(id),
  weekday INTEGER NOT NULL CHECK (weekday BETWEEN 1 AND 7),
  start_minute INTEGER NOT NULL CHECK (start_minute BETWEEN 0 AND 1440),
  end_minute INTEGER NOT NULL CHECK (end_minute BETWEEN 0 AND 1440),
  room TEXT NOT NULL,
  week TEXT NOT NULL CHECK (week IN ('*', 'A', 'B')),
  UNIQUE (class_id, weekday, start_minute, week, subject_id, teacher_id)
);
CREATE INDEX slots_by_class_day ON timetable_slots (class_id, weekday);
CREATE INDEX slots_by_teacher_day ON timetable_slots (teacher_id, weekday);
CREATE TABLE holidays (
  id INTEGER PRIMARY KEY,
  school_id INTEGER NOT NULL REFERENCES schools(id),
  first_day TEXT NOT NULL,
  last_day TEXT NOT NULL,
  label TEXT NOT NULL,
  UNIQUE (school_id, first_day, last_day)
);
CREATE TABLE homework (
  id INTEGER PRIMARY KEY,
  class_id INTEGER NOT NULL REFERENCES classes(id),
  subject_id INTEGER NOT NULL REFERENCES subjects(id),
  author_id INTEGER NOT NULL REFERENCES users(id),
  title TEXT NOT NULL,
  body TEXT NOT NULL,
  due_date TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX homework_by_class_due ON homework (class_id, due_date);
CREATE INDEX homework_by_author_due ON homework (author_id, due_date);
CREATE TABLE revoked_sessions (
  session_id TEXT PRIMARY KEY,
  expires_at INTEGER NOT NULL
);
CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
)sql";

// Files are content-addressed blobs (files/blob_store.hpp) described here; a file is attached to a
// homework (by its teacher) or to a hand-in (by its pupil).
constexpr std::string_view kFilesAndHandIns = R"sql(
CREATE TABLE files (
  id INTEGER PRIMARY KEY,
  sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
  size INTEGER NOT NULL CHECK (size > 0),
  crc32 INTEGER NOT NULL,
  media_type TEXT NOT NULL,
  name TEXT NOT NULL,
  owner_id INTEGER NOT NULL REFERENCES users(id),
  school_id INTEGER NOT NULL REFERENCES schools(id),
  created_at TEXT NOT NULL
);
CREATE INDEX files_by_owner ON files (owner_id);
CREATE INDEX files_by_school ON files (school_id);
CREATE TABLE homework_attachments (
  homework_id INTEGER NOT NULL REFERENCES homework(id),
  file_id INTEGER NOT NULL REFERENCES files(id),
  position INTEGER NOT NULL,
  PRIMARY KEY (homework_id, file_id)
);
CREATE INDEX homework_attachments_by_file ON homework_attachments (file_id);
CREATE TABLE hand_ins (
  id INTEGER PRIMARY KEY,
  homework_id INTEGER NOT NULL REFERENCES homework(id),
  pupil_id INTEGER NOT NULL REFERENCES users(id),
  text TEXT NOT NULL,
  submitted_at TEXT NOT NULL,
  late INTEGER NOT NULL CHECK (late IN (0, 1)),
  mark TEXT,
  comment TEXT NOT NULL DEFAULT '',
  marked_at TEXT NOT NULL DEFAULT '',
  marked_by INTEGER REFERENCES users(id),
  UNIQUE (homework_id, pupil_id)
);
CREATE TABLE hand_in_files (
  hand_in_id INTEGER NOT NULL REFERENCES hand_ins(id),
  file_id INTEGER NOT NULL REFERENCES files(id),
  position INTEGER NOT NULL,
  PRIMARY KEY (hand_in_id, file_id)
);
CREATE INDEX hand_in_files_by_file ON hand_in_files (file_id);
)sql";

// Marks go with their evaluation (ON DELETE CASCADE; SqliteStore also deletes them explicitly in
// the same transaction, so the rule holds on a connection without foreign keys too). A calendar
// feed keeps the nonce its token is derived from and the token's SHA-256 to find it by: the token
// itself, the credential, is never stored (calendar/feed_token.hpp).
constexpr std::string_view kGradesAndCalendarFeeds = R"sql(
CREATE TABLE evaluations (
  id INTEGER PRIMARY KEY,
  class_id INTEGER NOT NULL REFERENCES classes(id),
  subject_id INTEGER NOT NULL REFERENCES subjects(id),
  author_id INTEGER NOT NULL REFERENCES users(id),
  date TEXT NOT NULL,
  title TEXT NOT NULL,
  out_of REAL NOT NULL CHECK (out_of > 0),
  coefficient REAL NOT NULL CHECK (coefficient > 0),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX evaluations_by_class_subject ON evaluations (class_id, subject_id, date);
CREATE TABLE marks (
  evaluation_id INTEGER NOT NULL REFERENCES evaluations(id) ON DELETE CASCADE,
  pupil_id INTEGER NOT NULL REFERENCES users(id),
  value REAL,
  state TEXT NOT NULL CHECK (state IN ('graded', 'absent', 'excused')),
  comment TEXT NOT NULL DEFAULT '',
  updated_at TEXT NOT NULL,
  PRIMARY KEY (evaluation_id, pupil_id),
  CHECK ((state = 'graded') = (value IS NOT NULL))
);
CREATE INDEX marks_by_pupil ON marks (pupil_id);
CREATE TABLE calendar_feeds (
  user_id INTEGER PRIMARY KEY REFERENCES users(id),
  nonce TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE
);
)sql";

// A class's documents per subject: a tree of folders and documents (stored files). Names are
// unique within a folder (the top of a class and subject counting as one).
constexpr std::string_view kClassResources = R"sql(
CREATE TABLE resources (
  id INTEGER PRIMARY KEY,
  class_id INTEGER NOT NULL REFERENCES classes(id),
  subject_id INTEGER NOT NULL REFERENCES subjects(id),
  parent_id INTEGER REFERENCES resources(id),
  folder INTEGER NOT NULL CHECK (folder IN (0, 1)),
  name TEXT NOT NULL,
  file_id INTEGER REFERENCES files(id),
  author_id INTEGER NOT NULL REFERENCES users(id),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  CHECK ((folder = 0) = (file_id IS NOT NULL))
);
CREATE UNIQUE INDEX resources_by_folder_name
  ON resources (class_id, subject_id, IFNULL(parent_id, 0), name);
CREATE INDEX resources_by_file ON resources (file_id);
)sql";

// Live lessons as they happened: who attended, when, for how long. The ids number the rooms too,
// so they stay unique across restarts and processes.
constexpr std::string_view kLiveAttendance = R"sql(
CREATE TABLE live_lessons (
  id INTEGER PRIMARY KEY,
  class_id INTEGER NOT NULL REFERENCES classes(id),
  teacher_id INTEGER NOT NULL REFERENCES users(id),
  started_at INTEGER NOT NULL,
  ended_at INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX live_lessons_by_class ON live_lessons (class_id, started_at);
CREATE TABLE live_attendance (
  lesson_id INTEGER NOT NULL REFERENCES live_lessons(id),
  user_id INTEGER NOT NULL REFERENCES users(id),
  first_joined_at INTEGER NOT NULL,
  last_left_at INTEGER NOT NULL,
  seconds INTEGER NOT NULL CHECK (seconds >= 0),
  PRIMARY KEY (lesson_id, user_id)
);
)sql";

// Which process runs a live lesson (the prefix of its socket URL, --advertise-url; empty for a
// single process), so that any process of a region sends joiners to the one that owns the room;
// one running lesson per class, whichever process starts it. Depends on migration 6 only.
constexpr std::string_view kLiveOwners = R"sql(
ALTER TABLE live_lessons ADD COLUMN owner TEXT NOT NULL DEFAULT '';
UPDATE live_lessons SET ended_at = started_at WHERE ended_at = 0;
CREATE UNIQUE INDEX live_lessons_running ON live_lessons (class_id) WHERE ended_at = 0;
)sql";

// A conversation's participants each keep the last message they have read (0: none); unread is
// what others wrote after it. Messages and announcements are never edited. An announcement with
// no row in announcement_classes is school-wide.
constexpr std::string_view kMessagesAndAnnouncements = R"sql(
CREATE TABLE conversations (
  id INTEGER PRIMARY KEY,
  school_id INTEGER NOT NULL REFERENCES schools(id),
  subject TEXT NOT NULL,
  created_by INTEGER NOT NULL REFERENCES users(id),
  created_at TEXT NOT NULL,
  last_message_id INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE conversation_participants (
  conversation_id INTEGER NOT NULL REFERENCES conversations(id),
  user_id INTEGER NOT NULL REFERENCES users(id),
  last_read_message_id INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (conversation_id, user_id)
);
CREATE INDEX participants_by_user ON conversation_participants (user_id, conversation_id);
CREATE TABLE messages (
  id INTEGER PRIMARY KEY,
  conversation_id INTEGER NOT NULL REFERENCES conversations(id),
  author_id INTEGER NOT NULL REFERENCES users(id),
  body TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX messages_by_conversation ON messages (conversation_id, id);
CREATE TABLE message_attachments (
  message_id INTEGER NOT NULL REFERENCES messages(id),
  file_id INTEGER NOT NULL REFERENCES files(id),
  position INTEGER NOT NULL,
  PRIMARY KEY (message_id, file_id)
);
CREATE INDEX message_attachments_by_file ON message_attachments (file_id);
CREATE TABLE announcements (
  id INTEGER PRIMARY KEY,
  school_id INTEGER NOT NULL REFERENCES schools(id),
  author_id INTEGER NOT NULL REFERENCES users(id),
  title TEXT NOT NULL,
  body TEXT NOT NULL,
  until TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX announcements_by_school_until ON announcements (school_id, until);
CREATE TABLE announcement_classes (
  announcement_id INTEGER NOT NULL REFERENCES announcements(id),
  class_id INTEGER NOT NULL REFERENCES classes(id),
  PRIMARY KEY (announcement_id, class_id)
);
CREATE INDEX announcement_classes_by_class ON announcement_classes (class_id);
)sql";

// The decks shown in a live lesson (slides): recording one lets the lesson's class download it
// (files/access.hpp), during the lesson and after. Depends on migrations 2 and 6 only.
constexpr std::string_view kLiveSlides = R"sql(
CREATE TABLE live_slides (
  lesson_id INTEGER NOT NULL REFERENCES live_lessons(id),
  file_id INTEGER NOT NULL REFERENCES files(id),
  shown_at INTEGER NOT NULL,
  PRIMARY KEY (lesson_id, file_id)
);
CREATE INDEX live_slides_by_file ON live_slides (file_id);
)sql";

// migrate() applies every migration not yet recorded, in order.
constexpr std::array kMigrations{
    Migration{1, "schools, people, timetable, homework, sessions", kInitialSchema},
    Migration{2, "files, homework attachments, hand-ins", kFilesAndHandIns},
    Migration{3, "grades and calendar feeds", kGradesAndCalendarFeeds},
    Migration{4, "messages and announcements", kMessagesAndAnnouncements},
    Migration{5, "class resources", kClassResources},
    Migration{6, "live lesson attendance", kLiveAttendance},
    Migration{7, "live lesson owners", kLiveOwners},
    Migration{8, "live lesson slides", kLiveSlides},
};

}  // namespace

std::span<const Migration> migrations() {
  return kMigrations;
}

}  // namespace cartable
