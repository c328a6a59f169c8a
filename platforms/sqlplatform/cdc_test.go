package sqlplatform

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// cdcItems is the CDC tests' dataset: a key and a value.
var cdcItems = tds{name: "items", cols: []tcol{{"id", "bigint", true}, {"name", "nvarchar(40)", false}}}

// cdcOptions is a model whose store Shop is captured from the change
// table items_changes, as one stream "Shop".
func cdcOptions(milestoning string) modelOptions {
	return modelOptions{milestoning: milestoning, datasets: []tds{cdcItems},
		capture: `cdc(source = sqlite("src", database = "src.db"), ingestion = "store")`}
}

// newCDCHarness makes the harness and the source's change table.
func newCDCHarness(t *testing.T, st storeTarget, milestoning string) *harness {
	t.Helper()
	h := newHarness(t, st, cdcOptions(milestoning))
	h.exec("CREATE TABLE items_changes (id bigint, name text, dsl_op text, dsl_seq bigint)")
	return h
}

// change appends one change to the change table; name nil for a delete.
func (h *harness) change(seq int64, op string, id int64, name any) {
	h.t.Helper()
	p := h.srcD.Placeholder
	h.exec("INSERT INTO items_changes (id, name, dsl_op, dsl_seq) VALUES ("+p(1)+", "+p(2)+", "+p(3)+", "+p(4)+")", id, name, op, seq)
}

// TestCDCSemantics: the last change of each key in the window is applied;
// an update equal to the current row makes no version, a delete of an
// unknown key does nothing (also a key inserted and deleted in one
// window), a deleted key is removed (live) or closed (forensic), and a key
// that comes back is a new row or version. A window with no change is a
// batch that does nothing.
func TestCDCSemantics(t *testing.T) {
	for _, m := range []string{"live", "forensic"} {
		t.Run(m, func(t *testing.T) {
			forEachStore(t, func(t *testing.T, st storeTarget) {
				h := newCDCHarness(t, st, m)
				h.change(1, "i", 1, "a")
				h.change(2, "insert", 2, "b")
				h.change(3, "U", 1, "a2")
				h.change(4, "c", 3, "c") // Debezium's create
				expectCounts(t, h.run(), "batch 1: 3 read, 3 inserted, 0 updated, 0 deleted, 0 unchanged")

				h.change(5, "d", 2, nil)
				h.change(6, "u", 3, "c") // the same values: no change
				h.change(7, "delete", 9, nil)
				h.change(8, "i", 4, "d")
				h.change(9, "D", 4, nil)
				// Read: key 3's update, and deletes of keys 2, 9 and 4, of
				// which only 2 is held.
				expectCounts(t, h.run(), "batch 2: 4 read, 0 inserted, 0 updated, 1 deleted, 1 unchanged")
				expectCounts(t, h.run(), "batch 3: 0 read, 0 inserted, 0 updated, 0 deleted, 0 unchanged")

				h.change(10, "i", 2, "b2")
				expectCounts(t, h.run(), "batch 4: 1 read, 1 inserted, 0 updated, 0 deleted, 0 unchanged")
				expectRows(t, "live view", h.view(cdcItems, ViewLive), `1 | "a2"`, `2 | "b2"`, `3 | "c"`)
				if m == "forensic" {
					expectRows(t, "history view", h.view(cdcItems, ViewHistory),
						`1 | "a2" | 1 | 9223372036854775807`, `2 | "b" | 1 | 1`, `2 | "b2" | 4 | 9223372036854775807`, `3 | "c" | 1 | 9223372036854775807`)
				}
			})
		})
	}
}

// TestCDCSourceEngines: the window, the ranking of changes per key and the
// operation codes work in each source's SQL.
func TestCDCSourceEngines(t *testing.T) {
	for _, engine := range []string{"sqlite", "postgres", "mysql"} {
		t.Run(engine, func(t *testing.T) {
			src := openSource(t, engine)
			o := cdcOptions("forensic")
			o.capture = fmt.Sprintf(`cdc(source = %s, ingestion = "store"%s)`, src.container, map[bool]string{true: ", credential = " + src.credential}[src.credential != ""])
			h := newHarnessWithSource(t, sqliteStore(t), o, src)
			h.exec("CREATE TABLE items_changes (id bigint, name varchar(40), dsl_op varchar(10), dsl_seq bigint)")
			h.change(1, "i", 1, "a")
			h.change(2, "u", 1, "a2")
			h.change(3, "i", 2, "b")
			expectCounts(t, h.run(), "batch 1: 2 read, 2 inserted, 0 updated, 0 deleted, 0 unchanged")
			h.change(4, "D", 2, nil)
			h.change(5, "update", 1, "a3")
			expectCounts(t, h.run(), "batch 2: 2 read, 0 inserted, 1 updated, 1 deleted, 0 unchanged")
			expectRows(t, "live view", h.view(cdcItems, ViewLive), `1 | "a3"`)
		})
	}
}

