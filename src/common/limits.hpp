// Every limit of the server in one place, each with its unit and default. Each one is mirrored by a
// command-line flag (see app/config.cpp), documented in docs/operations.md and, when exceeded,
// answered with the status named here, logged once per minute and counted in /metrics.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>

#include "common/queue_discipline.hpp"

namespace cartable {

using namespace std::chrono_literals;

// WebSocket message size, send queue (a slower consumer is dropped) and idle timeout (pings).
struct WebSocketLimits {
  std::size_t max_message_bytes = 16 * 1024;  // larger: the connection is closed
  std::size_t send_queue_messages = 512;      // more waiting: a slow consumer, dropped
  std::chrono::seconds idle_timeout{30};      // pings keep a live peer; a dead one is dropped
};

struct Limits {
  // Request line plus headers. Exceeding it: 431.
  std::size_t max_header_bytes = 8 * 1024;
  // The largest request body held in memory (JSON); each route sets its own, at most this.
  // Streamed uploads are bounded by their route alone (files::FileLimits). Exceeding: 413.
  std::size_t max_body_bytes = 256 * 1024;
  // From the first byte of a request to its last header byte, however slowly the bytes trickle in
  // (a per-read timeout would let a slowloris client hold the connection forever). Exceeding: 408.
  std::chrono::milliseconds request_head_deadline = 10s;
  // From the end of the head to the last body byte. Exceeding: 408.
  std::chrono::milliseconds body_read_deadline = 30s;
  // A keep-alive connection with no request in flight is closed after this long.
  std::chrono::milliseconds idle_timeout = 60s;
  // Writing a response must finish within this long, or the connection is dropped.
  std::chrono::milliseconds write_deadline = 30s;
  // TLS handshake must finish within this long, or the connection is dropped.
  std::chrono::milliseconds tls_handshake_deadline = 10s;
  // Open connections in total (the process may open 20,000 files; leave room for the database and
  // blobs). Beyond it new connections get a minimal 503 and are closed.
  std::size_t max_connections = 16'000;
  // Open connections from one address. Generous: a whole school sits behind one NAT address.
  std::size_t max_connections_per_ip = 2'000;
  // Requests served on one keep-alive connection before it is closed (spreads load across threads).
  std::size_t max_requests_per_connection = 10'000;
  // Waiting jobs in the password hashing pool; a full queue answers 503 with Retry-After.
  std::size_t hash_queue_capacity = 256;
  // Waiting jobs in the database pool; a full queue answers 503 with Retry-After.
  std::size_t db_queue_capacity = 4'096;
  // How the pools serve a standing queue (see common/work_pool.hpp): newest first once the oldest
  // job has waited `lifo_after`; a job that waited `max_wait` is not run (503). A password check
  // costs ~36 ms, so the hash pool's queue stands sooner; five seconds is a pupil's patience.
  QueueDiscipline hash_discipline{std::chrono::milliseconds(200), std::chrono::seconds(5)};
  QueueDiscipline db_discipline{std::chrono::milliseconds(20), std::chrono::seconds(3)};
  WebSocketLimits websocket;
  // On SIGTERM/SIGINT, in-flight requests get this long to finish before the process exits.
  std::chrono::milliseconds drain_timeout = 20s;
};

}  // namespace cartable
