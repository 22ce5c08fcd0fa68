#include "guard/password.hpp"

#include <gtest/gtest.h>
#include <sodium.h>

#include <string>

namespace cartable::guard {
namespace {

// Small costs keep the tests fast; argon2id's minimum passes is 1.
constexpr PasswordCost kCheap{1, 64};
constexpr PasswordCost kOtherPasses{2, 64};
constexpr PasswordCost kOtherMemory{1, 128};

class PasswordTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { ASSERT_GE(sodium_init(), 0); }
};

TEST_F(PasswordTest, HashIsAnEncodedArgon2idString) {
  const std::string hash = hash_password("correct horse", kCheap);
  EXPECT_EQ(hash.rfind("$argon2id$v=19$m=64,t=1,p=1$", 0), 0u) << hash;
  EXPECT_LT(hash.size(), static_cast<std::size_t>(crypto_pwhash_STRBYTES));
}

TEST_F(PasswordTest, VerifiesTheRightPasswordOnly) {
  const std::string hash = hash_password("correct horse", kCheap);
  EXPECT_TRUE(verify_password("correct horse", hash));
  EXPECT_FALSE(verify_password("correct hors", hash));
  EXPECT_FALSE(verify_password("correct horse ", hash));
  EXPECT_FALSE(verify_password("Correct horse", hash));
  EXPECT_FALSE(verify_password("", hash));
}

TEST_F(PasswordTest, SaltsMakeEachHashDifferent) {
  const std::string first = hash_password("same password", kCheap);
  const std::string second = hash_password("same password", kCheap);
  EXPECT_NE(first, second);
  EXPECT_TRUE(verify_password("same password", first));
  EXPECT_TRUE(verify_password("same password", second));
}

TEST_F(PasswordTest, PasswordsWithNulAndNonAsciiBytes) {
  const std::string with_nul("abc\0def", 7);
  const std::string hash = hash_password(with_nul, kCheap);
  EXPECT_TRUE(verify_password(with_nul, hash));
  EXPECT_FALSE(verify_password("abc", hash));  // not cut at the NUL
  EXPECT_FALSE(verify_password(std::string("abc\0deg", 7), hash));

  const std::string accented = "mot de passe \xC3\xA9t\xC3\xA9";
  const std::string accented_hash = hash_password(accented, kCheap);
  EXPECT_TRUE(verify_password(accented, accented_hash));
  EXPECT_FALSE(verify_password("mot de passe ete", accented_hash));
}

TEST_F(PasswordTest, MalformedOrEmptyHashNeverMatches) {
  const std::string hash = hash_password("correct horse", kCheap);
  EXPECT_FALSE(verify_password("correct horse", ""));
  EXPECT_FALSE(verify_password("", ""));
  EXPECT_FALSE(verify_password("correct horse", "not a hash"));
  EXPECT_FALSE(verify_password("correct horse", "$argon2id$"));
  EXPECT_FALSE(verify_password("correct horse", hash.substr(0, hash.size() - 1)));
  EXPECT_FALSE(verify_password("correct horse", hash.substr(0, hash.size() / 2)));
  EXPECT_FALSE(verify_password("correct horse", hash + "A"));
  // Too long to be an encoded hash.
  EXPECT_FALSE(verify_password("correct horse", hash + std::string(crypto_pwhash_STRBYTES, 'A')));
  // Another algorithm's prefix.
  std::string argon2i = hash;
  argon2i.replace(0, 9, "$argon2i");
  EXPECT_FALSE(verify_password("correct horse", argon2i));
  // A changed character of the digest.
  std::string changed = hash;
  changed.back() = changed.back() == 'A' ? 'B' : 'A';
  EXPECT_FALSE(verify_password("correct horse", changed));
  // An embedded NUL ends the C string early.
  std::string with_nul = hash;
  with_nul[20] = '\0';
  EXPECT_FALSE(verify_password("correct horse", with_nul));
}

TEST_F(PasswordTest, NeedsRehashWhenTheCostDiffers) {
  const std::string hash = hash_password("correct horse", kCheap);
  EXPECT_FALSE(needs_rehash(hash, kCheap));
  EXPECT_TRUE(needs_rehash(hash, kOtherPasses));
  EXPECT_TRUE(needs_rehash(hash, kOtherMemory));
  const std::string stronger = hash_password("correct horse", kOtherPasses);
  EXPECT_FALSE(needs_rehash(stronger, kOtherPasses));
  EXPECT_TRUE(needs_rehash(stronger, kCheap));
  // A hash that cannot be read is always rehashed.
  EXPECT_TRUE(needs_rehash("", kCheap));
  EXPECT_TRUE(needs_rehash("garbage", kCheap));
}

TEST_F(PasswordTest, DecoyHashIsStableAndMatchesNothing) {
  const std::string& decoy = decoy_hash(kCheap);
  EXPECT_EQ(decoy.rfind("$argon2id$v=19$m=64,t=1,p=1$", 0), 0u) << decoy;
  EXPECT_EQ(&decoy_hash(kCheap), &decoy);
  EXPECT_EQ(decoy_hash(kCheap), decoy);
  for (const char* guess : {"", "password", "correct horse", "12345678", "decoy"}) {
    EXPECT_FALSE(verify_password(guess, decoy)) << guess;
  }
  // It is a well-formed hash, so checking against it costs as much as a real one.
  EXPECT_FALSE(needs_rehash(decoy, kCheap));
}

TEST_F(PasswordTest, ValidateCostBounds) {
  EXPECT_EQ(validate_cost(PasswordCost{}), std::nullopt);
  EXPECT_EQ(validate_cost(kCheap), std::nullopt);
  EXPECT_EQ(validate_cost({1, 8}), std::nullopt);
  EXPECT_EQ(validate_cost({16, 4 * 1024 * 1024}), std::nullopt);

  EXPECT_NE(validate_cost({0, 64}), std::nullopt);
  EXPECT_NE(validate_cost({17, 64}), std::nullopt);
  EXPECT_NE(validate_cost({1, 7}), std::nullopt);
  EXPECT_NE(validate_cost({1, 0}), std::nullopt);
  EXPECT_NE(validate_cost({1, 4 * 1024 * 1024 + 1}), std::nullopt);
  // So large that the byte count would wrap around.
  EXPECT_NE(validate_cost({1, SIZE_MAX / 1024 + 1}), std::nullopt);

  const auto passes = validate_cost({0, 64});
  ASSERT_TRUE(passes.has_value());
  EXPECT_NE(passes->find("passes"), std::string::npos);
  const auto memory = validate_cost({2, 1});
  ASSERT_TRUE(memory.has_value());
  EXPECT_NE(memory->find("memory"), std::string::npos);
}

}  // namespace
}  // namespace cartable::guard
