package main

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"text/tabwriter"
	"text/template"
	"time"
	"unicode"

	"github.com/spf13/pflag"
	_ "modernc.org/sqlite" // the SQLite driver that builds the new model's source

	"github.com/datasurface/datasurface-go/ecosystem"
	"github.com/datasurface/datasurface-go/internal/safetext"
	"github.com/datasurface/datasurface-go/starlark"
	"github.com/datasurface/datasurface-go/starlark/format"
)

func init() {
	register(&command{
		name:    "init",
		usage:   "[--name NAME] [--repo REPO] DIR",
		summary: "Write a new model into a folder: an ecosystem, a zone, a team whose datastore is captured from a SQLite database shipped with it, and a workspace reading it on a sql platform; it lints clean and runs with dsl run.",
		exitHelp: "Exit codes: 0 the model is written, 2 usage error, a file of the new model exists already, " +
			"or a file cannot be written (then nothing is left behind).",
		dirArgs: 1,
		setup:   runInit,
	})
}

// The new model's files are templates under initmodel/: the Starlark files
// are rendered (with the ecosystem's name and repository), formatted and
// written; catalog.sql builds the SQLite source catalog.db.
//
//go:embed initmodel
var initTemplates embed.FS

// initFile is one file of a new model.
type initFile struct {
	rel  string // slash path in the model folder
	tmpl string // template under initmodel/, or "" for the SQLite source
	what string // what it is, for the summary
}

var initFiles = []initFile{
	{"eco.star", "eco.star.tmpl", "the ecosystem NAME and its sql platform Warehouse (merge store .dsl/Warehouse.db)"},
	{"zones/main.star", "main.star.tmpl", "the zone Main"},
	{"teams/shop.star", "shop.star.tmpl", "the team Shop: datastore Catalog (dataset products) and workspace Reports"},
	{"catalog.db", "", "the SQLite source of Catalog: table products with 5 rows"},
}

func runInit(fs *pflag.FlagSet) runFunc {
	name := fs.String("name", "", "the ecosystem's name: an ASCII letter, then letters, digits or _ (default: from the folder's name)")
	repo := fs.String("repo", "", "the repository that owns the model (default github.com/example/NAME in lower case)")
	return func(ctx context.Context, e *env, args []string) int {
		c := lookup("init")
		if len(args) != 1 {
			return usageError(e, c, "want one folder for the new model, got %d arguments", len(args))
		}
		dir := args[0]
		eco := *name
		if eco == "" {
			eco = nameFromFolder(dir)
		} else if problem := identifierProblem(eco); problem != "" {
			return usageError(e, c, "--name %q: %s", eco, problem)
		}
		owner := *repo
		if owner == "" {
			owner = "github.com/example/" + strings.ToLower(eco)
		}
		if info, err := os.Stat(dir); err == nil && !info.IsDir() {
			return usageError(e, c, "%s is a file: name a folder for the new model (it is created when missing)", dir)
		}
		if exists := existingTargets(dir); len(exists) > 0 {
			errorf(e, "dsl init: %s already holds %s; dsl init never overwrites a file, so nothing was written: choose a new folder, or move those files away",
				dir, strings.Join(exists, ", "))
			return exitUsage
		}
		staged, err := os.MkdirTemp("", "dsl-init-")
		if err != nil {
			errorf(e, "dsl init: %v", err)
			return exitUsage
		}
		defer os.RemoveAll(staged)
		if err := stageModel(ctx, staged, initValues{Name: eco, Repo: owner}); err != nil {
			errorf(e, "dsl init: %v", err)
			return exitUsage
		}
		// The model is checked as dsl lint would check it before anything
		// is written: a name or repository the rules refuse stops here.
		if findings, err := lintStaged(ctx, staged); err != nil || len(findings) > 0 {
			if err != nil {
				errorf(e, "dsl init: the new model does not evaluate: %v", err)
			} else {
				errorf(e, "dsl init: the new model (ecosystem %q, repository %q) would not lint clean, so nothing was written; choose another --name or --repo:", eco, owner)
				for _, d := range findings {
					errorf(e, "  %s: %s%s", d.Rule, d.Message, hintText(d.Hint))
				}
			}
			return exitUsage
		}
		if err := commitModel(staged, dir); err != nil {
			errorf(e, "dsl init: %v", err)
			return exitUsage
		}
		printInitSummary(e, dir, eco)
		return exitClean
	}
}

