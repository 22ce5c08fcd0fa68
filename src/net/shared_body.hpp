// A Beast body that is owned text, a shared immutable buffer, or a streamed source. Static assets
// and cached fragments are sent from their shared copy without copying them into each response;
// files and archives come from a BodySource, which the connection writes piece by piece after the
// head (the serializer below only ever sees the in-memory kinds).
#pragma once

#include <boost/asio/buffer.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/optional.hpp>
#include <memory>
#include <string>

#include "net/body_stream.hpp"

namespace cartable {

struct SharedBody {
  struct value_type {
    std::string owned;
    std::shared_ptr<const std::string> shared;
    std::shared_ptr<net::BodySource> source;

    const std::string& text() const { return shared ? *shared : owned; }
  };

  static std::uint64_t size(const value_type& body) {
    return body.source ? body.source->size() : body.text().size();
  }

  class writer {
   public:
    using const_buffers_type = boost::asio::const_buffer;

    template <bool IsRequest, class Fields>
    writer(const boost::beast::http::header<IsRequest, Fields>&, const value_type& body)
        : body_(body) {}

    void init(boost::beast::error_code& ec) { ec = {}; }

    boost::optional<std::pair<const_buffers_type, bool>> get(boost::beast::error_code& ec) {
      ec = {};
      const std::string& text = body_.text();
      return std::make_pair(const_buffers_type(text.data(), text.size()), false);
    }

   private:
    const value_type& body_;
  };
};

}  // namespace cartable
