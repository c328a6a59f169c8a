package main

import (
	"context"
	"io"

	"github.com/spf13/pflag"

	"github.com/datasurface/datasurface-go/ecosystem"
	"github.com/datasurface/datasurface-go/ecosystem/report"
	"github.com/datasurface/datasurface-go/graph"
	"github.com/datasurface/datasurface-go/internal/safetext"
	"github.com/datasurface/datasurface-go/platforms"
)

// The broker's commands: graph, explain, impact, upstream and plan. Each
// evaluates a model, hands it to the broker and prints one of its views.

func init() {
	register(&command{name: "graph", usage: "[flags] MODEL_DIR", summary: "Print the pipeline graph of every platform (or one) as JSON, DOT or Mermaid.", dirArgs: 1, setup: runGraph})
	register(&command{name: "explain", usage: "[flags] MODEL_DIR WORKSPACE GROUP", summary: "Say which platforms serve a dataset group, and why each other platform does not.", dirArgs: 1, setup: runExplain})
	register(&command{name: "impact", usage: "[flags] MODEL_DIR STORE[.DATASET[.COLUMN]]", summary: "List the workspaces that consume a store, dataset or column, directly or through transformers.", dirArgs: 1, setup: runImpact})
	register(&command{name: "upstream", usage: "[flags] MODEL_DIR WORKSPACE", summary: "List the producers a workspace depends on, directly or through transformers.", dirArgs: 1, setup: runUpstream})
}

// evalModel evaluates the model in dir for a command that shows a view of
// it. Evaluation errors are printed to stderr as text and end the command
// (exit 2).
func evalModel(ctx context.Context, e *env, name, dir string, ef *evalFlags) (*ecosystem.Ecosystem, int, bool) {
	m, evalDiags, fsys, err := loadModel(ctx, dir, ef)
	if err != nil {
		errorf(e, "dsl %s: %v\n", name, err)
		return nil, exitUsage, false
	}
	if m == nil {
		rep := &report.Report{Tool: toolInfo(), Command: name, Diagnostics: evalDiags, Root: slashRoot(dir), Sources: report.FromFS(fsys)}
		_ = report.Write(e.stderr, report.Text, rep)
		return nil, exitUsage, false
	}
	return m, 0, true
}

// brokerModel evaluates the model in dir (see evalModel) and binds it to
// dsl's platforms.
func brokerModel(ctx context.Context, e *env, name, dir string, ef *evalFlags) (*platforms.Bound, int, bool) {
	m, code, ok := evalModel(ctx, e, name, dir, ef)
	if !ok {
		return nil, code, false
	}
	return registry().Broker(m), 0, true
}

// textOrJSONFlag defines the --format flag of the commands that print text
// or JSON.
func textOrJSONFlag(fs *pflag.FlagSet) *string {
	format := fs.String("format", "text", "output format: text or json")
	flagValues(fs, "format", "text", "json")
	return format
}

// textOrJSON parses the --format of the commands that print text or JSON.
func textOrJSON(c *command, e *env, format string) (json bool, code int, ok bool) {
	switch format {
	case "text":
		return false, 0, true
	case "json":
		return true, 0, true
	}
	return false, usageError(e, c, "unknown --format %q: want text or json", format), false
}

// writer is a report that prints as text or JSON.
type writer interface {
	WriteText(io.Writer) error
	WriteJSON(io.Writer) error
}

func write(e *env, name string, r writer, asJSON bool) int {
	var err error
	if asJSON {
		err = r.WriteJSON(e.stdout)
	} else {
		err = r.WriteText(e.stdout)
	}
	if err != nil {
		errorf(e, "dsl %s: %v\n", name, err)
		return exitUsage
	}
	return exitClean
}

