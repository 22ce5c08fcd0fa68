#include "school/json_views.hpp"

#include <boost/json/array.hpp>

#include "common/civil_time.hpp"

namespace cartable {

boost::json::object to_json(const NamedRef& ref) {
  return {{"id", ref.id}, {"name", ref.name}};
}

boost::json::object to_json(const PersonRef& person) {
  return {{"id", person.id}, {"first_name", person.first_name}, {"last_name", person.last_name}};
}

boost::json::object to_json(const UserRecord& user) {
  boost::json::object json{{"id", user.id},
                           {"login", user.login},
                           {"role", role_name(user.role)},
                           {"first_name", user.first_name},
                           {"last_name", user.last_name},
                           {"school", {{"id", user.school.id}, {"name", user.school.name}}}};
  json["class"] = user.school_class ? boost::json::value(to_json(*user.school_class)) : nullptr;
  return json;
}

boost::json::object to_json(const LessonRecord& lesson) {
  return {{"start", format_minute_of_day(lesson.start_minute)},
          {"end", format_minute_of_day(lesson.end_minute)},
          {"subject", to_json(lesson.subject)},
          {"class", to_json(lesson.school_class)},
          {"teacher", to_json(lesson.teacher)},
          {"room", lesson.room}};
}

boost::json::object to_json(const HomeworkRecord& homework) {
  return {{"id", homework.id},
          {"title", homework.title},
          {"body", homework.body},
          {"due_date", homework.due_date},
          {"class", to_json(homework.school_class)},
          {"subject", to_json(homework.subject)},
          {"author", to_json(homework.author)},
          {"created_at", homework.created_at},
          {"updated_at", homework.updated_at}};
}

boost::json::object to_json(const ChildRecord& child) {
  boost::json::object json = to_json(child.person);
  json["class"] = to_json(child.school_class);
  return json;
}

boost::json::object to_json(const TeachingRecord& teaching) {
  return {{"class", to_json(teaching.school_class)}, {"subject", to_json(teaching.subject)}};
}

boost::json::object to_json(const AnnouncementRecord& announcement) {
  boost::json::array classes;
  for (const NamedRef& school_class : announcement.classes) {
    classes.push_back(to_json(school_class));
  }
  return {{"id", announcement.id},
          {"title", announcement.title},
          {"body", announcement.body},
          {"until", announcement.until},
          {"school_wide", announcement.classes.empty()},
          {"classes", std::move(classes)},
          {"author", to_json(announcement.author)},
          {"created_at", announcement.created_at}};
}

}  // namespace cartable
