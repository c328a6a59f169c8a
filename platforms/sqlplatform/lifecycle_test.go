package sqlplatform

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestResetOnlyUncommitted: Reset discards an uncommitted batch (its record
// and staging), after which the next run redoes that number from the
// source; a committed batch is refused.
func TestResetOnlyUncommitted(t *testing.T) {
	forEachStore(t, func(t *testing.T, st storeTarget) {
		h := newHarness(t, st, modelOptions{datasets: []tds{keyed}})
		ctx := context.Background()
		if _, err := h.p.Reset(ctx, h.pl, "Shop"); !errors.Is(err, ErrNothingToReset) || !strings.Contains(err.Error(), "stream Shop has no batch") {
			t.Errorf("reset before any batch: %v", err)
		}
		h.set(keyed, row(1, "a", 1.5))
		h.run()
		_, err := h.p.Reset(ctx, h.pl, "Shop")
		if !errors.Is(err, ErrNothingToReset) {
			t.Fatalf("reset of a committed batch: %v", err)
		}
		if want := "stream Shop: batch 1 is committed and a committed batch is never reset"; !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
		// Batch 2 stops after INGESTED, leaving its staging behind.
		h.set(keyed, row(1, "a", 2.5), row(2, "b", nil))
		armAt(t, faultIngested, 1, false)
		if _, err := h.runErr(); err == nil {
			t.Fatal("the faulted run succeeded")
		}
		armFault(nil)
		n, err := h.p.Reset(ctx, h.pl, "Shop")
		if err != nil || n != 2 {
			t.Fatalf("reset = %d, %v; want batch 2", n, err)
		}
		expectRows(t, "batches after the reset", h.batches("Shop"), `1 | "COMMITTED" | 1 | 1 | 0 | 0 | 0`)
		if phys, _ := st.d.TableColumns(ctx, st.db, StagingTableName(st.d, "Shop", "items")); phys != nil {
			t.Error("the reset left the staging table")
		}
		expectRows(t, "merge table after the reset", h.merge(keyed), `1 | "a" | 1.5 | 1 | 1`)
		// The next run starts batch 2 afresh (not resumed).
		rep := h.run()
		if b := rep.Batches[0]; b.Batch != 2 || b.Resumed {
			t.Errorf("after the reset: batch %d, resumed %t", b.Batch, b.Resumed)
		}
		expectRows(t, "merge table", h.merge(keyed), `1 | "a" | 2.5 | 1 | 2`, `2 | "b" | NULL | 1 | 2`)
		if _, err := h.p.Reset(ctx, h.pl, "Nope"); err == nil || !strings.Contains(err.Error(), `no stream "Nope": the platform's streams are Shop`) {
			t.Errorf("reset of an unknown stream: %v", err)
		}
	})
}

// TestStatus reports each stream's latest batch, counts and views, and
// reads nothing into existence.
func TestStatus(t *testing.T) {
	st := sqliteStore(t)
	h := newHarness(t, st, modelOptions{datasets: []tds{keyed, keyless}, ingestion: "dataset"})
	// A fresh platform on a store file that does not exist yet: Status and
	// Reset say so and create nothing.
	none := filepath.Join(t.TempDir(), "none")
	fresh := newHarness(t, storeTarget{name: "sqlite", dsn: "sqlite:" + none + "/store.db", d: st.d}, modelOptions{datasets: []tds{keyed}})
	sts, err := fresh.p.Status(context.Background(), fresh.pl)
	if err != nil || len(sts) != 1 || sts[0].Batch != 0 || sts[0].Stream != "Shop" {
		t.Fatalf("status of a fresh store = %+v, %v", sts, err)
	}
	if _, err := fresh.p.Reset(context.Background(), fresh.pl, "Shop"); !errors.Is(err, ErrNothingToReset) {
		t.Errorf("reset on a fresh store: %v", err)
	}
	if _, err := os.Stat(none); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Status or Reset created the store's directory (%v)", err)
	}
	h.set(keyed, row(1, "a", 1.5), row(2, "b", nil))
	h.set(keyless, []any{"x", int64(1)})
	began := time.Now().Add(-time.Second)
	rep := h.run()
	if got := []string{rep.Batches[0].Stream, rep.Batches[1].Stream}; !slices.Equal(got, []string{"Shop.events", "Shop.items"}) {
		t.Errorf("streams ran in order %v", got)
	}
	sts, err = h.p.Status(context.Background(), h.pl)
	if err != nil {
		t.Fatal(err)
	}
	if len(sts) != 2 {
		t.Fatalf("status has %d streams", len(sts))
	}
	s := sts[1]
	if s.Stream != "Shop.items" || s.Batch != 1 || s.State != Committed || s.LastCommitted != 1 || s.Read != 2 || s.Inserted != 2 ||
		s.CommittedAt.Before(began) || s.Attempts != 1 || s.Error != "" || s.Capture != "sql_snapshot" {
		t.Errorf("status = %+v", s)
	}
	if len(s.Views) != 1 || s.Views[0].Name != "reports__daily__items" || s.Views[0].Kind != ViewLive {
		t.Errorf("views = %+v", s.Views)
	}
	// Runs limited to one stream leave the other alone.
	rep, err = h.p.RunOnce(context.Background(), h.pl, RunOptions{Stream: "Shop.items"})
	if err != nil || len(rep.Batches) != 1 || rep.Batches[0].Stream != "Shop.items" || rep.Batches[0].Batch != 2 {
		t.Errorf("run of one stream: %+v, %v", rep, err)
	}
	expectRows(t, "events batches", h.batches("Shop.events"), `1 | "COMMITTED" | 1 | 1 | 0 | 0 | 0`)
}

