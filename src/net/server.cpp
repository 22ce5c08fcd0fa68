#include "net/server.hpp"

#include <spdlog/spdlog.h>
#include <sys/socket.h>

#include <array>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/serializer.hpp>
#include <boost/beast/http/write.hpp>
#include <chrono>
#include <condition_variable>
#include <mutex>

#include "net/websocket_connection.hpp"

namespace cartable::net {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;
using boost::system::error_code;

struct Server::Connection {
  tcp::socket* socket;
  // Waiting for the next request: safe to close when draining.
  bool idle = false;
  ConnectionSlot* slot = nullptr;
  IoThread* thread = nullptr;
  // Became a WebSocket link, which took the stream and the slot along: nothing left to close.
  bool handed_off = false;
};

struct Server::IoThread {
  asio::io_context context{1};
  std::vector<std::unique_ptr<tcp::acceptor>> acceptors;
  // Connections living on this thread; touched only from it, so no lock.
  std::unordered_set<Connection*> connections;
  std::thread thread;
};

// A WebSocket link's place among its thread's connections (closed when draining, like an idle
// keep-alive) and its connection slot, held until it has closed.
struct Server::LinkRegistration {
  ConnectionSlot slot;
  IoThread* thread;
  Connection connection{nullptr, true};

  void attach(tcp::socket& socket) {
    connection.socket = &socket;
    thread->connections.insert(&connection);
  }
  void detach() {
    thread->connections.erase(&connection);
    slot.release();
  }
};

// A deadline over the socket's operations: when it passes, pending operations are cancelled (and
// cancelled again every 100 ms until disarmed, in case the deadline fell between two reads of a
// composed operation). Unlike closing the socket, cancelling leaves it usable to send a 408.
class Server::Deadline {
 public:
  explicit Deadline(tcp::socket& socket)
      : timer_(socket.get_executor()), shared_(std::make_shared<Shared>(&socket)) {}
  Deadline(const Deadline&) = delete;
  Deadline& operator=(const Deadline&) = delete;
  ~Deadline() {
    shared_->socket = nullptr;
    ++shared_->generation;
  }

  void arm(std::chrono::steady_clock::duration after) {
    shared_->expired = false;
    wait(after, ++shared_->generation);
  }
  void disarm() {
    ++shared_->generation;
    timer_.cancel();
  }
  bool expired() const { return shared_->expired; }

 private:
  struct Shared {
    explicit Shared(tcp::socket* s) : socket(s) {}
    tcp::socket* socket;
    unsigned generation = 0;
    bool expired = false;
  };

  void wait(std::chrono::steady_clock::duration after, unsigned generation) {
    timer_.expires_after(after);
    timer_.async_wait([this, shared = shared_, generation](error_code ec) {
      if (ec || shared->socket == nullptr || shared->generation != generation) {
        return;
      }
      shared->expired = true;
      error_code ignored;
      shared->socket->cancel(ignored);
      wait(std::chrono::milliseconds(100), generation);
    });
  }

  asio::steady_timer timer_;
  std::shared_ptr<Shared> shared_;
};

namespace {

struct RefusalStatus {
  http::status status;
  std::string_view code;
  std::string_view message;
};

RefusalStatus refusal_status(Refusal refusal) {
  switch (refusal) {
    case Refusal::header_too_large:
      return {http::status::request_header_fields_too_large, "header_too_large",
              "The request head is larger than the server accepts."};
    case Refusal::body_too_large:
      return {http::status::payload_too_large, "body_too_large",
              "The request body is larger than this route accepts."};
    case Refusal::head_timeout:
    case Refusal::body_timeout:
      return {http::status::request_timeout, "request_timeout",
              "The request was not received in time."};
    case Refusal::too_many_connections:
    case Refusal::too_many_per_ip:
      return {http::status::service_unavailable, "too_many_connections",
              "Too many connections; try again in a moment."};
    default:
      return {http::status::bad_request, "bad_request", "The request could not be parsed."};
  }
}

bool is_parse_error(const error_code& ec) {
  return ec.category() == http::make_error_code(http::error::bad_method).category();
}

}  // namespace

// The body of a streamed request, read on demand by the handler. Each read has the body read
// deadline to make progress (a large upload on a slow line may take minutes, a stalled one may
// not); the 100 Continue a client may wait for goes out on the first read, so a handler that
// refuses first costs the client no upload.
template <class Stream>
class Server::StreamedRequestBody final : public BodyStream {
 public:
  using Parser = http::request_parser<http::buffer_body>;

