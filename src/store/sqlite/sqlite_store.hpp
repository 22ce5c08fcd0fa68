// The embedded Store: one SQLite file in WAL mode, one writer connection (writes are serialised)
// and a small pool of reader connections that read concurrently with it.
#pragma once

#include <condition_variable>
#include <filesystem>
#include <memory>
#include <mutex>
#include <vector>

#include "store/sqlite/connection.hpp"
#include "store/store.hpp"

namespace cartable {

class SqliteStore final : public Store {
 public:
  // Opens or creates `file` and applies pending migrations. Throws sqlite::Error on failure, or
  // std::runtime_error if the file has a newer schema than this binary knows.
  SqliteStore(const std::filesystem::path& file, std::size_t readers);
  ~SqliteStore() override;

  RosterKeys roster_keys() override;
  ImportSummary apply_roster(const Roster& roster,
                             const std::map<std::string, std::string>& password_hashes,
                             const std::string& now) override;
  std::optional<Credentials> credentials(std::string_view login) override;
  void set_password_hash(Id user_id, const std::string& hash) override;
  std::optional<UserRecord> user(Id user_id) override;
  std::vector<ChildRecord> children(Id parent_id) override;
  std::vector<TeachingRecord> teachings(Id teacher_id) override;
  std::optional<ClassRecord> school_class(Id class_id) override;
  std::vector<PersonRef> class_pupils(Id class_id) override;
  std::vector<ClassSubjectRecord> class_subjects(Id class_id) override;
  std::vector<LessonRecord> class_lessons(Id class_id, int weekday) override;
  std::vector<LessonRecord> teacher_lessons(Id teacher_id, int weekday) override;
  std::vector<HolidayRecord> holidays(Id school_id) override;
  std::vector<LessonStart> lesson_starts(int weekday) override;
  std::vector<SchoolRecord> schools() override;
  std::vector<HomeworkRecord> class_homework(Id class_id, const std::string& from,
                                             const std::string& to) override;
  std::vector<HomeworkRecord> authored_homework(Id author_id, const std::string& from,
                                                const std::string& to) override;
  std::optional<HomeworkRecord> homework(Id homework_id) override;
  Id create_homework(const HomeworkDraft& draft, const std::string& now) override;
  bool update_homework(Id homework_id, const HomeworkDraft& draft, const std::string& now) override;
  bool delete_homework(Id homework_id) override;
  void shift_homework_due_dates(int days) override;
  Id create_file(const FileDraft& draft, const std::string& now) override;
  std::optional<FileRecord> file(Id file_id) override;
  StorageUse storage_use(Id user_id, Id school_id) override;
  std::vector<FileUse> file_uses(Id file_id) override;
  std::vector<std::string> file_hashes() override;
  std::size_t delete_unattached_files(const std::string& before) override;
  std::vector<FileRecord> homework_attachments(Id homework_id) override;
  void set_homework_attachments(Id homework_id, const std::vector<Id>& file_ids) override;
  std::vector<Id> create_homework_attachments(const std::vector<NewHomeworkAttachment>& items,
                                              const std::string& now) override;
  std::optional<HandInRecord> hand_in(Id hand_in_id) override;
  std::optional<HandInRecord> pupil_hand_in(Id homework_id, Id pupil_id) override;
  std::vector<HandInRecord> hand_ins(Id homework_id) override;
  HandInSaved save_hand_in(const HandInDraft& draft, const std::string& now) override;
  bool mark_hand_in(Id hand_in_id, const std::string& mark, const std::string& comment,
                    Id teacher_id, const std::string& now) override;
  std::vector<EvaluationRecord> class_evaluations(Id class_id, Id subject_id) override;
  std::optional<EvaluationRecord> evaluation(Id evaluation_id) override;
  Id create_evaluation(const EvaluationDraft& draft, const std::string& now) override;
  bool update_evaluation(Id evaluation_id, const EvaluationDraft& draft,
                         const std::string& now) override;
  bool delete_evaluation(Id evaluation_id) override;
  std::vector<MarkRecord> evaluation_marks(Id evaluation_id) override;
  std::vector<MarkRecord> class_marks(Id class_id, Id subject_id) override;
  std::vector<MarkRecord> pupil_marks(Id pupil_id) override;
  bool set_marks(Id evaluation_id, const std::vector<MarkDraft>& marks,
                 const std::string& now) override;
  std::optional<std::string> calendar_feed_nonce(Id user_id) override;
  void set_calendar_feed(Id user_id, const std::string& nonce,
                         const std::string& token_hash) override;
  std::optional<Id> calendar_feed_user(const std::string& token_hash) override;
  std::vector<ResourceRecord> resources(Id class_id, Id subject_id) override;
  std::optional<ResourceRecord> resource(Id resource_id) override;
  Id create_resource(const ResourceDraft& draft, const std::string& now) override;
  ResourceWrite update_resource(Id resource_id, const std::string& name, Id parent_id,
                                const std::string& now) override;
  bool delete_resource(Id resource_id) override;
  Id create_live_lesson(Id class_id, Id teacher_id, std::int64_t started_at,
                        const std::string& owner) override;
  std::optional<LiveLessonRecord> running_live_lesson(Id class_id) override;
  std::size_t end_abandoned_live_lessons(const std::string& owner, std::int64_t ended_at) override;
  void finish_live_lesson(Id lesson_id, std::int64_t ended_at,
                          const std::vector<AttendanceRecord>& attendance) override;
  std::vector<LiveLessonRecord> live_lessons(Id class_id, std::size_t limit) override;
  std::optional<LiveLessonRecord> live_lesson(Id lesson_id) override;
  void record_live_slides(Id lesson_id, Id file_id, std::int64_t shown_at) override;
  void revoke_session(const std::string& session_id_hex, std::int64_t expires_at) override;
  std::vector<std::string> revoked_sessions(std::int64_t now) override;
  std::vector<MessagingFacts> messaging_candidates(Id actor_id, Id school_id,
                                                   const std::string& name) override;
  std::vector<MessagingFacts> messaging_facts(Id actor_id,
                                              const std::vector<Id>& user_ids) override;
  Id create_conversation(const ConversationDraft& draft, const std::string& now) override;
  std::optional<ConversationRecord> conversation(Id conversation_id) override;
  std::vector<ConversationSummary> user_conversations(Id user_id, std::size_t limit) override;
  std::vector<MessageRecord> conversation_messages(Id conversation_id, Id before,
                                                   std::size_t limit) override;
  std::optional<Id> add_message(Id conversation_id, const MessageDraft& draft,
                                const std::string& now) override;
  bool mark_read(Id conversation_id, Id user_id, Id up_to) override;
  std::int64_t unread_messages(Id user_id) override;
  Id create_announcement(const AnnouncementDraft& draft, const std::string& now) override;
  std::optional<AnnouncementRecord> announcement(Id announcement_id) override;
  bool delete_announcement(Id announcement_id) override;
  std::vector<AnnouncementRecord> announcements(const AnnouncementQuery& query) override;
  std::vector<ClassRecord> school_classes(Id school_id) override;
  std::optional<std::string> setting(const std::string& key) override;
  void set_setting(const std::string& key, const std::string& value) override;

 private:
  class Reader;
  Reader read();
  // The hand-in's files, read on `db` (a reader or the writer).
  static std::vector<FileRecord> hand_in_files(sqlite::Connection& db, Id hand_in_id);
  static std::vector<AttendanceRecord> attendance_of(sqlite::Connection& db, Id lesson_id);
  void migrate();
  // The roster's announcements and conversations, inside apply_roster's transaction on `db`.
  static void apply_roster_messages(sqlite::Connection& db, const Roster& roster,
                                    const std::string& now, ImportSummary& summary);

  std::mutex write_mutex_;
  std::unique_ptr<sqlite::Connection> writer_;
  std::mutex readers_mutex_;
  std::condition_variable reader_returned_;
  std::vector<std::unique_ptr<sqlite::Connection>> idle_readers_;
};

}  // namespace cartable
