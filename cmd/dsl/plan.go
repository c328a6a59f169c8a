package main

import (
	"context"
	"io/fs"
	"os"

	"github.com/spf13/pflag"

	"github.com/datasurface/datasurface-go/ecosystem"
	"github.com/datasurface/datasurface-go/ecosystem/report"
	"github.com/datasurface/datasurface-go/governance/gitfs"
	"github.com/datasurface/datasurface-go/graph"
	"github.com/datasurface/datasurface-go/starlark"
)

func init() {
	register(&command{
		name:    "plan",
		usage:   "[flags] (--repo PATH --base REV --head REV | BASE_DIR HEAD_DIR)",
		summary: "Show the pipeline nodes and edges a change adds, removes and changes, per platform.",
		dirArgs: 2,
		setup:   runPlan,
	})
}

func runPlan(flags *pflag.FlagSet) runFunc {
	var ef evalFlags
	ef.register(flags)
	repoPath := flags.String("repo", "", "read both models from this git repository")
	baseRev := flags.String("base", "", "with --repo: the base revision")
	headRev := flags.String("head", "", "with --repo: the head revision")
	dir := flags.String("dir", ".", "with --repo: the model root's folder inside the repository")
	flagDir(flags, "repo")
	format := textOrJSONFlag(flags)
	return func(ctx context.Context, e *env, args []string) int {
		c := lookup("plan")
		asJSON, code, ok := textOrJSON(c, e, *format)
		if !ok {
			return code
		}
		var baseFS, headFS fs.FS
		var baseName, headName string
		switch {
		case *repoPath != "":
			if len(args) != 0 || *baseRev == "" || *headRev == "" {
				return usageError(e, c, "with --repo, give --base and --head and no folders")
			}
			modelDir, err := cleanDir(*dir)
			if err != nil {
				return usageError(e, c, "%v", err)
			}
			repo, err := gitfs.Open(*repoPath)
			if err != nil {
				errorf(e, "dsl plan: %v\n", err)
				return exitUsage
			}
			if baseFS, err = revisionFS(repo, *baseRev, modelDir); err == nil {
				headFS, err = revisionFS(repo, *headRev, modelDir)
			}
			if err != nil {
				errorf(e, "dsl plan: %v\n", err)
				return exitUsage
			}
			baseName, headName = *baseRev, *headRev
		case len(args) == 2:
			for _, d := range args {
				if info, err := os.Stat(d); err != nil || !info.IsDir() {
					return usageError(e, c, "%s is not a model folder", d)
				}
			}
			var err error
			if baseFS, err = modelRoot(args[0]); err == nil {
				headFS, err = modelRoot(args[1])
			}
			if err != nil {
				errorf(e, "dsl plan: %v\n", err)
				return exitUsage
			}
			baseName, headName = args[0], args[1]
		default:
			return usageError(e, c, "want two model folders, or --repo with --base and --head")
		}

		// One cache for both: files the change leaves alone are evaluated once.
		opts := ef.options(starlark.WithCache(starlark.NewCache()))
		var pipelines [2][]*graph.Pipeline
		for i, side := range []struct {
			name string
			fsys fs.FS
		}{{baseName, baseFS}, {headName, headFS}} {
			m, err := starlark.Evaluate(ctx, side.fsys, opts...)
			if err != nil {
				if de, ok := err.(ecosystem.DiagnosticsError); ok {
					errorf(e, "dsl plan: the model in %s does not evaluate:\n", side.name)
					_ = report.Write(e.stderr, report.Text, &report.Report{Tool: toolInfo(), Command: c.name, Diagnostics: ecosystem.Diagnostics(de), Sources: report.FromFS(side.fsys)})
				} else {
					errorf(e, "dsl plan: %s: %v\n", side.name, err)
				}
				return exitUsage
			}
			pipelines[i] = registry().Broker(m).Graph.Pipelines
		}
		return write(e, c.name, graph.Diff(pipelines[0], pipelines[1]), asJSON)
	}
}
