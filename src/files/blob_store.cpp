#include "files/blob_store.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <system_error>

namespace cartable::files {

namespace fs = std::filesystem;

namespace {

[[noreturn]] void fail(const std::string& what) {
  throw std::system_error(errno, std::generic_category(), what);
}

void sync_directory(const fs::path& directory) {
  const UniqueFd fd(::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!fd || ::fsync(fd.get()) != 0) {
    fail("fsync " + directory.string());
  }
}

std::string random_name() {
  std::array<unsigned char, 16> bytes{};
  randombytes_buf(bytes.data(), bytes.size());
  std::array<char, 33> hex{};
  sodium_bin2hex(hex.data(), hex.size(), bytes.data(), bytes.size());
  return std::string(hex.data()) + ".part";
}

}  // namespace

BlobStore::BlobStore(fs::path root) : root_(std::move(root)), temp_(root_ / "tmp") {
  fs::create_directories(temp_);
  // Left by a crash; younger ones may be another process's uploads.
  for (const auto& entry : fs::directory_iterator(temp_)) {
    if (older_than(entry, kLeftoverAge)) {
      fs::remove(entry.path());
    }
  }
}

bool BlobStore::older_than(const fs::directory_entry& entry, std::chrono::seconds min_age) {
  std::error_code ec;
  const auto written = entry.last_write_time(ec);
  return !ec && written <= fs::file_time_type::clock::now() - min_age;
}

bool BlobStore::is_hash(std::string_view text) {
  return text.size() == 64 && std::all_of(text.begin(), text.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

fs::path BlobStore::path_of(const std::string& sha256) const {
  if (!is_hash(sha256)) {
    throw std::invalid_argument("not a blob hash");
  }
  return root_ / sha256.substr(0, 2) / sha256.substr(2, 2) / sha256;
}

std::unique_ptr<BlobStore::Writer> BlobStore::begin() const {
  fs::path path = temp_ / random_name();
  UniqueFd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600));
  if (!fd) {
    fail("create " + path.string());
  }
  return std::unique_ptr<Writer>(new Writer(*this, std::move(path), std::move(fd)));
}

BlobStore::Writer::Writer(const BlobStore& store, fs::path temp_path, UniqueFd fd)
    : store_(store), temp_path_(std::move(temp_path)), fd_(std::move(fd)) {
  crypto_hash_sha256_init(&hash_);
}

BlobStore::Writer::~Writer() {
  if (!committed_) {
    fd_.reset();
    ::unlink(temp_path_.c_str());
  }
}

void BlobStore::Writer::append(std::span<const char> bytes) {
  if (head_.size() < kHeadBytes) {
    const std::size_t take = std::min(kHeadBytes - head_.size(), bytes.size());
    head_.insert(head_.end(), bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(take));
  }
  crypto_hash_sha256_update(&hash_, reinterpret_cast<const unsigned char*>(bytes.data()),
                            bytes.size());
  crc_.process_bytes(bytes.data(), bytes.size());
  std::size_t written = 0;
  while (written < bytes.size()) {
    const ssize_t n = ::write(fd_.get(), bytes.data() + written, bytes.size() - written);
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      fail("write " + temp_path_.string());
    }
    written += static_cast<std::size_t>(n);
  }
  size_ += bytes.size();
}

Blob BlobStore::Writer::commit() {
  std::array<unsigned char, crypto_hash_sha256_BYTES> digest{};
  crypto_hash_sha256_final(&hash_, digest.data());
  std::array<char, crypto_hash_sha256_BYTES * 2 + 1> hex{};
  sodium_bin2hex(hex.data(), hex.size(), digest.data(), digest.size());
  Blob blob{hex.data(), size_, crc_.checksum()};

  if (::fsync(fd_.get()) != 0) {
    fail("fsync " + temp_path_.string());
  }
  fd_.reset();
  const fs::path target = store_.path_of(blob.sha256);
  const fs::path folder = target.parent_path();
  if (!fs::exists(folder)) {
    fs::create_directories(folder);
    sync_directory(folder.parent_path());
    sync_directory(store_.root_);
  }
  // Renaming over an existing blob is harmless: the same hash is the same bytes.
  if (::rename(temp_path_.c_str(), target.c_str()) != 0) {
    fail("rename into " + target.string());
  }
  committed_ = true;
  sync_directory(folder);
  return blob;
}

UniqueFd BlobStore::open(const std::string& sha256) const {
  const fs::path path = path_of(sha256);
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
  if (!fd) {
    fail("open blob " + sha256);
  }
  return fd;
}

std::size_t BlobStore::sweep(const std::unordered_set<std::string>& referenced,
                             std::chrono::seconds min_age) const {
  std::size_t removed = 0;
  for (const auto& entry : fs::recursive_directory_iterator(root_)) {
    const std::string name = entry.path().filename().string();
    if (entry.is_regular_file() && is_hash(name) && !referenced.contains(name) &&
        older_than(entry, min_age)) {
      fs::remove(entry.path());
      ++removed;
    }
  }
  return removed;
}

}  // namespace cartable::files
