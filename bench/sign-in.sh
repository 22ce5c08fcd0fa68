#!/usr/bin/env bash
# Password sign-ins per second per core at the configured argon2id cost, and "stay signed in"
# session resumes per second, with wrk (one thread, 16 connections) on this 2-core machine.
# The server runs with its production argon2id cost (t=2, 19 MiB), one I/O thread and a hash pool of
# 1 then 2 threads; the admission gate and rate limits are off (this measures the cost of a
# sign-in, not the queue in front of it).
# Usage: bench/sign-in.sh [BINARY] [SECONDS]
set -euo pipefail
binary=${1:-build/release/cartable}
seconds=${2:-10}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'kill $(cat "$work/pid" 2>/dev/null) 2>/dev/null || true; rm -rf "$work"' EXIT

start() {  # hash threads
  rm -f "$work/port"
  "$binary" demo --data "$work/data" --listen 127.0.0.1:0 --port-file "$work/port" \
    --schools 1 --classes-per-school 8 --pupils-per-class 30 --accounts "$work/accounts.csv" \
    --sessions "$work/sessions.csv" --threads 1 --hash-threads "$1" --log-level warn \
    --admission off --rate-limit-per-session 0 --rate-limit-per-address 0 \
    --now 2026-11-23T07:45:00Z >"$work/server.log" 2>&1 &
  echo $! >"$work/pid"
  for _ in $(seq 1200); do [ -f "$work/port" ] && break; sleep 0.1; done
  grep ',pupil,' "$work/accounts.csv" >"$work/pupils.csv"
  awk -F, 'NR == FNR {pupil[$1] = 1; next} pupil[$1]' "$work/pupils.csv" "$work/sessions.csv" \
    >"$work/pupil-sessions.csv"
}

stop() { kill "$(cat "$work/pid")"; wait "$(cat "$work/pid")" 2>/dev/null || true; }

measure() {  # label, script, env
  local out
  out=$(env "$3" wrk -t1 -c16 -d"${seconds}s" -s "$here/lua/$2" "http://127.0.0.1:$(cat "$work/port")" 2>&1)
  printf '%-44s %10s req/s   latency mean %-8s %s\n' "$1" "$(awk '/Requests\/sec/ {print $2}' <<<"$out")" \
    "$(awk '/Latency/ {print $2; exit}' <<<"$out")" "$(grep 'non-200' <<<"$out")"
}

echo "wrk -t1 -c16 -d${seconds}s; server --threads 1; $(nproc) cores shared by server and wrk"
for hash_threads in 1 2; do
  start "$hash_threads"
  measure "sign-in (argon2id t=2 m=19MiB), hash threads=$hash_threads" sign-in.lua "ACCOUNTS=$work/pupils.csv"
  if [ "$hash_threads" = 1 ]; then
    measure "session resume (renewed cookie)" resume.lua "SESSIONS=$work/pupil-sessions.csv"
  fi
  stop
done
