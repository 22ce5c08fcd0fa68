#include "school/relations.hpp"

namespace cartable {

std::optional<guard::ClassRelation> relation_to_class(Store& store,
                                                      const guard::SessionClaims& actor,
                                                      Id class_id, Id subject_id) {
  const auto school_class = store.school_class(class_id);
  if (!school_class) {
    return std::nullopt;
  }
  guard::ClassRelation relation;
  relation.school_id = school_class->school_id;
  switch (actor.role) {
    case Role::pupil: {
      const auto user = store.user(actor.user_id);
      relation.enrolled = user && user->school_class && user->school_class->id == class_id;
      break;
    }
    case Role::parent:
      for (const ChildRecord& child : store.children(actor.user_id)) {
        relation.parent_of_enrolled |= child.school_class.id == class_id;
      }
      break;
    case Role::teacher:
      for (const TeachingRecord& teaching : store.teachings(actor.user_id)) {
        if (teaching.school_class.id == class_id) {
          relation.teaches_class = true;
          relation.teaches_subject |= teaching.subject.id == subject_id;
        }
      }
      break;
    case Role::staff:
    case Role::admin:
      break;
  }
  return relation;
}

guard::PupilWorkRelation relation_to_work(Store& store, const guard::SessionClaims& actor,
                                          const HomeworkRecord& homework, Id pupil_id) {
  guard::PupilWorkRelation relation;
  relation.school_class =
      relation_to_class(store, actor, homework.school_class.id, homework.subject.id)
          .value_or(guard::ClassRelation{});
  relation.own = pupil_id != 0 && actor.user_id == pupil_id;
  if (pupil_id != 0 && actor.role == Role::parent) {
    for (const ChildRecord& child : store.children(actor.user_id)) {
      relation.parent |= child.person.id == pupil_id;
    }
  }
  return relation;
}

}  // namespace cartable
