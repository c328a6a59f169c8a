package sqlplatform

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
)

// The fault tests stop a batch at every fault point, by an error and by a
// panic (what a crash leaves behind: no deferred error handling of ours
// runs past the point), then run again, and compare the end state with an
// uninterrupted run's, row for row: merge tables, views and batch records.

// faultStates are the source states the fault tests run through, one batch
// each: an initial load, then inserts, updates, deletes, a returning key and
// a duplicate keyless row.
var faultStates = []struct{ items, events [][]any }{
	{
		items:  [][]any{row(1, "a", 1.5), row(2, "b", nil), row(3, "", 2.0)},
		events: [][]any{{"x", int64(1)}, {"x", int64(1)}, {"y", nil}},
	},
	{
		items:  [][]any{row(1, "a", 1.5), row(2, "b2", nil), row(4, "d", 0.25)},
		events: [][]any{{"x", int64(1)}, {"z", int64(3)}},
	},
	{
		items:  [][]any{row(1, "a", 1.5), row(2, "b2", nil), row(3, nil, 2.0), row(4, "d", 0.25), row(5, "e", -1.0)},
		events: [][]any{{"x", int64(1)}, {"x", int64(1)}, {"x", int64(1)}, {"z", int64(3)}},
	},
}

// endState is what the fault tests compare.
type endState struct {
	items, events, itemsView, eventsView, batches []string
}

func (h *harness) endState() endState {
	h.t.Helper()
	return endState{
		items: h.merge(keyed), events: h.merge(keyless),
		itemsView: h.view(keyed, ViewLive), eventsView: h.view(keyless, ViewLive),
		batches: h.batches("Shop"),
	}
}

func (h *harness) apply(i int) {
	h.set(keyed, faultStates[i].items...)
	h.set(keyless, faultStates[i].events...)
}

// armAt arms a fault that fires the nth time point is passed, returning
// an error or panicking; the returned function says whether it fired.
func armAt(t *testing.T, point string, nth int, panics bool) (fired func() bool) {
	t.Helper()
	var mu sync.Mutex
	count, hit := 0, false
	armFault(func(p string) error {
		if p != point {
			return nil
		}
		mu.Lock()
		count++
		fire := count == nth
		if fire {
			hit = true
		}
		mu.Unlock()
		if !fire {
			return nil
		}
		if panics {
			panic("injected crash at " + p)
		}
		return fmt.Errorf("injected fault at %s", p)
	})
	t.Cleanup(func() { armFault(nil) })
	return func() bool {
		mu.Lock()
		defer mu.Unlock()
		return hit
	}
}

// runRecovering runs once and turns a panic into an error.
func (h *harness) runRecovering() (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	_, err = h.runErr()
	return err
}

func TestFaultAtEveryPointThenRerun(t *testing.T) {
	for _, m := range []string{"live", "forensic"} {
		t.Run(m, func(t *testing.T) {
			forEachStore(t, func(t *testing.T, st storeTarget) {
				o := modelOptions{milestoning: m, datasets: []tds{keyed, keyless}}
				// The uninterrupted run, in a store of its own.
				ref := newHarness(t, freshLike(t, st), o)
				want := make([]endState, len(faultStates))
				for i := range faultStates {
					ref.apply(i)
					ref.run()
					want[i] = ref.endState()
				}
				type fault struct {
					point string
					nth   int
				}
				var faults []fault
				for _, p := range faultPoints {
					faults = append(faults, fault{p, 1})
				}
				// The second dataset's staging too.
				faults = append(faults, fault{faultStagingRows, 2})
				for _, f := range faults {
					for _, panics := range []bool{false, true} {
						mode := "error"
						if panics {
							mode = "panic"
						}
						// Once in the first batch (tables are created) and
						// once in the last (incremental); on PostgreSQL,
						// whose schemas are slower to make, the last only.
						ats := []int{0, len(faultStates) - 1}
						if st.name == "postgres" {
							ats = ats[1:]
						}
						for _, at := range ats {
							t.Run(fmt.Sprintf("%s-%d/%s/batch%d", f.point, f.nth, mode, at+1), func(t *testing.T) {
								h := newHarness(t, freshLike(t, st), o)
								for i := 0; i < at; i++ {
									h.apply(i)
									h.run()
								}
								h.apply(at)
								fired := armAt(t, f.point, f.nth, panics)
								err := h.runRecovering()
								armFault(nil)
								if !fired() {
									t.Fatalf("fault point %s was never reached", f.point)
								}
								if err == nil || !strings.Contains(err.Error(), "injected") {
									t.Fatalf("run with a fault at %s: err = %v, want the injected fault", f.point, err)
								}
								committed := slices.Index(faultPoints, f.point) >= slices.Index(faultPoints, faultCommitted)
								if !committed {
									// Nothing of the batch is visible before the rerun.
									if at > 0 {
										got := h.endState()
										expectRows(t, "merge table before the rerun", got.items, want[at-1].items...)
										expectRows(t, "view before the rerun", got.itemsView, want[at-1].itemsView...)
									}
								}
								rep := h.run()
								got := h.endState()
								expectRows(t, "items", got.items, want[at].items...)
								expectRows(t, "events", got.events, want[at].events...)
								expectRows(t, "items view", got.itemsView, want[at].itemsView...)
								expectRows(t, "events view", got.eventsView, want[at].eventsView...)
								wantBatches := want[at].batches
								if committed {
									// The faulted run committed its batch; the
									// rerun is the next batch and changes nothing.
									n := len(wantBatches) + 1
									wantBatches = append(slices.Clone(wantBatches), fmt.Sprintf(`%d | "COMMITTED" | %d | 0 | 0 | 0 | %d`, n, rep.Batches[0].Read, rep.Batches[0].Read))
									if rep.Batches[0].Resumed {
										t.Error("the rerun after a committed batch resumed it")
									}
								} else if !rep.Batches[0].Resumed {
									t.Error("the rerun did not resume the open batch")
								}
								expectRows(t, "batch records", got.batches, wantBatches...)
								for _, ds := range []tds{keyed, keyless} {
									if phys, err := st.d.TableColumns(t.Context(), h.st.db, StagingTableName(st.d, "Shop", ds.name)); err != nil || phys != nil {
										t.Errorf("staging table of %s left behind (%v)", ds.name, err)
									}
								}
							})
						}
					}
				}
			})
		})
	}
}

// freshLike returns a fresh store of the same kind as st.
func freshLike(t *testing.T, st storeTarget) storeTarget {
	t.Helper()
	if st.name == "postgres" {
		return postgresStore(t)
	}
	return sqliteStore(t)
}
