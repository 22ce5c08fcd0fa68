#include "grades/routes.hpp"

#include <boost/beast/http/field.hpp>
#include <boost/json/array.hpp>
#include <charconv>
#include <cmath>
#include <map>
#include <set>

#include "common/civil_time.hpp"
#include "common/csv.hpp"
#include "grades/averages.hpp"
#include "grades/csv_export.hpp"
#include "guard/policy.hpp"
#include "guard/signed_in.hpp"
#include "http/content_disposition.hpp"
#include "http/json_body.hpp"
#include "school/json_views.hpp"
#include "school/relations.hpp"

namespace cartable::grades {

namespace {

using boost::asio::awaitable;
using guard::Action;
using guard::SessionClaims;
using http::RequestContext;
using http::Response;
using http::Status;

Response not_found(std::string_view what = "No such evaluation.") {
  return http::error_response(Status::not_found, "not_found", what);
}

Response forbidden() {
  return http::error_response(Status::forbidden, "forbidden",
                              "Only a teacher of this class and subject may do this.");
}

// ---------------------------------------------------------------------------------------------
// Who sees what

// What the actor may do with the evaluations of a class in a subject: nothing (404), see the
// marks of the pupils they answer for (a pupil their own, a parent their children's), see every
// mark, or also write.
enum class Access { none, own, read, write };

bool reads_all(Access access) {
  return access == Access::read || access == Access::write;
}

struct Viewer {
  Access access = Access::none;
  std::set<Id> own_pupils;  // Access::own: whose marks are shown

  bool sees(Id pupil_id) const { return reads_all(access) || own_pupils.contains(pupil_id); }
};

Viewer viewer_of(Store& store, const SessionClaims& actor, Id class_id, Id subject_id) {
  Viewer viewer;
  const auto relation = relation_to_class(store, actor, class_id, subject_id);
  if (!relation) {
    return viewer;
  }
  if (guard::can(actor, Action::write_grades, *relation)) {
    viewer.access = Access::write;
  } else if (guard::can(actor, Action::read_class_grades, *relation)) {
    viewer.access = Access::read;
  } else if (actor.role == Role::pupil && relation->enrolled) {
    viewer.access = Access::own;
    viewer.own_pupils.insert(actor.user_id);
  } else if (actor.role == Role::parent && relation->parent_of_enrolled) {
    viewer.access = Access::own;
    for (const ChildRecord& child : store.children(actor.user_id)) {
      if (child.school_class.id == class_id) {
        viewer.own_pupils.insert(child.person.id);
      }
    }
  }
  return viewer;
}

// Viewers by subject for one class, asked once per subject.
class ClassViewers {
 public:
  ClassViewers(Store& store, const SessionClaims& actor, Id class_id)
      : store_(store), actor_(actor), class_id_(class_id) {}

  const Viewer& of(Id subject_id) {
    auto found = by_subject_.find(subject_id);
    if (found == by_subject_.end()) {
      found =
          by_subject_.emplace(subject_id, viewer_of(store_, actor_, class_id_, subject_id)).first;
    }
    return found->second;
  }

