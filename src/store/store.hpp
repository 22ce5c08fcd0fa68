// The Store: every query the features need, as plain records. Two implementations share one
// schema: SQLite (embedded, default) and PostgreSQL (cluster). Feature code sees only this
// interface and calls it through store/database.hpp, which runs it off the I/O threads.
//
// Methods are synchronous and thread-safe. Reads may run concurrently; writes are serialised by the
// implementation and return only once durable.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "roster/csv_import.hpp"  // RosterKeys
#include "school/model.hpp"

namespace cartable {

using Id = std::int64_t;

struct NamedRef {
  Id id = 0;
  std::string name;
};

struct PersonRef {
  Id id = 0;
  std::string first_name;
  std::string last_name;
};

struct SchoolRecord {
  Id id = 0;
  std::string code;
  std::string name;
  std::string timezone;
};

struct UserRecord {
  Id id = 0;
  std::string login;
  Role role = Role::pupil;
  std::string first_name;
  std::string last_name;
  SchoolRecord school;
  std::optional<NamedRef> school_class;  // pupils: their class
};

struct Credentials {
  Id user_id = 0;
  Role role = Role::pupil;
  Id school_id = 0;
  std::string password_hash;  // empty: cannot sign in
};

struct ChildRecord {
  PersonRef person;
  NamedRef school_class;
  Id school_id = 0;
};

struct TeachingRecord {
  NamedRef school_class;
  NamedRef subject;
};

struct ClassSubjectRecord {
  NamedRef subject;
  PersonRef teacher;
};

struct LessonRecord {
  int start_minute = 0;
  int end_minute = 0;
  WeekParity week = WeekParity::every;
  NamedRef subject;
  NamedRef school_class;
  PersonRef teacher;
  std::string room;
};

// A class that has a lesson starting at `start_minute` (local time) on some weekday.
struct LessonStart {
  Id school_id = 0;
  NamedRef school_class;
  int start_minute = 0;
  WeekParity week = WeekParity::every;
};

struct HolidayRecord {
  std::string first_day;  // YYYY-MM-DD
  std::string last_day;
  std::string label;
};

struct HomeworkRecord {
  Id id = 0;
  Id school_id = 0;
  NamedRef school_class;
  NamedRef subject;
  PersonRef author;
  std::string title;
  std::string body;
  std::string due_date;    // YYYY-MM-DD
  std::string created_at;  // ISO 8601 UTC
  std::string updated_at;
};

struct HomeworkDraft {
  Id class_id = 0;
  Id subject_id = 0;
  Id author_id = 0;
  std::string title;
  std::string body;
  std::string due_date;
};

struct FileRecord {
  Id id = 0;
  std::string sha256;  // names the blob (files/blob_store.hpp)
  std::uint64_t size = 0;
  std::uint32_t crc32 = 0;
  std::string media_type;
  std::string name;  // as offered for download
  Id owner_id = 0;
  Id school_id = 0;
  std::string created_at;
};

struct FileDraft {
  std::string sha256;
  std::uint64_t size = 0;
  std::uint32_t crc32 = 0;
  std::string media_type;
  std::string name;
  Id owner_id = 0;
  Id school_id = 0;
};

// A file to create and attach to a homework item (store.create_homework_attachments).
struct NewHomeworkAttachment {
  Id homework_id = 0;
  FileDraft file;
};

// What a file is attached to: who may read it follows from there.
enum class FileUseKind {
  homework_attachment,
  hand_in,
  class_resource,
  message_attachment,
  live_slides,
};
struct FileUse {
  FileUseKind kind = FileUseKind::homework_attachment;
  // the homework, the hand-in, the resource, the conversation of the message, or the live lesson
  // that showed the deck
  Id object_id = 0;
};

struct StorageUse {
  std::uint64_t user_bytes = 0;
  std::uint64_t school_bytes = 0;
};

struct HandInRecord {
  Id id = 0;
  Id homework_id = 0;
  PersonRef pupil;
  std::string text;
  std::string submitted_at;  // ISO 8601 UTC, of the latest version
  bool late = false;
  std::optional<std::string> mark;  // set once the teacher has marked it
  std::string comment;
  std::string marked_at;
  std::vector<FileRecord> files;
};

struct HandInDraft {
  Id homework_id = 0;
  Id pupil_id = 0;
  std::string text;
  std::vector<Id> file_ids;  // in the pupil's order
  bool late = false;
};

enum class HandInSaved { created, replaced, already_marked };

// A node of a class's documents in one subject: a folder, or a document (a stored file).
struct ResourceRecord {
  Id id = 0;
  Id class_id = 0;
  Id subject_id = 0;
  Id parent_id = 0;  // 0: at the top
  bool folder = false;
  std::string name;
  std::optional<FileRecord> file;  // documents
  std::string created_at;
  std::string updated_at;
};

struct ResourceDraft {
  Id class_id = 0;
  Id subject_id = 0;
  Id parent_id = 0;
  bool folder = false;
  std::string name;
  Id file_id = 0;  // documents
  Id author_id = 0;
};

// Who attended a live lesson, and for how long (seconds connected, all connections merged).
struct AttendanceRecord {
  PersonRef person;
  Role role = Role::pupil;
  std::int64_t first_joined_at = 0;  // unix seconds
  std::int64_t last_left_at = 0;
  std::int64_t seconds = 0;
};

struct LiveLessonRecord {
  Id id = 0;
  NamedRef school_class;
  PersonRef teacher;
  std::int64_t started_at = 0;  // unix seconds
  std::int64_t ended_at = 0;    // 0: not ended (or the server stopped before it ended)
  std::string owner;            // the process that runs it (its --advertise-url)
  std::vector<AttendanceRecord> attendance;
};

// Why a resource write did not happen.
enum class ResourceWrite { done, missing, name_taken };

struct EvaluationRecord {
  Id id = 0;
  Id school_id = 0;
  NamedRef school_class;
  NamedRef subject;
  PersonRef author;
  std::string date;  // YYYY-MM-DD
  std::string title;
  double out_of = 20;
  double coefficient = 1;
  std::string created_at;  // ISO 8601 UTC
  std::string updated_at;
};

struct EvaluationDraft {
  Id class_id = 0;
  Id subject_id = 0;
  Id author_id = 0;
  std::string date;
  std::string title;
  double out_of = 20;
  double coefficient = 1;
};

struct MarkRecord {
  Id evaluation_id = 0;
  PersonRef pupil;
  MarkState state = MarkState::graded;
  std::optional<double> value;  // graded marks only
  std::string comment;
  std::string updated_at;
};

struct MarkDraft {
  Id pupil_id = 0;
  MarkState state = MarkState::graded;
  std::optional<double> value;
  std::string comment;
};

struct ClassRecord {
  Id id = 0;
  Id school_id = 0;
  std::string name;
};

struct ImportSummary {
  std::size_t schools_created = 0;
  std::size_t classes_created = 0;
  std::size_t subjects_created = 0;
  std::size_t people_created = 0;
  std::size_t rows_updated = 0;   // existing rows whose fields changed
  std::size_t links_created = 0;  // enrolments, teachings, parent links, slots, holidays, homework
  bool changed() const {
    return schools_created + classes_created + subjects_created + people_created + rows_updated +
               links_created >
           0;
  }
};

// What a messaging decision needs to know about a person, as seen from an actor
// (guard::PersonRelation is built from it, adding the school's settings).
struct MessagingFacts {
  PersonRef person;
  Role role = Role::pupil;
  Id school_id = 0;
  bool teaches_actor = false;     // teaches the actor's class or a class of the actor's children
  bool taught_by_actor = false;   // a pupil of a class the actor teaches
  bool parent_of_taught = false;  // a parent of such a pupil
};

struct Participant {
  PersonRef person;
  Role role = Role::pupil;
  Id last_read_message_id = 0;
};

struct ConversationRecord {
  Id id = 0;
  Id school_id = 0;
  std::string subject;
  PersonRef created_by;
  std::string created_at;  // ISO 8601 UTC
  Id last_message_id = 0;
  std::string last_message_at;
  std::vector<Participant> participants;  // by last name, first name, id
};

// A conversation in a participant's list.
struct ConversationSummary {
  ConversationRecord conversation;  // without participants
  std::int64_t unread = 0;          // messages by others after the participant's last read one
  std::int64_t participant_count = 0;
  // The first participants besides the reader, by name (kOthersListed at most): who it is with.
  std::vector<PersonRef> others;
};

constexpr std::size_t kOthersListed = 3;

struct MessageRecord {
  Id id = 0;
  Id conversation_id = 0;
  PersonRef author;
  std::string body;
  std::string created_at;  // ISO 8601 UTC
  std::vector<FileRecord> attachments;
};

struct MessageDraft {
  Id author_id = 0;
  std::string body;
  std::vector<Id> attachment_ids;  // the author's own uploads, in order
};

struct ConversationDraft {
  Id school_id = 0;
  std::string subject;
  std::vector<Id> participant_ids;  // the creator among them
  MessageDraft first_message;
};

struct AnnouncementRecord {
  Id id = 0;
  Id school_id = 0;
  PersonRef author;
  std::string title;
  std::string body;
  std::string until;              // YYYY-MM-DD, last day shown
  std::string created_at;         // ISO 8601 UTC
  std::vector<NamedRef> classes;  // empty: the whole school
};

struct AnnouncementDraft {
  Id school_id = 0;
  Id author_id = 0;
  std::string title;
  std::string body;
  std::string until;
  std::vector<Id> class_ids;  // empty: the whole school
};

// Which announcements to list: those of `school_id` shown on `from` or later (until >= from) that
// are school-wide, or to one of `class_ids`, or by `author_id` (0: none); `every_class` takes
// every announcement of the school.
struct AnnouncementQuery {
  Id school_id = 0;
  std::string from;
  std::vector<Id> class_ids;
  Id author_id = 0;
  bool every_class = false;
};

class Store {
 public:
  virtual ~Store() = default;

