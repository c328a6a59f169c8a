package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"sort"
	"strings"
	"testing"
)

// TestModelJSONIsDocumented keeps docs/MODEL_JSON.md true: every field name
// `dsl eval --format json` prints for the Acme example (which uses every
// kind of object) must be documented there, in backquotes.
func TestModelJSONIsDocumented(t *testing.T) {
	doc, err := os.ReadFile("../../docs/MODEL_JSON.md")
	if err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), &env{stdout: &stdout, stderr: &stderr, getenv: os.Getenv}, []string{"eval", "--format", "json", "../../examples/acme"}); code != exitClean {
		t.Fatalf("dsl eval: exit %d\n%s", code, stderr.String())
	}
	var v any
	if err := json.Unmarshal(stdout.Bytes(), &v); err != nil {
		t.Fatal(err)
	}
	keys := map[string]bool{}
	var walk func(v any, underOpaque bool)
	walk = func(v any, underOpaque bool) {
		switch v := v.(type) {
		case map[string]any:
			for k, e := range v {
				if !underOpaque {
					keys[k] = true
				}
				// Platform options and tags hold the model's own keys.
				walk(e, underOpaque || k == "options" || k == "tags")
			}
		case []any:
			for _, e := range v {
				walk(e, underOpaque)
			}
		}
	}
	walk(v, false)
	var missing []string
	for k := range keys {
		if !strings.Contains(string(doc), "`"+k+"`") {
			missing = append(missing, k)
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("fields printed by dsl eval --format json but not documented in docs/MODEL_JSON.md: %v", missing)
	}
	if len(keys) < 40 {
		t.Errorf("only %d distinct fields seen: the example no longer covers the model", len(keys))
	}
}