func hintText(h string) string {
	if h == "" {
		return ""
	}
	return " (" + h + ")"
}

// initValues are what the templates fill in.
type initValues struct {
	Name, Repo string
}

// starlarkString quotes s as a Starlark string literal. Go's quoting
// escapes are a subset of Starlark's, so any text round-trips.
func starlarkString(s string) string { return strconv.Quote(s) }

// nameFromFolder turns the last element of dir into an ecosystem name: the
// words of the folder's name (split at anything but ASCII letters and
// digits) capitalised and joined, without leading digits; "Example" when
// nothing is left. my-data_model gives MyDataModel.
func nameFromFolder(dir string) string {
	base := filepath.Base(dir)
	if abs, err := filepath.Abs(dir); err == nil {
		base = filepath.Base(abs)
	}
	var b strings.Builder
	for _, word := range strings.FieldsFunc(base, func(r rune) bool {
		return r > unicode.MaxASCII || !(unicode.IsLetter(r) || unicode.IsDigit(r))
	}) {
		b.WriteString(strings.ToUpper(word[:1]) + word[1:])
	}
	name := strings.TrimLeft(b.String(), "0123456789")
	if name == "" || len(name) > 64 {
		return "Example"
	}
	return name
}

// identifierProblem says why name cannot be an ecosystem's name, or "".
// It checks the characters only, so that a name cannot break out of the
// comments it appears in; the lint rules check the rest (reserved words)
// before anything is written.
func identifierProblem(name string) string {
	if name == "" {
		return "the name is empty"
	}
	if len(name) > 128 {
		return "the name is longer than 128 characters"
	}
	for i, r := range name {
		letter := r < unicode.MaxASCII && unicode.IsLetter(r)
		if i == 0 && !letter {
			return "a name starts with an ASCII letter (A-Z, a-z)"
		}
		if !letter && !(r >= '0' && r <= '9') && r != '_' {
			return fmt.Sprintf("%q is not allowed: a name is ASCII letters, digits and _", r)
		}
	}
	return ""
}

// existingTargets lists the files of the new model that exist already in
// dir (and the folders that are files), as paths to show.
func existingTargets(dir string) []string {
	var exists []string
	seen := map[string]bool{}
	for _, f := range initFiles {
		// A parent folder that is a file blocks the files under it.
		if parent := filepath.Dir(filepath.FromSlash(f.rel)); parent != "." && !seen[parent] {
			seen[parent] = true
			if info, err := os.Lstat(filepath.Join(dir, parent)); err == nil && !info.IsDir() {
				exists = append(exists, filepath.Join(dir, parent)+" (a file where a folder goes)")
				continue
			}
		}
		p := filepath.Join(dir, filepath.FromSlash(f.rel))
		if _, err := os.Lstat(p); err == nil || !errors.Is(err, fs.ErrNotExist) {
			exists = append(exists, p)
		}
	}
	return exists
}

