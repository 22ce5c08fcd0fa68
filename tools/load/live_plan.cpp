#include "live_plan.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/json.hpp>
#include <map>
#include <set>
#include <stdexcept>

#include "user_agent.hpp"

namespace cartable::load {

namespace {

namespace asio = boost::asio;

struct Teaching {
  const Account* teacher;
  std::vector<std::pair<std::int64_t, std::string>> classes;  // id, name
};

// Asks GET /api/me of every teacher in `queue` from index `next` on, one at a time (several of
// these run side by side).
asio::awaitable<void> ask_teachers(const Target& server, std::vector<Teaching>& queue,
                                   std::size_t& next) {
  UserAgent agent(co_await asio::this_coro::executor, server.endpoint.address(), server);
  while (next < queue.size()) {
    Teaching& teaching = queue[next++];
    agent.set_cookie("cartable_session", teaching.teacher->session);
    Outgoing request;
    request.path = "/api/me";
    const Reply reply = co_await agent.send(request, std::chrono::milliseconds(30'000));
    if (!reply.answered || reply.status != 200) {
      continue;
    }
    boost::system::error_code ec;
    const auto me = boost::json::parse(reply.body, ec);
    const auto* list = ec || !me.is_object() ? nullptr : me.as_object().if_contains("teaching");
    if (list == nullptr || !list->is_array()) {
      continue;
    }
    for (const auto& entry : list->as_array()) {
      const auto& school_class = entry.at("class").as_object();
      teaching.classes.emplace_back(school_class.at("id").as_int64(),
                                    std::string(school_class.at("name").as_string()));
    }
  }
}

// The classes of one server that can hold a room, each with a teacher under the rooms limit, in a
// stable order.
std::vector<PlannedRoom> rooms_of_server(const LiveRunOptions& options, std::size_t server_index,
                                         const Target& server, const std::vector<Account>& people) {
  std::map<std::pair<std::string, std::string>, std::vector<const Account*>> pupils_by_class;
  std::vector<Teaching> teachers;
  for (const Account& person : people) {
    if (person.session.empty()) {
      continue;
    }
    if (person.role == "pupil") {
      pupils_by_class[{person.school, person.class_name}].push_back(&person);
    } else if (person.role == "teacher") {
      teachers.push_back({&person, {}});
    }
  }
  {
    asio::io_context context(1);
    std::size_t next = 0;
    for (int i = 0; i < 32; ++i) {
      asio::co_spawn(context, ask_teachers(server, teachers, next), asio::detached);
    }
    context.run();
  }
  const auto pupils_wanted = static_cast<std::size_t>(std::max(0, options.members_per_room - 1));
  std::set<std::int64_t> taken;
  std::vector<PlannedRoom> rooms;
  for (const Teaching& teaching : teachers) {
    int started = 0;
    for (const auto& [class_id, class_name] : teaching.classes) {
      if (started >= options.rooms_per_teacher || taken.contains(class_id)) {
        continue;
      }
      const auto found = pupils_by_class.find({teaching.teacher->school, class_name});
      if (found == pupils_by_class.end() || found->second.size() < pupils_wanted) {
        continue;
      }
      taken.insert(class_id);
      ++started;
      PlannedRoom room{server_index,
                       class_id,
                       teaching.teacher,
                       {found->second.begin(),
                        found->second.begin() + static_cast<std::ptrdiff_t>(pupils_wanted)},
                       false};
      rooms.push_back(std::move(room));
    }
  }
  return rooms;
}

}  // namespace

std::vector<PlannedRoom> plan_rooms(const LiveRunOptions& options,
                                    const std::vector<Target>& servers,
                                    const std::vector<std::vector<Account>>& people) {
  std::vector<std::vector<PlannedRoom>> candidates;
  for (std::size_t s = 0; s < servers.size(); ++s) {
    candidates.push_back(rooms_of_server(options, s, servers[s], people[s]));
  }
  // Room i goes to server i % servers: each server gets its share.
  std::vector<PlannedRoom> rooms;
  std::vector<std::size_t> used(servers.size(), 0);
  for (std::size_t i = 0; i < options.rooms; ++i) {
    const std::size_t s = i % servers.size();
    if (used[s] >= candidates[s].size()) {
      throw std::invalid_argument(
          options.urls[s] + " offers " + std::to_string(candidates[s].size()) +
          " classes with a teacher under the rooms limit and " +
          std::to_string(options.members_per_room - 1) + " pupils with sessions; the run needs " +
          std::to_string((options.rooms + servers.size() - 1 - s) / servers.size()) +
          " (start its demo with more schools or classes)");
    }
    rooms.push_back(candidates[s][used[s]++]);
  }
  // "At any moment the teacher draws in a share of the rooms": those rooms, evenly spread.
  for (std::size_t i = 0; i < rooms.size(); ++i) {
    const auto before = static_cast<std::size_t>(static_cast<double>(i) * options.drawing_share);
    const auto after = static_cast<std::size_t>(static_cast<double>(i + 1) * options.drawing_share);
    rooms[i].drawing = !options.join_storm && after > before;
  }
  return rooms;
}

}  // namespace cartable::load
