package lint

import (
	"bytes"
	"encoding/json"
	"fmt"
	"github.com/datasurface/datasurface-go/internal/diagtest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = diagtest.Update // -update rewrites the golden files

// checkGolden compares got with the golden file, or rewrites it with -update.
func checkGolden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test with -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s is out of date; run go test ./ecosystem/lint -update and review the diff.\n%s", path, firstDifference(want, got))
	}
}

// firstDifference shows the first line where two texts differ.
func firstDifference(want, got []byte) string {
	w, g := strings.Split(string(want), "\n"), strings.Split(string(got), "\n")
	for i := 0; i < max(len(w), len(g)); i++ {
		var a, b string
		if i < len(w) {
			a = w[i]
		}
		if i < len(g) {
			b = g[i]
		}
		if a != b {
			return fmt.Sprintf("line %d:\n  file: %s\n  now:  %s", i+1, a, b)
		}
	}
	return ""
}

// TestGolden renders the findings of a model with many problems as JSON, the
// shape reports and the CLI build on.
func TestGolden(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("testdata", "golden", "broken.star"))
	if err != nil {
		t.Fatal(err)
	}
	m, err := evalStar(t, map[string]string{"eco.star": string(src)})
	if err != nil {
		t.Fatal(err)
	}
	got, err := json.MarshalIndent(Lint(m), "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	checkGolden(t, filepath.Join("testdata", "golden", "broken.json"), append(got, '\n'))
}
