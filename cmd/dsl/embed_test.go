package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"testing"
	"time"

	"github.com/datasurface/datasurface-go/governance"
	"github.com/datasurface/datasurface-go/platforms"
	"github.com/datasurface/datasurface-go/starlark"
)

// TestEmbeddedCheckModelIsDslLint keeps the README's promise: a host that
// evaluates a model and calls platforms.Builtin().CheckModel gets exactly
// the findings `dsl lint` reports, waivers applied.
func TestEmbeddedCheckModelIsDslLint(t *testing.T) {
	for _, dir := range []string{"../../examples/acme", "../../examples/embed/model"} {
		var out bytes.Buffer
		e := &env{stdout: &out, stderr: &bytes.Buffer{}, getenv: func(string) string { return "" }}
		run(context.Background(), e, []string{"lint", "--format", "json", "--now", "2027-01-01", dir})
		var cli struct {
			Diagnostics []struct {
				Rule, Path, Message string
				Waived              *struct{ Reason string }
			}
		}
		if err := json.Unmarshal(out.Bytes(), &cli); err != nil {
			t.Fatalf("%s: dsl lint --format json: %v\n%s", dir, err, out.String())
		}
		m, err := starlark.Evaluate(context.Background(), os.DirFS(dir))
		if err != nil {
			t.Fatal(err)
		}
		got, err := platforms.Builtin().CheckModel(context.Background(), m, governance.WithNow(time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)))
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(cli.Diagnostics) {
			t.Fatalf("%s: CheckModel gave %d findings, dsl lint %d", dir, len(got), len(cli.Diagnostics))
		}
		for i, d := range got {
			c := cli.Diagnostics[i]
			if d.Rule != c.Rule || d.Path != c.Path || d.Message != c.Message || (d.Waived == nil) != (c.Waived == nil) {
				t.Errorf("%s: finding %d: CheckModel %v, dsl lint %+v", dir, i, d, c)
			}
		}
	}
}
