package platformtest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/datasurface/datasurface-go/ecosystem"
	"github.com/datasurface/datasurface-go/graph"
	"github.com/datasurface/datasurface-go/platforms"
)

// recorder is a testing.TB that records failures instead of failing, so the
// kit's own assertions can be tested. Fatalf ends the goroutine, as the real
// one does; run runs a function in its own goroutine for that reason.
type recorder struct {
	testing.TB
	mu     sync.Mutex
	errors []string
	fatal  bool
}

func (r *recorder) Helper() {}

func (r *recorder) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}

func (r *recorder) Fatalf(format string, args ...any) {
	r.Errorf(format, args...)
	r.fatal = true
	runtime.Goexit()
}

func run(t *testing.T, f func(tb testing.TB)) *recorder {
	r := &recorder{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		f(r)
	}()
	<-done
	return r
}

func (r *recorder) text() string { return strings.Join(r.errors, "\n") }

func TestExpect(t *testing.T) {
	ds := ecosystem.Diagnostics{
		{Rule: "A_RULE", Pos: ecosystem.Pos{File: "eco.star", Line: 3, Col: 5}, Message: "first problem"},
		{Rule: "B_RULE", Message: "no position"},
	}
	if r := run(t, func(tb testing.TB) { Expect(tb, ds, "- B_RULE", "eco.star:3:5 A_RULE first") }); len(r.errors) > 0 {
		t.Errorf("matching expectations failed:\n%s", r.text())
	}
	r := run(t, func(tb testing.TB) { Expect(tb, ds, "eco.star:3:5 A_RULE second", "eco.star:9:9 C_RULE") })
	for _, want := range []string{
		"missing:    eco.star:3:5 A_RULE second",
		"missing:    eco.star:9:9 C_RULE",
		"unexpected: eco.star:3:5 A_RULE first problem",
		"unexpected: - B_RULE no position",
		`"eco.star:3:5 A_RULE first problem"`,
	} {
		if !strings.Contains(r.text(), want) {
			t.Errorf("failure lacks %q:\n%s", want, r.text())
		}
	}
	// Each expectation consumes one finding: two identical findings need two.
	twice := append(ds[:1:1], ds[0])
	if r := run(t, func(tb testing.TB) { Expect(tb, twice, "eco.star:3:5 A_RULE") }); !strings.Contains(r.text(), "unexpected: eco.star:3:5 A_RULE") {
		t.Errorf("a second identical finding went unnoticed:\n%s", r.text())
	}
	if r := run(t, func(tb testing.TB) { Expect(tb, nil, "A_RULE") }); !r.fatal || !strings.Contains(r.text(), `want "POSITION RULE [MESSAGE TEXT]"`) {
		t.Errorf("a malformed expectation should be fatal: %q", r.text())
	}
}

func TestGolden(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "golden")
	arts := []platforms.Artifact{{Name: "a.sql", Data: []byte("select 1;\n")}, {Name: "sub/b.sql", Data: []byte("select 2;\n")}}
	r := run(t, func(tb testing.TB) { compareGolden(tb, dir, arts) })
	if !strings.Contains(r.text(), "artifact a.sql is not in") || !strings.Contains(r.text(), "artifact sub/b.sql is not in") {
		t.Errorf("missing golden files not reported:\n%s", r.text())
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "stale.sql"), []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	*update = true
	r = run(t, func(tb testing.TB) { compareGolden(tb, dir, arts) })
	*update = false
	if len(r.errors) > 0 {
		t.Fatalf("update failed:\n%s", r.text())
	}
	if _, err := os.Stat(filepath.Join(dir, "stale.sql")); !os.IsNotExist(err) {
		t.Errorf("update kept a file the platform no longer renders: %v", err)
	}
	if r := run(t, func(tb testing.TB) { compareGolden(tb, dir, arts) }); len(r.errors) > 0 {
		t.Errorf("freshly updated goldens differ:\n%s", r.text())
	}
	changed := []platforms.Artifact{{Name: "a.sql", Data: []byte("select 3;\n")}}
	r = run(t, func(tb testing.TB) { compareGolden(tb, dir, changed) })
	for _, want := range []string{"artifact a.sql differs", "select 1;", "select 3;", "holds sub/b.sql, which the platform no longer renders"} {
		if !strings.Contains(r.text(), want) {
			t.Errorf("failure lacks %q:\n%s", want, r.text())
		}
	}
}