func runGraph(fs *pflag.FlagSet) runFunc {
	var ef evalFlags
	ef.register(fs)
	platform := fs.String("platform", "", "print only this platform's pipeline")
	format := fs.String("format", "json", "output format: json, dot or mermaid")
	formats := make([]string, len(graph.Formats))
	for i, f := range graph.Formats {
		formats[i] = string(f)
	}
	flagValues(fs, "format", formats...)
	return func(ctx context.Context, e *env, args []string) int {
		c := lookup("graph")
		if len(args) != 1 {
			return usageError(e, c, "want one model folder, got %d arguments", len(args))
		}
		f, err := graph.ParseFormat(*format)
		if err != nil {
			return usageError(e, c, "%v", err)
		}
		b, code, ok := brokerModel(ctx, e, c.name, args[0], &ef)
		if !ok {
			return code
		}
		pipelines := b.Graph.Pipelines
		if *platform != "" {
			p := b.Graph.Pipeline(*platform)
			if p == nil {
				return usageError(e, c, "--platform %q is not declared in the model (declared: %s)", *platform, platformNames(b.Graph.Pipelines))
			}
			pipelines = []*graph.Pipeline{p}
		}
		// Problems (an unbound platform, a group no platform can serve) go to
		// stderr: the graph on stdout stays a clean document for other tools.
		if len(b.Diagnostics) > 0 {
			_ = report.Write(e.stderr, report.Text, &report.Report{Tool: toolInfo(), Command: c.name, Diagnostics: b.Diagnostics, Root: slashRoot(args[0])})
		}
		if err := graph.Write(e.stdout, f, pipelines...); err != nil {
			errorf(e, "dsl graph: %v\n", err)
			return exitUsage
		}
		return report.ExitCode(b.Diagnostics, ecosystem.Error)
	}
}

func platformNames(ps []*graph.Pipeline) string {
	names := ""
	for i, p := range ps {
		if i > 0 {
			names += ", "
		}
		names += p.Platform
	}
	if names == "" {
		return "none"
	}
	return names
}

func runExplain(fs *pflag.FlagSet) runFunc {
	var ef evalFlags
	ef.register(fs)
	format := textOrJSONFlag(fs)
	return func(ctx context.Context, e *env, args []string) int {
		c := lookup("explain")
		if len(args) != 3 {
			return usageError(e, c, "want a model folder, a workspace and a dataset group, got %d arguments", len(args))
		}
		asJSON, code, ok := textOrJSON(c, e, *format)
		if !ok {
			return code
		}
		b, code, ok := brokerModel(ctx, e, c.name, args[0], &ef)
		if !ok {
			return code
		}
		ga, err := b.Graph.Assignments.Explain(args[1], args[2])
		if err != nil {
			errorf(e, "dsl %v\n", err) // the error starts with "explain: "
			return exitUsage
		}
		return write(e, c.name, ga, asJSON)
	}
}

func runImpact(fs *pflag.FlagSet) runFunc {
	return runLineage(fs, "impact", "a model folder and STORE[.DATASET[.COLUMN]]", func(m *ecosystem.Ecosystem, target string) (writer, error) {
		return graph.Impact(m, target)
	})
}

func runUpstream(fs *pflag.FlagSet) runFunc {
	return runLineage(fs, "upstream", "a model folder and a workspace", func(m *ecosystem.Ecosystem, target string) (writer, error) {
		return graph.Upstream(m, target)
	})
}

// runLineage sets up impact or upstream: both take a model and one target.
func runLineage(fs *pflag.FlagSet, name, want string, query func(*ecosystem.Ecosystem, string) (writer, error)) runFunc {
	var ef evalFlags
	ef.register(fs)
	format := textOrJSONFlag(fs)
	return func(ctx context.Context, e *env, args []string) int {
		c := lookup(name)
		if len(args) != 2 {
			return usageError(e, c, "want %s, got %d arguments", want, len(args))
		}
		asJSON, code, ok := textOrJSON(c, e, *format)
		if !ok {
			return code
		}
		m, code, ok := evalModel(ctx, e, c.name, args[0], &ef)
		if !ok {
			return code
		}
		r, err := query(m, args[1])
		if err != nil {
			errorf(e, "dsl %s\n", safetext.Text(err.Error())) // the error starts with the command's name
			return exitUsage
		}
		return write(e, c.name, r, asJSON)
	}
}
