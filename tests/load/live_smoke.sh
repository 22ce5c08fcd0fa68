#!/usr/bin/env bash
# A short live run against a real demo server (4 rooms of 31, one of them drawing, 2 load
# processes, a few seconds): every member joins and stays, no connection error, strokes and chat
# lines arrive. Then a small join storm.
# Usage: tests/load/live_smoke.sh CARTABLE CARTABLE_LOAD
set -euo pipefail
server=$1
load=$2
work=$(mktemp -d)
trap 'kill $(cat "$work/pid" 2>/dev/null) 2>/dev/null || true; rm -rf "$work"' EXIT
"$server" demo --data "$work/data" --listen 127.0.0.1:0 --port-file "$work/port" \
  --schools 1 --classes-per-school 4 --pupils-per-class 30 --parents 0 --argon2-ops 1 \
  --argon2-mem-kib 8 --accounts "$work/accounts.csv" --sessions "$work/sessions.csv" \
  --admission off --log-level warn >"$work/server.log" 2>&1 &
echo $! >"$work/pid"
for _ in $(seq 300); do [ -f "$work/port" ] && break; sleep 0.1; done
url="http://127.0.0.1:$(cat "$work/port")"
common=("$url" --accounts "$work/accounts.csv" --sessions "$work/sessions.csv"
        --server-pid "$(cat "$work/pid")" --rooms 4 --procs 2 --assert-clean)
"$load" live "${common[@]}" --drawing-share 0.25 --strokes-per-second 4 --chat-per-minute 30 \
  --ramp 2 --idle 1 --duration 3 --json "$work/live.json" --html "$work/live.html" 2>/dev/null
"$load" live "${common[@]}" --join-storm --ramp 1 --idle 2 --json "$work/storm.json" 2>/dev/null
python3 - "$work/live.json" "$work/storm.json" <<'PY'
import json, sys
live, storm = (json.load(open(f)) for f in sys.argv[1:])
for name, report in (("live", live), ("storm", storm)):
    members = report["members"]
    assert members["planned"] == 124 and members["welcomed"] == 124, (name, members)
    assert members["join_failed"] == members["connect_failed"] == members["dropped"] == 0, (name, members)
assert live["connections"]["held_idle"] == 124, live["connections"]
lesson = live["lesson"]
assert lesson["strokes_received"] > 0 and lesson["chats_received"] > 0, lesson
assert live["latency"]["stroke_fanout"]["count"] > 0, live["latency"]
print(f"live smoke: 124 members held, {lesson['strokes_received']} strokes and "
      f"{lesson['chats_received']} chat lines received: ok")
PY
