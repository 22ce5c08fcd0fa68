// The one TLS context of the process, built at start-up and shared by every I/O thread.
#pragma once

#include <boost/asio/ssl/context.hpp>
#include <memory>
#include <string>

namespace cartable::net {

// TLS 1.2 and 1.3 only, forward-secret AEAD suites, server cipher preference, session tickets on
// (a returning browser resumes without a full handshake), buffers of idle connections released.
// Throws std::runtime_error naming the file when the certificate chain or key cannot be used.
std::shared_ptr<boost::asio::ssl::context> make_tls_context(
    const std::string& certificate_chain_file, const std::string& private_key_file);

}  // namespace cartable::net
