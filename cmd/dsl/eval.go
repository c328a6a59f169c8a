package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/spf13/pflag"

	"github.com/datasurface/datasurface-go/ecosystem"
	"github.com/datasurface/datasurface-go/internal/safetext"
)

func init() {
	register(&command{
		name:    "eval",
		usage:   "[flags] MODEL_DIR",
		summary: "Evaluate a model and print it: a summary, or the whole model as JSON.",
		dirArgs: 1,
		setup:   runEval,
	})
}

// modelJSONVersion is the version of the `dsl eval --format json` shape
// documented in docs/MODEL_JSON.md.
const modelJSONVersion = 1

func runEval(fs *pflag.FlagSet) runFunc {
	var ef evalFlags
	ef.register(fs)
	format := fs.String("format", "text", "output format: text (a summary) or json (the whole model)")
	flagValues(fs, "format", "text", "json")
	return func(ctx context.Context, e *env, args []string) int {
		c := lookup("eval")
		if len(args) != 1 {
			return usageError(e, c, "want one model folder, got %d arguments", len(args))
		}
		if *format != "text" && *format != "json" {
			return usageError(e, c, "unknown --format %q: want text or json", *format)
		}
		dir := args[0]
		m, code, ok := evalModel(ctx, e, c.name, dir, &ef)
		if !ok {
			return code
		}
		if *format == "json" {
			enc := json.NewEncoder(e.stdout)
			enc.SetIndent("", "  ")
			if err := enc.Encode(struct {
				Version int                  `json:"version"`
				Model   *ecosystem.Ecosystem `json:"model"`
			}{modelJSONVersion, m}); err != nil {
				errorf(e, "dsl eval: %v\n", err)
				return exitUsage
			}
			return exitClean
		}
		writeSummary(e.stdout, m)
		return exitClean
	}
}

// modelCounts are the sizes the summary shows.
type modelCounts struct {
	zones, teams, stores, datasets, columns, workspaces, groups, sinks, transformers int
}

func countModel(m *ecosystem.Ecosystem) modelCounts {
	var n modelCounts
	n.zones = len(m.Zones)
	for _, z := range m.Zones {
		n.teams += len(z.Teams)
	}
	for _, s := range m.Datastores() {
		n.stores++
		n.datasets += len(s.Store.Datasets)
		for _, d := range s.Store.Datasets {
			n.columns += len(d.Columns)
		}
	}
	for _, w := range m.Workspaces() {
		n.workspaces++
		n.groups += len(w.Workspace.Groups)
		for _, g := range w.Workspace.Groups {
			n.sinks += len(g.Sinks)
		}
		if w.Workspace.Transformer != nil {
			n.transformers++
		}
	}
	return n
}

// writeSummary prints the model's totals, then one line per team. Names
// and repositories are the model's text, so each is printed as one safe
// line (safetext.Line): a name cannot break the table or send escape
// sequences or workflow commands.
func writeSummary(w io.Writer, m *ecosystem.Ecosystem) {
	n := countModel(m)
	line := safetext.Line
	fmt.Fprintf(w, "ecosystem %s (owner %s, live %s)\n", line(m.Name), line(m.Repo.String()), line(m.LiveRepo.String()))
	fmt.Fprintf(w, "  %s, %s, %s, %s\n", plural(len(m.Vendors), "vendor"), plural(len(m.Platforms), "platform"), plural(n.zones, "zone"), plural(n.teams, "team"))
	fmt.Fprintf(w, "  %s, %s, %s\n", plural(n.stores, "datastore"), plural(n.datasets, "dataset"), plural(n.columns, "column"))
	fmt.Fprintf(w, "  %s, %s, %s, %s\n\n", plural(n.workspaces, "workspace"), plural(n.groups, "dataset group"), plural(n.sinks, "sink"), plural(n.transformers, "transformer"))
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ZONE\tTEAM\tREPO\tSTORES\tDATASETS\tWORKSPACES")
	for _, z := range m.Zones {
		if len(z.Teams) == 0 {
			fmt.Fprintf(tw, "%s\t-\t%s\t0\t0\t0\n", line(z.Name), line(z.Repo.String()))
		}
		for _, t := range z.Teams {
			datasets := 0
			for _, s := range t.Datastores {
				datasets += len(s.Datasets)
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%d\t%d\n", line(z.Name), line(t.Name), line(t.Repo.String()), len(t.Datastores), datasets, len(t.Workspaces))
		}
	}
	tw.Flush()
}

// plural formats a count with its noun, adding "s" unless the count is one.
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