 private:
  Store& store_;
  const SessionClaims& actor_;
  Id class_id_;
  std::map<Id, Viewer> by_subject_;
};

// ---------------------------------------------------------------------------------------------
// Reading input

// Today in UTC is close enough to bound dates (a day of slack either way is harmless here).
Date utc_today(const Clock& clock) {
  return civil_from_days(clock.unix_seconds() / 86400);
}

// A number with at most two decimals in [low, high] (`low` itself excluded when `open_low`).
std::optional<double> decimal(http::FieldErrors& errors, const std::string& field,
                              const boost::json::value& value, double low, bool open_low,
                              double high) {
  if (!value.is_number()) {
    errors.add(field, "must be a number");
    return std::nullopt;
  }
  const double number = value.to_number<double>();
  const double hundredths = number * 100;
  if (!std::isfinite(number) || std::abs(hundredths - std::round(hundredths)) > 1e-6) {
    errors.add(field, "at most two decimals");
    return std::nullopt;
  }
  if (number < low || (open_low && number <= low) || number > high) {
    errors.add(field, std::string(open_low ? "must be more than " : "must be at least ") +
                          format_decimal(low) + " and at most " + format_decimal(high));
    return std::nullopt;
  }
  return round_to_hundredths(number);
}

struct EvaluationInput {
  std::optional<Id> class_id;  // absent on a PUT that keeps them
  std::optional<Id> subject_id;
  EvaluationDraft fields;
};

// Reads the body of POST and PUT /api/evaluations. `creating`: class_id and subject_id are
// required (a PUT may repeat them, unchanged). Sets `error` and returns nullopt on a bad body.
std::optional<EvaluationInput> read_evaluation(const RequestContext& context, const Clock& clock,
                                               bool creating, Response& error) {
  const auto body = http::parse_json_object(context.request, error);
  if (!body) {
    return std::nullopt;
  }
  http::FieldErrors errors;
  EvaluationInput input;
  if (creating || body->contains("class_id")) {
    input.class_id = errors.id(*body, "class_id");
  }
  if (creating || body->contains("subject_id")) {
    input.subject_id = errors.id(*body, "subject_id");
  }
  const auto title = errors.text(*body, "title", 1, kMaxTitleChars);
  const auto* date_value = body->if_contains("date");
  const auto date = date_value != nullptr && date_value->is_string()
                        ? parse_date(date_value->as_string())
                        : std::nullopt;
  if (!date) {
    errors.add("date", "must be a date YYYY-MM-DD");
  } else if (std::abs(days_from_civil(*date) - days_from_civil(utc_today(clock))) >
             kMaxDaysFromToday) {
    errors.add("date", "must be within a year of today");
  }
  std::optional<double> out_of;
  if (const auto* value = body->if_contains("out_of")) {
    out_of = decimal(errors, "out_of", *value, 0, true, kMaxOutOf);
  } else {
    errors.add("out_of", "required");
  }
  std::optional<double> coefficient = 1;
  if (const auto* value = body->if_contains("coefficient")) {
    coefficient = decimal(errors, "coefficient", *value, 0, true, kMaxCoefficient);
  }
  if (!errors.empty()) {
    error = errors.response();
    return std::nullopt;
  }
  input.fields.date = format_date(*date);
  input.fields.title = *title;
  input.fields.out_of = *out_of;
  input.fields.coefficient = *coefficient;
  return input;
}

// One row of PUT .../marks as sent, checked on its own (the class and out_of are checked later).
struct MarkRow {
  MarkDraft mark;
  bool valid = false;
};

std::vector<MarkRow> read_mark_rows(const boost::json::object& body, http::FieldErrors& errors) {
  std::vector<MarkRow> rows;
  const auto* list = body.if_contains("marks");
  if (list == nullptr || !list->is_array()) {
    errors.add("marks", "required, a list");
    return rows;
  }
  if (list->as_array().size() > kMaxMarksPerRequest) {
    errors.add("marks", "at most " + std::to_string(kMaxMarksPerRequest) + " rows");
    return rows;
  }
  for (std::size_t i = 0; i < list->as_array().size(); ++i) {
    const std::string prefix = "marks[" + std::to_string(i) + "].";
    MarkRow& row = rows.emplace_back();
    const boost::json::value& item = list->as_array()[i];
    if (!item.is_object()) {
      errors.add("marks[" + std::to_string(i) + "]", "must be an object");
      continue;
    }
    // FieldErrors names fields by their key: read each row with its own, then prefix the names.
    http::FieldErrors row_errors;
    const boost::json::object& fields = item.as_object();
    const auto pupil_id = row_errors.id(fields, "pupil_id");
    auto state = std::optional(MarkState::graded);
    if (const auto* text = fields.if_contains("state"); text != nullptr && !text->is_null()) {
      state = text->is_string() ? parse_mark_state(text->as_string()) : std::nullopt;
      if (!state) {
        row_errors.add("state", "must be graded, absent or excused");
      }
    }
    std::optional<double> value;
    const auto* number = fields.if_contains("value");
    const bool has_value = number != nullptr && !number->is_null();
    if (state == MarkState::graded) {
      if (!has_value) {
        row_errors.add("value", "required for a graded mark");
      } else {
        // The upper bound is the evaluation's out_of, checked once it is read.
        value = decimal(row_errors, "value", *number, 0, false, kMaxOutOf);
      }
    } else if (state && has_value) {
      row_errors.add("value", "must be null when absent or excused");
    }
    const auto comment = row_errors.text(fields, "comment", 0, kMaxCommentChars);
    if (!row_errors.empty()) {
      for (const auto& [field, message] : row_errors.fields()) {
        errors.add(prefix + std::string(field), message.as_string());
      }
      continue;
    }
    row.mark = {*pupil_id, *state, value, *comment};
    row.valid = true;
  }
  return rows;
}

// ---------------------------------------------------------------------------------------------
// Writing output

boost::json::value optional_number(std::optional<double> value) {
  return value ? boost::json::value(round_to_hundredths(*value)) : boost::json::value(nullptr);
}

boost::json::object to_json(const EvaluationRecord& evaluation) {
  return {{"id", evaluation.id},
          {"title", evaluation.title},
          {"date", evaluation.date},
          {"out_of", evaluation.out_of},
          {"coefficient", evaluation.coefficient},
          {"class", cartable::to_json(evaluation.school_class)},
          {"subject", cartable::to_json(evaluation.subject)},
          {"author", cartable::to_json(evaluation.author)},
          {"created_at", evaluation.created_at},
          {"updated_at", evaluation.updated_at}};
}

boost::json::object mark_json(const MarkRecord* mark) {
  if (mark == nullptr) {
    return {{"state", nullptr}, {"value", nullptr}, {"comment", ""}, {"updated_at", nullptr}};
  }
  return {{"state", mark_state_name(mark->state)},
          {"value", optional_number(mark->value)},
          {"comment", mark->comment},
          {"updated_at", mark->updated_at}};
}

// The class mean of an evaluation's graded marks, on its own scale.
std::optional<double> class_average(const std::vector<MarkRecord>& marks, Id evaluation_id) {
  std::vector<double> values;
  for (const MarkRecord& mark : marks) {
    if (mark.evaluation_id == evaluation_id && mark.value) {
      values.push_back(*mark.value);
    }
  }
  return mean(values);
}

// The pupils a full view lists: those enrolled, then any with a mark who have left the class.
std::vector<PersonRef> pupils_with_marks(std::vector<PersonRef> pupils,
                                         const std::vector<MarkRecord>& marks) {
  std::set<Id> listed;
  for (const PersonRef& pupil : pupils) {
    listed.insert(pupil.id);
  }
  for (const MarkRecord& mark : marks) {
    if (listed.insert(mark.pupil.id).second) {
      pupils.push_back(mark.pupil);
    }
  }
  return pupils;
}

const MarkRecord* find_mark(const std::vector<MarkRecord>& marks, Id evaluation_id, Id pupil_id) {
  for (const MarkRecord& mark : marks) {
    if (mark.evaluation_id == evaluation_id && mark.pupil.id == pupil_id) {
      return &mark;
    }
  }
  return nullptr;
}

// An evaluation with the marks the viewer sees: every pupil's (and the class average) for
// teachers and staff; a pupil's or parent's own rows otherwise.
boost::json::object evaluation_view(Store& store, const EvaluationRecord& evaluation,
                                    const Viewer& viewer) {
  boost::json::object json = to_json(evaluation);
  const std::vector<MarkRecord> marks = store.evaluation_marks(evaluation.id);
  std::vector<PersonRef> pupils;
  if (reads_all(viewer.access)) {
    json["class_average"] = optional_number(class_average(marks, evaluation.id));
    pupils = pupils_with_marks(store.class_pupils(evaluation.school_class.id), marks);
  } else {
    for (const PersonRef& pupil : store.class_pupils(evaluation.school_class.id)) {
      if (viewer.sees(pupil.id)) {
        pupils.push_back(pupil);
      }
    }
  }
  boost::json::array rows;
  for (const PersonRef& pupil : pupils) {
    boost::json::object row = mark_json(find_mark(marks, evaluation.id, pupil.id));
    row["pupil"] = cartable::to_json(pupil);
    rows.push_back(std::move(row));
  }
  json["marks"] = std::move(rows);
  return json;
}

// A subject's average for one pupil over the given evaluations (their graded marks only).
std::optional<double> pupil_subject_average(const std::vector<const EvaluationRecord*>& evaluations,
                                            const std::vector<MarkRecord>& marks, Id pupil_id) {
  std::vector<WeightedMark> graded;
  for (const EvaluationRecord* evaluation : evaluations) {
    const MarkRecord* mark = find_mark(marks, evaluation->id, pupil_id);
    if (mark != nullptr && mark->value) {
      graded.push_back({*mark->value, evaluation->out_of, evaluation->coefficient});
    }
  }
  return subject_average(graded);
}

// A pupil's report: the evaluations of their class the actor may see their mark in, by subject
// (by name), with subject averages and the overall average.
boost::json::object report(Store& store, const SessionClaims& actor, const UserRecord& pupil) {
  const NamedRef& school_class = *pupil.school_class;
  ClassViewers viewers(store, actor, school_class.id);
  const std::vector<MarkRecord> marks = store.pupil_marks(pupil.id);
  std::map<std::pair<std::string, Id>, std::vector<EvaluationRecord>> by_subject;
  for (EvaluationRecord& evaluation : store.class_evaluations(school_class.id, 0)) {
    if (viewers.of(evaluation.subject.id).sees(pupil.id)) {
      by_subject[{evaluation.subject.name, evaluation.subject.id}].push_back(std::move(evaluation));
    }
  }
  boost::json::array subjects;
  std::vector<double> subject_averages;
  for (const auto& [key, evaluations] : by_subject) {
    boost::json::array items;
    std::vector<const EvaluationRecord*> pointers;
    for (const EvaluationRecord& evaluation : evaluations) {
      boost::json::object item{{"id", evaluation.id},
                               {"title", evaluation.title},
                               {"date", evaluation.date},
                               {"out_of", evaluation.out_of},
                               {"coefficient", evaluation.coefficient}};
      const MarkRecord* mark = find_mark(marks, evaluation.id, pupil.id);
      item["mark"] = mark != nullptr ? boost::json::value(mark_json(mark)) : nullptr;
      items.push_back(std::move(item));
      pointers.push_back(&evaluation);
    }
    const auto average = pupil_subject_average(pointers, marks, pupil.id);
    if (average) {
      subject_averages.push_back(*average);
    }
    subjects.push_back({{"subject", cartable::to_json(evaluations.front().subject)},
                        {"average", optional_number(average)},
                        {"evaluations", std::move(items)}});
  }
  return {{"pupil", cartable::to_json(PersonRef{pupil.id, pupil.first_name, pupil.last_name})},
          {"class", cartable::to_json(school_class)},
          {"subjects", std::move(subjects)},
          {"average", optional_number(overall_average(subject_averages))}};
}

// The export: a row per pupil, a column per evaluation, the pupil's average, and the class's
// averages last. Absent and excused are written ABS and EXC (French report-card usage).
// Appends the subject's name to `file_name` when there is an evaluation to take it from.
std::string export_csv(Store& store, Id class_id, Id subject_id, std::string& file_name) {
  const auto evaluations = store.class_evaluations(class_id, subject_id);
  if (!evaluations.empty()) {
    file_name += " " + evaluations.front().subject.name;
  }
  const auto marks = store.class_marks(class_id, subject_id);
  std::vector<const EvaluationRecord*> pointers;
  std::vector<std::string> header{"Nom", "Prénom"};
  for (const EvaluationRecord& evaluation : evaluations) {
    pointers.push_back(&evaluation);
    header.push_back(evaluation.title + " (" + evaluation.date + ", /" +
                     format_decimal(evaluation.out_of) + ", coef. " +
                     format_decimal(evaluation.coefficient) + ")");
  }
  header.emplace_back("Moyenne /20");
  std::string csv = "\xEF\xBB\xBF" + csv_row(header);  // the BOM tells Excel it is UTF-8
  for (const PersonRef& pupil : pupils_with_marks(store.class_pupils(class_id), marks)) {
    std::vector<std::string> row{pupil.last_name, pupil.first_name};
    for (const EvaluationRecord& evaluation : evaluations) {
      const MarkRecord* mark = find_mark(marks, evaluation.id, pupil.id);
      if (mark == nullptr) {
        row.emplace_back();
      } else if (mark->value) {
        row.push_back(format_decimal(*mark->value));
      } else {
        row.emplace_back(mark->state == MarkState::absent ? "ABS" : "EXC");
      }
    }
    const auto average = pupil_subject_average(pointers, marks, pupil.id);
    row.push_back(average ? format_decimal(*average) : "");
    csv += csv_row(row);
  }
  std::vector<std::string> averages{"Moyenne de la classe", ""};
  for (const EvaluationRecord& evaluation : evaluations) {
    const auto average = class_average(marks, evaluation.id);
    averages.push_back(average ? format_decimal(*average) : "");
  }
  averages.emplace_back();
  csv += csv_row(averages);
  return csv;
}

// ---------------------------------------------------------------------------------------------
// Handlers

// A positive integer query parameter; 0 when absent, nullopt (with an error) when malformed.
std::optional<Id> query_id(const RequestContext& context, std::string_view key,
                           http::FieldErrors& errors) {
  for (const auto& param : context.query) {
    if (param.key != key) {
      continue;
    }
    Id id = 0;
    const auto [end, ec] =
        std::from_chars(param.value.data(), param.value.data() + param.value.size(), id);
    if (ec != std::errc{} || end != param.value.data() + param.value.size() || id <= 0) {
      errors.add(key, "must be a positive integer");
      return std::nullopt;
    }
    return id;
  }
  return 0;
}

struct ClassAndSubject {
  Id class_id = 0;
  Id subject_id = 0;  // 0: every subject the caller may read
  Response error;
  bool valid = false;
};

ClassAndSubject read_class_and_subject(const RequestContext& context, bool subject_required) {
  ClassAndSubject result;
  http::FieldErrors errors;
  const auto class_id = query_id(context, "class_id", errors);
  const auto subject_id = query_id(context, "subject_id", errors);
  if (class_id == 0) {
    errors.add("class_id", "required");
  }
  if (subject_required && subject_id == 0) {
    errors.add("subject_id", "required");
  }
  if (!errors.empty()) {
    result.error = errors.response();
    return result;
  }
  result.class_id = *class_id;
  result.subject_id = *subject_id;
  result.valid = true;
  return result;
}

class Handlers {
 public:
  explicit Handlers(Dependencies dependencies) : deps_(dependencies) {}

