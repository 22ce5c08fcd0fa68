#!/usr/bin/env bash
# Cold start of the day view at 7:57, with and without pre-warming: every pupil of the rentrée
# population (4 schools x 24 classes x 30) opens the day view once, in class order, with a session
# remembered from yesterday; we time each first view. Pre-warming builds each class's day five
# minutes before its 8:00 lessons, so the first pupil of a class does not pay for the lessons and
# homework reads. The admission gate is off here: this measures the view, not the queue.
# Usage: bench/cold-start.sh [BINARY]
set -euo pipefail
binary=${1:-build/release/cartable}
work=$(mktemp -d)
trap 'kill $(cat "$work"/pid-* 2>/dev/null) 2>/dev/null || true; rm -rf "$work"' EXIT

run() {  # label, lead minutes
  local dir="$work/$1"
  mkdir -p "$dir"
  "$binary" demo --data "$dir/data" --listen 127.0.0.1:0 --port-file "$dir/port" \
    --schools 4 --classes-per-school 24 --pupils-per-class 30 --argon2-ops 1 --argon2-mem-kib 64 \
    --accounts "$dir/accounts.csv" --sessions "$dir/sessions.csv" --threads 1 --log-level warn \
    --now 2026-11-23T06:57:00Z --admission off --rate-limit-per-session 0 \
    --rate-limit-per-address 0 --prewarm-lead-minutes "$2" >"$dir/server.log" 2>&1 &
  echo $! >"$work/pid-$1"
  for _ in $(seq 600); do [ -f "$dir/port" ] && break; sleep 0.1; done
  sleep 2  # let pre-warming finish (it starts with the server)
  python3 - "$1" "$(cat "$dir/port")" "$dir/accounts.csv" "$dir/sessions.csv" <<'PY'
import csv, http.client, statistics, sys, time
label, port, accounts, sessions = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
pupils = [row for row in csv.DictReader(open(accounts)) if row["role"] == "pupil"]
pupils.sort(key=lambda row: (row["school"], row["class"]))
session = {row["login"]: row["session"] for row in csv.DictReader(open(sessions))}
connection = http.client.HTTPConnection("127.0.0.1", port)
times, first_of_class, seen = [], [], set()
for pupil in pupils:
    start = time.perf_counter()
    connection.request("GET", "/api/me/today", headers={"Cookie": "cartable_session=" + session[pupil["login"]]})
    response = connection.getresponse()
    response.read()
    elapsed = (time.perf_counter() - start) * 1e6
    assert response.status == 200, response.status
    times.append(elapsed)
    key = (pupil["school"], pupil["class"])
    if key not in seen:
        seen.add(key)
        first_of_class.append(elapsed)
connection.request("GET", "/metrics")
metrics = connection.getresponse().read().decode()
hits = [l for l in metrics.splitlines() if l.startswith("cartable_cache_lookups_total{cache=\"class_day\"") or l.startswith("cartable_prewarmed")]
q = lambda data, p: sorted(data)[min(len(data) - 1, int(p * len(data)))]
print(f"{label:12} {len(times)} first views: median {statistics.median(times):7.0f} us, p99 {q(times, 0.99):7.0f} us; "
      f"first pupil of each of {len(first_of_class)} classes: median {statistics.median(first_of_class):7.0f} us, "
      f"p99 {q(first_of_class, 0.99):7.0f} us")
for line in hits:
    print(f"{'':12} {line}")
PY
  kill "$(cat "$work/pid-$1")"
}

echo "server --threads 1; one client, sequential, keep-alive; $(nproc) cores shared"
run cold 0
run prewarmed 5
