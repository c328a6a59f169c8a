package synthetic_test

import (
	"bytes"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/datasurface/datasurface-go/examples/synthetic"
)

// mustFiles generates a model or stops the test.
func mustFiles(t testing.TB, s synthetic.Shape, v synthetic.Variant) map[string][]byte {
	t.Helper()
	files, err := synthetic.Files(s, v)
	if err != nil {
		t.Fatalf("Files(%v, %v): %v", s, v, err)
	}
	return files
}

func TestFilesLayout(t *testing.T) {
	s := synthetic.Shape{Zones: 2, Teams: 3, Stores: 1, Datasets: 1, Columns: 1, Workspaces: 0, Sinks: 0}
	files := mustFiles(t, s, synthetic.Base)
	got := slices.Sorted(maps.Keys(files))
	want := []string{"eco.star",
		"teams/Z0_T0.star", "teams/Z0_T1.star", "teams/Z0_T2.star",
		"teams/Z1_T0.star", "teams/Z1_T1.star", "teams/Z1_T2.star",
		"zones/Z0.star", "zones/Z1.star"}
	if !slices.Equal(got, want) {
		t.Fatalf("files = %q, want %q", got, want)
	}
	// Each file loads the next level down by its root-relative path.
	eco := string(files["eco.star"])
	for _, l := range []string{`load("//zones/Z0.star", "Z0")`, `load("//zones/Z1.star", "Z1")`, "zones = [Z0, Z1]"} {
		if !strings.Contains(eco, l) {
			t.Errorf("eco.star lacks %s:\n%s", l, eco)
		}
	}
	zone := string(files["zones/Z1.star"])
	for _, l := range []string{`load("//teams/Z1_T2.star", "Z1_T2")`, `repo("github.com/synth/model", branch = "Z1_main")`} {
		if !strings.Contains(zone, l) {
			t.Errorf("zones/Z1.star lacks %s:\n%s", l, zone)
		}
	}
	if team := string(files["teams/Z1_T2.star"]); !strings.Contains(team, `repo("github.com/synth/model", branch = "Z1_T2_main")`) {
		t.Errorf("teams/Z1_T2.star is not owned by branch Z1_T2_main:\n%s", team)
	}
}

// callLines counts the lines of all team files whose text starts with the
// call prefix, such as `column(`.
func callLines(files map[string][]byte, prefix string) int {
	n := 0
	for p, b := range files {
		if !strings.HasPrefix(p, "teams/") {
			continue
		}
		for line := range strings.Lines(string(b)) {
			if strings.HasPrefix(strings.TrimLeft(line, " "), prefix) {
				n++
			}
		}
	}
	return n
}

func TestFilesCountsInSource(t *testing.T) {
	for _, name := range []string{"small", "medium"} {
		s, _ := synthetic.ShapeByName(name)
		files := mustFiles(t, s, synthetic.Base)
		for _, c := range []struct {
			call string
			want int
		}{
			{"datastore(", s.Zones * s.Teams * s.Stores},
			{"dataset(", s.Zones * s.Teams * s.Stores * s.Datasets},
			{"column(", s.Zones * s.Teams * s.Stores * s.Datasets * s.Columns},
			{"workspace(", s.Zones * s.Teams * s.Workspaces},
			{"dataset_group(", s.Zones * s.Teams * s.Workspaces},
			{"sink(", s.Zones * s.Teams * s.Workspaces * s.Sinks},
		} {
			if got := callLines(files, c.call); got != c.want {
				t.Errorf("%s: %d %s calls, want %d", name, got, c.call, c.want)
			}
		}
	}
}

