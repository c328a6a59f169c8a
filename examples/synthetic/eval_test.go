package synthetic_test

import (
	"context"
	"strconv"
	"testing"
	"testing/fstest"
	"time"

	"github.com/datasurface/datasurface-go/ecosystem"
	"github.com/datasurface/datasurface-go/ecosystem/lint"
	"github.com/datasurface/datasurface-go/examples/synthetic"
	"github.com/datasurface/datasurface-go/starlark"
)

// evaluate generates a model and evaluates it from an in-memory file system.
func evaluate(t testing.TB, s synthetic.Shape, v synthetic.Variant) *ecosystem.Ecosystem {
	t.Helper()
	files := mustFiles(t, s, v)
	fsys := fstest.MapFS{}
	for p, b := range files {
		fsys[p] = &fstest.MapFile{Data: b}
	}
	m, err := starlark.Evaluate(context.Background(), fsys)
	if err != nil {
		t.Fatalf("evaluating the %v model (%v): %v", v, s, err)
	}
	return m
}

// modelCounts counts the objects of an evaluated model by walking it.
type modelCounts struct{ zones, teams, stores, datasets, columns, workspaces, groups, sinks int }

func countModel(m *ecosystem.Ecosystem) modelCounts {
	var c modelCounts
	c.zones = len(m.Zones)
	for _, z := range m.Zones {
		c.teams += len(z.Teams)
		for _, t := range z.Teams {
			c.stores += len(t.Datastores)
			for _, s := range t.Datastores {
				c.datasets += len(s.Datasets)
				for _, d := range s.Datasets {
					c.columns += len(d.Columns)
				}
			}
			c.workspaces += len(t.Workspaces)
			for _, w := range t.Workspaces {
				c.groups += len(w.Groups)
				for _, g := range w.Groups {
					c.sinks += len(g.Sinks)
				}
			}
		}
	}
	return c
}

func TestEvaluatedCounts(t *testing.T) {
	for _, name := range []string{"small", "medium"} {
		t.Run(name, func(t *testing.T) {
			s, _ := synthetic.ShapeByName(name)
			got := countModel(evaluate(t, s, synthetic.Base))
			want := modelCounts{
				zones:      s.Zones,
				teams:      s.Zones * s.Teams,
				stores:     s.Zones * s.Teams * s.Stores,
				datasets:   s.Zones * s.Teams * s.Stores * s.Datasets,
				columns:    s.Zones * s.Teams * s.Stores * s.Datasets * s.Columns,
				workspaces: s.Zones * s.Teams * s.Workspaces,
				groups:     s.Zones * s.Teams * s.Workspaces,
				sinks:      s.Zones * s.Teams * s.Workspaces * s.Sinks,
			}
			if got != want {
				t.Errorf("counts = %+v, want %+v", got, want)
			}
		})
	}
}

func TestEvaluatedShape(t *testing.T) {
	s := synthetic.Small
	m := evaluate(t, s, synthetic.Base)
	if m.Name != "SynthEco" || m.Repo.Name != synthetic.RepoName || m.Repo.Branch != "eco_main" || m.LiveRepo.Branch != "live" {
		t.Errorf("ecosystem = %s owned by %v, live %v", m.Name, m.Repo, m.LiveRepo)
	}
	if v := m.Vendor("MyCorp"); v == nil || v.Cloud != "private" {
		t.Errorf("vendor MyCorp = %+v, want a private cloud", v)
	}
	if m.Location("MyCorp:USA/NY_1") == nil {
		t.Error("location MyCorp:USA/NY_1 is not declared")
	}
	if len(m.Platforms) != 1 || m.Platforms[0].Name != "Legacy" || m.Platforms[0].Kind != "legacy" {
		t.Errorf("platforms = %+v, want one Legacy of kind legacy", m.Platforms)
	}
	if z := m.Zone("Z0"); z == nil || z.Repo.Branch != "Z0_main" || z.Repo.Name != synthetic.RepoName {
		t.Errorf("zone Z0 = %+v", z)
	}
	if tm := m.Team("Z0", "Z0_T1"); tm == nil || tm.Repo.Branch != "Z0_T1_main" {
		t.Errorf("team Z0_T1 = %+v", tm)
	}

	r, ok := m.Datastore("Z0_T1_S4")
	if !ok {
		t.Fatal("no store Z0_T1_S4")
	}
	c := r.Store.Capture
	if c == nil || c.Kind != ecosystem.SQLSnapshot || c.Ingestion != ecosystem.IngestStore ||
		c.Trigger == nil || c.Trigger.Cron != "0,15,30,45 * * * *" || c.Credential == nil ||
		c.From == nil || c.From.Engine != "postgres" || len(c.From.Locations) != 1 || c.From.Locations[0] != "MyCorp:USA/NY_1" {
		t.Errorf("capture of Z0_T1_S4 = %+v", c)
	}
	d, ok := m.Dataset("Z0_T1_S4", "ds9")
	if !ok {
		t.Fatal("no dataset Z0_T1_S4.ds9")
	}
	if len(d.Dataset.Classifications) != 1 || d.Dataset.Classifications[0] != "public" {
		t.Errorf("ds9 classifications = %q, want [public] at dataset level", d.Dataset.Classifications)
	}
	wantTypes := map[int]string{1: "varchar(50)", 2: "integer", 3: "date", 0: "float64"}
	for i, col := range d.Dataset.Columns {
		if i == 0 {
			if col.Name != "id" || !col.Key || col.Nullable || col.Type.String() != "integer" {
				t.Errorf("column 0 = %s %v key=%v nullable=%v, want id integer key not nullable", col.Name, col.Type, col.Key, col.Nullable)
			}
			continue
		}
		if col.Key || !col.Nullable || col.Type.String() != wantTypes[i%4] || col.Name != "c"+strconv.Itoa(i) {
			t.Errorf("column %d = %s %v key=%v nullable=%v, want c%d %s nullable", i, col.Name, col.Type, col.Key, col.Nullable, i, wantTypes[i%4])
		}
	}

	wr, ok := m.Workspace("WS_Z0_T1_W4")
	if !ok {
		t.Fatal("no workspace WS_Z0_T1_W4")
	}
	w := wr.Workspace
	if w.Container == nil || w.Container.Engine != "postgres" || w.Container.Locations[0] != "MyCorp:USA/NY_1" {
		t.Errorf("container of WS_Z0_T1_W4 = %+v", w.Container)
	}
	if len(w.Groups) != 1 || w.Groups[0].Name != "dsg" || w.Groups[0].Platform != "Legacy" {
		t.Fatalf("groups of WS_Z0_T1_W4 = %+v", w.Groups)
	}
	// g = (0·2 + 1)·5 + 4 = 9; the sinks are recomputed by expectedSink.
	for k, sk := range w.Groups[0].Sinks {
		if got, want := sk.Store+"."+sk.Dataset, expectedSink(s, 0, 1, 4, k); got != want {
			t.Errorf("WS_Z0_T1_W4 sink %d = %s, want %s", k, got, want)
		}
		if _, ok := m.Dataset(sk.Store, sk.Dataset); !ok {
			t.Errorf("WS_Z0_T1_W4 sink %d names %s, which does not exist", k, sk)
		}
	}
}

