#include "common/etag.hpp"

#include <sodium.h>

namespace cartable {

std::string entity_tag(std::string_view body) {
  unsigned char digest[16];
  crypto_generichash(digest, sizeof digest, reinterpret_cast<const unsigned char*>(body.data()),
                     body.size(), nullptr, 0);
  char hex[sizeof digest * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return std::string("\"") + hex + "\"";
}

}  // namespace cartable
