package types

import (
	"os"
	"strings"
	"testing"
)

// TestTypesDoc keeps docs/TYPES.md, the guide for model authors, in step
// with the catalogue: it must mention every accepted name and every rule ID.
func TestTypesDoc(t *testing.T) {
	raw, err := os.ReadFile("../docs/TYPES.md")
	if err != nil {
		t.Skipf("docs/TYPES.md not found: %v", err)
	}
	doc := string(raw)
	for _, n := range Names() {
		if !strings.Contains(doc, "`"+n.Name) {
			t.Errorf("docs/TYPES.md does not mention %q", n.Name)
		}
	}
	for _, r := range Rules() {
		if !strings.Contains(doc, "`"+r.ID+"`") {
			t.Errorf("docs/TYPES.md does not list rule %s", r.ID)
		}
	}
}
