package sqlplatform

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
)

// chain3Model is a chain of three Go transformers, each copying its one
// input to its output: Shop.items → A.items → B.items → C.items, which
// Reports reads.
func chain3Model() string {
	step := func(ws, in, out string) string {
		return fmt.Sprintf(`workspace(%q, container = platform_managed(), groups = [dataset_group("inputs", platform = "Lake", sinks = [sink(%q, "items")])],
                transformer = transformer(%q, code = go_code("copy"), output = %q))`, ws, in, "To"+out, out)
	}
	out := func(name string) string {
		return fmt.Sprintf(`datastore(%q, capture = transformer_output(), datasets = [%s])`, name, keyed.starlark())
	}
	return fmt.Sprintf(`ecosystem(
    name = "Test",
    repo = repo("github.com/test/eco"),
    live_repo = repo("github.com/test/eco", branch = "live"),
    platforms = [platform("Lake", kind = "sql")],
    zones = [zone("Z", repo = repo("github.com/test/z"), teams = [team("T", repo = repo("github.com/test/t"),
        datastores = [datastore("Shop", capture = sql_snapshot(source = sqlite("src", database = "src.db")), datasets = [%s]), %s, %s, %s],
        workspaces = [%s, %s, %s,
            workspace("Reports", container = platform_managed(), groups = [dataset_group("daily", platform = "Lake", sinks = [sink("Ccc", "items")])])],
    )])],
)
`, keyed.starlark(), out("Aaa"), out("Bbb"), out("Ccc"), step("StepA", "Shop", "Aaa"), step("StepB", "Aaa", "Bbb"), step("StepC", "Bbb", "Ccc"))
}

// copyItems copies the one input dataset to the one output dataset.
func copyItems(_ context.Context, in *TransformInput, out *TransformOutput) error {
	target := out.Datasets()[0]
	return in.Rows(in.Datasets()[0], func(row []any) error { return out.Write(target, row...) })
}

// BenchmarkChain times the run that carries a change of one row through a
// chain of three transformers (four streams and three transformers), and
// a run with nothing new, on a SQLite store: with ten rows the SQL is
// negligible, so the time is the scheduling overhead of the chain.
//
//	go test ./platforms/sqlplatform -run '^$' -bench Chain -benchtime 20x
func BenchmarkChain(b *testing.B) {
	h := newHarness(b, sqliteStore(b), modelOptions{datasets: []tds{keyed}})
	h.p, h.pl = buildPipeline(b, chain3Model(), WithStore(h.st.dsn), WithModelRoot(h.root))
	if err := h.p.RegisterTransformer("copy", copyItems); err != nil {
		b.Fatal(err)
	}
	rows := make([][]any, 10)
	for i := range rows {
		rows[i] = row(int64(i), fmt.Sprint("item ", i), float64(i))
	}
	h.set(keyed, rows...)
	h.run()
	var change, idle time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		rows[0] = row(0, fmt.Sprint("changed ", i), 0.0)
		h.set(keyed, rows...)
		b.StartTimer()
		began := time.Now()
		rep := h.run()
		change += time.Since(began)
		ran := 0
		for _, tr := range rep.Transforms {
			if tr.Ran {
				ran++
			}
		}
		if ran != 3 {
			b.Fatalf("%d transformers ran, want 3", ran)
		}
		began = time.Now()
		h.run()
		idle += time.Since(began)
	}
	b.ReportMetric(float64(change.Milliseconds())/float64(b.N), "change-ms/run")
	b.ReportMetric(float64(idle.Milliseconds())/float64(b.N), "idle-ms/run")
	got := h.query("SELECT name FROM " + h.q(LiveViewName(h.st.d, "Reports", "daily", "items")) + " WHERE id = 0")
	if len(got) != 1 || !strings.HasPrefix(got[0], `"changed `) {
		b.Fatalf("the change did not reach the end of the chain: %q", got)
	}
}