func TestNamedShapes(t *testing.T) {
	// The figures of the table in docs/PERFORMANCE.md.
	for _, c := range []struct {
		name                          string
		datasets, columns, workspaces int
	}{
		{"small", 100, 1_000, 10},
		{"medium", 2_000, 20_000, 200},
		{"large", 10_000, 100_000, 1_000},
		{"XLarge", 100_000, 1_000_000, 1_000},
	} {
		s, ok := synthetic.ShapeByName(c.name)
		if !ok {
			t.Fatalf("ShapeByName(%q) not found", c.name)
		}
		if s.DatasetCount() != c.datasets || s.ColumnCount() != c.columns || s.WorkspaceCount() != c.workspaces {
			t.Errorf("%s = %v: %d datasets, %d columns, %d workspaces; want %d, %d, %d", c.name, s,
				s.DatasetCount(), s.ColumnCount(), s.WorkspaceCount(), c.datasets, c.columns, c.workspaces)
		}
		if s.Sinks != 5 {
			t.Errorf("%s has %d sinks per workspace, want 5", c.name, s.Sinks)
		}
	}
	if _, ok := synthetic.ShapeByName("huge"); ok {
		t.Error(`ShapeByName("huge") found a shape`)
	}
}

func TestColumnsTypedByIndex(t *testing.T) {
	s := synthetic.Shape{Zones: 1, Teams: 1, Stores: 1, Datasets: 1, Columns: 9, Workspaces: 0, Sinks: 0}
	team := string(mustFiles(t, s, synthetic.Base)["teams/Z0_T0.star"])
	want := `                        column("id", "integer", key = True),
                        column("c1", "varchar(50)"),
                        column("c2", "integer"),
                        column("c3", "date"),
                        column("c4", "float64"),
                        column("c5", "varchar(50)"),
                        column("c6", "integer"),
                        column("c7", "date"),
                        column("c8", "float64"),
                    ],`
	if !strings.Contains(team, want) {
		t.Errorf("team file lacks the column list\n%s\nin:\n%s", want, team)
	}
	for _, l := range []string{`classification = "public"`, `trigger = cron("0,15,30,45 * * * *")`,
		`locations = ["MyCorp:USA/NY_1"]`, `ingestion = "store"`, `capture = sql_snapshot(`} {
		if !strings.Contains(team, l) {
			t.Errorf("team file lacks %s", l)
		}
	}
}

// sinkRE matches the workspace headers and the sinks of a team file.
var sinkRE = regexp.MustCompile(`"(WS_Z\d+_T\d+_W\d+)"|sink\("(Z\d+_T\d+_S\d+)", "(ds\d+)"\)`)

// sinksBySource reads every workspace's sinks, in order, from the team files.
func sinksBySource(t *testing.T, files map[string][]byte) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	for p, b := range files {
		if !strings.HasPrefix(p, "teams/") {
			continue
		}
		ws := ""
		for _, m := range sinkRE.FindAllStringSubmatch(string(b), -1) {
			if m[1] != "" {
				ws = m[1]
				out[ws] = []string{}
				continue
			}
			if ws == "" {
				t.Fatalf("%s: sink %s.%s outside a workspace", p, m[2], m[3])
			}
			out[ws] = append(out[ws], m[2]+"."+m[3])
		}
	}
	return out
}

// expectedSink recomputes the sink formula of docs/PERFORMANCE.md directly: workspace
// g = (z·T + t)·W + w, sink k points at n = (g·7919 + k·104729) mod (Z·T·S·D),
// with n = ((z·T + t)·S + s)·D + d.
func expectedSink(s synthetic.Shape, z, t, w, k int) string {
	g := (z*s.Teams+t)*s.Workspaces + w
	n := (g*7919 + k*104729) % (s.Zones * s.Teams * s.Stores * s.Datasets)
	d := n % s.Datasets
	store := n / s.Datasets // (z·T + t)·S + s
	st := store % s.Stores
	team := store / s.Stores // z·T + t
	return "Z" + strconv.Itoa(team/s.Teams) + "_T" + strconv.Itoa(team%s.Teams) + "_S" + strconv.Itoa(st) + ".ds" + strconv.Itoa(d)
}

