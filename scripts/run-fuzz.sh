#!/usr/bin/env bash
# Runs every fuzz target for SECONDS each, from its seed corpus in tests/fuzz/corpus/<target>/.
# Usage: run-fuzz.sh BUILD_DIR SECONDS
set -euo pipefail
build_dir=$1
seconds=$2
root="$(cd "$(dirname "$0")/.." && pwd)"
targets=("$build_dir"/tests/fuzz/fuzz_*)
if [ ! -x "${targets[0]}" ]; then
  echo "no fuzz target found in $build_dir/tests/fuzz" >&2
  exit 1
fi
for target in "${targets[@]}"; do
  [ -x "$target" ] || continue
  name=$(basename "$target")
  work=$(mktemp -d)
  seeds="$root/tests/fuzz/corpus/$name"
  echo "fuzzing $name for ${seconds}s"
  "$target" -max_total_time="$seconds" -max_len=8192 -print_final_stats=0 \
    "$work" $( [ -d "$seeds" ] && echo "$seeds" ) >"$work.log" 2>&1 || {
    tail -n 40 "$work.log"; rm -rf "$work" "$work.log"; exit 1; }
  grep -E "^#[0-9]+.*DONE|Done [0-9]+ runs" "$work.log" | tail -n 1
  rm -f "$work.log"
  rm -rf "$work"
done
