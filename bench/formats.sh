#!/usr/bin/env bash
# Load throughput of every input format, plain and gzipped.
#
#   bench/formats.sh [RECORDS]      default: 10000000
#
# Writes the same generated records as OCI VCN text, OCI Logging JSON lines, AWS
# VPC text, GCP VPC Flow Logs JSON lines and Azure VNet blobs (`flowq gen -f ...`, kept
# in bench/data/; bench/clouds.sh compares the clouds and Parquet with DuckDB), gzips
# each, then loads each file with every record field read (`* | head 1` shows whole
# records) and prints the best load time of three runs as a markdown table (records/s
# counts the generated records; GCP and Azure leave out the few without traffic). Run on
# an idle machine.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-10000000}
data=bench/data
mkdir -p "$data"
cargo build --release --quiet
flowq=target/release/flowq
echo "machine: $(nproc) cores; $(date -u +%Y-%m-%d); $n records"
echo
echo "| input | MB | load s | MB/s | records/s |"
echo "|---|---|---|---|---|"
for f in oci oci-json aws gcp-json azure-vnet; do
  file="$data/formats-$n.$f"
  [ -s "$file" ] || "$flowq" gen --records "$n" -f "$f" -o "$file" 2>/dev/null
  [ -s "$file.gz" ] || gzip -k -c "$file" >"$file.gz"
  for input in "$file" "$file.gz"; do
    cat "$input" >/dev/null
    best=""
    for _ in 1 2 3; do
      s=$("$flowq" run --timing -i "$input" -f csv -o /dev/null -c "* | head 1" 2>&1 | sed -n 's/^load: \([0-9.]*\) s.*/\1/p')
      best=$(python3 -c "print(min(x for x in [$s, ${best:-1e9}]))")
    done
    mb=$(python3 -c "import os; print(round(os.path.getsize('$input') / 1e6, 1))")
    python3 -c "print('| $(basename "$input") | $mb | %.2f | %.0f | %.2fM |' % ($best, $mb / $best, $n / $best / 1e6))"
  done
done
