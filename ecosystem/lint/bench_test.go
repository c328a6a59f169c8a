package lint

import (
	"strconv"
	"testing"

	"github.com/datasurface/datasurface-go/ecosystem"
	"github.com/datasurface/datasurface-go/types"
)

// shape is the size of a synthetic model (docs/PERFORMANCE.md).
type shape struct{ Z, T, S, D, C, W, K int }

var (
	small  = shape{1, 2, 5, 10, 10, 5, 5}
	medium = shape{2, 10, 10, 10, 10, 10, 5}
	large  = shape{4, 25, 10, 10, 10, 10, 5}
	xlarge = shape{4, 25, 100, 10, 10, 10, 5}
)

// synthetic builds the synthetic model of docs/PERFORMANCE.md in Go, the way
// the evaluator would: objects made at one call site share one argument
// position table, and each team's objects sit in the team's own file.
func synthetic(sh shape) *ecosystem.Ecosystem {
	args := func(names ...string) *ecosystem.ArgPositions {
		pos := make([]ecosystem.Pos, len(names))
		for i := range names {
			pos[i] = ecosystem.Pos{File: "site.star", Line: 1, Col: 10 * (i + 1)}
		}
		return ecosystem.NewArgPositions(names, pos)
	}
	var (
		colArgs   = args("name", "type", "key", "nullable")
		dsArgs    = args("name", "columns", "classification")
		storeArgs = args("name", "capture", "datasets")
		sinkArgs  = args("store", "dataset")
		groupArgs = args("name", "sinks", "platform")
		wsArgs    = args("name", "groups", "container")
		capArgs   = args("source", "trigger", "credential")
		conArgs   = args("name", "locations")
		cronArgs  = args("schedule")
	)
	colTypes := [4]types.Type{types.MustParse("float64"), types.MustParse("varchar(50)"), types.MustParse("integer"), types.MustParse("date")}
	idType := types.MustParse("integer")
	loc := []string{"MyCorp:USA/NY_1"}

	m := &ecosystem.Ecosystem{
		Name:     "SynthEco",
		Repo:     ecosystem.Repo{Name: "github.com/synth/model", Branch: "eco_main"},
		LiveRepo: ecosystem.Repo{Name: "github.com/synth/model", Branch: "live"},
		Vendors: []*ecosystem.Vendor{{Name: "MyCorp", Cloud: "private", Meta: ecosystem.Meta{Doc: "private cloud"},
			Locations: []*ecosystem.Location{{Name: "USA", Locations: []*ecosystem.Location{{Name: "NY_1"}}}}}},
		Platforms: []*ecosystem.Platform{{Name: "Governance", Kind: "governance"}},
	}
	totalDatasets := sh.Z * sh.T * sh.S * sh.D
	for z := 0; z < sh.Z; z++ {
		zn := "Z" + strconv.Itoa(z)
		zone := &ecosystem.Zone{Name: zn, Repo: ecosystem.Repo{Name: "github.com/synth/model", Branch: zn + "_main"}}
		for t := 0; t < sh.T; t++ {
			tn := zn + "_T" + strconv.Itoa(t)
			file := tn + ".star"
			line := 0
			src := func(a *ecosystem.ArgPositions) ecosystem.Source {
				line++
				return ecosystem.Source{Pos: ecosystem.Pos{File: file, Line: line, Col: 5}, Args: a}
			}
			team := &ecosystem.Team{Name: tn, Repo: ecosystem.Repo{Name: "github.com/synth/model", Branch: tn + "_main"}}
			for s := 0; s < sh.S; s++ {
				st := &ecosystem.Datastore{Name: tn + "_S" + strconv.Itoa(s), Source: src(storeArgs),
					Capture: &ecosystem.Capture{Kind: ecosystem.SQLSnapshot, Ingestion: ecosystem.IngestStore, Source: src(capArgs),
						From:       &ecosystem.Container{Kind: ecosystem.DatabaseContainer, Name: "src", Engine: "postgres", Locations: loc, Source: src(conArgs)},
						Trigger:    &ecosystem.Trigger{Kind: ecosystem.CronTrigger, Cron: "0,15,30,45 * * * *", Source: src(cronArgs)},
						Credential: &ecosystem.Credential{Name: "cred", Kind: "user_password"}}}
				for d := 0; d < sh.D; d++ {
					ds := &ecosystem.Dataset{Name: "ds" + strconv.Itoa(d), Classifications: []string{"public"}, Source: src(dsArgs)}
					ds.Columns = append(ds.Columns, &ecosystem.Column{Name: "id", Type: idType, Key: true, Source: src(colArgs)})
					for c := 1; c < sh.C; c++ {
						ds.Columns = append(ds.Columns, &ecosystem.Column{Name: "c" + strconv.Itoa(c), Type: colTypes[c%4], Nullable: true, Source: src(colArgs)})
					}
					st.Datasets = append(st.Datasets, ds)
				}
				team.Datastores = append(team.Datastores, st)
			}
			container := &ecosystem.Container{Kind: ecosystem.DatabaseContainer, Name: "wsdb", Engine: "postgres", Locations: loc, Source: src(conArgs)}
			for w := 0; w < sh.W; w++ {
				g := (z*sh.T+t)*sh.W + w
				grp := &ecosystem.DatasetGroup{Name: "dsg", Platform: "Governance", Source: src(groupArgs)}
				for k := 0; k < sh.K; k++ {
					n := (g*7919 + k*104729) % totalDatasets
					d := n % sh.D
					s := (n / sh.D) % sh.S
					tt := (n / (sh.D * sh.S)) % sh.T
					zz := n / (sh.D * sh.S * sh.T)
					grp.Sinks = append(grp.Sinks, &ecosystem.Sink{
						Store:   "Z" + strconv.Itoa(zz) + "_T" + strconv.Itoa(tt) + "_S" + strconv.Itoa(s),
						Dataset: "ds" + strconv.Itoa(d), Source: src(sinkArgs)})
				}
				team.Workspaces = append(team.Workspaces, &ecosystem.Workspace{Name: "WS_" + tn + "_W" + strconv.Itoa(w),
					Container: container, Groups: []*ecosystem.DatasetGroup{grp}, Source: src(wsArgs)})
			}
			zone.Teams = append(zone.Teams, team)
		}
		m.Zones = append(m.Zones, zone)
	}
	return ecosystem.New(m)
}

