// The seam for admission control: the service asks the gate before running a gated route or
// serving the app shell, and tells it how long each admitted request took.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "http/router.hpp"

namespace cartable::http {

class Gate {
 public:
  virtual ~Gate() = default;

  struct Verdict {
    std::optional<Response> answer;  // set: send this instead (waiting room, 429, maintenance)
    std::vector<std::string> set_cookies;  // otherwise: add these Set-Cookie headers
  };
  // `api`: the client expects JSON (under /api/), else a page.
  virtual Verdict admit(const RequestContext& context, bool api) = 0;
  virtual void completed(std::chrono::nanoseconds latency) = 0;
};

}  // namespace cartable::http
