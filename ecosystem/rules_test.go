package ecosystem_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/datasurface/datasurface-go/ecosystem"
)

// testRule returns a valid rule with the given ID.
func testRule(id string) ecosystem.Rule {
	return ecosystem.Rule{ID: id, Severity: ecosystem.Warning, Purpose: "p", Hint: "h",
		Categories: []string{ecosystem.CategoryNaming, ecosystem.CategorySchema}}
}

func TestCategoryVocabulary(t *testing.T) {
	cats := ecosystem.Categories()
	if !slices.IsSorted(cats) {
		t.Errorf("Categories() is not sorted: %v", cats)
	}
	for _, c := range cats {
		if c == "" || strings.ToLower(c) != c || strings.ContainsAny(c, " -_/") {
			t.Errorf("category %q: want one lower-case word", c)
		}
		if ecosystem.CategoryDescription(c) == "" {
			t.Errorf("category %q has no description", c)
		}
	}
	// The spellings the vocabulary replaced are not words of it.
	for _, c := range []string{"SCHEMA", "Schema", "platform-binding", "binding", ""} {
		if ecosystem.IsCategory(c) || ecosystem.CategoryDescription(c) != "" {
			t.Errorf("%q is accepted as a category", c)
		}
	}
	for _, c := range []string{ecosystem.CategoryPlatform, ecosystem.CategorySchema, ecosystem.CategoryModeFull} {
		if !ecosystem.IsCategory(c) {
			t.Errorf("constant %q is not in the vocabulary", c)
		}
	}
}

func TestIsRuleID(t *testing.T) {
	for id, want := range map[string]bool{
		"NAME_INVALID": true, "A": true, "X9_Y": true,
		"": false, "name_invalid": false, "_NAME": false, "9A": false, "NAME-INVALID": false, "NAME INVALID": false, "NAMÉ": false,
	} {
		if got := ecosystem.IsRuleID(id); got != want {
			t.Errorf("IsRuleID(%q) = %v, want %v", id, got, want)
		}
	}
}

func TestValidateRuleRefuses(t *testing.T) {
	for _, tc := range []struct {
		name string
		edit func(*ecosystem.Rule)
		want string
	}{
		{"lower-case ID", func(r *ecosystem.Rule) { r.ID = "acme_rule" }, "want SCREAMING_SNAKE"},
		{"no severity", func(r *ecosystem.Rule) { r.Severity = 0 }, "unknown severity"},
		{"blank purpose", func(r *ecosystem.Rule) { r.Purpose = "  " }, "has no purpose"},
		{"no hint", func(r *ecosystem.Rule) { r.Hint = "" }, "has no hint"},
		{"multi-line hint", func(r *ecosystem.Rule) { r.Hint = "a\nb" }, "one line each"},
		{"no category", func(r *ecosystem.Rule) { r.Categories = nil }, "names no category"},
		{"upper-case category", func(r *ecosystem.Rule) { r.Categories = []string{"SCHEMA"} }, `category "SCHEMA" is not in the vocabulary (did you mean "schema"?)`},
		{"old platform spelling", func(r *ecosystem.Rule) { r.Categories = []string{"platform-binding"} }, `category "platform-binding" is not in the vocabulary`},
		{"repeated category", func(r *ecosystem.Rule) { r.Categories = []string{"schema", "schema"} }, `names category "schema" twice`},
	} {
		r := testRule("TEST_VALIDATE")
		tc.edit(&r)
		err := ecosystem.ValidateRule(r)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: ValidateRule = %v, want an error containing %q", tc.name, err, tc.want)
			continue
		}
		if ecosystem.RegisterRule(r) == nil || ecosystem.EnsureRule(r) == nil {
			t.Errorf("%s: registered", tc.name)
		}
		if _, ok := ecosystem.LookupRule(r.ID); ok {
			t.Errorf("%s: a refused rule is in the registry", tc.name)
		}
	}
	if err := ecosystem.ValidateRule(testRule("TEST_VALIDATE")); err != nil {
		t.Errorf("a valid rule: %v", err)
	}
}

func TestRegisterRule(t *testing.T) {
	for _, id := range []string{"TEST_REGISTER_B", "TEST_REGISTER_A"} {
		if err := ecosystem.RegisterRule(testRule(id)); err != nil {
			t.Fatal(err)
		}
	}
	again := testRule("TEST_REGISTER_A")
	if err := ecosystem.RegisterRule(again); err == nil || !strings.Contains(err.Error(), "already registered") {
		t.Errorf("registering an ID twice: %v, want refused", err)
	}
	got, ok := ecosystem.LookupRule("TEST_REGISTER_A")
	if !ok || got.Purpose != "p" || !slices.Equal(got.Categories, []string{"naming", "schema"}) {
		t.Fatalf("LookupRule = %+v, %v", got, ok)
	}
	got.Categories[0] = "changed"
	if again, _ := ecosystem.LookupRule("TEST_REGISTER_A"); again.Categories[0] != "naming" {
		t.Error("LookupRule returns the registry's own Categories slice")
	}
	all := ecosystem.AllRules()
	if !slices.IsSortedFunc(all, func(a, b ecosystem.Rule) int { return strings.Compare(a.ID, b.ID) }) {
		t.Error("AllRules is not sorted by ID")
	}
	ids := ecosystem.RuleIDs()
	if !slices.Contains(ids, "TEST_REGISTER_A") || !slices.Contains(ids, "TEST_REGISTER_B") || len(ids) != len(all) {
		t.Errorf("RuleIDs = %v", ids)
	}
	if _, ok := ecosystem.LookupRule("TEST_NOT_REGISTERED"); ok {
		t.Error("LookupRule finds an unregistered ID")
	}
}

func TestEnsureRule(t *testing.T) {
	r := testRule("TEST_ENSURE")
	for range 2 {
		if err := ecosystem.EnsureRule(r); err != nil {
			t.Fatalf("EnsureRule of the same rule: %v", err)
		}
	}
	other := r
	other.Purpose = "something else"
	if err := ecosystem.EnsureRule(other); err == nil {
		t.Error("EnsureRule accepted another rule with a registered ID")
	}
	other = r
	other.Categories = []string{ecosystem.CategorySchema, ecosystem.CategoryNaming}
	if err := ecosystem.EnsureRule(other); err == nil {
		t.Error("EnsureRule accepted the same ID with its categories in another order")
	}
	if err := ecosystem.RegisterRule(r); err == nil {
		t.Error("RegisterRule accepted an ID EnsureRule registered")
	}
	if got, _ := ecosystem.LookupRule("TEST_ENSURE"); got.Purpose != "p" {
		t.Errorf("the first registration was replaced: %+v", got)
	}
}
