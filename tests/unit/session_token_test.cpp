#include "guard/session_token.hpp"

#include <gtest/gtest.h>
#include <sodium.h>
#include <stdlib.h>

#include <array>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace cartable::guard {
namespace {

namespace fs = std::filesystem;

constexpr std::int64_t kNow = 1'790'000'000;  // 2026-09-21
constexpr std::int64_t kHour = 3600;

SessionKey make_key(std::uint32_t id, unsigned char fill, std::int64_t created_at = kNow) {
  SessionKey key;
  key.id = id;
  key.created_at = created_at;
  for (std::size_t i = 0; i < key.secret.size(); ++i) {
    key.secret[i] = static_cast<unsigned char>(fill + i);
  }
  return key;
}

SessionClaims sample_claims() {
  SessionClaims claims;
  claims.user_id = 0x0102030405060708;
  claims.role = Role::teacher;
  claims.school_id = 42;
  for (std::size_t i = 0; i < claims.session_id.size(); ++i) {
    claims.session_id[i] = static_cast<unsigned char>(0xA0 + i);
  }
  claims.issued_at = kNow - 60;
  claims.expires_at = kNow + kHour;
  claims.remember = true;
  return claims;
}

void expect_same_claims(const SessionClaims& actual, const SessionClaims& expected) {
  EXPECT_EQ(actual.user_id, expected.user_id);
  EXPECT_EQ(actual.role, expected.role);
  EXPECT_EQ(actual.school_id, expected.school_id);
  EXPECT_EQ(actual.session_id, expected.session_id);
  EXPECT_EQ(actual.issued_at, expected.issued_at);
  EXPECT_EQ(actual.expires_at, expected.expires_at);
  EXPECT_EQ(actual.remember, expected.remember);
  EXPECT_EQ(actual.key_id, expected.key_id);
}

class SessionTokenTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { ASSERT_GE(sodium_init(), 0); }

  const SessionKeys keys_{{make_key(1, 0x10)}};
};

TEST_F(SessionTokenTest, RoundTripKeepsEveryClaim) {
  for (const Role role : {Role::pupil, Role::teacher, Role::parent, Role::staff, Role::admin}) {
    for (const bool remember : {false, true}) {
      SessionClaims claims = sample_claims();
      claims.role = role;
      claims.remember = remember;
      claims.key_id = 1;
      const std::string token = encode_session_token(claims, keys_);
      const auto decoded = decode_session_token(token, keys_, kNow);
      ASSERT_TRUE(decoded.has_value()) << token;
      expect_same_claims(*decoded, claims);
    }
  }
}

TEST_F(SessionTokenTest, RoundTripOfExtremeValues) {
  SessionClaims claims = sample_claims();
  claims.user_id = INT64_MAX;
  claims.school_id = -1;
  claims.session_id.fill(0xFF);
  claims.issued_at = INT64_MIN;
  claims.expires_at = INT64_MAX;
  claims.key_id = 1;
  const auto decoded = decode_session_token(encode_session_token(claims, keys_), keys_, kNow);
  ASSERT_TRUE(decoded.has_value());
  expect_same_claims(*decoded, claims);
}

TEST_F(SessionTokenTest, ShapeAndSigningKeyId) {
  SessionClaims claims = sample_claims();
  claims.key_id = 99;  // ignored: the signing key's id is written
  const std::string token = encode_session_token(claims, keys_);
  EXPECT_EQ(token.substr(0, 3), "v1.");
  // 55 bytes of claims -> 74 base64url characters, 32 bytes of MAC -> 43.
  EXPECT_EQ(token.size(), 3u + 74u + 1u + 43u);
  EXPECT_EQ(token.find_first_not_of(
                "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.", 3),
            std::string::npos);
  const auto decoded = decode_session_token(token, keys_, kNow);
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(decoded->key_id, 1u);
}

TEST_F(SessionTokenTest, EncodingIsDeterministic) {
  const SessionClaims claims = sample_claims();
  EXPECT_EQ(encode_session_token(claims, keys_), encode_session_token(claims, keys_));
  SessionClaims other = claims;
  other.user_id += 1;
  EXPECT_NE(encode_session_token(claims, keys_), encode_session_token(other, keys_));
}

