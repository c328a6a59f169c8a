package catalog

import (
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/datasurface/datasurface-go/internal/safetext"
	"github.com/datasurface/datasurface-go/starlark"
	"github.com/datasurface/datasurface-go/starlark/format"
)

// Source is the container and credential the rendered capture names: the
// database the catalogue was read from, as the model will reach it.
type Source struct {
	// Engine is Postgres, MySQL or SQLite.
	Engine string
	// Container is the container's name in the model.
	Container string
	// Host and Port address a server (Port 0 for the engine's default,
	// which is then left out); Database is the database's name, or the
	// SQLite file's path.
	Host     string
	Port     int
	Database string
	// Credential is the name of the credential the capture names, "" for
	// none.
	Credential string
}

// Datastore is what Render writes.
type Datastore struct {
	// Name is the datastore's name; Var the Starlark variable the file
	// binds it to (VarName gives the default).
	Name, Var string
	Source    Source
	Catalog   *Catalog
	// Command is the command line that made the file, shown in its header
	// so it can be rerun ("" leaves it out). It must hold no secret.
	Command string
}

// Render writes the datastore as a Starlark model file: a header comment
// saying where it came from and how to load it, then one top-level
// assignment, VAR = datastore(...), with a sql_snapshot capture of the
// source and one dataset per imported table in catalogue order. Columns are
// one per line, in the table's order, with key = True, nullable = False and
// doc = "..." where they apply; a column left out and a table skipped are
// comments saying why, and a table without a primary key has a comment
// above its dataset. The text is indented by 4 spaces, with trailing
// commas, and the text is passed through starlark/format, so it is exactly
// what dsl fmt writes. The same input always gives the same text. An error
// means the formatter refused the text, which would be a bug here.
func Render(d Datastore) ([]byte, error) {
	out, err := format.Source("imported.star", layout(d))
	if err != nil {
		return nil, fmt.Errorf("formatting the datastore's text: %w", err)
	}
	return out, nil
}

// layout writes the text Render formats, already in dsl fmt's layout (a
// test checks that formatting leaves it as it is), so that the formatter
// only guards it.
func layout(d Datastore) []byte {
	var b strings.Builder
	w := func(indent int, format string, args ...any) {
		b.WriteString(strings.Repeat("    ", indent))
		fmt.Fprintf(&b, format, args...)
		b.WriteByte('\n')
	}
	comment := func(indent int, text string) {
		for _, line := range wrap(text, 96-4*indent) {
			w(indent, "# %s", line)
		}
	}
	cat := d.Catalog
	from := describeSource(d.Source, cat.Schema)
	comment(0, fmt.Sprintf("Datastore %s, imported by dsl import from the catalogue of %s.", d.Name, from))
	if d.Command != "" {
		w(0, "#")
		w(0, "#     %s", safetext.Line(d.Command))
	}
	w(0, "#")
	comment(0, fmt.Sprintf("Load it into a team: load(\"//PATH/TO/THIS.star\", %s), then team(..., datastores = [%s]).", quote(d.Var), d.Var))
	if cat.Engine == Postgres && cat.Schema != DefaultSchema {
		w(0, "#")
		comment(0, fmt.Sprintf("The tables are in schema %s: the sql platform finds a dataset's table through the connection's search_path, "+
			"so give the user that reads them that search_path (ALTER ROLE ... SET search_path = %s) or set PGOPTIONS=\"-c search_path=%s\" where it runs.",
			quote(cat.Schema), cat.Schema, cat.Schema))
	}
	if d.Source.Engine == SQLite && !filepath.IsAbs(d.Source.Database) {
		w(0, "#")
		comment(0, "A relative SQLite path is resolved against the model's root folder: move the file there, or change database = below.")
	}
	if notes := cat.Notes(); len(notes) > 0 {
		w(0, "#")
		comment(0, "To review (each is also a comment where it applies):")
		for _, n := range notes {
			for i, line := range wrap(safetext.Line(n.String()), 92) {
				if i == 0 {
					w(0, "# - %s", line)
				} else {
					w(0, "#   %s", line)
				}
			}
		}
	}
	b.WriteByte('\n')

	w(0, "%s = datastore(", d.Var)
	w(1, "%s,", quote(d.Name))
	w(1, "capture = sql_snapshot(")
	w(2, "source = %s,", container(d.Source))
	if d.Source.Credential != "" {
		w(2, "credential = credential(%s),", quote(d.Source.Credential))
	}
	w(1, "),")
	w(1, "datasets = [")
	for _, t := range cat.Tables {
		if t.Skipped != "" {
			comment(2, fmt.Sprintf("Table %s is skipped: %s.", quote(t.Name), safetext.Line(t.Skipped)))
			continue
		}
		if !t.HasKey() {
			comment(2, fmt.Sprintf("Table %s has no primary key at the source: dsl lint reports DATASET_NO_PRIMARY_KEY until the column(s) "+
				"that identify a row are marked key = True, or the team waives the rule for this dataset.", quote(t.Name)))
		}
		w(2, "dataset(")
		w(3, "%s,", quote(t.Name))
		if t.Comment != "" {
			w(3, "doc = %s,", quote(t.Comment))
		}
		w(3, "columns = [")
		for _, c := range t.Columns {
			if c.Problem != "" {
				comment(4, fmt.Sprintf("Column %s (%s) is left out: %s.", quote(c.Name), safetext.Line(c.DBType), safetext.Line(c.Problem)))
				continue
			}
			if c.Note != "" {
				comment(4, fmt.Sprintf("Column %s (%s): %s.", quote(c.Name), safetext.Line(c.DBType), safetext.Line(c.Note)))
			}
			args := []string{quote(c.Name), quote(c.Type)}
			if c.Key {
				args = append(args, "key = True")
			} else if !c.Nullable {
				args = append(args, "nullable = False")
			}
			if c.Comment != "" {
				args = append(args, "doc = "+quote(c.Comment))
			}
			w(4, "column(%s),", strings.Join(args, ", "))
		}
		w(3, "],")
		w(2, "),")
	}
	w(1, "],")
	w(0, ")")
	return []byte(b.String())
}