  awaitable<Response> list(RequestContext& context, const SessionClaims& actor) {
    const ClassAndSubject query = read_class_and_subject(context, false);
    if (!query.valid) {
      co_return query.error;
    }
    auto answer = [&](Store& store) -> Response {
      ClassViewers viewers(store, actor, query.class_id);
      const auto evaluations = store.class_evaluations(query.class_id, query.subject_id);
      const auto marks = store.class_marks(query.class_id, query.subject_id);
      boost::json::array list;
      for (const EvaluationRecord& evaluation : evaluations) {
        if (reads_all(viewers.of(evaluation.subject.id).access)) {
          boost::json::object item = to_json(evaluation);
          item["class_average"] = optional_number(class_average(marks, evaluation.id));
          list.push_back(std::move(item));
        }
      }
      // Teachers and staff only; a class or subject they may not read grades of is unknown.
      const bool may_list = query.subject_id != 0
                                ? reads_all(viewers.of(query.subject_id).access)
                                : reads_all(viewer_of(store, actor, query.class_id, 0).access) ||
                                      teaches_in(store, actor, query.class_id);
      if (!may_list) {
        return not_found("No such class.");
      }
      return http::json_response(Status::ok, boost::json::object{{"evaluations", std::move(list)}});
    };
    co_return co_await deps_.database.read(answer);
  }

