#!/usr/bin/env bash
# A short libFuzzer run of every target, as CI does (docs/FUZZING.md): FUZZ_SECONDS each
# (30 unless set). Stable Rust builds the targets without a sanitizer (`-s none`); the
# debug assertions (`-a`) keep integer overflow a crash, as in the test suite. A finding
# is written to fuzz/artifacts/<target>/ and fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."
secs="${FUZZ_SECONDS:-30}"
if ! cargo fuzz --version >/dev/null 2>&1; then
  cargo install --locked cargo-fuzz
fi
bash fuzz/seed.sh
cargo fuzz build -s none -O -a
mkdir -p fuzz/target
for target in query text_reader json_reader lookup_csv parquet_reader; do
  echo "== fuzz $target for ${secs}s"
  log="fuzz/target/smoke-$target.log"
  # -rss_limit_mb: a runaway allocation is a finding too.
  if ! cargo fuzz run -s none -O -a "$target" "fuzz/corpus/$target" -- \
    -max_total_time="$secs" -rss_limit_mb=2048 -print_final_stats=1 >"$log" 2>&1; then
    tail -n 60 "$log" >&2
    echo "fuzz: $target failed; the input is in fuzz/artifacts/$target/" >&2
    exit 1
  fi
  grep -E '^(Done|stat::number_of_executed_units)' "$log" || true
done
