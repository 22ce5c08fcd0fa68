// Who may read a stored file: its owner, and whoever may see something it is attached to (the
// homework it comes with, the hand-in it belongs to, the live lesson that showed it as slides).
// Decided through guard/policy like every other object; a file id alone gives nothing.
#pragma once

#include "guard/session_token.hpp"
#include "store/store.hpp"

namespace cartable::files {

bool may_read(Store& store, const guard::SessionClaims& actor, const FileRecord& file);

// The first of `file_ids` that is not a file of `owner_id` (one may attach only one's own
// uploads); nullopt when all are.
std::optional<Id> first_not_owned(Store& store, Id owner_id, const std::vector<Id>& file_ids);

}  // namespace cartable::files
