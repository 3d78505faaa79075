#!/usr/bin/env bash
# flowq against DuckDB and Polars on the issue-3 queries, end to end and in memory.
#
#   bench/compare.sh [RECORDS...]      default: 1000000 10000000
#   SKIP=polars bench/compare.sh 30000000   leave an engine out (at 30M records Polars
#                                           fills memory and stalls the machine first)
#   RUNS=5 bench/compare.sh 10000000        end-to-end runs per engine and query
#                                           (default 3; the best is reported)
#   SHAPE=near-unique bench/compare.sh 10000000   the data's shape (default: default):
#       default      `flowq gen` as it is (connections keep their ports)
#       near-unique  a fresh ephemeral port every record: link groups ≈ records
#       ipv6         the hosts other than the named servers on IPv6 (half the addresses)
#       gzip         the default data gzipped (gzip -6)
#       oci-json     the default records as OCI Logging JSON lines (flowq gen -f oci-json)
#       aws-v5       the default records as AWS text, a 29-field v5 custom format behind
#                    its header line (flowq gen -f aws-v5)
#       small-files  the default records as AWS text (14 fields) in gzipped files of 1,000
#                    lines, each behind its header, in S3's AWSLogs/.../YYYY/MM/DD/ tree
#                    (bench/small_files.py); the other engines read the glob
#                    '**/*.log.gz'; also prints flowq's wall time against its CPU time
#
# Generates the data with `flowq gen` (bench/data/, kept between runs), installs duckdb
# and polars into bench/.venv when missing, runs every engine on every query, checks the
# answers agree, and prints a markdown table with the ratios (flowq / fastest other).
# End-to-end times are the best wall seconds of RUNS runs per engine (the runs of the
# engines interleaved, so a busy spell of a shared machine hits them alike); peak memory
# is the largest of the runs, from GNU time. Run on an idle machine; docs/PERFORMANCE.md
# keeps the latest table.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("${@:-1000000 10000000}")
read -r -a sizes <<<"${sizes[*]}"
data=bench/data
mkdir -p "$data"
cargo build --release --quiet
flowq=target/release/flowq
if [ ! -x bench/.venv/bin/python ] || ! bench/.venv/bin/python -c 'import duckdb, polars' 2>/dev/null; then
  python3 -m venv bench/.venv
  bench/.venv/bin/pip install --quiet duckdb polars
fi
py=bench/.venv/bin/python

queries=(
  "* | link span=1day Time, 'Source IP', 'Source Port', 'Destination IP', 'Destination Port' | stats sum('Content Size Out') as B"
  "* | stats sum('Content Size Out') as B by 'Source IP' | sort -B | head 10"
  "Action = reject | stats count by 'Destination Port' | sort -Count | head 20"
  "* | link span=1hour Time | stats sum('Content Size Out') as B"
)

skipped() { [[ " ${SKIP:-} " == *" $1 "* ]]; }
runs=${RUNS:-3}

# measure CMD... -> prints "seconds peak_kb", or "failed 0" when the command fails
# (an engine killed for want of memory at 30M records, say).
# Each engine runs in its own session with the highest OOM score, so that when memory
# runs out the kernel kills the engine, not this script.
measure() {
  if setsid /usr/bin/time -f "%e %M" -o "$data/time.txt" \
    bash -c 'echo 1000 >/proc/self/oom_score_adj; exec "$@"' engine "$@" >/dev/null 2>"$data/stderr.txt"; then
    tail -n 1 "$data/time.txt"
  else
    echo "failed 0"
  fi
}

# best TIME PEAK TIME2 PEAK2 -> the faster time (a failed run loses) and the larger peak
best() {
  python3 -c "
import sys
t1, m1, t2, m2 = sys.argv[1:]
ts = [float(t) for t in (t1, t2) if t != 'failed']
print(min(ts) if ts else 'failed', max(int(m1), int(m2)))" "$@"
}

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; $(date -u +%Y-%m-%d)"
echo "duckdb $($py -c 'import duckdb; print(duckdb.__version__)'), polars $($py -c 'import polars; print(polars.__version__)')"
shape=${SHAPE:-default}
case "$shape" in
  default | near-unique | ipv6 | gzip | oci-json | aws-v5 | small-files) ;;
  *) echo "SHAPE: '$shape' is none of default, near-unique, ipv6, gzip, oci-json, aws-v5, small-files" >&2; exit 2 ;;
