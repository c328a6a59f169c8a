package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/spf13/pflag"

	"github.com/datasurface/datasurface-go/ecosystem"
	"github.com/datasurface/datasurface-go/internal/safetext"
	"github.com/datasurface/datasurface-go/platforms/sqlplatform"
	"github.com/datasurface/datasurface-go/platforms/sqlplatform/catalog"
)

func init() {
	register(&command{
		name:    "import",
		usage:   "--engine postgres|mysql|sqlite --database DB [--host HOST] [--port N] [--credential NAME] [--schema S] [--tables T,...] [--out FILE]",
		summary: "Write a datastore with a dataset per table of a live PostgreSQL, MySQL/MariaDB or SQLite database, types, keys, nullability and comments read from its catalogue, as a .star file to load into a team.",
		exitHelp: "Exit codes: 0 written with every column mapped, 1 written but some columns were left out or tables skipped (the notes on stderr and the comments in the file say which and why), " +
			"2 usage error, unreachable database, unknown table or existing --out file (nothing written).",
		setup: runImport,
	})
}

// importFlags are dsl import's flags.
type importFlags struct {
	engine, host, database, schema, credential string
	port                                       int
	tables                                     []string
	store, container, out                      string
}

func runImport(flags *pflag.FlagSet) runFunc {
	var f importFlags
	flags.StringVar(&f.engine, "engine", "", "the database engine: postgres, mysql (also MariaDB) or sqlite")
	flags.StringVar(&f.host, "host", "", "the server's host name (postgres, mysql)")
	flags.IntVar(&f.port, "port", 0, "the server's port (default 5432 for postgres, 3306 for mysql)")
	flags.StringVar(&f.database, "database", "", "the database's name, or the SQLite file's path (written into the model as given)")
	flags.StringVar(&f.schema, "schema", "", "the PostgreSQL schema to read (default public)")
	flags.StringVar(&f.credential, "credential", "", "the credential to connect with, by name: its user and password are read from DSL_CREDENTIAL_<NAME>_USER and _PASSWORD, and the capture names it")
	flags.StringSliceVar(&f.tables, "tables", nil, "the tables to import, by name or pattern (orders,cust*), comma-separated or repeated (default: every table)")
	flags.StringVar(&f.store, "datastore", "", "the datastore's name (default: the database's name, capitalised)")
	flags.StringVar(&f.container, "container", "", "the source container's name in the model (default: the database's name)")
	flags.StringVar(&f.out, "out", "", "the .star file to write; it must not exist (default: standard output)")
	return func(ctx context.Context, e *env, args []string) int {
		c := lookup("import")
		if len(args) != 0 {
			return usageError(e, c, "takes no arguments, got %q: name the database with --engine and --database", strings.Join(args, " "))
		}
		src, msg := f.source()
		if msg != "" {
			return usageError(e, c, "%s", msg)
		}
		storeName := f.store
		if storeName == "" {
			storeName = defaultStoreName(src)
		} else if !isIdentifier(storeName) {
			return usageError(e, c, "--datastore %q is not a model name: use an ASCII letter first, then ASCII letters, digits or _", storeName)
		}
		if f.out != "" && f.out != "-" {
			if _, err := os.Lstat(f.out); err == nil {
				errorf(e, "dsl import: %s exists, and dsl import never overwrites a file: choose another --out, or remove it first", f.out)
				return exitUsage
			} else if !errors.Is(err, fs.ErrNotExist) {
				errorf(e, "dsl import: --out %s: %v", f.out, err)
				return exitUsage
			}
		}

		if src.Engine == catalog.SQLite {
			// OpenSource would also refuse, but in the model's terms.
			if info, err := os.Stat(src.Database); err != nil || !info.Mode().IsRegular() {
				errorf(e, "dsl import: SQLite database %s does not exist or is not a file: check --database", src.Database)
				return exitUsage
			}
		}
		var cred *ecosystem.Credential
		if src.Credential != "" {
			cred = &ecosystem.Credential{Name: src.Credential, Kind: "user_password"}
		}
		box := &ecosystem.Container{Kind: ecosystem.DatabaseContainer, Name: src.Container, Engine: src.Engine,
			Host: src.Host, Port: src.Port, Database: src.Database}
		conn, err := sqlplatform.OpenSource(ctx, box, sqlplatform.EnvCredentials{}, cred, ".")
		if err != nil {
			errorf(e, "dsl import: %v", forCommandLine(err.Error()))
			return exitUsage
		}
		defer conn.Close()
		cat, err := catalog.Read(ctx, conn.DB, src.Engine, catalog.Options{Schema: f.schema, Tables: f.tables})
		if err != nil {
			errorf(e, "dsl import: %s: %v", conn.Where, err)
			return exitUsage
		}
		text, err := catalog.Render(catalog.Datastore{Name: storeName, Var: catalog.VarName(storeName), Source: src, Catalog: cat, Command: f.commandLine()})
		if err != nil {
			errorf(e, "dsl import: %v", err)
			return exitUsage
		}

		leftOut := 0
		for _, n := range cat.Notes() {
			errorf(e, "dsl import: note: %s", n)
			if n.LeftOut {
				leftOut++
			}
		}
		if f.out == "" || f.out == "-" {
			if _, err := e.stdout.Write(text); err != nil {
				errorf(e, "dsl import: writing the datastore: %v", err)
				return exitUsage
			}
		} else if err := writeNewFile(f.out, text); err != nil {
			errorf(e, "dsl import: %v", err)
			return exitUsage
		}
		imported := 0
		for _, t := range cat.Tables {
			if t.Skipped == "" {
				imported++
			}
		}
		where := "standard output"
		if f.out != "" && f.out != "-" {
			where = f.out
		}
		errorf(e, "dsl import: wrote datastore %s with %s to %s", storeName, plural(imported, "dataset"), where)
		if leftOut > 0 {
			errorf(e, "dsl import: %s about data left out: see the notes above and the comments in the file", plural(leftOut, "note"))
			return exitFindings
		}
		return exitClean
	}
}

