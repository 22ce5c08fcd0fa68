#!/usr/bin/env bash
# Runs every fuzz target for SECONDS each, from its seed corpus in tests/fuzz/corpus/<target>/.
# Usage: run-fuzz.sh BUILD_DIR SECONDS
set -euo pipefail
build_dir=$1
seconds=$2
root="$(cd "$(dirname "$0")/.." && pwd)"
for target in "$build_dir"/fuzz_*; do
  [ -x "$target" ] || continue
  name=$(basename "$target")
  work=$(mktemp -d)
  seeds="$root/tests/fuzz/corpus/$name"
  echo "fuzzing $name for ${seconds}s"
  "$target" -max_total_time="$seconds" -max_len=8192 -print_final_stats=0 \
    "$work" $( [ -d "$seeds" ] && echo "$seeds" ) 2>&1 | tail -n 3
  rm -rf "$work"
done