  awaitable<Response> get(RequestContext& context, const SessionClaims& actor) {
    const Id id = context.ids[0];
    auto answer = [&](Store& store) -> Response {
      const auto evaluation = store.evaluation(id);
      if (!evaluation) {
        return not_found();
      }
      const Viewer viewer =
          viewer_of(store, actor, evaluation->school_class.id, evaluation->subject.id);
      if (viewer.access == Access::none) {
        return not_found();
      }
      return http::json_response(Status::ok, evaluation_view(store, *evaluation, viewer));
    };
    co_return co_await deps_.database.read(answer);
  }

  awaitable<Response> create(RequestContext& context, const SessionClaims& actor) {
    Response error;
    const auto input = read_evaluation(context, deps_.clock, true, error);
    if (!input) {
      co_return error;
    }
    EvaluationDraft fields = input->fields;
    fields.class_id = *input->class_id;
    fields.subject_id = *input->subject_id;
    fields.author_id = actor.user_id;
    auto check = [&](Store& store) {
      return viewer_of(store, actor, fields.class_id, fields.subject_id).access == Access::write;
    };
    const bool allowed = co_await deps_.database.read(check);
    if (!allowed) {
      co_return forbidden();
    }
    const std::string now = format_utc_timestamp(deps_.clock.unix_seconds());
    auto insert = [&](Store& store) {
      const Id created = store.create_evaluation(fields, now);
      return evaluation_view(store, *store.evaluation(created), Viewer{Access::write, {}});
    };
    const boost::json::object created = co_await deps_.database.write(insert);
    co_return http::json_response(Status::created, created);
  }