  StreamedRequestBody(Stream& stream, boost::beast::flat_buffer& buffer, Parser& parser,
                      Deadline& deadline, std::chrono::milliseconds read_deadline)
      : stream_(stream),
        buffer_(buffer),
        parser_(parser),
        deadline_(deadline),
        read_deadline_(read_deadline),
        continue_pending_(
            boost::beast::iequals(parser.get()[http::field::expect], "100-continue")) {}

  std::optional<std::uint64_t> declared_size() const override {
    const auto length = parser_.content_length();
    return length ? std::optional<std::uint64_t>(*length) : std::nullopt;
  }

  asio::awaitable<Chunk> read_some(std::span<char> into) override {
    error_code ec;
    if (continue_pending_ && !parser_.is_done()) {
      continue_pending_ = false;
      static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
      deadline_.arm(read_deadline_);
      co_await asio::async_write(stream_, asio::buffer(kContinue),
                                 asio::redirect_error(asio::use_awaitable, ec));
      deadline_.disarm();
      if (ec) {
        co_return Chunk{0, BodyError::closed};
      }
    }
    // Chunk headers carry no body bytes: read until some arrive or the body ends.
    while (!parser_.is_done()) {
      parser_.get().body().data = into.data();
      parser_.get().body().size = into.size();
      deadline_.arm(read_deadline_);
      co_await http::async_read_some(stream_, buffer_, parser_,
                                     asio::redirect_error(asio::use_awaitable, ec));
      deadline_.disarm();
      const std::size_t got = into.size() - parser_.get().body().size;
      if (ec == http::error::need_buffer) {
        ec = {};
      }
      if (ec) {
        co_return Chunk{0, error_of(ec)};
      }
      if (got > 0) {
        co_return Chunk{got, BodyError::none};
      }
    }
    co_return Chunk{0, BodyError::none};
  }

 private:
  BodyError error_of(const error_code& ec) const {
    if (deadline_.expired()) {
      return BodyError::timeout;
    }
    if (ec == http::error::body_limit) {
      return BodyError::too_large;
    }
    if (is_parse_error(ec) && ec != http::error::partial_message) {
      return BodyError::malformed;
    }
    return BodyError::closed;
  }

