// Where the load goes: only loopback addresses, so that a mistyped URL cannot load someone else's
// server.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <string>

namespace cartable::load {

struct Target {
  boost::asio::ip::tcp::endpoint endpoint;
  std::string host;  // for the Host header
  std::string path;  // with its query
};

// Parses http://ADDRESS:PORT/path with a numeric loopback address; throws std::invalid_argument.
Target parse_target(const std::string& url);

}  // namespace cartable::load
