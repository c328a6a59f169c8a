// Command gen writes the synthetic model of docs/PERFORMANCE.md into a
// directory, for benchmarks and for timing the dsl command line:
//
//	go run ./examples/synthetic/gen -shape large -variant pr -out /tmp/synth-pr
//
// Shapes are small, medium, large and xlarge, or any shape given letter by
// letter (-z 4 -t 25 -s 10 -d 10 -c 10 -w 10 -k 5, which override the named
// shape's factors). Variants are base, pr and pr-incompatible.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/datasurface/datasurface-go/examples/synthetic"
)

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

// run parses args, writes the model and returns the exit code: 0 on
// success, 2 on a usage error or a failure to write.
func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("gen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	shapeName := fs.String("shape", "small", "named shape: "+strings.Join(synthetic.ShapeNames(), ", "))
	variantName := fs.String("variant", "base", "variant: base, pr or pr-incompatible")
	out := fs.String("out", "", "directory to write the model into (required)")
	asGit := fs.Bool("git", false, "write a bare git repository holding a pull request instead of a folder: the base model on branch "+synthetic.BaseBranch+", the pull request on "+synthetic.PullRequestBranch+" and its incompatible variant on "+synthetic.IncompatibleBranch+" (-variant is ignored)")
	factors := map[string]*int{}
	for _, f := range []struct{ letter, usage string }{
		{"z", "zones"}, {"t", "teams per zone"}, {"s", "datastores per team"}, {"d", "datasets per store"},
		{"c", "columns per dataset"}, {"w", "workspaces per team"}, {"k", "sinks per workspace"},
	} {
		factors[f.letter] = fs.Int(f.letter, -1, f.usage+" (overrides the named shape)")
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *out == "" || fs.NArg() > 0 {
		fmt.Fprintln(stderr, "gen: want -out DIR and no other arguments")
		fs.Usage()
		return 2
	}
	shape, ok := synthetic.ShapeByName(*shapeName)
	if !ok {
		fmt.Fprintf(stderr, "gen: unknown shape %q: want one of %s\n", *shapeName, strings.Join(synthetic.ShapeNames(), ", "))
		return 2
	}
	for letter, field := range map[string]*int{
		"z": &shape.Zones, "t": &shape.Teams, "s": &shape.Stores, "d": &shape.Datasets,
		"c": &shape.Columns, "w": &shape.Workspaces, "k": &shape.Sinks,
	} {
		if v := *factors[letter]; v >= 0 {
			*field = v
		}
	}
	variant, err := synthetic.ParseVariant(*variantName)
	if err != nil {
		fmt.Fprintln(stderr, "gen:", err)
		return 2
	}
	if *asGit {
		if err := writeGit(*out, shape); err != nil {
			fmt.Fprintln(stderr, "gen:", err)
			return 2
		}
		fmt.Fprintf(stdout, "wrote a git repository of the synthetic model (%v) in %s: base on %s, pull requests on %s and %s\n",
			shape, *out, synthetic.BaseBranch, synthetic.PullRequestBranch, synthetic.IncompatibleBranch)
		return 0
	}
	if err := synthetic.Write(*out, shape, variant); err != nil {
		fmt.Fprintln(stderr, "gen:", err)
		return 2
	}
	fmt.Fprintf(stdout, "wrote the %s synthetic model (%v): %d datasets, %d columns, %d workspaces in %s\n",
		variant, shape, shape.DatasetCount(), shape.ColumnCount(), shape.WorkspaceCount(), *out)
	return 0
}
