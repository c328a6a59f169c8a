package lint

import (
	"slices"
	"strings"
	"testing"

	"github.com/datasurface/datasurface-go/ecosystem"
)

func TestRegistry(t *testing.T) {
	rules := Rules()
	if len(rules) != len(registry) {
		t.Fatalf("Rules() returned %d rules, the registry has %d", len(rules), len(registry))
	}
	known := map[string]bool{catNaming: true, catReferences: true, catSchema: true, catClassification: true, catCapture: true,
		catLifecycle: true, catSecurity: true, catTransformers: true, catOwnership: true, catDocumentation: true, catWaivers: true}
	for i, r := range rules {
		if i > 0 && rules[i-1].ID >= r.ID {
			t.Errorf("Rules() not sorted by ID or has a repeat: %s before %s", rules[i-1].ID, r.ID)
		}
		if !ecosystem.IsRuleID(r.ID) {
			t.Errorf("rule ID %q is not SCREAMING_SNAKE", r.ID)
		}
		if r.Severity < ecosystem.Info || r.Severity > ecosystem.Error {
			t.Errorf("%s: severity %v", r.ID, r.Severity)
		}
		if !strings.HasSuffix(r.Purpose, ".") || r.Hint == "" {
			t.Errorf("%s: purpose must be a sentence and the hint set: %q / %q", r.ID, r.Purpose, r.Hint)
		}
		if len(r.Categories) == 0 {
			t.Errorf("%s has no category", r.ID)
		}
		for _, c := range r.Categories {
			if !known[c] {
				t.Errorf("%s: unknown category %q", r.ID, c)
			}
		}
		if got, ok := Lookup(r.ID); !ok || got.ID != r.ID {
			t.Errorf("Lookup(%s) = %v, %v", r.ID, got, ok)
		}
	}
	for _, e := range registry {
		if e.check == nil || e.example == "" || e.fix == "" {
			t.Errorf("%s: every rule needs a check, an example and a fix", e.rule.ID)
		}
	}
	if _, ok := Lookup("NO_SUCH_RULE"); ok {
		t.Error("Lookup found a rule that does not exist")
	}
	// Callers may change what they get without changing the registry.
	rules[0].Categories[0] = "changed"
	if Rules()[0].Categories[0] == "changed" {
		t.Error("Rules() shares its Categories with the registry")
	}
}

// TestAllProblemsInOneRun breaks the fixture in six unrelated ways; every
// one must be reported by the same Lint call.
func TestAllProblemsInOneRun(t *testing.T) {
	m := newFixture()
	column(m, "Customers", "customers", "full_name").Name = "full name"
	column(m, "Orders", "orders", "id").Nullable = true
	workspace(m, "Churn").Groups[0].Sinks[0].Store = "Nowhere"
	store(m, "Orders").Capture.Trigger.Cron = "every minute"
	store(m, "Customers").ApprovedWorkspaces = []string{"Churn"}
	m.Vendors[0].Doc = ""
	got := Lint(ecosystem.New(m))
	var ids []string
	for _, d := range got {
		ids = append(ids, d.Rule)
	}
	want := []string{"APPROVAL_MISSING", "CRON_INVALID", "KEY_COLUMN_NULLABLE", "NAME_INVALID", "SINK_UNRESOLVED", "VENDOR_UNDOCUMENTED"}
	slices.Sort(ids)
	if !slices.Equal(ids, want) {
		t.Errorf("rules fired: %v, want %v\n%s", ids, want, dump(got))
	}
	if !slices.IsSortedFunc(got, ecosystem.Diagnostic.Compare) {
		t.Errorf("findings are not sorted:\n%s", dump(got))
	}
	if got.Max() != ecosystem.Error || got.Count(ecosystem.Warning) != 1 {
		t.Errorf("max severity %v, warnings %d; want error and 1", got.Max(), got.Count(ecosystem.Warning))
	}
}

func TestOptions(t *testing.T) {
	broken := func() *ecosystem.Ecosystem {
		m := newFixture()
		column(m, "Orders", "orders", "id").Nullable = true
		m.Vendors[0].Doc = ""
		return ecosystem.New(m)
	}
	rules := func(ds ecosystem.Diagnostics) []string {
		var out []string
		for _, d := range ds {
			out = append(out, d.Rule)
		}
		return out
	}
	for _, c := range []struct {
		name string
		opts []Option
		want []string
	}{
		{"all", nil, []string{"VENDOR_UNDOCUMENTED", "KEY_COLUMN_NULLABLE"}},
		{"only one", []Option{WithRules("KEY_COLUMN_NULLABLE")}, []string{"KEY_COLUMN_NULLABLE"}},
		{"options add up", []Option{WithRules("KEY_COLUMN_NULLABLE"), WithRules("VENDOR_UNDOCUMENTED")}, []string{"VENDOR_UNDOCUMENTED", "KEY_COLUMN_NULLABLE"}},
		{"without", []Option{WithoutRules("VENDOR_UNDOCUMENTED")}, []string{"KEY_COLUMN_NULLABLE"}},
		{"without wins", []Option{WithRules("KEY_COLUMN_NULLABLE"), WithoutRules("KEY_COLUMN_NULLABLE")}, nil},
		{"unknown selects nothing", []Option{WithRules("NO_SUCH_RULE")}, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := rules(Lint(broken(), c.opts...)); !slices.Equal(got, c.want) {
				t.Errorf("got %v, want %v", got, c.want)
			}
		})
	}
}

func TestNilAndEmptyModels(t *testing.T) {
	if got := Lint(nil); got != nil {
		t.Errorf("Lint(nil) = %v", got)
	}
	// An empty model has no name and no repository; that is all that is
	// wrong with it, and nothing panics.
	got := Lint(ecosystem.New(&ecosystem.Ecosystem{}))
	var ids []string
	for _, d := range got {
		ids = append(ids, d.Rule)
	}
	if want := []string{"NAME_INVALID", "REPO_INVALID"}; !slices.Equal(ids, want) {
		t.Errorf("empty model: %v, want %v\n%s", ids, want, dump(got))
	}
}

// TestLintDoesNotChangeTheModel lints twice and expects the same findings.
func TestLintIsRepeatable(t *testing.T) {
	m := newFixture()
	column(m, "Orders", "orders", "id").Nullable = true
	ecosystem.New(m)
	a, b := Lint(m), Lint(m)
	if !slices.EqualFunc(a, b, func(x, y ecosystem.Diagnostic) bool { return x.Error() == y.Error() && x.Path == y.Path }) {
		t.Errorf("two runs differ:\n%s\n%s", dump(a), dump(b))
	}
}
