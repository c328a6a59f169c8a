package platforms_test

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/datasurface/datasurface-go/ecosystem"
	"github.com/datasurface/datasurface-go/graph"
	"github.com/datasurface/datasurface-go/platforms"
	"github.com/datasurface/datasurface-go/platforms/options"
	"github.com/datasurface/datasurface-go/platforms/platformtest"
	"github.com/datasurface/datasurface-go/starlark"
)

// evaluate evaluates a one-file model whose platforms list and workspaces
// list are given; the store Orders (snapshot, one dataset) and the store
// Derived (written by the transformer of workspace Deriver, which reads
// Orders) are always there.
func evaluate(t *testing.T, platformList, workspaces string) *ecosystem.Ecosystem {
	t.Helper()
	src := fmt.Sprintf(`
ecosystem(
    name = "Shop",
    repo = repo("github.com/shop/eco"),
    live_repo = repo("github.com/shop/eco", branch = "live"),
    platforms = [
        %s
    ],
    zones = [zone("USA", repo = repo("github.com/shop/usa"), teams = [
        team("Sales", repo = repo("github.com/shop/sales"),
            datastores = [
                datastore("Orders", capture = sql_snapshot(source = postgres("orders_db")),
                    datasets = [dataset("orders", classification = "public", columns = [column("id", "integer", key = True)])]),
                datastore("Derived", capture = transformer_output(),
                    datasets = [dataset("derived", classification = "public", columns = [column("id", "integer", key = True)])]),
            ],
            workspaces = [
                %s
            ]),
    ])],
)
`, platformList, workspaces)
	m, err := starlark.Evaluate(context.Background(), platformtest.MapFS(map[string]string{"eco.star": src}))
	if err != nil {
		t.Fatalf("evaluate:\n%v", err)
	}
	return m
}

func TestBind(t *testing.T) {
	r := platforms.Builtin()
	mine := &fake{caps: everything}
	mustRegister(t, r, "mine", func(d *ecosystem.Platform) (platforms.Platform, error) {
		o := options.New(d)
		depth, _ := o.Int("depth")
		if depth > 2 {
			o.Fail("depth", "must be at most 2", "use 1 or 2")
		}
		if err := o.Err(); err != nil {
			return nil, err
		}
		return mine, nil
	})
	mustRegister(t, r, "plain", func(d *ecosystem.Platform) (platforms.Platform, error) {
		return nil, errors.New("cannot reach the scheduler")
	})
	mustRegister(t, r, "nothing", func(d *ecosystem.Platform) (platforms.Platform, error) { return nil, nil })
	m := evaluate(t, `
        platform("Legacy", kind = "legacy"),
        platform("Mine", kind = "mine", options = {"depth": 2}),
        platform("Deep", kind = "mine", options = {"depth": 3, "dpth": 1}),
        platform("Shell", kind = "legasy"),
        platform("Plain", kind = "plain"),
        platform("Nothing", kind = "nothing"),
        platform("Legacy", kind = "nope"),`, "")
	bound, diags := r.Bind(m)
	if diff := cmp.Diff([]string{"Legacy", "Mine"}, sortedNames(bound)); diff != "" {
		t.Errorf("bound (-want +got):\n%s", diff)
	}
	if bound["Mine"] != mine {
		t.Error("Mine is not the platform its factory made")
	}
	got := make([]string, len(diags))
	for i, d := range diags {
		got[i] = fmt.Sprintf("%s %s %s %s | %s", d.Pos, d.Rule, d.Path, d.Message, d.Hint)
	}
	want := []string{
		`eco.star:10:51 PLATFORM_OPTION_INVALID platforms/Deep platform Deep (kind mine): option "depth" = 3: must be at most 2 | use 1 or 2`,
		`eco.star:10:51 PLATFORM_OPTION_INVALID platforms/Deep platform Deep (kind mine): option "dpth" = 1: unknown option (this kind takes "depth") | did you mean "depth"?`,
		`eco.star:11:34 PLATFORM_KIND_UNKNOWN platforms/Shell platform Shell: kind "legasy" is not registered (registered kinds: legacy, mine, nothing, plain, sql) | did you mean "legacy"? Otherwise register the kind in the host program (platforms.Registry.Register)`,
		`eco.star:12:9 PLATFORM_OPTION_INVALID platforms/Plain platform Plain (kind plain): cannot reach the scheduler | ` + platforms.RuleOptionInvalid.Hint,
		`eco.star:13:9 PLATFORM_OPTION_INVALID platforms/Nothing platform Nothing (kind nothing): the factory of kind "nothing" returned no platform | ` + platforms.RuleOptionInvalid.Hint,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("diagnostics (-want +got):\n%s", diff)
	}
	caps := platforms.Capabilities(bound)
	if len(caps) != 2 || !cmp.Equal(caps["Mine"], everything) {
		t.Errorf("capabilities = %+v", caps)
	}
}

