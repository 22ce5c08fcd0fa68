#!/usr/bin/env bash
# cartable-load http against a real demo server: every answer 200, no connection error, a JSON
# result; and a target off loopback is refused (exit 2) without sending anything.
# Usage: tests/load/http_smoke.sh CARTABLE CARTABLE_LOAD
set -euo pipefail
server=$1
load=$2
work=$(mktemp -d)
trap 'kill $(cat "$work/pid" 2>/dev/null) 2>/dev/null || true; rm -rf "$work"' EXIT
"$server" demo --data "$work/data" --listen 127.0.0.1:0 --port-file "$work/port" \
  --schools 1 --classes-per-school 1 --pupils-per-class 2 --argon2-ops 1 --argon2-mem-kib 64 \
  --log-level warn >"$work/server.log" 2>&1 &
echo $! >"$work/pid"
for _ in $(seq 300); do [ -f "$work/port" ] && break; sleep 0.1; done
port=$(cat "$work/port")
"$load" http "http://127.0.0.1:$port/healthz" -c 4 -d 2 --json "$work/closed.json" >/dev/null
"$load" http "http://127.0.0.1:$port/healthz" -r 200 -c 4 -d 2 --json "$work/open.json" >/dev/null
python3 - "$work/closed.json" "$work/open.json" <<'PY'
import json, sys
for path in sys.argv[1:]:
    result = json.load(open(path))
    assert result["requests"] > 0, result
    assert set(result["statuses"]) == {"200"}, result
    assert result["connection_errors"] == 0, result
open_loop = json.load(open(sys.argv[2]))
assert 300 <= open_loop["requests"] + open_loop["late"] <= 500, open_loop  # 200/s for 2 s
PY
status=0
"$load" http "http://192.0.2.1:$port/" -d 1 >/dev/null 2>&1 || status=$?
[ "$status" = 2 ] || { echo "a non-loopback target was not refused (exit $status)"; exit 1; }
echo "http smoke: ok"