// source checks the connection flags and returns the source they name, or
// what is wrong with them.
func (f *importFlags) source() (catalog.Source, string) {
	engine := strings.ToLower(f.engine)
	switch engine {
	case "postgresql", "pgsql":
		engine = catalog.Postgres
	case "mariadb":
		engine = catalog.MySQL
	case "sqlite3":
		engine = catalog.SQLite
	}
	s := catalog.Source{Engine: engine, Host: f.host, Port: f.port, Database: f.database, Credential: f.credential}
	switch engine {
	case "":
		return s, "--engine is required: postgres, mysql (also MariaDB) or sqlite"
	case catalog.Postgres, catalog.MySQL:
		switch {
		case f.host == "":
			return s, "--host is required for " + engine
		case f.database == "":
			return s, "--database is required: the name of the database to read"
		case f.port < 0 || f.port > 65535:
			return s, fmt.Sprintf("--port %d is not a TCP port: give 1 to 65535, or leave it out for the default", f.port)
		}
		if f.schema != "" && engine != catalog.Postgres {
			return s, "--schema is for PostgreSQL: a MySQL database is its own schema, so name it with --database"
		}
	case catalog.SQLite:
		switch {
		case f.database == "":
			return s, "--database is required: the SQLite file's path"
		case f.host != "" || f.port != 0:
			return s, "--host and --port are for servers: an SQLite database is a file, named by --database"
		case f.credential != "":
			return s, "--credential is for servers: an SQLite file is opened without one"
		case f.schema != "":
			return s, "--schema is for PostgreSQL: an SQLite file has one schema"
		}
	default:
		return s, fmt.Sprintf("--engine %q is not one dsl import reads: use postgres, mysql (also MariaDB) or sqlite", f.engine)
	}
	if f.credential != "" && strings.TrimSpace(f.credential) == "" {
		return s, "--credential is blank: give the credential's name"
	}
	s.Container = f.container
	if s.Container == "" {
		s.Container = databaseBase(s)
	}
	return s, ""
}

