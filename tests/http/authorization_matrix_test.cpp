// Authorisation, proven: every route of the server × every kind of caller (anonymous, a pupil of
// the class, a pupil of another class, a parent of that pupil, another parent, the teacher of the
// class and subject, a teacher of other classes, the school's staff, another school's staff) with
// the status each must get. The route list comes from the server itself (/metrics names every
// route): a route added without rows here fails the test. Object ids are not secrets: the rows use
// real ids of objects the caller has no right to, and expect 403 or 404, never data.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <functional>
#include <regex>
#include <set>

#include "test_server.hpp"

namespace cartable::testing {
namespace {

using boost::beast::http::verb;

enum Actor {
  anonymous,
  pupil,          // of class A
  other_pupil,    // of class B, same school
  parent,         // of the pupil
  other_parent,   // of the other pupil
  teacher,        // of class A in subject X
  other_teacher,  // teaches in the school, not class A
  staff,          // of the school
  other_staff,    // of another school
  kActors
};

constexpr const char* kActorNames[kActors] = {"anonymous",     "pupil",        "other_pupil",
                                              "parent",        "other_parent", "teacher",
                                              "other_teacher", "staff",        "other_staff"};

struct Row {
  std::string route;  // the server's route name
  verb method;
  std::string target;  // with {placeholders} (see Matrix::expand)
  std::string body;
  std::array<int, kActors> expected;
};

std::string pdf() {
  return "%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n";
}

class Matrix : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ =
        new TestServer({"--schools", "2", "--classes-per-school", "4", "--pupils-per-class", "3"});
    fixtures_ = new Fixtures(build_fixtures());
  }
  static void TearDownTestSuite() {
    delete fixtures_;
    delete server_;
  }

  struct Fixtures {
    std::array<Client, kActors> clients;
    std::int64_t class_a = 0, subject_x = 0, pupil_id = 0;
    std::int64_t homework = 0, teacher_file = 0, pupil_file = 0, hand_in = 0, evaluation = 0;
    std::int64_t folder = 0, resource_file = 0, ended_room = 0;
    std::int64_t school = 0, staff_id = 0, conversation = 0, message = 0;
    std::string calendar_url;
  };

  static boost::json::value json_of(const Reply& reply) {
    EXPECT_LT(reply.status, 300) << reply.message.body();
    return reply.json();
  }

