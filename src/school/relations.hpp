// Gathers, from the Store, how an actor relates to a class: the facts guard::can decides on.
#pragma once

#include <optional>
#include <string>
#include <vector>

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

// The facts guard::may_message decides on, for `person` seen by the actor the facts were gathered
// for; `pupil_messaging` is the school's setting.
guard::PersonRelation relation_to_person(const MessagingFacts& person, bool pupil_messaging);

// The settings key of a school's pupil-to-pupil messaging switch ("on" when allowed).
std::string pupil_messaging_key(Id school_id);
bool pupil_messaging_on(Store& store, Id school_id);

// The classes that are the actor's own: a pupil's class, a parent's children's classes, the classes
// a teacher teaches (none for staff); sorted, each once.
std::vector<Id> own_class_ids(Store& store, const guard::SessionClaims& actor);

guard::AnnouncementRelation relation_to_announcement(Store& store,
                                                     const guard::SessionClaims& actor,
                                                     const AnnouncementRecord& announcement);

bool is_participant(const ConversationRecord& conversation, Id user_id);

}  // namespace cartable
