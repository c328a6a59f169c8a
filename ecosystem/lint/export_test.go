package lint

import "testing"

// The hooks the external tests (package lint_test), which may import the
// packages that import lint, use to generate docs/RULES.md.
var (
	// RulesDocPath is the rule reference's file.
	RulesDocPath = rulesDocPath
	// RenderLintRulesDoc renders the lint part of the rule reference.
	RenderLintRulesDoc = renderRulesDoc
)

// CheckGolden compares got with the golden file, or rewrites it with -update.
func CheckGolden(t *testing.T, path string, got []byte) {
	t.Helper()
	checkGolden(t, path, got)
}
