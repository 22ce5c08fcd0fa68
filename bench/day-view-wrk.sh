#!/usr/bin/env bash
# The day view (signed in, keep-alive) beside a minimal response of the same server and beside
# nginx serving the same bytes as a static file (one worker process, like --threads 1), measured
# with wrk in one run. Server and wrk share this machine: the server gets --threads 1 (one core for its
# I/O), wrk one thread. wrk is one client hammering as fast as it can, which the server's
# per-session and per-address rate limits would rightly refuse: they are off for this measure; the
# request still goes through the admission gate with a pass, as an admitted pupil's does.
# Usage: bench/day-view-wrk.sh [BINARY] [SECONDS] [CONNECTIONS]
set -euo pipefail
binary=${1:-build/release/cartable}
seconds=${2:-10}
connections=${3:-64}
work=$(mktemp -d)
trap 'kill $(cat "$work/pid" 2>/dev/null) 2>/dev/null || true; rm -rf "$work"' EXIT

"$binary" demo --data "$work/data" --listen 127.0.0.1:0 --port-file "$work/port" \
  --accounts "$work/accounts.csv" --threads 1 --log-level warn \
  --now 2026-11-23T07:45:00Z --rate-limit-per-session 0 --rate-limit-per-address 0 \
  >"$work/server.log" 2>&1 &
echo $! >"$work/pid"
for _ in $(seq 600); do [ -f "$work/port" ] && break; sleep 0.1; done
port=$(cat "$work/port")
base="http://127.0.0.1:$port"
IFS=, read -r login password _ < <(grep ',pupil,' "$work/accounts.csv" | head -1)
curl -s -c "$work/jar" -H 'Content-Type: application/json' \
  -d "{\"login\":\"$login\",\"password\":\"$password\"}" "$base/api/session" >/dev/null
cookie=$(awk '/cartable_(session|pass)/ {printf "%s%s=%s", sep, $6, $7; sep="; "}' "$work/jar")
etag=$(curl -s -D - -o /dev/null -b "$cookie" "$base/api/me/today" | awk 'tolower($1)=="etag:" {print $2}' | tr -d '\r')

run() {  # label, path, extra header, full URL (instead of the server's path)
  local out
  out=$(wrk -t1 -c"$connections" -d"${seconds}s" -H "Cookie: $cookie" ${3:+-H "$3"} "${4:-$base$2}")
  local rps
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  local p50
  p50=$(awk '/Latency/ {print $2; exit}' <<<"$out")
  printf '%-34s %12s req/s   mean latency %s\n' "$1" "$rps" "$p50" >&2
  echo "$rps"
}

echo "wrk -t1 -c$connections -d${seconds}s, server --threads 1, $(nproc) cores shared" >&2
minimal=$(run "GET /healthz (minimal)" /healthz)
day=$(run "GET /api/me/today (200)" /api/me/today)
not_modified=$(run "GET /api/me/today (304)" /api/me/today "If-None-Match: $etag")
nginx_rps=0
if command -v nginx >/dev/null; then
  # The day view's own bytes, as a static file nginx serves from its page cache.
  mkdir -p "$work/www"
  curl -s -b "$cookie" "$base/api/me/today" >"$work/www/today.json"
  chmod -R a+rX "$work"
  nginx_port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  cat >"$work/nginx.conf" <<CONF
daemon off; worker_processes 1; pid $work/nginx.pid; error_log $work/nginx.log;
events { worker_connections 1024; }
http { access_log off; default_type application/json;
  server { listen 127.0.0.1:$nginx_port; location / { root $work/www; } } }
CONF
  nginx -c "$work/nginx.conf" -p "$work" &
  nginx_pid=$!
  sleep 0.5
  nginx_rps=$(run "nginx 1.22, static today.json" "" "" "http://127.0.0.1:$nginx_port/today.json")
  kill "$nginx_pid"
else
  echo "nginx not installed (apt-get install nginx): skipped" >&2
fi
awk -v d="$day" -v m="$minimal" -v n="$not_modified" -v x="$nginx_rps" 'BEGIN {
  printf "day view 200 / minimal: %.2f\nday view 304 / minimal: %.2f\n", d / m, n / m
  if (x > 0) printf "day view 200 / nginx static: %.2f\nminimal / nginx static: %.2f\n", d / x, m / x }' >&2
