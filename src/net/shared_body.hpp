// A Beast body that is either owned text or a shared, immutable buffer. Static assets and cached
// fragments are sent from their shared copy without copying them into each response.
#pragma once

#include <boost/asio/buffer.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/optional.hpp>
#include <memory>
#include <string>

namespace cartable {

struct SharedBody {
  struct value_type {
    std::string owned;
    std::shared_ptr<const std::string> shared;

    const std::string& text() const { return shared ? *shared : owned; }
  };

  static std::uint64_t size(const value_type& body) { return body.text().size(); }

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
