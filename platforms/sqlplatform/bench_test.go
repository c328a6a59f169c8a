package sqlplatform

import (
	"flag"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/datasurface/datasurface-go/internal/dbtest"
	"github.com/datasurface/datasurface-go/platforms/sqlplatform/dialect"
)

// The benchmarks time snapshot batches of one dataset of -sqlplatform.rows
// rows (ten columns) from each source engine (SQLite, and PostgreSQL when
// DSL_TEST_POSTGRES is set) into each store (the same): the initial load,
// a batch with 1% of the rows changed, and a batch with nothing changed.
// Each phase is timed end to end (reading the source, hashing, staging,
// merging, committing) and reported as source rows per second, with the
// rows the batch wrote (inserted + updated + deleted) beside it. The
// source is filled by one INSERT ... SELECT over generated numbers, so
// filling a million rows takes seconds and is not timed.
//
//	DSL_TEST_POSTGRES=postgres://postgres@127.0.0.1:5432/test?sslmode=disable \
//	go test ./platforms/sqlplatform -run '^$' -bench 'Snapshot/postgres_to_postgres' -benchtime 1x -sqlplatform.rows 1000000

var benchRows = flag.Int("sqlplatform.rows", 20000, "rows of the sql platform's snapshot benchmarks")

// wide is the benchmarks' dataset: a key and nine columns.
var wide = tds{name: "wide", cols: []tcol{
	{"id", "bigint", true}, {"a", "nvarchar(40)", false}, {"b", "nvarchar(40)", false}, {"c", "bigint", false},
	{"d", "bigint", false}, {"e", "float64", false}, {"f", "float64", false}, {"g", "nvarchar(20)", false},
	{"h", "bigint", false}, {"i", "boolean", false},
}}

// fillWide replaces the source table with n generated rows, in one
// statement: row i has id i, a "name i", b i%40 x's, c 7i, d 0, e i/3,
// f 1.5i, g "group", h i%100 and i whether i is even.
func (h *harness) fillWide(n int) {
	h.t.Helper()
	h.exec("DELETE FROM wide")
	const xs = "'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'"
	var gen string
	switch h.srcD.Name() {
	case "postgres":
		gen = fmt.Sprintf("INSERT INTO wide SELECT i, 'name ' || i, substr(%s, 1, (i %% 40)::int), i * 7, 0, i::float8 / 3, i::float8 * 1.5, 'group', i %% 100, i %% 2 = 0 FROM generate_series(0, %d) AS s(i)", xs, n-1)
	case "sqlite":
		gen = fmt.Sprintf("WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM s WHERE i < %d) INSERT INTO wide SELECT i, 'name ' || i, substr(%s, 1, i %% 40), i * 7, 0, CAST(i AS REAL) / 3, CAST(i AS REAL) * 1.5, 'group', i %% 100, i %% 2 = 0 FROM s", n-1, xs)
	default:
		h.t.Fatalf("no generator for a %s source", h.srcD.Name())
	}
	h.exec(gen)
	if h.srcD.Name() == "postgres" {
		// As a busy source would have: statistics, and no hint bits left
		// for the first read to set.
		h.exec("VACUUM ANALYZE wide")
	}
}

// changeWide sets column d to v in every row whose id is a multiple of
// every: every 100 changes 1% of the rows.
func (h *harness) changeWide(every int, v int64) {
	h.t.Helper()
	h.exec(fmt.Sprintf("UPDATE wide SET d = %d WHERE id %% %d = 0", v, every))
}

// benchPostgresSource is a PostgreSQL source in a schema of its own, read
// through a credential from the environment (like the source tests'
// openSource, for a benchmark).
func benchPostgresSource(b testing.TB) sourceTarget {
	db, dsn := dbtest.Postgres(b)
	u, err := url.Parse(dsn)
	if err != nil {
		b.Fatal(err)
	}
	pw, _ := u.User.Password()
	b.Setenv("DSL_CREDENTIAL_SRC_READER_USER", u.User.Username())
	b.Setenv("DSL_CREDENTIAL_SRC_READER_PASSWORD", pw)
	b.Setenv("PGOPTIONS", "-c search_path="+u.Query().Get("search_path"))
	if mode := u.Query().Get("sslmode"); mode != "" {
		b.Setenv("PGSSLMODE", mode)
	}
	d, _ := dialect.ForEngine("postgres")
	return sourceTarget{name: "postgres", db: db, d: d, credential: `credential("src_reader")`,
		container: fmt.Sprintf(`postgres("src", host = %q, port = %s, database = %q)`, u.Hostname(), portOr(u.Port(), "5432"), strings.TrimPrefix(u.Path, "/"))}
}

// BenchmarkSnapshot runs the three phases for each source and store pair:
// sqlite_to_sqlite, sqlite_to_postgres, postgres_to_sqlite and
// postgres_to_postgres. Metrics: initial-rows/s, 1pct-rows/s and
// nochange-rows/s (source rows per second, end to end), and the rows each
// phase wrote (initial-written, 1pct-written, nochange-written).
func BenchmarkSnapshot(b *testing.B) {
	for _, pair := range [][2]string{{"sqlite", "sqlite"}, {"sqlite", "postgres"}, {"postgres", "sqlite"}, {"postgres", "postgres"}} {
		b.Run(pair[0]+"_to_"+pair[1], func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				benchSnapshot(b, pair[0], pair[1], *benchRows)
			}
		})
	}
}

func benchSnapshot(b *testing.B, source, store string, n int) {
	b.StopTimer()
	st := sqliteStore(b)
	if store == "postgres" {
		st = postgresStore(b)
	}
	o := modelOptions{datasets: []tds{wide}}
	src := sourceTarget{}
	if source == "postgres" {
		src = benchPostgresSource(b)
		o.source, o.credential = src.container, src.credential
	}
	h := newHarnessWithSource(b, st, o, src)
	h.fillWide(n)
	for _, phase := range []struct {
		name, metric string
		every        int
	}{{"initial load", "initial", 0}, {"1% changed", "1pct", 100}, {"nothing changed", "nochange", 0}} {
		if phase.every > 0 {
			h.changeWide(phase.every, 1)
		}
		b.StartTimer()
		began := time.Now()
		rep := h.run()
		took := time.Since(began)
		b.StopTimer()
		br := rep.Batches[0]
		if br.Read != int64(n) {
			b.Fatalf("%s: %d rows read, want %d", phase.name, br.Read, n)
		}
		written := br.Inserted + br.Updated + br.Deleted
		b.Logf("%s -> %s, %s: %d rows in %v (%.0f rows/s; staging %v, merging %v): %d inserted, %d updated, %d deleted",
			source, store, phase.name, br.Read, took.Round(time.Millisecond), float64(br.Read)/took.Seconds(),
			br.Staging.Round(time.Millisecond), br.Merging.Round(time.Millisecond), br.Inserted, br.Updated, br.Deleted)
		b.ReportMetric(float64(br.Read)/took.Seconds(), phase.metric+"-rows/s")
		b.ReportMetric(float64(written), phase.metric+"-written")
	}
}
