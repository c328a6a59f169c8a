package platforms

import (
	"cmp"
	"slices"

	"github.com/datasurface/datasurface-go/ecosystem"
	"github.com/datasurface/datasurface-go/graph"
)

// CategoryBinding is the category of the rules about binding declarations
// to implementations: the ecosystem's platform category.
const CategoryBinding = ecosystem.CategoryPlatform

// The rules this package emits. Platforms add their own through RuleSource.
var (
	RuleKindUnknown = ecosystem.Rule{
		ID:         "PLATFORM_KIND_UNKNOWN",
		Severity:   ecosystem.Error,
		Purpose:    "A platform declaration's kind must be registered by the program checking the model.",
		Categories: []string{CategoryBinding},
		Hint:       "use a registered kind, or register the kind in the host program (platforms.Registry.Register)",
	}
	RuleOptionInvalid = ecosystem.Rule{
		ID:         "PLATFORM_OPTION_INVALID",
		Severity:   ecosystem.Error,
		Purpose:    "A platform declaration's options must be ones its kind understands, with valid values.",
		Categories: []string{CategoryBinding},
		Hint:       "fix or remove the option; the platform kind's documentation lists its options",
	}
	RuleAcceptFailed = ecosystem.Rule{
		ID:         "PLATFORM_ACCEPT_FAILED",
		Severity:   ecosystem.Error,
		Purpose:    "A platform's acceptance check must complete; when it fails or is cancelled the pipeline counts as not accepted.",
		Categories: []string{graph.CategoryPlatform},
		Hint:       "this is a problem of the platform implementation or of the run (timeout), not of the model; report it to the platform's team",
	}
	RuleRuleInvalid = ecosystem.Rule{
		ID:         "PLATFORM_RULE_INVALID",
		Severity:   ecosystem.Error,
		Purpose:    "The rules a platform kind declares for its own findings (RuleSource) must be valid (see ecosystem.RegisterRule) and must not reuse the ID of another rule.",
		Categories: []string{ecosystem.CategoryPlatform},
		Hint:       "this is a problem of the platform implementation, not of the model; report it to the platform's team",
	}
)

// The binding and acceptance rules are in the ecosystem's one rule
// registry (the broker's are registered by package graph).
func init() { ecosystem.MustRegisterRules(own()...) }

// own lists this package's rules, sorted by ID.
func own() []ecosystem.Rule {
	return []ecosystem.Rule{RuleAcceptFailed, RuleKindUnknown, RuleOptionInvalid, RuleRuleInvalid}
}

// Rules returns every rule Bind, Broker and Accept can emit, the broker's
// included, sorted by ID. Platform-specific rules come from RulesOf.
func Rules() []ecosystem.Rule {
	out := append(own(), graph.Rules()...)
	slices.SortFunc(out, func(a, b ecosystem.Rule) int { return cmp.Compare(a.ID, b.ID) })
	return out
}

// RulesOf returns Rules plus the rules of the bound platforms that declare
// their own (RuleSource), sorted by ID, each ID once.
func RulesOf(bound map[string]Platform) []ecosystem.Rule {
	out := Rules()
	seen := map[string]bool{}
	for _, r := range out {
		seen[r.ID] = true
	}
	for _, name := range sortedKeys(bound) {
		if rs, ok := bound[name].(RuleSource); ok {
			for _, r := range rs.Rules() {
				if !seen[r.ID] {
					seen[r.ID] = true
					out = append(out, r)
				}
			}
		}
	}
	slices.SortFunc(out, func(a, b ecosystem.Rule) int { return cmp.Compare(a.ID, b.ID) })
	return out
}

// registerRules puts the rules a bound platform declares (RuleSource) into
// the ecosystem's one rule registry, so that reports describe them and
// waivers may name them like any other rule. Every platform of a kind
// declares the same rules, so one already registered is fine; a rule the
// registry refuses (invalid, or another rule's ID) is PLATFORM_RULE_INVALID
// at the declaration's kind.
func registerRules(decl *ecosystem.Platform, path string, p Platform) ecosystem.Diagnostics {
	rs, ok := p.(RuleSource)
	if !ok {
		return nil
	}
	var out ecosystem.Diagnostics
	for _, r := range rs.Rules() {
		if err := ecosystem.EnsureRule(r); err != nil {
			out = append(out, RuleRuleInvalid.New(path, decl.ArgPos("kind"),
				"platform %s (kind %q) declares a rule the registry refuses: %v", decl.Name, decl.Kind, err))
		}
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
