#include "ops/status_page.hpp"

namespace cartable::ops {

const std::string_view kStatusPage = R"HTML(<!doctype html>
<html lang="fr"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>État de Cartable – Cartable status</title>
<link rel="stylesheet" href="/waiting-room.css">
<script src="/status.js" defer></script>
</head><body><main class="status-page">
<h1>État du service <span lang="en">/ Service status</span></h1>
<p id="verdict" class="lead" role="status" aria-live="polite">Chargement… / Loading…</p>
<p id="detail" class="note"></p>
<section><h2>Requêtes par seconde <span lang="en">/ Requests per second</span></h2>
<svg id="requests" viewBox="0 0 600 160" role="img" aria-label="requests per second by status"></svg>
<p class="note" id="requests-legend"></p></section>
<section><h2>Salle d’attente <span lang="en">/ Waiting room</span></h2>
<svg id="queue" viewBox="0 0 600 160" role="img" aria-label="admissions and queue"></svg>
<p class="note" id="queue-legend"></p></section>
<section><h2>Refus par motif <span lang="en">/ Refusals by reason</span></h2>
<svg id="refusals" viewBox="0 0 600 160" role="img" aria-label="refusals per second by reason"></svg>
<p class="note" id="refusals-legend"></p></section>
<section><h2>Signaux de charge <span lang="en">/ Load signals</span> (ms)</h2>
<svg id="signals" viewBox="0 0 600 160" role="img" aria-label="overload signals"></svg>
<p class="note" id="signals-legend"></p></section>
<p class="note">Données brutes : <a href="/metrics">/metrics</a> (Prometheus).</p>
</main></body></html>
)HTML";

// Reads /metrics every 2 s, turns counters into per-second rates, keeps 150 samples (5 minutes).
// A crowd shows as a waiting room with admissions at the server's pace; abuse as refusals for rate
// limits, connection caps, malformed or slow requests.
const std::string_view kStatusScript = R"JS("use strict";
(function () {
  var HISTORY = 150, PERIOD = 2000;
  var colours = ["#1d4e89", "#2e7d32", "#c77700", "#b3261e", "#6a1b9a", "#00838f", "#5d4037"];
  var samples = [], previous = null;
  function parse(text) {
    var values = {};
    text.split("\n").forEach(function (line) {
      if (!line || line.charAt(0) === "#") return;
      var space = line.lastIndexOf(" ");
      values[line.slice(0, space)] = Number(line.slice(space + 1));
    });
    return values;
  }
  function sum(values, prefix, filter) {
    var total = 0;
    Object.keys(values).forEach(function (key) {
      if (key.indexOf(prefix) === 0 && (!filter || key.indexOf(filter) >= 0)) total += values[key];
    });
    return total;
  }
  function rate(now, before, key, seconds) {
    return before ? Math.max(0, (now[key] - before[key]) / seconds) : 0;
  }
  function sample(now, before, seconds) {
    var s = { requests: {}, refusals: {}, queue: {}, signals: {} };
    ["2xx", "3xx", "4xx", "5xx"].forEach(function (code) {
      var key = "requests " + code;
      // The gate's answers (waiting room, rate limits) are charted as refusals, not as errors.
      now[key] = sum(now, "cartable_http_requests_total{", 'code="' + code + '"') -
        (now['cartable_http_requests_total{route="admission",code="' + code + '"}'] || 0);
      s.requests[code] = rate(now, before, key, seconds);
    });
    Object.keys(now).forEach(function (key) {
      var match = /^cartable_(?:admission_rejected|refused)_total\{reason="([^"]+)"\}$/.exec(key);
      if (match) s.refusals[match[1]] = rate(now, before, key, seconds);
    });
    now["admitted"] = sum(now, "cartable_admission_admitted_total{");
    s.queue["admitted/s"] = rate(now, before, "admitted", seconds);
    s.queue["limit/s"] = now["cartable_admission_rate"] || 0;
    s.queue["in queue"] = now["cartable_admission_queue_length"] || 0;
    s.queue["active"] = now["cartable_admission_active_visitors"] || 0;
    ["latency_p95", "pool_delay", "loop_lag"].forEach(function (name) {
      s.signals[name] = 1000 * (now['cartable_admission_signal_seconds{signal="' + name + '"}'] || 0);
    });
    return s;
  }
  function draw(id, group) {
    var svg = document.getElementById(id), keys = {}, max = 1;
    samples.forEach(function (s) {
      Object.keys(s[group]).forEach(function (k) { keys[k] = true; max = Math.max(max, s[group][k]); });
    });
    var names = Object.keys(keys), parts = [], legend = [];
    names.forEach(function (name, i) {
      var points = samples.map(function (s, x) {
        return (x * 600 / (HISTORY - 1)).toFixed(1) + "," + (155 - 150 * (s[group][name] || 0) / max).toFixed(1);
      });
      var colour = colours[i % colours.length];
      parts.push('<polyline fill="none" stroke-width="2" stroke="' + colour + '" points="' + points.join(" ") + '"/>');
      var last = samples.length ? samples[samples.length - 1][group][name] || 0 : 0;
      legend.push('<svg width="10" height="10" aria-hidden="true"><rect width="10" height="10" fill="' + colour +
        '"/></svg> ' + name + " " + (Math.round(last * 10) / 10));
    });
    parts.push('<text x="4" y="12" font-size="11">' + Math.round(max) + "</text>");
    svg.innerHTML = parts.join("");
    document.getElementById(id + "-legend").innerHTML = legend.join(" &nbsp; ");
  }
  function verdict(s) {
    var total = 0, refused = 0, abusive = 0;
    Object.keys(s.requests).forEach(function (k) { total += s.requests[k]; });
    Object.keys(s.refusals).forEach(function (k) {
      refused += s.refusals[k];
      if (k !== "queue_full" && k !== "maintenance") abusive += s.refusals[k];
    });
    var crowd = s.queue["in queue"] > 0, abuse = abusive > 1 && abusive > 0.05 * (total + refused);
    var text = crowd && abuse ? "Affluence et trafic abusif / A crowd, and abusive traffic"
      : crowd ? "Affluence : la salle d’attente régule les arrivées / A crowd: the waiting room paces arrivals"
      : abuse ? "Trafic abusif refusé / Abusive traffic being refused"
      : "Service normal / Normal service";
    document.getElementById("verdict").textContent = text;
    document.getElementById("detail").textContent = Math.round(total) + " req/s, " +
      Math.round(refused) + " refus/s, " + s.queue["in queue"] + " en attente / waiting, " +
      Math.round(s.queue["limit/s"]) + " admissions/s max";
  }
  function tick() {
    fetch("/metrics", { cache: "no-store" }).then(function (r) { return r.text(); }).then(function (text) {
      var now = parse(text), at = Date.now();
      var s = sample(now, previous, previous ? (at - previous.at) / 1000 : 1);
      now.at = at;
      previous = now;
      samples.push(s);
      if (samples.length > HISTORY) samples.shift();
      ["requests", "queue", "refusals", "signals"].forEach(function (g) { draw(g, g); });
      verdict(s);
    }).catch(function () {
      document.getElementById("verdict").textContent = "Serveur injoignable / Server unreachable";
    }).then(function () { setTimeout(tick, PERIOD); });
  }
  tick();
})();
)JS";

}  // namespace cartable::ops
