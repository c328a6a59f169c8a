package render

import (
	"bytes"
	"context"
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"golang.org/x/tools/txtar"

	"github.com/datasurface/datasurface-go/ecosystem"
	"github.com/datasurface/datasurface-go/graph"
	"github.com/datasurface/datasurface-go/platforms"
	"github.com/datasurface/datasurface-go/starlark"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden from what the renderers make")

// testModel is a model evaluated and checked, with the pipeline and the
// declaration of one of its platforms.
type testModel struct {
	fsys     fs.FS
	pipeline *graph.Pipeline
	decl     *ecosystem.Platform
}

// chainDir is the test model with sources on several schedules and a
// chain of transformers.
var chainDir = filepath.Join("testdata", "chain")

// loadModel evaluates the model in fsys as dsl lint checks it, fails on
// any error it has, and returns platform's pipeline.
func loadModel(t testing.TB, fsys fs.FS, platform string) testModel {
	t.Helper()
	reg := platforms.Builtin()
	m, diags, err := reg.CheckModelFS(context.Background(), fsys)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range diags {
		if d.Severity == ecosystem.Error && d.Waived == nil {
			t.Fatalf("the test model has an error: %v", d)
		}
	}
	if m == nil {
		t.Fatal("the test model does not evaluate")
	}
	return pipelineOf(t, m, fsys, platform)
}

// loadUnchecked evaluates the model in fsys without linting it, for
// models whose names dsl lint refuses but the renderers must survive.
func loadUnchecked(t testing.TB, fsys fs.FS, platform string) testModel {
	t.Helper()
	m, err := starlark.Evaluate(context.Background(), fsys)
	if err != nil {
		t.Fatalf("the test model does not evaluate: %v", err)
	}
	return pipelineOf(t, m, fsys, platform)
}

func pipelineOf(t testing.TB, m *ecosystem.Ecosystem, fsys fs.FS, platform string) testModel {
	t.Helper()
	pl := platforms.Builtin().Broker(m).Graph.Pipeline(platform)
	if pl == nil || m.Platform(platform) == nil {
		t.Fatalf("no pipeline for %s", platform)
	}
	return testModel{fsys: fsys, pipeline: pl, decl: m.Platform(platform)}
}

// chainFiles returns the chain model's files, with each edit (old, new)
// applied to the file that holds old; an edit that applies nowhere fails
// the test.
func chainFiles(t testing.TB, edits ...string) fstest.MapFS {
	t.Helper()
	files := fstest.MapFS{}
	err := fs.WalkDir(os.DirFS(chainDir), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(filepath.Join(chainDir, filepath.FromSlash(p)))
		files[p] = &fstest.MapFile{Data: data}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(edits); i += 2 {
		applied := false
		for _, f := range files {
			if text := string(f.Data); strings.Contains(text, edits[i]) {
				f.Data = []byte(strings.Replace(text, edits[i], edits[i+1], 1))
				applied = true
				break
			}
		}
		if !applied {
			t.Fatalf("the edit of %q applies to no file of the chain model", edits[i])
		}
	}
	return files
}

// testOptions are the options the tests render with: the defaults, and a
// fixed image.
func testOptions() Options {
	return Options{Image: "ghcr.io/datasurface/dsl:v1.2.3", Resources: DefaultResources, GracePeriod: DefaultGracePeriod}
}

func kubeOptions() KubernetesOptions {
	return KubernetesOptions{Options: testOptions(), Replicas: DefaultReplicas, ListenPort: DefaultListenPort, Model: ModelConfigMap}
}

func gitOptions() KubernetesOptions {
	o := kubeOptions()
	o.Model = ModelGit
	o.Git = GitSource{Repo: "https://github.com/test/render.git", Branch: "main", Path: "models/lake", Poll: time.Minute}
	return o
}

// checkGolden compares the artifacts with the txtar file name in
// testdata/golden, or rewrites it with -update.
func checkGolden(t *testing.T, name string, arts []platforms.Artifact) {
	t.Helper()
	ar := &txtar.Archive{Comment: []byte("What the renderers make of testdata/chain; go test -update rewrites it.\n")}
	for _, a := range arts {
		ar.Files = append(ar.Files, txtar.File{Name: a.Name, Data: a.Data})
	}
	got := txtar.Format(ar)
	file := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(file, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("%v (run go test -update to write it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("the render differs from %s (go test -update rewrites it after a deliberate change):\n%s", file, firstDiff(string(want), string(got)))
	}
}

// firstDiff shows the first line where two texts differ.
func firstDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := range max(len(w), len(g)) {
		var a, b string
		if i < len(w) {
			a = w[i]
		}
		if i < len(g) {
			b = g[i]
		}
		if a != b {
			return "line " + strconv.Itoa(i+1) + ":\n  want " + a + "\n  got  " + b
		}
	}
	return "(same lines)"
}