// TestNoDDLWhenUnchanged: a second run of an unchanged model touches no
// merge table or view (only the batch's own staging tables), and a model
// change runs exactly the DDL it needs.
func TestNoDDLWhenUnchanged(t *testing.T) {
	forEachStore(t, func(t *testing.T, st storeTarget) {
		o := modelOptions{milestoning: "forensic", datasets: []tds{keyed}}
		h := newHarness(t, st, o)
		h.set(keyed, row(1, "a", 1.5), row(2, "b", nil))
		h.run()
		var mu sync.Mutex
		var ddl []string
		setDDLObserver(func(s string) {
			mu.Lock()
			ddl = append(ddl, s)
			mu.Unlock()
		})
		t.Cleanup(func() { setDDLObserver(nil) })
		staging := StagingTableName(st.d, "Shop", "items")
		others := func() []string {
			mu.Lock()
			defer mu.Unlock()
			var out []string
			for _, s := range ddl {
				if !strings.Contains(s, staging) && !strings.Contains(s, indexName(staging, "")) {
					out = append(out, s)
				}
			}
			ddl = nil
			return out
		}
		h.run()
		if got := others(); len(got) > 0 {
			t.Errorf("an unchanged run ran DDL:\n%s", strings.Join(got, "\n"))
		}

		// A new column: added to the merge table, the views recreated, and
		// every row gets a new version (its row hash covers the column).
		withNote := keyed
		withNote.cols = append(slices.Clone(keyed.cols), tcol{"note", "varchar(10)", false})
		h.exec(`ALTER TABLE items ADD COLUMN note ` + h.sourceType("varchar(10)"))
		o.datasets = []tds{withNote}
		h.rebind(o)
		rep := h.run()
		got := others()
		if len(got) != 5 || !strings.Contains(got[0], "ADD COLUMN") || !strings.HasPrefix(got[1], "DROP VIEW") || !strings.HasPrefix(got[2], "CREATE VIEW") {
			t.Errorf("DDL for a new column:\n%s", strings.Join(got, "\n"))
		}
		expectCounts(t, rep, "batch 3: 2 read, 0 inserted, 2 updated, 0 deleted, 0 unchanged")
		if cols := h.columnsOf("SELECT * FROM " + h.q("reports__daily__items")); strings.Join(cols, ",") != "id,name,score,note" {
			t.Errorf("live view columns = %v", cols)
		}
		h.run()
		if got := others(); len(got) > 0 {
			t.Errorf("an unchanged run after the change ran DDL:\n%s", strings.Join(got, "\n"))
		}
	})
}