// Replaces each byte of `token` in turn by every value in [first, last] but its own and returns
// the replacements that still decode, as "position:value".
std::vector<std::string> accepted_single_byte_changes(const std::string& token,
                                                      const SessionKeys& keys, int first,
                                                      int last) {
  std::vector<std::string> accepted;
  for (std::size_t position = 0; position < token.size(); ++position) {
    for (int value = first; value <= last; ++value) {
      if (static_cast<unsigned char>(token[position]) == value) {
        continue;
      }
      std::string tampered = token;
      tampered[position] = static_cast<char>(value);
      if (decode_session_token(tampered, keys, kNow).has_value()) {
        accepted.push_back(std::to_string(position) + ":" + std::to_string(value));
      }
    }
  }
  return accepted;
}

TEST_F(SessionTokenTest, EverySingleByteChangeToAsciiIsRefused) {
  const std::string token = encode_session_token(sample_claims(), keys_);
  ASSERT_TRUE(decode_session_token(token, keys_, kNow).has_value());
  EXPECT_EQ(accepted_single_byte_changes(token, keys_, 0, 127), std::vector<std::string>{});
}

// libsodium 1.0.18's base64 decoder reads every byte 0x80..0xFF as the digit 63 (the '_' of
// base64url), so a token with a '_' stays valid when that '_' is replaced by any of them. Enable
// once decode_session_token checks the alphabet itself.
TEST_F(SessionTokenTest, EverySingleByteChangeToNonAsciiIsRefused) {
  SessionClaims claims = sample_claims();
  std::string token = encode_session_token(claims, keys_);
  while (token.find('_') == std::string::npos) {
    ++claims.user_id;
    token = encode_session_token(claims, keys_);
  }
  EXPECT_EQ(accepted_single_byte_changes(token, keys_, 128, 255), std::vector<std::string>{});
}

TEST_F(SessionTokenTest, EveryDeletedOrInsertedByteIsRefused) {
  const std::string token = encode_session_token(sample_claims(), keys_);
  for (std::size_t position = 0; position < token.size(); ++position) {
    std::string shorter = token;
    shorter.erase(position, 1);
    EXPECT_FALSE(decode_session_token(shorter, keys_, kNow).has_value()) << position;
    std::string longer = token;
    longer.insert(position, 1, 'A');
    EXPECT_FALSE(decode_session_token(longer, keys_, kNow).has_value()) << position;
  }
}

TEST_F(SessionTokenTest, MalformedTokensAreRefused) {
  const std::string token = encode_session_token(sample_claims(), keys_);
  const std::string body = token.substr(2);  // ".<claims>.<mac>"
  EXPECT_FALSE(decode_session_token("v2" + body, keys_, kNow).has_value());
  EXPECT_FALSE(decode_session_token("V1" + body, keys_, kNow).has_value());
  EXPECT_FALSE(decode_session_token("v" + body, keys_, kNow).has_value());
  EXPECT_FALSE(decode_session_token(body, keys_, kNow).has_value());
  EXPECT_FALSE(decode_session_token("v10" + body, keys_, kNow).has_value());
  EXPECT_FALSE(decode_session_token("", keys_, kNow).has_value());
  EXPECT_FALSE(decode_session_token("v1", keys_, kNow).has_value());
  EXPECT_FALSE(decode_session_token("v1.", keys_, kNow).has_value());
  EXPECT_FALSE(decode_session_token("v1..", keys_, kNow).has_value());

  // Standard base64 alphabet or padding instead of base64url.
  const std::size_t second_dot = token.rfind('.');
  std::string padded = token + "=";
  EXPECT_FALSE(decode_session_token(padded, keys_, kNow).has_value());
  std::string plus = token;
  plus[second_dot + 1] = '+';
  EXPECT_FALSE(decode_session_token(plus, keys_, kNow).has_value());
  std::string slash = token;
  slash[5] = '/';
  EXPECT_FALSE(decode_session_token(slash, keys_, kNow).has_value());
  // The two parts swapped.
  const std::string claims_part = token.substr(3, second_dot - 3);
  const std::string mac_part = token.substr(second_dot + 1);
  EXPECT_FALSE(decode_session_token("v1." + mac_part + "." + claims_part, keys_, kNow).has_value());
  // A third part.
  EXPECT_FALSE(decode_session_token(token + ".AAAA", keys_, kNow).has_value());
  // Surrounding whitespace is not trimmed.
  EXPECT_FALSE(decode_session_token(" " + token, keys_, kNow).has_value());
  EXPECT_FALSE(decode_session_token(token + "\n", keys_, kNow).has_value());
}

