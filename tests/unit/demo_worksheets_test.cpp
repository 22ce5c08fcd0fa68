// The demo's homework worksheets: a well-formed PDF of about 200 KB per teacher, and one
// attachment per homework item whose bytes are stored once per teacher.
#include <gtest/gtest.h>
#include <sodium.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <variant>

#include "demo/generator.hpp"
#include "demo/worksheets.hpp"
#include "files/blob_store.hpp"
#include "files/file_name.hpp"
#include "files/media_type.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace cartable {
namespace {

namespace fs = std::filesystem;

Worksheet maths() {
  return {"Fiche d'exercices — Mathématiques — 4e B", "Marie Dupont", "Collège Jean Jaurès", 7};
}

std::span<const unsigned char> bytes_of(const std::string& text) {
  return {reinterpret_cast<const unsigned char*>(text.data()), text.size()};
}

// The number written after `key` at or after `from` ("/Size 12" -> 12).
std::size_t number_after(const std::string& pdf, const std::string& key, std::size_t from = 0) {
  const std::size_t at = pdf.find(key, from);
  EXPECT_NE(at, std::string::npos) << key;
  return at == std::string::npos ? 0 : std::stoul(pdf.substr(at + key.size(), 20));
}

TEST(WorksheetPdf, AboutTwoHundredKilobytesOfPdf14) {
  const std::string pdf = worksheet_pdf(maths());
  EXPECT_GE(pdf.size(), 195'000u);
  EXPECT_LE(pdf.size(), 210'000u);
  EXPECT_EQ(pdf.substr(0, 9), "%PDF-1.4\n");
  EXPECT_TRUE(pdf.ends_with("%%EOF\n"));
  // Plain 7-bit text: every non-ASCII character is escaped.
  EXPECT_TRUE(std::all_of(pdf.begin(), pdf.end(), [](char c) {
    return static_cast<unsigned char>(c) < 0x80 && (c >= 0x20 || c == '\n');
  }));
  // Several A4 pages, in Helvetica.
  EXPECT_GT(number_after(pdf, "/Type /Pages /Kids ["), 0u);
  EXPECT_GE(number_after(pdf, "/Count "), 5u);
  EXPECT_NE(pdf.find("/MediaBox [0 0 595 842]"), std::string::npos);
  EXPECT_NE(pdf.find("/BaseFont /Helvetica /Encoding /WinAnsiEncoding"), std::string::npos);
  EXPECT_NE(pdf.find("(Exercice 1 \\227 "), std::string::npos);  // the em dash in WinAnsi
  EXPECT_NE(pdf.find("(a\\) "), std::string::npos);
}

TEST(WorksheetPdf, CrossReferenceOffsetsPointAtEachObject) {
  const std::string pdf = worksheet_pdf(maths());
  const std::size_t eof = pdf.rfind("startxref\n");
  ASSERT_NE(eof, std::string::npos);
  const std::size_t xref = number_after(pdf, "startxref\n", eof);
  ASSERT_LT(xref, pdf.size());
  ASSERT_EQ(pdf.compare(xref, 7, "xref\n0 "), 0);
  const std::size_t size = number_after(pdf, "xref\n0 ", xref);
  ASSERT_GT(size, 6u);
  const std::size_t trailer = pdf.find("trailer\n", xref);
  ASSERT_NE(trailer, std::string::npos);
  EXPECT_EQ(number_after(pdf, "/Size ", trailer), size);
  EXPECT_NE(pdf.find("/Root 1 0 R", trailer), std::string::npos);
  // Entries of exactly 20 bytes, the first one free.
  const std::size_t entries = pdf.find('\n', xref + 5) + 1;
  EXPECT_EQ(entries + 20 * size, trailer);
  EXPECT_EQ(pdf.substr(entries, 20), "0000000000 65535 f \n");
  for (std::size_t object = 1; object < size; ++object) {
    const std::string entry = pdf.substr(entries + 20 * object, 20);
    ASSERT_EQ(entry.substr(10), " 00000 n \n") << object;
    const std::size_t offset = std::stoul(entry.substr(0, 10));
    const std::string header = std::to_string(object) + " 0 obj\n";
    EXPECT_EQ(pdf.compare(offset, header.size(), header), 0) << object << " at " << offset;
  }
  // Every stream is as long as its /Length says.
  std::size_t streams = 0;
  for (std::size_t at = pdf.find("<< /Length "); at != std::string::npos;
       at = pdf.find("<< /Length ", at + 1)) {
    const std::size_t length = number_after(pdf, "<< /Length ", at);
    const std::size_t data = pdf.find(">>\nstream\n", at) + 10;
    EXPECT_EQ(pdf.compare(data + length, 11, "\nendstream\n"), 0) << at;
    ++streams;
  }
  EXPECT_EQ(streams, (size - 6) / 2);
}

TEST(WorksheetPdf, SpecialCharactersAreEscaped) {
  Worksheet worksheet = maths();
  worksheet.title = "Maths (rappels) \\ révisions";
  worksheet.author = "Zoé (remplaçante)\x01\xFF";
  const std::string pdf = worksheet_pdf(worksheet);
  EXPECT_NE(pdf.find("(Maths \\(rappels\\) \\\\ r\\351visions)"), std::string::npos);
  // Control characters and invalid UTF-8 never reach the file as raw bytes.
  EXPECT_NE(pdf.find("(Zo\\351 \\(rempla\\347ante\\)??"), std::string::npos);
  EXPECT_EQ(pdf.find("(rappels)"), std::string::npos);
  // The document information holds the exact title, in UTF-16.
  EXPECT_NE(pdf.find("/Title <FEFF004D0061007400680073002000280072"), std::string::npos);
  // Outside WinAnsiEncoding: a question mark.
  worksheet.title = "Ω";
  EXPECT_NE(worksheet_pdf(worksheet).find("(?)"), std::string::npos);
}

TEST(WorksheetPdf, SameTextsSameBytesOtherTeacherOtherBytes) {
  EXPECT_EQ(worksheet_pdf(maths()), worksheet_pdf(maths()));
  Worksheet other = maths();
  other.author = "Paul Martin";
  EXPECT_NE(worksheet_pdf(other), worksheet_pdf(maths()));
  Worksheet namesake = maths();
  namesake.variant = 8;
  EXPECT_NE(worksheet_pdf(namesake), worksheet_pdf(maths()));
  // Long texts keep the size in bounds.
  Worksheet wordy = maths();
  wordy.title = std::string(3000, 'x') + " " + std::string(200, 'y');
  wordy.author = std::string(500, 'z');
  const std::size_t size = worksheet_pdf(wordy).size();
  EXPECT_GE(size, kWorksheetMinBytes);
  EXPECT_LE(size, kWorksheetMaxBytes);
  EXPECT_GE(worksheet_pdf({}).size(), kWorksheetMinBytes);
}

TEST(WorksheetPdf, RecognisedAsPdf) {
  const std::string pdf = worksheet_pdf(maths());
  const auto type = files::recognise(bytes_of(pdf.substr(0, files::BlobStore::Writer::kHeadBytes)),
                                     "Fiche - Exercices.pdf");
  ASSERT_TRUE(type.has_value());
  EXPECT_EQ(type->mime, "application/pdf");
}

TEST(WorksheetFileName, AcceptedByTheFileNameCheck) {
  EXPECT_EQ(worksheet_file_name("Exercices 3 à 7 page 12"), "Fiche - Exercices 3 à 7 page 12.pdf");
  EXPECT_EQ(worksheet_file_name("Devoir 1/2 \\ bis"), "Fiche - Devoir 1-2 - bis.pdf");
  EXPECT_EQ(worksheet_file_name("  "), "Fiche.pdf");
  EXPECT_EQ(worksheet_file_name("a\nb\x01"), "Fiche - a b.pdf");
  EXPECT_EQ(worksheet_file_name("x\xE2\x80\xAEgpj.exe\xFF"), "Fiche - x_gpj.exe_.pdf");
  for (const std::string& title :
       {std::string(300, 'a'), std::string(150, 'a') + std::string(100, '\xE9') /* invalid */, [] {
          std::string accents;
          for (int i = 0; i < 150; ++i) {
            accents += "é";
          }
          return "a" + accents;  // an odd start: a cut in the middle of "é" is tempting
        }()}) {
    const std::string name = worksheet_file_name(title);
    EXPECT_LE(name.size(), files::kMaxFileNameBytes);
    EXPECT_GE(name.size(), files::kMaxFileNameBytes - 4);
    EXPECT_TRUE(name.ends_with(".pdf"));
    const auto checked = files::check_file_name(name);
    ASSERT_TRUE(std::holds_alternative<std::string>(checked)) << name;
    EXPECT_EQ(std::get<std::string>(checked), name);
  }
}

class DemoWorksheets : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_GE(sodium_init(), 0);
    std::string pattern = (fs::temp_directory_path() / "cartable-worksheets-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    directory_ = pattern;
  }
  void TearDown() override { fs::remove_all(directory_); }

  std::size_t blob_files() const {
    std::size_t count = 0;
    for (const auto& entry : fs::recursive_directory_iterator(directory_ / "blobs")) {
      if (entry.is_regular_file() && files::BlobStore::is_hash(entry.path().filename().string())) {
        ++count;
      }
    }
    return count;
  }

  fs::path directory_;
};

TEST_F(DemoWorksheets, EveryHomeworkCarriesItsAuthorsWorksheetStoredOnce) {
  DemoOptions options;
  options.schools = 1;
  options.classes_per_school = 2;
  options.pupils_per_class = 3;
  options.today = Date{2026, 11, 23};
  const Roster roster = generate_demo(options);
  ASSERT_FALSE(roster.homework.empty());

  SqliteStore store(directory_ / "cartable.db", 1);
  store.apply_roster(roster, {}, "2026-11-23T07:00:00Z");
  const files::BlobStore blobs(directory_ / "blobs");
  const WorksheetsAttached attached =
      attach_demo_worksheets(store, blobs, roster, "2026-11-23T07:00:00Z");

  std::set<std::string> authors;
  for (const HomeworkItem& item : roster.homework) {
    authors.insert(item.author_login);
  }
  EXPECT_EQ(attached.homework, roster.homework.size());
  EXPECT_EQ(attached.worksheets, authors.size());
  EXPECT_GT(authors.size(), 1u);

  std::map<Id, std::string> hash_of_author;
  std::set<Id> file_ids;
  std::size_t checked = 0;
  for (const std::string& login : authors) {
    const auto author = store.credentials(login);
    ASSERT_TRUE(author.has_value()) << login;
    for (const HomeworkRecord& item :
         store.authored_homework(author->user_id, "2000-01-01", "2100-01-01")) {
      const std::vector<FileRecord> files = store.homework_attachments(item.id);
      ASSERT_EQ(files.size(), 1u) << item.title;
      const FileRecord& file = files.front();
      EXPECT_EQ(file.media_type, "application/pdf");
      EXPECT_EQ(file.owner_id, author->user_id);
      EXPECT_EQ(file.school_id, item.school_id);
      EXPECT_EQ(file.name, worksheet_file_name(item.title));
      EXPECT_TRUE(std::holds_alternative<std::string>(files::check_file_name(file.name)));
      EXPECT_GE(file.size, kWorksheetMinBytes);
      EXPECT_LE(file.size, kWorksheetMaxBytes);
      EXPECT_TRUE(file_ids.insert(file.id).second) << "one file row per homework item";
      // One PDF per teacher: the same bytes on each of their items.
      const auto [known, added] = hash_of_author.emplace(author->user_id, file.sha256);
      EXPECT_EQ(known->second, file.sha256);
      // The blob is there, as long as the row says, and a PDF.
      const files::UniqueFd fd = blobs.open(file.sha256);
      struct stat status {};
      ASSERT_EQ(::fstat(fd.get(), &status), 0);
      EXPECT_EQ(static_cast<std::uint64_t>(status.st_size), file.size);
      std::vector<unsigned char> head(files::BlobStore::Writer::kHeadBytes);
      const ssize_t got = ::pread(fd.get(), head.data(), head.size(), 0);
      ASSERT_GT(got, 0);
      head.resize(static_cast<std::size_t>(got));
      const auto type = files::recognise(head, file.name);
      ASSERT_TRUE(type.has_value());
      EXPECT_EQ(type->mime, file.media_type);
      ++checked;
    }
  }
  EXPECT_EQ(checked, roster.homework.size());
  std::set<std::string> hashes;
  for (const auto& [author, hash] : hash_of_author) {
    hashes.insert(hash);
  }
  EXPECT_EQ(hashes.size(), authors.size()) << "a distinct PDF per teacher";
  EXPECT_EQ(blob_files(), authors.size()) << "one blob per teacher, not per homework item";

  // Again (a re-run): still exactly one attachment each, and no new blob.
  attach_demo_worksheets(store, blobs, roster, "2026-11-23T07:05:00Z");
  for (const std::string& login : authors) {
    const auto author = store.credentials(login);
    for (const HomeworkRecord& item :
         store.authored_homework(author->user_id, "2000-01-01", "2100-01-01")) {
      EXPECT_EQ(store.homework_attachments(item.id).size(), 1u);
    }
  }
  EXPECT_EQ(blob_files(), authors.size());
}

}  // namespace
}  // namespace cartable
