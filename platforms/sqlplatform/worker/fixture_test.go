package worker

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/datasurface/datasurface-go/internal/dbtest"
	"github.com/datasurface/datasurface-go/platforms"
	"github.com/datasurface/datasurface-go/platforms/sqlplatform"
	"github.com/datasurface/datasurface-go/platforms/sqlplatform/dialect"
	"github.com/datasurface/datasurface-go/starlark"
)

// This file is the worker tests' fixture: a model of several stores, each
// an SQLite source file with one table, and optionally a Go transformer
// that upper-cases the first store's names into store Caps.

// fixture is a model folder with its sources and a merge store.
type fixture struct {
	t     testing.TB
	dir   string
	store string
}

// newFixture makes a folder with n sources, src0.db ... each holding table
// items0, items1 ... (id, name) with rows 1..3, and chooses the merge store: SQLite in the
// folder, or a fresh PostgreSQL schema when postgres is set.
func newFixture(t testing.TB, n int, postgres bool) *fixture {
	t.Helper()
	f := &fixture{t: t, dir: t.TempDir()}
	f.store = "sqlite:" + filepath.Join(f.dir, "store.db")
	if postgres {
		_, dsn := dbtest.Postgres(t)
		f.store = dsn
	}
	for i := range n {
		f.exec(i, fmt.Sprintf("CREATE TABLE items%d (id INTEGER PRIMARY KEY, name TEXT)", i),
			fmt.Sprintf("INSERT INTO items%d VALUES (1, 'ant'), (2, 'bee'), (3, 'cat')", i))
	}
	return f
}

// exec runs statements on source i.
func (f *fixture) exec(i int, stmts ...string) {
	f.t.Helper()
	db, _, err := dialect.Open("sqlite", filepath.Join(f.dir, fmt.Sprintf("src%d.db", i)))
	if err != nil {
		f.t.Fatal(err)
	}
	defer db.Close()
	for _, s := range stmts {
		if _, err := db.Exec(s); err != nil {
			f.t.Fatalf("source %d: %s: %v", i, s, err)
		}
	}
}

// modelText is the model: stores S0, S1 ... (the given numbers) with
// datasets items0, items1 ... (cron gives each a cron trigger when set), a
// workspace reading them all, and with transformer set a Go transformer
// from S0.items0 to Caps.names read by the workspace.
func modelText(stores []int, cron string, transformer bool) string {
	var ds, sinks []string
	trigger := ""
	if cron != "" {
		trigger = fmt.Sprintf(", trigger = cron(%q)", cron)
	}
	for _, i := range stores {
		ds = append(ds, fmt.Sprintf(`datastore("S%d", capture = sql_snapshot(source = sqlite("src%d", database = "src%d.db")%s), datasets = [
                dataset("items%d", classification = "public", columns = [column("id", "bigint", key = True), column("name", "nvarchar(40)")])])`, i, i, i, trigger, i))
		sinks = append(sinks, fmt.Sprintf("sink(\"S%d\", \"items%d\")", i, i))
	}
	ws := ""
	if transformer {
		ds = append(ds, `datastore("Caps", capture = transformer_output(), datasets = [dataset("names", classification = "public", columns = [
                column("id", "bigint", key = True), column("name", "nvarchar(40)")])])`)
		sinks = append(sinks, `sink("Caps", "names")`)
		ws = `workspace("Upper", container = platform_managed(), groups = [dataset_group("inputs", platform = "Lake", sinks = [sink("S0", "items0")])],
                transformer = transformer("ToUpper", code = go_code("upper"), output = "Caps")),`
	}
	return fmt.Sprintf(`ecosystem(
    name = "Test",
    repo = repo("github.com/test/eco"),
    live_repo = repo("github.com/test/eco", branch = "live"),
    platforms = [platform("Lake", kind = "sql", options = {"milestoning": "live"})],
    zones = [zone("Z", repo = repo("github.com/test/z"), teams = [team("T", repo = repo("github.com/test/t"),
        datastores = [%s],
        workspaces = [%s
            workspace("Reports", container = platform_managed(), groups = [dataset_group("daily", platform = "Lake", sinks = [%s])]),
        ],
    )])],
)
`, strings.Join(ds, ",\n            "), ws, strings.Join(sinks, ", "))
}

