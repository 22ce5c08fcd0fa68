#!/usr/bin/env bash
# The day view over TLS keep-alive beside plain HTTP, same server build, same data: wrk -t1 -c64,
# server --threads 1 (then 2), a signed-in pupil's session and pass cookies on every request. The
# handshakes happen once per connection; this measures the record layer on the hot path.
# Rate limits are off (one client hammering is what they exist to refuse).
# Usage: bench/day-view-tls.sh [BINARY] [SECONDS]
set -euo pipefail
binary=${1:-build/release/cartable}
seconds=${2:-8}
work=$(mktemp -d)
trap 'kill $(cat "$work/pid" 2>/dev/null) 2>/dev/null || true; rm -rf "$work"' EXIT
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=127.0.0.1 \
  -keyout "$work/key.pem" -out "$work/cert.pem" >/dev/null 2>&1

measure() {  # scheme, threads
  local scheme=$1 threads=$2 tls_flags=()
  [ "$scheme" = https ] && tls_flags=(--tls-cert "$work/cert.pem" --tls-key "$work/key.pem")
  rm -f "$work/port"
  "$binary" demo --data "$work/data" --listen 127.0.0.1:0 --port-file "$work/port" \
    --accounts "$work/accounts.csv" --threads "$threads" --log-level warn \
    --now 2026-11-23T07:45:00Z --rate-limit-per-session 0 --rate-limit-per-address 0 \
    "${tls_flags[@]}" >"$work/server.log" 2>&1 &
  echo $! >"$work/pid"
  for _ in $(seq 600); do [ -f "$work/port" ] && break; sleep 0.1; done
  local base="$scheme://127.0.0.1:$(cat "$work/port")"
  IFS=, read -r login password _ < <(grep ',pupil,' "$work/accounts.csv" | head -1)
  rm -f "$work/jar"
  curl -sk -c "$work/jar" -H 'Content-Type: application/json' \
    -d "{\"login\":\"$login\",\"password\":\"$password\"}" "$base/api/session" >/dev/null
  local cookie
  cookie=$(awk '/cartable_(session|pass)/ {printf "%s%s=%s", sep, $6, $7; sep="; "}' "$work/jar")
  local out
  out=$(wrk -t1 -c64 -d"${seconds}s" -H "Cookie: $cookie" "$base/api/me/today")
  printf '%-6s threads=%s  GET /api/me/today (200) %10s req/s   mean latency %s\n' "$scheme" \
    "$threads" "$(awk '/Requests\/sec/ {print $2}' <<<"$out")" "$(awk '/Latency/ {print $2; exit}' <<<"$out")"
  kill "$(cat "$work/pid")"; wait "$(cat "$work/pid")" 2>/dev/null || true
}

echo "wrk -t1 -c64 -d${seconds}s keep-alive; $(nproc) cores shared by server and wrk"
for threads in 1 2; do
  measure http "$threads"
  measure https "$threads"
done
