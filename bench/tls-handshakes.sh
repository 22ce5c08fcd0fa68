#!/usr/bin/env bash
# TLS handshakes per second, full and resumed (session tickets), with 1 and 2 I/O threads, measured
# with `openssl s_time -www /healthz` (each connection does its handshake and one request, which
# also lets TLS 1.3 tickets arrive), one client process per server thread, all on this machine.
# Usage: bench/tls-handshakes.sh [BINARY] [SECONDS]
set -euo pipefail
binary=${1:-build/release/cartable}
seconds=${2:-8}
work=$(mktemp -d)
trap 'kill $(cat "$work/pid" 2>/dev/null) 2>/dev/null || true; rm -rf "$work"' EXIT
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=127.0.0.1 \
  -keyout "$work/key.pem" -out "$work/cert.pem" >/dev/null 2>&1

measure() {  # threads, mode (-new | -reuse), clients
  local threads=$1 mode=$2 clients=$3
  rm -f "$work/port"
  "$binary" serve --data "$work/data-$threads" --listen 127.0.0.1:0 --port-file "$work/port" \
    --threads "$threads" --tls-cert "$work/cert.pem" --tls-key "$work/key.pem" --log-level warn \
    >"$work/server.log" 2>&1 &
  echo $! >"$work/pid"
  for _ in $(seq 200); do [ -f "$work/port" ] && break; sleep 0.05; done
  local port
  port=$(cat "$work/port")
  local total=0
  for client in $(seq "$clients"); do
    openssl s_time -connect "127.0.0.1:$port" "$mode" -www /healthz -time "$seconds" >"$work/s_time.$client" 2>&1 &
  done
  sleep $((seconds + 2))
  for client in $(seq "$clients"); do
    local rate
    rate=$(awk '/real seconds/ {print $1 / $4; exit}' "$work/s_time.$client")
    total=$(awk -v t="$total" -v r="${rate:-0}" 'BEGIN {print t + r}')
  done
  kill "$(cat "$work/pid")"; wait "$(cat "$work/pid")" 2>/dev/null || true
  printf '%-8s threads=%s clients=%s  %8.0f handshakes/s\n' "${mode#-}" "$threads" "$clients" "$total"
}

echo "openssl s_time, ${seconds}s per run, $(nproc) cores shared by server and clients"
for threads in 1 2; do
  measure "$threads" -new "$threads"
  measure "$threads" -reuse "$threads"
done
