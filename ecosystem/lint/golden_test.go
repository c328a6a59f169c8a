package lint

import (
	"encoding/json"
	"github.com/datasurface/datasurface-go/internal/diagtest"
	"os"
	"path/filepath"
	"testing"
)

var update = diagtest.Update // -update rewrites the golden files

// checkGolden compares got with the golden file, or rewrites it with -update.
func checkGolden(t *testing.T, path string, got []byte) {
	t.Helper()
	diagtest.Golden(t, path, got)
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
