package sqlplatform

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/datasurface/datasurface-go/graph"
)

// The datasets of the trigger tests' stores, besides keyed (store Shop).
var (
	stock = tds{name: "stock", cols: []tcol{{"sku", "bigint", true}, {"qty", "bigint", false}}}
	grain = tds{name: "grain", cols: []tcol{{"lot", "bigint", true}, {"kg", "bigint", false}}}
)

// triggerModel is a model with three stores read from the harness's
// source: Shop (items) triggered by the event shop_ready, Depot (stock) by
// depot_ready, and Mill (grain) by a cron schedule that does not fire
// during a test.
func triggerModel() string {
	store := func(name, trigger string, ds tds) string {
		return fmt.Sprintf(`datastore(%q, capture = sql_snapshot(source = sqlite("%s_src", database = "src.db"), trigger = %s), datasets = [%s])`,
			name, strings.ToLower(name), trigger, ds.starlark())
	}
	return fmt.Sprintf(`ecosystem(
    name = "Test",
    repo = repo("github.com/test/eco"),
    live_repo = repo("github.com/test/eco", branch = "live"),
    platforms = [platform("Lake", kind = "sql", options = {"milestoning": "live"})],
    zones = [zone("Z", repo = repo("github.com/test/z"), teams = [team("T", repo = repo("github.com/test/t"),
        datastores = [%s, %s, %s],
        workspaces = [workspace("Reports", container = platform_managed(), groups = [dataset_group("daily", platform = "Lake",
            sinks = [sink("Shop", "items"), sink("Depot", "stock"), sink("Mill", "grain")])])],
    )])],
)
`, store("Shop", `external("shop_ready")`, keyed), store("Depot", `external("depot_ready")`, stock), store("Mill", `cron("0 0 1 1 *")`, grain))
}

// triggerHarness makes the harness's source with the three tables and
// binds a platform to the trigger model and store st.
func triggerHarness(t *testing.T, st storeTarget) *harness {
	t.Helper()
	h := newHarness(t, st, modelOptions{datasets: []tds{keyed, stock, grain}}, WithInterval(20*time.Millisecond))
	h.p, h.pl = h.triggerPlatform()
	return h
}

// triggerPlatform binds another Platform to the trigger model and the
// harness's store: what another process would have.
func (h *harness) triggerPlatform() (*Platform, *graph.Pipeline) {
	h.t.Helper()
	return buildPipeline(h.t, triggerModel(), append([]Option{WithStore(h.st.dsn), WithModelRoot(h.root)}, h.extra...)...)
}

// events lists dsl_events' rows as "stream event batch", sorted.
func (h *harness) events() []string {
	h.t.Helper()
	out := h.query(`SELECT stream, event, batch FROM dsl_events`)
	slices.Sort(out)
	return out
}

// fire records an event through p, failing the test on error, and checks
// the streams it reports.
func fire(t *testing.T, p *Platform, pl *graph.Pipeline, event string, streams ...string) {
	t.Helper()
	rep, err := p.Trigger(context.Background(), pl, event)
	if err != nil {
		t.Fatalf("Trigger(%s): %v", event, err)
	}
	if !slices.Equal(rep.Streams, streams) || rep.Event != event || rep.Platform != "Lake" || rep.Fired.IsZero() {
		t.Fatalf("Trigger(%s) = %+v, want streams %v", event, rep, streams)
	}
}

