package graph

import (
	"context"
	"fmt"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"

	"github.com/datasurface/datasurface-go/ecosystem"
	"github.com/datasurface/datasurface-go/examples/synthetic"
	"github.com/datasurface/datasurface-go/starlark"
	"github.com/datasurface/datasurface-go/types"
)

// synthModel builds the synthetic model of docs/PERFORMANCE.md in Go, the
// shape examples/synthetic writes as Starlark, so the broker's benchmarks
// do not pay for (or depend on) evaluation. Columns are built once per
// dataset shape and shared between datasets: the broker never reads them,
// and sharing keeps the xlarge model's setup small.
func synthModel(s synthetic.Shape) *ecosystem.Ecosystem {
	const loc = synthetic.Location
	src := func(file string) ecosystem.Source {
		return ecosystem.Source{Pos: ecosystem.Pos{File: file, Line: 1, Col: 1}}
	}
	e := &ecosystem.Ecosystem{
		Name:      synthetic.EcosystemName,
		Repo:      ecosystem.Repo{Name: synthetic.RepoName, Branch: "eco_main"},
		LiveRepo:  ecosystem.Repo{Name: synthetic.RepoName, Branch: "live"},
		Vendors:   []*ecosystem.Vendor{{Name: synthetic.VendorName, Cloud: "private", Locations: []*ecosystem.Location{{Name: "USA", Locations: []*ecosystem.Location{{Name: "NY_1"}}}}}},
		Platforms: []*ecosystem.Platform{{Name: synthetic.PlatformName, Kind: "legacy"}},
	}
	columns := make([]*ecosystem.Column, s.Columns)
	colTypes := []string{"float64", "varchar(50)", "integer", "date"}
	for c := range columns {
		if c == 0 {
			columns[c] = &ecosystem.Column{Name: "id", Type: types.MustParse("integer"), Key: true}
			continue
		}
		columns[c] = &ecosystem.Column{Name: fmt.Sprintf("c%d", c), Type: types.MustParse(colTypes[c%4]), Nullable: true}
	}
	total := s.DatasetCount()
	for z := range s.Zones {
		zone := &ecosystem.Zone{Name: fmt.Sprintf("Z%d", z), Repo: ecosystem.Repo{Name: synthetic.RepoName, Branch: fmt.Sprintf("Z%d_main", z)}}
		for t := range s.Teams {
			name := fmt.Sprintf("Z%d_T%d", z, t)
			file := "teams/" + name + ".star"
			team := &ecosystem.Team{Name: name, Repo: ecosystem.Repo{Name: synthetic.RepoName, Branch: name + "_main"}, Source: src(file)}
			for st := range s.Stores {
				store := &ecosystem.Datastore{Name: fmt.Sprintf("%s_S%d", name, st), Source: src(file), Capture: &ecosystem.Capture{
					Kind: ecosystem.SQLSnapshot, Ingestion: ecosystem.IngestStore, Source: src(file),
					From:       &ecosystem.Container{Kind: ecosystem.DatabaseContainer, Engine: "postgres", Name: "src", Locations: []string{loc}},
					Trigger:    &ecosystem.Trigger{Kind: ecosystem.CronTrigger, Cron: synthetic.Cron, Source: src(file)},
					Credential: &ecosystem.Credential{Name: "cred", Kind: "user_password"},
				}}
				for d := range s.Datasets {
					store.Datasets = append(store.Datasets, &ecosystem.Dataset{Name: fmt.Sprintf("ds%d", d), Classifications: []string{"public"}, Columns: columns, Source: src(file)})
				}
				team.Datastores = append(team.Datastores, store)
			}
			container := &ecosystem.Container{Kind: ecosystem.DatabaseContainer, Engine: "postgres", Name: name + "_db", Locations: []string{loc}}
			for w := range s.Workspaces {
				g := (z*s.Teams+t)*s.Workspaces + w
				group := &ecosystem.DatasetGroup{Name: synthetic.GroupName, Platform: synthetic.PlatformName, Source: src(file)}
				for k := range s.Sinks {
					n := (g*7919 + k*104729) % total
					d := n % s.Datasets
					st := (n / s.Datasets) % s.Stores
					tt := (n / s.Datasets / s.Stores) % s.Teams
					zz := n / s.Datasets / s.Stores / s.Teams
					group.Sinks = append(group.Sinks, &ecosystem.Sink{Store: fmt.Sprintf("Z%d_T%d_S%d", zz, tt, st), Dataset: fmt.Sprintf("ds%d", d), Source: src(file)})
				}
				team.Workspaces = append(team.Workspaces, &ecosystem.Workspace{
					Name: fmt.Sprintf("WS_%s_W%d", name, w), Container: container, Groups: []*ecosystem.DatasetGroup{group}, Source: src(file),
				})
			}
			zone.Teams = append(zone.Teams, team)
		}
		e.Zones = append(e.Zones, zone)
	}
	return ecosystem.New(e)
}

// TestSynthModelMatchesGenerator: the Go-built synthetic model gives the
// same pipeline as the generator's Starlark files, so the benchmarks
// measure the synthetic model docs/PERFORMANCE.md describes.
func TestSynthModelMatchesGenerator(t *testing.T) {
	files, err := synthetic.Files(synthetic.Small, synthetic.Base)
	if err != nil {
		t.Fatal(err)
	}
	fsys := fstest.MapFS{}
	for name, data := range files {
		fsys[name] = &fstest.MapFile{Data: data}
	}
	star, err := starlark.Evaluate(context.Background(), fsys)
	if err != nil {
		t.Fatal(err)
	}
	caps := capsFor(synthetic.PlatformName)
	want := mustBuild(t, star, caps).Pipeline(synthetic.PlatformName)
	got := mustBuild(t, synthModel(synthetic.Small), caps).Pipeline(synthetic.PlatformName)
	if diff := cmp.Diff(want.EdgeStrings(), got.EdgeStrings()); diff != "" {
		t.Errorf("edges (-generator +Go):\n%s", diff)
	}
	if len(got.Nodes) == 0 || len(got.Nodes) != len(want.Nodes) {
		t.Errorf("%d nodes from Go, %d from the generator", len(got.Nodes), len(want.Nodes))
	}
}

// BenchmarkBroker measures assignment plus every platform's pipeline (Build)
// on the large and xlarge synthetic models; the target (docs/PERFORMANCE.md) is at most
// 1 s for xlarge. The model is built (and indexed) before the timer starts.
func BenchmarkBroker(b *testing.B) {
	for _, c := range []struct {
		name  string
		shape synthetic.Shape
	}{{"large", synthetic.Large}, {"xlarge", synthetic.XLarge}} {
		b.Run(c.name, func(b *testing.B) {
			m := synthModel(c.shape)
			caps := capsFor(synthetic.PlatformName)
			b.ReportAllocs()
			b.ResetTimer()
			var nodes int
			for b.Loop() {
				r := Build(m, caps)
				nodes = len(r.Pipelines[0].Nodes)
			}
			b.ReportMetric(float64(nodes), "nodes")
		})
	}
}

// BenchmarkRender measures writing the xlarge model's pipeline in each format.
func BenchmarkRender(b *testing.B) {
	r := Build(synthModel(synthetic.XLarge), capsFor(synthetic.PlatformName))
	for _, f := range Formats {
		b.Run(string(f), func(b *testing.B) {
			for b.Loop() {
				if err := Write(discard{}, f, r.Pipelines...); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }
