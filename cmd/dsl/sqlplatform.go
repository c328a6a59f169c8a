package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"strings"

	"github.com/spf13/pflag"

	"github.com/datasurface/datasurface-go/ecosystem"
	"github.com/datasurface/datasurface-go/ecosystem/report"
	"github.com/datasurface/datasurface-go/graph"
	"github.com/datasurface/datasurface-go/graph/openlineage"
	"github.com/datasurface/datasurface-go/internal/safetext"
	"github.com/datasurface/datasurface-go/platforms/sqlplatform"
)

// The commands run, status and reset work on one platform of kind sql of a
// model: this file finds it, binds it with the command line's settings and
// builds its pipeline. The commands themselves only print.

// platformFlags are the flags of the commands that work on a sql platform.
type platformFlags struct {
	eval     evalFlags
	platform string
	store    string
	// lineage is dsl run's --lineage: where to send OpenLineage events.
	lineage string
}

func (f *platformFlags) register(fs *pflag.FlagSet) {
	f.eval.register(fs)
	fs.StringVar(&f.platform, "platform", "", "the platform of kind sql to work on (may be left out when the model declares only one)")
	fs.StringVar(&f.store, "store", "", "the merge store to use instead of the model's: sqlite:PATH or postgres://USER@HOST/DB (the environment variable DSL_STORE_<PLATFORM> does the same)")
}

// sqlTarget is a model's sql platform bound for the command line, with its
// pipeline.
type sqlTarget struct {
	dir      string
	platform *sqlplatform.Platform
	pipeline *graph.Pipeline
	// store is the merge store as people may see it (no password) and
	// storeFrom where the choice came from.
	store, storeFrom string
	// lineage is the --lineage emitter, nil without one: close it when done.
	lineage openlineage.Emitter
}

// close releases what the target holds.
func (t *sqlTarget) close() error {
	if t.lineage != nil {
		return t.lineage.Close()
	}
	return nil
}

// openSQLPlatform evaluates the model in dir and binds its sql platform.
// With checked set (dsl run), a model with errors is refused: lint,
// policies and the broker must pass as in dsl lint, so that no data moves
// under a model its owners would not merge. Status and reset only read the
// pipeline, so that a broken model can still be inspected and repaired.
// On failure it prints why and returns the exit code, with ok false.
func openSQLPlatform(ctx context.Context, e *env, c *command, f *platformFlags, dir string, checked bool, logger *slog.Logger) (t *sqlTarget, code int, ok bool) {
	m, evalDiags, fsys, err := loadModel(ctx, dir, &f.eval)
	if err != nil {
		errorf(e, "dsl %s: %v\n", c.name, err)
		return nil, exitUsage, false
	}
	if m == nil {
		errorf(e, "dsl %s: the model in %s does not evaluate:\n", c.name, dir)
		printDiagnostics(e, c, dir, fsys, evalDiags)
		return nil, exitUsage, false
	}
	if checked {
		errs, err := modelErrors(ctx, m)
		if err != nil {
			errorf(e, "dsl %s: %v\n", c.name, err)
			return nil, exitUsage, false
		}
		if len(errs) > 0 {
			errorf(e, "dsl %s: the model in %s has %s; nothing runs until they are fixed (dsl lint %s shows the same):\n", c.name, dir, plural(len(errs), "error"), dir)
			printDiagnostics(e, c, dir, fsys, errs)
			return nil, exitFindings, false
		}
	}
	decl, code, ok := chooseSQLPlatform(e, c, m, f.platform)
	if !ok {
		return nil, code, false
	}
	t, err = bindSQLPlatform(m, decl, f, dir, logger)
	if err != nil {
		errorf(e, "dsl %s: %v\n", c.name, err)
		return nil, exitUsage, false
	}
	return t, exitClean, true
}

