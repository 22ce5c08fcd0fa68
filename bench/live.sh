#!/usr/bin/env bash
# Live lessons at scale, one command per measurement: demo servers (one data dir and port each,
# cheap argon2id since passwords are not measured, "stay signed in" sessions so nobody signs in),
# then cartable-load live over them; JSON and HTML reports in OUT_DIR.
#
#   10k            323 rooms x 31 = 10,013 connections, one server process
#   max            615 rooms x 31 = 19,065 members, one server process: with each teacher's page
#                  connection, 19,680 connections under the 20,000 open files of a process
#   100k           3,234 rooms x 31 = 100,254 connections over 6 server processes, 8 load processes
#                  (a lighter lesson: 1 % of the rooms drawing, a chat line per pupil every 5 min)
#   storm-paced    10,013 members joining within 5 s, the server pacing joins at 1,000/s
#   storm-unpaced  the same with pacing off (--live-joins-per-second 0)
#
# Cores (2 on the build machine): the server on core 0, the load processes on core 1 (taskset), so
# the load generator does not take the server's CPU. At 100k the 6 servers and 8 load processes
# share both cores instead: six servers time-sharing one core wait on each other (BENCHMARKS.md).
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
server_cores=0 load_cores=1
start_servers() {
  local count=$1 schools=$2
  shift 2
  for i in $(seq "$count"); do
    local data="var/bench-live-${schools}s-$i"
    taskset -c "$server_cores" "$build/cartable" demo --data "$data" --listen 127.0.0.1:0 \
      --port-file "$work/port-$i" --schools "$schools" --classes-per-school 24 \
      --pupils-per-class 30 --parents 0 --argon2-ops 1 --argon2-mem-kib 8 \
      --accounts "$work/accounts-$i.csv" --sessions "$work/sessions-$i.csv" --threads 1 \
      --admission off --rate-limit-per-address 0 --max-connections 19800 \
      --max-connections-per-ip 4000 --log-level warn "$@" >"$work/server-$i.log" 2>&1 &
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
  taskset -c "$load_cores" "$build/tools/load/cartable-load" live "${urls[@]}" "${accounts[@]}" \
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
    load --rooms 615 --procs 2 --ramp 30 --idle 10 --duration 30
    ;;
  100k)
    server_cores=0,1 load_cores=0,1
    start_servers 6 23
    # The lesson's traffic is scaled to what two shared cores carry (BENCHMARKS.md says why):
    # teachers draw in 1 % of the rooms and pupils chat every 5 minutes.
    load --rooms 3234 --procs 8 --ramp 90 --idle 15 --duration 30 --drawing-share 0.01 \
      --chat-per-minute 0.2
    ;;
  storm-paced)
    # A rate below the wave's 2,000 joins/s (the default rate is what one core completes, so this
    # storm would not need pacing): the joiners are spread over the slots the server announces.
    start_servers 1 14 --live-joins-per-second 1000 --live-join-burst 100
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
# The servers' warnings (their logs also list the demo's passwords, which are not results).
grep -h -E ' (warning|error) ' "$work"/server-*.log >"$out/server-warnings.txt" || true
echo "reports: $out/report.html $out/result.json"
