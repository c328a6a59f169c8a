package sqlplatform

import (
	"flag"
	"fmt"
	"testing"
	"time"
)

// BenchmarkIncremental times watermark and CDC batches of -sqlplatform.changes
// changes against a PostgreSQL source table of -sqlplatform.rows rows (the
// wide dataset plus its watermark or change columns), into a PostgreSQL
// store: the batch after the initial load is what is timed, reported as
// changes per second end to end, after a checkpoint. It needs
// DSL_TEST_POSTGRES.
//
//	DSL_TEST_POSTGRES=postgres://postgres@127.0.0.1:5432/test?sslmode=disable \
//	go test ./platforms/sqlplatform -run '^$' -bench Incremental -benchtime 1x \
//	  -sqlplatform.rows 1000000 -sqlplatform.changes 100000

var benchChanges = flag.Int("sqlplatform.changes", 10000, "changes per batch of the sql platform's incremental benchmarks")

// wideWatermarked is wide with a watermark column v.
var wideWatermarked = tds{name: "wide", cols: append(append([]tcol(nil), wide.cols...), tcol{"v", "bigint", false})}

func BenchmarkIncremental(b *testing.B) {
	for _, capture := range []string{"watermark", "cdc"} {
		b.Run(capture, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				benchIncremental(b, capture, *benchRows, *benchChanges)
			}
		})
	}
}

func benchIncremental(b *testing.B, capture string, n, changes int) {
	b.StopTimer()
	src := benchPostgresSource(b)
	st := postgresStore(b)
	o := modelOptions{datasets: []tds{wideWatermarked}}
	const cols = "id, a, b, c, d, e, f, g, h, i, v"
	gen := func(from, to, seqBase int, d int) string {
		return fmt.Sprintf("SELECT i AS id, 'name ' || i AS a, repeat('x', (i %% 40)::int) AS b, i * 7 AS c, %d AS d, i::float8 / 3 AS e, i::float8 * 1.5 AS f, 'group' AS g, i %% 100 AS h, i %% 2 = 0 AS i, %d + i AS v FROM generate_series(%d, %d) AS s(i)",
			d, seqBase, from, to)
	}
	switch capture {
	case "watermark":
		o.capture = fmt.Sprintf(`sql_watermark(source = %s, watermark = "v", ingestion = "store", credential = %s)`, src.container, src.credential)
	case "cdc":
		o.capture = fmt.Sprintf(`cdc(source = %s, ingestion = "store", credential = %s)`, src.container, src.credential)
	}
	h := newHarnessWithSource(b, st, o, src)
	switch capture {
	case "watermark":
		h.exec("CREATE INDEX wide_v ON wide (v)")
		h.exec(fmt.Sprintf("INSERT INTO wide (%s) %s", cols, gen(0, n-1, 0, 0)))
		h.exec("VACUUM ANALYZE wide")
	case "cdc":
		h.exec("CREATE TABLE wide_changes AS SELECT * FROM wide WHERE false")
		h.exec("ALTER TABLE wide_changes ADD COLUMN dsl_op text, ADD COLUMN dsl_seq bigint")
		h.exec("CREATE INDEX wide_changes_seq ON wide_changes (dsl_seq)")
		h.exec(fmt.Sprintf("INSERT INTO wide_changes (%s, dsl_op, dsl_seq) SELECT *, 'i', v FROM (%s) g", cols, gen(0, n-1, 0, 0)))
		h.exec("VACUUM ANALYZE wide_changes")
	}
	rep := h.run()
	if br := rep.Batches[0]; br.Inserted != int64(n) {
		b.Fatalf("initial load: %s", br.Summary())
	}
	// changes rows, spread over the table, change: d and the watermark
	// (or a new change row each).
	every := max(n/changes, 1)
	switch capture {
	case "watermark":
		h.exec(fmt.Sprintf("UPDATE wide SET d = 1, v = %d + id WHERE id %% %d = 0", 2*n, every))
		h.exec("ANALYZE wide")
	case "cdc":
		h.exec(fmt.Sprintf("INSERT INTO wide_changes (%s, dsl_op, dsl_seq) SELECT *, 'u', v FROM (%s) g WHERE g.id %% %d = 0",
			cols, gen(0, n-1, 2*n, 1), every))
		h.exec("ANALYZE wide_changes")
	}
	// The setup wrote more WAL than max_wal_size, so a checkpoint of it
	// may still be writing when the batch starts, or start during it.
	// One taken now ends that: the batch then runs with no checkpoint
	// writing beside it, and writes a full-page image for every page it
	// touches, as the first change to a page after a checkpoint must (the
	// worst case for its WAL). CHECKPOINT needs superuser or
	// pg_checkpoint; without either the batch is timed as it comes.
	if _, err := st.db.Exec("CHECKPOINT"); err != nil {
		b.Logf("no checkpoint before the timed batch: %v", err)
	}
	b.StartTimer()
	began := time.Now()
	rep = h.run()
	took := time.Since(began)
	b.StopTimer()
	br := rep.Batches[0]
	if br.Updated != int64(n/every) {
		b.Fatalf("incremental batch: %s, want %d updated", br.Summary(), n/every)
	}
	b.Logf("%s, %d changes against %d rows: %v (%.0f changes/s; staging %v, merging %v): %s",
		capture, br.Updated, n, took.Round(time.Millisecond), float64(br.Updated)/took.Seconds(),
		br.Staging.Round(time.Millisecond), br.Merging.Round(time.Millisecond), br.Summary())
	b.ReportMetric(float64(br.Updated)/took.Seconds(), "changes/s")
}
