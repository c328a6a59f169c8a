package starlark

import (
	"context"
	"errors"
	"github.com/datasurface/datasurface-go/internal/diagtest"
	"io/fs"
	"testing"
	"testing/fstest"

	"golang.org/x/tools/txtar"

	"github.com/datasurface/datasurface-go/ecosystem"
)

// update rewrites golden files (testdata/golden/*.golden, docs/LANGUAGE.md)
// from the current output: go test ./starlark -update.
var update = diagtest.Update // -update rewrites the golden files

// readArchive loads a txtar archive as a file system.
func readArchive(t testing.TB, name string) (*txtar.Archive, fstest.MapFS) {
	t.Helper()
	ar, err := txtar.ParseFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return ar, archiveFS(ar)
}

func archiveFS(ar *txtar.Archive) fstest.MapFS {
	fsys := fstest.MapFS{}
	for _, f := range ar.Files {
		fsys[f.Name] = &fstest.MapFile{Data: f.Data}
	}
	return fsys
}

// mustEvaluate evaluates a model that must be valid.
func mustEvaluate(t testing.TB, fsys fs.FS, opts ...Option) *ecosystem.Ecosystem {
	t.Helper()
	e, err := Evaluate(context.Background(), fsys, opts...)
	if err != nil {
		t.Fatalf("Evaluate: %v", err)
	}
	return e
}

// diagnostics evaluates a model that must fail with model errors.
func diagnostics(t testing.TB, fsys fs.FS, opts ...Option) ecosystem.DiagnosticsError {
	t.Helper()
	_, err := Evaluate(context.Background(), fsys, opts...)
	if err == nil {
		t.Fatal("Evaluate succeeded, want diagnostics")
	}
	var de ecosystem.DiagnosticsError
	if !errors.As(err, &de) {
		t.Fatalf("Evaluate: %v (%T), want ecosystem.DiagnosticsError", err, err)
	}
	return de
}

// minimalEco is an entry file that builds the smallest valid ecosystem.
const minimalEco = `ecosystem("E", repo = repo("github.com/e/eco"), live_repo = repo("github.com/e/eco", branch = "live"))` + "\n"
