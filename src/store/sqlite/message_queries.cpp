// The SqliteStore's conversations, messages and announcements.
#include <algorithm>

#include "store/sqlite/queries.hpp"

namespace cartable {

using sqlite::Connection;
using sqlite::Statement;
using sqlite::Transaction;

namespace {

Role role_of(const std::string& text) {
  const auto role = parse_role(text);
  if (!role) {
    throw std::runtime_error("database holds an unknown role: " + text);
  }
  return *role;
}

// ?1 is the actor. The actor's "own" classes: a pupil's class, a parent's children's classes.
constexpr std::string_view kFactsSelect =
    "SELECT u.id, u.first_name, u.last_name, u.role, u.school_id, "
    "EXISTS (SELECT 1 FROM teachings t WHERE t.teacher_id = u.id AND t.class_id IN ("
    "  SELECT class_id FROM enrolments WHERE pupil_id = ?1 UNION "
    "  SELECT e.class_id FROM parent_links l JOIN enrolments e ON e.pupil_id = l.pupil_id "
    "  WHERE l.parent_id = ?1)), "
    "EXISTS (SELECT 1 FROM enrolments e JOIN teachings t ON t.class_id = e.class_id "
    "  WHERE e.pupil_id = u.id AND t.teacher_id = ?1), "
    "EXISTS (SELECT 1 FROM parent_links l JOIN enrolments e ON e.pupil_id = l.pupil_id "
    "  JOIN teachings t ON t.class_id = e.class_id WHERE l.parent_id = u.id AND t.teacher_id = ?1) "
    "FROM users u ";

MessagingFacts read_facts(const Statement& row) {
  MessagingFacts facts;
  facts.person = {row.integer(0), row.text(1), row.text(2)};
  facts.role = role_of(row.text(3));
  facts.school_id = row.integer(4);
  facts.teaches_actor = row.integer(5) != 0;
  facts.taught_by_actor = row.integer(6) != 0;
  facts.parent_of_taught = row.integer(7) != 0;
  return facts;
}

// A LIKE pattern matching `text` anywhere, with LIKE's own characters taken literally.
std::string contains_pattern(const std::string& text) {
  std::string pattern = "%";
  for (const char c : text) {
    if (c == '%' || c == '_' || c == '\\') {
      pattern += '\\';
    }
    pattern += c;
  }
  pattern += '%';
  return pattern;
}

constexpr std::string_view kConversationSelect =
    "SELECT c.id, c.school_id, c.subject, u.id, u.first_name, u.last_name, c.created_at, "
    "c.last_message_id, COALESCE(m.created_at, c.created_at) FROM conversations c "
    "JOIN users u ON u.id = c.created_by LEFT JOIN messages m ON m.id = c.last_message_id ";

ConversationRecord read_conversation(const Statement& row) {
  ConversationRecord record;
  record.id = row.integer(0);
  record.school_id = row.integer(1);
  record.subject = row.text(2);
  record.created_by = {row.integer(3), row.text(4), row.text(5)};
  record.created_at = row.text(6);
  record.last_message_id = row.integer(7);
  record.last_message_at = row.text(8);
  return record;
}

constexpr std::string_view kAnnouncementSelect =
    "SELECT a.id, a.school_id, u.id, u.first_name, u.last_name, a.title, a.body, a.until, "
    "a.created_at FROM announcements a JOIN users u ON u.id = a.author_id ";

AnnouncementRecord read_announcement(const Statement& row) {
  AnnouncementRecord record;
  record.id = row.integer(0);
  record.school_id = row.integer(1);
  record.author = {row.integer(2), row.text(3), row.text(4)};
  record.title = row.text(5);
  record.body = row.text(6);
  record.until = row.text(7);
  record.created_at = row.text(8);
  return record;
}

void add_announcement_classes(Connection& db, AnnouncementRecord& record) {
  record.classes = collect(
      db,
      "SELECT c.id, c.name FROM announcement_classes x JOIN classes c ON c.id = x.class_id "
      "WHERE x.announcement_id = ?1 ORDER BY c.name, c.id",
      [](const Statement& row) {
        return NamedRef{row.integer(0), row.text(1)};
      },
      record.id);
}

// Inserts a message and its attachments (inside the caller's transaction); the author has read
// up to it.
Id insert_message(Connection& db, Id conversation_id, const MessageDraft& draft,
                  const std::string& now) {
  db.prepare(
        "INSERT INTO messages (conversation_id, author_id, body, created_at) "
        "VALUES (?1, ?2, ?3, ?4)")
      .bind(conversation_id, draft.author_id, draft.body, now)
      .run();
  const Id message_id = db.last_insert_id();
  std::int64_t position = 0;
  for (const Id file_id : draft.attachment_ids) {
    db.prepare(
          "INSERT INTO message_attachments (message_id, file_id, position) VALUES (?1, ?2, ?3)")
        .bind(message_id, file_id, position++)
        .run();
  }
  db.prepare("UPDATE conversations SET last_message_id = ?2 WHERE id = ?1")
      .bind(conversation_id, message_id)
      .run();
  db.prepare(
        "UPDATE conversation_participants SET last_read_message_id = ?3 "
        "WHERE conversation_id = ?1 AND user_id = ?2")
      .bind(conversation_id, draft.author_id, message_id)
      .run();
  return message_id;
}

}  // namespace

std::vector<MessagingFacts> SqliteStore::messaging_candidates(Id actor_id, Id school_id,
                                                              const std::string& name) {
  static const std::string& sql =
      sql_once(std::string(kFactsSelect) +
               "WHERE u.school_id = ?2 AND (?3 = '%%' OR u.first_name LIKE ?3 ESCAPE '\\' OR "
               "u.last_name LIKE ?3 ESCAPE '\\' OR (u.first_name || ' ' || u.last_name) LIKE ?3 "
               "ESCAPE '\\' OR (u.last_name || ' ' || u.first_name) LIKE ?3 ESCAPE '\\') "
               "ORDER BY u.last_name, u.first_name, u.id");
  Reader db = read();
  return collect(*db, sql, read_facts, actor_id, school_id, contains_pattern(name));
}

std::vector<MessagingFacts> SqliteStore::messaging_facts(Id actor_id,
                                                         const std::vector<Id>& user_ids) {
  static const std::string& sql = sql_once(std::string(kFactsSelect) + "WHERE u.id = ?2");
  Reader db = read();
  std::vector<MessagingFacts> result;
  std::vector<Id> ids = user_ids;
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  for (const Id id : ids) {
    auto rows = collect(*db, sql, read_facts, actor_id, id);
    result.insert(result.end(), rows.begin(), rows.end());
  }
  return result;
}

Id SqliteStore::create_conversation(const ConversationDraft& draft, const std::string& now) {
  std::lock_guard lock(write_mutex_);
  Transaction transaction(*writer_);
  writer_
      ->prepare(
          "INSERT INTO conversations (school_id, subject, created_by, created_at) "
          "VALUES (?1, ?2, ?3, ?4)")
      .bind(draft.school_id, draft.subject, draft.first_message.author_id, now)
      .run();
  const Id conversation_id = writer_->last_insert_id();
  for (const Id user_id : draft.participant_ids) {
    writer_
        ->prepare(
            "INSERT INTO conversation_participants (conversation_id, user_id) VALUES (?1, ?2) "
            "ON CONFLICT DO NOTHING")
        .bind(conversation_id, user_id)
        .run();
  }
  insert_message(*writer_, conversation_id, draft.first_message, now);
  transaction.commit();
  return conversation_id;
}

std::optional<ConversationRecord> SqliteStore::conversation(Id conversation_id) {
  static const std::string& sql = sql_once(std::string(kConversationSelect) + "WHERE c.id = ?1");
  Reader db = read();
  auto rows = collect(*db, sql, read_conversation, conversation_id);
  if (rows.empty()) {
    return std::nullopt;
  }
  ConversationRecord record = std::move(rows.front());
  record.participants = collect(
      *db,
      "SELECT u.id, u.first_name, u.last_name, u.role, p.last_read_message_id "
      "FROM conversation_participants p JOIN users u ON u.id = p.user_id "
      "WHERE p.conversation_id = ?1 ORDER BY u.last_name, u.first_name, u.id",
      [](const Statement& row) {
        return Participant{
            {row.integer(0), row.text(1), row.text(2)}, role_of(row.text(3)), row.integer(4)};
      },
      conversation_id);
  return record;
}

std::vector<ConversationSummary> SqliteStore::user_conversations(Id user_id, std::size_t limit) {
  static const std::string& sql =
      sql_once(std::string(kConversationSelect) +
               ", conversation_participants p WHERE p.conversation_id = c.id AND p.user_id = ?1 "
               "ORDER BY c.last_message_id DESC LIMIT ?2");
  Reader db = read();
  std::vector<ConversationSummary> result;
  for (ConversationRecord& record :
       collect(*db, sql, read_conversation, user_id, static_cast<std::int64_t>(limit))) {
    ConversationSummary summary;
    Statement counts = db->prepare(
        "SELECT (SELECT COUNT(*) FROM messages m WHERE m.conversation_id = ?1 "
        "AND m.id > p.last_read_message_id AND m.author_id <> ?2), "
        "(SELECT COUNT(*) FROM conversation_participants WHERE conversation_id = ?1) "
        "FROM conversation_participants p WHERE p.conversation_id = ?1 AND p.user_id = ?2");
    counts.bind(record.id, user_id);
    if (counts.step()) {
      summary.unread = counts.integer(0);
      summary.participant_count = counts.integer(1);
    }
    summary.others = collect(
        *db,
        "SELECT u.id, u.first_name, u.last_name FROM conversation_participants p "
        "JOIN users u ON u.id = p.user_id WHERE p.conversation_id = ?1 AND p.user_id <> ?2 "
        "ORDER BY u.last_name, u.first_name, u.id LIMIT ?3",
        [](const Statement& row) { return PersonRef{row.integer(0), row.text(1), row.text(2)}; },
        record.id, user_id, static_cast<std::int64_t>(kOthersListed));
    summary.conversation = std::move(record);
    result.push_back(std::move(summary));
  }
  return result;
}

std::vector<MessageRecord> SqliteStore::conversation_messages(Id conversation_id, Id before,
                                                              std::size_t limit) {
  static const std::string& files_sql = sql_once(
      "SELECT " + std::string(kFileColumns) +
      " FROM message_attachments a JOIN files f ON f.id = a.file_id WHERE a.message_id = ?1 "
      "ORDER BY a.position");
  Reader db = read();
  auto messages = collect(
      *db,
      "SELECT m.id, m.conversation_id, u.id, u.first_name, u.last_name, m.body, m.created_at "
      "FROM messages m JOIN users u ON u.id = m.author_id WHERE m.conversation_id = ?1 "
      "AND (?2 = 0 OR m.id < ?2) ORDER BY m.id DESC LIMIT ?3",
      [](const Statement& row) {
        MessageRecord message;
        message.id = row.integer(0);
        message.conversation_id = row.integer(1);
        message.author = {row.integer(2), row.text(3), row.text(4)};
        message.body = row.text(5);
        message.created_at = row.text(6);
        return message;
      },
      conversation_id, before, static_cast<std::int64_t>(limit));
  for (MessageRecord& message : messages) {
    message.attachments = collect(
        *db, files_sql, [](const Statement& row) { return read_file(row); }, message.id);
  }
  return messages;
}

std::optional<Id> SqliteStore::add_message(Id conversation_id, const MessageDraft& draft,
                                           const std::string& now) {
  std::lock_guard lock(write_mutex_);
  Transaction transaction(*writer_);
  Statement exists = writer_->prepare("SELECT 1 FROM conversations WHERE id = ?1");
  exists.bind(conversation_id);
  if (!exists.step()) {
    return std::nullopt;
  }
  const Id id = insert_message(*writer_, conversation_id, draft, now);
  transaction.commit();
  return id;
}

bool SqliteStore::mark_read(Id conversation_id, Id user_id, Id up_to) {
  std::lock_guard lock(write_mutex_);
  Statement participant = writer_->prepare(
      "SELECT 1 FROM conversation_participants WHERE conversation_id = ?1 AND user_id = ?2");
  participant.bind(conversation_id, user_id);
  if (!participant.step()) {
    return false;
  }
  writer_
      ->prepare(
          "UPDATE conversation_participants SET last_read_message_id = "
          "MIN(?3, (SELECT last_message_id FROM conversations WHERE id = ?1)) "
          "WHERE conversation_id = ?1 AND user_id = ?2 AND last_read_message_id < ?3")
      .bind(conversation_id, user_id, up_to)
      .run();
  return true;
}

std::int64_t SqliteStore::unread_messages(Id user_id) {
  Reader db = read();
  Statement s = db->prepare(
      "SELECT COUNT(*) FROM conversation_participants p JOIN messages m "
      "ON m.conversation_id = p.conversation_id AND m.id > p.last_read_message_id "
      "WHERE p.user_id = ?1 AND m.author_id <> ?1");
  s.bind(user_id);
  s.step();
  return s.integer(0);
}

Id SqliteStore::create_announcement(const AnnouncementDraft& draft, const std::string& now) {
  std::lock_guard lock(write_mutex_);
  Transaction transaction(*writer_);
  writer_
      ->prepare(
          "INSERT INTO announcements (school_id, author_id, title, body, until, created_at) "
          "VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
      .bind(draft.school_id, draft.author_id, draft.title, draft.body, draft.until, now)
      .run();
  const Id id = writer_->last_insert_id();
  for (const Id class_id : draft.class_ids) {
    writer_
        ->prepare(
            "INSERT INTO announcement_classes (announcement_id, class_id) VALUES (?1, ?2) "
            "ON CONFLICT DO NOTHING")
        .bind(id, class_id)
        .run();
  }
  transaction.commit();
  return id;
}

std::optional<AnnouncementRecord> SqliteStore::announcement(Id announcement_id) {
  static const std::string& sql = sql_once(std::string(kAnnouncementSelect) + "WHERE a.id = ?1");
  Reader db = read();
  auto rows = collect(*db, sql, read_announcement, announcement_id);
  if (rows.empty()) {
    return std::nullopt;
  }
  add_announcement_classes(*db, rows.front());
  return std::move(rows.front());
}

bool SqliteStore::delete_announcement(Id announcement_id) {
  std::lock_guard lock(write_mutex_);
  Transaction transaction(*writer_);
  writer_->prepare("DELETE FROM announcement_classes WHERE announcement_id = ?1")
      .bind(announcement_id)
      .run();
  writer_->prepare("DELETE FROM announcements WHERE id = ?1").bind(announcement_id).run();
  const bool deleted = writer_->changes() > 0;
  transaction.commit();
  return deleted;
}

std::vector<AnnouncementRecord> SqliteStore::announcements(const AnnouncementQuery& query) {
  // The class ids go in as a comma-separated list matched with instr(): one cached statement
  // whatever their number.
  static const std::string& sql = sql_once(
      std::string(kAnnouncementSelect) +
      "WHERE a.school_id = ?1 AND a.until >= ?2 AND (?5 = 1 OR a.author_id = ?3 "
      "OR NOT EXISTS (SELECT 1 FROM announcement_classes x WHERE x.announcement_id = a.id) "
      "OR EXISTS (SELECT 1 FROM announcement_classes x WHERE x.announcement_id = a.id "
      "AND instr(?4, ',' || x.class_id || ',') > 0)) ORDER BY a.id DESC");
  std::string class_list = ",";
  for (const Id class_id : query.class_ids) {
    class_list += std::to_string(class_id) + ",";
  }
  Reader db = read();
  auto rows = collect(*db, sql, read_announcement, query.school_id, query.from, query.author_id,
                      class_list, query.every_class ? 1 : 0);
  for (AnnouncementRecord& row : rows) {
    add_announcement_classes(*db, row);
  }
  return rows;
}

void SqliteStore::apply_roster_messages(Connection& db, const Roster& roster,
                                        const std::string& now, ImportSummary& summary) {
  const auto user_id = [&](const std::string& login) {
    Statement s = db.prepare("SELECT id FROM users WHERE login = ?1");
    s.bind(login);
    if (!s.step()) {
      throw std::invalid_argument("roster refers to an unknown person: " + login);
    }
    return s.integer(0);
  };
  const auto school_id = [&](const std::string& code) {
    Statement s = db.prepare("SELECT id FROM schools WHERE code = ?1");
    s.bind(code);
    if (!s.step()) {
      throw std::invalid_argument("roster refers to an unknown school: " + code);
    }
    return s.integer(0);
  };
  for (const AnnouncementItem& item : roster.announcements) {
    const Id school = school_id(item.school_code);
    db.prepare(
          "INSERT INTO announcements (school_id, author_id, title, body, until, created_at) "
          "VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
        .bind(school, user_id(item.author_login), item.title, item.body, item.until, now)
        .run();
    const Id announcement_id = db.last_insert_id();
    for (const std::string& code : item.class_codes) {
      db.prepare(
            "INSERT INTO announcement_classes (announcement_id, class_id) "
            "SELECT ?1, id FROM classes WHERE school_id = ?2 AND code = ?3")
          .bind(announcement_id, school, code)
          .run();
    }
    ++summary.links_created;
  }
  for (const ConversationItem& item : roster.conversations) {
    if (item.messages.empty()) {
      continue;
    }
    db.prepare(
          "INSERT INTO conversations (school_id, subject, created_by, created_at) "
          "VALUES (?1, ?2, ?3, ?4)")
        .bind(school_id(item.school_code), item.subject,
              user_id(item.messages.front().author_login), now)
        .run();
    const Id conversation_id = db.last_insert_id();
    for (const std::string& login : item.participant_logins) {
      db.prepare(
            "INSERT INTO conversation_participants (conversation_id, user_id) VALUES (?1, ?2) "
            "ON CONFLICT DO NOTHING")
          .bind(conversation_id, user_id(login))
          .run();
    }
    for (const MessageItem& message : item.messages) {
      insert_message(db, conversation_id, {user_id(message.author_login), message.body, {}}, now);
    }
    ++summary.links_created;
  }
}

std::vector<ClassRecord> SqliteStore::school_classes(Id school_id) {
  Reader db = read();
  return collect(
      *db, "SELECT id, school_id, name FROM classes WHERE school_id = ?1 ORDER BY name, id",
      [](const Statement& row) {
        return ClassRecord{row.integer(0), row.integer(1), row.text(2)};
      },
      school_id);
}

}  // namespace cartable
