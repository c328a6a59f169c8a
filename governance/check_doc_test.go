package governance_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/datasurface/datasurface-go/governance"
)

// TestCheckDocListsRules keeps the rule table of docs/CHECK.md true: every
// authorization and waiver rule has a row with its severity and purpose.
func TestCheckDocListsRules(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "docs", "CHECK.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range append(governance.AuthorizationRules(), governance.WaiverRules()...) {
		row := fmt.Sprintf("| `%s` | %s | %s |", r.ID, r.Severity, r.Purpose)
		if !strings.Contains(string(doc), row) {
			t.Errorf("docs/CHECK.md lacks the row\n%s", row)
		}
	}
}