  static Fixtures build_fixtures() {
    TestServer& s = *server_;
    Fixtures f;
    // Pupils of two classes of the first school, and their parents.
    const Account& a = s.account("pupil");
    const Account* b = nullptr;
    for (const Account& account : s.accounts()) {
      if (account.role == "pupil" && account.school == a.school &&
          account.class_name != a.class_name) {
        b = &account;
        break;
      }
    }
    if (b == nullptr) {
      throw std::runtime_error("no second class");
    }
    f.clients[pupil] = s.sign_in(a);
    f.clients[other_pupil] = s.sign_in(*b);
    const auto pupil_me = json_of(s.request(verb::get, "/api/me", {}, &f.clients[pupil]));
    const auto other_me = json_of(s.request(verb::get, "/api/me", {}, &f.clients[other_pupil]));
    f.pupil_id = pupil_me.at("user").at("id").as_int64();
    f.class_a = pupil_me.at("user").at("class").at("id").as_int64();
    const std::int64_t other_pupil_id = other_me.at("user").at("id").as_int64();
    for (const Account& account : s.accounts()) {
      if (account.school != a.school) {
        if (account.role == "staff" && f.clients[other_staff].cookie.empty()) {
          f.clients[other_staff] = s.sign_in(account);
        }
        continue;
      }
      if (account.role == "staff" && f.clients[staff].cookie.empty()) {
        f.clients[staff] = s.sign_in(account);
      } else if (account.role == "parent" || account.role == "teacher") {
        Client client = s.sign_in(account);
        const auto me = json_of(s.request(verb::get, "/api/me", {}, &client));
        if (account.role == "parent") {
          for (const auto& child : me.at("children").as_array()) {
            const std::int64_t id = child.at("id").as_int64();
            if (id == f.pupil_id && f.clients[parent].cookie.empty()) {
              f.clients[parent] = client;
            } else if (id == other_pupil_id && f.clients[other_parent].cookie.empty()) {
              f.clients[other_parent] = client;
            }
          }
          continue;
        }
        bool teaches_a = false;
        for (const auto& teaching : me.at("teaching").as_array()) {
          if (teaching.at("class").at("id").as_int64() == f.class_a) {
            teaches_a = true;
            if (f.clients[teacher].cookie.empty()) {
              f.clients[teacher] = client;
              f.subject_x = teaching.at("subject").at("id").as_int64();
            }
          }
        }
        if (!teaches_a && f.clients[other_teacher].cookie.empty()) {
          f.clients[other_teacher] = client;
        }
      }
    }
    for (int actor = pupil; actor < kActors; ++actor) {
      if (f.clients[actor].cookie.empty()) {
        throw std::runtime_error(std::string("no demo account for ") + kActorNames[actor]);
      }
    }
    // The objects of class A the rows aim at.
    const Client& t = f.clients[teacher];
    f.teacher_file = json_of(s.request(verb::post, "/api/files?name=fiche.pdf", pdf(), &t,
                                       {{"Content-Type", "application/pdf"}}))
                         .at("id")
                         .as_int64();
    f.homework = create_homework(f, f.teacher_file);
    f.pupil_file = json_of(s.request(verb::post, "/api/files?name=copie.pdf", pdf(),
                                     &f.clients[pupil], {{"Content-Type", "application/pdf"}}))
                       .at("id")
                       .as_int64();
    f.hand_in =
        json_of(
            s.request(verb::put, "/api/homework/" + std::to_string(f.homework) + "/hand-in",
                      R"({"text":"Ma copie","file_ids":[)" + std::to_string(f.pupil_file) + "]}",
                      &f.clients[pupil]))
            .at("id")
            .as_int64();
    f.evaluation = create_evaluation(f);
    f.school = pupil_me.at("user").at("school").at("id").as_int64();
    f.staff_id = json_of(s.request(verb::get, "/api/me", {}, &f.clients[staff]))
                     .at("user")
                     .at("id")
                     .as_int64();
    const std::int64_t teacher_id =
        json_of(s.request(verb::get, "/api/me", {}, &t)).at("user").at("id").as_int64();
    const auto conversation = json_of(
        s.request(verb::post, "/api/conversations",
                  R"({"subject":"Devoir","participant_ids":[)" + std::to_string(teacher_id) +
                      R"(],"body":"Je n'ai pas compris l'exercice 3."})",
                  &f.clients[pupil]));
    f.conversation = conversation.at("id").as_int64();
    f.message = conversation.at("messages").at(0).at("id").as_int64();
    f.folder = create_folder(f);
    f.ended_room = start_room(f);
    s.request(verb::delete_, "/api/live/rooms/" + std::to_string(f.ended_room), {}, &t);
    f.resource_file = json_of(s.request(verb::post, "/api/files?name=cours.pdf", pdf(), &t,
                                        {{"Content-Type", "application/pdf"}}))
                          .at("id")
                          .as_int64();
    json_of(s.request(verb::post, "/api/resources",
                      boost::json::serialize(boost::json::object{{"class_id", f.class_a},
                                                                 {"subject_id", f.subject_x},
                                                                 {"kind", "document"},
                                                                 {"file_id", f.resource_file},
                                                                 {"parent_id", f.folder}}),
                      &t));
    f.calendar_url = json_of(s.request(verb::get, "/api/calendar", {}, &f.clients[pupil]))
                         .at("url")
                         .as_string()
                         .c_str();
    return f;
  }

  static std::int64_t create_homework(const Fixtures& f, std::int64_t attachment = 0) {
    boost::json::object body{{"class_id", f.class_a},
                             {"subject_id", f.subject_x},
                             {"title", "Exercices"},
                             {"due_date", "2026-11-30"}};
    if (attachment != 0) {
      body["attachment_ids"] = boost::json::array{attachment};
    }
    return json_of(server_->request(verb::post, "/api/homework", boost::json::serialize(body),
                                    &f.clients[teacher]))
        .at("id")
        .as_int64();
  }

