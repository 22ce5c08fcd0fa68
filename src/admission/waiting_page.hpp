// The waiting room's page: a few kilobytes, no framework, French first with English beside. It
// shows the place and the estimate rendered by the server (so it works without JavaScript, with a
// meta refresh), and a small script polls GET /api/queue to update them and come in when admitted.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

namespace cartable::admission {

std::string waiting_page(std::size_t position, std::chrono::milliseconds estimated_wait,
                         std::chrono::milliseconds poll_after);
std::string maintenance_page(std::string_view message);

extern const std::string_view kWaitingScript;  // served as /waiting-room.js
extern const std::string_view kWaitingStyle;   // served as /waiting-room.css

}  // namespace cartable::admission
