package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/datasurface/datasurface-go/ecosystem"
	"github.com/datasurface/datasurface-go/ecosystem/odcs"
	"github.com/datasurface/datasurface-go/graph"
	"github.com/datasurface/datasurface-go/graph/openlineage"
)

func init() {
	register(&command{
		name:    "export",
		usage:   "[flags] --format odcs|openlineage MODEL_DIR",
		summary: "Export the model's datasets as ODCS data contracts, or its pipelines as OpenLineage job events, to stdout or into --out.",
		exitHelp: "Exit codes: 0 exported, 1 the model has errors (nothing is written), " +
			"2 usage, load or write failure (nothing is half-written, and no existing file is replaced without --force).",
		dirArgs: 1,
		setup:   runExport,
	})
}

// exportFile is one file an export writes: a name inside --out and its bytes.
type exportFile struct {
	name string
	data []byte
}

func runExport(fs *pflag.FlagSet) runFunc {
	var ef evalFlags
	ef.register(fs)
	format := fs.String("format", "", "what to export: odcs (one data contract per dataset) or openlineage (the job events of each platform's pipeline)")
	flagValues(fs, "format", "odcs", "openlineage")
	out := fs.String("out", "", "write one file per contract (STORE.DATASET.odcs.yaml) or per platform (PLATFORM.openlineage.jsonl) into this folder, created when missing; default: everything to stdout")
	flagDir(fs, "out")
	force := fs.Bool("force", false, "with --out: replace files that exist already (default: refuse and write nothing)")
	platform := fs.String("platform", "", "export only this platform's pipeline (openlineage) or the datasets it ingests (odcs)")
	eventTime := fs.String("event-time", "", "openlineage: the eventTime of every event, RFC 3339 (default: $SOURCE_DATE_EPOCH when set, else now), so that an export can be reproduced byte for byte")
	return func(ctx context.Context, e *env, args []string) int {
		c := lookup("export")
		if len(args) != 1 {
			return usageError(e, c, "want one model folder, got %d arguments", len(args))
		}
		if *format != "odcs" && *format != "openlineage" {
			return usageError(e, c, "--format %q: want odcs or openlineage", *format)
		}
		if *force && *out == "" {
			return usageError(e, c, "--force replaces files in --out: give --out too")
		}
		at, err := exportTime(e, *eventTime)
		if err != nil {
			return usageError(e, c, "%v", err)
		}
		dir := args[0]
		m, evalDiags, fsys, err := loadModel(ctx, dir, &ef)
		if err != nil {
			errorf(e, "dsl export: %v\n", err)
			return exitUsage
		}
		if m == nil {
			printDiagnostics(e, c, dir, fsys, evalDiags)
			return exitUsage
		}
		// A contract or a lineage graph of a model its owners could not
		// merge would publish something that is not true: refuse, as dsl
		// run does.
		errs, err := modelErrors(ctx, m)
		if err != nil {
			errorf(e, "dsl export: %v\n", err)
			return exitUsage
		}
		if len(errs) > 0 {
			errorf(e, "dsl export: the model in %s has %s; nothing is exported until they are fixed (dsl lint %s shows the same):\n", dir, plural(len(errs), "error"), dir)
			printDiagnostics(e, c, dir, fsys, errs)
			return exitFindings
		}
		pipelines := registry().Broker(m).Graph.Pipelines
		if *platform != "" {
			i := slices.IndexFunc(pipelines, func(p *graph.Pipeline) bool { return p.Platform == *platform })
			if i < 0 {
				return usageError(e, c, "--platform %q is not declared in the model (declared: %s)", *platform, platformNames(pipelines))
			}
			pipelines = pipelines[i : i+1]
		}
		var files []exportFile
		if *format == "odcs" {
			files, err = odcsFiles(m, pipelines, *platform != "")
		} else {
			files, err = lineageFiles(m, pipelines, at)
		}
		if err != nil {
			errorf(e, "dsl export: %v\n", err)
			return exitUsage
		}
		if *out == "" {
			return writeStream(e, *format, files)
		}
		if err := writeExportFiles(*out, files, *force); err != nil {
			errorf(e, "dsl export: %v\n", err)
			return exitUsage
		}
		fmt.Fprintf(e.stderr, "dsl export: wrote %s into %s\n", plural(len(files), "file"), *out)
		return exitClean
	}
}

// exportTime returns the time of the OpenLineage events: --event-time, else
// $SOURCE_DATE_EPOCH (seconds since 1970, the reproducible-builds
// convention), else now.
func exportTime(e *env, flag string) (time.Time, error) {
	if flag != "" {
		t, err := time.Parse(time.RFC3339Nano, flag)
		if err != nil {
			return time.Time{}, fmt.Errorf("--event-time %q is not an RFC 3339 time such as 2026-09-01T12:00:00Z", flag)
		}
		return t.UTC(), nil
	}
	if s := e.getenv("SOURCE_DATE_EPOCH"); s != "" {
		secs, err := strconv.ParseInt(s, 10, 64)
		if err != nil || secs < 0 {
			return time.Time{}, fmt.Errorf("SOURCE_DATE_EPOCH %q is not a number of seconds since 1970", s)
		}
		return time.Unix(secs, 0).UTC(), nil
	}
	return time.Now().UTC(), nil
}

