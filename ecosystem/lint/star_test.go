package lint

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/datasurface/datasurface-go/ecosystem"
	"github.com/datasurface/datasurface-go/starlark"
)

// The data-driven tests: each testdata/rules/RULE_ID.star is a model,
// evaluated as eco.star with testdata/lib.star beside it, whose offending
// lines end in "# want: RULE_ID [RULE_ID...]"; an ID may be followed by a
// quoted text the message must contain ("# want: RULE_ID "a -> b"").
// Lint must report exactly those rules on exactly those lines: a missing or
// an extra finding fails.

// wantComment matches an expectation comment; wantItem each expectation in it.
var (
	wantComment = regexp.MustCompile(`#\s*want:\s*(.*)$`)
	wantItem    = regexp.MustCompile(`([A-Z][A-Z0-9_]*)(?:\s+"((?:[^"\\]|\\.)*)")?`)
)

// starWant is one expected finding: where ("file:line RULE") and, optionally,
// text its message contains.
type starWant struct{ key, text string }

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

// expectations reads the "# want:" comments of a file.
func expectations(file, src string) []starWant {
	var out []starWant
	for i, line := range strings.Split(src, "\n") {
		m := wantComment.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		for _, item := range wantItem.FindAllStringSubmatch(m[1], -1) {
			text, _ := strconv.Unquote(`"` + item[2] + `"`)
			out = append(out, starWant{key: fmt.Sprintf("%s:%d %s", file, i+1, item[1]), text: text})
		}
	}
	return out
}

// matchFindings pairs each expectation with its own finding and returns the
// expectations left unmatched and the findings left over.
func matchFindings(want []starWant, got ecosystem.Diagnostics) (missing, extra []string) {
	used := make([]bool, len(got))
	key := func(d ecosystem.Diagnostic) string { return fmt.Sprintf("%s:%d %s", d.Pos.File, d.Pos.Line, d.Rule) }
	for _, w := range want {
		found := false
		for i, d := range got {
			if !used[i] && key(d) == w.key && strings.Contains(d.Message, w.text) {
				used[i], found = true, true
				break
			}
		}
		if !found {
			missing = append(missing, strings.TrimSpace(w.key+" "+strconv.Quote(w.text)))
		}
	}
	for i, d := range got {
		if !used[i] {
			extra = append(extra, key(d)+": "+d.Message)
		}
	}
	return missing, extra
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
			want := append(expectations("eco.star", string(src)), expectations("lib.star", string(lib))...)
			if !slices.ContainsFunc(want, func(w starWant) bool { return strings.HasSuffix(w.key, " "+id) }) {
				t.Errorf("%s expects no %s finding; each rule file must show its rule firing", path, id)
			}
			got := Lint(m)
			missing, extra := matchFindings(want, got)
			for _, miss := range missing {
				t.Errorf("missing finding %s", strings.Replace(miss, "eco.star", path, 1))
			}
			for _, x := range extra {
				t.Errorf("unexpected finding %s", strings.Replace(x, "eco.star", path, 1))
			}
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
