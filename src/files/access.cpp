#include "files/access.hpp"

#include "guard/policy.hpp"
#include "school/relations.hpp"

namespace cartable::files {

namespace {

bool may_read_use(Store& store, const guard::SessionClaims& actor, const FileUse& use) {
  switch (use.kind) {
    case FileUseKind::homework_attachment: {
      const auto homework = store.homework(use.object_id);
      if (!homework) {
        return false;
      }
      const auto relation =
          relation_to_class(store, actor, homework->school_class.id, homework->subject.id);
      return relation && guard::can(actor, guard::Action::read_class_work, *relation);
    }
    case FileUseKind::hand_in: {
      const auto hand_in = store.hand_in(use.object_id);
      const auto homework = hand_in ? store.homework(hand_in->homework_id) : std::nullopt;
      return homework && guard::can(actor, guard::WorkAction::read_work,
                                    relation_to_work(store, actor, *homework, hand_in->pupil.id));
    }
    case FileUseKind::class_resource: {
      const auto node = store.resource(use.object_id);
      const auto relation =
          node ? relation_to_class(store, actor, node->class_id, node->subject_id) : std::nullopt;
      return relation && guard::can(actor, guard::Action::read_class_work, *relation);
    }
    case FileUseKind::message_attachment: {
      const auto conversation = store.conversation(use.object_id);
      return conversation &&
             guard::may_read_conversation(actor, is_participant(*conversation, actor.user_id));
    }
    case FileUseKind::live_slides: {
      // A deck shown in a live lesson: whoever may join that class's lessons reads it.
      const auto lesson = store.live_lesson(use.object_id);
      const auto relation =
          lesson ? relation_to_class(store, actor, lesson->school_class.id, 0) : std::nullopt;
      return relation && guard::can(actor, guard::Action::join_live_class, *relation);
    }
  }
  return false;
}

}  // namespace

bool may_read(Store& store, const guard::SessionClaims& actor, const FileRecord& file) {
  if (file.owner_id == actor.user_id) {
    return true;
  }
  for (const FileUse& use : store.file_uses(file.id)) {
    if (may_read_use(store, actor, use)) {
      return true;
    }
  }
  return false;
}

std::optional<Id> first_not_owned(Store& store, Id owner_id, const std::vector<Id>& file_ids) {
  for (const Id file_id : file_ids) {
    const auto file = store.file(file_id);
    if (!file || file->owner_id != owner_id) {
      return file_id;
    }
  }
  return std::nullopt;
}

}  // namespace cartable::files
