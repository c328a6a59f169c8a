package sqlplatform

import (
	"flag"
	"fmt"
	"strings"
	"testing"
	"time"
)

// The benchmarks time snapshot batches of one dataset of -sqlplatform.rows
// rows (ten columns) from an SQLite source into each store: the initial
// load, a batch with 1% of the rows changed, and a batch with nothing
// changed. They report source rows per second and the rows each batch
// wrote.
//
//	go test ./platforms/sqlplatform -run '^$' -bench Snapshot -sqlplatform.rows 100000

var benchRows = flag.Int("sqlplatform.rows", 20000, "rows of the sql platform's snapshot benchmarks")

// wide is the benchmarks' dataset: a key and nine columns.
var wide = tds{name: "wide", cols: []tcol{
	{"id", "bigint", true}, {"a", "nvarchar(40)", false}, {"b", "nvarchar(40)", false}, {"c", "bigint", false},
	{"d", "bigint", false}, {"e", "float64", false}, {"f", "float64", false}, {"g", "nvarchar(20)", false},
	{"h", "bigint", false}, {"i", "boolean", false},
}}

// fillWide writes n rows into the source, version v of every row whose id
// is a multiple of every (all rows when every is 1).
func (h *harness) fillWide(n, every int, v int64) {
	h.t.Helper()
	tx, err := h.src.Begin()
	if err != nil {
		h.t.Fatal(err)
	}
	defer tx.Rollback()
	if every == 1 {
		if _, err := tx.Exec("DELETE FROM wide"); err != nil {
			h.t.Fatal(err)
		}
		stmt, err := tx.Prepare("INSERT INTO wide VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
		if err != nil {
			h.t.Fatal(err)
		}
		for i := 0; i < n; i++ {
			if _, err := stmt.Exec(int64(i), fmt.Sprintf("name %d", i), strings.Repeat("x", i%40), int64(i)*7, v,
				float64(i)/3, float64(i)*1.5, "group", int64(i%100), i%2 == 0); err != nil {
				h.t.Fatal(err)
			}
		}
	} else if _, err := tx.Exec("UPDATE wide SET d = ? WHERE id % ? = 0", v, every); err != nil {
		h.t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		h.t.Fatal(err)
	}
}

func BenchmarkSnapshot(b *testing.B) {
	for _, store := range []string{"sqlite", "postgres"} {
		b.Run(store, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				benchSnapshot(b, store, *benchRows)
			}
		})
	}
}

func benchSnapshot(b *testing.B, store string, n int) {
	b.StopTimer()
	st := sqliteStore(b)
	if store == "postgres" {
		st = postgresStore(b)
	}
	h := newHarness(b, st, modelOptions{datasets: []tds{wide}})
	h.fillWide(n, 1, 0)
	for _, phase := range []struct {
		name  string
		every int
	}{{"initial load", 1}, {"1% changed", 100}, {"nothing changed", 0}} {
		if phase.every > 1 {
			h.fillWide(n, phase.every, 1)
		}
		b.StartTimer()
		began := time.Now()
		rep := h.run()
		took := time.Since(began)
		b.StopTimer()
		br := rep.Batches[0]
		b.Logf("%s store, %s: %d rows in %v (%.0f rows/s; staging %v, merging %v): %d inserted, %d updated, %d deleted",
			store, phase.name, br.Read, took.Round(time.Millisecond), float64(br.Read)/took.Seconds(),
			br.Staging.Round(time.Millisecond), br.Merging.Round(time.Millisecond), br.Inserted, br.Updated, br.Deleted)
	}
}