// TestTriggerRunsContinuously: events recorded by another Platform (as
// another process would) are picked up by a RunContinuously: an event
// recorded before it started, and events recorded while it runs. Each runs
// exactly the streams it triggers, once per event; two events recorded
// before the runner takes them up run the stream once; the cron stream
// does not run; no event is left behind.
func TestTriggerRunsContinuously(t *testing.T) {
	forEachStore(t, func(t *testing.T, st storeTarget) {
		h := triggerHarness(t, st)
		h.set(keyed, row(1, "a", 1.5))
		h.set(stock, []any{int64(10), int64(3)})
		h.set(grain, []any{int64(7), int64(500)})
		other, otherPl := h.triggerPlatform()
		// Recorded while no runner runs: both wait in the store, and the
		// runner's first look takes them up in one batch.
		fire(t, other, otherPl, "shop_ready", "Shop")
		fire(t, other, otherPl, "shop_ready", "Shop")
		if got := h.events(); !slices.Equal(got, []string{`"Shop" | "shop_ready" | 0`, `"Shop" | "shop_ready" | 0`}) {
			t.Fatalf("pending events: %q", got)
		}

		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		reports := make(chan BatchReport, 100)
		errc := make(chan error, 1)
		go func() {
			errc <- h.p.RunContinuously(ctx, h.pl, RunOptions{}, func(b BatchReport) {
				select {
				case reports <- b:
				case <-ctx.Done():
				}
			})
		}()
		next := func(stream string, batch int64) BatchReport {
			t.Helper()
			select {
			case b := <-reports:
				if b.Err != nil || b.Stream != stream || b.Batch != batch || b.State != Committed {
					t.Fatalf("batch %s %d (%v, %s), want %s %d committed", b.Stream, b.Batch, b.Err, b.State, stream, batch)
				}
				return b
			case err := <-errc:
				t.Fatalf("RunContinuously ended: %v", err)
			case <-time.After(30 * time.Second):
				t.Fatalf("no batch of %s within 30 s", stream)
			}
			return BatchReport{}
		}
		if b := next("Shop", 1); b.Inserted != 1 {
			t.Errorf("Shop batch 1: %+v", b.Counts)
		}
		// Recorded while the runner runs. Had the two earlier events not
		// been consumed by batch 1, Shop would run again before Depot.
		fire(t, other, otherPl, "depot_ready", "Depot")
		if b := next("Depot", 1); b.Inserted != 1 {
			t.Errorf("Depot batch 1: %+v", b.Counts)
		}
		h.set(keyed, row(1, "a", 1.5), row(2, "b", 2.5))
		fire(t, other, otherPl, "shop_ready", "Shop")
		if b := next("Shop", 2); b.Inserted != 1 || b.Unchanged != 1 {
			t.Errorf("Shop batch 2: %+v", b.Counts)
		}
		cancel()
		if err := <-errc; err != nil {
			t.Fatalf("RunContinuously returned %v after cancellation", err)
		}
		close(reports)
		for b := range reports {
			t.Errorf("an extra batch ran: %s %d", b.Stream, b.Batch)
		}
		if got := h.events(); len(got) != 0 {
			t.Errorf("events left after their batches committed: %q", got)
		}
		expectRows(t, "Shop's view", h.query(`SELECT id, name FROM reports__daily__items ORDER BY id`), `1 | "a"`, `2 | "b"`)
		expectRows(t, "Depot's view", h.query(`SELECT sku, qty FROM reports__daily__stock`), `10 | 3`)
		expectRows(t, "batches", h.query(`SELECT stream, batch, state FROM dsl_batches ORDER BY stream, batch`),
			`"Depot" | 1 | "COMMITTED"`, `"Shop" | 1 | "COMMITTED"`, `"Shop" | 2 | "COMMITTED"`)
	})
}

// TestTriggerUnknownEvent: an event no stream is triggered by is refused,
// listing the pipeline's events with a suggestion, before the store is
// touched; so is a run of it, and of a stream the event does not trigger.
func TestTriggerUnknownEvent(t *testing.T) {
	h := triggerHarness(t, sqliteStore(t))
	fresh := filepath.Join(t.TempDir(), "fresh.db")
	p, pl := buildPipeline(t, triggerModel(), WithStore("sqlite:"+fresh), WithModelRoot(h.root))
	ctx := context.Background()
	_, err := p.Trigger(ctx, pl, "shop_redy")
	want := `platform Lake: event "shop_redy": no stream is triggered by the event: its pipeline's events are depot_ready, shop_ready (did you mean "shop_ready"?)`
	if !errors.Is(err, ErrUnknownEvent) || err.Error() != want {
		t.Fatalf("Trigger of an unknown event: %v\nwant %s", err, want)
	}
	if rep, err := p.RunOnce(ctx, pl, RunOptions{Event: "shop_redy"}); rep != nil || !errors.Is(err, ErrUnknownEvent) {
		t.Fatalf("RunOnce of an unknown event: %v, %v", rep, err)
	}
	if _, err := os.Stat(fresh); !os.IsNotExist(err) {
		t.Fatalf("an unknown event created the merge store (%v)", err)
	}
	if _, err := p.Trigger(ctx, pl, ""); !errors.Is(err, ErrUnknownEvent) || !strings.Contains(err.Error(), `event (empty)`) {
		t.Fatalf("Trigger of no event: %v", err)
	}
	_, err = h.p.RunOnce(ctx, h.pl, RunOptions{Event: "shop_ready", Stream: "Depot"})
	if err == nil || !strings.Contains(err.Error(), `stream Depot is not triggered by event "shop_ready" (it runs Shop)`) {
		t.Fatalf("RunOnce of a stream the event does not trigger: %v", err)
	}

	plain, plainPl := buildPipeline(t, modelText(modelOptions{datasets: []tds{keyed}}), WithStore("sqlite:"+fresh), WithModelRoot(h.root))
	_, err = plain.Trigger(ctx, plainPl, "shop_ready")
	if !errors.Is(err, ErrUnknownEvent) || !strings.Contains(err.Error(), "no capture of its pipeline has an external trigger") {
		t.Fatalf("Trigger without external triggers: %v", err)
	}
	if got := Events(h.pl); !slices.Equal(got, []string{"depot_ready", "shop_ready"}) {
		t.Errorf("Events = %q", got)
	}
}

