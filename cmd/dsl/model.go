package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
	"time"

	"github.com/spf13/pflag"

	"github.com/datasurface/datasurface-go/ecosystem"
	"github.com/datasurface/datasurface-go/ecosystem/report"
	"github.com/datasurface/datasurface-go/starlark"
)

// evalFlags are the sandbox limits every command that evaluates a model takes.
type evalFlags struct {
	maxSteps    uint64
	timeout     time.Duration
	maxMemory   int64
	maxTotal    int64
	maxFileSize int64
	entry       string
}

func (f *evalFlags) register(fs *pflag.FlagSet) {
	fs.Uint64Var(&f.maxSteps, "max-steps", starlark.DefaultMaxSteps, "step limit of each model file's evaluation")
	fs.DurationVar(&f.timeout, "timeout", starlark.DefaultTimeout, "wall-time limit of the whole evaluation")
	fs.Int64Var(&f.maxMemory, "max-memory", starlark.DefaultMaxMemory, "memory budget in bytes of the values each model file builds")
	fs.Int64Var(&f.maxTotal, "max-total-memory", starlark.DefaultMaxTotalMemory, "memory budget in bytes of the values all model files build together")
	fs.Int64Var(&f.maxFileSize, "max-file-size", starlark.DefaultMaxFileSize, "size limit in bytes of each model file")
	fs.StringVar(&f.entry, "entry", starlark.DefaultEntry, "the model's entry file, relative to the model root")
}

func (f *evalFlags) options(extra ...starlark.Option) []starlark.Option {
	return append([]starlark.Option{
		starlark.WithMaxSteps(f.maxSteps),
		starlark.WithTimeout(f.timeout),
		starlark.WithMaxFileSize(f.maxFileSize),
		starlark.WithMaxMemory(f.maxMemory),
		starlark.WithMaxTotalMemory(f.maxTotal),
		starlark.WithEntry(f.entry),
	}, extra...)
}

// reportFlags are the output flags of every command that reports findings.
type reportFlags struct {
	format report.Format
	failOn ecosystem.Severity
}

func (f *reportFlags) register(fs *pflag.FlagSet) {
	f.format = report.Text
	f.failOn = ecosystem.Error
	fs.TextVar(&f.format, "format", report.Text, "output format: text, json, sarif, github, junit or markdown")
	fs.TextVar(&f.failOn, "fail-on", ecosystem.Error, "exit 1 on findings at or above this severity: error, warning or info")
	formats := make([]string, 0, len(report.Formats()))
	for _, f := range report.Formats() {
		formats = append(formats, f.String())
	}
	flagValues(fs, "format", formats...)
	flagValues(fs, "fail-on", "error", "warning", "info")
}

// loadModel evaluates the model rooted at dir. A model error comes back as
// diagnostics (with a nil model); anything else (a missing folder) as err.
func loadModel(ctx context.Context, dir string, f *evalFlags) (*ecosystem.Ecosystem, ecosystem.Diagnostics, fs.FS, error) {
	info, err := os.Stat(dir)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("model folder: %w", err)
	}
	if !info.IsDir() {
		return nil, nil, nil, fmt.Errorf("model folder %s is not a folder: pass the folder that holds %s", dir, f.entry)
	}
	fsys, err := modelRoot(dir)
	if err != nil {
		return nil, nil, nil, err
	}
	m, err := starlark.Evaluate(ctx, fsys, f.options()...)
	var de ecosystem.DiagnosticsError
	if errors.As(err, &de) {
		return nil, ecosystem.Diagnostics(de), fsys, nil
	}
	if err != nil {
		return nil, nil, fsys, err
	}
	return m, nil, fsys, nil
}

// modelRoot returns the model folder as a file system that cannot be left:
// unlike os.DirFS, an os.Root refuses symbolic links that point outside the
// folder, so a model's load() reads nothing outside its root whatever links
// a checkout holds.
func modelRoot(dir string) (fs.FS, error) {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("model folder: %w", err)
	}
	return root.FS(), nil
}

// slashRoot returns dir as a slash-separated path relative to the working
// folder where possible, for file names in reports.
func slashRoot(dir string) string {
	if abs, err := filepath.Abs(dir); err == nil {
		if wd, err := os.Getwd(); err == nil {
			if rel, err := filepath.Rel(wd, abs); err == nil && filepath.IsLocal(rel) {
				dir = rel
			}
		}
	}
	if dir == "." {
		return ""
	}
	return filepath.ToSlash(dir)
}

// toolInfo identifies dsl in reports.
func toolInfo() report.Tool {
	return report.Tool{Name: "dsl", Version: version(), InformationURI: "https://github.com/datasurface/datasurface-go"}
}

// version is the module version dsl was built from, or "devel".
func version() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "devel"
}
