package starlark

import (
	"os"
	"strings"
	"testing"

	"github.com/datasurface/datasurface-go/types"
)

// languageDoc is the model authors' reference. Its tables of builtins,
// types and rules are generated from Builtins, types.Names and Rules between
// marker comments; the prose around them is written by hand.
const languageDoc = "../docs/LANGUAGE.md"

// TestLanguageDoc fails when a generated section of docs/LANGUAGE.md is
// stale; go test ./starlark -run TestLanguageDoc -update regenerates them.
func TestLanguageDoc(t *testing.T) {
	raw, err := os.ReadFile(languageDoc)
	if err != nil {
		t.Fatal(err)
	}
	doc := string(raw)
	sections := map[string]string{
		"builtins": renderBuiltins(),
		"types":    renderTypes(),
		"rules":    renderRules(),
	}
	updated := doc
	for name, body := range sections {
		begin := "<!-- BEGIN GENERATED " + name + " -->\n"
		end := "<!-- END GENERATED " + name + " -->"
		i, j := strings.Index(updated, begin), strings.Index(updated, end)
		if i < 0 || j < i {
			t.Fatalf("%s has no %q ... %q section", languageDoc, begin, end)
		}
		updated = updated[:i+len(begin)] + body + updated[j:]
	}
	if updated == doc {
		return
	}
	if *update {
		if err := os.WriteFile(languageDoc, []byte(updated), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("%s is stale: run go test ./starlark -run TestLanguageDoc -update\n%s", languageDoc, firstDiff([]byte(doc), []byte(updated)))
}

func renderBuiltins() string {
	var b strings.Builder
	category := ""
	for _, d := range Builtins() {
		if d.Category != category {
			category = d.Category
			b.WriteString("### " + strings.ToUpper(category[:1]) + category[1:] + "\n\n")
		}
		b.WriteString("#### `" + d.Name + "`\n\n")
		var sig []string
		for i, p := range d.Params {
			s := p.Name
			if !p.Required {
				s += " = " + p.Default
			}
			if i == d.Positional && i > 0 {
				sig = append(sig, "*")
			}
			sig = append(sig, s)
		}
		if d.Positional == 0 && len(d.Params) > 0 {
			sig = append([]string{"*"}, sig...)
		}
		b.WriteString("```python\n" + d.Name + "(" + strings.Join(sig, ", ") + ")\n```\n\n")
		b.WriteString(d.Doc + "\n\n")
		if len(d.Params) > 0 {
			b.WriteString("| parameter | type | default | meaning |\n|---|---|---|---|\n")
			for _, p := range d.Params {
				def := "required"
				if !p.Required {
					def = "`" + p.Default + "`"
				}
				b.WriteString("| `" + p.Name + "` | " + p.Type + " | " + def + " | " + mdEscape(p.Doc) + " |\n")
			}
			b.WriteString("\n")
		}
		b.WriteString("```python\n" + d.Example + "\n```\n\n")
	}
	return b.String()
}

func renderTypes() string {
	var b strings.Builder
	b.WriteString("| type | syntax | meaning |\n|---|---|---|\n")
	for _, n := range types.Names() {
		if n.Alias() {
			continue
		}
		b.WriteString("| `" + n.Name + "` | `" + mdEscape(n.Syntax) + "` | " + mdEscape(n.Doc) + " |\n")
	}
	var aliases []string
	for _, n := range types.Names() {
		if n.Alias() {
			aliases = append(aliases, "`"+n.Name+"` = `"+n.Canonical+"`")
		}
	}
	b.WriteString("\nAliases: " + strings.Join(aliases, ", ") + ".\n\n")
	return b.String()
}

func renderRules() string {
	var b strings.Builder
	b.WriteString("| rule | purpose | fix |\n|---|---|---|\n")
	for _, r := range Rules() {
		b.WriteString("| `" + r.ID + "` | " + mdEscape(r.Purpose) + " | " + mdEscape(r.Hint) + " |\n")
	}
	b.WriteString("\n")
	return b.String()
}

func mdEscape(s string) string { return strings.ReplaceAll(s, "|", `\|`) }
