// Files and hand-ins against the real server: streamed uploads and their refusals (leaving nothing
// behind), downloads with ranges and validators, who may read what, the hand-in cycle from pupil to
// teacher and back, the archive of a class's work, and durability across SIGKILL.
#include <gtest/gtest.h>

#include <boost/crc.hpp>
#include <boost/json.hpp>
#include <filesystem>
#include <thread>

#include "test_server.hpp"

namespace cartable::testing {
namespace {

using boost::beast::http::verb;

const std::string kPdf = "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer\n%%EOF\n";

std::string megabytes_of_text(std::size_t mebibytes) {
  std::string text;
  while (text.size() < (mebibytes << 20)) {
    text += "Une ligne de texte pour remplir le fichier.\n";
  }
  text.resize(mebibytes << 20);
  return text;
}

class Files : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new TestServer({"--max-file-mib", "2", "--user-quota-mib", "5"});
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  static TestServer& server() { return *server_; }

  static Reply upload(const Client& client, const std::string& name, const std::string& bytes,
                      const std::string& type = "application/octet-stream") {
    return server().request(verb::post, "/api/files?name=" + name, bytes, &client,
                            {{"Content-Type", type}});
  }
  static std::int64_t upload_id(const Client& client, const std::string& name,
                                const std::string& bytes) {
    const Reply reply = upload(client, name, bytes);
    EXPECT_EQ(reply.status, 201) << reply.message.body();
    return reply.json().at("id").as_int64();
  }
  static Reply download(const Client& client, std::int64_t id,
                        const std::map<std::string, std::string>& headers = {}) {
    return server().request(verb::get, "/api/files/" + std::to_string(id), {}, &client, headers);
  }
  // The temp folder of the blob store holds nothing once a request is over.
  static bool no_temp_files() {
    const auto folder = server().data_directory() / "blobs" / "tmp";
    for (int i = 0; i < 50; ++i) {
      if (std::filesystem::is_empty(folder)) {
        return true;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
  }
  static std::int64_t my_id(const Client& client) {
    return server()
        .request(verb::get, "/api/me", {}, &client)
        .json()
        .at("user")
        .at("id")
        .as_int64();
  }

  struct Teaching {
    Client client;
    std::int64_t class_id = 0;
    std::int64_t subject_id = 0;
  };
  // A teacher of `class_name`, and the subject they teach there.
  static Teaching teacher_of(const std::string& class_name) {
    for (const Account& account : server().accounts()) {
      if (account.role != "teacher") {
        continue;
      }
      Client client = server().sign_in(account);
      const auto me = server().request(verb::get, "/api/me", {}, &client).json();
      for (const auto& item : me.at("teaching").as_array()) {
        if (item.at("class").at("name").as_string() == class_name) {
          return {client, item.at("class").at("id").as_int64(),
                  item.at("subject").at("id").as_int64()};
        }
      }
    }
    throw std::runtime_error("no teacher for " + class_name);
  }
  static std::int64_t create_homework(const Teaching& teaching, const std::string& title,
                                      const boost::json::array& attachments = {}) {
    const std::string body =
        boost::json::serialize(boost::json::object{{"class_id", teaching.class_id},
                                                   {"subject_id", teaching.subject_id},
                                                   {"title", title},
                                                   {"body", ""},
                                                   {"due_date", "2026-11-30"},
                                                   {"attachment_ids", attachments}});
    const Reply created = server().request(verb::post, "/api/homework", body, &teaching.client);
    EXPECT_EQ(created.status, 201) << created.message.body();
    return created.json().at("id").as_int64();
  }
  static Reply hand_in(const Client& client, std::int64_t homework_id, const std::string& text,
                       const boost::json::array& files) {
    return server().request(
        verb::put, "/api/homework/" + std::to_string(homework_id) + "/hand-in",
        boost::json::serialize(boost::json::object{{"text", text}, {"file_ids", files}}), &client);
  }
  // A pupil of the class other than `first`.
  static const Account& classmate_of(const Account& first) {
    for (const Account& account : server().accounts()) {
      if (account.role == "pupil" && account.class_name == first.class_name &&
          account.login != first.login) {
        return account;
      }
    }
    throw std::runtime_error("no classmate");
  }
  static const Account& pupil_of_another_class(const Account& first) {
    for (const Account& account : server().accounts()) {
      if (account.role == "pupil" && account.class_name != first.class_name) {
        return account;
      }
    }
    throw std::runtime_error("no other class");
  }

  static TestServer* server_;
};

TestServer* Files::server_ = nullptr;

TEST_F(Files, AnUploadIsDownloadedSafelyWithValidatorsAndRanges) {
  const Client pupil = server().sign_in(server().account("pupil"));
  const Reply created = upload(pupil, "Mon%20devoir.pdf", kPdf, "text/html");
  ASSERT_EQ(created.status, 201) << created.message.body();
  const auto file = created.json();
  EXPECT_EQ(file.at("media_type").as_string(), "application/pdf");  // by content, not by claim
  EXPECT_EQ(file.at("name").as_string(), "Mon devoir.pdf");
  EXPECT_EQ(file.at("size").to_number<std::uint64_t>(), kPdf.size());
  const std::int64_t id = file.at("id").as_int64();

  const Reply whole = download(pupil, id);
  ASSERT_EQ(whole.status, 200);
  EXPECT_EQ(whole.message.body(), kPdf);
  EXPECT_EQ(whole.header("Content-Type"), "application/pdf");
  EXPECT_NE(whole.header("Content-Disposition").find("attachment; filename=\"Mon devoir.pdf\""),
            std::string::npos);
  EXPECT_NE(whole.header("Content-Security-Policy").find("sandbox"), std::string::npos);
  EXPECT_EQ(whole.header("X-Content-Type-Options"), "nosniff");
  const std::string etag = whole.header("ETag");
  ASSERT_FALSE(etag.empty());

  EXPECT_EQ(download(pupil, id, {{"If-None-Match", etag}}).status, 304);
  const Reply part = download(pupil, id, {{"Range", "bytes=1-4"}});
  EXPECT_EQ(part.status, 206);
  EXPECT_EQ(part.message.body(), "PDF-");
  EXPECT_EQ(part.header("Content-Range"), "bytes 1-4/" + std::to_string(kPdf.size()));
  EXPECT_EQ(download(pupil, id, {{"Range", "bytes=-3"}}).message.body(),
            kPdf.substr(kPdf.size() - 3));
  const Reply outside = download(pupil, id, {{"Range", "bytes=5000-"}});
  EXPECT_EQ(outside.status, 416);
  EXPECT_EQ(outside.header("Content-Range"), "bytes */" + std::to_string(kPdf.size()));
  // A stale If-Range gets the whole file, not a piece of a different one.
  EXPECT_EQ(download(pupil, id, {{"Range", "bytes=1-4"}, {"If-Range", "\"old\""}}).status, 200);
  const Reply inline_view = server().request(
      verb::get, "/api/files/" + std::to_string(id) + "?disposition=inline", {}, &pupil);
  EXPECT_EQ(inline_view.header("Content-Disposition").rfind("inline;", 0), 0u);
  const Reply head = server().request(verb::head, "/api/files/" + std::to_string(id), {}, &pupil);
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.header("Content-Length"), std::to_string(kPdf.size()));
}

TEST_F(Files, NobodyElseReadsAnUnattachedUpload) {
  const Account& owner = server().account("pupil");
  const Client pupil = server().sign_in(owner);
  const std::int64_t id = upload_id(pupil, "brouillon.txt", "Mon brouillon\n");
  for (const Account* other :
       {&classmate_of(owner), &pupil_of_another_class(owner), &server().account("teacher"),
        &server().account("parent"), &server().account("staff")}) {
    const Client client = server().sign_in(*other);
    EXPECT_EQ(download(client, id).status, 404) << other->login;
  }
  EXPECT_EQ(server().request(verb::get, "/api/files/" + std::to_string(id)).status, 401);
  EXPECT_EQ(download(pupil, id + 100000).status, 404);
}

TEST_F(Files, BadUploadsAreRefusedAndLeaveNothingBehind) {
  const Client pupil = server().sign_in(server().account("pupil"));
  const auto refused = [&](const std::string& name, const std::string& bytes) {
    const Reply reply = upload(pupil, name, bytes);
    EXPECT_TRUE(no_temp_files()) << name;
    return reply;
  };
  EXPECT_EQ(refused("..%2F..%2Fetc%2Fpasswd", "x").status, 400);
  EXPECT_EQ(refused("a%5Cb.txt", "x").status, 400);
  EXPECT_EQ(refused("nul%00.txt", "x").status, 400);
  EXPECT_EQ(refused("photo%E2%80%AEgpj.exe", "x").status, 400);  // right-to-left override
  EXPECT_EQ(refused("..", "x").status, 400);
  EXPECT_EQ(refused("", "x").status, 400);
  EXPECT_EQ(refused(std::string(201, 'a'), "x").status, 400);
  EXPECT_EQ(refused("vide.txt", "").status, 400);
  const Reply html = refused("page.txt", "<html><script>alert(1)</script></html>");
  EXPECT_EQ(html.status, 415);
  EXPECT_EQ(html.json().at("error").at("code").as_string(), "unsupported_type");
  EXPECT_EQ(refused("jeu.exe", std::string("MZ\x90\0\3\0\0\0", 8)).status, 415);
  EXPECT_EQ(refused("image.svg", "<svg xmlns='http://www.w3.org/2000/svg'/>").status, 415);
  const Reply big = refused("gros.txt", megabytes_of_text(3));
  EXPECT_EQ(big.status, 413);
  EXPECT_EQ(big.json().at("error").at("code").as_string(), "body_too_large");

  // Without the CSRF token the upload is refused before its body is read.
  Client no_csrf = pupil;
  no_csrf.csrf.clear();
  EXPECT_EQ(upload(no_csrf, "ok.txt", "bonjour\n").status, 403);
  // A chunked body growing past the limit, and one cut short, leave no temp file either.
  const std::string head =
      "POST /api/files?name=c.txt HTTP/1.1\r\nHost: x\r\nCookie: " + pupil.cookie +
      "\r\nX-CSRF-Token: " + pupil.csrf + "\r\nContent-Type: text/plain\r\n";
  std::string chunked = head + "Transfer-Encoding: chunked\r\n\r\n";
  const std::string piece(1 << 20, 'a');
  for (int i = 0; i < 3; ++i) {
    char size[16];
    std::snprintf(size, sizeof size, "%zx\r\n", piece.size());
    chunked += size + piece + "\r\n";
  }
  chunked += "0\r\n\r\n";
  EXPECT_NE(server().raw(chunked).find(" 413 "), std::string::npos);
  EXPECT_TRUE(no_temp_files());
  server().raw(head + "Content-Length: 100000\r\n\r\n" + std::string(5000, 'b'),
               std::chrono::milliseconds(300));
  EXPECT_TRUE(no_temp_files());
}

TEST_F(Files, QuotasBoundWhatOnePersonStores) {
  const Client pupil = server().sign_in(pupil_of_another_class(server().account("pupil")));
  std::size_t stored = 0;
  Reply reply;
  for (int i = 0; i < 4; ++i) {
    reply = upload(pupil, "part" + std::to_string(i) + ".txt",
                   megabytes_of_text(2).substr(0, (2 << 20) - 100 - static_cast<std::size_t>(i)));
    if (reply.status != 201) {
      break;
    }
    ++stored;
  }
  EXPECT_EQ(stored, 2u);  // 5 MiB hold two files of 2 MiB, not three
  EXPECT_EQ(reply.status, 413);
  EXPECT_EQ(reply.json().at("error").at("code").as_string(), "quota_exceeded");
  EXPECT_TRUE(no_temp_files());
}

TEST_F(Files, APupilHandsInTheTeacherMarksAndTheFamilySees) {
  const Account& pupil_account = server().account("pupil");
  const Teaching teaching = teacher_of(pupil_account.class_name);
  const std::int64_t homework_id = create_homework(teaching, "Rédaction");
  const Client pupil = server().sign_in(pupil_account);
  const std::int64_t file_id = upload_id(pupil, "redaction.pdf", kPdf);

  // Nothing handed in yet; the teacher sees the pupil as missing.
  const std::string own = "/api/homework/" + std::to_string(homework_id) + "/hand-in";
  const auto before = server().request(verb::get, own, {}, &pupil).json();
  EXPECT_TRUE(before.at("hand_in").is_null());
  EXPECT_TRUE(before.at("may_hand_in").as_bool());

  const Reply first = hand_in(pupil, homework_id, "Voici mon travail.", {file_id});
  ASSERT_EQ(first.status, 201) << first.message.body();
  const Reply again = hand_in(pupil, homework_id, "Version corrigée.", {file_id});
  ASSERT_EQ(again.status, 200);
  const std::int64_t hand_in_id = again.json().at("id").as_int64();

  const std::string overview = "/api/homework/" + std::to_string(homework_id) + "/hand-ins";
  const auto list = server().request(verb::get, overview, {}, &teaching.client).json();
  EXPECT_EQ(list.at("counts").at("handed_in").as_int64(), 1);
  const std::int64_t pupil_id = my_id(pupil);
  bool found = false;
  for (const auto& row : list.at("pupils").as_array()) {
    if (row.at("pupil").at("id").as_int64() == pupil_id) {
      found = true;
      EXPECT_EQ(row.at("status").as_string(), "handed_in");
      EXPECT_EQ(row.at("hand_in").at("text").as_string(), "Version corrigée.");
    } else {
      EXPECT_EQ(row.at("status").as_string(), "missing");
    }
  }
  EXPECT_TRUE(found);
  // The teacher reads the handed-in file; a classmate does not.
  EXPECT_EQ(download(teaching.client, file_id).message.body(), kPdf);
  EXPECT_EQ(download(server().sign_in(classmate_of(pupil_account)), file_id).status, 404);

  const std::string mark = "/api/hand-ins/" + std::to_string(hand_in_id) + "/mark";
  EXPECT_EQ(server()
                .request(verb::put, mark, R"({"mark":"16/20","comment":"Bien construit."})", &pupil)
                .status,
            403);
  const Reply marked = server().request(
      verb::put, mark, R"({"mark":"16/20","comment":"Bien construit."})", &teaching.client);
  ASSERT_EQ(marked.status, 200) << marked.message.body();

  const auto seen = server().request(verb::get, own, {}, &pupil).json();
  EXPECT_EQ(seen.at("hand_in").at("mark").as_string(), "16/20");
  EXPECT_FALSE(seen.at("may_hand_in").as_bool());
  const Reply too_late = hand_in(pupil, homework_id, "Encore une version.", {});
  EXPECT_EQ(too_late.status, 409);
  EXPECT_EQ(too_late.json().at("error").at("code").as_string(), "already_marked");

  // A parent of this pupil sees the mark and can read the file; another parent cannot.
  bool parent_checked = false;
  for (const Account& account : server().accounts()) {
    if (account.role != "parent") {
      continue;
    }
    const Client parent = server().sign_in(account);
    bool is_parent = false;
    const auto me = server().request(verb::get, "/api/me", {}, &parent).json();
    for (const auto& child : me.at("children").as_array()) {
      is_parent |= child.at("id").as_int64() == pupil_id;
    }
    const Reply view =
        server().request(verb::get, own + "?pupil_id=" + std::to_string(pupil_id), {}, &parent);
    if (is_parent) {
      ASSERT_EQ(view.status, 200);
      EXPECT_EQ(view.json().at("hand_in").at("mark").as_string(), "16/20");
      EXPECT_EQ(download(parent, file_id).status, 200);
      EXPECT_EQ(hand_in(parent, homework_id, "Fait par le parent", {}).status, 403);
      parent_checked = true;
    } else {
      EXPECT_EQ(view.status, 404);
      EXPECT_EQ(download(parent, file_id).status, 404);
    }
  }
  EXPECT_TRUE(parent_checked);
}

TEST_F(Files, HandInsAreRefusedToThoseWithoutTheRight) {
  const Account& pupil_account = server().account("pupil");
  const Teaching teaching = teacher_of(pupil_account.class_name);
  const std::int64_t homework_id = create_homework(teaching, "Réservé à la classe");
  const Client outsider = server().sign_in(pupil_of_another_class(pupil_account));
  EXPECT_EQ(hand_in(outsider, homework_id, "Intrus", {}).status, 404);
  EXPECT_EQ(hand_in(teaching.client, homework_id, "Le prof", {}).status, 403);
  const std::string overview = "/api/homework/" + std::to_string(homework_id) + "/hand-ins";
  EXPECT_EQ(server().request(verb::get, overview, {}, &outsider).status, 404);
  const Client pupil = server().sign_in(pupil_account);
  EXPECT_EQ(server().request(verb::get, overview, {}, &pupil).status, 403);
  EXPECT_EQ(server().request(verb::get, overview + ".zip", {}, &pupil).status, 403);

  // One hands in only one's own files, some text or files, and well-formed lists.
  const std::int64_t someone_elses = upload_id(outsider, "autre.txt", "pas à moi\n");
  EXPECT_EQ(hand_in(pupil, homework_id, "", {someone_elses}).status, 400);
  EXPECT_EQ(hand_in(pupil, homework_id, "", {}).status, 400);
  EXPECT_EQ(hand_in(pupil, homework_id, "x", {1, 1}).status, 400);
  EXPECT_EQ(server()
                .request(verb::put, "/api/homework/" + std::to_string(homework_id) + "/hand-in",
                         R"({"text":"x","file_ids":"1"})", &pupil)
                .status,
            400);
  EXPECT_EQ(hand_in(pupil, homework_id + 100000, "x", {}).status, 404);
  EXPECT_EQ(hand_in(pupil, homework_id, std::string(20'001, 'a'), {}).status, 400);
  EXPECT_EQ(hand_in(pupil, homework_id, std::string("nul\0", 4), {}).status, 400);

  // Marks: a short text and a comment, from the teacher only; bad ones change nothing.
  const Reply handed = hand_in(pupil, homework_id, "Rendu", {});
  ASSERT_EQ(handed.status, 201);
  const std::string mark =
      "/api/hand-ins/" + std::to_string(handed.json().at("id").as_int64()) + "/mark";
  for (const char* bad : {R"({"mark":""})", R"({"mark":"123456789012345678901"})", R"({"mark":12})",
                          R"({"mark":"A","comment":7})", R"([])", "not json"}) {
    EXPECT_EQ(server().request(verb::put, mark, bad, &teaching.client).status, 400) << bad;
  }
  EXPECT_TRUE(server()
                  .request(verb::get, "/api/homework/" + std::to_string(homework_id) + "/hand-in",
                           {}, &pupil)
                  .json()
                  .at("hand_in")
                  .at("mark")
                  .is_null());
}

TEST_F(Files, HomeworkAttachmentsAreReadByTheClassOnly) {
  const Account& pupil_account = server().account("pupil");
  const Teaching teaching = teacher_of(pupil_account.class_name);
  const std::int64_t sheet = upload_id(teaching.client, "fiche.pdf", kPdf);
  const std::int64_t homework_id = create_homework(teaching, "Avec une fiche", {sheet});
  const Client pupil = server().sign_in(pupil_account);
  const auto homework =
      server()
          .request(verb::get, "/api/homework/" + std::to_string(homework_id), {}, &pupil)
          .json();
  ASSERT_EQ(homework.at("attachments").as_array().size(), 1u);
  EXPECT_EQ(homework.at("attachments").at(0).at("id").as_int64(), sheet);
  EXPECT_EQ(download(pupil, sheet).status, 200);
  EXPECT_EQ(download(server().sign_in(pupil_of_another_class(pupil_account)), sheet).status, 404);
  // A pupil cannot hand in the teacher's sheet as their own.
  EXPECT_EQ(hand_in(pupil, homework_id, "", {sheet}).status, 400);
  // Nor can a teacher attach a pupil's upload.
  const std::int64_t pupils_file = upload_id(pupil, "a-moi.txt", "à moi\n");
  const std::string body = boost::json::serialize(
      boost::json::object{{"class_id", teaching.class_id},
                          {"subject_id", teaching.subject_id},
                          {"title", "Vol"},
                          {"due_date", "2026-11-30"},
                          {"attachment_ids", boost::json::array{pupils_file}}});
  EXPECT_EQ(server().request(verb::post, "/api/homework", body, &teaching.client).status, 400);
}

// Reads a stored ZIP: every entry's name and bytes, checking each CRC.
std::map<std::string, std::string> unzip(const std::string& archive) {
  std::map<std::string, std::string> entries;
  std::size_t at = 0;
  const auto u16 = [&](std::size_t i) {
    return static_cast<std::uint32_t>(static_cast<unsigned char>(archive[i])) |
           static_cast<std::uint32_t>(static_cast<unsigned char>(archive[i + 1])) << 8;
  };
  const auto u32 = [&](std::size_t i) { return u16(i) | u16(i + 2) << 16; };
  while (at + 30 <= archive.size() && u32(at) == 0x04034b50) {
    const std::uint32_t crc = u32(at + 14);
    const std::uint32_t size = u32(at + 18);
    const std::uint32_t name_length = u16(at + 26);
    const std::string name = archive.substr(at + 30, name_length);
    const std::string data = archive.substr(at + 30 + name_length, size);
    boost::crc_32_type check;
    check.process_bytes(data.data(), data.size());
    EXPECT_EQ(check.checksum(), crc) << name;
    entries[name] = data;
    at += 30 + name_length + size;
  }
  const std::size_t end = archive.size() - 22;
  EXPECT_EQ(u32(end), 0x06054b50u);
  EXPECT_EQ(u16(end + 10), entries.size());
  return entries;
}

TEST_F(Files, TheTeacherDownloadsEveryHandInAsOneArchive) {
  const Account& first_account = server().account("pupil");
  const Teaching teaching = teacher_of(first_account.class_name);
  const std::int64_t homework_id = create_homework(teaching, "Exposé");
  const Client first = server().sign_in(first_account);
  const Client second = server().sign_in(classmate_of(first_account));
  ASSERT_EQ(
      hand_in(first, homework_id, "Mon exposé", {upload_id(first, "expose.pdf", kPdf)}).status,
      201);
  const std::string notes = "Notes de l'exposé\n";
  ASSERT_EQ(hand_in(second, homework_id, "", {upload_id(second, "expose.txt", notes)}).status, 201);

  const Reply zip =
      server().request(verb::get, "/api/homework/" + std::to_string(homework_id) + "/hand-ins.zip",
                       {}, &teaching.client);
  ASSERT_EQ(zip.status, 200) << zip.message.body();
  EXPECT_EQ(zip.header("Content-Type"), "application/zip");
  EXPECT_EQ(zip.header("Content-Length"), std::to_string(zip.message.body().size()));
  const auto entries = unzip(zip.message.body());
  ASSERT_EQ(entries.size(), 3u);
  std::size_t pdfs = 0;
  for (const auto& [name, data] : entries) {
    EXPECT_NE(name.find('/'), std::string::npos) << name;  // a folder per pupil
    pdfs += data == kPdf ? 1 : 0;
    if (name.ends_with("/texte.txt")) {
      EXPECT_EQ(data, "Mon exposé");
    }
    if (name.ends_with("/expose.txt")) {
      EXPECT_EQ(data, notes);
    }
  }
  EXPECT_EQ(pdfs, 1u);
}

TEST(FileDurability, AnAcknowledgedHandInSurvivesSigkill) {
  TestServer server;
  const Account& pupil_account = server.account("pupil");
  Client teacher;
  std::int64_t class_id = 0;
  std::int64_t subject_id = 0;
  for (const Account& account : server.accounts()) {
    if (account.role != "teacher" || class_id != 0) {
      continue;
    }
    Client client = server.sign_in(account);
    const auto me = server.request(verb::get, "/api/me", {}, &client).json();
    for (const auto& item : me.at("teaching").as_array()) {
      if (item.at("class").at("name").as_string() == pupil_account.class_name) {
        class_id = item.at("class").at("id").as_int64();
        subject_id = item.at("subject").at("id").as_int64();
        teacher = client;
      }
    }
  }
  ASSERT_NE(class_id, 0);
  const auto homework =
      server.request(verb::post, "/api/homework",
                     boost::json::serialize(boost::json::object{{"class_id", class_id},
                                                                {"subject_id", subject_id},
                                                                {"title", "Crash"},
                                                                {"due_date", "2026-11-30"}}),
                     &teacher);
  ASSERT_EQ(homework.status, 201);
  const std::int64_t homework_id = homework.json().at("id").as_int64();
  const Client pupil = server.sign_in(pupil_account);
  std::string bytes = kPdf;
  bytes.resize(300 * 1024, 'x');  // several pieces through the pool
  const Reply uploaded = server.request(verb::post, "/api/files?name=travail.pdf", bytes, &pupil,
                                        {{"Content-Type", "application/pdf"}});
  ASSERT_EQ(uploaded.status, 201);
  const std::int64_t file_id = uploaded.json().at("id").as_int64();
  const Reply handed =
      server.request(verb::put, "/api/homework/" + std::to_string(homework_id) + "/hand-in",
                     boost::json::serialize(boost::json::object{
                         {"text", "Rendu"}, {"file_ids", boost::json::array{file_id}}}),
                     &pupil);
  ASSERT_EQ(handed.status, 201);

  server.crash_and_restart();  // right after the 201

  const Client again = server.sign_in(pupil_account);
  const auto seen = server.request(
      verb::get, "/api/homework/" + std::to_string(homework_id) + "/hand-in", {}, &again);
  ASSERT_EQ(seen.status, 200);
  EXPECT_EQ(seen.json().at("hand_in").at("text").as_string(), "Rendu");
  const Reply file = server.request(verb::get, "/api/files/" + std::to_string(file_id), {}, &again);
  ASSERT_EQ(file.status, 200);
  EXPECT_EQ(file.message.body(), bytes);
}

}  // namespace
}  // namespace cartable::testing
