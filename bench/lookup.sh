#!/usr/bin/env bash
# What a lookup costs: queries on N generated records with and without a lookup of the
# source address in a table of 100,000 CIDR blocks (issue 6: at most as much again).
#
#   bench/lookup.sh [RECORDS]      default: 10000000
#
# The table (bench/data/nets-100000.csv, made once, seeded) holds /16 to /32 blocks,
# a third of them inside the generated network 10.0.0.0/16, so most internal addresses
# match one or more nested blocks. Each pair of queries runs in one process over one
# load (`--timing`), three times; the best time of each query is printed. Run on an idle
# machine.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-10000000}
data=bench/data
mkdir -p "$data"
cargo build --release --quiet
flowq=target/release/flowq
log="$data/flows-$n.log"
[ -s "$log" ] || "$flowq" gen --records "$n" -o "$log" 2>/dev/null
nets="$data/nets-100000.csv"
[ -s "$nets" ] || python3 - "$nets" <<'PY'
import random, sys
random.seed(7)
rows, seen = ["Net,Name"], set()
while len(rows) < 100001:
    p = random.choice([16, 20, 24, 24, 24, 28, 32])
    a = random.getrandbits(32)
    if random.random() < 0.3:
        a = (10 << 24) | random.getrandbits(16)
    net = a & ((0xffffffff << (32 - p)) & 0xffffffff)
    if (net, p) in seen:
        continue
    seen.add((net, p))
    rows.append(f"{net >> 24}.{(net >> 16) & 255}.{(net >> 8) & 255}.{net & 255}/{p},n{len(rows)}")
open(sys.argv[1], "w").write("\n".join(rows) + "\n")
PY
lookup="lookup table=nets select Name using 'Source IP' = Net"
queries=(
  "* | stats count by 'Source IP'"
  "* | $lookup | stats count by Name"
  "* | stats sum('Content Size Out') as B by 'Source IP' | sort -B | head 10"
  "* | $lookup | stats sum('Content Size Out') as B by Name | sort -B | head 10"
)
args=()
for q in "${queries[@]}"; do args+=(-c "$q"); done
best=(9e9 9e9 9e9 9e9)
for _ in 1 2 3; do
  mapfile -t times < <("$flowq" run -i "$log" --lookup "nets=$nets" --timing -f csv -o /dev/null "${args[@]}" 2>&1 |
    sed -n 's/^query [0-9]*: \([0-9.]*\) s.*/\1/p')
  for i in 0 1 2 3; do best[$i]=$(python3 -c "print(min(${best[$i]}, ${times[$i]}))"); done
done
echo "machine: $(nproc) cores; $(date -u +%Y-%m-%d); $n records; 100,000 CIDR blocks"
echo
echo "| query | without lookup s | with lookup s | ratio |"
echo "|---|---|---|---|"
python3 -c "print('| count by address / by block name | %.3f | %.3f | %.2f |' % (${best[0]}, ${best[1]}, ${best[1]} / ${best[0]}))"
python3 -c "print('| top 10 by bytes | %.3f | %.3f | %.2f |' % (${best[2]}, ${best[3]}, ${best[3]} / ${best[2]}))"
