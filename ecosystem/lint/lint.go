package lint

import (
	"cmp"
	"slices"

	"github.com/datasurface/datasurface-go/ecosystem"
)

// Option adjusts a Lint run.
type Option func(*config)

type config struct {
	only map[string]bool // nil: every rule
	skip map[string]bool
}

// WithRules runs only the rules with the given IDs. Unknown IDs select
// nothing; use Lookup to validate IDs a user typed. Several WithRules
// options add up.
func WithRules(ids ...string) Option {
	return func(c *config) {
		if c.only == nil {
			c.only = map[string]bool{}
		}
		for _, id := range ids {
			c.only[id] = true
		}
	}
}

// WithoutRules skips the rules with the given IDs. It wins over WithRules.
func WithoutRules(ids ...string) Option {
	return func(c *config) {
		if c.skip == nil {
			c.skip = map[string]bool{}
		}
		for _, id := range ids {
			c.skip[id] = true
		}
	}
}

func (c *config) enabled(id string) bool {
	if c.skip[id] {
		return false
	}
	return c.only == nil || c.only[id]
}

// Lint runs the enabled rules over the whole model and returns every finding,
// sorted with Diagnostics.Sort. A nil model has no findings. Lint never
// modifies the model; it indexes it (ecosystem.New) if that was not done yet.
func Lint(m *ecosystem.Ecosystem, opts ...Option) ecosystem.Diagnostics {
	if m == nil {
		return nil
	}
	var c config
	for _, o := range opts {
		o(&c)
	}
	p := newPass(m)
	var out ecosystem.Diagnostics
	for _, entries := range [][]entry{registry, customEntries()} {
		for i := range entries {
			e := &entries[i]
			if !c.enabled(e.rule.ID) {
				continue
			}
			r := reporter{rule: &e.rule}
			e.check(p, &r)
			out = append(out, r.diags...)
		}
	}
	out.Sort()
	return out
}

// Every lint rule is in the ecosystem's one rule registry.
func init() {
	for _, e := range registry {
		ecosystem.MustRegisterRules(e.rule)
	}
}

// Rules returns the registry: every lint rule, sorted by ID. The slice and
// its Categories are copies the caller may keep or change.
func Rules() []ecosystem.Rule {
	all := slices.Concat(registry, customEntries())
	out := make([]ecosystem.Rule, len(all))
	for i, e := range all {
		out[i] = e.rule
		out[i].Categories = slices.Clone(e.rule.Categories)
	}
	slices.SortFunc(out, func(a, b ecosystem.Rule) int { return cmp.Compare(a.ID, b.ID) })
	return out
}

// Lookup returns the rule with the given ID.
func Lookup(id string) (ecosystem.Rule, bool) {
	for _, e := range slices.Concat(registry, customEntries()) {
		if e.rule.ID == id {
			r := e.rule
			r.Categories = slices.Clone(r.Categories)
			return r, true
		}
	}
	return ecosystem.Rule{}, false
}
