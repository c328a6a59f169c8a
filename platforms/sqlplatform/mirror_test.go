package sqlplatform

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/datasurface/datasurface-go/ecosystem"
	"github.com/datasurface/datasurface-go/graph"
	"github.com/datasurface/datasurface-go/starlark"
)

// mirrorModel has the primary platform Lake and the platform Copy, which
// mirrors it; workspace Reports reads Shop.items on Lake, workspace Others
// on Copy.
func mirrorModel(primaryMilestoning string) string {
	return fmt.Sprintf(`ecosystem(
    name = "Test",
    repo = repo("github.com/test/eco"),
    live_repo = repo("github.com/test/eco", branch = "live"),
    platforms = [
        platform("Lake", kind = "sql", options = {"milestoning": %q}),
        platform("Copy", kind = "sql", options = {"mirror_of": "Lake"}),
    ],
    zones = [zone("Z", repo = repo("github.com/test/z"), teams = [team("T", repo = repo("github.com/test/t"),
        datastores = [datastore("Shop", capture = sql_snapshot(source = sqlite("src", database = "src.db")), datasets = [%s])],
        workspaces = [
            workspace("Reports", container = platform_managed(), groups = [dataset_group("daily", platform = "Lake", sinks = [sink("Shop", "items")])]),
            workspace("Others", container = platform_managed(), groups = [dataset_group("copied", platform = "Copy", sinks = [sink("Shop", "items")])]),
        ],
    )])],
)
`, primaryMilestoning, keyed.starlark())
}

// bindBoth binds Lake and Copy to their stores, Copy given Lake.
func bindBoth(t *testing.T, text, root string, lake, copyStore storeTarget) (*Platform, *graph.Pipeline, *Platform, *graph.Pipeline) {
	t.Helper()
	m, err := starlark.Evaluate(context.Background(), fstest.MapFS{"eco.star": {Data: []byte(text)}})
	if err != nil {
		t.Fatal(err)
	}
	primary, err := New(m.Platform("Lake"), WithStore(lake.dsn), WithModelRoot(root))
	if err != nil {
		t.Fatal(err)
	}
	mirror, err := New(m.Platform("Copy"), WithStore(copyStore.dsn), WithModelRoot(root), WithPrimary(primary))
	if err != nil {
		t.Fatal(err)
	}
	res := graph.Build(m, map[string]graph.Capabilities{"Lake": primary.Capabilities(), "Copy": mirror.Capabilities()})
	for _, d := range res.Diagnostics {
		if d.Severity == ecosystem.Error {
			t.Fatalf("the model: %v", d)
		}
	}
	for _, p := range []*Platform{primary, mirror} {
		for _, d := range p.Accept(context.Background(), res.Pipeline(p.Name())) {
			if d.Severity == ecosystem.Error {
				t.Fatalf("%s does not accept its pipeline: %v", p.Name(), d)
			}
		}
	}
	return primary, res.Pipeline("Lake"), mirror, res.Pipeline("Copy")
}

// TestMirrorLiveSubscriber: the mirror seeds from the primary's latest
// committed state, runs no batch while the primary committed nothing new,
// catches up over several of the primary's batches in one, and never sees
// an uncommitted one; its live view equals the primary's after every run.
func TestMirrorLiveSubscriber(t *testing.T) {
	for _, m := range []string{"live", "forensic"} {
		t.Run(m, func(t *testing.T) {
			forEachStore(t, func(t *testing.T, st storeTarget) {
				h := newHarness(t, st, modelOptions{datasets: []tds{keyed}})
				copyStore := freshLike(t, st)
				primary, ppl, mirror, mpl := bindBoth(t, mirrorModel(m), h.root, st, copyStore)
				ctx := context.Background()
				runP := func() *Report {
					rep, err := primary.RunOnce(ctx, ppl, RunOptions{})
					if err != nil {
						t.Fatalf("primary: %v", err)
					}
					return rep
				}
				runM := func() BatchReport {
					rep, err := mirror.RunOnce(ctx, mpl, RunOptions{})
					if err != nil {
						t.Fatalf("mirror: %v", err)
					}
					return rep.Batches[0]
				}
				primaryView := func() []string {
					return sorted(h.query("SELECT * FROM " + h.q(LiveViewName(st.d, "Reports", "daily", "items"))))
				}
				mirrorView := func() []string {
					return sorted(storeRows(t, copyStore, "SELECT * FROM "+copyStore.d.QuoteIdent(LiveViewName(copyStore.d, "Others", "copied", "items"))))
				}

				if _, err := mirror.RunOnce(ctx, mpl, RunOptions{}); err == nil || !strings.Contains(err.Error(), "run Lake first") {
					t.Fatalf("a mirror before its primary ran: %v", err)
				}
				h.set(keyed, row(1, "a", 1.0), row(2, "b", 2.0))
				runP()
				if b := runM(); b.Batch != 1 || b.Inserted != 2 {
					t.Fatalf("the first mirror batch: %s", b.Summary())
				}
				expectRows(t, "mirror after the seed", mirrorView(), primaryView()...)
				if b := runM(); !b.UpToDate || b.Batch != 1 {
					t.Fatalf("a rerun with nothing new: %s", b.Summary())
				}

				// Three primary batches, one mirror batch.
				h.set(keyed, row(1, "a2", 1.0), row(2, "b", 2.0))
				runP()
				h.set(keyed, row(2, "b", 2.0), row(3, "c", 3.0))
				runP()
				h.set(keyed, row(2, "b", 2.5), row(3, "c", 3.0), row(4, "d", nil))
				runP()
				if b := runM(); b.Batch != 2 || b.UpToDate {
					t.Fatalf("the catching-up batch: %s", b.Summary())
				}
				expectRows(t, "mirror after catching up", mirrorView(), primaryView()...)

				// A primary batch stopped after INGESTED: not committed, not seen.
				h.set(keyed, row(9, "uncommitted", nil))
				armAt(t, faultIngested, 1, false)
				if _, err := primary.RunOnce(ctx, ppl, RunOptions{}); err == nil {
					t.Fatal("the fault did not stop the primary's batch")
				}
				armFault(nil)
				if b := runM(); !b.UpToDate {
					t.Fatalf("the mirror ran on an uncommitted primary batch: %s", b.Summary())
				}
				expectRows(t, "mirror while the primary's batch is open", mirrorView(), `2 | "b" | 2.5`, `3 | "c" | 3`, `4 | "d" | NULL`)
			})
		})
	}
}