// describeSource names the database for the header.
func describeSource(s Source, schema string) string {
	switch s.Engine {
	case SQLite:
		return "SQLite database " + quote(s.Database)
	case MySQL:
		return fmt.Sprintf("MySQL/MariaDB database %s at %s", quote(s.Database), safetext.Line(hostPort(s)))
	}
	return fmt.Sprintf("PostgreSQL database %s at %s, schema %s", quote(s.Database), safetext.Line(hostPort(s)), quote(schema))
}

func hostPort(s Source) string {
	if s.Port == 0 {
		return s.Host
	}
	return s.Host + ":" + strconv.Itoa(s.Port)
}

// container is the source container's constructor call.
func container(s Source) string {
	args := []string{quote(s.Container)}
	if s.Engine != SQLite {
		args = append(args, "host = "+quote(s.Host))
		if s.Port != 0 {
			args = append(args, "port = "+strconv.Itoa(s.Port))
		}
	}
	args = append(args, "database = "+quote(s.Database))
	return s.Engine + "(" + strings.Join(args, ", ") + ")"
}

// quote writes s as a Starlark string literal. Invalid UTF-8 becomes
// U+FFFD, so the file is UTF-8 text; characters that do not print are
// escaped.
func quote(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\n':
			b.WriteString(`\n`)
		case '\t':
			b.WriteString(`\t`)
		case '\r':
			b.WriteString(`\r`)
		default:
			switch {
			case r < 0x80 && !unicode.IsPrint(r):
				fmt.Fprintf(&b, `\x%02x`, r)
			case !unicode.IsPrint(r) && r != ' ':
				if r > 0xFFFF {
					fmt.Fprintf(&b, `\U%08x`, r)
				} else {
					fmt.Fprintf(&b, `\u%04x`, r)
				}
			default:
				b.WriteRune(r)
			}
		}
	}
	b.WriteByte('"')
	return b.String()
}

// wrap breaks a comment's text into lines of at most width characters
// where it has spaces.
func wrap(text string, width int) []string {
	if width < 40 {
		width = 40
	}
	var lines []string
	line := ""
	for _, word := range strings.Fields(text) {
		switch {
		case line == "":
			line = word
		case utf8.RuneCountInString(line)+1+utf8.RuneCountInString(word) > width:
			lines = append(lines, line)
			line = word
		default:
			line += " " + word
		}
	}
	if line != "" || len(lines) == 0 {
		lines = append(lines, line)
	}
	return lines
}

// VarName returns the Starlark variable a datastore is bound to by
// default: its name in lower case, with every character that cannot be in
// an identifier turned into '_', a leading '_' or digit prefixed by
// "store_", and "_store" appended when the result is a builtin of the model
// language or a keyword (so the file can still call that builtin).
func VarName(store string) string {
	var b strings.Builder
	for _, r := range store {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '_':
			b.WriteRune(r)
		case r >= 'A' && r <= 'Z':
			b.WriteRune(r - 'A' + 'a')
		default:
			b.WriteByte('_')
		}
	}
	v := b.String()
	if v == "" || v[0] == '_' || v[0] >= '0' && v[0] <= '9' {
		v = "store_" + v
	}
	if isReservedName(v) {
		v += "_store"
	}
	return v
}

// isReservedName reports whether a top-level binding named v would hide
// a builtin or is a keyword (Starlark's, and Python's that Starlark
// reserves).
func isReservedName(v string) bool {
	switch v {
	case "and", "break", "continue", "def", "elif", "else", "for", "if", "in", "lambda", "load", "not", "or", "pass", "return", "while",
		"as", "assert", "async", "await", "class", "del", "except", "finally", "from", "global", "import", "is", "nonlocal", "raise", "try", "with", "yield",
		"None", "True", "False", "range", "len", "list", "dict", "str", "int", "bool", "float", "print", "type", "set", "tuple", "any", "all",
		"enumerate", "getattr", "hasattr", "hash", "max", "min", "repr", "reversed", "sorted", "zip", "fail", "abs", "bytes", "dir", "chr", "ord":
		return true
	}
	for _, bi := range starlark.Builtins() {
		if bi.Name == v {
			return true
		}
	}
	return false
}