  Stream& stream_;
  boost::beast::flat_buffer& buffer_;
  Parser& parser_;
  Deadline& deadline_;
  std::chrono::milliseconds read_deadline_;
  bool continue_pending_;
};

Server::Server(std::vector<ListenerSpec> listeners, std::size_t io_threads, const Limits& limits,
               std::shared_ptr<asio::ssl::context> tls_context, NetEvents& events)
    : listeners_(std::move(listeners)),
      limits_(limits),
      tls_context_(std::move(tls_context)),
      events_(events),
      caps_(limits.max_connections, limits.max_connections_per_ip) {
  for (std::size_t i = 0; i < std::max<std::size_t>(1, io_threads); ++i) {
    threads_.push_back(std::make_unique<IoThread>());
  }
}

Server::~Server() {
  for (auto& thread : threads_) {
    thread->context.stop();
    if (thread->thread.joinable()) {
      thread->thread.join();
    }
  }
}

void Server::bind() {
  for (std::size_t index = 0; index < listeners_.size(); ++index) {
    ListenerSpec& spec = listeners_[index];
    if (spec.tls && !tls_context_) {
      throw std::invalid_argument("a TLS listener needs a certificate and key");
    }
    for (auto& thread : threads_) {
      auto acceptor = std::make_unique<tcp::acceptor>(thread->context);
      acceptor->open(spec.endpoint.protocol());
      acceptor->set_option(tcp::acceptor::reuse_address(true));
      int one = 1;
      if (::setsockopt(acceptor->native_handle(), SOL_SOCKET, SO_REUSEPORT, &one, sizeof one) !=
          0) {
        throw boost::system::system_error(error_code(errno, boost::system::system_category()),
                                          "SO_REUSEPORT");
      }
      acceptor->bind(spec.endpoint);
      acceptor->listen(asio::socket_base::max_listen_connections);
      // Port 0: the first thread's acceptor picked a port; the other threads share it.
      spec.endpoint = acceptor->local_endpoint();
      thread->acceptors.push_back(std::move(acceptor));
    }
  }
}

std::vector<tcp::endpoint> Server::endpoints() const {
  std::vector<tcp::endpoint> result;
  for (const auto& spec : listeners_) {
    result.push_back(spec.endpoint);
  }
  return result;
}

std::vector<asio::any_io_executor> Server::executors() {
  std::vector<asio::any_io_executor> result;
  for (const auto& thread : threads_) {
    result.push_back(thread->context.get_executor());
  }
  return result;
}

void Server::run() {
  asio::signal_set signals(threads_.front()->context, SIGINT, SIGTERM);
  signals.async_wait([this](error_code ec, int signal) {
    if (!ec) {
      spdlog::info("signal {}: draining", signal);
      drain();
    }
  });
  for (auto& thread : threads_) {
    for (std::size_t index = 0; index < thread->acceptors.size(); ++index) {
      asio::co_spawn(thread->context, accept_loop(*thread, index), asio::detached);
    }
  }
  // The I/O threads must not end when they momentarily have no work.
  std::vector<asio::executor_work_guard<asio::io_context::executor_type>> guards;
  for (auto& thread : threads_) {
    guards.push_back(asio::make_work_guard(thread->context));
  }
  for (auto& thread : threads_) {
    thread->thread = std::thread([&context = thread->context] { context.run(); });
  }

  while (!draining()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  signals.cancel();
  const auto give_up = std::chrono::steady_clock::now() + limits_.drain_timeout;
  while (caps_.open() > 0 && std::chrono::steady_clock::now() < give_up) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  if (caps_.open() > 0) {
    spdlog::warn("drain timeout: {} connections still open", caps_.open());
  }
  guards.clear();
  for (auto& thread : threads_) {
    thread->context.stop();
    thread->thread.join();
  }
  spdlog::info("drained");
}

void Server::drain() {
  if (draining_.exchange(true)) {
    return;
  }
  for (auto& thread : threads_) {
    asio::post(thread->context, [this, &thread = *thread] {
      for (auto& acceptor : thread.acceptors) {
        error_code ignored;
        acceptor->close(ignored);
      }
      close_idle_connections(thread);
    });
  }
}

void Server::close_idle_connections(IoThread& thread) {
  for (Connection* connection : thread.connections) {
    if (connection->idle) {
      error_code ignored;
      connection->socket->cancel(ignored);
    }
  }
}

asio::awaitable<void> Server::accept_loop(IoThread& thread, std::size_t listener_index) {
  tcp::acceptor& acceptor = *thread.acceptors[listener_index];
  HttpService& service = *listeners_[listener_index].service;
  asio::steady_timer backoff(thread.context);
  while (!draining()) {
    error_code ec;
    tcp::socket socket =
        co_await acceptor.async_accept(asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
      if (ec == asio::error::operation_aborted || !acceptor.is_open()) {
        co_return;
      }
      // Out of file descriptors or similar: pause instead of spinning, then keep serving.
      spdlog::error("accept: {}", ec.message());
      backoff.expires_after(std::chrono::milliseconds(50));
      co_await backoff.async_wait(asio::redirect_error(asio::use_awaitable, ec));
      continue;
    }
    const tcp::endpoint remote = socket.remote_endpoint(ec);
    if (ec) {
      continue;
    }
    events_.connections_accepted.fetch_add(1, std::memory_order_relaxed);
    Refusal reason{};
    if (!caps_.try_acquire(remote.address(), reason)) {
      events_.record(reason, remote.address().to_string());
      asio::co_spawn(thread.context, refuse_connection(std::move(socket), service), asio::detached);
      continue;
    }
    asio::co_spawn(thread.context,
                   serve_connection(std::move(socket), remote.address(), thread, listener_index),
                   asio::detached);
  }
}

asio::awaitable<void> Server::refuse_connection(tcp::socket socket, HttpService& service) {
  // Over the caps: a short 503 with a tight deadline, then close. Holds no slot.
  const auto [status, code, message] = refusal_status(Refusal::too_many_connections);
  Response response = service.refusal(status, code, message);
  response.keep_alive(false);
  response.prepare_payload();
  Deadline deadline(socket);
  deadline.arm(std::chrono::seconds(2));
  error_code ec;
  co_await http::async_write(socket, response, asio::redirect_error(asio::use_awaitable, ec));
  socket.shutdown(tcp::socket::shutdown_both, ec);
}

// The socket, address and thread reference are copied into the coroutine frame, which owns the
// socket for the connection's whole life; the ConnectionSlot returns the cap slot when it ends.
asio::awaitable<void> Server::serve_connection(tcp::socket socket, asio::ip::address address,
                                               IoThread& thread, std::size_t listener_index) {
  ConnectionSlot slot(caps_, address);
  Connection connection{&socket, false, &slot, &thread};
  thread.connections.insert(&connection);
  struct Unregister {
    IoThread& thread;
    Connection* connection;
    ~Unregister() { thread.connections.erase(connection); }
  } unregister{thread, &connection};

  const ListenerSpec& spec = listeners_[listener_index];
  const Peer peer{address, spec.tls};
  error_code ec;
  socket.set_option(tcp::no_delay(true), ec);
  try {
    if (!spec.tls) {
      co_await serve_requests(socket, connection, *spec.service, peer);
      if (!connection.handed_off) {
        socket.shutdown(tcp::socket::shutdown_send, ec);
      }
      co_return;
    }
    // The stream owns the socket, so that a WebSocket can take both along.
    asio::ssl::stream<tcp::socket> stream(std::move(socket), *tls_context_);
    connection.socket = &stream.next_layer();
    Deadline deadline(stream.next_layer());
    deadline.arm(limits_.tls_handshake_deadline);
    co_await stream.async_handshake(asio::ssl::stream_base::server,
                                    asio::redirect_error(asio::use_awaitable, ec));
    deadline.disarm();
    if (ec) {
      events_.record(Refusal::tls_handshake_failed, address.to_string());
      co_return;
    }
    co_await serve_requests(stream, connection, *spec.service, peer);
    if (!connection.handed_off) {
      deadline.arm(std::chrono::seconds(2));
      co_await stream.async_shutdown(asio::redirect_error(asio::use_awaitable, ec));
    }
  } catch (const std::exception& error) {
    spdlog::debug("connection from {} ended: {}", address.to_string(), error.what());
  }
}

template <class Stream>
asio::awaitable<void> Server::send_refusal(Stream& stream, Connection& connection,
                                           HttpService& service, Refusal refusal,
                                           const Peer& peer) {
  events_.record(refusal, peer.address.to_string());
  const auto [status, code, message] = refusal_status(refusal);
  Response response = service.refusal(status, code, message);
  response.keep_alive(false);
  response.prepare_payload();
  Deadline deadline(*connection.socket);
  deadline.arm(std::chrono::seconds(5));
  error_code ec;
  co_await http::async_write(stream, response, asio::redirect_error(asio::use_awaitable, ec));
  deadline.disarm();
  if (!ec && refusal == Refusal::body_too_large) {
    co_await discard_unread(stream, *connection.socket);
  }
}

template <class Stream>
asio::awaitable<void> Server::discard_unread(Stream& stream, tcp::socket& socket) {
  // Closing at once would make the kernel answer the client's next bytes with a reset, which can
  // destroy our response before the client reads it: stop sending, then read and drop what comes,
  // for a moment and up to a bound.
  constexpr std::size_t kMostDiscarded = 64u << 20;
  error_code ec;
  if constexpr (std::is_same_v<Stream, tcp::socket>) {
    socket.shutdown(tcp::socket::shutdown_send, ec);
  }
  Deadline deadline(socket);
  deadline.arm(std::chrono::seconds(2));
  std::array<char, 16 * 1024> sink{};
  for (std::size_t discarded = 0; discarded < kMostDiscarded;) {
    discarded += co_await stream.async_read_some(asio::buffer(sink),
                                                 asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
      break;
    }
  }
}

template <class Stream>
asio::awaitable<void> Server::serve_websocket(Stream& stream, Connection& connection,
                                              HttpService& service, Request& request,
                                              const Peer& peer) {
  HttpService::WebSocketAccept accept = co_await service.accept_websocket(request, peer);
  if (!accept.session) {
    Response refusal = std::move(*accept.refusal);
    refusal.keep_alive(false);
    refusal.prepare_payload();
    Deadline deadline(*connection.socket);
    deadline.arm(limits_.write_deadline);
    error_code ec;
    co_await http::async_write(stream, refusal, asio::redirect_error(asio::use_awaitable, ec));
    co_return;
  }
  // The link takes the stream and the slot and runs on its own; this loop ends. A WebSocket may be
  // closed when draining: its client reconnects elsewhere and resumes.
  connection.handed_off = true;
  auto link = std::make_shared<WebSocketLink<Stream, LinkRegistration>>(
      std::move(stream), std::move(accept.session), limits_.websocket,
      LinkRegistration{std::move(*connection.slot), connection.thread});
  link->start(std::move(request));
}

template <class Stream>
asio::awaitable<void> Server::serve_requests(Stream& stream, Connection& connection,
                                             HttpService& service, const Peer& peer) {
  constexpr bool plain = std::is_same_v<Stream, tcp::socket>;
  tcp::socket& socket = *connection.socket;
  boost::beast::flat_buffer buffer;
  Deadline deadline(socket);
  error_code ec;
  for (std::size_t served = 0; served < limits_.max_requests_per_connection; ++served) {
    if (buffer.size() == 0) {
      // Idle between requests: hold no buffer. A plain socket waits for readability without
      // reading; TLS must read, as the next request may already sit decrypted in the engine.
      buffer.shrink_to_fit();
      if (draining()) {
        co_return;
      }
      connection.idle = true;
      deadline.arm(limits_.idle_timeout);
      if constexpr (plain) {
        co_await socket.async_wait(tcp::socket::wait_read,
                                   asio::redirect_error(asio::use_awaitable, ec));
      } else {
        const std::size_t got = co_await stream.async_read_some(
            buffer.prepare(4096), asio::redirect_error(asio::use_awaitable, ec));
        buffer.commit(got);
      }
      connection.idle = false;
      deadline.disarm();
      if (ec) {
        co_return;  // idle timeout, peer closed, or drained
      }
    }

    // The head deadline runs from the first byte, whatever the pace of the rest.
    http::request_parser<http::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(limits_.max_header_bytes));
    // The route decides the body's limit once the head is known (below).
    parser.body_limit(boost::none);
    deadline.arm(limits_.request_head_deadline);
    co_await http::async_read_header(stream, buffer, parser,
                                     asio::redirect_error(asio::use_awaitable, ec));
    deadline.disarm();
    if (ec) {
      if (deadline.expired()) {
        co_await send_refusal(stream, connection, service, Refusal::head_timeout, peer);
      } else if (ec == http::error::header_limit) {
        co_await send_refusal(stream, connection, service, Refusal::header_too_large, peer);
      } else if (ec == http::error::body_limit) {
        // A Content-Length beyond even the default limit, refused before any body byte is read.
        co_await send_refusal(stream, connection, service, Refusal::body_too_large, peer);
      } else if (is_parse_error(ec) && ec != http::error::end_of_stream &&
                 ec != http::error::partial_message) {
        co_await send_refusal(stream, connection, service, Refusal::bad_request, peer);
      }
      co_return;
    }

    HttpService::BodyRule body_rule = service.body_rule(parser.get().base());
    if (!body_rule.streamed) {
      body_rule.limit = std::min(body_rule.limit, limits_.max_body_bytes);
    }
    const auto declared = parser.content_length();
    if ((declared && *declared > body_rule.limit) || (body_rule.limit == 0 && parser.chunked())) {
      co_await send_refusal(stream, connection, service, Refusal::body_too_large, peer);
      co_return;
    }
    parser.body_limit(body_rule.limit);
    if (body_rule.streamed && !boost::beast::websocket::is_upgrade(parser.get())) {
      typename StreamedRequestBody<Stream>::Parser body_parser(std::move(parser));
      Request request(body_parser.get().base());
      events_.requests.fetch_add(1, std::memory_order_relaxed);
      StreamedRequestBody<Stream> body(stream, buffer, body_parser, deadline,
                                       limits_.body_read_deadline);
      Response response = co_await service.handle(request, peer, &body);
      // A body the handler left unread would be taken for the next request: close instead.
      const bool keep_alive = body_parser.is_done() && request.keep_alive() && !draining() &&
                              served + 1 < limits_.max_requests_per_connection;
      const bool sent = co_await respond(stream, request, response, keep_alive, deadline, peer);
      if (sent && !body_parser.is_done()) {
        co_await discard_unread(stream, socket);
      }
      if (!sent || !keep_alive) {
        co_return;
      }
      continue;
    }
    if (!parser.is_done()) {
      const auto expect = parser.get()[http::field::expect];
      if (boost::beast::iequals(expect, "100-continue")) {
        static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
        deadline.arm(limits_.write_deadline);
        co_await asio::async_write(stream, asio::buffer(kContinue),
                                   asio::redirect_error(asio::use_awaitable, ec));
        deadline.disarm();
        if (ec) {
          co_return;
        }
      }
      deadline.arm(limits_.body_read_deadline);
      co_await http::async_read(stream, buffer, parser,
                                asio::redirect_error(asio::use_awaitable, ec));
      deadline.disarm();
      if (ec) {
        if (deadline.expired()) {
          co_await send_refusal(stream, connection, service, Refusal::body_timeout, peer);
        } else if (ec == http::error::body_limit) {
          co_await send_refusal(stream, connection, service, Refusal::body_too_large, peer);
        } else if (is_parse_error(ec) && ec != http::error::partial_message) {
          co_await send_refusal(stream, connection, service, Refusal::bad_request, peer);
        }
        co_return;
      }
    }

    Request request = parser.release();
    events_.requests.fetch_add(1, std::memory_order_relaxed);
    if (boost::beast::websocket::is_upgrade(request)) {
      co_await serve_websocket(stream, connection, service, request, peer);
      co_return;
    }
    Response response = co_await service.handle(request, peer, nullptr);
    const bool keep_alive =
        request.keep_alive() && !draining() && served + 1 < limits_.max_requests_per_connection;
    if (!co_await respond(stream, request, response, keep_alive, deadline, peer) || !keep_alive) {
      co_return;
    }
  }
}

template <class Stream>
asio::awaitable<bool> Server::respond(Stream& stream, const Request& request, Response& response,
                                      bool keep_alive, Deadline& deadline, const Peer& peer) {
  response.keep_alive(keep_alive);
  error_code ec;
  http::response_serializer<SharedBody> serializer(response);
  deadline.arm(limits_.write_deadline);
  if (request.method() == http::verb::head || response.body().source) {
    co_await http::async_write_header(stream, serializer,
                                      asio::redirect_error(asio::use_awaitable, ec));
  } else {
    co_await http::async_write(stream, serializer, asio::redirect_error(asio::use_awaitable, ec));
  }
  deadline.disarm();
  if (!ec && request.method() != http::verb::head && response.body().source) {
    ec = co_await write_source(stream, *response.body().source, deadline);
  }
  if (ec) {
    if (deadline.expired()) {
      events_.record(Refusal::write_timeout, peer.address.to_string());
    }
    co_return false;
  }
  co_return true;
}

template <class Stream>
asio::awaitable<error_code> Server::write_source(Stream& stream, BodySource& source,
                                                 Deadline& deadline) {
  error_code ec;
  for (;;) {
    std::span<const char> piece;
    try {
      piece = co_await source.next();
    } catch (const std::exception& error) {
      // The head promised a length the body cannot keep: closing tells the client it is short.
      spdlog::error("streamed response failed: {}", error.what());
      co_return asio::error::make_error_code(asio::error::broken_pipe);
    }
    if (piece.empty()) {
      co_return ec;
    }
    // Each piece has the write deadline: a slow phone may take minutes over a big file.
    deadline.arm(limits_.write_deadline);
    co_await asio::async_write(stream, asio::buffer(piece.data(), piece.size()),
                               asio::redirect_error(asio::use_awaitable, ec));
    deadline.disarm();
    if (ec) {
      co_return ec;
    }
  }
}

}  // namespace cartable::net
