package synthetic_test

import (
	"bytes"
	"testing"

	"github.com/datasurface/datasurface-go/examples/synthetic"
	"github.com/datasurface/datasurface-go/starlark/format"
)

// TestFilesFormatted: the generator writes its files exactly as dsl fmt
// would lay them out, in every variant and for shapes with one and with
// several of each thing (one zone, several zones; no workspace, several),
// so that a generated model passes dsl fmt --check.
func TestFilesFormatted(t *testing.T) {
	shapes := []synthetic.Shape{
		{Zones: 1, Teams: 1, Stores: 1, Datasets: 1, Columns: 2, Workspaces: 0, Sinks: 0},
		{Zones: 3, Teams: 2, Stores: 2, Datasets: 3, Columns: 5, Workspaces: 2, Sinks: 3},
		synthetic.Small,
	}
	for _, s := range shapes {
		for _, v := range []synthetic.Variant{synthetic.Base, synthetic.PullRequest, synthetic.PullRequestIncompatible} {
			files, err := synthetic.Files(s, v)
			if err != nil {
				t.Fatal(err)
			}
			for name, src := range files {
				out, err := format.Source(name, src)
				if err != nil {
					t.Fatalf("shape %v, variant %v, %s: %v", s, v, name, err)
				}
				if !bytes.Equal(out, src) {
					t.Fatalf("shape %v, variant %v: %s is not formatted; dsl fmt would write:\n%s", s, v, name, out)
				}
			}
		}
	}
}