// echo is the smallest renderer: one file per node holding its attributes.
type echo struct{}

func (echo) Capabilities() graph.Capabilities {
	return graph.Capabilities{CaptureKinds: []ecosystem.CaptureKind{ecosystem.SQLSnapshot}, ContainerKinds: graph.AllContainerKinds, Milestoning: graph.AllMilestoning}
}

func (e echo) Accept(_ context.Context, p *graph.Pipeline) ecosystem.Diagnostics {
	return graph.CheckCapabilities(p, e.Capabilities())
}

func (echo) Render(_ context.Context, p *graph.Pipeline) ([]platforms.Artifact, error) {
	var out []platforms.Artifact
	for _, n := range p.Nodes {
		var b strings.Builder
		for _, a := range n.Attrs() {
			fmt.Fprintf(&b, "%s: %s\n", a.Name, a.Value)
		}
		out = append(out, platforms.Artifact{Name: string(n.Kind) + "/" + strings.ReplaceAll(n.ID, ":", "_") + ".txt", Data: []byte(b.String())})
	}
	return out, nil
}

const echoModel = `
ecosystem(
    name = "Shop",
    repo = repo("github.com/shop/eco"),
    live_repo = repo("github.com/shop/eco", branch = "live"),
    platforms = [platform("Echo", kind = "echo")],
    zones = [zone("USA", repo = repo("github.com/shop/usa"), teams = [
        team("Sales", repo = repo("github.com/shop/sales"),
            datastores = [
                datastore("Orders", capture = sql_snapshot(source = postgres("orders_db"), trigger = cron("0 * * * *")),
                    datasets = [dataset("orders", classification = "public", columns = [column("id", "integer", key = True)])]),
                datastore("Clicks", capture = cdc(source = postgres("web_db")),
                    datasets = [dataset("clicks", classification = "public", columns = [column("id", "integer", key = True)])]),
            ],
            workspaces = [
                workspace("Reports", priority = "high", groups = [dataset_group("daily", sinks = [sink("Orders", "orders")], platform = "Echo")]),
                %s
            ]),
    ])],
)
`

// TestKit is what a platform author writes: a few lines per case.
func TestKit(t *testing.T) {
	k := New(t, WithKind("echo", func(*ecosystem.Platform) (platforms.Platform, error) { return echo{}, nil }))
	m := k.Model(map[string]string{"eco.star": fmt.Sprintf(echoModel, "")})
	m.ExpectAccept("Echo")
	m.Golden("Echo", "testdata/echo")

	m = k.Model(map[string]string{"eco.star": fmt.Sprintf(echoModel,
		`workspace("Clickers", groups = [dataset_group("live", sinks = [sink("Clicks", "clicks")], platform = "Echo")]),`)})
	m.ExpectAccept("Echo", "eco.star:12:47 PLATFORM_CAPTURE_UNSUPPORTED capture kind cdc of datastore Clicks not supported (supports sql_snapshot)")
}

func TestKitFailsOnInvalidModels(t *testing.T) {
	r := run(t, func(tb testing.TB) { New(tb).Model(map[string]string{"eco.star": "ecosystem(name = 1)"}) })
	if !r.fatal || !strings.Contains(r.text(), "the model does not evaluate") {
		t.Errorf("evaluation error: %q", r.text())
	}
	r = run(t, func(tb testing.TB) {
		New(tb).Model(map[string]string{"eco.star": fmt.Sprintf(echoModel, `workspace("select", groups = [])`)})
	})
	if !r.fatal || !strings.Contains(r.text(), "the model has lint errors") || !strings.Contains(r.text(), "NAME_INVALID") {
		t.Errorf("lint error: %q", r.text())
	}
	r = run(t, func(tb testing.TB) {
		New(tb).Model(map[string]string{"eco.star": fmt.Sprintf(echoModel, "")}).Platform("Echo")
	})
	if !r.fatal || !strings.Contains(r.text(), `platform "Echo" is not bound`) || !strings.Contains(r.text(), "PLATFORM_KIND_UNKNOWN") {
		t.Errorf("unbound platform: %q", r.text())
	}
}