  static std::int64_t create_evaluation(const Fixtures& f) {
    const boost::json::object body{{"class_id", f.class_a}, {"subject_id", f.subject_x},
                                   {"title", "Contrôle"},   {"date", "2026-11-20"},
                                   {"out_of", 20},          {"coefficient", 1}};
    return json_of(server_->request(verb::post, "/api/evaluations", boost::json::serialize(body),
                                    &f.clients[teacher]))
        .at("id")
        .as_int64();
  }

  static std::int64_t create_folder(const Fixtures& f) {
    static int made = 0;
    const boost::json::object body{{"class_id", f.class_a},
                                   {"subject_id", f.subject_x},
                                   {"kind", "folder"},
                                   {"name", "Dossier " + std::to_string(++made)}};
    return json_of(server_->request(verb::post, "/api/resources", boost::json::serialize(body),
                                    &f.clients[teacher]))
        .at("id")
        .as_int64();
  }

  static std::int64_t create_announcement(const Fixtures& f) {
    const boost::json::object body{
        {"title", "Réunion"}, {"body", ""}, {"class_ids", boost::json::array{f.class_a}}};
    return json_of(server_->request(verb::post, "/api/announcements", boost::json::serialize(body),
                                    &f.clients[teacher]))
        .at("id")
        .as_int64();
  }

  // The class's live lesson, started (or found running) by its teacher.
  static std::int64_t start_room(const Fixtures& f) {
    const Reply started =
        server_->request(verb::post, "/api/live/rooms",
                         R"({"class_id":)" + std::to_string(f.class_a) + "}", &f.clients[teacher]);
    return json_of(started).at("room").at("id").as_int64();
  }

  // Replaces {class}, {subject}, {pupil}, {homework}, {teacher_file}, {pupil_file}, {hand_in},
  // {evaluation}, {calendar}; {new_homework} and {new_evaluation} create a fresh object for this
  // one request (for deletions); {actor} is the caller's column.
  static std::string expand(std::string text, int actor) {
    const Fixtures& f = *fixtures_;
    const std::pair<std::string, std::function<std::string()>> values[] = {
        {"{class}", [&] { return std::to_string(f.class_a); }},
        {"{subject}", [&] { return std::to_string(f.subject_x); }},
        {"{pupil}", [&] { return std::to_string(f.pupil_id); }},
        {"{homework}", [&] { return std::to_string(f.homework); }},
        {"{teacher_file}", [&] { return std::to_string(f.teacher_file); }},
        {"{pupil_file}", [&] { return std::to_string(f.pupil_file); }},
        {"{hand_in}", [&] { return std::to_string(f.hand_in); }},
        {"{evaluation}", [&] { return std::to_string(f.evaluation); }},
        {"{calendar}", [&] { return f.calendar_url; }},
        {"{new_homework}", [&] { return std::to_string(create_homework(f)); }},
        {"{new_evaluation}", [&] { return std::to_string(create_evaluation(f)); }},
        {"{folder}", [&] { return std::to_string(f.folder); }},
        {"{resource_file}", [&] { return std::to_string(f.resource_file); }},
        {"{new_folder}", [&] { return std::to_string(create_folder(f)); }},
        {"{ended_room}", [&] { return std::to_string(f.ended_room); }},
        {"{school}", [&] { return std::to_string(f.school); }},
        {"{staff_id}", [&] { return std::to_string(f.staff_id); }},
        {"{conversation}", [&] { return std::to_string(f.conversation); }},
        {"{message}", [&] { return std::to_string(f.message); }},
        {"{new_announcement}", [&] { return std::to_string(create_announcement(f)); }},
        {"{new_room}", [&] { return std::to_string(start_room(f)); }},
        {"{actor}", [&] { return std::to_string(actor); }},
    };
    for (const auto& [key, value] : values) {
      for (std::size_t at = text.find(key); at != std::string::npos; at = text.find(key)) {
        text.replace(at, key.size(), value());
      }
    }
    return text;
  }

  static TestServer* server_;
  static Fixtures* fixtures_;
};

TestServer* Matrix::server_ = nullptr;
Matrix::Fixtures* Matrix::fixtures_ = nullptr;

