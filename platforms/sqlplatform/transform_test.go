package sqlplatform

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"
)

// chainModel is a chain of two Go transformers: workspace Capitalize reads
// Shop.items and its transformer ToUpper writes Caps.names; workspace
// Counting reads Caps.names and its transformer Count writes Stats.counts;
// workspace Reports reads Stats.counts. Shop.other is read by Reports
// directly, to see that a failed chain stops only what depends on it.
func chainModel(milestoning string) string {
	return fmt.Sprintf(`ecosystem(
    name = "Test",
    repo = repo("github.com/test/eco"),
    live_repo = repo("github.com/test/eco", branch = "live"),
    platforms = [platform("Lake", kind = "sql", options = {"milestoning": %q})],
    zones = [zone("Z", repo = repo("github.com/test/z"), teams = [team("T", repo = repo("github.com/test/t"),
        datastores = [
            datastore("Shop", capture = sql_snapshot(source = sqlite("src", database = "src.db")), datasets = [%s, %s]),
            datastore("Caps", capture = transformer_output(), datasets = [dataset("names", classification = "public", columns = [
                column("id", "bigint", key = True), column("name", "nvarchar(40)")])]),
            datastore("Stats", capture = transformer_output(), datasets = [dataset("counts", classification = "public", columns = [
                column("letter", "varchar(1)", key = True), column("n", "bigint", nullable = False)])]),
        ],
        waivers = [waiver(rule = "DATASET_NO_PRIMARY_KEY", path = "Z/T/Shop", reason = "a keyless test dataset", expires = "2099-12-31")],
        workspaces = [
            workspace("Capitalize", container = platform_managed(), groups = [dataset_group("inputs", platform = "Lake", sinks = [sink("Shop", "items")])],
                transformer = transformer("ToUpper", code = go_code("upper"), output = "Caps")),
            workspace("Counting", container = platform_managed(), groups = [dataset_group("inputs", platform = "Lake", sinks = [sink("Caps", "names")])],
                transformer = transformer("Count", code = go_code("count"), output = "Stats")),
            workspace("Reports", container = platform_managed(), groups = [dataset_group("daily", platform = "Lake",
                sinks = [sink("Stats", "counts"), sink("Shop", "events")])]),
        ],
    )])],
)
`, milestoning, keyed.starlark(), keyless.starlark())
}

// upper writes each item's name in upper case.
func upper(_ context.Context, in *TransformInput, out *TransformOutput) error {
	return in.Rows("Shop.items", func(row []any) error {
		name := row[1]
		if s, ok := name.(string); ok {
			name = strings.ToUpper(s)
		}
		return out.Write("Caps.names", row[0], name)
	})
}

// count counts the names by their first letter.
func count(_ context.Context, in *TransformInput, out *TransformOutput) error {
	n := map[string]int64{}
	if err := in.Rows("Caps.names", func(row []any) error {
		if s, ok := row[1].(string); ok && s != "" {
			n[s[:1]]++
		}
		return nil
	}); err != nil {
		return err
	}
	for _, k := range slices.Sorted(func(yield func(string) bool) {
		for k := range n {
			if !yield(k) {
				return
			}
		}
	}) {
		if err := out.Write("Stats.counts", k, n[k]); err != nil {
			return err
		}
	}
	return nil
}

// chainHarness binds a platform to the chain model, with the transformers
// registered as funcs says.
func chainHarness(t *testing.T, st storeTarget, funcs map[string]TransformFunc) *harness {
	t.Helper()
	h := newHarness(t, st, modelOptions{datasets: []tds{keyed, keyless}})
	h.p, h.pl = buildPipeline(t, chainModel("live"), WithStore(st.dsn), WithModelRoot(h.root))
	for name, f := range funcs {
		if err := h.p.RegisterTransformer(name, f); err != nil {
			t.Fatal(err)
		}
	}
	return h
}

func (h *harness) counts() []string {
	h.t.Helper()
	return sorted(h.query(`SELECT * FROM ` + h.q(LiveViewName(h.st.d, "Reports", "daily", "counts"))))
}