  awaitable<Response> update(RequestContext& context, const SessionClaims& actor) {
    Response error;
    const auto input = read_evaluation(context, deps_.clock, false, error);
    if (!input) {
      co_return error;
    }
    const Id id = context.ids[0];
    EvaluationDraft fields = input->fields;
    http::FieldErrors errors;
    auto check = [&](Store& store) {
      const auto existing = store.evaluation(id);
      if (!existing) {
        return Access::none;
      }
      const Access access =
          viewer_of(store, actor, existing->school_class.id, existing->subject.id).access;
      if (access != Access::write) {
        return access;  // a pupil or parent who sees it may not change it: 403
      }
      // Marks belong to the class's pupils: an evaluation stays in its class and subject.
      fields.class_id = existing->school_class.id;
      fields.subject_id = existing->subject.id;
      fields.author_id = existing->author.id;
      if (input->class_id.value_or(fields.class_id) != fields.class_id) {
        errors.add("class_id", "cannot change");
      }
      if (input->subject_id.value_or(fields.subject_id) != fields.subject_id) {
        errors.add("subject_id", "cannot change");
      }
      for (const MarkRecord& mark : store.evaluation_marks(id)) {
        if (mark.value && *mark.value > fields.out_of) {
          errors.add("out_of",
                     "is below a mark already given (" + format_decimal(*mark.value) + ")");
        }
      }
      return access;
    };
    const Access access = co_await deps_.database.read(check);
    if (access != Access::write) {
      co_return access == Access::none ? not_found() : forbidden();
    }
    if (!errors.empty()) {
      co_return errors.response();
    }
    const std::string now = format_utc_timestamp(deps_.clock.unix_seconds());
    auto change = [&](Store& store) -> std::optional<boost::json::object> {
      if (!store.update_evaluation(id, fields, now)) {
        return std::nullopt;
      }
      return evaluation_view(store, *store.evaluation(id), Viewer{Access::write, {}});
    };
    const auto updated = co_await deps_.database.write(change);
    co_return updated ? http::json_response(Status::ok, *updated) : not_found();
  }