// model evaluates text and binds platform Lake to the fixture's store,
// with the Go transformer "upper" registered.
func (f *fixture) model(text, revision string) Model {
	f.t.Helper()
	ctx := context.Background()
	m, err := starlark.Evaluate(ctx, fstest.MapFS{"eco.star": {Data: []byte(text)}})
	if err != nil {
		f.t.Fatalf("evaluating the model: %v", err)
	}
	b := platforms.Builtin().Broker(m)
	pl := b.Graph.Pipeline("Lake")
	if pl == nil {
		f.t.Fatal("no pipeline for Lake")
	}
	p, err := sqlplatform.New(m.Platform("Lake"), sqlplatform.WithStore(f.store), sqlplatform.WithModelRoot(f.dir))
	if err != nil {
		f.t.Fatal(err)
	}
	if err := p.RegisterTransformer("upper", upper); err != nil {
		f.t.Fatal(err)
	}
	return Model{Platform: p, Pipeline: pl, Revision: revision}
}

// upper writes each item's name in upper case.
func upper(_ context.Context, in *sqlplatform.TransformInput, out *sqlplatform.TransformOutput) error {
	return in.Rows("S0.items0", func(row []any) error {
		name := row[1]
		if s, ok := name.(string); ok {
			name = strings.ToUpper(s)
		}
		return out.Write("Caps.names", row[0], name)
	})
}

// status reads the streams' status from the store.
func status(t *testing.T, m Model) map[string]sqlplatform.StreamStatus {
	t.Helper()
	st, err := m.Platform.Status(context.Background(), m.Pipeline)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]sqlplatform.StreamStatus{}
	for _, s := range st {
		out[s.Stream] = s
	}
	return out
}

// waitFor polls cond until it holds, failing the test after timeout with
// what describe says.
func waitFor(t *testing.T, timeout time.Duration, cond func() bool, describe func() string) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s: %s", timeout, describe())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// startWorker starts a worker for m and stops it when the test ends.
func startWorker(t *testing.T, m Model, o Options) *Worker {
	t.Helper()
	if o.Logger == nil && testing.Verbose() {
		o.Logger = testLogger()
	}
	w, err := New(context.Background(), m, o)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
		// What /readyz serves: a stopped worker takes no jobs.
		if err := w.Ready(context.Background()); err == nil || err.Error() != "stopping" {
			t.Errorf("Ready after Run returned: %v; want stopping", err)
		}
		if err := w.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	waitFor(t, 10*time.Second, func() bool { return w.Ready(context.Background()) == nil }, func() string { return "worker never ready" })
	return w
}

// rows reads a consumer view's (id, name) rows, ordered by id.
func rows(t *testing.T, store, view string) []string {
	t.Helper()
	engine, conn := "sqlite", strings.TrimPrefix(store, "sqlite:")
	if strings.HasPrefix(store, "postgres") {
		engine, conn = "postgres", store
	}
	db, d, err := dialect.Open(engine, conn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	r, err := db.Query("SELECT id, name FROM " + d.QuoteIdent(view) + " ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var out []string
	for r.Next() {
		var id int64
		var name sql.NullString
		if err := r.Scan(&id, &name); err != nil {
			t.Fatal(err)
		}
		out = append(out, fmt.Sprintf("%d=%s", id, name.String))
	}
	return out
}

// testLogger logs to stderr, for go test -v.
func testLogger() *slog.Logger {
	return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// liveView is the name of a dataset's live view for workspace Reports'
// group daily in the fixture's store.
func (f *fixture) liveView(dataset string) string {
	engine := "sqlite"
	if strings.HasPrefix(f.store, "postgres") {
		engine = "postgres"
	}
	d, err := dialect.ForEngine(engine)
	if err != nil {
		f.t.Fatal(err)
	}
	return sqlplatform.LiveViewName(d, "Reports", "daily", dataset)
}
