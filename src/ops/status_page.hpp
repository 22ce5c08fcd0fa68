// /status: a page for operators and the public that tells a flash crowd from an attack. It is
// static (served from memory, never queued); its script reads /metrics every two seconds, keeps
// five minutes of history in the browser and draws it: requests by status class, admissions and
// the waiting room, refusals by reason, and the overload signals.
#pragma once

#include <string_view>

namespace cartable::ops {

extern const std::string_view kStatusPage;    // /status
extern const std::string_view kStatusScript;  // /status.js

}  // namespace cartable::ops
