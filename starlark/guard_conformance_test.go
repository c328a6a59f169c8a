package starlark

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	sl "go.starlark.net/starlark"
	"go.starlark.net/starlarktest"
	"go.starlark.net/syntax"
)

// TestGuardsKeepLanguageSemantics runs go.starlark.net's own language tests
// (its testdata/*.star, read from the module cache) twice, as written with
// the universe and rewritten by guardFile with the guarded builtins (under a
// budget too large to matter: the tests repeat strings a trillion times to
// see go.starlark.net refuse), and wants the same outcome, chunk by chunk:
// the same failed assertions and errors, with the same messages. It is
// skipped when the go command cannot locate the module.
func TestGuardsKeepLanguageSemantics(t *testing.T) {
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "go.starlark.net").Output()
	if err != nil || strings.TrimSpace(string(out)) == "" {
		t.Skipf("cannot locate go.starlark.net: %v", err)
	}
	files, _ := filepath.Glob(filepath.Join(strings.TrimSpace(string(out)), "starlark", "testdata", "*.star"))
	if len(files) == 0 {
		t.Skip("go.starlark.net has no testdata")
	}
	assertModule, err := starlarktest.LoadAssertModule()
	if err != nil {
		t.Fatal(err)
	}
	ev := &evaluation{ctx: context.Background(), cancel: func() {}, cfg: newConfig([]Option{WithMaxMemory(1 << 60), WithMaxTotalMemory(1 << 60)})}
	// The dialect of go.starlark.net's tests, not of model files.
	opts := &syntax.FileOptions{Set: true, While: true, TopLevelControl: true, GlobalReassign: true, Recursion: true}
	run := func(name, src string, guarded bool) string {
		var r reporter
		thread := &sl.Thread{Load: func(_ *sl.Thread, module string) (sl.StringDict, error) {
			if module == "assert.star" {
				return assertModule, nil
			}
			return nil, fmt.Errorf("no module %s", module)
		}}
		starlarktest.SetReporter(thread, &r)
		f, err := opts.Parse(name, src, 0)
		if err != nil {
			return "parse: " + err.Error()
		}
		predeclared := sl.StringDict{}
		if guarded {
			if _, ok := guardFile(f); !ok {
				return "too deep"
			}
			predeclared = guardedBuiltins()
			thread.SetLocal(stateKey, newThreadState(ev, nil))
		}
		prog, err := sl.FileProgram(f, predeclared.Has)
		if err != nil {
			return "compile: " + err.Error()
		}
		if _, err := prog.Init(thread, predeclared); err != nil {
			r.Error("init: " + err.Error())
		}
		return strings.Join(r.msgs, "\n")
	}
	chunks := 0
	for _, file := range files {
		if filepath.Base(file) == "recursion.star" {
			continue // recursion is off in model files, and runaway recursion is slow to stop
		}
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for i, chunk := range strings.Split(string(data), "\n---\n") {
			name := filepath.Base(file)
			plain, guarded := run(name, chunk, false), run(name, chunk, true)
			if plain != guarded {
				t.Errorf("%s, chunk %d:\nas written:\n%s\nguarded:\n%s", name, i, plain, guarded)
			}
			chunks++
		}
	}
	if chunks < 50 {
		t.Errorf("ran %d chunks; go.starlark.net's tests have more", chunks)
	}
}

// reporter collects what the assert module reports.
type reporter struct{ msgs []string }

func (r *reporter) Error(args ...any) { r.msgs = append(r.msgs, fmt.Sprint(args...)) }
