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

// TestPolicyFixtures evaluates every fixture under testdata/policy/<RULE_ID>/
// (an eco.star loading the shared lib.star) and checks Policies against its
// "want:" expectations: every expected violation at its line, and nothing
// else.
func TestPolicyFixtures(t *testing.T) {
	lib, err := os.ReadFile(filepath.Join("testdata", "policy", "lib.star"))
	if err != nil {
		t.Fatal(err)
	}
	for rule, files := range fixtureFiles(t, filepath.Join("testdata", "policy")) {
		for _, file := range files {
			name := rule + "/" + strings.TrimSuffix(filepath.Base(file), ".txtar")
			t.Run(name, func(t *testing.T) {
				f := loadFixture(t, file, map[string][]byte{"lib.star": lib})
				got := Policies(f.evaluate(t, "eco.star"))
				checkPolicyInvariants(t, got)
				f.check(t, "want", got)
			})
		}
	}
}

// checkPolicyInvariants checks what every policy finding must carry: a
// registered rule, a model path, a position, the zone and policy in the
// message, and the policy's position as Related.
func checkPolicyInvariants(t *testing.T, ds ecosystem.Diagnostics) {
	t.Helper()
	known := map[string]bool{}
	for _, r := range PolicyRules() {
		known[r.ID] = true
	}
	for _, d := range ds {
		if !known[d.Rule] {
			t.Errorf("finding of unregistered rule %s", d.Rule)
		}
		if d.Path == "" || !d.Pos.IsValid() || d.Hint == "" || d.Severity != ecosystem.Error {
			t.Errorf("finding lacks path, position, hint or severity: %+v", d)
		}
		if !strings.HasPrefix(d.Message, "zone ") || !strings.Contains(d.Message, " policy ") ||
			(!strings.Contains(d.Message, "allowed: ") && !strings.Contains(d.Message, "denied: ")) {
			t.Errorf("message does not name zone, policy and the allowed set: %s", d.Message)
		}
		if len(d.Related) != 1 || !d.Related[0].Pos.IsValid() || !strings.Contains(d.Related[0].Message, "policy") {
			t.Errorf("finding does not relate to its policy: %+v", d.Related)
		}
	}
	if !slices.IsSortedFunc(ds, ecosystem.Diagnostic.Compare) {
		t.Errorf("findings are not sorted")
	}
}

// TestPolicyFixturesCoverEveryRule checks that each policy rule has a folder
// holding a fixture where it fires and one where it does not (the allowed
// case), and that no folder names an unregistered rule.
func TestPolicyFixturesCoverEveryRule(t *testing.T) {
	folders := fixtureFiles(t, filepath.Join("testdata", "policy"))
	rules := map[string]bool{}
	for _, r := range PolicyRules() {
		rules[r.ID] = true
		fires, quiet := false, false
		for _, file := range folders[r.ID] {
			n := 0
			for _, w := range diagtest.OfKind(loadFixture(t, file, nil).wants, "want") {
				if w.Rule == r.ID {
					n++
				}
			}
			fires = fires || n > 0
			quiet = quiet || n == 0
		}
		if !fires || !quiet {
			t.Errorf("rule %s: testdata/policy/%s/ needs a fixture where it fires (%v) and one where it does not (%v)", r.ID, r.ID, fires, quiet)
		}
	}
	for folder := range folders {
		if !rules[folder] {
			t.Errorf("testdata/policy/%s/ names no registered rule", folder)
		}
	}
}

// TestPolicyRules checks the registry: one rule per policy kind, sorted, with
// the POLICY_ prefix, a purpose and a hint.
func TestPolicyRules(t *testing.T) {
	rules := PolicyRules()
	kinds := []ecosystem.PolicyKind{ecosystem.VendorPolicy, ecosystem.CloudPolicy, ecosystem.LocationPolicy,
		ecosystem.PlatformPolicy, ecosystem.ClassificationPolicy, ecosystem.StoragePolicy}
	if len(rules) != len(kinds) {
		t.Fatalf("PolicyRules returned %d rules, want one per kind (%d)", len(rules), len(kinds))
	}
	for _, k := range kinds {
		r, ok := policyRuleOf[k]
		if !ok || !slices.ContainsFunc(rules, func(x ecosystem.Rule) bool { return x.ID == r.ID }) {
			t.Errorf("policy kind %s has no registered rule", k)
		}
	}
	for i, r := range rules {
		if i > 0 && rules[i-1].ID >= r.ID {
			t.Errorf("rules not sorted or duplicated at %s", r.ID)
		}
		if !strings.HasPrefix(r.ID, "POLICY_") || r.Purpose == "" || r.Hint == "" || r.Severity != ecosystem.Error {
			t.Errorf("rule %+v lacks the POLICY_ prefix, a purpose, a hint or error severity", r)
		}
	}
}

// TestClassificationVerdict pins how classification entries match labels:
// by canonical form (case, surrounding blanks, look-alike letters), on both
// the deny and the allow side, and never across distinct labels.
func TestClassificationVerdict(t *testing.T) {
	deny := &ecosystem.Policy{Kind: ecosystem.ClassificationPolicy, Deny: []string{"mnpi"}}
	allow := &ecosystem.Policy{Kind: ecosystem.ClassificationPolicy, Allow: []string{"Public"}}
	for _, tc := range []struct {
		p     *ecosystem.Policy
		label string
		ok    bool
	}{
		{deny, "mnpi", false},
		{deny, "MNPI", false},
		{deny, "mnpi ", false},
		{deny, "\tMnPi", false},
		{deny, "mn\u0440i", false},                // Cyrillic er
		{deny, "\uff4d\uff4e\uff50\uff49", false}, // fullwidth
		{deny, "mnpi2", true},
		{deny, "mn pi", true}, // an inner blank makes another label (mn_pi)
		{allow, "public", true},
		{allow, "PUBLIC ", true},
		{allow, "publik", false},
	} {
		if ok, _ := policyVerdict(tc.p, tc.label, classificationEntry); ok != tc.ok {
			t.Errorf("policy %v/%v on %q: allowed = %v, want %v", tc.p.Allow, tc.p.Deny, tc.label, ok, tc.ok)
		}
	}
}