// Columns: anonymous, pupil, other_pupil, parent, other_parent, teacher, other_teacher, staff,
// other_staff. Rows run in order (a hand-in is handed in before it is marked; signing out last).
const std::vector<Row>& rows() {
  static const std::string homework_body =
      R"({"class_id":{class},"subject_id":{subject},"title":"T","due_date":"2026-11-30"})";
  static const std::string evaluation_body =
      R"({"class_id":{class},"subject_id":{subject},"title":"C","date":"2026-11-20","out_of":20})";
  static const std::vector<Row> table = {
      // clang-format off
      {"ops.healthz", verb::get, "/healthz", "",                   {200, 200, 200, 200, 200, 200, 200, 200, 200}},
      {"ops.readyz", verb::get, "/readyz", "",                     {200, 200, 200, 200, 200, 200, 200, 200, 200}},
      {"ops.metrics", verb::get, "/metrics", "",                   {200, 200, 200, 200, 200, 200, 200, 200, 200}},
      {"ops.status", verb::get, "/status", "",                     {200, 200, 200, 200, 200, 200, 200, 200, 200}},
      {"ops.status_script", verb::get, "/status.js", "",           {200, 200, 200, 200, 200, 200, 200, 200, 200}},
      {"admission.queue", verb::get, "/api/queue", "",             {200, 200, 200, 200, 200, 200, 200, 200, 200}},
      {"admission.script", verb::get, "/waiting-room.js", "",      {200, 200, 200, 200, 200, 200, 200, 200, 200}},
      {"admission.style", verb::get, "/waiting-room.css", "",      {200, 200, 200, 200, 200, 200, 200, 200, 200}},
      {"session.create", verb::post, "/api/session", R"({"login":"nobody-{actor}","password":"wrong"})",
                                                                   {401, 401, 401, 401, 401, 401, 401, 401, 401}},
      {"me.get", verb::get, "/api/me", "",                         {401, 200, 200, 200, 200, 200, 200, 200, 200}},
      {"me.today", verb::get, "/api/me/today", "",                 {401, 200, 200, 200, 200, 200, 200, 200, 200}},
      {"homework.list", verb::get, "/api/homework?class_id={class}", "",
                                                                   {401, 200, 404, 200, 404, 200, 404, 200, 404}},
      {"homework.get", verb::get, "/api/homework/{homework}", "", {401, 200, 404, 200, 404, 200, 404, 200, 404}},
      {"homework.create", verb::post, "/api/homework", homework_body,
                                                                   {401, 403, 403, 403, 403, 201, 403, 403, 403}},
      {"homework.update", verb::put, "/api/homework/{homework}", homework_body,
                                                                   {401, 403, 404, 403, 404, 200, 404, 403, 404}},
      {"homework.delete", verb::delete_, "/api/homework/{new_homework}", "",
                                                                   {401, 403, 404, 403, 404, 204, 404, 403, 404}},
      {"files.upload", verb::post, "/api/files?name=a.txt", "texte\n",
                                                                   {401, 201, 201, 201, 201, 201, 201, 201, 201}},
      {"files.download", verb::get, "/api/files/{teacher_file}", "",
                                                                   {401, 200, 404, 200, 404, 200, 404, 200, 404}},
      {"files.download", verb::get, "/api/files/{pupil_file}", "", {401, 200, 404, 200, 404, 200, 404, 404, 404}},
      {"hand_in.get_own", verb::get, "/api/homework/{homework}/hand-in?pupil_id={pupil}", "",
                                                                   {401, 200, 404, 200, 404, 200, 404, 404, 404}},
      {"hand_in.put_own", verb::put, "/api/homework/{homework}/hand-in", R"({"text":"Encore"})",
                                                                   {401, 200, 404, 403, 404, 403, 404, 403, 404}},
      {"hand_in.list", verb::get, "/api/homework/{homework}/hand-ins", "",
                                                                   {401, 403, 404, 403, 404, 200, 404, 403, 404}},
      {"hand_in.archive", verb::get, "/api/homework/{homework}/hand-ins.zip", "",
                                                                   {401, 403, 404, 403, 404, 200, 404, 403, 404}},
      {"hand_in.get", verb::get, "/api/hand-ins/{hand_in}", "",    {401, 200, 404, 200, 404, 200, 404, 404, 404}},
      {"hand_in.mark", verb::put, "/api/hand-ins/{hand_in}/mark", R"({"mark":"15/20","comment":"Bien"})",
                                                                   {401, 403, 404, 403, 404, 200, 404, 404, 404}},
      {"grades.list", verb::get, "/api/evaluations?class_id={class}&subject_id={subject}", "",
                                                                   {401, 404, 404, 404, 404, 200, 404, 200, 404}},
      // Like homework: a create names its class in the body, and all but its teacher get 403.
      {"grades.create", verb::post, "/api/evaluations", evaluation_body,
                                                                   {401, 403, 403, 403, 403, 201, 403, 403, 403}},
      {"grades.get", verb::get, "/api/evaluations/{evaluation}", "",
                                                                   {401, 200, 404, 200, 404, 200, 404, 200, 404}},
      {"grades.update", verb::put, "/api/evaluations/{evaluation}", evaluation_body,
                                                                   {401, 403, 404, 403, 404, 200, 404, 403, 404}},
      {"grades.marks", verb::put, "/api/evaluations/{evaluation}/marks",
       R"({"marks":[{"pupil_id":{pupil},"value":15}]})",           {401, 403, 404, 403, 404, 200, 404, 403, 404}},
      {"grades.export", verb::get, "/api/evaluations/export.csv?class_id={class}&subject_id={subject}", "",
                                                                   {401, 404, 404, 404, 404, 200, 404, 200, 404}},
      {"grades.report", verb::get, "/api/grades?pupil_id={pupil}", "",
                                                                   {401, 200, 404, 200, 404, 200, 404, 200, 404}},
      {"grades.delete", verb::delete_, "/api/evaluations/{new_evaluation}", "",
                                                                   {401, 403, 404, 403, 404, 204, 404, 403, 404}},
      {"resources.list", verb::get, "/api/resources?class_id={class}&subject_id={subject}", "",
                                                                   {401, 200, 404, 200, 404, 200, 404, 200, 404}},
      {"resources.create", verb::post, "/api/resources",
       R"({"class_id":{class},"subject_id":{subject},"kind":"folder","name":"Nouveau {actor}"})",
                                                                   {401, 403, 404, 403, 404, 201, 404, 403, 404}},
      {"resources.update", verb::patch, "/api/resources/{folder}", R"({"name":"Renommé"})",
                                                                   {401, 403, 404, 403, 404, 200, 404, 403, 404}},
      {"resources.delete", verb::delete_, "/api/resources/{new_folder}", "",
                                                                   {401, 403, 404, 403, 404, 204, 404, 403, 404}},
      {"files.download", verb::get, "/api/files/{resource_file}", "",
                                                                   {401, 200, 404, 200, 404, 200, 404, 200, 404}},
      {"classes.subjects", verb::get, "/api/classes/{class}/subjects", "",
                                                                   {401, 200, 404, 200, 404, 200, 404, 200, 404}},
      {"calendar.url", verb::get, "/api/calendar", "",             {401, 200, 200, 200, 200, 200, 200, 200, 200}},
      // The feed's secret URL is the credential, whoever presents it; a made-up one opens nothing.
      {"calendar.feed", verb::get, "{calendar}", "",               {200, 200, 200, 200, 200, 200, 200, 200, 200}},
      {"calendar.feed", verb::get, "/calendar/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.ics", "",
                                                                   {404, 404, 404, 404, 404, 404, 404, 404, 404}},
      {"calendar.reset", verb::post, "/api/calendar/reset", "",    {401, 200, 200, 200, 200, 200, 200, 200, 200}},
      {"live.start", verb::post, "/api/live/rooms", R"({"class_id":{class}})",
                                                                   {401, 403, 404, 403, 404, 201, 404, 403, 404}},
      {"live.join", verb::post, "/api/live/join", R"({"class_id":{class}})",
                                                                   {401, 200, 404, 403, 404, 200, 404, 200, 404}},
      {"live.end", verb::delete_, "/api/live/rooms/{new_room}", "",
                                                                   {401, 403, 404, 403, 404, 204, 404, 403, 404}},
      {"live.attendance", verb::get, "/api/live/attendance?class_id={class}", "",
                                                                   {401, 403, 404, 403, 404, 200, 404, 200, 404}},
      {"live.attendance_csv", verb::get, "/api/live/lessons/{ended_room}/attendance.csv", "",
                                                                   {401, 403, 404, 403, 404, 200, 404, 200, 404}},
      {"live.lobby", verb::put, "/api/live/classes/{class}/lobby", R"({"message":"Bientôt"})",
                                                                   {401, 403, 404, 403, 404, 200, 404, 403, 404}},
      {"messages.contacts", verb::get, "/api/contacts?q=a", "",     {401, 200, 200, 200, 200, 200, 200, 200, 200}},
      {"messages.list", verb::get, "/api/conversations", "",        {401, 200, 200, 200, 200, 200, 200, 200, 200}},
      {"messages.unread", verb::get, "/api/messages/unread", "",    {401, 200, 200, 200, 200, 200, 200, 200, 200}},
      // Anyone of the school may write to its staff (who cannot write to themselves alone);
      // another school's staff may not.
      {"messages.create", verb::post, "/api/conversations",
       R"({"subject":"Question","participant_ids":[{staff_id}],"body":"Bonjour"})",
                                                                   {401, 201, 201, 201, 201, 201, 201, 400, 403}},
      {"messages.get", verb::get, "/api/conversations/{conversation}", "",
                                                                   {401, 200, 404, 404, 404, 200, 404, 404, 404}},
      {"messages.post", verb::post, "/api/conversations/{conversation}/messages", R"({"body":"Merci"})",
                                                                   {401, 201, 404, 404, 404, 201, 404, 404, 404}},
      {"messages.read", verb::post, "/api/conversations/{conversation}/read", R"({"up_to":{message}})",
                                                                   {401, 200, 404, 404, 404, 200, 404, 404, 404}},
      {"schools.settings.get", verb::get, "/api/schools/{school}/settings", "",
                                                                   {401, 403, 403, 403, 403, 403, 403, 200, 404}},
      {"schools.settings.put", verb::put, "/api/schools/{school}/settings", R"({"pupil_messaging":false})",
                                                                   {401, 403, 403, 403, 403, 403, 403, 200, 404}},
      {"announcements.list", verb::get, "/api/announcements", "",   {401, 200, 200, 200, 200, 200, 200, 200, 200}},
      {"announcements.create", verb::post, "/api/announcements",
       R"({"title":"Sortie","body":"","class_ids":[{class}]})",    {401, 403, 403, 403, 403, 201, 403, 201, 403}},
      {"announcements.delete", verb::delete_, "/api/announcements/{new_announcement}", "",
                                                                   {401, 403, 404, 403, 404, 204, 404, 204, 404}},
      {"session.delete", verb::delete_, "/api/session", "",        {401, 204, 204, 204, 204, 204, 204, 204, 204}},
      // clang-format on
  };
  return table;
}