func TestBrokerAndAcceptance(t *testing.T) {
	r := platforms.Builtin()
	strict := &fake{caps: everything, rules: []ecosystem.Rule{{ID: "STRICT_EXPORT", Severity: ecosystem.Warning,
		Categories: []string{ecosystem.CategoryPlatform}, Purpose: "The strict platform notes every export.", Hint: "none needed"}}}
	strict.accept = func(p *graph.Pipeline) ecosystem.Diagnostics {
		var out ecosystem.Diagnostics
		for _, n := range p.Nodes {
			if n.Kind == graph.KindExport {
				out = append(out, ecosystem.Diagnostic{Rule: "STRICT_EXPORT", Severity: ecosystem.Warning, Path: n.Path, Pos: n.Pos, Message: "strict sees " + n.ID})
			}
		}
		return out
	}
	mustRegister(t, r, "strict", func(*ecosystem.Platform) (platforms.Platform, error) { return strict, nil })
	mustRegister(t, r, "panicky", func(*ecosystem.Platform) (platforms.Platform, error) {
		return &fake{caps: everything, accept: func(*graph.Pipeline) ecosystem.Diagnostics { panic("index out of range") }}, nil
	})
	m := evaluate(t, `
        platform("Strict", kind = "strict"),
        platform("Panicky", kind = "panicky"),
        platform("Unknown", kind = "unknown"),`, `
                workspace("Deriver", groups = [dataset_group("inputs", sinks = [sink("Orders", "orders")], platform = "Panicky")],
                    transformer = transformer("derive", code = sql_code("select 1"), output = "Derived")),
                workspace("Reports", groups = [dataset_group("daily", sinks = [sink("Derived", "derived")], platform = "Strict")]),
                workspace("Orphan", groups = [dataset_group("any", sinks = [sink("Orders", "orders")], requirements = requirements(latency = "seconds"))]),`)
	b := r.Broker(m)
	// Orphan's group is chosen by requirements among bound platforms:
	// Panicky and Strict both fit, Panicky sorts first.
	if got := b.Graph.Assignments.Group("Orphan", "any").Served[0].Platform; got != "Panicky" {
		t.Errorf("Orphan served by %s, want Panicky", got)
	}
	check := platforms.Acceptance(r)
	diags := check(context.Background(), m)
	got := make([]string, len(diags))
	for i, d := range diags {
		got[i] = platformtest.Format(d)
	}
	want := []string{
		`eco.star:9:9 PLATFORM_ACCEPT_FAILED platform Panicky (kind panicky): acceptance check panicked: index out of range`,
		`eco.star:10:36 PLATFORM_KIND_UNKNOWN platform Unknown: kind "unknown" is not registered (registered kinds: legacy, panicky, sql, strict)`,
		`eco.star:22:81 STRICT_EXPORT strict sees export:Deriver.inputs:Orders.orders`,
		`eco.star:24:80 STRICT_EXPORT strict sees export:Reports.daily:Derived.derived`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("acceptance (-want +got):\n%s", diff)
	}
	// The strict platform was handed its own pipeline, which pulls in the
	// transformer Reports depends on.
	if !cmp.Equal(strict.accepted, []string{"Strict"}) {
		t.Errorf("strict accepted %v", strict.accepted)
	}
	// The same model gives the same findings in the same order.
	if again := check(context.Background(), m); !cmp.Equal(diags, again) {
		t.Error("acceptance is not deterministic")
	}
	// A cancelled context runs no platform and says so.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, d := range r.Broker(m).Accept(ctx) {
		if d.Rule == "STRICT_EXPORT" {
			t.Errorf("a platform ran after cancellation: %v", d)
		}
	}
}

func mustRegister(t *testing.T, r *platforms.Registry, kind string, f platforms.Factory) {
	t.Helper()
	if err := r.Register(kind, f); err != nil {
		t.Fatal(err)
	}
}

func sortedNames(m map[string]platforms.Platform) []string {
	return slices.Sorted(maps.Keys(m))
}

// TestAcceptLeavesCyclesToLint: the broker's Diagnostics report a pipeline
// cycle (for the graph command); the check's acceptance does not, since lint
// reports the same loop as TRANSFORMER_CYCLE.
func TestAcceptLeavesCyclesToLint(t *testing.T) {
	m := evaluate(t, `platform("Legacy", kind = "legacy"),`, `
                workspace("Deriver", groups = [dataset_group("inputs", sinks = [sink("Derived", "derived")], platform = "Legacy")],
                    transformer = transformer("derive", code = sql_code("select 1"), output = "Derived")),`)
	b := platforms.Builtin().Broker(m)
	if len(b.Diagnostics) != 1 || b.Diagnostics[0].Rule != graph.RuleCycle.ID {
		t.Fatalf("broker diagnostics = %v, want one GRAPH_CYCLE", b.Diagnostics)
	}
	if got := b.Accept(context.Background()); len(got) != 0 {
		t.Errorf("acceptance = %v, want nothing", got)
	}
}
