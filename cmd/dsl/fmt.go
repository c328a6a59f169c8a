package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/spf13/pflag"

	"github.com/datasurface/datasurface-go/internal/safetext"
	"github.com/datasurface/datasurface-go/starlark/format"
)

func init() {
	register(&command{
		name:    "fmt",
		usage:   "[-w] [--check] PATH...",
		summary: "Format model files (.star) in the one canonical layout: print the result, list the files that would change, rewrite them (-w) or fail when one is not formatted (--check).",
		exitHelp: "Exit codes: 0 done (with --check: every file is formatted), 1 with --check: some files are not formatted, " +
			"2 usage error, a file that cannot be read or parsed (then no file is rewritten), or a file that cannot be written " +
			"(each file is replaced whole or not at all).",
		setup: runFmt,
	})
}

func runFmt(fs *pflag.FlagSet) runFunc {
	write := fs.BoolP("write", "w", false, "rewrite the files that are not formatted, in place, and list them")
	check := fs.Bool("check", false, "list the files that are not formatted and exit 1 if there is one; change nothing (for CI)")
	return func(_ context.Context, e *env, args []string) int {
		c := lookup("fmt")
		if *write && *check {
			return usageError(e, c, "-w and --check exclude each other: --check only reports, -w rewrites")
		}
		if len(args) == 0 {
			return usageError(e, c, "want at least one file or folder to format")
		}
		files, single, err := fmtTargets(args)
		if err != nil {
			errorf(e, "dsl fmt: %v", err)
			return exitUsage
		}
		// Format every file before writing any, so that a file that does
		// not parse leaves all of them as they were.
		all, errs := formatFiles(files)
		results := make([]fmtResult, 0, len(files))
		failed := false
		for i, err := range errs {
			if err != nil {
				errorf(e, "dsl fmt: %v", err)
				failed = true
				continue
			}
			results = append(results, all[i])
		}
		if failed {
			if *write {
				errorf(e, "dsl fmt: no file was rewritten; fix the errors above and run dsl fmt -w again")
			}
			return exitUsage
		}
		switch {
		case *write:
			for _, r := range results {
				if r.changed() {
					if err := writeAtomic(r.path, r.out); err != nil {
						errorf(e, "dsl fmt: %v", err)
						return exitUsage
					}
					fmt.Fprintln(e.stdout, safetext.Line(r.path))
				}
			}
			return exitClean
		case *check:
			var unformatted []string
			for _, r := range results {
				if r.changed() {
					unformatted = append(unformatted, r.path)
					fmt.Fprintln(e.stdout, safetext.Line(r.path))
				}
			}
			if len(unformatted) > 0 {
				errorf(e, "dsl fmt: %d of %d files are not formatted; dsl fmt -w %s formats them",
					len(unformatted), len(results), strings.Join(quoteArgs(args), " "))
				return exitFindings
			}
			return exitClean
		case single:
			// One file named on its own: print it formatted, like gofmt.
			_, _ = e.stdout.Write(results[0].out)
			return exitClean
		default:
			for _, r := range results {
				if r.changed() {
					fmt.Fprintln(e.stdout, safetext.Line(r.path))
				}
			}
			return exitClean
		}
	}
}

// fmtResult is one file and its formatted text.
type fmtResult struct {
	path    string
	in, out []byte
}

func (r fmtResult) changed() bool { return !bytes.Equal(r.in, r.out) }

// formatFiles formats files in parallel, one worker per CPU (a large model
// is thousands of files), and returns the results and errors in the order
// of files.
func formatFiles(files []string) ([]fmtResult, []error) {
	results := make([]fmtResult, len(files))
	errs := make([]error, len(files))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(files)) {
		wg.Go(func() {
			for i := range next {
				results[i], errs[i] = formatFile(files[i])
			}
		})
	}
	for i := range files {
		next <- i
	}
	close(next)
	wg.Wait()
	return results, errs
}

// formatFile reads and formats one file.
func formatFile(path string) (fmtResult, error) {
	in, err := os.ReadFile(path)
	if err != nil {
		return fmtResult{}, err
	}
	out, err := format.Source(path, in)
	if err != nil {
		return fmtResult{}, err
	}
	return fmtResult{path: path, in: in, out: out}, nil
}

// fmtTargets lists the files named by args, sorted and without duplicates:
// a file is taken whatever its name, a folder is walked for *.star files
// (skipping folders whose names start with "." such as .git and dsl run's
// .dsl). single is true when args is exactly one file.
func fmtTargets(args []string) (files []string, single bool, err error) {
	for _, a := range args {
		info, err := os.Stat(a)
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil, false, fmt.Errorf("%s: no such file or folder", a)
			}
			return nil, false, err
		}
		if !info.IsDir() {
			files = append(files, filepath.Clean(a))
			continue
		}
		err = filepath.WalkDir(a, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() {
				if path != a && strings.HasPrefix(d.Name(), ".") {
					return filepath.SkipDir
				}
				return nil
			}
			if strings.HasSuffix(d.Name(), ".star") && d.Type().IsRegular() {
				files = append(files, path)
			}
			return nil
		})
		if err != nil {
			return nil, false, err
		}
	}
	slices.Sort(files)
	files = slices.Compact(files)
	if len(files) == 0 {
		return nil, false, fmt.Errorf("no .star files in %s", strings.Join(args, ", "))
	}
	single = len(args) == 1 && len(files) == 1 && files[0] == filepath.Clean(args[0])
	return files, single, nil
}

// writeAtomic replaces the file at path with data: it writes a temporary
// file in the same folder, gives it the file's permissions and renames it
// over the file, so that a reader (or a crash) sees the old text or the new,
// never part of it. A symbolic link is followed: its target is replaced.
func writeAtomic(path string, data []byte) (err error) {
	target, err := filepath.EvalSymlinks(path)
	if err != nil {
		return err
	}
	info, err := os.Stat(target)
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(target), "."+filepath.Base(target)+".*.tmp")
	if err != nil {
		return fmt.Errorf("%s: cannot write next to it: %w", path, err)
	}
	defer func() {
		if err != nil {
			_ = tmp.Close()
			_ = os.Remove(tmp.Name())
		}
	}()
	if _, err = tmp.Write(data); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if err = tmp.Chmod(info.Mode().Perm()); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if err = tmp.Sync(); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if err = tmp.Close(); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if err = os.Rename(tmp.Name(), target); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

// quoteArgs quotes the arguments that a shell would split or expand, for a
// command line printed as advice.
func quoteArgs(args []string) []string {
	out := make([]string, len(args))
	for i, a := range args {
		if a == "" || strings.ContainsAny(a, " \t\n'\"\\$`*?[]{}()<>|&;#~!") {
			out[i] = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
		} else {
			out[i] = a
		}
	}
	return out
}
