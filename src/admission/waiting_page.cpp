#include "admission/waiting_page.hpp"

#include <cmath>

namespace cartable::admission {

namespace {

std::string escape_html(std::string_view text) {
  std::string escaped;
  escaped.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&':
        escaped += "&amp;";
        break;
      case '<':
        escaped += "&lt;";
        break;
      case '>':
        escaped += "&gt;";
        break;
      case '"':
        escaped += "&quot;";
        break;
      case '\'':
        escaped += "&#39;";
        break;
      default:
        escaped += c;
    }
  }
  return escaped;
}

// "about 3 minutes" in both languages; under a minute, in seconds rounded up to tens.
std::string wait_text(std::chrono::milliseconds wait, bool french) {
  const auto total = static_cast<long>(std::ceil(static_cast<double>(wait.count()) / 1000.0));
  if (total < 60) {
    const long tens = std::max(10L, (total + 9) / 10 * 10);
    return (french ? "moins de " : "under ") + std::to_string(tens) + " s";
  }
  const long minutes = (total + 59) / 60;
  return (french ? "environ " : "about ") + std::to_string(minutes) + " min";
}

std::string page(std::string_view title, std::string_view body, std::string_view head_extra) {
  std::string html;
  html.reserve(1'500 + body.size());
  html +=
      "<!doctype html><html lang=\"fr\"><head><meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
      "<title>";
  html += title;
  html += "</title><link rel=\"stylesheet\" href=\"/waiting-room.css\">";
  html += head_extra;
  html += "</head><body><main>";
  html += body;
  html += "</main></body></html>";
  return html;
}

}  // namespace

std::string waiting_page(std::size_t position, std::chrono::milliseconds estimated_wait,
                         std::chrono::milliseconds poll_after) {
  const std::string refresh_seconds =
      std::to_string(std::max<long>(2, static_cast<long>(poll_after.count() / 1000)));
  const std::string place = std::to_string(position);
  std::string body;
  body +=
      "<h1>Cartable</h1><p class=\"lead\">Beaucoup d’élèves se connectent en même temps. "
      "Vous êtes dans la file d’attente&nbsp;: gardez cette page ouverte, elle s’ouvrira "
      "toute seule.</p>"
      "<p class=\"figures\"><span>Place <strong id=\"position\">";
  body += place;
  body += "</strong></span><span>Attente <strong id=\"wait\">";
  body += wait_text(estimated_wait, true);
  body +=
      "</strong></span></p><p class=\"note\">Inutile d’actualiser la page&nbsp;: vous "
      "garderiez votre place, sans avancer plus vite.</p>"
      "<p class=\"en\" lang=\"en\">Many pupils are signing in at once. You are in the queue, "
      "place <strong id=\"position-en\">";
  body += place;
  body += "</strong>, wait <strong id=\"wait-en\">";
  body += wait_text(estimated_wait, false);
  body +=
      "</strong>. Keep this page open: it opens by itself. Reloading keeps your place.</p>"
      "<p class=\"status\" id=\"status\" role=\"status\" aria-live=\"polite\"></p>"
      "<script src=\"/waiting-room.js\" defer></script>";
  const std::string head = "<noscript><meta http-equiv=\"refresh\" content=\"" + refresh_seconds +
                           "\"></noscript><meta name=\"cartable-poll\" content=\"" +
                           std::to_string(poll_after.count()) + "\">";
  return page("File d’attente – Cartable", body, head);
}

std::string maintenance_page(std::string_view message) {
  std::string body =
      "<h1>Cartable</h1><p class=\"lead\">Cartable est en maintenance. / Cartable is "
      "down for maintenance.</p><p>";
  body += escape_html(message);
  body += "</p>";
  return page("Maintenance – Cartable", body, "<meta http-equiv=\"refresh\" content=\"60\">");
}

// Polls with the interval the server gives (jitter included), updates the figures, and reloads the
// page the visitor asked for once admitted. A failed poll retries later: never a blank page.
const std::string_view kWaitingScript = R"JS("use strict";
(function () {
  var meta = document.querySelector('meta[name="cartable-poll"]');
  var delay = meta ? Number(meta.getAttribute("content")) || 3000 : 3000;
  function text(id, value) {
    var node = document.getElementById(id);
    if (node) node.textContent = value;
  }
  function waitText(seconds, french) {
    if (seconds < 60) return (french ? "moins de " : "under ") + Math.max(10, Math.ceil(seconds / 10) * 10) + " s";
    return (french ? "environ " : "about ") + Math.ceil(seconds / 60) + " min";
  }
  function poll() {
    fetch("/api/queue", { credentials: "same-origin", cache: "no-store", headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (answer) {
        if (answer.status === "admitted") {
          text("status", "C’est à vous ! / Your turn!");
          location.reload();
          return;
        }
        var queue = answer.queue || answer;
        text("position", queue.position);
        text("position-en", queue.position);
        text("wait", waitText(queue.estimated_wait_seconds, true));
        text("wait-en", waitText(queue.estimated_wait_seconds, false));
        text("status", "");
        delay = queue.poll_after_ms || delay;
        setTimeout(poll, delay);
      })
      .catch(function () {
        text("status", "Connexion perdue, nouvel essai… / Connection lost, retrying…");
        setTimeout(poll, delay);
      });
  }
  setTimeout(poll, delay);
})();
)JS";

const std::string_view kWaitingStyle =
    R"CSS(body{margin:0;font:17px/1.5 system-ui,sans-serif;color:#1b2430;background:#f3f6fa}
main{max-width:34rem;margin:0 auto;padding:2rem 1.25rem}
h1{color:#1d4e89;font-size:1.6rem;margin:0 0 1rem}
.lead{font-size:1.1rem}
.figures{display:flex;gap:2rem;flex-wrap:wrap;font-size:1.1rem}
.figures strong{display:block;font-size:2rem;color:#1d4e89}
.note,.en{color:#4a5563}
.status{min-height:1.5em;color:#8a4b00}
.status-page{max-width:44rem}
.status-page svg[viewBox]{width:100%;height:auto;background:#fff;border:1px solid #d5dce5}
)CSS";

}  // namespace cartable::admission