esac
for n in "${sizes[@]}"; do
  case "$shape" in
    default | gzip) file="$data/flows-$n.log" ;;
    *) file="$data/flows-$n-$shape.log" ;;
  esac
  gen_shape=$shape gen_format=oci
  case "$shape" in
    gzip) gen_shape=default ;;
    oci-json) gen_shape=default gen_format=oci-json ;;
    aws-v5) gen_shape=default gen_format=aws-v5 ;;
    small-files) gen_shape=default gen_format=aws file="$data/flows-$n-aws.log" ;;
  esac
  [ -s "$file" ] || "$flowq" gen --records "$n" --shape "$gen_shape" -f "$gen_format" -o "$file" 2>/dev/null
  # What flowq reads (a file or a directory) and what the others read (a glob there).
  floor="wc -l"
  case "$shape" in
    gzip)
      [ -s "$file.gz" ] || gzip -6 -k "$file"
      file="$file.gz" floor="zcat | wc -l" ;;
    small-files)
      tree="$data/small-$n"
      [ -d "$tree" ] || python3 bench/small_files.py "$file" "$tree"
      file="$tree" floor="cat | zcat | wc -l" ;;
  esac
  others=$file
  [ "$shape" = small-files ] && others="$tree/**/*.log.gz"
  mb=$(du -smL "$file" | cut -f1)
  case "$shape" in
    gzip) read -r wc_s _ < <(measure bash -c 'zcat "$1" | wc -l' floor "$file") ;;
    small-files) read -r wc_s _ < <(measure bash -c 'find "$1" -name "*.gz" -print0 | sort -z | xargs -0 cat | zcat | wc -l' floor "$file") ;;
    *) cat "$file" >/dev/null; read -r wc_s _ < <(measure wc -l "$file") ;;
  esac
  echo
  echo "## $n records, shape $shape ($mb MB); floor: $floor ${wc_s} s"
  echo
  echo "| query | flowq s | flowq MB | duckdb s | duckdb MB | polars s | polars MB | flowq / fastest | answers |"
  echo "|---|---|---|---|---|---|---|---|---|"
  for q in 1 2 3 4; do
    fs=failed fm=0 ds=failed dm=0 ps=failed pm=0
    for ((r = 1; r <= runs; r++)); do
      # A fresh output file each run: truncating one the system is still writing back
      # stalls, and would charge that to whichever engine runs next.
      rm -f "$data"/*-q$q.csv
      read -r s m < <(measure "$flowq" run -i "$file" -f csv -o "$data/flowq-q$q.csv" -c "${queries[$((q - 1))]}")
      read -r fs fm < <(best "$fs" "$fm" "$s" "$m")
      if ! skipped duckdb; then
        read -r s m < <(measure "$py" bench/compare.py e2e "$others" duckdb "$q" "$data/duckdb-q$q.csv")
        read -r ds dm < <(best "$ds" "$dm" "$s" "$m")
      fi
      if ! skipped polars; then
        read -r s m < <(measure "$py" bench/compare.py e2e "$others" polars "$q" "$data/polars-q$q.csv")
        read -r ps pm < <(best "$ps" "$pm" "$s" "$m")
      fi
    done
    ratio=$(python3 -c "
t = [float(x) for x in ('$ds', '$ps') if x != 'failed']
print(f'{$fs / min(t):.2f}' if t and '$fs' != 'failed' else 'n/a')")
    ok=n/a
    if [ "$fs" != failed ] && [ "$ds" != failed ]; then
      ok=$("$py" bench/compare.py check "$q" "$data/flowq-q$q.csv" "$data/duckdb-q$q.csv")
    fi
    echo "| $q | $fs | $((fm / 1024)) | $ds | $((dm / 1024)) | $ps | $((pm / 1024)) | $ratio | $ok |"
  done
  if [ "$shape" = small-files ]; then
    # The cores should not wait between files: wall time against CPU time / cores.
    setsid /usr/bin/time -f "%e %U %S" -o "$data/time.txt" "$flowq" run -i "$file" -f csv -o /dev/null -c "${queries[2]}"
    read -r wall user sys <"$data/time.txt"
    echo
    echo "flowq, query 3: wall ${wall} s, user ${user} s, system ${sys} s: wall / (CPU / $(nproc) cores) = $(python3 -c "print(f'{$wall / (($user + $sys) / $(nproc)):.2f}')") (target ≤ 1.3)"
  fi
  echo
  echo "In memory (data loaded once, then each query; seconds):"
  echo
  "$flowq" run -i "$file" -f csv -o /dev/null --timing -c "${queries[0]}" -c "${queries[1]}" -c "${queries[2]}" -c "${queries[3]}" 2>&1 \
    | sed 's/^/    flowq /'
  for engine in duckdb polars; do
    skipped "$engine" && continue
    setsid bash -c 'echo 1000 >/proc/self/oom_score_adj; exec "$@"' engine \
      "$py" bench/compare.py mem "$others" "$engine" | sed 's/^/    /' || echo "    $engine mem: failed (out of memory?)"
  done
done