TEST_F(SessionTokenTest, EveryTruncationIsRefused) {
  const std::string token = encode_session_token(sample_claims(), keys_);
  for (std::size_t size = 0; size < token.size(); ++size) {
    EXPECT_FALSE(decode_session_token(token.substr(0, size), keys_, kNow).has_value()) << size;
  }
}

TEST_F(SessionTokenTest, OverLongTokensAreRefused) {
  const std::string token = encode_session_token(sample_claims(), keys_);
  ASSERT_LE(token.size(), 256u);
  EXPECT_FALSE(
      decode_session_token(token + std::string(257 - token.size(), 'A'), keys_, kNow).has_value());
  EXPECT_FALSE(decode_session_token(std::string(257, 'v'), keys_, kNow).has_value());
  EXPECT_FALSE(
      decode_session_token("v1." + std::string(1'000'000, 'A') + ".AAAA", keys_, kNow).has_value());
}

TEST_F(SessionTokenTest, UnknownKeyIdIsRefused) {
  // Same secret under another id: only the id differs, so only the id lookup can refuse it.
  const SessionKeys same_secret_other_id({make_key(2, 0x10)});
  const std::string token = encode_session_token(sample_claims(), keys_);
  EXPECT_FALSE(decode_session_token(token, same_secret_other_id, kNow).has_value());
  // And the other way round.
  const std::string token2 = encode_session_token(sample_claims(), same_secret_other_id);
  EXPECT_FALSE(decode_session_token(token2, keys_, kNow).has_value());
  EXPECT_TRUE(decode_session_token(token2, same_secret_other_id, kNow).has_value());
}

TEST_F(SessionTokenTest, SameIdOtherSecretIsRefused) {
  const SessionKeys other_secret({make_key(1, 0x77)});
  const std::string token = encode_session_token(sample_claims(), keys_);
  EXPECT_FALSE(decode_session_token(token, other_secret, kNow).has_value());
}

TEST_F(SessionTokenTest, ExpiryIsExclusive) {
  SessionClaims claims = sample_claims();
  claims.expires_at = kNow + 1;
  const std::string token = encode_session_token(claims, keys_);
  EXPECT_TRUE(decode_session_token(token, keys_, kNow).has_value());
  EXPECT_FALSE(decode_session_token(token, keys_, kNow + 1).has_value());
  EXPECT_FALSE(decode_session_token(token, keys_, kNow + 2).has_value());
  EXPECT_FALSE(decode_session_token(token, keys_, kNow + 365 * 24 * kHour).has_value());

  claims.expires_at = kNow;
  EXPECT_FALSE(decode_session_token(encode_session_token(claims, keys_), keys_, kNow).has_value());
  claims.expires_at = kNow - kHour;
  EXPECT_FALSE(decode_session_token(encode_session_token(claims, keys_), keys_, kNow).has_value());
}

TEST_F(SessionTokenTest, IssuedInTheFutureBeyondFiveMinutesIsRefused) {
  SessionClaims claims = sample_claims();
  claims.expires_at = kNow + 2 * kHour;
  claims.issued_at = kNow + 300;  // clock skew tolerated
  EXPECT_TRUE(decode_session_token(encode_session_token(claims, keys_), keys_, kNow).has_value());
  claims.issued_at = kNow + 301;
  EXPECT_FALSE(decode_session_token(encode_session_token(claims, keys_), keys_, kNow).has_value());
  claims.issued_at = kNow + kHour;
  const std::string token = encode_session_token(claims, keys_);
  EXPECT_FALSE(decode_session_token(token, keys_, kNow).has_value());
  // The same token becomes acceptable once the clock catches up.
  EXPECT_TRUE(decode_session_token(token, keys_, kNow + kHour - 300).has_value());
}

// Tokens whose MAC is right but whose claims bytes are out of range: the layout is
//   version(1) key id(4) user(8) school(8) role(1) flags(1) issued(8) expires(8) session id(16),
// integers little-endian.
class CraftedTokenTest : public SessionTokenTest {
 protected:
  static constexpr std::size_t kRoleOffset = 1 + 4 + 8 + 8;
  static constexpr std::size_t kFlagsOffset = kRoleOffset + 1;

