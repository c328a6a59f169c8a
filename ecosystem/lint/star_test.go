package lint

import (
	"context"
	"errors"
	"github.com/datasurface/datasurface-go/internal/diagtest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/datasurface/datasurface-go/ecosystem"
	"github.com/datasurface/datasurface-go/starlark"
)

// The data-driven tests: each testdata/rules/RULE_ID.star is a model,
// evaluated as eco.star with testdata/lib.star beside it, whose offending
// lines end in "# want: RULE_ID [RULE_ID...]"; an ID may be followed by a
// quoted regular expression the message must match ("# want: RULE_ID "a -> b"");
// see internal/diagtest.
// Lint must report exactly those rules on exactly those lines: a missing or
// an extra finding fails.

// notInStarlark lists the rules no .star model can trigger, because the
// language already refuses what they look for; TestStarExemptions checks
// that it does. Their Go-built cases are in rules_test.go.
var notInStarlark = map[string]string{
	"COLUMN_TYPE_MISSING":    `x = column("c")`,
	"CAPTURE_SOURCE_MISSING": `x = sql_snapshot(trigger = cron("* * * * *"))`,
}

func evalStar(t *testing.T, files map[string]string) (*ecosystem.Ecosystem, error) {
	t.Helper()
	fsys := fstest.MapFS{}
	for name, data := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(data)}
	}
	return starlark.Evaluate(context.Background(), fsys)
}

func TestStarRules(t *testing.T) {
	lib, err := os.ReadFile(filepath.Join("testdata", "lib.star"))
	if err != nil {
		t.Fatal(err)
	}
	paths, err := filepath.Glob(filepath.Join("testdata", "rules", "*.star"))
	if err != nil {
		t.Fatal(err)
	}
	covered := map[string]bool{}
	for _, path := range paths {
		id := strings.TrimSuffix(filepath.Base(path), ".star")
		covered[id] = true
		t.Run(id, func(t *testing.T) {
			if _, ok := Lookup(id); !ok {
				t.Fatalf("%s is named after no registered rule", path)
			}
			src, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			m, err := evalStar(t, map[string]string{"eco.star": string(src), "lib.star": string(lib)})
			if err != nil {
				t.Fatalf("%s does not evaluate: %v", path, err)
			}
			wantEco, err := diagtest.Parse("eco.star", src)
			if err != nil {
				t.Fatal(err)
			}
			wantLib, err := diagtest.Parse("lib.star", lib)
			if err != nil {
				t.Fatal(err)
			}
			want := append(wantEco, wantLib...)
			if !slices.Contains(diagtest.Rules(want), id) {
				t.Errorf("%s expects no %s finding; each rule file must show its rule firing", path, id)
			}
			got := Lint(m)
			diagtest.Check(t, want, got)
			if t.Failed() {
				t.Logf("findings:\n%s", dump(got))
			}
		})
	}
	for _, r := range Rules() {
		if _, exempt := notInStarlark[r.ID]; !covered[r.ID] && !exempt {
			t.Errorf("rule %s has no testdata/rules/%s.star", r.ID, r.ID)
		}
	}
}

// TestStarExemptions checks that the language refuses what the rules
// without a .star test look for, which is why they have none.
func TestStarExemptions(t *testing.T) {
	for id, snippet := range notInStarlark {
		_, err := evalStar(t, map[string]string{"eco.star": snippet + "\necosystem(name = \"A\", repo = repo(\"r\"), live_repo = repo(\"r\", branch = \"live\"))\n"})
		var diags ecosystem.DiagnosticsError
		if !errors.As(err, &diags) {
			t.Errorf("%s is exempt from .star tests, but the language accepts %s (error %v)", id, snippet, err)
		}
	}
}
