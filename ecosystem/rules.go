package ecosystem

import (
	"cmp"
	"fmt"
	"slices"
	"sync"
)

// The rule categories: one vocabulary for every rule of every package (and
// of the host's own rules), used to select and document rules and shown as
// SARIF tags. A rule names one or more; RegisterRule refuses any other word.
const (
	CategoryAssignment     = "assignment"     // which platform serves a dataset group
	CategoryAuthorization  = "authorization"  // who may change which part of the model
	CategoryCapture        = "capture"        // how a datastore is captured
	CategoryClassification = "classification" // classifications of data
	CategoryCompatibility  = "compatibility"  // schema changes between two models
	CategoryDocumentation  = "documentation"  // docs the model must carry
	CategoryEvaluation     = "evaluation"     // turning .star files into a model
	CategoryLifecycle      = "lifecycle"      // deprecation, removal, declaration of parts
	CategoryLoad           = "load"           // the file tree load() reads
	CategoryNaming         = "naming"         // names and identifiers
	CategoryOwnership      = "ownership"      // owning repositories
	CategoryPipeline       = "pipeline"       // the shape of a platform's pipeline graph
	CategoryPlatform       = "platform"       // platforms: binding, capabilities, acceptance
	CategoryPolicy         = "policy"         // a zone's governance policies
	CategoryReferences     = "references"     // references between objects resolve
	CategorySchema         = "schema"         // columns, keys, types
	CategorySecurity       = "security"       // controls that keep data where it may be
	CategoryTransformers   = "transformers"   // transformers and their outputs
	CategoryWaivers        = "waivers"        // waivers of findings
	// The compatibility modes a compatibility rule is enforced in.
	CategoryModeBackward = "backward"
	CategoryModeForward  = "forward"
	CategoryModeFull     = "full"
)

var categories = []string{
	CategoryAssignment, CategoryAuthorization, CategoryCapture, CategoryClassification,
	CategoryCompatibility, CategoryDocumentation, CategoryEvaluation, CategoryLifecycle,
	CategoryLoad, CategoryNaming, CategoryOwnership, CategoryPipeline, CategoryPlatform,
	CategoryPolicy, CategoryReferences, CategorySchema, CategorySecurity, CategoryTransformers,
	CategoryWaivers, CategoryModeBackward, CategoryModeForward, CategoryModeFull,
}

// Categories returns the category vocabulary, sorted.
func Categories() []string {
	out := slices.Clone(categories)
	slices.Sort(out)
	return out
}

// IsCategory reports whether c is a word of the category vocabulary.
func IsCategory(c string) bool { return slices.Contains(categories, c) }

// ruleRegistry holds every rule the program can report: each package
// registers its own when it is initialised, and a host registers its own
// rules (see lint.Register). IDs are unique across all of them.
var ruleRegistry struct {
	mu   sync.RWMutex
	byID map[string]Rule
}

// RegisterRule adds a rule to the registry. It refuses a rule whose ID is
// not SCREAMING_SNAKE or is already registered, whose severity is unknown,
// that has no purpose or no hint, or that names no category or one outside
// the vocabulary (see Categories).
func RegisterRule(r Rule) error {
	if err := ValidateRule(r); err != nil {
		return err
	}
	ruleRegistry.mu.Lock()
	defer ruleRegistry.mu.Unlock()
	if ruleRegistry.byID == nil {
		ruleRegistry.byID = map[string]Rule{}
	}
	if _, dup := ruleRegistry.byID[r.ID]; dup {
		return fmt.Errorf("rule %s is already registered: rule IDs are unique across every package and the host", r.ID)
	}
	r.Categories = slices.Clone(r.Categories)
	ruleRegistry.byID[r.ID] = r
	return nil
}

// MustRegisterRules registers rules from a package's initialisation, where
// a bad rule is a programming error: it panics with RegisterRule's error.
func MustRegisterRules(rules ...Rule) {
	for _, r := range rules {
		if err := RegisterRule(r); err != nil {
			panic("ecosystem: " + err.Error())
		}
	}
}

// ValidateRule checks a rule's description (see RegisterRule).
func ValidateRule(r Rule) error {
	switch {
	case !IsRuleID(r.ID):
		return fmt.Errorf("rule ID %q: want SCREAMING_SNAKE (an upper-case letter, then upper-case letters, digits and _)", r.ID)
	case r.Severity != Error && r.Severity != Warning && r.Severity != Info:
		return fmt.Errorf("rule %s: unknown severity %d", r.ID, r.Severity)
	case r.Purpose == "":
		return fmt.Errorf("rule %s has no purpose", r.ID)
	case r.Hint == "":
		return fmt.Errorf("rule %s has no hint", r.ID)
	case len(r.Categories) == 0:
		return fmt.Errorf("rule %s names no category; use some of %v", r.ID, Categories())
	}
	for _, c := range r.Categories {
		if !IsCategory(c) {
			return fmt.Errorf("rule %s: category %q is not in the vocabulary %v", r.ID, c, Categories())
		}
	}
	return nil
}

// LookupRule returns the registered rule with the given ID.
func LookupRule(id string) (Rule, bool) {
	ruleRegistry.mu.RLock()
	defer ruleRegistry.mu.RUnlock()
	r, ok := ruleRegistry.byID[id]
	r.Categories = slices.Clone(r.Categories)
	return r, ok
}

// AllRules returns every registered rule, sorted by ID: those of the
// packages the program links (starlark, lint, governance, graph, platforms,
// each platform kind) and the host's own.
func AllRules() []Rule {
	ruleRegistry.mu.RLock()
	defer ruleRegistry.mu.RUnlock()
	out := make([]Rule, 0, len(ruleRegistry.byID))
	for _, r := range ruleRegistry.byID {
		r.Categories = slices.Clone(r.Categories)
		out = append(out, r)
	}
	slices.SortFunc(out, func(a, b Rule) int { return cmp.Compare(a.ID, b.ID) })
	return out
}

// RuleIDs returns the IDs of every registered rule, sorted.
func RuleIDs() []string {
	rules := AllRules()
	ids := make([]string, len(rules))
	for i, r := range rules {
		ids[i] = r.ID
	}
	return ids
}

// IsRuleID reports whether s is SCREAMING_SNAKE: an upper-case letter, then
// upper-case letters, digits and '_'.
func IsRuleID(s string) bool {
	if s == "" || s[0] < 'A' || s[0] > 'Z' {
		return false
	}
	for i := 1; i < len(s); i++ {
		c := s[i]
		if !('A' <= c && c <= 'Z') && !('0' <= c && c <= '9') && c != '_' {
			return false
		}
	}
	return true
}
