// Gathers, from the Store, how an actor relates to a class: the facts guard::can decides on.
#pragma once

#include <optional>

#include "guard/policy.hpp"
#include "store/store.hpp"

namespace cartable {

// nullopt when the class does not exist. `subject_id` 0: no subject of interest.
std::optional<guard::ClassRelation> relation_to_class(Store& store,
                                                      const guard::SessionClaims& actor,
                                                      Id class_id, Id subject_id);

// How the actor relates to `pupil_id`'s work for `homework` (0: no pupil in particular, as when a
// teacher lists every hand-in).
guard::PupilWorkRelation relation_to_work(Store& store, const guard::SessionClaims& actor,
                                          const HomeworkRecord& homework, Id pupil_id);

}  // namespace cartable
