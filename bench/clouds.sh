#!/usr/bin/env bash
# The formats of other clouds and Parquet against DuckDB reading the same file.
#
#   bench/clouds.sh [RECORDS]      default: 2000000
#
# Writes the same generated records as GCP VPC Flow Logs JSON lines, Azure VNet flow log
# blobs (`flowq gen -f gcp-json|azure-vnet`), OCI VCN text, and that text saved as Parquet
# by flowq (`-f parquet`); then answers `count, sum(bytes), sum(packets)` over each file,
# end to end (reading it is the work), with flowq and with DuckDB (read_json,
# read_parquet; the Azure tuples split with unnest and string_split) and with Polars
# (scan_ndjson, scan_parquet; the Azure tuples exploded and split). Checks that all give
# the same numbers and prints the best wall time of three runs as a markdown table.
# Installs duckdb and polars into bench/.venv when missing. Run on an idle machine.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-2000000}
data=bench/data
mkdir -p "$data"
cargo build --release --quiet
flowq=target/release/flowq
if [ ! -x bench/.venv/bin/python ] || ! bench/.venv/bin/python -c 'import duckdb, polars' 2>/dev/null; then
  python3 -m venv bench/.venv
  bench/.venv/bin/pip install --quiet duckdb polars
fi
py=bench/.venv/bin/python
for f in gcp-json azure-vnet oci; do
  [ -s "$data/clouds-$n.$f" ] || "$flowq" gen --records "$n" -f "$f" -o "$data/clouds-$n.$f" 2>/dev/null
done
pq="$data/clouds-$n.parquet"
[ -s "$pq" ] || "$flowq" run -i "$data/clouds-$n.oci" -c "* | fields *" -f parquet -o "$pq"
echo "machine: $(nproc) cores; $(date -u +%Y-%m-%d); $n generated records"
echo
echo "| input | MB | flowq s | DuckDB s | Polars s | flowq / faster peer | flowq MB/s | same answer |"
echo "|---|---|---|---|---|---|---|---|"
"$py" - "$flowq" "$data" "$n" <<'EOF'
import os, subprocess, sys, time
import duckdb
import polars as pl

flowq, data, n = sys.argv[1], sys.argv[2], sys.argv[3]
query = "* | stats count, sum('Content Size Out') as B, sum(Packets) as P"
sql = {
    "gcp-json": """select count(*), sum(cast(jsonPayload.bytes_sent as bigint)),
                   sum(cast(jsonPayload.packets_sent as bigint))
                   from read_json('{f}', format='newline_delimited')""",
    "azure-vnet": """with t as (select string_split(unnest(g.flowTuples), ',') as v from (
                       select unnest(fl.flowGroups) as g from (
                         select unnest(r.flowRecords.flows) as fl from (
                           select unnest(records) as r from read_json('{f}', format='newline_delimited',
                             maximum_object_size=100000000)))))
                     select count(*), sum(cast(v[11] as bigint)), sum(cast(v[10] as bigint)) from t""",
    "parquet": """select count(*), sum("Content Size Out"), sum(Packets) from read_parquet('{f}')""",
}


def polars_answer(kind, f):
    if kind == "parquet":
        frame = pl.scan_parquet(f).select(pl.len(), pl.col("Content Size Out").sum(), pl.col("Packets").sum())
    elif kind == "gcp-json":
        p = pl.col("jsonPayload")
        frame = pl.scan_ndjson(f).select(
            pl.len(),
            p.struct.field("bytes_sent").cast(pl.Int64).sum().alias("bytes"),
            p.struct.field("packets_sent").cast(pl.Int64).sum().alias("packets"),
        )
    else:
        frame = (
            pl.scan_ndjson(f, infer_schema_length=None)
            .select(pl.col("records").explode())
            .select(pl.col("records").struct.field("flowRecords").struct.field("flows").explode().alias("fl"))
            .select(pl.col("fl").struct.field("flowGroups").explode().alias("g"))
            .select(pl.col("g").struct.field("flowTuples").explode().str.split(",").alias("v"))
            .select(
                pl.len(),
                pl.col("v").list.get(10).cast(pl.Int64).sum().alias("bytes"),
                pl.col("v").list.get(9).cast(pl.Int64).sum().alias("packets"),
            )
        )
    return tuple(int(x or 0) for x in frame.collect().row(0))


def best(run):
    times, answer = [], None
    for _ in range(3):
        t0 = time.perf_counter()
        answer = run()
        times.append(time.perf_counter() - t0)
    return min(times), answer


def flowq_run(f):
    out = subprocess.run([flowq, "run", "-f", "csv", "-i", f, "-c", query], capture_output=True, text=True, check=True)
    return tuple(int(x or 0) for x in out.stdout.splitlines()[1].split(","))


for kind in ["gcp-json", "azure-vnet", "parquet"]:
    f = f"{data}/clouds-{n}.{kind}"
    fs, fa = best(lambda: flowq_run(f))
    ds, da = best(lambda: tuple(int(x or 0) for x in duckdb.sql(sql[kind].format(f=f)).fetchall()[0]))
    ps, pa = best(lambda: polars_answer(kind, f))
    mb = os.path.getsize(f) / 1e6
    same = "yes" if fa == da == pa else f"no: flowq {fa}, DuckDB {da}, Polars {pa}"
    print(f"| {os.path.basename(f)} | {mb:.0f} | {fs:.2f} | {ds:.2f} | {ps:.2f} | {fs / min(ds, ps):.2f} | {mb / fs:.0f} | {same} |")
text = f"{data}/clouds-{n}.oci"
ts, _ = best(lambda: flowq_run(text))
print(f"| {os.path.basename(text)} (the same records as text) | {os.path.getsize(text) / 1e6:.0f} | {ts:.2f} | | | | | |")
EOF
