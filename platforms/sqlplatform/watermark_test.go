package sqlplatform

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/datasurface/datasurface-go/types"
)

// wmItems is the watermark tests' dataset: a key, a value and the
// watermark v, an integer the source's application raises on every change.
var wmItems = tds{name: "items", cols: []tcol{{"id", "bigint", true}, {"name", "nvarchar(40)", false}, {"v", "bigint", false}}}

// wmTimed is the same with a timestamp watermark.
var wmTimed = tds{name: "items", cols: []tcol{{"id", "bigint", true}, {"name", "nvarchar(40)", false}, {"v", "timestamp", false}}}

// watermarkOptions is a model whose store Shop is captured by watermark v,
// as one stream "Shop".
func watermarkOptions(milestoning string, ds tds, platformOptions string) modelOptions {
	return modelOptions{milestoning: milestoning, datasets: []tds{ds}, platformOptions: platformOptions,
		capture: `sql_watermark(source = sqlite("src", database = "src.db"), watermark = "v", ingestion = "store")`}
}

// upsertRow writes one source row, inserting or replacing it.
func (h *harness) upsertRow(id int64, name string, v any) {
	h.t.Helper()
	p := h.srcD.Placeholder
	h.exec("DELETE FROM items WHERE id = "+p(1), id)
	h.exec("INSERT INTO items (id, name, v) VALUES ("+p(1)+", "+p(2)+", "+p(3)+")", id, name, v)
}

// TestWatermarkSemantics: the first batch reads every row; later batches
// read the rows at or above the highest watermark read (rows sharing it
// included, one arriving after the batch too) and upsert them: a changed
// row is updated (live) or gets a new version (forensic), a row read again
// unchanged is left alone, and a row deleted at the source stays.
func TestWatermarkSemantics(t *testing.T) {
	for _, m := range []string{"live", "forensic"} {
		t.Run(m, func(t *testing.T) {
			forEachStore(t, func(t *testing.T, st storeTarget) {
				h := newHarness(t, st, watermarkOptions(m, wmItems, ""))
				h.upsertRow(1, "a", int64(1))
				h.upsertRow(2, "b", int64(2))
				h.upsertRow(3, "c", int64(2))
				expectCounts(t, h.run(), "batch 1: 3 read, 3 inserted, 0 updated, 0 deleted, 0 unchanged")

				h.upsertRow(4, "d", int64(2)) // the highest value read, committed late
				h.upsertRow(1, "a2", int64(3))
				h.exec("DELETE FROM items WHERE id = 3")
				// Read: v >= 2, that is rows 1, 2 and 4.
				expectCounts(t, h.run(), "batch 2: 3 read, 1 inserted, 1 updated, 0 deleted, 1 unchanged")
				expectCounts(t, h.run(), "batch 3: 1 read, 0 inserted, 0 updated, 0 deleted, 1 unchanged")

				want := []string{`1 | "a2" | 3`, `2 | "b" | 2`, `3 | "c" | 2`, `4 | "d" | 2`}
				expectRows(t, "live view", h.view(wmItems, ViewLive), want...)
				if m == "forensic" {
					expectRows(t, "history view", h.view(wmItems, ViewHistory),
						`1 | "a" | 1 | 1 | 1`, `1 | "a2" | 3 | 2 | 9223372036854775807`, `2 | "b" | 2 | 1 | 9223372036854775807`,
						`3 | "c" | 2 | 1 | 9223372036854775807`, `4 | "d" | 2 | 2 | 9223372036854775807`)
				}
			})
		})
	}
}

// TestWatermarkSourceEngines: the bound is bound as a query argument in
// each source's dialect, with integer and timestamp watermarks.
func TestWatermarkSourceEngines(t *testing.T) {
	for _, engine := range []string{"sqlite", "postgres", "mysql"} {
		for _, ds := range []tds{wmItems, wmTimed} {
			t.Run(engine+"/"+ds.cols[2].typ, func(t *testing.T) {
				src := openSource(t, engine)
				o := watermarkOptions("forensic", ds, "")
				o.capture = fmt.Sprintf(`sql_watermark(source = %s, watermark = "v", ingestion = "store"%s)`, src.container, map[bool]string{true: ", credential = " + src.credential}[src.credential != ""])
				h := newHarnessWithSource(t, sqliteStore(t), o, src)
				v := func(n int) any {
					var canon any = int64(n)
					if ds.cols[2].typ != "bigint" {
						canon = time.Date(2026, 1, 1, 0, n, 0, 0, time.UTC)
					}
					enc, err := h.srcD.Encode(types.MustParse(ds.cols[2].typ), canon)
					if err != nil {
						t.Fatal(err)
					}
					return enc
				}
				h.upsertRow(1, "a", v(1))
				h.upsertRow(2, "b", v(2))
				expectCounts(t, h.run(), "batch 1: 2 read, 2 inserted, 0 updated, 0 deleted, 0 unchanged")
				h.upsertRow(1, "a2", v(3))
				// At or above 2: row 2 again (unchanged) and row 1.
				expectCounts(t, h.run(), "batch 2: 2 read, 0 inserted, 1 updated, 0 deleted, 1 unchanged")
			})
		}
	}
}

