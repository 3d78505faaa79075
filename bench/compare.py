"""Run the issue-3 benchmark queries in DuckDB and Polars over OCI VCN text, OCI
Logging JSON, AWS VPC text behind a header, or a glob of small gzipped AWS files.

Usage: compare.py FILE OUTDIR [engine ...]
Prints one line per (engine, query, mode): wall seconds and peak memory is measured by
the caller (compare.sh runs each end-to-end job in its own process under /usr/bin/time).
Modes: e2e-<engine>-<q> reads the file, answers and writes CSV (one process per job);
mem-<engine> loads once, then times each query in memory.
"""
import sys
import time

COLS = ["version", "src", "dst", "sport", "dport", "proto", "packets", "bytes", "start", "end", "action", "status"]
TYPES = ["BIGINT", "VARCHAR", "VARCHAR", "BIGINT", "BIGINT", "BIGINT", "BIGINT", "BIGINT", "BIGINT", "BIGINT", "VARCHAR", "VARCHAR"]

DUCK_Q = {
    1: """SELECT to_timestamp(start // 86400 * 86400) AS "Time", src AS "Source IP", sport AS "Source Port",
                 dst AS "Destination IP", dport AS "Destination Port", count(*) AS "Count",
                 to_timestamp(min(start)) AS "Start Time", to_timestamp(max(start)) AS "End Time",
                 (max(start) - min(start)) * 1000 AS "Group Duration", sum(bytes) AS B
          FROM flows WHERE src IS NOT NULL AND dst IS NOT NULL AND sport IS NOT NULL AND dport IS NOT NULL
          GROUP BY ALL ORDER BY 1, 2, 3, 4, 5""",
    2: """SELECT src AS "Source IP", sum(bytes) AS B FROM flows GROUP BY 1 ORDER BY B DESC LIMIT 10""",
    3: """SELECT dport AS "Destination Port", count(*) AS "Count" FROM flows WHERE lower(action) = 'reject'
          GROUP BY 1 ORDER BY 2 DESC LIMIT 20""",
    4: """SELECT to_timestamp(start // 3600 * 3600) AS "Time", count(*) AS "Count",
                 to_timestamp(min(start)) AS "Start Time", to_timestamp(max(start)) AS "End Time",
                 (max(start) - min(start)) * 1000 AS "Group Duration", sum(bytes) AS B
          FROM flows WHERE start IS NOT NULL GROUP BY 1 ORDER BY 1""",
}


# OCI Logging JSON (`flowq gen -f oci-json`): the record's fields under `data`, by name.
JSON_KEYS = ["version", "sourceAddress", "destinationAddress", "sourcePort", "destinationPort", "protocol",
             "packets", "bytesOut", "startTime", "endTime", "action", "status"]


# AWS VPC text behind a header line (the v5 custom format, S3's small files): the
# fields by their AWS names.
AWS_NAMES = ["version", "srcaddr", "dstaddr", "srcport", "dstport", "protocol", "packets", "bytes", "start", "end",
             "action", "log-status"]


def is_json(path):
    return "-oci-json" in path


def is_aws(path):
    return "-aws-v5" in path or "/small-" in path


def duck_source(path):
    if is_json(path):
        cols = ", ".join(f'CAST(data.{k} AS {t}) AS "{c}"' for k, c, t in zip(JSON_KEYS, COLS, TYPES))
        return f"(SELECT {cols} FROM read_json('{path}', format='newline_delimited'))"
    if is_aws(path):
        types = ", ".join(f"'{a}': '{t}'" for a, t in zip(AWS_NAMES, TYPES))
        cols = ", ".join(f'"{a}" AS "{c}"' for a, c in zip(AWS_NAMES, COLS))
        return f"(SELECT {cols} FROM read_csv('{path}', delim=' ', header=true, nullstr='-', types={{{types}}}))"
    cols = ", ".join(f"'{c}': '{t}'" for c, t in zip(COLS, TYPES))
    return f"read_csv('{path}', delim=' ', header=false, nullstr='-', columns={{{cols}}})"


def duck_e2e(path, q, out):
    import duckdb
    con = duckdb.connect()
    con.execute(f"CREATE VIEW flows AS SELECT * FROM {duck_source(path)}")
    con.execute(f"COPY ({DUCK_Q[q]}) TO '{out}' (HEADER, DELIMITER ',')")


def duck_mem(path):
    import duckdb
    con = duckdb.connect()
    t0 = time.perf_counter()
    con.execute(f"CREATE TABLE flows AS SELECT * FROM {duck_source(path)}")
    print(f"duckdb load {time.perf_counter() - t0:.3f}")
    for q in DUCK_Q:
        # Materialise the whole answer (a count(*) around it would let DuckDB drop the
        # aggregates the count does not need).
        t0 = time.perf_counter()
        con.execute(f"CREATE OR REPLACE TEMP TABLE answer AS {DUCK_Q[q]}")
        elapsed = time.perf_counter() - t0
        n = con.execute("SELECT count(*) FROM answer").fetchone()[0]
        print(f"duckdb mem q{q} {elapsed:.3f} rows={n}")