  // --- roster ---
  virtual RosterKeys roster_keys() = 0;
  // Writes a validated roster in one transaction: all or nothing. Upserts by natural keys, so
  // applying the same roster twice changes nothing. `password_hashes` (login -> encoded hash) is
  // applied only to accounts this call creates. `now` (ISO 8601 UTC) stamps created homework.
  virtual ImportSummary apply_roster(const Roster& roster,
                                     const std::map<std::string, std::string>& password_hashes,
                                     const std::string& now) = 0;

  // --- accounts ---
  virtual std::optional<Credentials> credentials(std::string_view login) = 0;
  virtual void set_password_hash(Id user_id, const std::string& hash) = 0;
  virtual std::optional<UserRecord> user(Id user_id) = 0;
  virtual std::vector<ChildRecord> children(Id parent_id) = 0;
  virtual std::vector<TeachingRecord> teachings(Id teacher_id) = 0;
  virtual std::optional<ClassRecord> school_class(Id class_id) = 0;
  // The pupils enrolled in the class, by last name, first name, id.
  virtual std::vector<PersonRef> class_pupils(Id class_id) = 0;
  // Who teaches what in the class, by subject name, then teacher's last and first names.
  virtual std::vector<ClassSubjectRecord> class_subjects(Id class_id) = 0;

