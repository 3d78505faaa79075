#!/usr/bin/env bash
# Fill fuzz/corpus/<target>/ with seeds from the repository (docs/FUZZING.md): the
# saved queries, every query of tests/cases and tests/corpus and every example of docs/REFERENCE.md for
# `query`; the sample logs for the readers (Parquet for `parquet_reader`); the lookup
# CSVs for `lookup_csv`.
set -euo pipefail
cd "$(dirname "$0")/.."
c=fuzz/corpus
mkdir -p "$c/query" "$c/text_reader" "$c/json_reader" "$c/lookup_csv" "$c/parquet_reader"
n=0
seed() { n=$((n + 1)); printf '%s' "$2" > "$c/$1/seed-$n"; }
for f in $(find queries -name '*.q' | sort); do cp "$f" "$c/query/$(echo "$f" | tr / _)"; done
# The query lines of the case files (after `query` or `error`, up to `----`).
while IFS= read -r q; do seed query "$q"; done < <(awk '/^(query|error)/{getline; print}' tests/cases/*.case)
# Oracle's dashboard queries (tests/corpus), one per seed.
while IFS= read -r q; do seed query "$q"; done < <(python3 -c 'import json,sys
for l in open("tests/corpus/oracle-dashboards.jsonl"): print(json.loads(l)["query"].replace("\n", " "))')
# The examples of the reference: the first line of each plain ``` block after a heading.
while IFS= read -r q; do seed query "$q"; done < <(awk '/^```$/{getline; if ($0 !~ /^2 /) print}' docs/REFERENCE.md | grep -v '^```')
for f in tests/samples/*.log tests/samples/third-party/*/*/*; do
    [ -f "$f" ] && cp "$f" "$c/text_reader/$(basename "$f")"
done
cp tests/samples/*.jsonl tests/samples/*.json "$c/json_reader/"
for f in $(find tests/samples/third-party -name '*.json*' | sort); do cp "$f" "$c/json_reader/$(basename "$f")"; done
cp tests/samples/*.parquet "$c/parquet_reader/"
for f in $(find src/lookup tests -name '*.csv' | sort); do cp "$f" "$c/lookup_csv/$(echo "$f" | tr / _)"; done
echo "seeds: $(ls "$c/query" | wc -l) queries, $(ls "$c/text_reader" | wc -l) text, $(ls "$c/json_reader" | wc -l) json, $(ls "$c/lookup_csv" | wc -l) csv, $(ls "$c/parquet_reader" | wc -l) parquet"