// TestSyntheticIsClean checks that the benchmark lints a valid model, so it
// measures the success path, and that the builder follows the shape.
func TestSyntheticIsClean(t *testing.T) {
	m := synthetic(small)
	if got := len(m.Datastores()) * small.D; got != 100 {
		t.Fatalf("small model has %d datasets, want 100", got)
	}
	if got := Lint(m); len(got) != 0 {
		t.Fatalf("synthetic model has findings:\n%s", dump(got))
	}
}

func BenchmarkLint(b *testing.B) {
	for _, c := range []struct {
		name string
		sh   shape
	}{{"small", small}, {"medium", medium}, {"large", large}, {"xlarge", xlarge}} {
		b.Run(c.name, func(b *testing.B) {
			if c.sh == xlarge && testing.Short() {
				b.Skip("xlarge builds a million columns; skipped with -short")
			}
			m := synthetic(c.sh)
			if got := Lint(m); len(got) != 0 {
				b.Fatalf("synthetic model has %d findings, first %s", len(got), got[0])
			}
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				Lint(m)
			}
			b.ReportMetric(float64(c.sh.Z*c.sh.T*c.sh.S*c.sh.D*c.sh.C), "columns")
		})
	}
}

// BenchmarkLintRules times each rule alone on the large model, to show where
// the time goes.
func BenchmarkLintRules(b *testing.B) {
	m := synthetic(large)
	for _, r := range Rules() {
		b.Run(r.ID, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				Lint(m, WithRules(r.ID))
			}
		})
	}
}