  // --- timetable ---
  // Every slot of the weekday (all week parities: the caller picks).
  virtual std::vector<LessonRecord> class_lessons(Id class_id, int weekday) = 0;
  virtual std::vector<LessonRecord> teacher_lessons(Id teacher_id, int weekday) = 0;
  virtual std::vector<HolidayRecord> holidays(Id school_id) = 0;
  // Every lesson start of the weekday, in every school, by school then start (pre-warming).
  virtual std::vector<LessonStart> lesson_starts(int weekday) = 0;
  virtual std::vector<SchoolRecord> schools() = 0;

  // --- homework ---
  // Due between `from` and `to` inclusive (YYYY-MM-DD), by due date then id.
  virtual std::vector<HomeworkRecord> class_homework(Id class_id, const std::string& from,
                                                     const std::string& to) = 0;
  virtual std::vector<HomeworkRecord> authored_homework(Id author_id, const std::string& from,
                                                        const std::string& to) = 0;
  virtual std::optional<HomeworkRecord> homework(Id homework_id) = 0;
  virtual Id create_homework(const HomeworkDraft& draft, const std::string& now) = 0;
  // False when the homework does not exist (any more).
  virtual bool update_homework(Id homework_id, const HomeworkDraft& draft,
                               const std::string& now) = 0;
  virtual bool delete_homework(Id homework_id) = 0;
  // Moves every homework due date, and every announcement's last day, by `days` (the demo keeps its
  // homework and announcements current).
  virtual void shift_homework_due_dates(int days) = 0;

