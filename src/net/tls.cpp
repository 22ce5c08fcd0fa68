#include "net/tls.hpp"

#include <openssl/ssl.h>

#include <stdexcept>

namespace cartable::net {

namespace ssl = boost::asio::ssl;

std::shared_ptr<ssl::context> make_tls_context(const std::string& certificate_chain_file,
                                               const std::string& private_key_file) {
  auto context = std::make_shared<ssl::context>(ssl::context::tls_server);
  SSL_CTX* native = context->native_handle();
  SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION);
  context->set_options(ssl::context::default_workarounds | ssl::context::no_compression |
                       ssl::context::single_dh_use | SSL_OP_CIPHER_SERVER_PREFERENCE |
                       SSL_OP_NO_RENEGOTIATION);
  // TLS 1.2: ECDHE with AEAD only (TLS 1.3 suites are all modern by construction).
  if (SSL_CTX_set_cipher_list(native,
                              "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
                              "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
                              "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305") != 1) {
    throw std::runtime_error("TLS: no usable cipher suite");
  }
  SSL_CTX_set_mode(native, SSL_MODE_RELEASE_BUFFERS);
  // Tickets carry resumption state, so resuming needs no shared server-side cache across threads.
  SSL_CTX_set_session_cache_mode(native, SSL_SESS_CACHE_OFF);
  SSL_CTX_set_num_tickets(native, 2);
  boost::system::error_code ec;
  context->use_certificate_chain_file(certificate_chain_file, ec);
  if (ec) {
    throw std::runtime_error("TLS: cannot use certificate chain " + certificate_chain_file + ": " +
                             ec.message());
  }
  context->use_private_key_file(private_key_file, ssl::context::pem, ec);
  if (ec) {
    throw std::runtime_error("TLS: cannot use private key " + private_key_file + ": " +
                             ec.message());
  }
  if (SSL_CTX_check_private_key(native) != 1) {
    throw std::runtime_error("TLS: the private key does not match the certificate");
  }
  return context;
}

}  // namespace cartable::net