  awaitable<Response> remove(RequestContext& context, const SessionClaims& actor) {
    const Id id = context.ids[0];
    auto check = [&](Store& store) { return access_to(store, actor, id); };
    const Access access = co_await deps_.database.read(check);
    if (access != Access::write) {
      co_return access == Access::none ? not_found() : forbidden();
    }
    auto erase = [&](Store& store) { return store.delete_evaluation(id); };
    const bool deleted = co_await deps_.database.write(erase);
    co_return deleted ? http::empty_response(Status::no_content) : not_found();
  }

  awaitable<Response> set_marks(RequestContext& context, const SessionClaims& actor) {
    Response error;
    const auto body = http::parse_json_object(context.request, error);
    if (!body) {
      co_return error;
    }
    const Id id = context.ids[0];
    double out_of = 0;
    std::set<Id> enrolled;
    auto check = [&](Store& store) {
      const auto evaluation = store.evaluation(id);
      if (!evaluation) {
        return Access::none;
      }
      out_of = evaluation->out_of;
      for (const PersonRef& pupil : store.class_pupils(evaluation->school_class.id)) {
        enrolled.insert(pupil.id);
      }
      return access_to(store, actor, id);
    };
    const Access access = co_await deps_.database.read(check);
    if (access != Access::write) {
      co_return access == Access::none ? not_found() : forbidden();
    }
    http::FieldErrors errors;
    std::vector<MarkDraft> marks;
    std::set<Id> seen;
    const std::vector<MarkRow> rows = read_mark_rows(*body, errors);
    for (std::size_t i = 0; i < rows.size(); ++i) {
      if (!rows[i].valid) {
        continue;
      }
      const MarkDraft& mark = rows[i].mark;
      const std::string prefix = "marks[" + std::to_string(i) + "].";
      if (!enrolled.contains(mark.pupil_id)) {
        errors.add(prefix + "pupil_id", "not a pupil of this class");
      } else if (!seen.insert(mark.pupil_id).second) {
        errors.add(prefix + "pupil_id", "appears twice");
      }
      if (mark.value && *mark.value > out_of) {
        errors.add(prefix + "value", "must be at most " + format_decimal(out_of));
      }
      marks.push_back(mark);
    }
    if (!errors.empty()) {
      co_return errors.response();
    }
    const std::string now = format_utc_timestamp(deps_.clock.unix_seconds());
    auto write = [&](Store& store) -> std::optional<boost::json::object> {
      if (!store.set_marks(id, marks, now)) {
        return std::nullopt;
      }
      return evaluation_view(store, *store.evaluation(id), Viewer{Access::write, {}});
    };
    const auto updated = co_await deps_.database.write(write);
    co_return updated ? http::json_response(Status::ok, *updated) : not_found();
  }