  // --- files ---
  virtual Id create_file(const FileDraft& draft, const std::string& now) = 0;
  virtual std::optional<FileRecord> file(Id file_id) = 0;
  // Bytes of the files `user_id` owns and of every file of `school_id`.
  virtual StorageUse storage_use(Id user_id, Id school_id) = 0;
  virtual std::vector<FileUse> file_uses(Id file_id) = 0;
  // The blobs some file names (everything else in the blob store can go).
  virtual std::vector<std::string> file_hashes() = 0;
  // Deletes the files attached to nothing that were created before `before` (uploads never
  // used); returns how many.
  virtual std::size_t delete_unattached_files(const std::string& before) = 0;
  virtual std::vector<FileRecord> homework_attachments(Id homework_id) = 0;
  virtual void set_homework_attachments(Id homework_id, const std::vector<Id>& file_ids) = 0;
  // Creates each item's file and makes it the only attachment of its homework, all in one
  // transaction (the demo attaches thousands at once): create_file then set_homework_attachments
  // for each, without a commit each. Returns the new files' ids, in order.
  virtual std::vector<Id> create_homework_attachments(
      const std::vector<NewHomeworkAttachment>& items, const std::string& now) = 0;

  // --- hand-ins ---
  virtual std::optional<HandInRecord> hand_in(Id hand_in_id) = 0;
  virtual std::optional<HandInRecord> pupil_hand_in(Id homework_id, Id pupil_id) = 0;
  virtual std::vector<HandInRecord> hand_ins(Id homework_id) = 0;
  // Creates or replaces the pupil's hand-in, unless it has been marked.
  virtual HandInSaved save_hand_in(const HandInDraft& draft, const std::string& now) = 0;
  // False when the hand-in does not exist.
  virtual bool mark_hand_in(Id hand_in_id, const std::string& mark, const std::string& comment,
                            Id teacher_id, const std::string& now) = 0;

  // --- class resources ---
  // Every node of the class's tree in the subject, folders first, then by name.
  virtual std::vector<ResourceRecord> resources(Id class_id, Id subject_id) = 0;
  virtual std::optional<ResourceRecord> resource(Id resource_id) = 0;
  // Creates the node unless its folder already holds that name; the new id, or 0 then.
  virtual Id create_resource(const ResourceDraft& draft, const std::string& now) = 0;
  // Renames and/or moves (within its class and subject) a node.
  virtual ResourceWrite update_resource(Id resource_id, const std::string& name, Id parent_id,
                                        const std::string& now) = 0;
  // Deletes the node and, for a folder, everything in it; false when it did not exist.
  virtual bool delete_resource(Id resource_id) = 0;

  // --- live lessons ---
  // The class's new running lesson, on `owner`; 0 when a lesson of the class runs on another
  // process. A row `owner` left running for the class is ended first (its room is gone: the
  // caller checked).
  virtual Id create_live_lesson(Id class_id, Id teacher_id, std::int64_t started_at,
                                const std::string& owner) = 0;
  // The class's lesson running now, on whichever process (without attendance).
  virtual std::optional<LiveLessonRecord> running_live_lesson(Id class_id) = 0;
  // Ends the lessons `owner` left running when it stopped without ending them (a crash); returns
  // how many. Their attendance was never recorded.
  virtual std::size_t end_abandoned_live_lessons(const std::string& owner,
                                                 std::int64_t ended_at) = 0;
  // Records the end and who attended, in one transaction.
  virtual void finish_live_lesson(Id lesson_id, std::int64_t ended_at,
                                  const std::vector<AttendanceRecord>& attendance) = 0;
  // The class's latest lessons (at most `limit`), newest first, with their attendance.
  virtual std::vector<LiveLessonRecord> live_lessons(Id class_id, std::size_t limit) = 0;
  virtual std::optional<LiveLessonRecord> live_lesson(Id lesson_id) = 0;
  // Records that the lesson showed this file as slides (again: changes nothing).
  virtual void record_live_slides(Id lesson_id, Id file_id, std::int64_t shown_at) = 0;

