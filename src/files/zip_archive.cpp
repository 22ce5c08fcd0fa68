#include "files/zip_archive.hpp"

#include <boost/crc.hpp>

#include "common/civil_time.hpp"
#include "files/download.hpp"

namespace cartable::files {

namespace {

constexpr std::uint32_t kLocalHeaderSignature = 0x04034b50;
constexpr std::uint32_t kCentralHeaderSignature = 0x02014b50;
constexpr std::uint32_t kEndSignature = 0x06054b50;
constexpr std::uint16_t kVersion = 20;  // 2.0: stored entries, folders
constexpr std::uint16_t kUtf8Names = 1u << 11;
constexpr std::size_t kLocalHeaderBytes = 30;
constexpr std::size_t kCentralHeaderBytes = 46;
constexpr std::size_t kEndBytes = 22;

void put16(std::string& out, std::uint16_t value) {
  out += static_cast<char>(value & 0xFF);
  out += static_cast<char>(value >> 8);
}

void put32(std::string& out, std::uint32_t value) {
  put16(out, static_cast<std::uint16_t>(value & 0xFFFF));
  put16(out, static_cast<std::uint16_t>(value >> 16));
}

// MS-DOS date and time (local to nobody: UTC), as ZIP stores them.
std::pair<std::uint16_t, std::uint16_t> dos_time(std::int64_t unix_seconds) {
  const Date date = civil_from_days(unix_seconds / 86400);
  const std::int64_t second_of_day = unix_seconds % 86400;
  const int year = std::max(date.year, 1980);
  const auto dos_date =
      static_cast<std::uint16_t>(((year - 1980) << 9) | (date.month << 5) | date.day);
  const auto dos_clock =
      static_cast<std::uint16_t>(((second_of_day / 3600) << 11) |
                                 (((second_of_day / 60) % 60) << 5) | ((second_of_day % 60) / 2));
  return {dos_date, dos_clock};
}

}  // namespace

std::optional<std::shared_ptr<ZipArchive>> ZipArchive::plan(std::vector<ZipEntry> entries,
                                                            const BlobStore& blobs,
                                                            WorkPool& pool) {
  if (entries.size() > 0xFFFF) {
    return std::nullopt;
  }
  std::vector<Planned> planned;
  std::uint64_t offset = 0;
  std::uint64_t central = 0;
  for (ZipEntry& entry : entries) {
    Planned item;
    if (entry.file) {
      item.crc32 = entry.file->crc32;
      if (entry.file->size > 0xFFFFFFFFull) {
        return std::nullopt;
      }
      item.size = static_cast<std::uint32_t>(entry.file->size);
    } else {
      boost::crc_32_type crc;
      crc.process_bytes(entry.text.data(), entry.text.size());
      item.crc32 = crc.checksum();
      item.size = static_cast<std::uint32_t>(entry.text.size());
    }
    if (offset > 0xFFFFFFFFull) {
      return std::nullopt;
    }
    item.header_offset = static_cast<std::uint32_t>(offset);
    offset += kLocalHeaderBytes + entry.path.size() + item.size;
    central += kCentralHeaderBytes + entry.path.size();
    item.entry = std::move(entry);
    planned.push_back(std::move(item));
  }
  if (offset + central > 0xFFFFFFFFull) {
    return std::nullopt;
  }
  return std::shared_ptr<ZipArchive>(
      new ZipArchive(std::move(planned), offset + central + kEndBytes, blobs, pool));
}

ZipArchive::ZipArchive(std::vector<Planned> entries, std::uint64_t size, const BlobStore& blobs,
                       WorkPool& pool)
    : entries_(std::move(entries)), size_(size), blobs_(blobs), pool_(pool) {}

std::string ZipArchive::local_header(const Planned& planned) const {
  std::string out;
  const auto [date, clock] = dos_time(planned.entry.modified_unix);
  put32(out, kLocalHeaderSignature);
  put16(out, kVersion);
  put16(out, kUtf8Names);
  put16(out, 0);  // stored
  put16(out, clock);
  put16(out, date);
  put32(out, planned.crc32);
  put32(out, planned.size);
  put32(out, planned.size);
  put16(out, static_cast<std::uint16_t>(planned.entry.path.size()));
  put16(out, 0);  // no extra field
  out += planned.entry.path;
  return out;
}

std::string ZipArchive::central_directory() const {
  std::string out;
  std::uint32_t directory_bytes = 0;
  for (const Planned& planned : entries_) {
    const auto [date, clock] = dos_time(planned.entry.modified_unix);
    const std::size_t start = out.size();
    put32(out, kCentralHeaderSignature);
    put16(out, kVersion);  // made by
    put16(out, kVersion);  // needed
    put16(out, kUtf8Names);
    put16(out, 0);
    put16(out, clock);
    put16(out, date);
    put32(out, planned.crc32);
    put32(out, planned.size);
    put32(out, planned.size);
    put16(out, static_cast<std::uint16_t>(planned.entry.path.size()));
    put16(out, 0);  // extra
    put16(out, 0);  // comment
    put16(out, 0);  // disk
    put16(out, 0);  // internal attributes
    put32(out, 0);  // external attributes
    put32(out, planned.header_offset);
    out += planned.entry.path;
    directory_bytes += static_cast<std::uint32_t>(out.size() - start);
  }
  const auto entries = static_cast<std::uint16_t>(entries_.size());
  const auto directory_offset = static_cast<std::uint32_t>(size_ - kEndBytes - directory_bytes);
  put32(out, kEndSignature);
  put16(out, 0);
  put16(out, 0);
  put16(out, entries);
  put16(out, entries);
  put32(out, directory_bytes);
  put32(out, directory_offset);
  put16(out, 0);
  return out;
}

boost::asio::awaitable<std::span<const char>> ZipArchive::next() {
  while (current_ < entries_.size()) {
    const Planned& planned = entries_[current_];
    if (!header_sent_) {
      header_sent_ = true;
      piece_ = local_header(planned);
      if (!planned.entry.file) {
        piece_ += planned.entry.text;
      }
      co_return std::span<const char>(piece_);
    }
    if (planned.entry.file) {
      if (!data_) {
        UniqueFd fd = co_await open_blob(blobs_, pool_, planned.entry.file->sha256);
        data_ = std::make_unique<BlobSource>(std::move(fd), 0, planned.size, pool_);
      }
      const std::span<const char> bytes = co_await data_->next();
      if (!bytes.empty()) {
        co_return bytes;
      }
      data_.reset();
    }
    ++current_;
    header_sent_ = false;
  }
  if (finished_) {
    co_return std::span<const char>{};
  }
  finished_ = true;
  piece_ = central_directory();
  co_return std::span<const char>(piece_);
}

}  // namespace cartable::files
