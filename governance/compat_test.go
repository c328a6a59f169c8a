package governance

import (
	"github.com/datasurface/datasurface-go/internal/diagtest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/datasurface/datasurface-go/ecosystem"
)

// TestCompatibilityFixtures runs every fixture under testdata/compat/<RULE_ID>/
// in both directions: previous to current (the "want:" expectations) and
// current to previous ("want-reverse:"). Running both is what catches a
// check whose direction is reversed, the reference implementation's worst
// bug: the widening fixtures expect no finding one way and a finding the
// other.
func TestCompatibilityFixtures(t *testing.T) {
	lib, err := os.ReadFile(filepath.Join("testdata", "compat", "lib.star"))
	if err != nil {
		t.Fatal(err)
	}
	for rule, files := range fixtureFiles(t, filepath.Join("testdata", "compat")) {
		for _, file := range files {
			name := rule + "/" + strings.TrimSuffix(filepath.Base(file), ".txtar")
			t.Run(name, func(t *testing.T) {
				f := loadFixture(t, file, map[string][]byte{"lib.star": lib})
				previous := f.evaluate(t, "previous/eco.star")
				current := f.evaluate(t, "current/eco.star")
				t.Run("forward", func(t *testing.T) {
					got := Compatibility(previous, current)
					checkCompatInvariants(t, got)
					f.check(t, "want", got)
				})
				t.Run("reverse", func(t *testing.T) {
					got := Compatibility(current, previous)
					checkCompatInvariants(t, got)
					f.check(t, "want-reverse", got)
				})
			})
		}
	}
}

// checkCompatInvariants checks what every compatibility finding must carry:
// a registered rule, a model path, a position, and the consumers.
func checkCompatInvariants(t *testing.T, ds ecosystem.Diagnostics) {
	t.Helper()
	known := map[string]bool{}
	for _, r := range CompatibilityRules() {
		known[r.ID] = true
	}
	for _, d := range ds {
		if !known[d.Rule] {
			t.Errorf("finding of unregistered rule %s", d.Rule)
		}
		if d.Path == "" || !d.Pos.IsValid() || d.Hint == "" || d.Severity != ecosystem.Error {
			t.Errorf("finding lacks path, position, hint or severity: %+v", d)
		}
		if !strings.Contains(d.Message, "consume") && !strings.Contains(d.Message, " use") {
			t.Errorf("finding does not list its consumers: %s", d.Message)
		}
	}
	if !slices.IsSortedFunc(ds, ecosystem.Diagnostic.Compare) {
		t.Errorf("findings are not sorted")
	}
}

// TestCompatibilityFixturesCoverEveryRule holds the fixtures to the bufbuild
// discipline: each registered rule has a folder; in it, at least one
// expectation of the rule (a failing pair) and at least one run in which the
// rule does not fire (the reversed or allowed pair); and no folder names an
// unregistered rule. TestCompatibilityFixtures makes the expectations true.
func TestCompatibilityFixturesCoverEveryRule(t *testing.T) {
	folders := fixtureFiles(t, filepath.Join("testdata", "compat"))
	rules := map[string]bool{}
	for _, r := range CompatibilityRules() {
		rules[r.ID] = true
		files := folders[r.ID]
		if len(files) == 0 {
			t.Errorf("rule %s has no fixtures in testdata/compat/%s/", r.ID, r.ID)
			continue
		}
		fires, quiet := false, false
		for _, file := range files {
			f := loadFixture(t, file, nil)
			for _, kind := range []string{"want", "want-reverse"} {
				n := 0
				for _, w := range diagtest.OfKind(f.wants, kind) {
					if w.Rule == r.ID {
						n++
					}
				}
				fires = fires || n > 0
				quiet = quiet || n == 0
			}
		}
		if !fires {
			t.Errorf("rule %s: no fixture expects it to fire", r.ID)
		}
		if !quiet {
			t.Errorf("rule %s: no fixture run expects it not to fire", r.ID)
		}
	}
	for folder := range folders {
		if !rules[folder] {
			t.Errorf("testdata/compat/%s/ names no registered rule", folder)
		}
	}
}

// TestCompatibilityRules checks the registry: IDs unique, sorted and in
// SCREAMING_SNAKE with the COMPAT_ prefix, each with a purpose, a hint and
// at least one mode.
func TestCompatibilityRules(t *testing.T) {
	rules := CompatibilityRules()
	if len(rules) != len(compatRules) {
		t.Fatalf("CompatibilityRules returned %d rules, registry has %d", len(rules), len(compatRules))
	}
	for i, r := range rules {
		if i > 0 && rules[i-1].ID >= r.ID {
			t.Errorf("rules not sorted or duplicated at %s", r.ID)
		}
		if !strings.HasPrefix(r.ID, "COMPAT_") || strings.ToUpper(r.ID) != r.ID {
			t.Errorf("rule ID %q is not COMPAT_SCREAMING_SNAKE", r.ID)
		}
		if r.Purpose == "" || r.Hint == "" || r.Severity != ecosystem.Error {
			t.Errorf("rule %s lacks purpose, hint or error severity", r.ID)
		}
		modes := 0
		for _, c := range r.Categories {
			if slices.Contains([]string{ecosystem.CategoryModeBackward, ecosystem.CategoryModeForward, ecosystem.CategoryModeFull}, c) {
				modes++
			}
		}
		if modes == 0 {
			t.Errorf("rule %s applies in no mode", r.ID)
		}
	}
}
