#include "target.hpp"

#include <boost/url/parse.hpp>
#include <stdexcept>

namespace cartable::load {

Target parse_target(const std::string& url) {
  const auto parsed = boost::urls::parse_uri(url);
  if (!parsed || parsed->scheme() != "http") {
    throw std::invalid_argument(url + ": expected http://ADDRESS:PORT/path");
  }
  std::string host(parsed->encoded_host());
  if (host.size() > 2 && host.front() == '[') {
    host = host.substr(1, host.size() - 2);
  }
  boost::system::error_code ec;
  const auto address = boost::asio::ip::make_address(host, ec);
  if (ec || !address.is_loopback()) {
    throw std::invalid_argument(url +
                                ": cartable-load only targets loopback addresses "
                                "(127.0.0.0/8, ::1)");
  }
  const auto port = static_cast<unsigned short>(parsed->has_port() ? parsed->port_number() : 80);
  std::string path(parsed->encoded_path());
  if (path.empty()) {
    path = "/";
  }
  if (parsed->has_query()) {
    path += "?" + std::string(parsed->encoded_query());
  }
  return {{address, port}, std::string(parsed->encoded_authority()), path};
}

}  // namespace cartable::load
