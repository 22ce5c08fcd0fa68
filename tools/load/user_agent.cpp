#include "user_agent.hpp"

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace cartable::load {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;

UserAgent::UserAgent(asio::any_io_executor executor, asio::ip::address source, const Target& server)
    : source_(source), server_(server), socket_(executor), watchdog_(executor) {}

UserAgent::~UserAgent() {
  drop_connection();
}

void UserAgent::drop_connection() {
  boost::system::error_code ignored;
  socket_.close(ignored);
  buffer_.clear();
}

asio::awaitable<Reply> UserAgent::send(const Outgoing& outgoing,
                                       std::chrono::milliseconds patience) {
  Reply reply;
  expired_ = false;
  const std::uint64_t attempt = ++attempt_;
  // The user's patience: past it, the connection is closed under the pending operation. A late
  // expiry of an earlier attempt is ignored.
  watchdog_.expires_after(patience);
  watchdog_.async_wait([this, attempt](boost::system::error_code ec) {
    if (!ec && attempt == attempt_) {
      expired_ = true;
      boost::system::error_code ignored;
      socket_.close(ignored);
    }
  });
  boost::system::error_code ec;
  if (!socket_.is_open()) {
    socket_.open(server_.endpoint.protocol(), ec);
    if (!ec) {
      socket_.bind(tcp::endpoint(source_, 0), ec);
    }
    if (!ec) {
      ++connections_opened_;
      co_await socket_.async_connect(server_.endpoint,
                                     asio::redirect_error(asio::use_awaitable, ec));
    }
  }
  if (!ec) {
    http::request<http::string_body> request{outgoing.method, outgoing.path, 11};
    request.set(http::field::host, server_.host);
    request.set(http::field::user_agent, "cartable-load");
    if (!cookies_.empty()) {
      request.set(http::field::cookie, cookie_header());
    }
    for (const auto& [name, value] : outgoing.headers) {
      request.set(name, value);
    }
    if (!outgoing.body.empty()) {
      request.set(http::field::content_type, outgoing.content_type);
      request.body() = outgoing.body;
    }
    request.prepare_payload();
    co_await http::async_write(socket_, request, asio::redirect_error(asio::use_awaitable, ec));
  }
  if (!ec) {
    http::response_parser<http::string_body> parser;
    parser.body_limit(64 * 1024 * 1024);
    co_await http::async_read(socket_, buffer_, parser,
                              asio::redirect_error(asio::use_awaitable, ec));
    if (!ec) {
      auto& response = parser.get();
      reply.answered = true;
      reply.status = response.result_int();
      remember_cookies(response.base());
      reply.headers = response.base();
      reply.body = std::move(response.body());
      if (!response.keep_alive()) {
        drop_connection();
      }
    }
  }
  watchdog_.cancel();
  ++attempt_;
  if (!reply.answered) {
    reply.timed_out = expired_;
    drop_connection();
  }
  co_return reply;
}

void UserAgent::remember_cookies(const http::fields& headers) {
  const auto [first, last] = headers.equal_range(http::field::set_cookie);
  for (auto field = first; field != last; ++field) {
    const std::string_view text = field->value();
    const std::size_t equals = text.find('=');
    if (equals == std::string_view::npos) {
      continue;
    }
    const std::size_t end = text.find(';');
    const std::string name(text.substr(0, equals));
    const std::string value(text.substr(
        equals + 1, end == std::string_view::npos ? std::string_view::npos : end - equals - 1));
    if (value.empty() || text.find("Max-Age=0") != std::string_view::npos) {
      cookies_.erase(name);
    } else {
      cookies_[name] = value;
    }
  }
}

std::string UserAgent::cookie_header() const {
  std::string header;
  for (const auto& [name, value] : cookies_) {
    if (!header.empty()) {
      header += "; ";
    }
    header += name + "=" + value;
  }
  return header;
}

}  // namespace cartable::load
