// Content-addressed storage of file bytes under the data directory: blobs/ab/cd/<sha-256 in hex>.
// The metadata (name, owner, type) lives in the Store; a blob is only ever reached through it, by
// the hash the Store holds, never by a name a client gave.
//
// Durability: an upload is written to blobs/tmp, fsynced, renamed into place and its directory
// fsynced before the Store row that names it is written. A crash at any point leaves either no
// trace (a temp file, cleared at start-up) or a blob no row names (swept at start-up), never a row
// naming missing bytes. Identical files are stored once.
//
// Every call blocks on the disk: run them on the files work pool, never on an I/O thread.
#pragma once

#include <sodium.h>

#include <boost/crc.hpp>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <unordered_set>
#include <vector>

#include "files/unique_fd.hpp"

namespace cartable::files {

struct Blob {
  std::string sha256;  // 64 lowercase hex digits
  std::uint64_t size = 0;
  std::uint32_t crc32 = 0;  // kept so ZIP archives of stored files can be streamed as they go
};

class BlobStore {
 public:
  // Creates `root` and its temp folder when missing, and removes leftover temp files of an
  // interrupted run. Throws std::system_error when the folder cannot be used.
  explicit BlobStore(std::filesystem::path root);

  // One upload being written. Not thread-safe (one coroutine drives it). Destroying it before
  // commit() removes its temp file: an interrupted upload leaves nothing behind.
  class Writer {
   public:
    Writer(const Writer&) = delete;
    Writer& operator=(const Writer&) = delete;
    ~Writer();

    void append(std::span<const char> bytes);
    std::uint64_t size() const { return size_; }
    // The first bytes written (up to kHeadBytes): what the type is recognised from.
    std::span<const unsigned char> head() const { return {head_.data(), head_.size()}; }
    // Makes the bytes durable under their hash. Call once.
    Blob commit();

    static constexpr std::size_t kHeadBytes = 4096;

   private:
    friend class BlobStore;
    Writer(const BlobStore& store, std::filesystem::path temp_path, UniqueFd fd);

    const BlobStore& store_;
    std::filesystem::path temp_path_;
    UniqueFd fd_;
    crypto_hash_sha256_state hash_{};
    boost::crc_32_type crc_;
    std::uint64_t size_ = 0;
    std::vector<unsigned char> head_;
    bool committed_ = false;
  };

  std::unique_ptr<Writer> begin() const;

  // An open descriptor on the blob, for reading; throws std::system_error if it is missing.
  UniqueFd open(const std::string& sha256) const;

  // Removes every blob whose hash is not in `referenced` and that was last written more than
  // `min_age` ago; returns how many. Run at start-up. The age matters when several processes share
  // the directory: another one's blob being committed has no row yet.
  std::size_t sweep(const std::unordered_set<std::string>& referenced,
                    std::chrono::seconds min_age = kLeftoverAge) const;

  // Temp files and unnamed blobs younger than this may belong to an upload in progress in another
  // process (an upload that takes longer has long passed its deadlines).
  static constexpr std::chrono::seconds kLeftoverAge{3600};

  static bool is_hash(std::string_view text);

 private:
  std::filesystem::path path_of(const std::string& sha256) const;

  // Whether the file was last written more than `min_age` ago.
  static bool older_than(const std::filesystem::directory_entry& entry,
                         std::chrono::seconds min_age);

  std::filesystem::path root_;
  std::filesystem::path temp_;
};

}  // namespace cartable::files
