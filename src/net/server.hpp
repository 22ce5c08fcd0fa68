// The network layer: one io_context per I/O thread, each with its own acceptor on every listening
// address (SO_REUSEPORT), so no lock sits on the request path. A connection lives on the thread
// that accepted it: optional TLS handshake, then HTTP/1.1 keep-alive requests read under the limits
// of common/limits.hpp and answered by an HttpService.
#pragma once

#include <atomic>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <memory>
#include <thread>
#include <unordered_set>
#include <vector>

#include "common/limits.hpp"
#include "net/connection_caps.hpp"
#include "net/events.hpp"
#include "net/http_service.hpp"

namespace cartable::net {

struct ListenerSpec {
  boost::asio::ip::tcp::endpoint endpoint;  // port 0 picks a free port
  HttpService* service = nullptr;
  bool tls = false;
};

class Server {
 public:
  // `tls_context` is required when any listener has tls = true; it is shared by every thread.
  Server(std::vector<ListenerSpec> listeners, std::size_t io_threads, const Limits& limits,
         std::shared_ptr<boost::asio::ssl::context> tls_context, NetEvents& events);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds every listener on every thread. Throws boost::system::system_error on a bind failure.
  void bind();
  // The bound address of each listener, in the order given (ports resolved when 0 was asked).
  std::vector<boost::asio::ip::tcp::endpoint> endpoints() const;

  // Runs the I/O threads. Returns after drain() once in-flight requests have finished, or after
  // the drain timeout. SIGTERM and SIGINT call drain().
  void run();
  // Stops accepting, closes idle keep-alive connections and lets in-flight requests finish (their
  // responses carry Connection: close). Thread-safe; idempotent.
  void drain();

  // One executor per I/O thread (admission control measures their event loops' lag).
  std::vector<boost::asio::any_io_executor> executors();

  bool draining() const { return draining_.load(std::memory_order_relaxed); }
  std::size_t open_connections() const { return caps_.open(); }

 private:
  struct Connection;
  struct IoThread;
  struct LinkRegistration;
  class Deadline;
  template <class Stream>
  class StreamedRequestBody;

  boost::asio::awaitable<void> accept_loop(IoThread& thread, std::size_t listener_index);
  boost::asio::awaitable<void> serve_connection(boost::asio::ip::tcp::socket socket,
                                                boost::asio::ip::address address, IoThread& thread,
                                                std::size_t listener_index);
  template <class Stream>
  boost::asio::awaitable<void> serve_requests(Stream& stream, Connection& connection,
                                              HttpService& service, const Peer& peer);
  template <class Stream>
  boost::asio::awaitable<void> serve_websocket(Stream& stream, Connection& connection,
                                               HttpService& service, Request& request,
                                               const Peer& peer);
  // Writes a response (a streamed body piece by piece); false when the connection must close.
  template <class Stream>
  boost::asio::awaitable<bool> respond(Stream& stream, const Request& request, Response& response,
                                       bool keep_alive, Deadline& deadline, const Peer& peer);
  template <class Stream>
  boost::asio::awaitable<boost::system::error_code> write_source(Stream& stream, BodySource& source,
                                                                 Deadline& deadline);
  // After answering a request whose body is still coming: lets the client finish sending.
  template <class Stream>
  boost::asio::awaitable<void> discard_unread(Stream& stream, boost::asio::ip::tcp::socket& socket);
  template <class Stream>
  boost::asio::awaitable<void> send_refusal(Stream& stream, Connection& connection,
                                            HttpService& service, Refusal refusal,
                                            const Peer& peer);
  boost::asio::awaitable<void> refuse_connection(boost::asio::ip::tcp::socket socket,
                                                 HttpService& service);
  void close_idle_connections(IoThread& thread);

  std::vector<ListenerSpec> listeners_;
  Limits limits_;
  std::shared_ptr<boost::asio::ssl::context> tls_context_;
  NetEvents& events_;
  ConnectionCaps caps_;
  std::vector<std::unique_ptr<IoThread>> threads_;
  std::atomic<bool> draining_{false};
};

}  // namespace cartable::net