// TestTwoRunnersOneStream: while one runner holds a stream, another is
// refused at once (busy) and does nothing; many runners at once commit
// contiguous batches and double nothing.
func TestTwoRunnersOneStream(t *testing.T) {
	forEachStore(t, func(t *testing.T, st storeTarget) {
		staging := make(chan struct{})
		release := make(chan struct{})
		var once sync.Once
		h := newHarness(t, st, modelOptions{datasets: []tds{keyed}})
		h.set(keyed, row(1, "a", 1.5), row(2, "b", nil), row(3, "c", 3.0))
		other := h.platform()
		ctx := context.Background()
		done := make(chan error)
		go func() {
			_, err := h.p.RunOnce(ctx, h.pl, RunOptions{Progress: func(Progress) {
				once.Do(func() {
					close(staging)
					<-release
				})
			}})
			done <- err
		}()
		<-staging
		rep, err := other.RunOnce(ctx, h.pl, RunOptions{})
		close(release)
		if !errors.Is(err, ErrStreamBusy) || rep == nil || !rep.Batches[0].Busy || rep.Batches[0].Batch != 0 {
			t.Errorf("second runner: %+v, %v; want busy", rep, err)
		}
		if err := <-done; err != nil {
			t.Fatal(err)
		}

		// Many at once: each run either commits the next batch or is busy.
		var wg sync.WaitGroup
		var mu sync.Mutex
		committed := 1
		for i := 0; i < 6; i++ {
			p := h.p
			if i%2 == 1 {
				p = other
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				rep, err := p.RunOnce(ctx, h.pl, RunOptions{})
				if err != nil && !errors.Is(err, ErrStreamBusy) {
					t.Error(err)
					return
				}
				if rep.Batches[0].State == Committed {
					mu.Lock()
					committed++
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		got := h.batches("Shop")
		if len(got) != committed {
			t.Errorf("%d batches recorded, %d runs committed one:\n%s", len(got), committed, strings.Join(got, "\n"))
		}
		for i, b := range got {
			if !strings.HasPrefix(b, strconv.Itoa(i+1)+` | "COMMITTED" | 3 | `) {
				t.Errorf("batch record %d = %s", i+1, b)
			}
		}
		expectRows(t, "merge table", h.merge(keyed), `1 | "a" | 1.5 | 1 | 1`, `2 | "b" | NULL | 1 | 1`, `3 | "c" | 3 | 1 | 1`)
	})
}

// TestRunContinuously runs a stream without a trigger every interval until
// the context is cancelled, and returns nil then.
func TestRunContinuously(t *testing.T) {
	h := newHarness(t, sqliteStore(t), modelOptions{datasets: []tds{keyed}}, WithInterval(20*time.Millisecond))
	h.set(keyed, row(1, "a", 1.5))
	ctx, cancel := context.WithCancel(context.Background())
	var mu sync.Mutex
	var reports []BatchReport
	errc := make(chan error)
	go func() {
		errc <- h.p.RunContinuously(ctx, h.pl, RunOptions{}, func(b BatchReport) {
			mu.Lock()
			reports = append(reports, b)
			n := len(reports)
			mu.Unlock()
			if n == 3 {
				cancel()
			}
		})
	}()
	select {
	case err := <-errc:
		if err != nil {
			t.Fatalf("Run returned %v after cancellation", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("Run did not stop")
	}
	if len(reports) < 3 || reports[0].Inserted != 1 || reports[1].Unchanged != 1 || reports[2].Batch != 3 {
		t.Errorf("reports = %+v", reports)
	}
}

// TestScheduleTimes: cron streams run at their schedule's times, streams
// without a trigger at once and every interval, an open batch at once.
func TestScheduleTimes(t *testing.T) {
	now := time.Date(2025, 3, 1, 10, 7, 30, 0, time.UTC)
	_, pl := buildPipeline(t, modelText(modelOptions{datasets: []tds{keyed},
		capture: `sql_snapshot(source = sqlite("src", database = "src.db"), trigger = cron("*/15 * * * *"))`}))
	d := sqliteStore(t).d
	streams, err := planStreams(pl, d, "live")
	if err != nil {
		t.Fatal(err)
	}
	sc, err := newSchedule(streams[0], time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	sc.first(now, false)
	if want := time.Date(2025, 3, 1, 10, 15, 0, 0, time.UTC); !sc.next.Equal(want) {
		t.Errorf("first = %v, want %v", sc.next, want)
	}
	sc.advance(time.Date(2025, 3, 1, 10, 15, 42, 0, time.UTC))
	if want := time.Date(2025, 3, 1, 10, 30, 0, 0, time.UTC); !sc.next.Equal(want) {
		t.Errorf("next = %v, want %v", sc.next, want)
	}
	sc.first(now, true)
	if !sc.next.Equal(now) {
		t.Errorf("an open batch waits until %v", sc.next)
	}
	plain := &schedule{s: streams[0], every: time.Minute}
	plain.first(now, false)
	plain.advance(now)
	if want := now.Add(time.Minute); !plain.next.Equal(want) {
		t.Errorf("interval next = %v, want %v", plain.next, want)
	}
}

// TestViewsOfARemovedGroupAreRetired: when the pipeline no longer reads a
// dataset, a full run drops the views the platform made for it and keeps
// the merge table.
func TestViewsOfARemovedGroupAreRetired(t *testing.T) {
	forEachStore(t, func(t *testing.T, st storeTarget) {
		o := modelOptions{milestoning: "forensic", datasets: []tds{keyed}}
		h := newHarness(t, st, o)
		h.set(keyed, row(1, "a", 1.5))
		h.run()
		ctx := context.Background()
		for _, v := range []string{"reports__daily__items", "reports__daily__items__history"} {
			if phys, err := st.d.TableColumns(ctx, st.db, v); err != nil || phys == nil {
				t.Fatalf("view %s missing (%v)", v, err)
			}
		}
		o.noConsumer = true
		h.rebind(o)
		rep := h.run()
		if len(rep.Batches) != 0 {
			t.Errorf("a pipeline without groups ran %d batches", len(rep.Batches))
		}
		for _, v := range []string{"reports__daily__items", "reports__daily__items__history"} {
			if phys, err := st.d.TableColumns(ctx, st.db, v); err != nil || phys != nil {
				t.Errorf("view %s was not retired (%v)", v, err)
			}
		}
		expectRows(t, "merge table", h.merge(keyed), `1 | "a" | 1.5 | 1 | 1 | 9223372036854775807`)
		expectRows(t, "view records", h.query("SELECT name FROM dsl_views"))
	})
}

// TestWidenColumn: a model column widened (nvarchar(40) to nvarchar(80))
// is widened in place where the store's type does not already hold it
// (PostgreSQL; SQLite's TEXT holds both), the views are made again in the
// same transaction, and no row changes: widening keeps every hash.
func TestWidenColumn(t *testing.T) {
	forEachStore(t, func(t *testing.T, st storeTarget) {
		o := modelOptions{milestoning: "forensic", datasets: []tds{keyed}}
		h := newHarness(t, st, o)
		h.set(keyed, row(1, "a", 1.5), row(2, nil, nil))
		h.run()
		wide := keyed
		wide.cols = slices.Clone(keyed.cols)
		wide.cols[1].typ = "nvarchar(80)"
		o.datasets = []tds{wide}
		h.rebind(o)
		var mu sync.Mutex
		var ddl []string
		setDDLObserver(func(s string) {
			mu.Lock()
			ddl = append(ddl, s)
			mu.Unlock()
		})
		t.Cleanup(func() { setDDLObserver(nil) })
		long := strings.Repeat("w", 80)
		h.set(keyed, row(1, "a", 1.5), row(2, long, nil))
		expectCounts(t, h.run(), "batch 2: 2 read, 0 inserted, 1 updated, 0 deleted, 1 unchanged")
		altered := slices.ContainsFunc(ddl, func(s string) bool { return strings.Contains(s, "ALTER") && strings.Contains(s, "shop__items") })
		if want := st.name == "postgres"; altered != want {
			t.Errorf("ALTER of the merge table: %t, want %t:\n%s", altered, want, strings.Join(ddl, "\n"))
		}
		expectRows(t, "live view", h.view(wide, ViewLive), `1 | "a" | 1.5`, `2 | "`+long+`" | NULL`)
		expectRows(t, "history view", h.view(wide, ViewHistory),
			`1 | "a" | 1.5 | 1 | 9223372036854775807`, `2 | "`+long+`" | NULL | 2 | 9223372036854775807`, `2 | NULL | NULL | 1 | 1`)
	})
}
