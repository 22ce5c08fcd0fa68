#include "live/polls.hpp"

#include "common/text.hpp"

namespace cartable::live {

namespace {

bool is_line(std::string_view text, std::size_t max_chars) {
  const std::size_t length = utf8_length(text);
  return length > 0 && length <= max_chars && is_clean_text(text, false) &&
         !trim_whitespace(text).empty();
}

}  // namespace

std::variant<boost::json::object, std::string> Polls::open(const boost::json::object& message) {
  const auto* question = message.if_contains("question");
  if (question == nullptr || !question->is_string() ||
      !is_line(question->as_string(), limits_.max_question_chars)) {
    return "A poll needs a \"question\" of 1 to " + std::to_string(limits_.max_question_chars) +
           " characters on one line.";
  }
  const auto* choices = message.if_contains("choices");
  if (choices == nullptr || !choices->is_array() || choices->as_array().size() < 2 ||
      choices->as_array().size() > limits_.max_choices) {
    return "A poll needs 2 to " + std::to_string(limits_.max_choices) + " \"choices\".";
  }
  Poll poll;
  for (const auto& choice : choices->as_array()) {
    if (!choice.is_string() || !is_line(choice.as_string(), limits_.max_choice_chars)) {
      return "Each choice has 1 to " + std::to_string(limits_.max_choice_chars) +
             " characters on one line.";
    }
    poll.choices.emplace_back(trim_whitespace(choice.as_string()));
  }
  if (polls_.size() >= limits_.max_polls) {
    return "This lesson already has " + std::to_string(limits_.max_polls) + " polls.";
  }
  poll.id = next_id_++;
  poll.question = std::string(trim_whitespace(question->as_string()));
  polls_.push_back(std::move(poll));
  boost::json::object json = to_json(polls_.back());
  json["type"] = "poll";
  return json;
}

Polls::Poll* Polls::find(const boost::json::object& message) {
  const auto* id = message.if_contains("poll");
  if (id == nullptr || !id->is_int64()) {
    return nullptr;
  }
  for (Poll& poll : polls_) {
    if (static_cast<std::int64_t>(poll.id) == id->as_int64()) {
      return &poll;
    }
  }
  return nullptr;
}

std::variant<std::uint64_t, std::string> Polls::answer(const boost::json::object& message,
                                                       std::int64_t user_id) {
  Poll* poll = find(message);
  if (poll == nullptr) {
    return std::string("No such poll.");
  }
  if (poll->closed) {
    return std::string("This poll is closed.");
  }
  const auto* choice = message.if_contains("choice");
  if (choice == nullptr || !choice->is_int64() || choice->as_int64() < 0 ||
      choice->as_int64() >= static_cast<std::int64_t>(poll->choices.size())) {
    return "An answer needs \"choice\": from 0 to " + std::to_string(poll->choices.size() - 1) +
           ".";
  }
  poll->answers[user_id] = static_cast<std::size_t>(choice->as_int64());
  return poll->id;
}

std::variant<std::uint64_t, std::string> Polls::close(const boost::json::object& message) {
  Poll* poll = find(message);
  if (poll == nullptr) {
    return std::string("No such poll.");
  }
  poll->closed = true;
  return poll->id;
}

boost::json::object Polls::results(std::uint64_t poll_id) const {
  for (const Poll& poll : polls_) {
    if (poll.id == poll_id) {
      boost::json::array counts(poll.choices.size(), 0);
      for (const auto& [user, choice] : poll.answers) {
        counts[choice] = counts[choice].as_int64() + 1;
      }
      return {{"type", "poll_results"},
              {"poll", poll.id},
              {"counts", std::move(counts)},
              {"answers", poll.answers.size()},
              {"closed", poll.closed}};
    }
  }
  return {};
}

boost::json::object Polls::to_json(const Poll& poll) const {
  boost::json::array choices;
  for (const std::string& choice : poll.choices) {
    choices.push_back(boost::json::string(choice));
  }
  return {{"id", poll.id},
          {"question", poll.question},
          {"choices", std::move(choices)},
          {"closed", poll.closed}};
}

boost::json::array Polls::snapshot(bool leads, std::int64_t user_id) const {
  boost::json::array all;
  for (const Poll& poll : polls_) {
    boost::json::object json = to_json(poll);
    if (leads || poll.closed) {
      json["results"] = results(poll.id);
    }
    const auto own = poll.answers.find(user_id);
    json["you"] =
        own == poll.answers.end() ? boost::json::value(nullptr) : boost::json::value(own->second);
    all.push_back(std::move(json));
  }
  return all;
}

}  // namespace cartable::live
