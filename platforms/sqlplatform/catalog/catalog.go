// Package catalog reads the catalogue of a live SQL database (PostgreSQL,
// MySQL/MariaDB or SQLite) and turns its tables into a DataSurface
// datastore: each table a dataset, each column a column whose type is the
// model type that holds exactly the values the database column holds, with
// primary keys, nullability and comments. It is what `dsl import` is built
// on (docs/IMPORT.md).
//
// The mapping never guesses: a column type with no exact model type (a
// PostgreSQL money, an unconstrained numeric, a MySQL bit) is left out and
// reported with the table, the column and the database's type, and a table
// whose primary key cannot be mapped is skipped whole, since a partial key
// would merge rows the source keeps apart. Render writes the result as
// Starlark model text, the same for the same catalogue, byte for byte.
//
// The package writes its own catalogue queries (pg_catalog,
// information_schema, PRAGMA table_info) rather than the dialect's
// TableColumns, because an import needs more than a snapshot does: keys,
// comments, array dimensions, domains and collations.
package catalog

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/datasurface/datasurface-go/internal/suggest"
	"github.com/datasurface/datasurface-go/types"
)

// The engines Read knows, as a model container names them.
const (
	Postgres = "postgres"
	MySQL    = "mysql" // MySQL and MariaDB
	SQLite   = "sqlite"
)

// DefaultSchema is the PostgreSQL schema Read uses when Options.Schema is
// empty.
const DefaultSchema = "public"

// Options says which part of the catalogue Read reads.
type Options struct {
	// Schema is the PostgreSQL schema to read ("" for DefaultSchema). MySQL
	// reads the connection's database and SQLite its main database; both
	// refuse a schema.
	Schema string
	// Tables selects tables by exact name or by a path.Match pattern (an
	// entry holding *, ? or [); empty selects every table. A name that is
	// not a table, or a pattern that matches none, is an error.
	Tables []string
}

// Catalog is what Read found: the selected tables, sorted by name.
type Catalog struct {
	Engine string
	// Schema is the PostgreSQL schema read; "" for the other engines.
	Schema string
	Tables []Table
}

// Table is one table of the catalogue.
type Table struct {
	Name    string
	Comment string
	// Columns are in the table's column order.
	Columns []Column
	// Skipped says why the table cannot become a dataset: a key column
	// whose type cannot be mapped, or no column that can. "" when it can.
	Skipped string
}

// Column is one column of a table.
type Column struct {
	Name string
	// DBType is the column's type as the database's catalogue prints it,
	// such as "character varying(40)", "bigint(20) unsigned" or "TEXT".
	DBType string
	// Key is set for the columns of the table's primary key.
	Key      bool
	Nullable bool
	Comment  string
	// Type is the model type in its canonical spelling, such as
	// "varchar(40)"; "" when Problem is set.
	Type string
	// Problem says why no model type holds the column's values; the column
	// is then left out of the dataset.
	Problem string
	// Note says something the user should know about a mapped column.
	Note string
}

// HasKey reports whether the table has a primary key.
func (t *Table) HasKey() bool {
	return slices.ContainsFunc(t.Columns, func(c Column) bool { return c.Key })
}

// Read reads the catalogue of db, a connection to a database of the engine
// (Postgres, MySQL or SQLite), and maps every column of the selected tables.
// An unknown schema, a name in Options.Tables that is not a table, or a
// pattern that matches none is an error naming it and what exists.
func Read(ctx context.Context, db *sql.DB, engine string, opts Options) (*Catalog, error) {
	var r reader
	switch engine {
	case Postgres:
		if opts.Schema == "" {
			opts.Schema = DefaultSchema
		}
		r = &pgReader{db: db, schema: opts.Schema}
	case MySQL:
		r = &mysqlReader{db: db}
	case SQLite:
		r = &sqliteReader{db: db}
	default:
		return nil, fmt.Errorf("engine %q has no catalogue reader: use %s, %s or %s", engine, Postgres, MySQL, SQLite)
	}
	if opts.Schema != "" && engine != Postgres {
		return nil, fmt.Errorf("a schema (%q) is only read from PostgreSQL: %s reads the tables of the database it is connected to", opts.Schema, engine)
	}
	names, where, err := r.tables(ctx)
	if err != nil {
		return nil, err
	}
	slices.Sort(names) // byte order, whatever the database's collation
	selected, err := selectTables(names, opts.Tables, where)
	if err != nil {
		return nil, err
	}
	cat := &Catalog{Engine: engine, Schema: map[bool]string{true: opts.Schema}[engine == Postgres]}
	for _, name := range selected {
		t, err := r.table(ctx, name)
		if err != nil {
			return nil, fmt.Errorf("reading the catalogue of table %q: %w", name, err)
		}
		t.finish()
		cat.Tables = append(cat.Tables, *t)
	}
	return cat, nil
}

// reader reads one engine's catalogue.
type reader interface {
	// tables lists the tables that can be imported, and describes where
	// they were looked for (`schema "public"`, `database "shop"`).
	tables(ctx context.Context) (names []string, where string, err error)
	// table reads one table's columns, keys and comments and maps the
	// column types.
	table(ctx context.Context, name string) (*Table, error)
}