// odcsFiles returns one contract per dataset, in model order; with
// onlyIngested, only the datasets the pipelines ingest.
func odcsFiles(m *ecosystem.Ecosystem, pipelines []*graph.Pipeline, onlyIngested bool) ([]exportFile, error) {
	ingested := map[*ecosystem.Dataset]bool{}
	for _, p := range pipelines {
		for _, n := range p.Nodes {
			if n.Kind == graph.KindIngest {
				for _, d := range n.Model.Datasets {
					ingested[d] = true
				}
			}
		}
	}
	var files []exportFile
	for _, s := range m.Datastores() {
		for _, d := range s.Store.Datasets {
			if onlyIngested && !ingested[d] {
				continue
			}
			data, err := odcs.Marshal(odcs.Contract(m, ecosystem.DatasetRef{StoreRef: s, Dataset: d}))
			if err != nil {
				return nil, err
			}
			files = append(files, exportFile{name: s.Store.Name + "." + d.Name + ".odcs.yaml", data: data})
		}
	}
	return files, nil
}

// lineageFiles returns the static job events of each pipeline that has
// jobs, one JSON-lines file per platform, in platform order.
func lineageFiles(m *ecosystem.Ecosystem, pipelines []*graph.Pipeline, at time.Time) ([]exportFile, error) {
	var files []exportFile
	for _, p := range pipelines {
		var events []openlineage.Event
		for _, ev := range (openlineage.Facets{}).StaticEvents(m.Name, p, at) {
			events = append(events, ev)
		}
		if len(events) == 0 {
			continue
		}
		var b bytes.Buffer
		if err := openlineage.WriteLines(&b, events...); err != nil {
			return nil, err
		}
		files = append(files, exportFile{name: p.Platform + ".openlineage.jsonl", data: b.Bytes()})
	}
	return files, nil
}

// writeStream writes the export to stdout: contracts as one YAML stream
// (each document after a "---" line), events as JSON lines.
func writeStream(e *env, format string, files []exportFile) int {
	var b bytes.Buffer
	for _, f := range files {
		if format == "odcs" {
			b.WriteString("---\n")
		}
		b.Write(f.data)
	}
	if _, err := e.stdout.Write(b.Bytes()); err != nil {
		errorf(e, "dsl export: %v\n", err)
		return exitUsage
	}
	return exitClean
}

// writeExportFiles writes files into dir so that nothing is half-written:
// every name is checked first (safe, distinct even on a file system that
// ignores case, and, without force, not there yet), then every file is
// written and synced in a temporary folder inside dir and only then
// renamed into place, one atomic rename each. On an error before the
// renames nothing in dir changes; a rename that fails (a folder in the
// way) leaves the files renamed before it, each complete.
func writeExportFiles(dir string, files []exportFile, force bool) error {
	seen := map[string]string{}
	for _, f := range files {
		if !safeFileName(f.name) {
			return fmt.Errorf("%q cannot be a file name: model names must be SQL identifiers (dsl lint checks them)", f.name)
		}
		low := strings.ToLower(f.name)
		if other, dup := seen[low]; dup {
			return fmt.Errorf("the files %s and %s would be the same file on a file system that ignores case: rename one of the objects", other, f.name)
		}
		seen[low] = f.name
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("the --out folder: %w", err)
	}
	if !force {
		var exist []string
		for _, f := range files {
			if _, err := os.Lstat(filepath.Join(dir, f.name)); err == nil {
				exist = append(exist, f.name)
			} else if !errors.Is(err, os.ErrNotExist) {
				return err
			}
		}
		if len(exist) > 0 {
			shown := exist
			if len(shown) > 3 {
				shown = append(slices.Clone(shown[:3]), "...")
			}
			return fmt.Errorf("%s exist already in %s (%s); nothing was written: pass --force to replace them, or choose another --out",
				plural(len(exist), "file"), dir, strings.Join(shown, ", "))
		}
	}
	tmp, err := os.MkdirTemp(dir, ".dsl-export-")
	if err != nil {
		return fmt.Errorf("the --out folder: %w", err)
	}
	defer os.RemoveAll(tmp)
	for _, f := range files {
		if err := writeSynced(filepath.Join(tmp, f.name), f.data); err != nil {
			return fmt.Errorf("nothing was written into %s: %w", dir, err)
		}
	}
	for i, f := range files {
		if err := os.Rename(filepath.Join(tmp, f.name), filepath.Join(dir, f.name)); err != nil {
			return fmt.Errorf("%d of %d files written into %s, then: %w", i, len(files), dir, err)
		}
	}
	return nil
}

// writeSynced writes a file and syncs it to disk before it is renamed into
// place, so that a crash cannot leave a renamed but empty file.
func writeSynced(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, bytes.NewReader(data)); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// safeFileName reports whether name is a plain file name: ASCII letters,
// digits, '_', '.' and '-', not starting with '.'.
func safeFileName(name string) bool {
	if name == "" || name[0] == '.' {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '.' || c == '-') {
			return false
		}
	}
	return true
}