// bindSQLPlatform binds platform decl of model m with the command line's
// settings (--store, --lineage), and its primary's when it is a mirror,
// and builds its pipeline. Relative SQLite sources are read from dir.
func bindSQLPlatform(m *ecosystem.Ecosystem, decl *ecosystem.Platform, f *platformFlags, dir string, logger *slog.Logger) (*sqlTarget, error) {
	opts := []sqlplatform.Option{sqlplatform.WithModelRoot(dir), sqlplatform.WithLogger(logger)}
	if f.store != "" {
		opts = append(opts, sqlplatform.WithStoreFrom(f.store, "--store"))
	}
	var lineage openlineage.Emitter
	if f.lineage != "" {
		em, err := openlineage.Open(f.lineage)
		if err != nil {
			return nil, fmt.Errorf("--lineage: %w", err)
		}
		lineage = em
		opts = append(opts, sqlplatform.WithLineage(m.Name, em))
	}
	fail := func(err error) (*sqlTarget, error) {
		if lineage != nil {
			_ = lineage.Close()
		}
		return nil, err
	}
	if primary, ok := decl.Options["mirror_of"].(string); ok && primary != "" {
		// A mirror copies its primary's store: bind the primary too, with
		// its own store (its declaration, or DSL_STORE_<PRIMARY>).
		pd := m.Platform(primary)
		if pd == nil || pd.Kind != sqlplatform.Kind {
			return fail(fmt.Errorf("platform %s mirrors %q, which is not a platform of kind sql in the model", decl.Name, primary))
		}
		pp, err := sqlplatform.New(pd, sqlplatform.WithModelRoot(dir), sqlplatform.WithLogger(logger))
		if err != nil {
			return fail(fmt.Errorf("platform %s (the primary of %s): %w", pd.Name, decl.Name, err))
		}
		opts = append(opts, sqlplatform.WithPrimary(pp))
	}
	p, err := sqlplatform.New(decl, opts...)
	if err != nil {
		return fail(fmt.Errorf("platform %s: %w (dsl lint %s shows where)", decl.Name, err, dir))
	}
	store, from, err := p.Store()
	if err != nil {
		return fail(err)
	}
	pl := registry().Broker(m).Graph.Pipeline(decl.Name)
	if pl == nil {
		// The broker builds a pipeline for every declared platform.
		return fail(fmt.Errorf("platform %s has no pipeline", decl.Name))
	}
	return &sqlTarget{dir: dir, platform: p, pipeline: pl, store: store.String(), storeFrom: from, lineage: lineage}, nil
}

// chooseSQLPlatform returns the platform --platform names, or the model's
// only platform of kind sql when the flag is empty; otherwise it prints why
// and returns the exit code.
func chooseSQLPlatform(e *env, c *command, m *ecosystem.Ecosystem, name string) (*ecosystem.Platform, int, bool) {
	decl, err := sqlPlatformNamed(m, name, c.name)
	switch {
	case errors.Is(err, errNoSQLPlatform):
		errorf(e, "dsl %s: %v\n", c.name, err)
		return nil, exitUsage, false
	case err != nil:
		return nil, usageError(e, c, "%v", err), false
	}
	return decl, exitClean, true
}

// errNoSQLPlatform says the model declares no platform of kind sql.
var errNoSQLPlatform = errors.New(`the model declares no platform of kind sql, so there is nothing to run: declare one, platform("Warehouse", kind = "sql")`)

// sqlPlatformNamed returns the platform of kind sql that name names, or
// the model's only one when name is empty. Its error says what to pass
// instead; cmd is the command that messages name.
func sqlPlatformNamed(m *ecosystem.Ecosystem, name, cmd string) (*ecosystem.Platform, error) {
	var sqls []string
	for _, p := range m.Platforms {
		if p.Kind == sqlplatform.Kind {
			sqls = append(sqls, p.Name)
		}
	}
	if name == "" {
		switch len(sqls) {
		case 1:
			return m.Platform(sqls[0]), nil
		case 0:
			return nil, errNoSQLPlatform
		}
		return nil, fmt.Errorf("the model declares %d platforms of kind sql (%s): choose one with --platform", len(sqls), strings.Join(sqls, ", "))
	}
	decl := m.Platform(name)
	if decl == nil {
		var all []string
		for _, p := range m.Platforms {
			all = append(all, p.Name)
		}
		return nil, fmt.Errorf("--platform %q: the model declares no such platform%s", name, didYouMean(name, all))
	}
	if decl.Kind != sqlplatform.Kind {
		hint := "the model declares no platform of kind sql"
		if len(sqls) > 0 {
			hint = "its platforms of kind sql: " + strings.Join(sqls, ", ")
		}
		return nil, fmt.Errorf("platform %s is of kind %s, which does not move data: dsl %s works on platforms of kind sql (%s)", name, decl.Kind, cmd, hint)
	}
	return decl, nil
}

// printDiagnostics prints findings as dsl lint's text report, on stderr.
func printDiagnostics(e *env, c *command, dir string, fsys fs.FS, diags ecosystem.Diagnostics) {
	_ = report.Write(e.stderr, report.Text, &report.Report{
		Tool: toolInfo(), Command: c.name, Root: slashRoot(dir), Sources: report.FromFS(fsys), Diagnostics: diags,
	})
}

// describe is the first line the commands print: which platform, which
// store, and why that store.
func (t *sqlTarget) describe() string {
	return fmt.Sprintf("platform %s (sql, %s), merge store %s (%s)",
		safetext.Line(t.platform.Name()), t.platform.Milestoning(), safetext.Line(t.store), t.storeFrom)
}

// commandArgs are the arguments that name the same model and platform in
// the commands a message suggests.
func (t *sqlTarget) commandArgs() string {
	return fmt.Sprintf("%s --platform %s", t.dir, t.platform.Name())
}

// isTerminal reports whether w is a terminal people watch: progress lines
// are drawn only there, never in CI (CI set) or into a file or pipe.
func isTerminal(e *env, w any) bool {
	if e.getenv("CI") != "" || e.getenv("TERM") == "dumb" {
		return false
	}
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}

// discardLogger is the platform's logger on the command line: what the
// logs say, the commands print.
func discardLogger() *slog.Logger { return slog.New(slog.DiscardHandler) }
