// Bodies that do not fit in memory: uploads read piece by piece by the handler that stores them,
// and downloads written piece by piece from a source (a file, an archive being assembled). A whole
// file is never held in memory, and a handler can refuse an upload (401, 403, 413) before the
// client has sent a byte of it: the connection sends "100 Continue" only on the first read.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

namespace cartable::net {

// Why reading an upload stopped early.
enum class BodyError {
  none,
  timeout,    // no byte for the body read deadline (or the whole body took too long)
  too_large,  // more bytes than the route's limit
  malformed,  // bad chunked encoding
  closed,     // the client went away
};

// The body of a request whose route streams it (Route::streams_body). Used from the connection's
// own I/O thread, while the handler runs.
class BodyStream {
 public:
  virtual ~BodyStream() = default;
  struct Chunk {
    std::size_t size = 0;  // 0 with BodyError::none: the body is complete
    BodyError error = BodyError::none;
  };
  // Reads the next bytes of the body into `into` (at most its size).
  virtual boost::asio::awaitable<Chunk> read_some(std::span<char> into) = 0;
  // The Content-Length the client announced; nullopt for a chunked body.
  virtual std::optional<std::uint64_t> declared_size() const = 0;
};

// The body of a response too big to hold in memory. The response's Content-Length is `size()`;
// the connection writes the chunks `next` gives until it gives an empty one. Used from the
// connection's I/O thread; blocking reads belong on a work pool, awaited inside `next`.
class BodySource {
 public:
  virtual ~BodySource() = default;
  virtual std::uint64_t size() const = 0;
  // The next bytes; valid until the following call. Throws on a read failure (the connection is
  // then closed: a client sees a short body, never a wrong one).
  virtual boost::asio::awaitable<std::span<const char>> next() = 0;
};

}  // namespace cartable::net
