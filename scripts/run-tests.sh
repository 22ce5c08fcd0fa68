#!/usr/bin/env bash
# Runs every test suite: unit and HTTP tests (CTest) in the release and the sanitizer builds, the
# browser test against the release binary, and a short fuzzing run. Prints "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."

passed=0
failed=0
record() {  # name, exit code
  if [ "$2" -eq 0 ]; then
    passed=$((passed + 1)); echo "== $1: passed"
  else
    failed=$((failed + 1)); echo "== $1: FAILED"
  fi
}

ctest --test-dir build/release --output-on-failure -j 2 --timeout 300
record "unit and HTTP tests (release)" $?

ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build/asan --output-on-failure -j 2 --timeout 600
record "unit and HTTP tests (ASan+UBSan)" $?

node tests/browser/day.test.mjs --server build/release/cartable
record "browser test: the day" $?

node tests/browser/workspace.test.mjs --server build/release/cartable
record "browser test: the workspace (hand-in, marks, grades, documents, calendar)" $?

node tests/browser/live.test.mjs --server build/release/cartable
record "browser test: a live lesson (teacher and two pupils)" $?

node tests/browser/messages.test.mjs --server build/release/cartable
record "browser test: messages (parent and teacher) and announcements" $?

node tests/browser/offline.test.mjs --server build/release/cartable
record "browser test: the offline copy of the day (503, server killed, sign-out)" $?

make --no-print-directory fuzz FUZZ_SECONDS="${FUZZ_SECONDS:-10}"
record "fuzzing (short run)" $?

echo
echo "suites: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
