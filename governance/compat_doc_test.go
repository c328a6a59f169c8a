package governance

import (
	"github.com/datasurface/datasurface-go/internal/diagtest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/datasurface/datasurface-go/ecosystem"
)

// updateCompatDoc regenerates the rule tables of docs/COMPATIBILITY.md. The
// flag has its own name because other tests of this package may define
// -update for their golden files.

const compatDocPath = "../docs/COMPATIBILITY.md"

// TestCompatibilityDocIsCurrent fails when the rule tables in
// docs/COMPATIBILITY.md do not match the registries, so the documentation
// cannot drift from the behaviour. Regenerate with
//
//	go test ./governance -run TestCompatibilityDocIsCurrent -update
var update = diagtest.Update // -update rewrites the generated tables

func TestCompatibilityDocIsCurrent(t *testing.T) {
	doc, err := os.ReadFile(filepath.FromSlash(compatDocPath))
	if err != nil {
		t.Fatal(err)
	}
	text := string(doc)
	for _, block := range []struct{ name, body string }{
		{"compat-rules", compatRuleTable()},
		{"policy-rules", policyRuleTable()},
	} {
		begin, end := "<!-- BEGIN GENERATED "+block.name+" -->\n", "<!-- END GENERATED "+block.name+" -->"
		i, j := strings.Index(text, begin), strings.Index(text, end)
		if i < 0 || j < i {
			t.Fatalf("%s lacks the %q and %q markers", compatDocPath, strings.TrimSpace(begin), end)
		}
		current := text[i+len(begin) : j]
		if current == block.body {
			continue
		}
		if !*update {
			t.Errorf("%s: the %s table is stale; run go test ./governance -run TestCompatibilityDocIsCurrent -update", compatDocPath, block.name)
			continue
		}
		text = text[:i+len(begin)] + block.body + text[j:]
	}
	if *update && text != string(doc) {
		if err := os.WriteFile(filepath.FromSlash(compatDocPath), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// compatRuleTable renders the compatibility registry: one row per rule with
// the modes it is enforced in.
func compatRuleTable() string {
	var b strings.Builder
	b.WriteString("| rule | what it catches | BACKWARD | FORWARD | FULL | NONE | notes |\n")
	b.WriteString("|---|---|:-:|:-:|:-:|:-:|---|\n")
	for _, r := range compatRules {
		b.WriteString("| `" + r.ID + "` | " + r.Purpose)
		for _, m := range []ecosystem.CompatibilityMode{ecosystem.Backward, ecosystem.Forward, ecosystem.Full, ecosystem.NoCheck} {
			if r.appliesIn(m) {
				b.WriteString(" | error")
			} else {
				b.WriteString(" | —")
			}
		}
		b.WriteString(" | " + r.note + " |\n")
	}
	return b.String()
}

// policyRuleTable renders the policy registry.
func policyRuleTable() string {
	var b strings.Builder
	b.WriteString("| rule | policy kind | what it catches | fix |\n")
	b.WriteString("|---|---|---|---|\n")
	for _, r := range PolicyRules() {
		b.WriteString("| `" + r.ID + "` | " + strings.ToLower(strings.TrimPrefix(r.ID, "POLICY_")) + " | " + r.Purpose + " | " + r.Hint + " |\n")
	}
	return b.String()
}