func TestSinkFormula(t *testing.T) {
	// An uneven shape, so that a mix-up of two factors shows.
	s := synthetic.Shape{Zones: 3, Teams: 4, Stores: 5, Datasets: 7, Columns: 2, Workspaces: 6, Sinks: 9}
	got := sinksBySource(t, mustFiles(t, s, synthetic.Base))
	if len(got) != s.WorkspaceCount() {
		t.Fatalf("found %d workspaces, want %d", len(got), s.WorkspaceCount())
	}
	for z := range s.Zones {
		for tm := range s.Teams {
			for w := range s.Workspaces {
				name := "WS_Z" + strconv.Itoa(z) + "_T" + strconv.Itoa(tm) + "_W" + strconv.Itoa(w)
				sinks := got[name]
				if len(sinks) != s.Sinks {
					t.Fatalf("%s has %d sinks, want %d", name, len(sinks), s.Sinks)
				}
				for k, sk := range sinks {
					if want := expectedSink(s, z, tm, w, k); sk != want {
						t.Errorf("%s sink %d = %s, want %s", name, k, sk, want)
					}
				}
			}
		}
	}
	// Hand-computed samples pin the formula itself, not only its two copies.
	// WS_Z0_T0_W0 is g = 0; k=1 → 104729 mod 420 = 149 = (4·5 + 1)·7 + 2: team 4 (Z1_T0), store 1, ds2.
	if sk := got["WS_Z0_T0_W0"][1]; sk != "Z1_T0_S1.ds2" {
		t.Errorf("WS_Z0_T0_W0 sink 1 = %s, want Z1_T0_S1.ds2 (n = 104729 mod 420 = 149)", sk)
	}
	// WS_Z2_T3_W5 is g = (2·4+3)·6+5 = 71; k=0 → 71·7919 mod 420 = 562249 mod 420 = 289 = (8·5 + 1)·7 + 2: team 8 (Z2_T0), store 1, ds2.
	if sk := got["WS_Z2_T3_W5"][0]; sk != "Z2_T0_S1.ds2" {
		t.Errorf("WS_Z2_T3_W5 sink 0 = %s, want Z2_T0_S1.ds2 (n = 562249 mod 420 = 289)", sk)
	}
}

func TestVariantsDifferOnlyInTheTeamFile(t *testing.T) {
	s := synthetic.Medium
	base := mustFiles(t, s, synthetic.Base)
	for _, v := range []synthetic.Variant{synthetic.PullRequest, synthetic.PullRequestIncompatible} {
		head := mustFiles(t, s, v)
		if !slices.Equal(slices.Sorted(maps.Keys(base)), slices.Sorted(maps.Keys(head))) {
			t.Fatalf("%v: the file set differs from the base", v)
		}
		var changed []string
		for p := range base {
			if !bytes.Equal(base[p], head[p]) {
				changed = append(changed, p)
			}
		}
		if !slices.Equal(changed, []string{"teams/Z0_T0.star"}) {
			t.Errorf("%v: changed files = %q, want only teams/Z0_T0.star", v, changed)
		}
		team := string(head["teams/Z0_T0.star"])
		if n := strings.Count(team, `column("pr_extra", "varchar(20)")`); n != s.Datasets {
			t.Errorf("%v: %d pr_extra columns, want one per dataset of Z0_T0_S0 (%d)", v, n, s.Datasets)
		}
		// pr_extra sits in Z0_T0_S0 only, before the next store begins.
		s0 := team[strings.Index(team, `"Z0_T0_S0",`):strings.Index(team, `"Z0_T0_S1",`)]
		if n := strings.Count(s0, "pr_extra"); n != s.Datasets {
			t.Errorf("%v: Z0_T0_S0 has %d pr_extra columns, want %d", v, n, s.Datasets)
		}
		if !strings.Contains(team, `"Z0_T0_SPR",`) {
			t.Errorf("%v: no store Z0_T0_SPR", v)
		}
		// ds0 of Z0_T0_S0 loses its last column in the incompatible variant only.
		ds0 := s0[strings.Index(s0, `"ds0",`):strings.Index(s0, `"ds1",`)]
		last := `column("c` + strconv.Itoa(s.Columns-1) + `",`
		if has := strings.Contains(ds0, last); has != (v == synthetic.PullRequest) {
			t.Errorf("%v: Z0_T0_S0.ds0 has its last column %s: %v", v, last, has)
		}
		ds1 := s0[strings.Index(s0, `"ds1",`):]
		if !strings.Contains(ds1, last) {
			t.Errorf("%v: Z0_T0_S0.ds1 lost its last column %s", v, last)
		}
	}
	// The new store has the shape of the others: same datasets and columns.
	head := string(mustFiles(t, s, synthetic.PullRequest)["teams/Z0_T0.star"])
	spr := head[strings.Index(head, `"Z0_T0_SPR",`):strings.Index(head, "workspaces = [")]
	if got, want := strings.Count(spr, "column("), s.Datasets*s.Columns; got != want {
		t.Errorf("Z0_T0_SPR has %d columns, want %d", got, want)
	}
}

