package starlark

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
)

// recorder collects the paths the evaluator compiles and executes.
type recorder struct {
	mu                 sync.Mutex
	compiled, executed []string
}

func (r *recorder) options() []Option {
	return []Option{func(c *config) {
		c.onCompile = func(p string) { r.mu.Lock(); r.compiled = append(r.compiled, p); r.mu.Unlock() }
		c.onExecute = func(p string) { r.mu.Lock(); r.executed = append(r.executed, p); r.mu.Unlock() }
	}}
}

func (r *recorder) reset() (compiled, executed []string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	compiled, executed = r.compiled, r.executed
	r.compiled, r.executed = nil, nil
	slices.Sort(compiled)
	slices.Sort(executed)
	return compiled, executed
}

// TestCacheReusesUnchangedModules evaluates a base model, then a head model
// in which one team file changed: only that file is compiled again, and
// only it and the files that load it (its zone, the entry) run again. The
// unchanged teams' objects are shared between the two models.
func TestCacheReusesUnchangedModules(t *testing.T) {
	base := synthModel(shapeSmall)
	head := fstest.MapFS{}
	for k, v := range base {
		head[k] = v
	}
	changed := "teams/Z0_T1.star"
	head[changed] = &fstest.MapFile{Data: bytes.Replace(base[changed].Data,
		[]byte(`column("c1", "varchar(50)")`), []byte(`column("c1", "varchar(80)")`), 1)}
	if bytes.Equal(head[changed].Data, base[changed].Data) {
		t.Fatal("the test's edit did not apply")
	}

	cache := NewCache()
	var rec recorder
	opts := append(rec.options(), WithCache(cache))
	baseModel := mustEvaluate(t, base, opts...)
	compiled, executed := rec.reset()
	if len(compiled) != len(base) || len(executed) != len(base) {
		t.Fatalf("first evaluation compiled %d and executed %d files, want all %d", len(compiled), len(executed), len(base))
	}

	headModel := mustEvaluate(t, head, opts...)
	compiled, executed = rec.reset()
	if want := []string{changed}; !slices.Equal(compiled, want) {
		t.Errorf("compiled %v, want %v", compiled, want)
	}
	if want := []string{"eco.star", changed, "zones/Z0.star"}; !slices.Equal(executed, want) {
		t.Errorf("executed %v, want %v", executed, want)
	}
	if got := headModel.Team("Z0", "Z0_T1").Datastores[0].Datasets[0].Column("c1").Type.String(); got != "varchar(80)" {
		t.Errorf("head model has c1 %s, want the edited varchar(80)", got)
	}
	if baseModel.Team("Z0", "Z0_T0") != headModel.Team("Z0", "Z0_T0") {
		t.Error("the unchanged team Z0_T0 was rebuilt rather than shared")
	}
	if baseModel.Team("Z0", "Z0_T1") == headModel.Team("Z0", "Z0_T1") {
		t.Error("the changed team Z0_T1 was shared")
	}

	// Evaluating the base again recomputes nothing.
	again := mustEvaluate(t, base, opts...)
	compiled, executed = rec.reset()
	if len(compiled)+len(executed) != 0 {
		t.Errorf("re-evaluating the base compiled %v and executed %v, want nothing", compiled, executed)
	}
	if again != baseModel {
		t.Error("re-evaluating the base did not return the cached model")
	}
}

// hashFS is a file system that knows its files' content hashes, like a git
// tree, and counts reads.
type hashFS struct {
	fstest.MapFS
	mu    sync.Mutex
	reads int
}

func (h *hashFS) ContentHash(name string) (string, error) {
	f, ok := h.MapFS[name]
	if !ok {
		return "", &fs.PathError{Op: "hash", Path: name, Err: fs.ErrNotExist}
	}
	return "test:" + string(f.Sys.(string)), nil
}

func (h *hashFS) ReadFile(name string) ([]byte, error) {
	h.mu.Lock()
	h.reads++
	h.mu.Unlock()
	return h.MapFS.ReadFile(name)
}

func TestCacheUsesContentHasher(t *testing.T) {
	files := synthModel(shapeSmall)
	for name, f := range files {
		f.Sys = name + "@1" // the "blob hash"
	}
	h := &hashFS{MapFS: files}
	cache := NewCache()
	first := mustEvaluate(t, h, WithCache(cache))
	if h.reads != len(files) {
		t.Fatalf("first evaluation read %d files, want %d", h.reads, len(files))
	}
	h.reads = 0
	second := mustEvaluate(t, h, WithCache(cache))
	if h.reads != 0 {
		t.Errorf("second evaluation read %d files, want none: the hashes were known", h.reads)
	}
	if first != second {
		t.Error("second evaluation did not reuse the cached model")
	}
}

// TestCacheConcurrent runs evaluations of two revisions at once on one
// cache (go test -race checks the sharing).
func TestCacheConcurrent(t *testing.T) {
	base := synthModel(shapeSmall)
	head := fstest.MapFS{}
	for k, v := range base {
		head[k] = v
	}
	head["teams/Z0_T0.star"] = &fstest.MapFile{Data: []byte(strings.Replace(string(base["teams/Z0_T0.star"].Data), `"ds0"`, `"ds0x"`, 1))}
	cache := NewCache()
	want := map[bool][]byte{false: renderJSON(t, mustEvaluate(t, base)), true: renderJSON(t, mustEvaluate(t, head))}
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			fsys := base
			if i%2 == 1 {
				fsys = head
			}
			e, err := Evaluate(context.Background(), fsys, WithCache(cache))
			if err != nil {
				errs <- err
				return
			}
			if got := renderJSON(t, e); !bytes.Equal(got, want[i%2 == 1]) {
				errs <- errors.New("a concurrent evaluation gave a different model")
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// TestCacheDoesNotKeepFailures checks that a module that failed is run
// again (and fails again) rather than remembered.
func TestCacheDoesNotKeepFailures(t *testing.T) {
	fsys := fstest.MapFS{
		"eco.star": {Data: []byte("load(\"lib.star\", \"x\")\n" + minimalEco)},
		"lib.star": {Data: []byte("x = column(\"id\", \"nope\")\n")},
	}
	cache := NewCache()
	for range 2 {
		d := diagnostics(t, fsys, WithCache(cache))
		if len(d) != 1 || d[0].Rule != RuleBadValue {
			t.Fatalf("got %v, want one %s", d, RuleBadValue)
		}
	}
}