// TestWatermarkLag: a row that commits late with a watermark older than
// the highest read, within the lag, is read by the next batch; one older
// than the lag is not (the documented limit). NULL watermarks are read by
// every batch.
func TestWatermarkLag(t *testing.T) {
	forEachStore(t, func(t *testing.T, st storeTarget) {
		h := newHarness(t, st, watermarkOptions("live", wmTimed, `"watermark_lag": "5m"`))
		t0 := time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)
		at := func(d time.Duration) string { return t0.Add(d).Format("2006-01-02 15:04:05") }
		h.upsertRow(1, "a", at(0))
		h.upsertRow(2, "b", at(10*time.Minute))
		h.upsertRow(3, "n", nil)
		expectCounts(t, h.run(), "batch 1: 3 read, 3 inserted, 0 updated, 0 deleted, 0 unchanged")

		h.upsertRow(4, "late", at(7*time.Minute))     // within 5 minutes of the highest, 10:10
		h.upsertRow(5, "too late", at(1*time.Minute)) // older than the lag allows
		// Read: v >= 10:05, or NULL: rows 2, 3 and 4.
		expectCounts(t, h.run(), "batch 2: 3 read, 1 inserted, 0 updated, 0 deleted, 2 unchanged")
		expectRows(t, "live view", h.view(wmTimed, ViewLive),
			`1 | "a" | 2026-12-04T10:00:00Z`, `2 | "b" | 2026-12-04T10:10:00Z`, `3 | "n" | NULL`, `4 | "late" | 2026-12-04T10:07:00Z`)
	})
}

// TestWatermarkFaults: a watermark batch stopped at every fault point and
// run again ends as an uninterrupted run: the bound of a batch comes from
// the committed batches only, so a batch redone reads the same rows.
func TestWatermarkFaults(t *testing.T) {
	states := []func(h *harness){
		func(h *harness) { h.upsertRow(1, "a", int64(1)); h.upsertRow(2, "b", int64(2)) },
		func(h *harness) { h.upsertRow(1, "a2", int64(3)); h.upsertRow(3, "c", int64(3)) },
		func(h *harness) { h.upsertRow(4, "d", int64(3)); h.upsertRow(2, "b2", int64(5)) },
	}
	for _, m := range []string{"live", "forensic"} {
		t.Run(m, func(t *testing.T) {
			st := sqliteStore(t)
			ref := newHarness(t, freshLike(t, st), watermarkOptions(m, wmItems, ""))
			var want [][]string
			for _, apply := range states {
				apply(ref)
				ref.run()
				want = append(want, ref.merge(wmItems))
			}
			for _, point := range faultPoints {
				t.Run(point, func(t *testing.T) {
					h := newHarness(t, freshLike(t, st), watermarkOptions(m, wmItems, ""))
					for i, apply := range states {
						apply(h)
						if i == len(states)-1 {
							fired := armAt(t, point, 1, true)
							if err := h.runRecovering(); err == nil || !fired() {
								t.Fatalf("the fault at %s did not stop the batch (err %v)", point, err)
							}
							armFault(nil)
						}
						h.run()
						if i == len(states)-1 && slices.Index(faultPoints, point) >= slices.Index(faultPoints, faultCommitted) {
							// The faulted run committed; the rerun was one more batch.
							continue
						}
					}
					expectRows(t, "merge table", h.merge(wmItems), want[len(states)-1]...)
				})
			}
		})
	}
}

// runWithRandomKill runs one batch; half the time it first runs one that
// a crash stops at a random fault point (a panic: no deferred handling of
// ours runs past it), as a killed process would leave it. The batch the
// next run finishes must end as an uninterrupted one.
func (h *harness) runWithRandomKill(rng *rand.Rand) {
	h.t.Helper()
	if rng.IntN(2) == 0 {
		point := faultPoints[rng.IntN(len(faultPoints))]
		armAt(h.t.(*testing.T), point, 1, true)
		_ = h.runRecovering()
		armFault(nil)
	}
	h.run()
}