  std::vector<unsigned char> valid_bytes() const {
    const std::string token = encode_session_token(sample_claims(), keys_);
    const std::string claims_part = token.substr(3, token.rfind('.') - 3);
    std::vector<unsigned char> bytes(55);
    std::size_t written = 0;
    EXPECT_EQ(
        sodium_base642bin(bytes.data(), bytes.size(), claims_part.data(), claims_part.size(),
                          nullptr, &written, nullptr, sodium_base64_VARIANT_URLSAFE_NO_PADDING),
        0);
    EXPECT_EQ(written, 55u);
    return bytes;
  }

  std::string sign(const std::vector<unsigned char>& bytes) const {
    std::array<unsigned char, crypto_auth_hmacsha256_BYTES> mac{};
    crypto_auth_hmacsha256(mac.data(), bytes.data(), bytes.size(), keys_.signing().secret.data());
    return "v1." + base64url(bytes.data(), bytes.size()) + "." + base64url(mac.data(), mac.size());
  }

  static std::string base64url(const unsigned char* data, std::size_t size) {
    std::string text(sodium_base64_ENCODED_LEN(size, sodium_base64_VARIANT_URLSAFE_NO_PADDING),
                     '\0');
    sodium_bin2base64(text.data(), text.size(), data, size,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    text.resize(text.find('\0'));
    return text;
  }
};

TEST_F(CraftedTokenTest, ReSignedValidBytesAreAccepted) {
  const std::vector<unsigned char> bytes = valid_bytes();
  EXPECT_EQ(bytes[0], 1);             // format version
  EXPECT_EQ(bytes[1], 1);             // key id, little-endian
  EXPECT_EQ(bytes[5], 0x08);          // user id, little-endian
  EXPECT_EQ(bytes[kRoleOffset], 1);   // Role::teacher
  EXPECT_EQ(bytes[kFlagsOffset], 1);  // remember
  EXPECT_EQ(sign(bytes), encode_session_token(sample_claims(), keys_));
}

TEST_F(CraftedTokenTest, OutOfRangeFieldsAreRefusedDespiteAGoodMac) {
  const std::vector<unsigned char> valid = valid_bytes();
  ASSERT_TRUE(decode_session_token(sign(valid), keys_, kNow).has_value());

  std::vector<unsigned char> bytes = valid;
  bytes[0] = 2;  // unknown claims format
  EXPECT_FALSE(decode_session_token(sign(bytes), keys_, kNow).has_value());

  bytes = valid;
  bytes[kRoleOffset] = static_cast<unsigned char>(Role::admin);
  EXPECT_TRUE(decode_session_token(sign(bytes), keys_, kNow).has_value());
  bytes[kRoleOffset] = static_cast<unsigned char>(Role::admin) + 1;
  EXPECT_FALSE(decode_session_token(sign(bytes), keys_, kNow).has_value());
  bytes[kRoleOffset] = 0xFF;
  EXPECT_FALSE(decode_session_token(sign(bytes), keys_, kNow).has_value());

  bytes = valid;
  bytes[kFlagsOffset] = 0;
  EXPECT_TRUE(decode_session_token(sign(bytes), keys_, kNow).has_value());
  bytes[kFlagsOffset] = 2;
  EXPECT_FALSE(decode_session_token(sign(bytes), keys_, kNow).has_value());
}

TEST_F(SessionTokenTest, KeyRotationKeepsOldTokensValidWhileTheKeyIsKept) {
  const SessionKeys only_first({make_key(1, 0x10)});
  const SessionKeys both({make_key(1, 0x10), make_key(2, 0x50)});
  const SessionKeys only_second({make_key(2, 0x50)});
  EXPECT_EQ(both.signing().id, 2u);

  const SessionClaims claims = sample_claims();
  const std::string old_token = encode_session_token(claims, only_first);
  const auto under_both = decode_session_token(old_token, both, kNow);
  ASSERT_TRUE(under_both.has_value());
  EXPECT_EQ(under_both->key_id, 1u);
  EXPECT_EQ(under_both->user_id, claims.user_id);
  EXPECT_FALSE(decode_session_token(old_token, only_second, kNow).has_value());

  const std::string new_token = encode_session_token(claims, both);
  EXPECT_NE(new_token, old_token);
  const auto renewed = decode_session_token(new_token, only_second, kNow);
  ASSERT_TRUE(renewed.has_value());
  EXPECT_EQ(renewed->key_id, 2u);
  EXPECT_FALSE(decode_session_token(new_token, only_first, kNow).has_value());
}

TEST_F(SessionTokenTest, CsrfTokenDependsOnTheSessionId) {
  SessionClaims first = sample_claims();
  SessionClaims second = first;
  second.session_id[15] ^= 1;
  const std::string a = csrf_token(first, keys_);
  const std::string b = csrf_token(second, keys_);
  EXPECT_FALSE(a.empty());
  EXPECT_EQ(a.size(), 24u);  // 18 bytes of MAC in base64url
  EXPECT_NE(a, b);
  EXPECT_EQ(a, csrf_token(first, keys_));

  // Other claims of the same session (a renewed token) keep the CSRF token.
  SessionClaims renewed = first;
  renewed.issued_at += kHour;
  renewed.expires_at += kHour;
  EXPECT_EQ(csrf_token(renewed, keys_), a);

  EXPECT_TRUE(csrf_token_matches(a, first, keys_));
  EXPECT_FALSE(csrf_token_matches(a, second, keys_));
  EXPECT_FALSE(csrf_token_matches(b, first, keys_));
}

TEST_F(SessionTokenTest, CsrfTokenMatchesUnderAnyCurrentKeyOnly) {
  const SessionKeys only_first({make_key(1, 0x10)});
  const SessionKeys both({make_key(1, 0x10), make_key(2, 0x50)});
  const SessionKeys only_second({make_key(2, 0x50)});
  const SessionClaims claims = sample_claims();
  const std::string under_first = csrf_token(claims, only_first);
  const std::string under_second = csrf_token(claims, both);
  EXPECT_NE(under_first, under_second);
  EXPECT_EQ(under_second, csrf_token(claims, only_second));

  EXPECT_TRUE(csrf_token_matches(under_first, claims, both));
  EXPECT_TRUE(csrf_token_matches(under_second, claims, both));
  EXPECT_TRUE(csrf_token_matches(under_first, claims, only_first));
  EXPECT_FALSE(csrf_token_matches(under_second, claims, only_first));
  EXPECT_FALSE(csrf_token_matches(under_first, claims, only_second));
}

TEST_F(SessionTokenTest, CsrfTokenRefusesNearMisses) {
  const SessionClaims claims = sample_claims();
  const std::string token = csrf_token(claims, keys_);
  EXPECT_FALSE(csrf_token_matches("", claims, keys_));
  EXPECT_FALSE(csrf_token_matches(token.substr(0, token.size() - 1), claims, keys_));
  EXPECT_FALSE(csrf_token_matches(token + "A", claims, keys_));
  EXPECT_FALSE(csrf_token_matches(token + '\0', claims, keys_));
  for (std::size_t position = 0; position < token.size(); ++position) {
    std::string changed = token;
    changed[position] = changed[position] == 'A' ? 'B' : 'A';
    EXPECT_FALSE(csrf_token_matches(changed, claims, keys_)) << position;
  }
  // The session token is not a CSRF token.
  EXPECT_FALSE(csrf_token_matches(encode_session_token(claims, keys_), claims, keys_));
}

TEST(SessionIds, HexAndRandomness) {
  SessionId id{};
  for (std::size_t i = 0; i < id.size(); ++i) {
    id[i] = static_cast<unsigned char>(i * 17);
  }
  EXPECT_EQ(session_id_hex(id), "00112233445566778899aabbccddeeff");
  ASSERT_GE(sodium_init(), 0);
  const SessionId a = random_session_id();
  const SessionId b = random_session_id();
  EXPECT_NE(a, b);
  EXPECT_EQ(session_id_hex(a).size(), 32u);
}

// A fresh directory under the system temporary directory, removed with everything in it.
class TemporaryDirectory {
 public:
  TemporaryDirectory() {
    std::string pattern = (fs::temp_directory_path() / "cartable-keys-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) {
      throw std::runtime_error("mkdtemp failed");
    }
    path_ = pattern;
  }
  ~TemporaryDirectory() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  TemporaryDirectory(const TemporaryDirectory&) = delete;
  TemporaryDirectory& operator=(const TemporaryDirectory&) = delete;

  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

void write_file(const fs::path& file, const std::string& text) {
  std::ofstream out(file, std::ios::trunc);
  out << text;
}

std::vector<std::uint32_t> ids_of(const SessionKeys& keys) {
  std::vector<std::uint32_t> ids;
  for (const SessionKey& key : keys.all()) {
    ids.push_back(key.id);
  }
  return ids;
}

class SessionKeysTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { ASSERT_GE(sodium_init(), 0); }

