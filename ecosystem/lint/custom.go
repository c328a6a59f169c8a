package lint

import (
	"fmt"
	"sync"

	"github.com/datasurface/datasurface-go/ecosystem"
)

// CheckFunc is a host's lint rule: it reports every finding of its rule in
// the whole model. It must not modify the model.
type CheckFunc func(m *ecosystem.Ecosystem) ecosystem.Diagnostics

// custom holds the host's rules, run after the built-in ones in the order
// they were registered.
var custom struct {
	mu      sync.RWMutex
	entries []entry
}

// Register adds a host program's own lint rule, such as a naming convention
// of the enterprise. The rule joins the ecosystem's one registry (so its ID
// must be new and its categories from the vocabulary, see
// ecosystem.RegisterRule); from then on Lint, and so `dsl lint`-style checks
// (governance.CheckModel) and pull-request checks (governance.Check), run
// it, reports and SARIF describe it, and waivers can cover its findings.
//
// The check's findings are reported under the rule: their Rule is set to the
// rule's ID, and a zero Severity or empty Hint take the rule's.
func Register(rule ecosystem.Rule, check CheckFunc) error {
	if check == nil {
		return fmt.Errorf("lint: rule %s has no check function", rule.ID)
	}
	if err := ecosystem.RegisterRule(rule); err != nil {
		return fmt.Errorf("lint: %w", err)
	}
	custom.mu.Lock()
	defer custom.mu.Unlock()
	custom.entries = append(custom.entries, entry{rule: rule, check: func(p *pass, r *reporter) {
		for _, d := range check(p.m) {
			d.Rule = rule.ID
			if d.Severity == 0 {
				d.Severity = rule.Severity
			}
			if d.Hint == "" {
				d.Hint = rule.Hint
			}
			r.add(d)
		}
	}})
	return nil
}

// customEntries returns the host's rules registered so far.
func customEntries() []entry {
	custom.mu.RLock()
	defer custom.mu.RUnlock()
	return custom.entries
}