// storeRows reads rows of a store as the harness's query does.
func storeRows(t *testing.T, st storeTarget, stmt string) []string {
	t.Helper()
	h := &harness{t: t, st: st}
	return h.query(stmt)
}

// TestMirrorExact: a forensic mirror of a forensic primary holds the
// primary's merge table exactly, every version with its hashes and the
// primary's batch columns, after seeding and after catching up, and not a
// version of an uncommitted batch.
func TestMirrorExact(t *testing.T) {
	forEachStore(t, func(t *testing.T, st storeTarget) {
		h := newHarness(t, st, modelOptions{datasets: []tds{keyed}})
		copyStore := freshLike(t, st)
		text := strings.Replace(mirrorModel("forensic"), `options = {"mirror_of": "Lake"}`, `options = {"mirror_of": "Lake", "milestoning": "forensic"}`, 1)
		primary, ppl, mirror, mpl := bindBoth(t, text, h.root, st, copyStore)
		ctx := context.Background()
		runP := func() {
			if _, err := primary.RunOnce(ctx, ppl, RunOptions{}); err != nil {
				t.Fatalf("primary: %v", err)
			}
		}
		runM := func() BatchReport {
			rep, err := mirror.RunOnce(ctx, mpl, RunOptions{})
			if err != nil {
				t.Fatalf("mirror: %v", err)
			}
			return rep.Batches[0]
		}
		// Every column of the merge tables, hashes shown as hex.
		cols := "id, name, score, " + strings.Join([]string{colKeyHash, colRowHash, colOccurrence, colBatchIn, colBatchOut}, ", ")
		table := func(s storeTarget) []string {
			hh := &harness{t: t, st: s}
			return sorted(hh.query("SELECT " + cols + " FROM " + s.d.QuoteIdent(MergeTableName(s.d, "Shop", "items"))))
		}
		h.set(keyed, row(1, "a", 1.0), row(2, "b", 2.0))
		runP()
		if b := runM(); b.Batch != 1 || b.Read != 2 || b.Inserted != 2 {
			t.Fatalf("the seed: %s", b.Summary())
		}
		expectRows(t, "mirror after the seed", table(copyStore), table(st)...)

		h.set(keyed, row(1, "a2", 1.0), row(2, "b", 2.0))
		runP()
		h.set(keyed, row(2, "b", 2.0), row(3, "c", nil))
		runP()
		if b := runM(); b.Batch != 2 || b.Read != 4 || b.Inserted != 2 {
			t.Fatalf("the catching-up batch: %s", b.Summary())
		}
		expectRows(t, "mirror after catching up", table(copyStore), table(st)...)
		if b := runM(); !b.UpToDate {
			t.Fatalf("a rerun with nothing new: %s", b.Summary())
		}
		hist := func(s storeTarget, ws, g string) []string {
			hh := &harness{t: t, st: s}
			return sorted(hh.query("SELECT * FROM " + s.d.QuoteIdent(HistoryViewName(s.d, ws, g, "items"))))
		}
		expectRows(t, "history views", hist(copyStore, "Others", "copied"), hist(st, "Reports", "daily")...)
	})
}