// TestCDCWindowSpansTheStore: with one stream per dataset, each stream's
// window ends at the highest sequence of all the store's change tables,
// so a change the other table's stream took sets where this one starts.
func TestCDCWindowSpansTheStore(t *testing.T) {
	other := tds{name: "others", cols: []tcol{{"id", "bigint", true}, {"name", "nvarchar(40)", false}}}
	o := cdcOptions("live")
	o.datasets = []tds{cdcItems, other}
	o.capture = `cdc(source = sqlite("src", database = "src.db"))` // one stream per dataset
	h := newHarness(t, sqliteStore(t), o)
	h.exec("CREATE TABLE items_changes (id bigint, name text, dsl_op text, dsl_seq bigint)")
	h.exec("CREATE TABLE others_changes (id bigint, name text, dsl_op text, dsl_seq bigint)")
	h.change(1, "i", 1, "a")
	h.exec("INSERT INTO others_changes VALUES (1, 'x', 'i', 5)")
	h.run()
	rows := h.query("SELECT stream, datasets FROM dsl_batches ORDER BY stream")
	if len(rows) != 2 {
		t.Fatalf("batch records: %q", rows)
	}
	for _, row := range rows {
		// The record's datasets are JSON inside the row's text.
		if !strings.Contains(row, `\"change_to\":5,`) {
			t.Errorf("the window does not end at 5, the store's highest sequence: %s", row)
		}
	}
	expectRows(t, "items", h.view(cdcItems, ViewLive), `1 | "a"`)
}

// TestCDCBadInput: an unknown operation code, or a change table without its
// sequence column, is an error naming the table and what to fix; the batch
// stays uncommitted and the merge table is untouched.
func TestCDCBadInput(t *testing.T) {
	h := newCDCHarness(t, sqliteStore(t), "live")
	h.change(1, "i", 1, "a")
	h.run()
	h.change(2, "x", 1, "b")
	_, err := h.runErr()
	if err == nil || !strings.Contains(err.Error(), `change table items_changes of source`) ||
		!strings.Contains(err.Error(), `the change at dsl_seq 2 has operation "x", which is not one the platform knows`) {
		t.Fatalf("unknown operation: %v", err)
	}
	expectRows(t, "live view", h.view(cdcItems, ViewLive), `1 | "a"`)

	h.exec("DROP TABLE items_changes")
	h.exec("CREATE TABLE items_changes (id bigint, name text, dsl_op text)")
	_, err = h.runErr()
	if err == nil || !strings.Contains(err.Error(), "change table items_changes of source") || !strings.Contains(err.Error(), "has no column dsl_seq: add it") {
		t.Fatalf("missing sequence column: %v", err)
	}
	expectRows(t, "live view", h.view(cdcItems, ViewLive), `1 | "a"`)
}

// TestCDCFaults: a CDC batch stopped at every fault point and run again
// ends as an uninterrupted run, the window of a batch coming from the
// committed batches only.
func TestCDCFaults(t *testing.T) {
	steps := []func(h *harness){
		func(h *harness) { h.change(1, "i", 1, "a"); h.change(2, "i", 2, "b") },
		func(h *harness) { h.change(3, "u", 1, "a2"); h.change(4, "d", 2, nil); h.change(5, "i", 3, "c") },
		func(h *harness) { h.change(6, "i", 2, "b2"); h.change(7, "d", 3, nil); h.change(8, "u", 1, "a3") },
	}
	for _, m := range []string{"live", "forensic"} {
		t.Run(m, func(t *testing.T) {
			st := sqliteStore(t)
			ref := newCDCHarness(t, freshLike(t, st), m)
			for _, step := range steps {
				step(ref)
				ref.run()
			}
			want := ref.merge(cdcItems)
			for _, point := range faultPoints {
				t.Run(point, func(t *testing.T) {
					h := newCDCHarness(t, freshLike(t, st), m)
					for i, step := range steps {
						step(h)
						if i == len(steps)-1 {
							fired := armAt(t, point, 1, true)
							if err := h.runRecovering(); err == nil || !fired() {
								t.Fatalf("the fault at %s did not stop the batch (err %v)", point, err)
							}
							armFault(nil)
						}
						h.run()
					}
					expectRows(t, "merge table", h.merge(cdcItems), want...)
				})
			}
		})
	}
}

// TestCDCProperty drives random changes (inserts, updates, deletes of held
// and unknown keys, several per key in one window, updates that change
// nothing) through CDC batches, some killed mid-way and run again, and
// compares the live view after every
// batch with an in-memory model that applies every change in sequence
// order, on each store.
func TestCDCProperty(t *testing.T) {
	seeds := 20
	if testing.Short() {
		seeds = 5
	}
	forEachStore(t, func(t *testing.T, st storeTarget) {
		for _, m := range []string{"live", "forensic"} {
			for seed := range seeds {
				t.Run(fmt.Sprintf("%s/%d", m, seed), func(t *testing.T) {
					rng := rand.New(rand.NewPCG(uint64(seed), 23))
					h := newCDCHarness(t, freshLike(t, st), m)
					model := map[int64]string{}
					seq := int64(0)
					for batch := 1; batch <= 8; batch++ {
						for range rng.IntN(8) {
							seq++
							id := int64(rng.IntN(8))
							switch rng.IntN(3) {
							case 0:
								h.change(seq, "d", id, nil)
								delete(model, id)
							default:
								name := fmt.Sprintf("n%d", rng.IntN(3)) // often the value it has
								op := "u"
								if _, held := model[id]; !held {
									op = "i"
								}
								h.change(seq, op, id, name)
								model[id] = name
							}
						}
						h.runWithRandomKill(rng)
						var want []string
						for id, name := range model {
							want = append(want, fmt.Sprintf("%d | %q", id, name))
						}
						slices.Sort(want)
						if got := h.view(cdcItems, ViewLive); !slices.Equal(got, want) {
							t.Fatalf("after batch %d:\n got %s\nwant %s", batch, strings.Join(got, "; "), strings.Join(want, "; "))
						}
					}
				})
			}
		}
	})
}