  TemporaryDirectory directory_;
  fs::path file_ = directory_.path() / "session.keys";
};

TEST_F(SessionKeysTest, AtLeastOneKeyIsNeeded) {
  EXPECT_THROW(SessionKeys(std::vector<SessionKey>{}), std::invalid_argument);
}

TEST_F(SessionKeysTest, FindAndSigning) {
  const SessionKeys keys({make_key(3, 1), make_key(7, 2)});
  EXPECT_EQ(keys.signing().id, 7u);
  ASSERT_NE(keys.find(3), nullptr);
  EXPECT_EQ(keys.find(3)->secret, make_key(3, 1).secret);
  EXPECT_EQ(keys.find(5), nullptr);
  EXPECT_EQ(keys.all().size(), 2u);
}

TEST_F(SessionKeysTest, LoadOrCreateMakesAPrivateFileAndReloadsTheSameKeys) {
  ASSERT_FALSE(fs::exists(file_));
  const SessionKeys created = SessionKeys::load_or_create(file_, kNow);
  ASSERT_TRUE(fs::exists(file_));
  EXPECT_EQ(fs::status(file_).permissions() & fs::perms::all,
            fs::perms::owner_read | fs::perms::owner_write);
  EXPECT_FALSE(fs::exists(file_.string() + ".tmp"));
  ASSERT_EQ(created.all().size(), 1u);
  EXPECT_EQ(created.signing().id, 1u);
  EXPECT_EQ(created.signing().created_at, kNow);
  EXPECT_NE(created.signing().secret, (std::array<unsigned char, 32>{}));

  const SessionKeys reloaded = SessionKeys::load_or_create(file_, kNow + kHour);
  ASSERT_EQ(reloaded.all().size(), 1u);
  EXPECT_EQ(reloaded.signing().id, 1u);
  EXPECT_EQ(reloaded.signing().created_at, kNow);
  EXPECT_EQ(reloaded.signing().secret, created.signing().secret);

  // Tokens made before the restart verify after it.
  const std::string token = encode_session_token(sample_claims(), created);
  EXPECT_TRUE(decode_session_token(token, reloaded, kNow).has_value());

  // Another file gets another secret.
  const SessionKeys elsewhere = SessionKeys::load_or_create(directory_.path() / "other", kNow);
  EXPECT_NE(elsewhere.signing().secret, created.signing().secret);
}

TEST_F(SessionKeysTest, ReadsCommentsAndBlankLines) {
  const SessionKey key = make_key(4, 0x30, 1234);
  std::string secret(sodium_base64_ENCODED_LEN(32, sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
  sodium_bin2base64(secret.data(), secret.size(), key.secret.data(), key.secret.size(),
                    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  secret.resize(secret.find('\0'));
  write_file(file_, "# comment\n\n4 1234 " + secret + "\n");
  const SessionKeys keys = SessionKeys::load_or_create(file_, kNow);
  ASSERT_EQ(keys.all().size(), 1u);
  EXPECT_EQ(keys.signing().id, 4u);
  EXPECT_EQ(keys.signing().created_at, 1234);
  EXPECT_EQ(keys.signing().secret, key.secret);
}

TEST_F(SessionKeysTest, RotateAddsASigningKeyAndKeepsTheOldOneWhileYoung) {
  const SessionKeys first = SessionKeys::load_or_create(file_, kNow);
  const std::string old_token = encode_session_token(sample_claims(), first);

  EXPECT_EQ(SessionKeys::rotate(file_, kNow + kHour, 24 * kHour), 2u);
  EXPECT_EQ(fs::status(file_).permissions() & fs::perms::all,
            fs::perms::owner_read | fs::perms::owner_write);
  const SessionKeys second = SessionKeys::load_or_create(file_, kNow + kHour);
  EXPECT_EQ(ids_of(second), (std::vector<std::uint32_t>{1, 2}));
  EXPECT_EQ(second.signing().created_at, kNow + kHour);
  EXPECT_EQ(second.find(1)->secret, first.signing().secret);
  EXPECT_NE(second.signing().secret, first.signing().secret);
  EXPECT_TRUE(decode_session_token(old_token, second, kNow).has_value());

  EXPECT_EQ(SessionKeys::rotate(file_, kNow + 2 * kHour, 24 * kHour), 3u);
  EXPECT_EQ(ids_of(SessionKeys::load_or_create(file_, kNow)),
            (std::vector<std::uint32_t>{1, 2, 3}));
}

TEST_F(SessionKeysTest, RotatePrunesOldKeysButKeepsTheNewestTwo) {
  SessionKeys::load_or_create(file_, kNow);
  const std::int64_t keep = 10 * kHour;
  EXPECT_EQ(SessionKeys::rotate(file_, kNow + 1 * kHour, keep), 2u);
  EXPECT_EQ(SessionKeys::rotate(file_, kNow + 2 * kHour, keep), 3u);
  EXPECT_EQ(ids_of(SessionKeys::load_or_create(file_, kNow)),
            (std::vector<std::uint32_t>{1, 2, 3}));

  // Key 1 is now exactly `keep` old: still kept.
  EXPECT_EQ(SessionKeys::rotate(file_, kNow + keep, keep), 4u);
  EXPECT_EQ(ids_of(SessionKeys::load_or_create(file_, kNow)),
            (std::vector<std::uint32_t>{1, 2, 3, 4}));

  // One second later key 1 goes; keys 2 and 3 are young enough.
  EXPECT_EQ(SessionKeys::rotate(file_, kNow + keep + 1, keep), 5u);
  EXPECT_EQ(ids_of(SessionKeys::load_or_create(file_, kNow)),
            (std::vector<std::uint32_t>{2, 3, 4, 5}));

  // Long after, every key is old: the newest two stay (the previous signer and the new one).
  const std::int64_t later = kNow + 1000 * kHour;
  EXPECT_EQ(SessionKeys::rotate(file_, later, keep), 6u);
  const SessionKeys kept = SessionKeys::load_or_create(file_, later);
  EXPECT_EQ(ids_of(kept), (std::vector<std::uint32_t>{5, 6}));
  EXPECT_EQ(kept.signing().id, 6u);

  // keep_seconds = 0: still never fewer than two.
  EXPECT_EQ(SessionKeys::rotate(file_, later + 1, 0), 7u);
  EXPECT_EQ(ids_of(SessionKeys::load_or_create(file_, later)), (std::vector<std::uint32_t>{6, 7}));
}

TEST_F(SessionKeysTest, RotateWithoutAFileThrows) {
  EXPECT_THROW(SessionKeys::rotate(file_, kNow, kHour), std::runtime_error);
}

TEST_F(SessionKeysTest, MalformedFilesThrow) {
  const std::string good_secret = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";  // 32 zero bytes
  write_file(file_, "1 100 " + good_secret + "\n");
  EXPECT_NO_THROW(SessionKeys::load_or_create(file_, kNow));

  const std::vector<std::string> malformed = {
      "",                                        // no key at all
      "# only a comment\n\n",                    // no key at all
      "garbage\n",                               // not three fields
      "1 100\n",                                 // no secret
      "x 100 " + good_secret + "\n",             // id not a number
      "1 y " + good_secret + "\n",               // created_at not a number
      "1 100 " + good_secret.substr(1) + "\n",   // secret too short
      "1 100 " + good_secret + "AAAA\n",         // secret too long
      "1 100 " + good_secret.substr(1) + "+\n",  // standard base64 alphabet
      "1 100 " + good_secret + "=\n",            // padding
      "1 100 " + good_secret + "\ngarbage\n",    // a good line, then a bad one
  };
  for (const std::string& text : malformed) {
    write_file(file_, text);
    EXPECT_THROW(SessionKeys::load_or_create(file_, kNow), std::runtime_error) << text;
    EXPECT_THROW(SessionKeys::rotate(file_, kNow, kHour), std::runtime_error) << text;
  }
}

}  // namespace
}  // namespace cartable::guard