// TestTriggerRunOnce: RunOnce with an event runs exactly the streams it
// triggers and consumes the event; an event recorded while a batch reads
// the source stays pending and runs the stream again; a plain RunOnce
// consumes the events its batches took up.
func TestTriggerRunOnce(t *testing.T) {
	forEachStore(t, func(t *testing.T, st storeTarget) {
		h := triggerHarness(t, st)
		h.set(keyed, row(1, "a", 1.5))
		h.set(stock, []any{int64(10), int64(3)})
		ctx := context.Background()
		rep, err := h.p.RunOnce(ctx, h.pl, RunOptions{Event: "depot_ready"})
		if err != nil || len(rep.Batches) != 1 || rep.Batches[0].Stream != "Depot" || rep.Batches[0].Inserted != 1 {
			t.Fatalf("RunOnce(depot_ready): %v %+v", err, rep)
		}
		if got := h.events(); len(got) != 0 {
			t.Fatalf("events left after the run: %q", got)
		}

		// Another process records shop_ready while Shop's batch is reading
		// the source: the batch began before the event, so it must not
		// consume it.
		other, otherPl := h.triggerPlatform()
		recorded := false
		rep, err = h.p.RunOnce(ctx, h.pl, RunOptions{Event: "shop_ready", Progress: func(pr Progress) {
			if pr.Phase == PhaseStaging && !recorded {
				recorded = true
				fire(t, other, otherPl, "shop_ready", "Shop")
			}
		}})
		if err != nil || len(rep.Batches) != 1 || rep.Batches[0].Stream != "Shop" || rep.Batches[0].Batch != 1 || !recorded {
			t.Fatalf("RunOnce(shop_ready): %v %+v", err, rep)
		}
		if got := h.events(); !slices.Equal(got, []string{`"Shop" | "shop_ready" | 0`}) {
			t.Fatalf("the event recorded during the batch: %q", got)
		}
		rep, err = h.p.RunOnce(ctx, h.pl, RunOptions{})
		if err != nil || len(rep.Batches) != 3 {
			t.Fatalf("RunOnce: %v %+v", err, rep)
		}
		if got := h.events(); len(got) != 0 {
			t.Fatalf("events left after a full run: %q", got)
		}
	})
}

// TestTriggerCrashSafety: a batch that fails at any fault point keeps its
// stream's event until a batch commits: before its commit the event stays
// (claimed by the open batch, which the next run finishes and consumes it
// with); from its commit on, the event is consumed with it. It is never
// lost and never consumed without a commit.
func TestTriggerCrashSafety(t *testing.T) {
	forEachStore(t, func(t *testing.T, st storeTarget) {
		h := triggerHarness(t, st)
		h.set(keyed, row(1, "a", 1.5))
		ctx := context.Background()
		committedAt := slices.Index(faultPoints, faultCommitted)
		for i, point := range faultPoints {
			fire(t, h.p, h.pl, "shop_ready", "Shop")
			armFault(func(p string) error {
				if p == point {
					return errors.New("injected fault at " + p)
				}
				return nil
			})
			_, err := h.p.RunOnce(ctx, h.pl, RunOptions{Stream: "Shop"})
			armFault(nil)
			if err == nil || !strings.Contains(err.Error(), "injected fault at "+point) {
				t.Fatalf("%s: RunOnce: %v", point, err)
			}
			got := h.events()
			if i < committedAt && len(got) != 1 {
				t.Fatalf("%s: a batch that did not commit consumed its event (or recorded more): %q", point, got)
			}
			if i >= committedAt && len(got) != 0 {
				t.Fatalf("%s: a committed batch left its event: %q", point, got)
			}
			if _, err := h.p.RunOnce(ctx, h.pl, RunOptions{Stream: "Shop"}); err != nil {
				t.Fatalf("%s: the next run: %v", point, err)
			}
			if got := h.events(); len(got) != 0 {
				t.Fatalf("%s: events left after the next run committed: %q", point, got)
			}
		}
	})
}