func TestDeterministic(t *testing.T) {
	for _, v := range []synthetic.Variant{synthetic.Base, synthetic.PullRequestIncompatible} {
		a, b := mustFiles(t, synthetic.Medium, v), mustFiles(t, synthetic.Medium, v)
		if !maps.EqualFunc(a, b, bytes.Equal) {
			t.Errorf("%v: two runs of Files differ", v)
		}
	}
}

func TestWrite(t *testing.T) {
	dir := t.TempDir()
	s := synthetic.Small
	if err := synthetic.Write(dir, s, synthetic.PullRequest); err != nil {
		t.Fatal(err)
	}
	want := mustFiles(t, s, synthetic.PullRequest)
	got := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		got[filepath.ToSlash(rel)] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if !maps.EqualFunc(got, want, bytes.Equal) {
		t.Errorf("Write wrote %d files that differ from Files' %d", len(got), len(want))
	}
}

func TestInvalidInput(t *testing.T) {
	for _, c := range []struct {
		shape synthetic.Shape
		v     synthetic.Variant
		want  string
	}{
		{synthetic.Shape{Zones: 0, Teams: 1, Stores: 1, Datasets: 1, Columns: 1}, synthetic.Base, "Zones (Z) is 0, want at least 1"},
		{synthetic.Shape{Zones: 1, Teams: 1, Stores: 1, Datasets: 1, Columns: 1, Sinks: -1}, synthetic.Base, "Sinks (K) is -1"},
		{synthetic.Shape{Zones: 1000, Teams: 1000, Stores: 1000, Datasets: 1, Columns: 1}, synthetic.Base, "more than 100000000 columns"},
		{synthetic.Shape{Zones: 1, Teams: 1, Stores: 1, Datasets: 1, Columns: 1}, synthetic.PullRequestIncompatible, "needs at least 2 columns"},
		{synthetic.Small, synthetic.Variant(7), "unknown variant 7"},
	} {
		_, err := synthetic.Files(c.shape, c.v)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Files(%v, %v) error = %v, want one containing %q", c.shape, c.v, err, c.want)
		}
	}
	if err := synthetic.Write(t.TempDir(), synthetic.Shape{}, synthetic.Base); err == nil {
		t.Error("Write of an empty shape succeeded")
	}
}

func TestParseVariant(t *testing.T) {
	for _, v := range []synthetic.Variant{synthetic.Base, synthetic.PullRequest, synthetic.PullRequestIncompatible} {
		got, err := synthetic.ParseVariant(v.String())
		if err != nil || got != v {
			t.Errorf("ParseVariant(%q) = %v, %v; want %v", v.String(), got, err, v)
		}
	}
	if _, err := synthetic.ParseVariant("draft"); err == nil || !strings.Contains(err.Error(), "base, pr, pr-incompatible") {
		t.Errorf("ParseVariant(draft) error = %v, want the list of variants", err)
	}
}

func BenchmarkFiles(b *testing.B) {
	for _, name := range []string{"large", "xlarge"} {
		s, _ := synthetic.ShapeByName(name)
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			var bytes int
			for b.Loop() {
				files, err := synthetic.Files(s, synthetic.Base)
				if err != nil {
					b.Fatal(err)
				}
				bytes = 0
				for _, f := range files {
					bytes += len(f)
				}
			}
			b.ReportMetric(float64(bytes), "bytes/model")
		})
	}
}
