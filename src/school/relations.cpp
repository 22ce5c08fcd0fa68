#include "school/relations.hpp"

#include <algorithm>

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

guard::PersonRelation relation_to_person(const MessagingFacts& person, bool pupil_messaging) {
  guard::PersonRelation relation;
  relation.role = person.role;
  relation.school_id = person.school_id;
  relation.teaches_actor = person.teaches_actor;
  relation.taught_by_actor = person.taught_by_actor;
  relation.parent_of_taught = person.parent_of_taught;
  relation.pupil_messaging = pupil_messaging;
  return relation;
}

std::string pupil_messaging_key(Id school_id) {
  return "school." + std::to_string(school_id) + ".pupil_messaging";
}

bool pupil_messaging_on(Store& store, Id school_id) {
  return store.setting(pupil_messaging_key(school_id)) == "on";
}

std::vector<Id> own_class_ids(Store& store, const guard::SessionClaims& actor) {
  std::vector<Id> classes;
  switch (actor.role) {
    case Role::pupil:
      if (const auto user = store.user(actor.user_id); user && user->school_class) {
        classes.push_back(user->school_class->id);
      }
      break;
    case Role::parent:
      for (const ChildRecord& child : store.children(actor.user_id)) {
        classes.push_back(child.school_class.id);
      }
      break;
    case Role::teacher:
      for (const TeachingRecord& teaching : store.teachings(actor.user_id)) {
        classes.push_back(teaching.school_class.id);
      }
      break;
    case Role::staff:
    case Role::admin:
      break;
  }
  std::sort(classes.begin(), classes.end());
  classes.erase(std::unique(classes.begin(), classes.end()), classes.end());
  return classes;
}

guard::AnnouncementRelation relation_to_announcement(Store& store,
                                                     const guard::SessionClaims& actor,
                                                     const AnnouncementRecord& announcement) {
  guard::AnnouncementRelation relation;
  relation.school_id = announcement.school_id;
  relation.school_wide = announcement.classes.empty();
  relation.author = announcement.author.id == actor.user_id;
  relation.member_of_school = actor.school_id == announcement.school_id;
  if (actor.role == Role::parent) {
    for (const ChildRecord& child : store.children(actor.user_id)) {
      relation.member_of_school |= child.school_id == announcement.school_id;
    }
  }
  const std::vector<Id> own = own_class_ids(store, actor);
  for (const NamedRef& school_class : announcement.classes) {
    relation.to_own_class |= std::binary_search(own.begin(), own.end(), school_class.id);
  }
  return relation;
}

bool is_participant(const ConversationRecord& conversation, Id user_id) {
  for (const Participant& participant : conversation.participants) {
    if (participant.person.id == user_id) {
      return true;
    }
  }
  return false;
}

}  // namespace cartable
