// Calendar feed tokens. A feed URL carries a secret token, its only credential (calendar programs
// send no cookies). The token is HMAC-SHA256(server key, user id, nonce): the database keeps the
// nonce and the token's SHA-256 (to find the user by), never the token, so a copy of the database
// alone opens no feed; the key lives in its own file beside it. Resetting a feed draws a new nonce,
// and the old token then matches nothing. Keeping a nonce rather than the token lets
// GET /api/calendar show the same URL again.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace cartable::calendar {

using FeedKey = std::array<unsigned char, 32>;

// Reads the key from `file` (base64url), creating it with a random key (mode 0600) when absent.
// Throws std::runtime_error when the file exists but does not hold a key.
FeedKey load_or_create_feed_key(const std::filesystem::path& file);

// A fresh random nonce, as stored (base64url of 16 bytes).
std::string new_nonce();

// The token of the user's feed: base64url, 43 characters.
std::string feed_token(const FeedKey& key, std::int64_t user_id, std::string_view nonce);

// SHA-256 of the token, in hex: what the database indexes feeds by.
std::string token_hash(std::string_view token);

}  // namespace cartable::calendar