func TestEvaluatedPullRequest(t *testing.T) {
	s := synthetic.Small
	base := countModel(evaluate(t, s, synthetic.Base))
	for _, v := range []synthetic.Variant{synthetic.PullRequest, synthetic.PullRequestIncompatible} {
		m := evaluate(t, s, v)
		got := countModel(m)
		dropped := 0
		if v == synthetic.PullRequestIncompatible {
			dropped = 1
		}
		want := base
		want.stores++
		want.datasets += s.Datasets
		want.columns += s.Datasets*s.Columns + s.Datasets - dropped
		if got != want {
			t.Errorf("%v: counts = %+v, want %+v", v, got, want)
		}
		for d := range s.Datasets {
			ds, ok := m.Dataset("Z0_T0_S0", "ds"+strconv.Itoa(d))
			if !ok {
				t.Fatalf("%v: no dataset Z0_T0_S0.ds%d", v, d)
			}
			col := ds.Dataset.Column("pr_extra")
			if col == nil || !col.Nullable || col.Key || col.Type.String() != "varchar(20)" {
				t.Errorf("%v: Z0_T0_S0.ds%d pr_extra = %+v, want nullable varchar(20)", v, d, col)
			}
		}
		last := "c" + strconv.Itoa(s.Columns-1)
		ds0, _ := m.Dataset("Z0_T0_S0", "ds0")
		if has := ds0.Dataset.Column(last) != nil; has != (v == synthetic.PullRequest) {
			t.Errorf("%v: Z0_T0_S0.ds0 has %s: %v", v, last, has)
		}
		if r, ok := m.Datastore("Z0_T0_SPR"); !ok || r.Team.Name != "Z0_T0" {
			t.Errorf("%v: store Z0_T0_SPR missing or not in team Z0_T0", v)
		}
	}
}

func TestLintsClean(t *testing.T) {
	for _, v := range []synthetic.Variant{synthetic.Base, synthetic.PullRequest, synthetic.PullRequestIncompatible} {
		diags := lint.Lint(evaluate(t, synthetic.Small, v))
		for _, d := range diags {
			t.Logf("%v: %v", v, d)
		}
		if n := diags.Count(ecosystem.Error); n > 0 {
			t.Errorf("%v: lint reports %d errors", v, n)
		}
	}
}

// BenchmarkEvaluateLint evaluates and lints a model generated beforehand
// (generation is not timed): the figure docs/PERFORMANCE.md targets.
func BenchmarkEvaluateLint(b *testing.B) {
	for _, name := range []string{"small", "medium", "large", "xlarge"} {
		s, _ := synthetic.ShapeByName(name)
		files := mustFiles(b, s, synthetic.Base)
		fsys := fstest.MapFS{}
		for p, data := range files {
			fsys[p] = &fstest.MapFile{Data: data}
		}
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			// The two stages are timed apart as well, to show where the time goes.
			var evalTime, lintTime time.Duration
			for b.Loop() {
				start := time.Now()
				m, err := starlark.Evaluate(context.Background(), fsys)
				if err != nil {
					b.Fatal(err)
				}
				evaluated := time.Now()
				if diags := lint.Lint(m); diags.Count(ecosystem.Error) > 0 {
					b.Fatalf("lint errors: %v", diags)
				}
				evalTime += evaluated.Sub(start)
				lintTime += time.Since(evaluated)
			}
			b.ReportMetric(float64(evalTime.Nanoseconds())/float64(b.N), "eval-ns/op")
			b.ReportMetric(float64(lintTime.Nanoseconds())/float64(b.N), "lint-ns/op")
		})
	}
}
