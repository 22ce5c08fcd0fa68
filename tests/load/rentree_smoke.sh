#!/usr/bin/env bash
# A short rentrée against a real demo server (120 pupils, their teachers and parents, 5 seconds):
# no 5xx, no connection error, no failed journey, every journey finished, and every step of the
# journey taken (attachments, hand-ins, live lessons). Run twice: with the
# server's normal admission, and with admission so slow that most pupils go through the waiting
# room (which must not turn into failures).
# Usage: tests/load/rentree_smoke.sh CARTABLE CARTABLE_LOAD
set -euo pipefail
server=$1
load=$2
work=$(mktemp -d)
trap 'kill $(cat "$work/pid" 2>/dev/null) 2>/dev/null || true; rm -rf "$work"' EXIT

run() {  # label, extra server flags...
  local label=$1
  shift
  rm -f "$work/port"
  "$server" demo --data "$work/data" --listen 127.0.0.1:0 --port-file "$work/port" \
    --schools 1 --classes-per-school 4 --pupils-per-class 30 --argon2-ops 1 --argon2-mem-kib 64 \
    --accounts "$work/accounts.csv" --sessions "$work/sessions.csv" --log-level warn "$@" \
    >"$work/server-$label.log" 2>&1 &
  echo $! >"$work/pid"
  for _ in $(seq 300); do [ -f "$work/port" ] && break; sleep 0.1; done
  "$load" rentree "http://127.0.0.1:$(cat "$work/port")" --schools 1 --classes-per-school 4 \
    --pupils-per-class 30 --duration 5 --drain 60 --accounts "$work/accounts.csv" \
    --sessions "$work/sessions.csv" --server-pid "$(cat "$work/pid")" --json "$work/$label.json" \
    --html "$work/$label.html" --assert-clean 2>/dev/null
  python3 - "$work/$label.json" "$label" <<'PY'
import json, sys
report, label = json.load(open(sys.argv[1])), sys.argv[2]
journeys = report["journeys"]
assert journeys["started"] == 160 and journeys["completed"] == 160, journeys
assert journeys["unfinished"] == 0 and journeys["failed"] == 0, journeys
if label == "queued":
    assert journeys["queued"] > 50, journeys
requests, live = report["requests"], report["live"]
# The whole journey ran: worksheets downloaded, copies handed in, lessons started and joined.
assert requests["attachment"]["2xx"] > 0, requests["attachment"]
assert requests["upload"]["2xx"] > 0, requests["upload"]
assert requests["hand_in"]["2xx"] == requests["upload"]["2xx"], requests["hand_in"]
assert live["lessons_started"] > 0 and live["joined"] > live["lessons_started"], live
assert live["dropped"] == 0 and requests["live_end"]["2xx"] == live["lessons_started"], live
print(f"rentree smoke ({label}): {journeys['completed']} journeys, {journeys['queued']} queued: ok")
PY
  kill "$(cat "$work/pid")"; wait "$(cat "$work/pid")" 2>/dev/null || true
}

run normal
run queued --admission-initial-rate 10 --admission-max-rate 10