// selectTables applies the Tables option to the catalogue's sorted names,
// keeping catalogue (sorted) order and each table once.
func selectTables(names, want []string, where string) ([]string, error) {
	if len(want) == 0 {
		if len(names) == 0 {
			return nil, fmt.Errorf("%s has no tables to import", where)
		}
		return names, nil
	}
	pick := map[string]bool{}
	var problems []string
	for _, w := range want {
		w = strings.TrimSpace(w)
		if w == "" {
			continue
		}
		if strings.ContainsAny(w, `*?[\`) {
			if _, err := path.Match(w, ""); err != nil {
				problems = append(problems, fmt.Sprintf("%q is not a valid pattern (%v): use * for any characters, ? for one, [abc] for one of a set", w, err))
				continue
			}
			n := 0
			for _, name := range names {
				if ok, _ := path.Match(w, name); ok {
					pick[name] = true
					n++
				}
			}
			if n == 0 {
				problems = append(problems, fmt.Sprintf("pattern %q matches no table of %s%s", w, where, listing(names)))
			}
			continue
		}
		if slices.Contains(names, w) {
			pick[w] = true
			continue
		}
		hint := listing(names)
		if c, ok := suggest.Closest(w, names); ok {
			hint = fmt.Sprintf(" (did you mean %q?)", c)
		}
		problems = append(problems, fmt.Sprintf("no table %q in %s%s", w, where, hint))
	}
	if len(problems) > 0 {
		return nil, errors.New(strings.Join(problems, "; "))
	}
	if len(pick) == 0 {
		return nil, errors.New("the table list is empty: name tables, or leave the list out to import every table")
	}
	var out []string
	for _, name := range names {
		if pick[name] {
			out = append(out, name)
		}
	}
	return out, nil
}

// listing shows the tables there are, for an error, at most 20.
func listing(names []string) string {
	if len(names) == 0 {
		return " (it has no tables)"
	}
	shown := names
	more := ""
	if len(shown) > 20 {
		shown, more = shown[:20], fmt.Sprintf(" and %d more", len(names)-20)
	}
	q := make([]string, len(shown))
	for i, n := range shown {
		q[i] = fmt.Sprintf("%q", n)
	}
	return " (its tables: " + strings.Join(q, ", ") + more + ")"
}

// finish decides whether the table can be imported: a key column left
// out would leave a partial key, and a dataset needs columns.
func (t *Table) finish() {
	mapped := 0
	for _, c := range t.Columns {
		if c.Problem == "" {
			mapped++
			continue
		}
		if c.Key {
			t.Skipped = fmt.Sprintf("its primary key column %q has type %s, and %s; a dataset with part of the key would merge rows the source keeps apart", c.Name, c.DBType, c.Problem)
			return
		}
	}
	switch {
	case len(t.Columns) == 0:
		t.Skipped = "it has no columns"
	case mapped == 0:
		t.Skipped = "none of its columns has a type the model can hold"
	}
}

// canonical checks a mapped type against the model's type syntax and
// returns its canonical spelling. A mapping that produces a type the model
// refuses (a decimal beyond 76 digits) becomes a problem.
func canonical(s string) (string, error) {
	t, err := types.Parse(s)
	if err != nil {
		return "", err
	}
	return t.String(), nil
}

// Note is one thing the user should know about an import: a column left
// out, a table skipped, a table without a primary key, or a remark on a
// mapped column.
type Note struct {
	Table, Column string // Column is "" for a note about the table
	// LeftOut is set when the note is about data the datastore does not
	// hold: a column left out or a table skipped.
	LeftOut bool
	Text    string
}

func (n Note) String() string {
	if n.Column == "" {
		return fmt.Sprintf("table %q: %s", n.Table, n.Text)
	}
	return fmt.Sprintf("table %q, column %q: %s", n.Table, n.Column, n.Text)
}

// Notes lists what the user should know about the import, table by table
// in catalogue order, then column by column.
func (c *Catalog) Notes() []Note {
	var out []Note
	for _, t := range c.Tables {
		if t.Skipped != "" {
			out = append(out, Note{Table: t.Name, LeftOut: true, Text: "skipped: " + t.Skipped})
			continue
		}
		if !t.HasKey() {
			out = append(out, Note{Table: t.Name, Text: noKeyText})
		}
		for _, col := range t.Columns {
			switch {
			case col.Problem != "":
				out = append(out, Note{Table: t.Name, Column: col.Name, LeftOut: true,
					Text: fmt.Sprintf("left out: type %s: %s", col.DBType, col.Problem)})
			case col.Note != "":
				out = append(out, Note{Table: t.Name, Column: col.Name, Text: col.Note})
			}
		}
	}
	return out
}

// noKeyText explains what a table without a primary key means for the
// model.
const noKeyText = "no primary key at the source: imported without key columns, so dsl lint reports DATASET_NO_PRIMARY_KEY " +
	"until you mark the column(s) that identify a row with key = True, or the team waives the rule for this dataset"