// TestWatermarkProperty drives random source changes, each raising its
// row's watermark to a fresh value (some sharing one value, some committed
// late within the lag), through watermark batches, some killed mid-way
// and run again, and compares the live
// view after every batch with an in-memory model: every key a batch has
// seen, with the values the source held at the latest batch (a key deleted
// at the source keeps the values the last batch that saw it read; one
// inserted and deleted between two batches is never seen). It runs on
// each store: PostgreSQL applies the changes with MERGE, SQLite in two
// statements.
func TestWatermarkProperty(t *testing.T) {
	seeds := 20
	if testing.Short() {
		seeds = 5
	}
	forEachStore(t, func(t *testing.T, st storeTarget) {
		for seed := range seeds {
			t.Run(fmt.Sprint(seed), func(t *testing.T) {
				rng := rand.New(rand.NewPCG(uint64(seed), 11))
				// The lag covers the late commits below (at most 3 values back).
				h := newHarness(t, freshLike(t, st), watermarkOptions("live", wmItems, `"watermark_lag_values": 3`))
				model := map[int64]string{}
				source := map[int64]string{}
				v := int64(10)
				for batch := 1; batch <= 8; batch++ {
					for range rng.IntN(6) + 1 {
						id := int64(rng.IntN(12))
						switch op := rng.IntN(10); {
						case op < 2 && source[id] != "":
							h.exec("DELETE FROM items WHERE id = ?", id)
							delete(source, id)
						default:
							name := fmt.Sprintf("n%d-%d", id, rng.IntN(1000))
							if rng.IntN(4) > 0 {
								v++ // a fresh value; otherwise it shares the last one
							}
							wv := v
							if rng.IntN(5) == 0 {
								wv = v - int64(rng.IntN(4)) // committed late, within the lag
							}
							h.upsertRow(id, name, wv)
							source[id] = fmt.Sprintf(`%d | %q | %d`, id, name, wv)
						}
					}
					h.runWithRandomKill(rng)
					for id, row := range source {
						model[id] = row
					}
					var want []string
					for _, row := range model {
						want = append(want, row)
					}
					slices.Sort(want)
					got := h.view(wmItems, ViewLive)
					if !slices.Equal(got, want) {
						t.Fatalf("after batch %d:\n got %s\nwant %s", batch, strings.Join(got, "; "), strings.Join(want, "; "))
					}
				}
			})
		}
	})
}

// TestWatermarkAccept: a watermark column whose order the source and the
// platform may not agree on, or a dataset without keys, is refused when the
// platform accepts the pipeline, naming the dataset and the column.
func TestWatermarkAccept(t *testing.T) {
	textWatermark := tds{name: "items", cols: []tcol{{"id", "bigint", true}, {"v", "varchar(20)", false}}}
	keylessWatermark := tds{name: "events", cols: []tcol{{"kind", "varchar(20)", false}, {"v", "varchar(20)", false}}}
	o := watermarkOptions("live", textWatermark, "")
	o.datasets = append(o.datasets, keylessWatermark)
	p, pl := buildPipeline(t, modelText(o))
	var got []string
	for _, d := range p.Accept(t.Context(), pl) {
		got = append(got, d.Rule+" "+d.Path+": "+d.Message)
	}
	want := []string{
		"SQL_WATERMARK_UNSUPPORTED Z/T/Shop/events/v: platform Lake (kind sql): column v of dataset Shop.events is the watermark of its capture, but its type varchar(20) is not an integer, a date or a timestamp",
		"SQL_WATERMARK_UNSUPPORTED Z/T/Shop/events: platform Lake (kind sql): dataset Shop.events has no key columns, and a watermark capture upserts its changed rows by key",
		"SQL_WATERMARK_UNSUPPORTED Z/T/Shop/items/v: platform Lake (kind sql): column v of dataset Shop.items is the watermark of its capture, but its type varchar(20) is not an integer, a date or a timestamp",
	}
	slices.Sort(got)
	if len(got) != len(want) {
		t.Fatalf("findings:\n%s", strings.Join(got, "\n"))
	}
	for i := range want {
		if !strings.HasPrefix(got[i], want[i]) {
			t.Errorf("finding %d:\n got %s\nwant %s...", i, got[i], want[i])
		}
	}
}