  awaitable<Response> export_marks(RequestContext& context, const SessionClaims& actor) {
    const ClassAndSubject query = read_class_and_subject(context, true);
    if (!query.valid) {
      co_return query.error;
    }
    auto answer = [&](Store& store) -> Response {
      if (!reads_all(viewer_of(store, actor, query.class_id, query.subject_id).access)) {
        return not_found("No such class or subject.");
      }
      // The file is named after the class and subject ("notes 6e A Mathématiques.csv"); the
      // subject's name comes from its evaluations, so an empty export goes without it.
      std::string file_name = "notes " + store.school_class(query.class_id)->name;
      const std::string csv = export_csv(store, query.class_id, query.subject_id, file_name);
      Response response = http::text_response(Status::ok, csv, "text/csv; charset=utf-8");
      response.set(boost::beast::http::field::content_disposition,
                   http::content_disposition("attachment", file_name + ".csv"));
      response.set(boost::beast::http::field::cache_control, "private, no-store");
      return response;
    };
    co_return co_await deps_.database.read(answer);
  }

  awaitable<Response> pupil_report(RequestContext& context, const SessionClaims& actor) {
    http::FieldErrors errors;
    const auto pupil_id = query_id(context, "pupil_id", errors);
    if (!errors.empty()) {
      co_return errors.response();
    }
    auto answer = [&](Store& store) -> Response {
      Id wanted = *pupil_id;
      if (wanted == 0 && actor.role == Role::pupil) {
        wanted = actor.user_id;
      } else if (wanted == 0 && actor.role == Role::parent) {
        const auto children = store.children(actor.user_id);
        if (children.size() != 1) {
          http::FieldErrors missing;
          missing.add("pupil_id", children.empty() ? "no child to show" : "required: which child");
          return missing.response();
        }
        wanted = children.front().person.id;
      } else if (wanted == 0) {
        http::FieldErrors missing;
        missing.add("pupil_id", "required");
        return missing.response();
      }
      const auto pupil = store.user(wanted);
      if (!pupil || pupil->role != Role::pupil || !pupil->school_class ||
          !may_see_pupil(store, actor, *pupil)) {
        return not_found("No such pupil.");
      }
      return http::json_response(Status::ok, report(store, actor, *pupil));
    };
    co_return co_await deps_.database.read(answer);
  }

