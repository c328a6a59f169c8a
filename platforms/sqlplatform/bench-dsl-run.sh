#!/usr/bin/env bash
# bench-dsl-run.sh [ROWS] [STORE...]: times `dsl run --once` end to end, as a
# user runs it, on one dataset of ROWS rows x 10 columns (default 1000000)
# read from a PostgreSQL source, into each STORE: "postgres" (a PostgreSQL
# database, the default) and/or "sqlite" (the embedded store). For each
# store it runs three batches: the initial load, a batch after 1% of the
# rows changed, and a batch with nothing changed, and prints per batch the
# wall time, the source rows per second, the rows written and the peak
# memory (maximum resident set size) of the dsl process.
#
#   platforms/sqlplatform/bench-dsl-run.sh 1000000 postgres sqlite
#
# It needs a PostgreSQL server it may create databases on (trust auth as on
# the project's machines): DSL_BENCH_POSTGRES, default
# postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable. It creates
# and drops the databases dsl_bench_src and dsl_bench_store.
set -euo pipefail
cd "$(dirname "$0")/../.."

rows=${1:-1000000}
shift || true
stores=("$@")
[ ${#stores[@]} -gt 0 ] || stores=(postgres)
admin=${DSL_BENCH_POSTGRES:-postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable}
base=${admin%%\?*}
base=${base%/*}
src_url="$base/dsl_bench_src?sslmode=disable"
store_url="$base/dsl_bench_store?sslmode=disable"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/dsl" ./cmd/dsl

# The source: PostgreSQL on the admin URL's host, as the libpq environment
# variables describe it to the platform (the model names no credential).
host=$(echo "$base" | sed -E 's#^postgres(ql)?://([^@/]*@)?([^:/]+).*#\3#')
port=$(echo "$base" | sed -nE 's#^.*:([0-9]+)$#\1#p')
user=$(echo "$base" | sed -nE 's#^postgres(ql)?://([^:@/]+)(:[^@]*)?@.*#\2#p')
export PGUSER=${user:-postgres}

mkdir -p "$work/model"
cat >"$work/model/eco.star" <<EOF
ecosystem(
    name = "Bench",
    repo = repo("github.com/bench/eco"),
    live_repo = repo("github.com/bench/eco", branch = "live"),
    platforms = [platform("Bench", kind = "sql")],
    zones = [zone("Z", repo = repo("github.com/bench/eco"), teams = [team("T", repo = repo("github.com/bench/eco"),
        datastores = [datastore("Src", capture = sql_snapshot(source = postgres("src", host = "$host", port = ${port:-5432}, database = "dsl_bench_src")), datasets = [
            dataset("wide", classification = "public", columns = [
                column("id", "bigint", key = True),
                column("a", "varchar(40)"), column("b", "varchar(40)"), column("c", "bigint"), column("d", "bigint"),
                column("e", "float64"), column("f", "float64"), column("g", "varchar(20)"), column("h", "bigint"), column("i", "boolean"),
            ]),
        ])],
        workspaces = [workspace("Reports", container = platform_managed(), groups = [
            dataset_group("daily", platform = "Bench", sinks = [sink("Src", "wide")]),
        ])],
    )])],
)
EOF

psql -q "$admin" -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS dsl_bench_src" -c "CREATE DATABASE dsl_bench_src"
psql -q "$src_url" <<EOF
CREATE TABLE wide (id bigint PRIMARY KEY, a varchar(40), b varchar(40), c bigint, d bigint,
                   e double precision, f double precision, g varchar(20), h bigint, i boolean);
INSERT INTO wide SELECT i, 'name ' || i, repeat('x', (i % 40)::int), i * 7, 0, i / 3.0, i * 1.5, 'group', i % 100, i % 2 = 0
FROM generate_series(0, $rows - 1) AS i;
VACUUM ANALYZE wide;
EOF

echo "dsl run --once, $rows rows x 10 columns from PostgreSQL; $(nproc) cores, $(go env GOVERSION), $(date -u +%Y-%m-%d)"
echo
echo "| store | batch | wall time | source rows/s | inserted | updated | deleted | peak memory |"
echo "|---|---|---:|---:|---:|---:|---:|---:|"
for store in "${stores[@]}"; do
  case $store in
    postgres)
      psql -q "$admin" -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS dsl_bench_store" -c "CREATE DATABASE dsl_bench_store"
      dsn=$store_url ;;
    sqlite)
      rm -f "$work/store.db"
      dsn="sqlite:$work/store.db" ;;
    *) echo "unknown store $store: want postgres or sqlite" >&2; exit 2 ;;
  esac
  psql -q "$src_url" -c "UPDATE wide SET d = 0 WHERE d <> 0"
  for phase in "initial load" "1% changed" "nothing changed"; do
    if [ "$phase" = "1% changed" ]; then
      psql -q "$src_url" -c "UPDATE wide SET d = d + 1 WHERE id % 100 = 0"
    fi
    CI=true /usr/bin/time -f "%e %M" -o "$work/time" "$work/dsl" run "$work/model" --once --store "$dsn" --format json >"$work/out.json"
    read -r secs kib <"$work/time"
    python3 - "$store" "$phase" "$secs" "$kib" "$work/out.json" <<'PY'
import json, sys
store, phase, secs, kib, path = sys.argv[1], sys.argv[2], float(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
b = json.load(open(path))["batches"][0]
if b.get("error"):
    sys.exit(f"{store} {phase}: {b['error']}")
print(f"| {store} | {phase} | {secs:.2f} s | {b['read'] / secs:,.0f} | {b['inserted']:,} | {b['updated']:,} | {b['deleted']:,} | {kib / 1024:.0f} MiB |")
PY
  done
done
psql -q "$admin" -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS dsl_bench_src" -c "DROP DATABASE IF EXISTS dsl_bench_store"
