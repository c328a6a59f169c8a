package graph

import (
	"bytes"
	"context"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/tools/txtar"

	"github.com/datasurface/datasurface-go/ecosystem"
	"github.com/datasurface/datasurface-go/starlark"
)

// TestStarModels evaluates each testdata/star/*.txtar archive as a model
// (its .star files; eco.star is the entry), brokers it with every platform
// supporting everything except what the platform's options say, and compares
// the result with the archive's out/ sections: out/broker.txt (diagnostics,
// assignments, nodes with priorities, edges) and out/PLATFORM.dot. With
// -update the out/ sections are rewritten.
func TestStarModels(t *testing.T) {
	paths, err := filepath.Glob("testdata/star/*.txtar")
	if err != nil || len(paths) == 0 {
		t.Fatalf("no archives: %v", err)
	}
	for _, path := range paths {
		t.Run(strings.TrimSuffix(filepath.Base(path), ".txtar"), func(t *testing.T) {
			ar, err := txtar.ParseFile(path)
			if err != nil {
				t.Fatal(err)
			}
			fsys, err := txtar.FS(ar)
			if err != nil {
				t.Fatal(err)
			}
			m, err := starlark.Evaluate(context.Background(), fsys)
			if err != nil {
				t.Fatalf("evaluate:\n%v", err)
			}
			r := Build(m, capabilitiesFromOptions(t, m))
			got := map[string][]byte{"out/broker.txt": brokerText(t, r)}
			for _, p := range r.Pipelines {
				var b bytes.Buffer
				if err := WriteDOT(&b, p); err != nil {
					t.Fatal(err)
				}
				got["out/"+p.Platform+".dot"] = b.Bytes()
			}
			compareArchive(t, path, ar, got)
		})
	}
}

// capabilitiesFromOptions gives every declared platform every capability,
// narrowed by its options: "milestoning" (one kind), "latency" (a name),
// "captures" (capture kinds) and "locations", so archives can describe
// platforms without a platform implementation. A platform with option
// "unbound" gets none, as if its kind were not registered.
func capabilitiesFromOptions(t *testing.T, m *ecosystem.Ecosystem) map[string]Capabilities {
	out := map[string]Capabilities{}
	for _, p := range m.Platforms {
		c := everything
		if _, ok := p.Options["unbound"]; ok {
			continue
		}
		if v, ok := p.Options["milestoning"].(string); ok {
			c.Milestoning = []ecosystem.Milestoning{ecosystem.Milestoning(v)}
		}
		if v, ok := p.Options["latency"].(string); ok {
			l, ok := ecosystem.ParseLatency(v)
			if !ok {
				t.Fatalf("platform %s: bad latency %q", p.Name, v)
			}
			c.Latency = l
		}
		if v, ok := p.Options["captures"].([]any); ok {
			c.CaptureKinds = nil
			for _, k := range v {
				c.CaptureKinds = append(c.CaptureKinds, ecosystem.CaptureKind(k.(string)))
			}
		}
		if v, ok := p.Options["locations"].([]any); ok {
			for _, l := range v {
				c.Locations = append(c.Locations, l.(string))
			}
		}
		out[p.Name] = c
	}
	return out
}

// brokerText renders what the broker decided in a stable text form.
func brokerText(t *testing.T, r *Result) []byte {
	var b bytes.Buffer
	b.WriteString("== diagnostics\n")
	for _, d := range r.Diagnostics {
		fmt.Fprintf(&b, "%s\n", d.Error())
	}
	b.WriteString("== assignments\n")
	for _, g := range r.Assignments.Groups {
		var served []string
		for _, s := range g.Served {
			served = append(served, s.Platform+" ("+string(s.Status)+")")
		}
		fmt.Fprintf(&b, "%s.%s: %s -> %s\n", g.Workspace, g.Group, g.Basis, strings.Join(served, ", "))
		for _, c := range g.Candidates {
			if !c.Chosen && len(c.Unmet) > 0 {
				fmt.Fprintf(&b, "  %s: %s\n", c.Platform, strings.Join(c.Unmet, "; "))
			}
		}
	}
	for _, p := range r.Pipelines {
		fmt.Fprintf(&b, "== pipeline %s\n", p.Platform)
		for _, n := range p.Nodes {
			fmt.Fprintf(&b, "  %s [%s]\n", n.ID, n.Priority)
		}
		for _, e := range p.Edges {
			fmt.Fprintf(&b, "  %s\n", e)
		}
	}
	return b.Bytes()
}

// compareArchive compares the out/ sections with got, or rewrites them.
func compareArchive(t *testing.T, path string, ar *txtar.Archive, got map[string][]byte) {
	t.Helper()
	if *update {
		var files []txtar.File
		for _, f := range ar.Files {
			if !strings.HasPrefix(f.Name, "out/") {
				files = append(files, f)
			}
		}
		for _, name := range sortedKeys(got) {
			files = append(files, txtar.File{Name: name, Data: got[name]})
		}
		ar.Files = files
		if err := os.WriteFile(path, txtar.Format(ar), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want := map[string][]byte{}
	for _, f := range ar.Files {
		if strings.HasPrefix(f.Name, "out/") {
			want[f.Name] = f.Data
		}
	}
	for _, name := range sortedKeys(got) {
		if diff := cmp.Diff(string(want[name]), string(got[name])); diff != "" {
			t.Errorf("%s: %s differs (-want +got; go test -update accepts it):\n%s", path, name, diff)
		}
	}
	for name := range want {
		if _, ok := got[name]; !ok {
			t.Errorf("%s: %s is no longer produced (go test -update removes it)", path, name)
		}
	}
}

func sortedKeys[V any](m map[string]V) []string {
	return slices.Sorted(maps.Keys(m))
}