 private:
  static Access access_to(Store& store, const SessionClaims& actor, Id evaluation_id) {
    const auto evaluation = store.evaluation(evaluation_id);
    if (!evaluation) {
      return Access::none;
    }
    const Access access =
        viewer_of(store, actor, evaluation->school_class.id, evaluation->subject.id).access;
    return access;  // a pupil or parent who sees it may not change it: 403
  }

  // Whether a teacher teaches the class at all (they then learn the class exists, and see an
  // empty list for a subject they do not teach).
  static bool teaches_in(Store& store, const SessionClaims& actor, Id class_id) {
    const auto relation = relation_to_class(store, actor, class_id, 0);
    return relation && relation->teaches_class;
  }

  // The pupil themself, a parent of theirs, or anyone who reads some subject's grades in the
  // pupil's class (the report then shows those subjects only).
  static bool may_see_pupil(Store& store, const SessionClaims& actor, const UserRecord& pupil) {
    const Viewer viewer = viewer_of(store, actor, pupil.school_class->id, 0);
    if (viewer.sees(pupil.id)) {
      return true;
    }
    return actor.role == Role::teacher && teaches_in(store, actor, pupil.school_class->id);
  }

  Dependencies deps_;
};

}  // namespace

void add_routes(http::Router& router, Dependencies dependencies) {
  auto handlers = std::make_shared<Handlers>(dependencies);
  const auto bind = [&](auto member) {
    return guard::signed_in_member(dependencies.sessions, handlers, member);
  };
  router.add({http::Verb::get, "/api/evaluations", "grades.list", 0, bind(&Handlers::list)});
  router.add({http::Verb::post, "/api/evaluations", "grades.create", kMaxEvaluationBodyBytes,
              bind(&Handlers::create)});
  router.add({http::Verb::get, "/api/evaluations/export.csv", "grades.export", 0,
              bind(&Handlers::export_marks)});
  router.add({http::Verb::get, "/api/evaluations/{id}", "grades.get", 0, bind(&Handlers::get)});
  router.add({http::Verb::put, "/api/evaluations/{id}", "grades.update", kMaxEvaluationBodyBytes,
              bind(&Handlers::update)});
  router.add(
      {http::Verb::delete_, "/api/evaluations/{id}", "grades.delete", 0, bind(&Handlers::remove)});
  router.add({http::Verb::put, "/api/evaluations/{id}/marks", "grades.marks", kMaxMarksBodyBytes,
              bind(&Handlers::set_marks)});
  router.add({http::Verb::get, "/api/grades", "grades.report", 0, bind(&Handlers::pupil_report)});
}

}  // namespace cartable::grades
