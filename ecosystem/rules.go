package ecosystem

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/datasurface/datasurface-go/internal/suggest"
)

// The rule categories: one vocabulary for every rule of every package (and
// of the host's own rules), used to select and document rules and shown as
// SARIF tags. Each is one lower-case word; a rule names one or more, and
// RegisterRule refuses any other word. docs/RULES.md lists them with what
// each covers (see CategoryDescription).
const (
	CategoryAssignment     = "assignment"
	CategoryAuthorization  = "authorization"
	CategoryCapture        = "capture"
	CategoryClassification = "classification"
	CategoryCompatibility  = "compatibility"
	CategoryDocumentation  = "documentation"
	CategoryEvaluation     = "evaluation"
	CategoryLifecycle      = "lifecycle"
	CategoryLoad           = "load"
	CategoryNaming         = "naming"
	CategoryOwnership      = "ownership"
	CategoryPipeline       = "pipeline"
	CategoryPlatform       = "platform"
	CategoryPolicy         = "policy"
	CategoryReferences     = "references"
	CategorySchema         = "schema"
	CategorySecurity       = "security"
	CategoryTransformers   = "transformers"
	CategoryWaivers        = "waivers"
	// The compatibility modes a compatibility rule is enforced in.
	CategoryModeBackward = "backward"
	CategoryModeForward  = "forward"
	CategoryModeFull     = "full"
)

// categoryDescriptions says what each word of the vocabulary covers: the
// vocabulary itself, in one place.
var categoryDescriptions = map[string]string{
	CategoryAssignment:     "which platform serves a dataset group",
	CategoryAuthorization:  "who may change which part of the model",
	CategoryCapture:        "how a datastore's data is captured",
	CategoryClassification: "the classification of data",
	CategoryCompatibility:  "schema and lifecycle changes between the live model and a proposed one",
	CategoryDocumentation:  "documentation the model must carry",
	CategoryEvaluation:     "turning the .star files into a model",
	CategoryLifecycle:      "deprecation, removal and declaration of parts",
	CategoryLoad:           "the file tree load() reads",
	CategoryNaming:         "names and identifiers",
	CategoryOwnership:      "owning repositories",
	CategoryPipeline:       "the shape of a platform's pipeline graph",
	CategoryPlatform:       "platforms: binding, capabilities and acceptance",
	CategoryPolicy:         "a zone's governance policies",
	CategoryReferences:     "references between objects resolve",
	CategorySchema:         "columns, keys and types",
	CategorySecurity:       "controls that keep data where it may be",
	CategoryTransformers:   "transformers and their outputs",
	CategoryWaivers:        "waivers of findings",
	CategoryModeBackward:   "enforced for datasets in BACKWARD compatibility mode",
	CategoryModeForward:    "enforced for datasets in FORWARD compatibility mode",
	CategoryModeFull:       "enforced for datasets in FULL compatibility mode",
}

// Categories returns the category vocabulary, sorted.
func Categories() []string {
	out := make([]string, 0, len(categoryDescriptions))
	for c := range categoryDescriptions {
		out = append(out, c)
	}
	slices.Sort(out)
	return out
}

// IsCategory reports whether c is a word of the category vocabulary.
func IsCategory(c string) bool {
	_, ok := categoryDescriptions[c]
	return ok
}

// CategoryDescription says in a few words what rules of category c are
// about; it is empty for a word outside the vocabulary.
func CategoryDescription(c string) string { return categoryDescriptions[c] }

// ruleRegistry holds every rule the program can report: each package
// registers its own when it is initialised, and a host registers its own
// rules (see lint.Register). IDs are unique across all of them.
var ruleRegistry struct {
	mu   sync.RWMutex
	byID map[string]Rule
}

// RegisterRule adds a rule to the registry. It refuses a rule whose ID is
// not SCREAMING_SNAKE or is already registered, whose severity is unknown,
// that has no purpose or no hint, or that names no category, one outside
// the vocabulary (see Categories) or one twice.
func RegisterRule(r Rule) error { return register(r, false) }

// MustRegisterRules registers rules from a package's initialisation, where
// a bad rule is a programming error: it panics with RegisterRule's error.
func MustRegisterRules(rules ...Rule) {
	for _, r := range rules {
		if err := RegisterRule(r); err != nil {
			panic("ecosystem: " + err.Error())
		}
	}
}

// EnsureRule registers r unless the very same rule (every field equal) is
// registered already, and refuses, like RegisterRule, an invalid rule or
// another rule with r's ID. It is for rules that become known at run time
// and may be met more than once, such as a platform kind's own rules, which
// every bound platform of that kind declares (see platforms.RuleSource).
func EnsureRule(r Rule) error { return register(r, true) }

// register adds r to the registry; an equal rule already there is accepted
// when sameOK is set.
func register(r Rule, sameOK bool) error {
	if err := ValidateRule(r); err != nil {
		return err
	}
	ruleRegistry.mu.Lock()
	defer ruleRegistry.mu.Unlock()
	if old, dup := ruleRegistry.byID[r.ID]; dup {
		if sameOK && sameRule(old, r) {
			return nil
		}
		return fmt.Errorf("rule %s is already registered: rule IDs are unique across every package and the host", r.ID)
	}
	if ruleRegistry.byID == nil {
		ruleRegistry.byID = map[string]Rule{}
	}
	r.Categories = slices.Clone(r.Categories)
	ruleRegistry.byID[r.ID] = r
	return nil
}

// sameRule reports whether two rules describe the same thing in every field.
func sameRule(a, b Rule) bool {
	return a.ID == b.ID && a.Severity == b.Severity && a.Purpose == b.Purpose && a.Hint == b.Hint &&
		slices.Equal(a.Categories, b.Categories)
}

// ValidateRule checks a rule's description (see RegisterRule).
func ValidateRule(r Rule) error {
	switch {
	case !IsRuleID(r.ID):
		return fmt.Errorf("rule ID %q: want SCREAMING_SNAKE (an upper-case letter, then upper-case letters, digits and _)", r.ID)
	case r.Severity != Error && r.Severity != Warning && r.Severity != Info:
		return fmt.Errorf("rule %s: unknown severity %d", r.ID, r.Severity)
	case strings.TrimSpace(r.Purpose) == "":
		return fmt.Errorf("rule %s has no purpose", r.ID)
	case strings.TrimSpace(r.Hint) == "":
		return fmt.Errorf("rule %s has no hint", r.ID)
	case strings.ContainsAny(r.Purpose+r.Hint, "\r\n"):
		return fmt.Errorf("rule %s: the purpose and the hint are one line each (reports and docs/RULES.md show them in one line)", r.ID)
	case len(r.Categories) == 0:
		return fmt.Errorf("rule %s names no category; use some of %v", r.ID, Categories())
	}
	for i, c := range r.Categories {
		if !IsCategory(c) {
			mean := ""
			if near, ok := suggest.Closest(c, Categories()); ok {
				mean = fmt.Sprintf(" (did you mean %q?)", near)
			}
			return fmt.Errorf("rule %s: category %q is not in the vocabulary%s; use some of %v", r.ID, c, mean, Categories())
		}
		if slices.Contains(r.Categories[:i], c) {
			return fmt.Errorf("rule %s names category %q twice", r.ID, c)
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
