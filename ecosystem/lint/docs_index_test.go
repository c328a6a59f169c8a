package lint_test

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/datasurface/datasurface-go/ecosystem"
	"github.com/datasurface/datasurface-go/ecosystem/lint"
	"github.com/datasurface/datasurface-go/governance"
	"github.com/datasurface/datasurface-go/platforms"
	"github.com/datasurface/datasurface-go/starlark"
)

// TestRulesDoc keeps docs/RULES.md generated from the registry: the lint
// rules in detail, then the category vocabulary and an index of every rule
// of every package. It lives here, outside package lint, because the index
// needs the packages that import lint (governance, platforms).
//
//	go test ./ecosystem/lint -run TestRulesDoc -update
func TestRulesDoc(t *testing.T) {
	var b bytes.Buffer
	b.Write(lint.RenderLintRulesDoc())
	b.WriteString(renderCategories())
	b.WriteString(renderRuleIndex(t))
	lint.CheckGolden(t, lint.RulesDocPath, b.Bytes())
}

// renderCategories writes the category vocabulary with what each word
// covers and how many rules use it.
func renderCategories() string {
	count := map[string]int{}
	for _, r := range indexedRules() {
		for _, c := range r.Categories {
			count[c]++
		}
	}
	var b strings.Builder
	b.WriteString(`
## Categories

Every rule names one or more categories from one vocabulary
(` + "`ecosystem.Categories()`" + `, constants ` + "`ecosystem.Category...`" + `). Reports use them to
select and group rules, SARIF shows them as each rule's ` + "`properties.tags`" + `, and
registering a rule with any other word (including another spelling, such as
` + "`SCHEMA`" + `) fails.

| Category | Rules | What its rules are about |
|---|---|---|
`)
	for _, c := range ecosystem.Categories() {
		fmt.Fprintf(&b, "| `%s` | %d | %s |\n", c, count[c], ecosystem.CategoryDescription(c))
	}
	return b.String()
}

// indexedRules returns every rule of every package of the library, sorted
// by ID: the registry as a program linking them all has it before any
// platform is bound or host rule registered.
func indexedRules() []ecosystem.Rule {
	all := slices.Concat(governance.Rules(), platforms.Rules())
	slices.SortFunc(all, func(a, b ecosystem.Rule) int { return strings.Compare(a.ID, b.ID) })
	return slices.CompactFunc(all, func(a, b ecosystem.Rule) bool { return a.ID == b.ID })
}

// renderRuleIndex writes one line per rule, with the document that
// explains its stage.
func renderRuleIndex(t *testing.T) string {
	docOf := map[string]string{}
	for _, set := range []struct {
		rules []ecosystem.Rule
		doc   string
	}{
		{starlark.Rules(), "[LANGUAGE.md](LANGUAGE.md#errors)"},
		{governance.AuthorizationRules(), "[CHECK.md](CHECK.md#rules)"},
		{governance.WaiverRules(), "[CHECK.md](CHECK.md#waivers)"},
		{governance.CompatibilityRules(), "[COMPATIBILITY.md](COMPATIBILITY.md#rules)"},
		{governance.PolicyRules(), "[COMPATIBILITY.md](COMPATIBILITY.md#zone-policies)"},
		{platforms.Rules(), "[BROKER.md](BROKER.md#rules)"},
	} {
		for _, r := range set.rules {
			docOf[r.ID] = set.doc
		}
	}
	for _, r := range lint.Rules() {
		docOf[r.ID] = fmt.Sprintf("[below](#%s)", strings.ToLower(r.ID))
	}
	var b strings.Builder
	b.WriteString(`
## Every rule

Every rule any stage reports, lint's and the others', is in one registry,
` + "`ecosystem.AllRules()`" + `, which SARIF reports describe. A host program adds its own
lint rules with ` + "`lint.Register`" + `, and a platform kind's own rules join when a
platform of that kind is bound (` + "`platforms.RuleSource`" + `); they are not listed here.
The ` + "`TYPE_*`" + ` rules are the reasons a ` + "`COMPAT_TYPE_CHANGED`" + ` finding quotes
([TYPES.md](TYPES.md#rule-ids)), not findings of their own.

| ID | Severity | Categories | Documented in | Purpose |
|---|---|---|---|---|
`)
	for _, r := range indexedRules() {
		doc := docOf[r.ID]
		if strings.HasPrefix(r.ID, "TYPE_") {
			doc = "[TYPES.md](TYPES.md#rule-ids)"
		}
		if doc == "" {
			t.Errorf("rule %s: no document is known to explain it", r.ID)
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s | %s |\n", r.ID, r.Severity, strings.Join(r.Categories, ", "), doc, r.Purpose)
	}
	return b.String()
}
