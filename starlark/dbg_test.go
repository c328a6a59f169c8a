package starlark

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"errors"

	"github.com/datasurface/datasurface-go/ecosystem"
)

func TestDbg(t *testing.T) {
	files, _ := filepath.Glob("testdata/errors/*.txtar")
	for _, f := range files {
		ar, fsys := readArchive(t, f)
		_, err := Evaluate(context.Background(), fsys, archiveOptions(t, ar)...)
		var de ecosystem.DiagnosticsError
		errors.As(err, &de)
		for _, d := range de {
			fmt.Printf("%s\n    hint: %s\n", d.Error(), d.Hint)
			for _, r := range d.Related { fmt.Printf("    related %s: %s\n", r.Pos, r.Message) }
		}
	}
}
