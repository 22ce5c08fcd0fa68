// A ZIP archive streamed as it is sent: entries are stored (documents, images and PDFs gain little
// from compression, and storing keeps the size known in advance, so the download has a
// Content-Length and a progress bar). Every CRC is known before the first byte (files keep theirs
// from upload), so no data descriptors are needed and every unzip tool reads it. Names are UTF-8
// (general purpose flag bit 11). Classic ZIP: at most 4 GiB and 65,535 entries.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/work_pool.hpp"
#include "files/blob_store.hpp"
#include "net/body_stream.hpp"
#include "store/store.hpp"

namespace cartable::files {

struct ZipEntry {
  std::string path;                // inside the archive, "/"-separated
  std::optional<FileRecord> file;  // a stored file...
  std::string text;                // ...or this text
  std::int64_t modified_unix = 0;  // shown by unzip tools
};

class ZipArchive final : public net::BodySource {
 public:
  // nullopt when the entries do not fit in a classic ZIP.
  static std::optional<std::shared_ptr<ZipArchive>> plan(std::vector<ZipEntry> entries,
                                                         const BlobStore& blobs, WorkPool& pool);

  std::uint64_t size() const override { return size_; }
  boost::asio::awaitable<std::span<const char>> next() override;

 private:
  struct Planned {
    ZipEntry entry;
    std::uint32_t crc32 = 0;
    std::uint32_t size = 0;
    std::uint32_t header_offset = 0;
  };
  ZipArchive(std::vector<Planned> entries, std::uint64_t size, const BlobStore& blobs,
             WorkPool& pool);
  std::string local_header(const Planned& planned) const;
  std::string central_directory() const;

  std::vector<Planned> entries_;
  std::uint64_t size_;
  const BlobStore& blobs_;
  WorkPool& pool_;

  // Where the stream is: entry `current_`, its header sent or not, bytes of its data sent.
  std::size_t current_ = 0;
  bool header_sent_ = false;
  bool finished_ = false;
  std::unique_ptr<net::BodySource> data_;
  std::string piece_;
};

}  // namespace cartable::files
