// The JSON shapes of school records in the API (docs/api.md), shared by every feature that
// returns them so a user, a lesson or a homework looks the same everywhere.
#pragma once

#include <boost/json/object.hpp>

#include "store/store.hpp"

namespace cartable {

boost::json::object to_json(const NamedRef& ref);
boost::json::object to_json(const PersonRef& person);
boost::json::object to_json(const UserRecord& user);
boost::json::object to_json(const LessonRecord& lesson);
boost::json::object to_json(const HomeworkRecord& homework);
boost::json::object to_json(const ChildRecord& child);
boost::json::object to_json(const TeachingRecord& teaching);
boost::json::object to_json(const AnnouncementRecord& announcement);

}  // namespace cartable
