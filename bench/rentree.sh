#!/usr/bin/env bash
# The rentrée scenario at a given scale, one command: a demo server with the scenario's population
# times SCALE (production argon2id cost), then cartable-load rentree with the default scenario
# (60 s) and up to 180 s more for the waiting room to let everyone in (a real morning goes on after
# the wave), JSON and HTML reports in OUT_DIR. Cores: the server is pinned to core 0 (taskset -c 0,
# with 1 I/O thread and 1 hash thread), the load generator to core 1, so they do not take each
# other's CPU. Building the demo hashes every password once (minutes at 10x); it is reused by later
# runs with the same scale.
# Usage: bench/rentree.sh [BUILD_DIR] [SCALE] [OUT_DIR]
set -euo pipefail
build=${1:-build/release}
scale=${2:-1}
out=${3:-bench/results/rentree-${scale}x}
mkdir -p "$out"
data="var/bench-rentree-${scale}x"
schools=$(python3 -c "import math; print(max(1, round(4 * max(1.0, $scale))))")
per_class=$(python3 -c "import math; print(max(1, math.ceil(30 * min(1.0, $scale))))")
work=$(mktemp -d)
trap 'kill $(cat "$work/pid" 2>/dev/null) 2>/dev/null || true; rm -rf "$work"' EXIT
taskset -c 0 "$build/cartable" demo --data "$data" --listen 127.0.0.1:0 --port-file "$work/port" \
  --schools "$schools" --classes-per-school 24 --pupils-per-class "$per_class" \
  --accounts "$out/accounts.csv" --sessions "$out/sessions.csv" --threads 1 --hash-threads 1 \
  --log-level warn >"$work/server.log" 2>&1 &
echo $! >"$work/pid"
for _ in $(seq 36000); do [ -f "$work/port" ] && break; sleep 0.1; done
port=$(cat "$work/port")
taskset -c 1 "$build/tools/load/cartable-load" rentree "http://127.0.0.1:$port" --scale "$scale" \
  --drain 180 --accounts "$out/accounts.csv" --sessions "$out/sessions.csv" \
  --server-pid "$(cat "$work/pid")" \
  --json "$out/result.json" --html "$out/report.html" | tee "$out/summary.txt"
curl -s "http://127.0.0.1:$port/metrics" | grep -E '^cartable_admission' >"$out/admission-metrics.txt" || true
rm -f "$out/accounts.csv" "$out/sessions.csv"  # secrets of the demo, not results
# The server's warnings (its log also lists the demo's passwords).
grep -E ' (warning|error) ' "$work/server.log" >"$out/server-warnings.txt" || true
echo "reports: $out/report.html $out/result.json"
