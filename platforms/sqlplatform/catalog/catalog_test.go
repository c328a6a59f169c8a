package catalog

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/datasurface/datasurface-go/internal/dbtest"
	"github.com/datasurface/datasurface-go/starlark"
)

func exec(t *testing.T, db *sql.DB, stmts ...string) {
	t.Helper()
	for _, s := range stmts {
		if _, err := db.Exec(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

// describe prints a table as Read saw it, one column a line, for
// comparing with what a test expects.
func describe(tb Table) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s doc=%q skipped=%q\n", tb.Name, tb.Comment, tb.Skipped)
	for _, c := range tb.Columns {
		fmt.Fprintf(&b, "  %s %s", c.Name, c.Type)
		if c.Key {
			b.WriteString(" key")
		}
		if !c.Nullable {
			b.WriteString(" not-null")
		}
		if c.Comment != "" {
			fmt.Fprintf(&b, " doc=%q", c.Comment)
		}
		if c.Problem != "" {
			fmt.Fprintf(&b, " left-out(%s)", c.DBType)
		}
		b.WriteByte('\n')
	}
	return b.String()
}

func readAll(t *testing.T, db *sql.DB, engine string, opts Options) *Catalog {
	t.Helper()
	cat, err := Read(context.Background(), db, engine, opts)
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	return cat
}

func expectTables(t *testing.T, cat *Catalog, want ...string) {
	t.Helper()
	var got []string
	for _, tb := range cat.Tables {
		got = append(got, describe(tb))
	}
	if g, w := strings.Join(got, ""), strings.Join(want, ""); g != w {
		t.Errorf("catalogue:\n%s\nwant:\n%s", g, w)
	}
}

// TestReadPostgres reads tables of many types from PostgreSQL: types,
// keys (also composite), nullability, comments, the left-out and skipped
// ones, in name order.
func TestReadPostgres(t *testing.T) {
	db, _ := dbtest.Postgres(t)
	exec(t, db,
		`CREATE TYPE mood AS ENUM ('sad', 'ok')`,
		`CREATE DOMAIN amount AS numeric(10,2) CHECK (VALUE >= 0)`,
		`CREATE TABLE items (
			id bigint PRIMARY KEY, code varchar(12) NOT NULL, label text, tag char(3) COLLATE "C",
			price numeric(12,2) NOT NULL, ratio real, score double precision, small smallint, qty integer,
			active boolean NOT NULL, born date, at_time time, created timestamp(3), updated timestamptz,
			span interval, payload jsonb, doc json, raw bytea, uid uuid, tags text[], feeling mood, cost amount,
			cash money, loose numeric, tz_time timetz, grid integer[][])`,
		`COMMENT ON TABLE items IS 'Things we sell'`,
		`COMMENT ON COLUMN items.code IS 'The SKU, "quoted"'`,
		`CREATE TABLE events (kind varchar(20), n bigint)`,
		`CREATE TABLE pairs (b varchar(5), a integer, v text NOT NULL, PRIMARY KEY (a, b))`,
		`CREATE TABLE wallets (owner money PRIMARY KEY, note text)`,
		`CREATE VIEW item_view AS SELECT id FROM items`,
	)
	cat := readAll(t, db, Postgres, Options{Schema: currentSchema(t, db)})
	expectTables(t, cat,
		"events doc=\"\" skipped=\"\"\n  kind varchar(20)\n  n bigint\n",
		`items doc="Things we sell" skipped=""
  id bigint key not-null
  code varchar(12) not-null doc="The SKU, \"quoted\""
  label varchar
  tag char(3) collate "C"
  price decimal(12,2) not-null
  ratio float32
  score float64
  small smallint
  qty integer
  active boolean not-null
  born date
  at_time time
  created timestamp
  updated timestamp(tz=UTC)
  span interval
  payload variant
  doc variant
  raw binary
  uid char(36)
  tags array(varchar)
  feeling varchar
  cost decimal(10,2)
  cash  left-out(money)
  loose  left-out(numeric)
  tz_time  left-out(time with time zone)
  grid  left-out(integer[])
`,
		"pairs doc=\"\" skipped=\"\"\n  b varchar(5) key not-null\n  a integer key not-null\n  v varchar not-null\n",
		"wallets doc=\"\" skipped=\"its primary key column \\\"owner\\\" has type money, and the model has no type that holds its values; a dataset with part of the key would merge rows the source keeps apart\"\n  owner  key not-null left-out(money)\n  note varchar\n",
	)
	notes := fmt.Sprint(cat.Notes())
	for _, want := range []string{
		`table "events": no primary key at the source`,
		`table "items", column "cash": left out: type money: the model has no type that holds its values`,
		`table "items", column "loose": left out: type numeric: a numeric without precision and scale`,
		`table "items", column "grid": left out: type integer[]: it is declared with 2 dimensions`,
		`table "wallets": skipped: its primary key column "owner" has type money`,
	} {
		if !strings.Contains(notes, want) {
			t.Errorf("the notes lack %q:\n%s", want, notes)
		}
	}
	if _, err := Read(context.Background(), db, Postgres, Options{Schema: "no_such_schema"}); err == nil ||
		!strings.Contains(err.Error(), `the database has no schema "no_such_schema"`) || !strings.Contains(err.Error(), currentSchema(t, db)) {
		t.Errorf("unknown schema: %v", err)
	}
	checkRenderEvaluates(t, cat)
}

func currentSchema(t *testing.T, db *sql.DB) string {
	var s string
	if err := db.QueryRow(`SELECT current_schema()`).Scan(&s); err != nil {
		t.Fatal(err)
	}
	return s
}

// TestReadMySQL reads MariaDB/MySQL tables: unsigned integers, booleans,
// MariaDB's JSON, comments, and the types left out.
func TestReadMySQL(t *testing.T) {
	db, _ := dbtest.MySQL(t)
	exec(t, db,
		"CREATE TABLE items (id bigint unsigned PRIMARY KEY, code varchar(12) NOT NULL COMMENT 'The SKU', label text, tag char(3),"+
			" price decimal(12,2) NOT NULL, ratio float, score double, tiny tinyint, utiny tinyint unsigned, qty int, uqty int unsigned,"+
			" active boolean NOT NULL, born date, at_time time(6), created datetime(6), updated timestamp(6) NULL DEFAULT NULL,"+
			" payload json, raw blob, fixed varbinary(8), kind enum('a','b'), yr year, flags bit(3), shape point) COMMENT 'Things we sell'",
		"CREATE TABLE events (kind varchar(20), n bigint)",
		"CREATE TABLE pairs (b varchar(5), a int, v text NOT NULL, PRIMARY KEY (a, b))",
		"CREATE TABLE flagged (f bit(8) PRIMARY KEY, note text)",
	)
	cat := readAll(t, db, MySQL, Options{})
	expectTables(t, cat,
		"events doc=\"\" skipped=\"\"\n  kind varchar(20)\n  n bigint\n",
		"flagged doc=\"\" skipped=\"its primary key column \\\"f\\\" has type bit(8), and a bit field is a string of bits, which the model has no type for; a dataset with part of the key would merge rows the source keeps apart\"\n  f  key not-null left-out(bit(8))\n  note varchar\n",
		`items doc="Things we sell" skipped=""
  id ubigint key not-null
  code varchar(12) not-null doc="The SKU"
  label varchar
  tag char(3)
  price decimal(12,2) not-null
  ratio float32
  score float64
  tiny tinyint
  utiny utinyint
  qty integer
  uqty uinteger
  active boolean not-null
  born date
  at_time time
  created timestamp
  updated timestamp(tz=UTC)
  payload variant
  raw binary
  fixed binary(8)
  kind varchar
  yr smallint
  flags  left-out(bit(3))
  shape geography(srid=4326, point)
`,
		"pairs doc=\"\" skipped=\"\"\n  b varchar(5) key not-null\n  a integer key not-null\n  v varchar not-null\n",
	)
	notes := fmt.Sprint(cat.Notes())
	for _, want := range []string{
		`table "items", column "kind": enum('a','b'): imported as varchar`,
		`table "items", column "flags": left out: type bit(3): a bit field`,
		`table "flagged": skipped: its primary key column "f" has type bit(8)`,
		`table "events": no primary key at the source`,
	} {
		if !strings.Contains(notes, want) {
			t.Errorf("the notes lack %q:\n%s", want, notes)
		}
	}
	if _, err := Read(context.Background(), db, MySQL, Options{Schema: "x"}); err == nil || !strings.Contains(err.Error(), "only read from PostgreSQL") {
		t.Errorf("a schema for MySQL: %v", err)
	}
	checkRenderEvaluates(t, cat)
}

// TestReadSQLite reads an SQLite file's declared types.
func TestReadSQLite(t *testing.T) {
	db, _ := dbtest.SQLite(t)
	exec(t, db,
		`CREATE TABLE items (id INTEGER PRIMARY KEY, code VARCHAR(12) NOT NULL, label TEXT, tag CHAR(3), price DECIMAL(12,2) NOT NULL,
			score REAL, active BOOLEAN NOT NULL, born DATE, created DATETIME, updated TIMESTAMPTZ, payload JSON, raw BLOB,
			small SMALLINT, anything, cash MONEY)`,
		`CREATE TABLE events (kind TEXT, n BIGINT)`,
		`CREATE TABLE pairs (b VARCHAR(5), a INTEGER, v TEXT NOT NULL, PRIMARY KEY (a, b))`,
		`CREATE TABLE untyped (x, y)`,
	)
	cat := readAll(t, db, SQLite, Options{})
	expectTables(t, cat,
		"events doc=\"\" skipped=\"\"\n  kind varchar\n  n bigint\n",
		`items doc="" skipped=""
  id bigint key not-null
  code varchar(12) not-null
  label varchar
  tag char(3)
  price decimal(12,2) not-null
  score float64
  active boolean not-null
  born date
  created timestamp
  updated timestamp(tz=UTC)
  payload variant
  raw binary
  small smallint
  anything  left-out()
  cash  left-out(MONEY)
`,
		"pairs doc=\"\" skipped=\"\"\n  b varchar(5) key not-null\n  a bigint key not-null\n  v varchar not-null\n",
		"untyped doc=\"\" skipped=\"none of its columns has a type the model can hold\"\n  x  left-out()\n  y  left-out()\n",
	)
	checkRenderEvaluates(t, cat)
}

// TestSelectTables: names, patterns and their errors.
func TestSelectTables(t *testing.T) {
	db, _ := dbtest.SQLite(t)
	exec(t, db, `CREATE TABLE customers (id INTEGER PRIMARY KEY)`, `CREATE TABLE orders (id INTEGER PRIMARY KEY)`,
		`CREATE TABLE order_lines (id INTEGER PRIMARY KEY)`)
	names := func(opts Options) (string, error) {
		cat, err := Read(context.Background(), db, SQLite, opts)
		if err != nil {
			return "", err
		}
		var out []string
		for _, tb := range cat.Tables {
			out = append(out, tb.Name)
		}
		return strings.Join(out, ","), nil
	}
	for _, c := range []struct {
		tables  []string
		want    string
		problem string
	}{
		{nil, "customers,order_lines,orders", ""},
		{[]string{"orders"}, "orders", ""},
		{[]string{"order*"}, "order_lines,orders", ""},
		{[]string{"orders", "customers", "orders"}, "customers,orders", ""},
		{[]string{"ordrs"}, "", `no table "ordrs" in the SQLite database (did you mean "orders"?)`},
		{[]string{"zzz"}, "", `no table "zzz" in the SQLite database (its tables: "customers", "order_lines", "orders")`},
		{[]string{"x*"}, "", `pattern "x*" matches no table of the SQLite database`},
		{[]string{"[a"}, "", `"[a" is not a valid pattern`},
		{[]string{"nope", "orders"}, "", `no table "nope"`},
		{[]string{" "}, "", "the table list is empty"},
	} {
		got, err := names(Options{Tables: c.tables})
		switch {
		case c.problem != "":
			if err == nil || !strings.Contains(err.Error(), c.problem) {
				t.Errorf("tables %q: got %q, %v; want an error containing %q", c.tables, got, err, c.problem)
			}
		case err != nil || got != c.want:
			t.Errorf("tables %q: got %q, %v; want %q", c.tables, got, err, c.want)
		}
	}
	empty, _ := dbtest.SQLite(t)
	if _, err := Read(context.Background(), empty, SQLite, Options{}); err == nil || !strings.Contains(err.Error(), "has no tables to import") {
		t.Errorf("empty database: %v", err)
	}
}

// checkRenderEvaluates renders the catalogue, loads it into a minimal
// model and evaluates it: the text is valid model code and holds the
// datasets that were not skipped, with their columns.
func checkRenderEvaluates(t *testing.T, cat *Catalog) {
	t.Helper()
	d := Datastore{Name: "Imported", Var: VarName("Imported"), Catalog: cat, Command: "dsl import --engine x",
		Source: Source{Engine: cat.Engine, Container: "src", Host: "db.example", Port: 5433, Database: "shop", Credential: "reader"}}
	text, err := Render(d)
	if err != nil {
		t.Fatal(err)
	}
	if again, _ := Render(d); string(again) != string(text) {
		t.Fatal("Render gave two texts for one catalogue")
	}
	if raw := layout(d); string(raw) != string(text) {
		t.Errorf("the layout is not dsl fmt's: formatting changed it\n%s\n---\n%s", raw, text)
	}
	dir := t.TempDir()
	eco := `load("//imported.star", "imported")

ecosystem(
    name = "E",
    repo = repo("github.com/example/e"),
    live_repo = repo("github.com/example/e", branch = "live"),
    zones = [zone("Z", repo = repo("github.com/example/e"), teams = [team("T", repo = repo("github.com/example/e"), datastores = [imported])])],
)
`
	if err := os.WriteFile(filepath.Join(dir, "eco.star"), []byte(eco), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "imported.star"), text, 0o644); err != nil {
		t.Fatal(err)
	}
	m, err := starlark.Evaluate(context.Background(), os.DirFS(dir))
	if err != nil {
		t.Fatalf("the rendered text does not evaluate: %v\n%s", err, text)
	}
	store := m.Zones[0].Teams[0].Datastores[0]
	if store.Capture == nil || store.Capture.Credential == nil || store.Capture.Credential.Name != "reader" || store.Capture.From == nil || store.Capture.From.Engine != cat.Engine {
		t.Errorf("capture: %+v", store.Capture)
	}
	var want []string
	for _, tb := range cat.Tables {
		if tb.Skipped != "" {
			if !strings.Contains(string(text), fmt.Sprintf("# Table %q is skipped: ", tb.Name)) {
				t.Errorf("no comment for skipped table %s:\n%s", tb.Name, text)
			}
			continue
		}
		for _, c := range tb.Columns {
			if c.Problem == "" {
				want = append(want, tb.Name+"."+c.Name+" "+c.Type)
			} else if !strings.Contains(string(text), fmt.Sprintf("# Column %q (%s) is left out: ", c.Name, c.DBType)) {
				t.Errorf("no comment for left-out column %s.%s:\n%s", tb.Name, c.Name, text)
			}
		}
	}
	var got []string
	for _, ds := range store.Datasets {
		for _, c := range ds.Columns {
			got = append(got, ds.Name+"."+c.Name+" "+c.Type.String())
		}
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("evaluated columns:\n%s\nwant:\n%s\ntext:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"), text)
	}
}