// TestTransformerChain: source → ToUpper → Count → the Reports view
// settles in one run; after each source change the view holds the counts of
// the new source; a run with nothing new runs no transformer.
func TestTransformerChain(t *testing.T) {
	forEachStore(t, func(t *testing.T, st storeTarget) {
		h := chainHarness(t, st, map[string]TransformFunc{"upper": upper, "count": count})
		h.set(keyed, row(1, "apple", 1.0), row(2, "avocado", 2.0), row(3, "banana", nil))
		rep := h.run()
		expectRows(t, "counts after batch 1", h.counts(), `"A" | 2`, `"B" | 1`)
		if len(rep.Transforms) != 2 || !rep.Transforms[0].Ran || !rep.Transforms[1].Ran ||
			rep.Transforms[0].Node != "transform:Capitalize" || rep.Transforms[1].Written["Stats.counts"] != 2 {
			t.Fatalf("transforms: %+v", rep.Transforms)
		}

		h.set(keyed, row(1, "apple", 1.0), row(3, "banana", nil), row(4, "blueberry", 0.5), row(5, "cherry", 3.0))
		h.run()
		expectRows(t, "counts after batch 2", h.counts(), `"A" | 1`, `"B" | 2`, `"C" | 1`)

		rep = h.run()
		for _, tr := range rep.Transforms {
			if tr.Ran || tr.Err != nil {
				t.Fatalf("a transformer ran with nothing new: %+v", tr)
			}
		}
		expectRows(t, "counts after a run with nothing new", h.counts(), `"A" | 1`, `"B" | 2`, `"C" | 1`)

		status, err := h.p.Status(context.Background(), h.pl)
		if err != nil {
			t.Fatal(err)
		}
		waits := map[string]string{}
		for _, s := range status {
			waits[s.Stream] = strings.Join(s.WaitsOn, " ")
		}
		if waits["Shop"] != "" || waits["Caps"] != "transform:Capitalize Shop" || waits["Stats"] != "transform:Counting Caps" {
			t.Fatalf("what the streams wait on: %q", waits)
		}
	})
}

// TestTransformerFailures: a transformer that returns an error, panics,
// reads or writes what is not its own, or is not registered, leaves its
// output as it was and stops only the nodes after it: the streams that do
// not depend on it run.
func TestTransformerFailures(t *testing.T) {
	for name, c := range map[string]struct {
		upper TransformFunc
		want  string
	}{
		"error": {func(context.Context, *TransformInput, *TransformOutput) error { return errors.New("boom") }, "transformer ToUpper of workspace Capitalize: boom"},
		"panic": {func(context.Context, *TransformInput, *TransformOutput) error { panic("oops") }, "its Go function panicked: oops"},
		"error after writing": {func(_ context.Context, _ *TransformInput, out *TransformOutput) error {
			if err := out.Write("Caps.names", int64(9), "HALF"); err != nil {
				return err
			}
			return errors.New("failed half way")
		}, "failed half way"},
		"reads another's": {func(_ context.Context, in *TransformInput, _ *TransformOutput) error {
			return in.Rows("Shop.events", func([]any) error { return nil })
		}, `the transformer may not read "Shop.events": it reads the datasets of its workspace, Shop.items`},
		"writes another's": {func(_ context.Context, _ *TransformInput, out *TransformOutput) error {
			return out.Write("Stats.counts", "X", int64(1))
		}, `the transformer may not write "Stats.counts": it writes the datasets of its output store, Caps.names`},
		"unregistered": {nil, `its Go function "upper" is not registered`},
	} {
		t.Run(name, func(t *testing.T) {
			h := chainHarness(t, sqliteStore(t), map[string]TransformFunc{"upper": upper, "count": count})
			h.set(keyed, row(1, "apple", 1.0))
			h.set(keyless, []any{"x", int64(1)})
			h.run()
			expectRows(t, "counts before", h.counts(), `"A" | 1`)

			// Another program on the same model, source and store, with the
			// faulty (or no) function.
			badP, badPl := buildPipeline(t, chainModel("live"), WithStore(h.st.dsn), WithModelRoot(h.root))
			if err := badP.RegisterTransformer("count", count); err != nil {
				t.Fatal(err)
			}
			if c.upper != nil {
				if err := badP.RegisterTransformer("upper", c.upper); err != nil {
					t.Fatal(err)
				}
			}
			h.set(keyed, row(1, "apple", 1.0), row(2, "banana", 2.0))
			h.set(keyless, []any{"x", int64(1)}, []any{"y", int64(2)})
			rep, err := badP.RunOnce(context.Background(), badPl, RunOptions{})
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v, want %q", err, c.want)
			}
			for _, b := range rep.Batches {
				switch b.Stream {
				case "Shop":
					if b.Err != nil {
						t.Errorf("the source stream failed: %v", b.Err)
					}
				case "Caps", "Stats":
					if b.Err == nil || !strings.Contains(b.Err.Error(), "not run: it depends on transform:Capitalize, which failed") {
						t.Errorf("stream %s after the failed transformer: %v", b.Stream, b.Err)
					}
				}
			}
			expectRows(t, "counts after the failure", h.counts(), `"A" | 1`)
			// The output tables are as the last good run left them.
			expectRows(t, "output table", sorted(h.query("SELECT * FROM "+h.q(OutputTableName(h.st.d, "Caps", "names")))), `1 | "APPLE"`)
			expectRows(t, "events, which do not depend on the chain", h.view(keyless, ViewLive), `"x" | 1`, `"y" | 2`)
		})
	}
}