// databaseBase is the database's name, or the SQLite file's name without
// its folder and extension.
func databaseBase(s catalog.Source) string {
	if s.Engine != catalog.SQLite {
		return s.Database
	}
	base := filepath.Base(s.Database)
	if ext := filepath.Ext(base); ext != "" && ext != base {
		base = strings.TrimSuffix(base, ext)
	}
	return base
}

// defaultStoreName makes a model name of the database's name: characters
// that cannot be in a name become _, the first letter is upper case, and a
// name that does not start with a letter is prefixed with "Store_".
func defaultStoreName(s catalog.Source) string {
	var b strings.Builder
	for _, r := range databaseBase(s) {
		if r < 0x80 && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_') {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	name := b.String()
	switch {
	case name == "":
		return "Imported"
	case name[0] >= 'a' && name[0] <= 'z':
		return string(name[0]-'a'+'A') + name[1:]
	case name[0] >= 'A' && name[0] <= 'Z':
		return name
	}
	return "Store_" + name
}

// isIdentifier reports whether s has the shape of a model name (lint also
// refuses SQL reserved words).
func isIdentifier(s string) bool {
	if s == "" || len(s) > 128 {
		return false
	}
	for i, r := range s {
		letter := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'
		if !letter && (i == 0 || !(r >= '0' && r <= '9' || r == '_')) {
			return false
		}
	}
	return true
}

// commandLine is the dsl import command that reads the same catalogue
// into the same datastore, for the file's header. It holds names only,
// never a secret.
func (f *importFlags) commandLine() string {
	parts := []string{"dsl", "import", "--engine", f.engine}
	add := func(flag, v string) {
		if v != "" {
			parts = append(parts, flag, v)
		}
	}
	add("--host", f.host)
	if f.port != 0 {
		add("--port", strconv.Itoa(f.port))
	}
	add("--database", f.database)
	add("--schema", f.schema)
	add("--credential", f.credential)
	if len(f.tables) > 0 {
		add("--tables", strings.Join(f.tables, ","))
	}
	add("--datastore", f.store)
	add("--container", f.container)
	for i, p := range parts {
		if p == "" || strings.ContainsAny(p, " \t\n'\"\\$`*?[]#;&|<>()") {
			parts[i] = "'" + strings.ReplaceAll(p, "'", `'\''`) + "'"
		}
	}
	return strings.Join(parts, " ")
}

// forCommandLine rewords the platform's advice about a source container for
// the command line, where the container comes from flags, not a model.
func forCommandLine(msg string) string {
	return strings.NewReplacer(
		"add credential = credential(\"...\") to it", "give dsl import --credential NAME",
		"the capture names no credential", "no --credential was given",
		" in the model", "",
	).Replace(msg)
}

// writeNewFile writes data to path, which must not exist, so that path
// either does not appear or holds all of data: the text goes to a
// temporary file beside it, which is then linked to path (a link fails if
// path appeared meanwhile) and removed.
func writeNewFile(path string, data []byte) (err error) {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, ".dsl-import-*.star.tmp")
	if err != nil {
		return fmt.Errorf("cannot write into %s: %v", dir, err)
	}
	defer func() {
		_ = os.Remove(tmp.Name())
	}()
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("writing %s: %v", path, err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("writing %s: %v", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("writing %s: %v", path, err)
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return fmt.Errorf("writing %s: %v", path, err)
	}
	err = os.Link(tmp.Name(), path)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, fs.ErrExist):
		return fmt.Errorf("%s appeared while dsl import was reading the database, and dsl import never overwrites a file: choose another --out, or remove it first", safetext.Line(path))
	}
	// A file system without hard links: rename, after checking once more.
	if _, statErr := os.Lstat(path); statErr == nil {
		return fmt.Errorf("%s exists, and dsl import never overwrites a file: choose another --out, or remove it first", safetext.Line(path))
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("writing %s: %v", path, err)
	}
	return nil
}