  // --- grades ---
  // The class's evaluations in the subject (0: every subject), by date then id.
  virtual std::vector<EvaluationRecord> class_evaluations(Id class_id, Id subject_id) = 0;
  virtual std::optional<EvaluationRecord> evaluation(Id evaluation_id) = 0;
  virtual Id create_evaluation(const EvaluationDraft& draft, const std::string& now) = 0;
  // False when the evaluation does not exist (any more).
  virtual bool update_evaluation(Id evaluation_id, const EvaluationDraft& draft,
                                 const std::string& now) = 0;
  // Deletes the evaluation and its marks in one transaction; false when it did not exist.
  virtual bool delete_evaluation(Id evaluation_id) = 0;
  // Marks of one evaluation, of a class's evaluations in a subject (0: every subject), or of one
  // pupil; each by evaluation, then pupil as in class_pupils.
  virtual std::vector<MarkRecord> evaluation_marks(Id evaluation_id) = 0;
  virtual std::vector<MarkRecord> class_marks(Id class_id, Id subject_id) = 0;
  virtual std::vector<MarkRecord> pupil_marks(Id pupil_id) = 0;
  // Sets (inserts or replaces) these marks in one transaction: all or nothing. False, writing
  // nothing, when the evaluation does not exist (any more). The caller has validated the rows.
  virtual bool set_marks(Id evaluation_id, const std::vector<MarkDraft>& marks,
                         const std::string& now) = 0;

  // --- calendar feeds ---
  // The nonce the user's feed token is derived from; nullopt when they have no feed yet.
  virtual std::optional<std::string> calendar_feed_nonce(Id user_id) = 0;
  // Creates or replaces the user's feed: the previous token stops working.
  virtual void set_calendar_feed(Id user_id, const std::string& nonce,
                                 const std::string& token_hash) = 0;
  virtual std::optional<Id> calendar_feed_user(const std::string& token_hash) = 0;

  // --- sessions ---
  virtual void revoke_session(const std::string& session_id_hex, std::int64_t expires_at) = 0;
  // Revoked sessions that have not expired at `now`; drops the expired ones.
  virtual std::vector<std::string> revoked_sessions(std::int64_t now) = 0;

  // --- messages ---
  // Everyone of `school_id` whose first or last name contains `name` (ASCII case-insensitive;
  // empty: everyone), by last name, first name, id, with their relation to `actor_id`.
  virtual std::vector<MessagingFacts> messaging_candidates(Id actor_id, Id school_id,
                                                           const std::string& name) = 0;
  // The same facts for the given users (unknown ids are left out), by id.
  virtual std::vector<MessagingFacts> messaging_facts(Id actor_id,
                                                      const std::vector<Id>& user_ids) = 0;
  // Creates the conversation, its participants and its first message in one transaction; the
  // creator has read it. Returns the conversation's id.
  virtual Id create_conversation(const ConversationDraft& draft, const std::string& now) = 0;
  virtual std::optional<ConversationRecord> conversation(Id conversation_id) = 0;
  // The user's conversations, newest activity first, at most `limit`.
  virtual std::vector<ConversationSummary> user_conversations(Id user_id, std::size_t limit) = 0;
  // Messages of a conversation with ids below `before` (0: the newest), newest first, at most
  // `limit`.
  virtual std::vector<MessageRecord> conversation_messages(Id conversation_id, Id before,
                                                           std::size_t limit) = 0;
  // Adds a message (the author has read up to it); nullopt when the conversation is gone.
  virtual std::optional<Id> add_message(Id conversation_id, const MessageDraft& draft,
                                        const std::string& now) = 0;
  // Moves the participant's read mark forward to `up_to` (never back, never past the last
  // message). False when they are not a participant.
  virtual bool mark_read(Id conversation_id, Id user_id, Id up_to) = 0;
  // Messages by others the user has not read, in all their conversations.
  virtual std::int64_t unread_messages(Id user_id) = 0;

  // --- announcements ---
  virtual Id create_announcement(const AnnouncementDraft& draft, const std::string& now) = 0;
  virtual std::optional<AnnouncementRecord> announcement(Id announcement_id) = 0;
  virtual bool delete_announcement(Id announcement_id) = 0;
  // Newest first.
  virtual std::vector<AnnouncementRecord> announcements(const AnnouncementQuery& query) = 0;
  // Every class of the school, by name.
  virtual std::vector<ClassRecord> school_classes(Id school_id) = 0;

  // --- settings ---
  virtual std::optional<std::string> setting(const std::string& key) = 0;
  virtual void set_setting(const std::string& key, const std::string& value) = 0;
};

}  // namespace cartable
