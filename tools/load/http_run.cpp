#include "http_run.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <deque>
#include <optional>

#include "target.hpp"

namespace cartable::load {

namespace {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

class Connection;

struct Run {
  Target target;
  http::request<http::empty_body> request;
  Clock::time_point end;
  HttpRunResult result;
  // Open loop: connections waiting for the next due request, and how many are sending.
  std::deque<std::unique_ptr<Connection>> idle;
  std::size_t busy = 0;
};

// One keep-alive connection; reconnects after a failure (counted).
class Connection {
 public:
  explicit Connection(asio::any_io_executor executor) : socket_(executor) {}

  // Sends one request; the status, or nullopt on a connection error.
  asio::awaitable<std::optional<int>> exchange(Run& run) {
    boost::system::error_code ec;
    if (!socket_.is_open()) {
      co_await socket_.async_connect(run.target.endpoint,
                                     asio::redirect_error(asio::use_awaitable, ec));
      if (ec) {
        socket_.close(ec);
        co_return std::nullopt;
      }
      socket_.set_option(tcp::no_delay(true));
    }
    co_await http::async_write(socket_, run.request, asio::redirect_error(asio::use_awaitable, ec));
    if (!ec) {
      http::response_parser<http::string_body> parser;
      parser.body_limit(64 * 1024 * 1024);
      co_await http::async_read(socket_, buffer_, parser,
                                asio::redirect_error(asio::use_awaitable, ec));
      if (!ec) {
        if (!parser.get().keep_alive()) {
          socket_.close(ec);
        }
        co_return parser.get().result_int();
      }
    }
    socket_.close(ec);
    buffer_.clear();
    co_return std::nullopt;
  }

 private:
  tcp::socket socket_;
  boost::beast::flat_buffer buffer_;
};

void count(Run& run, std::optional<int> status, Clock::duration latency) {
  ++run.result.requests;
  if (status) {
    ++run.result.statuses[*status];
    run.result.latency.record(latency);
  } else {
    ++run.result.connection_errors;
  }
}

asio::awaitable<void> closed_loop(Run& run) {
  Connection connection(co_await asio::this_coro::executor);
  while (Clock::now() < run.end) {
    const auto sent = Clock::now();
    const std::optional<int> status = co_await connection.exchange(run);
    count(run, status, Clock::now() - sent);
  }
}

asio::awaitable<void> send_due(Run& run, std::unique_ptr<Connection> connection,
                               Clock::time_point due) {
  const std::optional<int> status = co_await connection->exchange(run);
  count(run, status, Clock::now() - due);
  run.idle.push_back(std::move(connection));
  --run.busy;
}

// Open loop: requests are due every 1/rate; each goes out on an idle connection (at most
// `concurrency` of them), its latency counted from when it was due.
asio::awaitable<void> open_loop(Run& run, double rate, std::size_t concurrency) {
  auto executor = co_await asio::this_coro::executor;
  asio::steady_timer timer(executor);
  const auto interval =
      std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(1.0 / rate));
  auto due = Clock::now();
  while (due < run.end) {
    timer.expires_at(due);
    boost::system::error_code ec;
    co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    if (run.busy >= concurrency) {
      ++run.result.late;  // every connection busy: the request waits for one, as a client would
      due += interval;
      continue;
    }
    std::unique_ptr<Connection> connection;
    if (run.idle.empty()) {
      connection = std::make_unique<Connection>(executor);
    } else {
      connection = std::move(run.idle.front());
      run.idle.pop_front();
    }
    ++run.busy;
    asio::co_spawn(executor, send_due(run, std::move(connection), due), asio::detached);
    due += interval;
  }
}

}  // namespace

HttpRunResult run_http(const HttpRunOptions& options) {
  Run run;
  run.target = parse_target(options.url);
  run.request = {http::verb::get, run.target.path, 11};
  run.request.set(http::field::host, run.target.host);
  run.request.set(http::field::user_agent, "cartable-load");
  for (const std::string& header : options.headers) {
    const std::size_t colon = header.find(':');
    if (colon == std::string::npos) {
      throw std::invalid_argument("--header " + header + ": expected 'Name: value'");
    }
    std::string value = header.substr(colon + 1);
    value.erase(0, value.find_first_not_of(' '));
    run.request.set(header.substr(0, colon), value);
  }
  asio::io_context context(1);
  const auto started = Clock::now();
  run.end = started + options.duration;
  if (options.rate > 0) {
    asio::co_spawn(context, open_loop(run, options.rate, options.concurrency), asio::detached);
  } else {
    for (std::size_t i = 0; i < options.concurrency; ++i) {
      asio::co_spawn(context, closed_loop(run), asio::detached);
    }
  }
  context.run();
  run.idle.clear();  // their sockets belong to the context: close them while it lives
  run.result.seconds = std::chrono::duration<double>(Clock::now() - started).count();
  return run.result;
}

}  // namespace cartable::load
