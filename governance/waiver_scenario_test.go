package governance_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/tools/txtar"

	"github.com/datasurface/datasurface-go/ecosystem"
	"github.com/datasurface/datasurface-go/governance"
	"github.com/datasurface/datasurface-go/governance/gitfs"
	"github.com/datasurface/datasurface-go/governance/gitfs/gittest"
)

// TestWaiverScenarios runs testdata/waivers/*.txtar: the model files are
// committed to an in-memory git repository and checked as the first model
// from the ecosystem's repository, with the clock at 2026-06-15; the "want"
// file lists every finding as SEVERITY RULE PATH (- for the ecosystem
// itself), plus " waived" when a waiver covers it, in report order.
func TestWaiverScenarios(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "waivers", "*.txtar"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no scenarios: %v", err)
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txtar"), func(t *testing.T) {
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			model := map[string][]byte{}
			var want string
			for _, f := range txtar.Parse(data).Files {
				if f.Name == "want" {
					want = string(f.Data)
				} else {
					model[f.Name] = f.Data
				}
			}
			b := gittest.InMemory()
			if _, err := b.Commit("main", model); err != nil {
				t.Fatal(err)
			}
			head, err := gitfs.New(b.Repo).FS("main")
			if err != nil {
				t.Fatal(err)
			}
			now := time.Date(2026, time.June, 15, 23, 59, 59, 0, time.UTC)
			res, err := governance.CheckFS(context.Background(), nil, head, ecosystem.Repo{Name: "github.com/acme/eco", Branch: "main"}, governance.WithNow(now))
			if err != nil {
				t.Fatal(err)
			}
			var got strings.Builder
			for _, d := range res.Diagnostics {
				path := d.Path
				if path == "" {
					path = "-" // the ecosystem itself
				}
				fmt.Fprintf(&got, "%s %s %s", d.Severity, d.Rule, path)
				if d.Waived != nil {
					got.WriteString(" waived")
				}
				got.WriteString("\n")
			}
			if got.String() != want {
				t.Errorf("got:\n%s\nwant:\n%s\nfindings:\n%v", got.String(), want, ecosystem.DiagnosticsError(res.Diagnostics))
			}
		})
	}
}