def polars_frame(path, lazy=True):
    import polars as pl
    schema = {c: (pl.Int64 if t == "BIGINT" else pl.Utf8) for c, t in zip(COLS, TYPES)}
    if is_json(path):
        data = pl.col("data")
        lf = pl.scan_ndjson(path, infer_schema_length=None).select(
            [data.struct.field(k).cast(schema[c]).alias(c) for k, c in zip(JSON_KEYS, COLS)])
        return lf if lazy else lf.collect()
    if is_aws(path):
        lf = pl.scan_csv(path, separator=" ", has_header=True, null_values="-",
                         schema_overrides={a: schema[c] for a, c in zip(AWS_NAMES, COLS)})
        lf = lf.select([pl.col(a).alias(c) for a, c in zip(AWS_NAMES, COLS)])
        return lf if lazy else lf.collect()
    # scan_csv reads no gzip: a gzipped file is read whole (decompressed by read_csv).
    f = pl.scan_csv if lazy and not path.endswith(".gz") else pl.read_csv
    frame = f(path, separator=" ", has_header=False, new_columns=COLS, schema_overrides=schema, null_values="-")
    return frame.lazy() if lazy else frame


def polars_query(lf, q):
    import polars as pl
    if q == 1:
        keys = ["src", "sport", "dst", "dport"]
        return (lf.drop_nulls(keys).with_columns((pl.col("start") // 86400 * 86400).alias("day"))
                .group_by(["day"] + keys)
                .agg(pl.len().alias("Count"), pl.col("start").min().alias("s"), pl.col("start").max().alias("e"),
                     pl.col("bytes").sum().alias("B"))
                .sort(["day"] + keys))
    if q == 2:
        return lf.group_by("src").agg(pl.col("bytes").sum().alias("B")).sort("B", descending=True).head(10)
    if q == 3:
        return (lf.filter(pl.col("action").str.to_lowercase() == "reject").group_by("dport")
                .agg(pl.len().alias("Count")).sort("Count", descending=True).head(20))
    return (lf.drop_nulls("start").with_columns((pl.col("start") // 3600 * 3600).alias("hour")).group_by("hour")
            .agg(pl.len().alias("Count"), pl.col("start").min().alias("s"), pl.col("start").max().alias("e"),
                 pl.col("bytes").sum().alias("B")).sort("hour"))


def polars_e2e(path, q, out):
    polars_query(polars_frame(path), q).sink_csv(out)


def polars_mem(path):
    t0 = time.perf_counter()
    df = polars_frame(path, lazy=False)
    print(f"polars load {time.perf_counter() - t0:.3f}")
    for q in range(1, 5):
        t0 = time.perf_counter()
        n = polars_query(df.lazy(), q).collect().height
        print(f"polars mem q{q} {time.perf_counter() - t0:.3f} rows={n}")


def check(q, flowq_csv, other_csv):
    """The answers agree: same rows, same aggregate values (ties may order differently).
    Compared by DuckDB as histograms, streaming: at 30M records query 1's answers are
    20M rows each, too many to hold as Python objects."""
    import duckdb
    con = duckdb.connect()
    con.execute("SET preserve_insertion_order = false")

    def scan(p):
        return f"read_csv('{p}', header = true, all_varchar = true)"

    def column(p, i):
        return con.sql(f"SELECT * FROM {scan(p)} LIMIT 0").columns[i]

    def hist(p, i):
        c = column(p, i).replace('"', '""')
        return f'SELECT CAST(CAST("{c}" AS DOUBLE) AS BIGINT) AS v, count(*) AS n FROM {scan(p)} GROUP BY v'

    na, nb = (con.execute(f"SELECT count(*) FROM {scan(p)}").fetchall()[0][0] for p in (flowq_csv, other_csv))
    if na != nb:
        return f"row counts differ: {na} vs {nb}"
    checks = [(-1, "aggregate values differ")] + ([(5, "counts differ")] if q == 1 else [])
    for i, why in checks:
        a, b = hist(flowq_csv, i), hist(other_csv, i)
        differ = con.execute(f"SELECT count(*) FROM (({a}) EXCEPT ({b}) UNION ALL (({b}) EXCEPT ({a})))").fetchall()[0][0]
        if differ:
            return why
    return "ok"


if __name__ == "__main__":
    mode, path = sys.argv[1], sys.argv[2]
    if mode == "check":
        print(check(int(path), sys.argv[3], sys.argv[4]))
        sys.exit(0)
    if mode == "e2e":
        engine, q, out = sys.argv[3], int(sys.argv[4]), sys.argv[5]
        (duck_e2e if engine == "duckdb" else polars_e2e)(path, q, out)
    else:
        (duck_mem if sys.argv[3] == "duckdb" else polars_mem)(path)