TEST_F(Matrix, EveryRouteHasRows) {
  const Reply metrics = server_->request(verb::get, "/metrics");
  const std::regex label("route=\"([a-z_.]+)\"");
  std::set<std::string> routes;
  const std::string& text = metrics.message.body();
  for (auto it = std::sregex_iterator(text.begin(), text.end(), label);
       it != std::sregex_iterator(); ++it) {
    routes.insert((*it)[1]);
  }
  // Not routes: the static files, requests no route matched, and the waiting room's own answers.
  for (const char* series : {"static", "unmatched", "admission"}) {
    routes.erase(series);
  }
  ASSERT_GT(routes.size(), 30u);
  std::set<std::string> covered;
  for (const Row& row : rows()) {
    covered.insert(row.route);
  }
  for (const std::string& route : routes) {
    EXPECT_TRUE(covered.contains(route)) << "route " << route << " has no authorisation rows";
  }
}

TEST_F(Matrix, EveryCallerGetsTheExpectedStatus) {
  for (const Row& row : rows()) {
    for (int actor = 0; actor < kActors; ++actor) {
      const std::string target = expand(row.target, actor);
      const std::string body = expand(row.body, actor);
      const Client& client = fixtures_->clients[static_cast<std::size_t>(actor)];
      std::map<std::string, std::string> headers;
      if (row.route == "files.upload") {
        headers["Content-Type"] = "text/plain";
      }
      const Reply reply = server_->request(row.method, target, body,
                                           actor == anonymous ? nullptr : &client, headers);
      EXPECT_EQ(reply.status, row.expected[static_cast<std::size_t>(actor)])
          << row.route << " " << target << " as " << kActorNames[actor] << ": "
          << reply.message.body().substr(0, 200);
    }
  }
}

}  // namespace
}  // namespace cartable::testing