// stageModel writes the new model into the empty folder staged.
func stageModel(ctx context.Context, staged string, v initValues) error {
	funcs := template.FuncMap{"str": starlarkString}
	for _, f := range initFiles {
		p := filepath.Join(staged, filepath.FromSlash(f.rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if f.tmpl == "" {
			if err := writeSource(ctx, p); err != nil {
				return fmt.Errorf("building the SQLite source %s: %w", f.rel, err)
			}
			continue
		}
		t, err := template.New(f.tmpl).Funcs(funcs).Option("missingkey=error").ParseFS(initTemplates, "initmodel/"+f.tmpl)
		if err != nil {
			return err
		}
		var b strings.Builder
		if err := t.Execute(&b, v); err != nil {
			return err
		}
		// The templates are written formatted; formatting here too keeps
		// the promise whatever the values filled in.
		text, err := format.Source(f.rel, []byte(b.String()))
		if err != nil {
			return err
		}
		if err := os.WriteFile(p, text, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// writeSource creates the SQLite source at path from initmodel/catalog.sql.
func writeSource(ctx context.Context, path string) error {
	schema, err := initTemplates.ReadFile("initmodel/catalog.sql")
	if err != nil {
		return err
	}
	db, err := sql.Open("sqlite", path)
	if err != nil {
		return err
	}
	_, err = db.ExecContext(ctx, string(schema))
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	return err
}

// lintStaged evaluates the staged model and returns every finding dsl lint
// would report about it.
func lintStaged(ctx context.Context, staged string) (ecosystem.Diagnostics, error) {
	fsys, err := modelRoot(staged)
	if err != nil {
		return nil, err
	}
	m, err := starlark.Evaluate(ctx, fsys)
	if err != nil {
		return nil, err
	}
	return modelDiagnostics(ctx, m, time.Now())
}

// commitModel copies the staged files into dir. Each file is created only if
// it does not exist (O_EXCL), so a file that appeared since the check is not
// overwritten either; on any failure the files and folders made so far are
// removed, so that dir is as it was.
func commitModel(staged, dir string) (err error) {
	var made []string // files and folders created, in order
	defer func() {
		if err != nil {
			for i := len(made) - 1; i >= 0; i-- {
				_ = os.Remove(made[i])
			}
		}
	}()
	for _, f := range initFiles {
		target := filepath.Join(dir, filepath.FromSlash(f.rel))
		if made, err = mkdirs(filepath.Dir(target), made); err != nil {
			return err
		}
		data, err := os.ReadFile(filepath.Join(staged, filepath.FromSlash(f.rel)))
		if err != nil {
			return err
		}
		out, err := os.OpenFile(target, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if err != nil {
			if errors.Is(err, fs.ErrExist) {
				return fmt.Errorf("%s appeared while dsl init ran; nothing was left behind", target)
			}
			return err
		}
		made = append(made, target)
		_, err = out.Write(data)
		if cerr := out.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return fmt.Errorf("writing %s: %w; nothing was left behind", target, err)
		}
	}
	return nil
}

// mkdirs creates dir and its missing parents, appending each folder it
// creates to made.
func mkdirs(dir string, made []string) ([]string, error) {
	if info, err := os.Stat(dir); err == nil {
		if !info.IsDir() {
			return made, fmt.Errorf("%s is a file, not a folder", dir)
		}
		return made, nil
	}
	if parent := filepath.Dir(dir); parent != dir {
		var err error
		if made, err = mkdirs(parent, made); err != nil {
			return made, err
		}
	}
	if err := os.Mkdir(dir, 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
		return made, err
	}
	return append(made, dir), nil
}

// printInitSummary says what dsl init wrote and what to type next.
func printInitSummary(e *env, dir, eco string) {
	d := safetext.Line(dir)
	cmdDir := strings.Join(quoteArgs([]string{dir}), "")
	fmt.Fprintf(e.stdout, "Wrote a new model in %s:\n", d)
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	for _, f := range initFiles {
		what := strings.ReplaceAll(f.what, "NAME", eco)
		fmt.Fprintf(tw, "  %s\t%s\n", safetext.Line(filepath.Join(dir, filepath.FromSlash(f.rel))), what)
	}
	_ = tw.Flush()
	fmt.Fprintf(e.stdout, "\nNext:\n")
	tw = tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "  dsl lint %s\t# check the model: no findings\n", safetext.Line(cmdDir))
	fmt.Fprintf(tw, "  dsl run %s --once\t# batch 1: the products into the merge store .dsl/Warehouse.db\n", safetext.Line(cmdDir))
	fmt.Fprintf(tw, "  dsl fmt --check %s\t# after editing: is every file formatted?\n", safetext.Line(cmdDir))
	_ = tw.Flush()
}
