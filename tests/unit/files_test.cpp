// The pure parts of file storage: recognising types by content, checking names, the blob store's
// durability protocol (temp file, commit, abort, sweep) and the ZIP layout.
#include <gtest/gtest.h>
#include <sodium.h>

#include <filesystem>
#include <fstream>

#include "files/blob_store.hpp"
#include "files/file_name.hpp"
#include "files/media_type.hpp"

namespace cartable::files {
namespace {

std::span<const unsigned char> bytes(std::string_view text) {
  return {reinterpret_cast<const unsigned char*>(text.data()), text.size()};
}

std::string mime(std::string_view head, std::string_view name = "x") {
  const auto type = recognise(bytes(head), name);
  return type ? std::string(type->mime) : "refused";
}

TEST(MediaType, IsRecognisedFromContentNotName) {
  EXPECT_EQ(mime("%PDF-1.7\n", "photo.jpg"), "application/pdf");
  EXPECT_EQ(mime("\x89PNG\r\n\x1A\n....", "a.pdf"), "image/png");
  EXPECT_EQ(mime("\xFF\xD8\xFF\xE0"), "image/jpeg");
  EXPECT_EQ(mime("GIF89a"), "image/gif");
  EXPECT_EQ(mime(std::string_view("RIFF\x10\0\0\0WEBPVP8 ", 16)), "image/webp");
  EXPECT_EQ(mime("ID3\x03"), "audio/mpeg");
  EXPECT_EQ(mime(std::string_view("\0\0\0\x18"
                                  "ftypmp42",
                                  12)),
            "video/mp4");
  EXPECT_EQ(mime(std::string_view("PK\x03\x04", 4), "devoir.docx"),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
  EXPECT_EQ(mime(std::string_view("PK\x03\x04", 4), "archive.bin"), "application/zip");
  EXPECT_EQ(mime("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", "vieux.doc"), "application/msword");
  EXPECT_EQ(mime("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", "macro.exe"), "refused");
  EXPECT_EQ(mime("Bonjour, voici mon texte.\n"), "text/plain; charset=utf-8");
  EXPECT_EQ(mime("nom;note\nLéa;16\n", "notes.csv"), "text/csv; charset=utf-8");
}

TEST(MediaType, RefusesWhatABrowserCouldRun) {
  EXPECT_EQ(mime("<!DOCTYPE html><html>"), "refused");
  EXPECT_EQ(mime("  \n<svg xmlns='http://www.w3.org/2000/svg'>"), "refused");
  EXPECT_EQ(mime("\xEF\xBB\xBF<script>"), "refused");
  EXPECT_EQ(mime(std::string_view("MZ\x90\0", 4)), "refused");
  EXPECT_EQ(mime("\x7F"
                 "ELF"),
            "refused");
  EXPECT_EQ(mime(std::string_view("text\0with nul", 13)), "refused");
  EXPECT_EQ(mime("\xC3\x28 invalid UTF-8"), "refused");
  EXPECT_EQ(mime(""), "refused");
}

TEST(MediaType, ToleratesACharacterCutByTheEndOfTheHead) {
  EXPECT_EQ(mime("Été\xC3"), "text/plain; charset=utf-8");
  EXPECT_EQ(mime("Un euro \xE2\x82"), "text/plain; charset=utf-8");
}

TEST(MediaType, AddsTheRightExtensionWhenTheNameDoesNotFit) {
  const auto pdf = *recognise(bytes("%PDF-"), "x");
  EXPECT_EQ(name_with_extension("devoir.pdf", pdf), "devoir.pdf");
  EXPECT_EQ(name_with_extension("devoir.PDF", pdf), "devoir.PDF");
  EXPECT_EQ(name_with_extension("devoir.exe", pdf), "devoir.exe.pdf");
  EXPECT_EQ(name_with_extension("devoir", pdf), "devoir.pdf");
  const auto text = *recognise(bytes("abc"), "x");
  EXPECT_EQ(name_with_extension("notes.md", text), "notes.md");
  EXPECT_EQ(name_with_extension("page.html", text), "page.html.txt");
}

TEST(FileName, RefusesPathsControlsAndDisguises) {
  EXPECT_EQ(std::get<std::string>(check_file_name("  Mon devoir.pdf ")), "Mon devoir.pdf");
  EXPECT_EQ(std::get<std::string>(check_file_name("Réponse n°2.odt")), "Réponse n°2.odt");
  for (const std::string_view bad :
       {std::string_view(""), std::string_view("   "), std::string_view("../etc/passwd"),
        std::string_view("a\\b"), std::string_view("nul\0.txt", 8), std::string_view("tab\t.txt"),
        std::string_view("photo\xE2\x80\xAEgpj.exe"), std::string_view("."), std::string_view(".."),
        std::string_view("\xFF\xFE")}) {
    EXPECT_TRUE(std::holds_alternative<FileNameError>(check_file_name(bad))) << bad;
  }
  EXPECT_TRUE(std::holds_alternative<FileNameError>(check_file_name(std::string(201, 'a'))));
}

class Blobs : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_GE(sodium_init(), 0);
    root_ = std::filesystem::temp_directory_path() /
            ("cartable-blobs-" + std::to_string(::getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(root_);
  }
  void TearDown() override { std::filesystem::remove_all(root_); }
  std::size_t temp_files() const {
    std::size_t count = 0;
    for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(root_ / "tmp")) {
      ++count;
    }
    return count;
  }
  std::filesystem::path root_;
};

TEST_F(Blobs, ACommittedBlobIsNamedByItsHashAndReadBack) {
  const BlobStore store(root_);
  auto writer = store.begin();
  writer->append(std::string_view("hello "));
  writer->append(std::string_view("world"));
  EXPECT_EQ(temp_files(), 1u);
  const Blob blob = writer->commit();
  writer.reset();
  EXPECT_EQ(temp_files(), 0u);
  EXPECT_EQ(blob.sha256, "b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9");
  EXPECT_EQ(blob.size, 11u);
  EXPECT_EQ(blob.crc32, 0x0d4a1185u);
  const UniqueFd fd = store.open(blob.sha256);
  char buffer[32] = {};
  EXPECT_EQ(::read(fd.get(), buffer, sizeof buffer), 11);
  EXPECT_EQ(std::string(buffer), "hello world");
  EXPECT_THROW(store.open(std::string(64, 'a')), std::system_error);
  EXPECT_THROW(store.open("../../etc/passwd"), std::invalid_argument);
}

TEST_F(Blobs, AnAbandonedUploadLeavesNothingAndStartUpClearsLeftovers) {
  {
    const BlobStore store(root_);
    auto writer = store.begin();
    writer->append(std::string_view("partial"));
    writer.reset();
    EXPECT_EQ(temp_files(), 0u);
  }
  const auto crashed = root_ / "tmp" / "crashed.part";
  std::ofstream(crashed) << "left by a crash";
  // Another process's upload in progress is left alone; an hour-old leftover is not.
  std::ofstream(root_ / "tmp" / "in-progress.part") << "being written";
  std::filesystem::last_write_time(crashed, std::filesystem::file_time_type::clock::now() -
                                                BlobStore::kLeftoverAge - std::chrono::seconds(1));
  const BlobStore restarted(root_);
  EXPECT_EQ(temp_files(), 1u);
  EXPECT_FALSE(std::filesystem::exists(crashed));
}

TEST_F(Blobs, SweepRemovesOnlyUnnamedBlobs) {
  const BlobStore store(root_);
  auto keep = store.begin();
  keep->append(std::string_view("keep"));
  const Blob kept = keep->commit();
  auto drop = store.begin();
  drop->append(std::string_view("drop"));
  const Blob dropped = drop->commit();
  // Just written: it may be another process's, about to get its row.
  EXPECT_EQ(store.sweep({kept.sha256}), 0u);
  EXPECT_EQ(store.sweep({kept.sha256}, std::chrono::seconds(0)), 1u);
  EXPECT_NO_THROW(store.open(kept.sha256));
  EXPECT_THROW(store.open(dropped.sha256), std::system_error);
}

}  // namespace
}  // namespace cartable::files
