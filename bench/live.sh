#!/usr/bin/env bash
# Live lessons at scale, one command per measurement: demo servers (one data dir and port each,
# cheap argon2id since passwords are not measured, "stay signed in" sessions so nobody signs in),
# then cartable-load live over them; JSON and HTML reports in OUT_DIR.
#
#   10k            323 rooms x 31 = 10,013 connections, one server process
#   max            625 rooms x 31 = 19,375 connections, one server process (its 20,000 open files)
#   100k           3,234 rooms x 31 = 100,254 connections over 6 server processes, 8 load processes
#   storm-paced    10,013 members joining within 5 s, the server pacing joins (its default)
#   storm-unpaced  the same with pacing off (--live-joins-per-second 0)
#
# Cores (2 on the build machine): every server on core 0, every load process on core 1 (taskset),
# so the load generator does not take the servers' CPU; with 6 servers they share core 0.
# Servers run with --admission off and no per-address rate limit (this measures live lessons, not
# the waiting room), one I/O thread each, --max-connections 19800 (under the 20,000 open files).
# The demo data is built once per size under var/bench-live-*/ and reused.
# Usage: bench/live.sh [BUILD_DIR] MEASUREMENT [OUT_DIR]
set -euo pipefail
build=${1:-build/release}
what=${2:?usage: bench/live.sh [BUILD_DIR] 10k|max|100k|storm-paced|storm-unpaced [OUT_DIR]}
out=${3:-bench/results/live-$what}
mkdir -p "$out"
work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

# start_servers COUNT SCHOOLS [EXTRA FLAGS...]: COUNT demo servers of SCHOOLS x 24 classes x 30
# pupils; sets urls, accounts, sessions, server_pids.
urls=() accounts=() sessions=() server_pids=()
start_servers() {
  local count=$1 schools=$2
  shift 2
  for i in $(seq "$count"); do
    local data="var/bench-live-${schools}s-$i"
    taskset -c 0 "$build/cartable" demo --data "$data" --listen 127.0.0.1:0 \
      --port-file "$work/port-$i" --schools "$schools" --classes-per-school 24 \
      --pupils-per-class 30 --parents 0 --argon2-ops 1 --argon2-mem-kib 8 \
      --accounts "$work/accounts-$i.csv" --sessions "$work/sessions-$i.csv" --threads 1 \
      --admission off --rate-limit-per-address 0 --max-connections 19800 \
      --max-connections-per-ip 4000 --log-level warn "$@" >"$out/server-$i.log" 2>&1 &
    pids+=($!)
    server_pids+=($!)
  done
  for i in $(seq "$count"); do
    for _ in $(seq 6000); do [ -f "$work/port-$i" ] && break; sleep 0.1; done
    urls+=("http://127.0.0.1:$(cat "$work/port-$i")")
    accounts+=(--accounts "$work/accounts-$i.csv")
    sessions+=(--sessions "$work/sessions-$i.csv")
  done
}

load() {  # cartable-load live flags...
  local pid_flags=()
  for pid in "${server_pids[@]}"; do pid_flags+=(--server-pid "$pid"); done
  taskset -c 1 "$build/tools/load/cartable-load" live "${urls[@]}" "${accounts[@]}" \
    "${sessions[@]}" "${pid_flags[@]}" --json "$out/result.json" --html "$out/report.html" "$@" \
    | tee "$out/summary.txt"
}

case $what in
  10k)
    start_servers 1 14
    load --rooms 323 --procs 1 --ramp 20 --idle 10 --duration 30
    ;;
  max)
    start_servers 1 27
    load --rooms 625 --procs 2 --ramp 30 --idle 10 --duration 30
    ;;
  100k)
    start_servers 6 23
    load --rooms 3234 --procs 8 --ramp 60 --idle 15 --duration 30
    ;;
  storm-paced)
    start_servers 1 14
    load --rooms 323 --procs 1 --join-storm --ramp 5 --idle 25
    ;;
  storm-unpaced)
    start_servers 1 14 --live-joins-per-second 0
    load --rooms 323 --procs 1 --join-storm --ramp 5 --idle 25
    ;;
  *)
    echo "unknown measurement: $what" >&2
    exit 2
    ;;
esac
for url in "${urls[@]}"; do
  curl -s "$url/metrics" | grep -E '^cartable_live' || true
done >"$out/live-metrics.txt"
echo "reports: $out/report.html $out/result.json"