// TestTransformerWriteChecksValues: a value the output column cannot hold,
// or a NULL where the model forbids it, is an error naming the dataset and
// column, and nothing of the run is written.
func TestTransformerWriteChecksValues(t *testing.T) {
	for name, c := range map[string]struct {
		count TransformFunc
		want  string
	}{
		"too long": {func(_ context.Context, _ *TransformInput, out *TransformOutput) error {
			return out.Write("Stats.counts", "AB", int64(1))
		}, "dataset Stats.counts, column letter: "},
		"null": {func(_ context.Context, _ *TransformInput, out *TransformOutput) error {
			return out.Write("Stats.counts", "A", nil)
		}, "dataset Stats.counts, column n: NULL, but the column is not nullable"},
		"columns": {func(_ context.Context, _ *TransformInput, out *TransformOutput) error {
			return out.Write("Stats.counts", "A")
		}, "dataset Stats.counts has 2 columns, but the row has 1 values"},
	} {
		t.Run(name, func(t *testing.T) {
			h := chainHarness(t, sqliteStore(t), map[string]TransformFunc{"upper": upper, "count": c.count})
			h.set(keyed, row(1, "apple", 1.0))
			if _, err := h.runErr(); err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v, want %q", err, c.want)
			}
		})
	}
}

// TestTransformerChainRunsContinuously: in a continuous run, each output
// stream runs its transformer first, so a source change reaches the end of
// the chain without a one-shot run.
func TestTransformerChainRunsContinuously(t *testing.T) {
	h := chainHarness(t, sqliteStore(t), map[string]TransformFunc{"upper": upper, "count": count})
	p, pl := buildPipeline(t, chainModel("live"), WithStore(h.st.dsn), WithModelRoot(h.root), WithInterval(20*time.Millisecond))
	for name, f := range map[string]TransformFunc{"upper": upper, "count": count} {
		if err := p.RegisterTransformer(name, f); err != nil {
			t.Fatal(err)
		}
	}
	h.set(keyed, row(1, "apple", 1.0), row(2, "banana", 2.0))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- p.RunContinuously(ctx, pl, RunOptions{}, nil) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Error(err)
		}
	}()
	want := []string{`"A" | 1`, `"B" | 1`}
	deadline := time.Now().Add(30 * time.Second)
	for {
		var got []string
		if phys, _ := h.st.d.TableColumns(ctx, h.st.db, LiveViewName(h.st.d, "Reports", "daily", "counts")); phys != nil {
			got = h.counts()
		}
		if slices.Equal(got, want) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the chain did not settle within 30 s: counts %q, want %q", got, want)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestTransformerAccept: a transformer with git code, or an sql_code one
// whose output store has more than one dataset, is refused when the
// platform accepts the pipeline, at the code's position.
func TestTransformerAccept(t *testing.T) {
	for _, c := range []struct {
		from, to, want string
	}{
		{`go_code("count")`, `git_code(repo = repo("github.com/test/code"), path = "count.sql")`,
			"SQL_TRANSFORMER_UNSUPPORTED: platform Lake (kind sql) runs go_code and sql_code transformers: transformer Count of workspace Counting has git code"},
		{`go_code("upper")`, `sql_code("select 1")`, ""},
	} {
		text := strings.Replace(chainModel("live"), c.from, c.to, 1)
		p, pl := buildPipeline(t, text)
		var got []string
		for _, d := range p.Accept(context.Background(), pl) {
			got = append(got, d.Rule+": "+d.Message)
		}
		if c.want == "" && len(got) != 0 || c.want != "" && !slices.Contains(got, c.want) {
			t.Errorf("%s: findings %q, want %q", c.to, got, c.want)
		}
	}
}

// sqlChainModel is chainModel with SQL transformers.
func sqlChainModel(upperSQL, countSQL string) string {
	text := strings.Replace(chainModel("live"), `go_code("upper")`, fmt.Sprintf("sql_code(%q)", upperSQL), 1)
	return strings.Replace(text, `go_code("count")`, fmt.Sprintf("sql_code(%q)", countSQL), 1)
}

// TestSQLTransformerChain: the chain with sql_code transformers, reading
// their inputs by dataset name, settles like the Go one, on each store.
func TestSQLTransformerChain(t *testing.T) {
	forEachStore(t, func(t *testing.T, st storeTarget) {
		h := newHarness(t, st, modelOptions{datasets: []tds{keyed, keyless}})
		h.p, h.pl = buildPipeline(t, sqlChainModel("select id, upper(name) from items", "select substr(name, 1, 1), count(*) from names where name <> '' group by substr(name, 1, 1)"),
			WithStore(st.dsn), WithModelRoot(h.root))
		h.set(keyed, row(1, "apple", 1.0), row(2, "avocado", 2.0), row(3, "banana", nil), row(4, nil, 0.5))
		h.run()
		expectRows(t, "counts", h.counts(), `"A" | 2`, `"B" | 1`)
		h.set(keyed, row(3, "banana", nil), row(5, "cherry", 3.0))
		h.run()
		expectRows(t, "counts after a change", h.counts(), `"B" | 1`, `"C" | 1`)
	})
}

// TestSQLTransformerReadsOnlyItsInputs: an sql_code query that reads a
// table its workspace does not consume (the merge table behind its own
// input, or another dataset) fails, naming what it may read; a query with a
// syntax error fails with the database's message; the output stays as it
// was in both cases.
func TestSQLTransformerReadsOnlyItsInputs(t *testing.T) {
	forEachStore(t, func(t *testing.T, st storeTarget) {
		cases := []struct{ query, want string }{
			{"select id, name from shop__items", "it may read only items"},
			{"select id, kind from events", "it may read only items"},
			{"selec id, name from items", "its SQL: "},
		}
		if st.name == "postgres" {
			// Named with its schema, the merge table is found: the plan
			// check refuses it ("SCHEMA" is the store's schema).
			cases = append(cases, struct{ query, want string }{
				"select id, name from SCHEMA.shop__items", "its SQL reads SCHEMA.shop__items, which it may not read: it may read only items"})
		}
		for _, c := range cases {
			h := newHarness(t, freshLike(t, st), modelOptions{datasets: []tds{keyed, keyless}})
			if u, err := url.Parse(h.st.dsn); err == nil {
				schema := u.Query().Get("search_path")
				c.query, c.want = strings.ReplaceAll(c.query, "SCHEMA", schema), strings.ReplaceAll(c.want, "SCHEMA", schema)
			}
			h.p, h.pl = buildPipeline(t, sqlChainModel(c.query, "select 'x', count(*) from names"), WithStore(h.st.dsn), WithModelRoot(h.root))
			h.set(keyed, row(1, "apple", 1.0))
			_, err := h.runErr()
			if err == nil || !strings.Contains(err.Error(), "transformer ToUpper of workspace Capitalize: ") || !strings.Contains(err.Error(), c.want) {
				t.Errorf("%s: err = %v, want %q", c.query, err, c.want)
			}
			if phys, _ := h.st.d.TableColumns(context.Background(), h.st.db, OutputTableName(h.st.d, "Caps", "names")); phys != nil {
				t.Errorf("%s: the failed transformer left an output table", c.query)
			}
		}
	})
}

// TestTransformerOwnTrigger: a transformer with a trigger of its own runs
// when it fires even if its inputs did not move (here an external event,
// which runs the transformer and then its output stream).
func TestTransformerOwnTrigger(t *testing.T) {
	runs := 0
	counting := func(ctx context.Context, in *TransformInput, out *TransformOutput) error {
		runs++
		return upper(ctx, in, out)
	}
	h := newHarness(t, sqliteStore(t), modelOptions{datasets: []tds{keyed, keyless}})
	text := strings.Replace(chainModel("live"), `code = go_code("upper"), output = "Caps")`, `code = go_code("upper"), output = "Caps", trigger = external("recompute"))`, 1)
	h.p, h.pl = buildPipeline(t, text, WithStore(h.st.dsn), WithModelRoot(h.root))
	for name, f := range map[string]TransformFunc{"upper": counting, "count": count} {
		if err := h.p.RegisterTransformer(name, f); err != nil {
			t.Fatal(err)
		}
	}
	h.set(keyed, row(1, "apple", 1.0))
	h.run()
	if runs != 1 {
		t.Fatalf("the first run ran the transformer %d times", runs)
	}
	h.run() // nothing new: not run
	if runs != 1 {
		t.Fatalf("a run with nothing new ran the transformer (%d runs)", runs)
	}
	rep, err := h.p.RunOnce(context.Background(), h.pl, RunOptions{Event: "recompute"})
	if err != nil {
		t.Fatal(err)
	}
	if runs != 2 || len(rep.Batches) != 1 || rep.Batches[0].Stream != "Caps" || rep.Batches[0].Err != nil {
		t.Fatalf("the event: %d runs, batches %+v", runs, rep.Batches)
	}
}

// TestTransformerLineage: with WithLineage, a transformer run emits START
// and COMPLETE (rows written per output dataset) for its transform job,
// and FAIL when it fails; runs are numbered from 1.
func TestTransformerLineage(t *testing.T) {
	em := &recordEmitter{}
	h := newHarness(t, sqliteStore(t), modelOptions{datasets: []tds{keyed, keyless}})
	h.p, h.pl = buildPipeline(t, chainModel("live"), WithStore(h.st.dsn), WithModelRoot(h.root), WithLineage("Test", em))
	fails := false
	for name, f := range map[string]TransformFunc{"upper": upper, "count": func(ctx context.Context, in *TransformInput, out *TransformOutput) error {
		if fails {
			return errors.New("count failed")
		}
		return count(ctx, in, out)
	}} {
		if err := h.p.RegisterTransformer(name, f); err != nil {
			t.Fatal(err)
		}
	}
	h.set(keyed, row(1, "apple", 1.0), row(2, "banana", 2.0))
	h.run()
	fails = true
	h.set(keyed, row(1, "apple", 1.0))
	if _, err := h.runErr(); err == nil {
		t.Fatal("the failing transformer did not fail the run")
	}
	var got []string
	for _, e := range em.events {
		if !strings.HasPrefix(e.Job.Name, "transform:") {
			continue
		}
		line := fmt.Sprintf("%s %s", e.Job.Name, e.EventType)
		for _, o := range e.Outputs {
			if o.OutputFacets != nil && o.OutputFacets.OutputStatistics != nil {
				line += fmt.Sprintf(" %s=%d", o.Name, o.OutputFacets.OutputStatistics.RowCount)
			}
		}
		got = append(got, line)
	}
	want := []string{
		"transform:Capitalize START", "transform:Capitalize COMPLETE Caps.names=2",
		"transform:Counting START", "transform:Counting COMPLETE Stats.counts=2",
		"transform:Capitalize START", "transform:Capitalize COMPLETE Caps.names=1",
		"transform:Counting START", "transform:Counting FAIL",
	}
	if !slices.Equal(got, want) {
		t.Fatalf("transform events:\n got %q\nwant %q", got, want)
	}
}
