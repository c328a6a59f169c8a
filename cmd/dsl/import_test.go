package main

import (
	"context"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/go-sql-driver/mysql"

	"github.com/datasurface/datasurface-go/internal/dbtest"
	"github.com/datasurface/datasurface-go/platforms/sqlplatform"
	"github.com/datasurface/datasurface-go/platforms/sqlplatform/catalog"
	"github.com/datasurface/datasurface-go/platforms/sqlplatform/dialect"
	"github.com/datasurface/datasurface-go/platforms/sqlplatform/value"
	"github.com/datasurface/datasurface-go/types"
)

// importSource is a source database for the import tests: an open
// connection, its dialect, and the dsl import flags that reach it.
type importSource struct {
	db     *sql.DB
	d      dialect.Dialect
	engine string
	schema string // PostgreSQL's; "" for the others
	flags  []string
}

// postgresSource is a fresh PostgreSQL schema, reached with credential
// "rt_pg" (set in the environment) and PGOPTIONS naming the schema, so that
// the sql platform finds the tables when the model runs.
func postgresSource(t *testing.T) importSource {
	db, dsn := dbtest.Postgres(t)
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	schema := u.Query().Get("search_path")
	t.Setenv("DSL_CREDENTIAL_RT_PG_USER", u.User.Username())
	pw, _ := u.User.Password()
	t.Setenv("DSL_CREDENTIAL_RT_PG_PASSWORD", pw)
	t.Setenv("PGOPTIONS", "-c search_path="+schema)
	if u.Query().Get("sslmode") == "disable" {
		t.Setenv("PGSSLMODE", "disable")
	}
	flags := []string{"--engine", "postgres", "--host", u.Hostname(), "--database", strings.TrimPrefix(u.Path, "/"),
		"--schema", schema, "--credential", "rt_pg"}
	if u.Port() != "" {
		flags = append(flags, "--port", u.Port())
	}
	return importSource{db: db, d: dialect.Postgres{}, engine: catalog.Postgres, schema: schema, flags: flags}
}

// mysqlSource is a fresh MariaDB/MySQL database, reached with credential
// "rt_my".
func mysqlSource(t *testing.T) importSource {
	db, dsn := dbtest.MySQL(t)
	cfg, err := mysql.ParseDSN(dsn)
	if err != nil {
		t.Fatal(err)
	}
	host, port, ok := strings.Cut(cfg.Addr, ":")
	if !ok {
		port = "3306"
	}
	t.Setenv("DSL_CREDENTIAL_RT_MY_USER", cfg.User)
	t.Setenv("DSL_CREDENTIAL_RT_MY_PASSWORD", cfg.Passwd)
	return importSource{db: db, d: dialect.MySQL{}, engine: catalog.MySQL, flags: []string{"--engine", "mariadb", "--host", host, "--port", port,
		"--database", cfg.DBName, "--credential", "rt_my"}}
}

func sqliteSource(t *testing.T) importSource {
	db, path := dbtest.SQLite(t)
	return importSource{db: db, d: dialect.SQLite{}, engine: catalog.SQLite, flags: []string{"--engine", "sqlite", "--database", path}}
}

// roundTripSchemas creates, per engine, a table of many types with a
// comment, a keyless table and a table with a composite key, and fills
// them with edge values and NULLs.
var roundTripSchemas = map[string][]string{
	"postgres": {
		`CREATE TABLE items (id bigint PRIMARY KEY, code varchar(12) NOT NULL, label text, tag char(3), price numeric(12,2) NOT NULL,
			ratio real, score double precision, small smallint, qty integer, active boolean NOT NULL, born date, at_time time,
			created timestamp, updated timestamptz, span interval, payload jsonb, raw bytea, uid uuid, tags text[], amounts numeric(6,2)[])`,
		`COMMENT ON TABLE items IS 'Things we sell'`,
		`COMMENT ON COLUMN items.code IS 'The SKU, "quoted"'`,
		`INSERT INTO items VALUES
			(1, 'A-1', 'Ünïcode ✓', 'abc', 12.50, 0.5, 1e300, -32768, 2147483647, true, '2024-02-29', '23:59:59.999999',
			 '2024-01-02 03:04:05.123456', '2024-06-30 12:00:00+02', '1 year 2 mons 3 days 04:05:06.5', '{"b": [1, 2.50], "a": null}', '\x00ff', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', ARRAY['a,b', '{c}', NULL], '{1.50,-2}'),
			(2, 'B-2', NULL, NULL, -0.01, NULL, NULL, NULL, NULL, false, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
			(3, 'C-3', '', 'x', 9999999999.99, -0, -1.5, 0, -1, true, '0001-01-01', '00:00:00', '9999-12-31 23:59:59', '1970-01-01 00:00:00+00', '-1 day', '[]', '', NULL, '{}', '{}')`,
		`CREATE TABLE events (kind varchar(20), n bigint)`,
		`INSERT INTO events VALUES ('click', 1), ('click', 1), (NULL, NULL)`,
		`CREATE TABLE pairs (b varchar(5), a integer, v text NOT NULL, PRIMARY KEY (a, b))`,
		`INSERT INTO pairs VALUES ('x', 1, 'one'), ('y', 1, 'two'), ('x', 2, 'three')`,
	},
	"mysql": {
		"CREATE TABLE items (id bigint unsigned PRIMARY KEY, code varchar(12) NOT NULL COMMENT 'The SKU, \"quoted\"', label text, tag char(3)," +
			" price decimal(12,2) NOT NULL, score double, ratio float, tiny tinyint, utiny tinyint unsigned, qty int, uqty int unsigned," +
			" active boolean NOT NULL, born date, at_time time(6), created datetime(6), updated timestamp(6) NULL DEFAULT NULL," +
			" payload json, raw blob, fixed varbinary(8), kind enum('a','b'), yr year) COMMENT 'Things we sell'",
		`INSERT INTO items VALUES
			(18446744073709551615, 'A-1', 'Ünïcode ✓', 'abc', 12.50, 1e300, 0.1, -128, 255, 2147483647, 4294967295, true, '2024-02-29', '23:59:59.999999',
			 '2024-01-02 03:04:05.123456', '2024-06-30 10:00:00', '{"b": [1, 2.50], "a": null}', x'00ff', x'0102', 'a', 2024),
			(2, 'B-2', NULL, NULL, -0.01, NULL, NULL, NULL, NULL, NULL, NULL, false, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
			(3, 'C-3', '', 'x', 9999999999.99, -1.5, 16777217, 0, 0, -1, 0, true, '1000-01-01', '00:00:00', '9999-12-31 23:59:59', '1970-01-01 00:00:01', '[]', '', '', 'b', 1901)`,
		`CREATE TABLE events (kind varchar(20), n bigint)`,
		`INSERT INTO events VALUES ('click', 1), ('click', 1), (NULL, NULL)`,
		`CREATE TABLE pairs (b varchar(5), a int, v text NOT NULL, PRIMARY KEY (a, b))`,
		`INSERT INTO pairs VALUES ('x', 1, 'one'), ('y', 1, 'two'), ('x', 2, 'three')`,
	},
	"sqlite": {
		`CREATE TABLE items (id INTEGER PRIMARY KEY, code VARCHAR(12) NOT NULL, label TEXT, tag CHAR(3), price DECIMAL(12,2) NOT NULL,
			score REAL, small SMALLINT, active BOOLEAN NOT NULL, born DATE, created DATETIME, updated TIMESTAMPTZ, payload JSON, raw BLOB)`,
		`INSERT INTO items VALUES
			(9223372036854775807, 'A-1', 'Ünïcode ✓', 'abc', '12.50', 1e300, -32768, 1, '2024-02-29', '2024-01-02 03:04:05.123456', '2024-06-30T10:00:00Z', '{"b": [1, 2.50], "a": null}', x'00ff'),
			(2, 'B-2', NULL, NULL, '-0.01', NULL, NULL, 0, NULL, NULL, NULL, NULL, NULL),
			(3, 'C-3', '', 'x', '9999999999.99', -1.5, 0, 1, '0001-01-01', '9999-12-31 23:59:59', '1970-01-01 00:00:00Z', '[]', x'')`,
		`CREATE TABLE events (kind TEXT, n BIGINT)`,
		`INSERT INTO events VALUES ('click', 1), ('click', 1), (NULL, NULL)`,
		`CREATE TABLE pairs (b VARCHAR(5) NOT NULL, a INTEGER NOT NULL, v TEXT NOT NULL, PRIMARY KEY (a, b))`,
		`INSERT INTO pairs VALUES ('x', 1, 'one'), ('y', 1, 'two'), ('x', 2, 'three')`,
	},
}

// roundTripModel is the model around an imported datastore: one team
// holding it, a workspace reading every dataset through a sql platform.
// waivers is the team's waivers list.
func roundTripModel(waivers string) string {
	return `load("//teams/imported.star", "shop")

ecosystem(
    name = "RoundTrip",
    repo = repo("github.com/example/roundtrip"),
    live_repo = repo("github.com/example/roundtrip", branch = "live"),
    platforms = [
        platform("Laptop", kind = "sql", options = {"milestoning": "live"}),
    ],
    zones = [
        zone(
            "Retail",
            repo = repo("github.com/example/roundtrip"),
            teams = [
                team(
                    "Sales",
                    repo = repo("github.com/example/roundtrip"),
                    datastores = [shop],
                    waivers = [` + waivers + `],
                    workspaces = [
                        workspace(
                            "Reports",
                            container = platform_managed(),
                            groups = [
                                dataset_group(
                                    "daily",
                                    platform = "Laptop",
                                    sinks = [sink("Shop", "items"), sink("Shop", "events"), sink("Shop", "pairs")],
                                ),
                            ],
                        ),
                    ],
                ),
            ],
        ),
    ],
)
`
}

const keylessWaiver = `waiver(rule = "DATASET_NO_PRIMARY_KEY", path = "Retail/Sales/Shop/events", reason = "an append-only log", expires = "2099-12-31")`

// TestImportRoundTrip, per engine: create tables of many types, import
// them with dsl import, build a model around the datastore, lint it (the
// keyless table is DATASET_NO_PRIMARY_KEY until waived; then no errors),
// run one snapshot with dsl run --once into an SQLite store, and check that
// every view holds exactly the source's rows, compared as canonical values.
func TestImportRoundTrip(t *testing.T) {
	for _, e := range []struct {
		name string
		open func(*testing.T) importSource
	}{{"sqlite", sqliteSource}, {"postgres", postgresSource}, {"mysql", mysqlSource}} {
		t.Run(e.name, func(t *testing.T) {
			src := e.open(t)
			mustExec(t, src.db, roundTripSchemas[e.name]...)
			dir := t.TempDir()
			out := filepath.Join(dir, "teams", "imported.star")
			if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
				t.Fatal(err)
			}
			args := append([]string{"import", "--datastore", "Shop", "--out", out}, src.flags...)
			code, stdout, stderr := runCLI(args...)
			if code != exitClean || stdout != "" {
				t.Fatalf("dsl import: exit %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
			}
			for _, want := range []string{
				`dsl import: note: table "events": no primary key at the source`,
				"dsl import: wrote datastore Shop with 3 datasets to " + out,
			} {
				if !strings.Contains(stderr, want) {
					t.Errorf("stderr lacks %q:\n%s", want, stderr)
				}
			}
			text, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			for _, want := range []string{
				"shop = datastore(\n    \"Shop\",\n",
				`column("code", "varchar(12)", nullable = False`,
				`column("price", "decimal(12,2)", nullable = False)`,
				`# Table "events" has no primary key at the source`,
				`column("a", "`,
			} {
				if !strings.Contains(string(text), want) {
					t.Errorf("the imported text lacks %q:\n%s", want, text)
				}
			}
			if e.name != "sqlite" {
				for _, want := range []string{`doc = "Things we sell"`, `doc = "The SKU, \"quoted\""`, "credential = credential(\"rt_"} {
					if !strings.Contains(string(text), want) {
						t.Errorf("the imported text lacks %q:\n%s", want, text)
					}
				}
			}

			// Without a waiver, lint reports the keyless dataset.
			writeFile(t, filepath.Join(dir, "eco.star"), roundTripModel(""))
			code, lint, _ := runCLI("lint", dir)
			if code != exitFindings || !strings.Contains(lint, "DATASET_NO_PRIMARY_KEY") || !strings.Contains(lint, `dataset "events" of datastore "Shop" has no primary key`) {
				t.Fatalf("lint without a waiver: exit %d\n%s", code, lint)
			}
			writeFile(t, filepath.Join(dir, "eco.star"), roundTripModel(keylessWaiver))
			code, lint, lintErr := runCLI("lint", dir, "--format", "json")
			if code != exitClean || strings.Contains(lint, `"severity":"error"`) && !strings.Contains(lint, `"waived"`) {
				t.Fatalf("lint with the waiver: exit %d\n%s\n%s", code, lint, lintErr)
			}

			store := filepath.Join(t.TempDir(), "store.db")
			code, stdout, stderr = runCLI("run", dir, "--once", "--store", "sqlite:"+store)
			if code != exitClean {
				t.Fatalf("dsl run: exit %d\n%s\n%s", code, stdout, stderr)
			}
			if !strings.Contains(stdout, "Shop: batch 1 committed") {
				t.Fatalf("dsl run:\n%s", stdout)
			}
			sdb, _, err := dialect.Open("sqlite", store)
			if err != nil {
				t.Fatal(err)
			}
			defer sdb.Close()
			cat, err := catalog.Read(context.Background(), src.db, src.engine, catalog.Options{Schema: src.schema})
			if err != nil {
				t.Fatal(err)
			}
			for _, tb := range cat.Tables {
				view := sqlplatform.LiveViewName(dialect.SQLite{}, "Reports", "daily", tb.Name)
				got := canonicalRows(t, sdb, dialect.SQLite{}, view, tb)
				want := canonicalRows(t, src.db, src.d, tb.Name, tb)
				if len(want) != 3 {
					t.Fatalf("source table %s has %d rows, want 3", tb.Name, len(want))
				}
				if !slices.Equal(got, want) {
					t.Errorf("view %s:\n got %q\nwant %q", view, got, want)
				}
			}
		})
	}
}

func writeFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// canonicalRows reads a table's or view's columns, decodes every value to
// the model type's canonical value with the database's dialect, and returns
// each row as its row hash followed by the values shown, sorted.
func canonicalRows(t *testing.T, db *sql.DB, d dialect.Dialect, table string, tb catalog.Table) []string {
	t.Helper()
	// Each column is read as the platform reads a source column
	// (Dialect.SelectColumn), so both sides see the same values.
	phys, err := d.TableColumns(context.Background(), db, table)
	if err != nil {
		t.Fatal(err)
	}
	var cols []string
	var typs []types.Type
	for _, c := range tb.Columns {
		typ := types.MustParse(c.Type)
		pc := dialect.PhysicalColumn{Name: c.Name}
		for _, p := range phys {
			if p.Name == c.Name {
				pc = p
			}
		}
		cols = append(cols, d.SelectColumn(pc, typ))
		typs = append(typs, typ)
	}
	q := "SELECT " + strings.Join(cols, ", ") + " FROM " + d.QuoteIdent(table)
	r, err := db.Query(q)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer r.Close()
	var out []string
	for r.Next() {
		raw := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range raw {
			ptrs[i] = &raw[i]
		}
		if err := r.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		vals := make([]any, len(cols))
		shown := make([]string, len(cols))
		for i, v := range raw {
			if vals[i], err = d.Decode(typs[i], v); err != nil {
				t.Fatalf("%s.%s: %v", table, tb.Columns[i].Name, err)
			}
			shown[i] = value.Show(vals[i])
		}
		h := value.RowHash(typs, vals)
		out = append(out, hex.EncodeToString(h[:8])+" "+strings.Join(shown, " | "))
	}
	if err := r.Err(); err != nil {
		t.Fatal(err)
	}
	slices.Sort(out)
	return out
}

// TestImportUnmappable: a column no model type holds is left out with a
// note on stderr and a comment in the file naming table, column and
// database type; a table whose key cannot be mapped is skipped; dsl import
// exits 1 but writes the rest, which evaluates.
func TestImportUnmappable(t *testing.T) {
	for _, e := range []struct {
		name  string
		open  func(*testing.T) importSource
		stmts []string
		notes []string
	}{
		{"sqlite", sqliteSource, []string{`CREATE TABLE items (id INTEGER PRIMARY KEY, cash MONEY, anything, amount NUMERIC)`, `CREATE TABLE odd (k UUID PRIMARY KEY, v TEXT)`},
			[]string{
				`table "items", column "cash": left out: type MONEY: the model has no type that holds its values`,
				`table "items", column "anything": left out: type : it has no declared type`,
				`table "items", column "amount": left out: type NUMERIC: a numeric without precision and scale`,
				`table "odd": skipped: its primary key column "k" has type UUID`,
			}},
		{"postgres", postgresSource, []string{`CREATE TABLE items (id integer PRIMARY KEY, cash money, amount numeric, at timetz, grid int[][], tags text[])`,
			`CREATE TABLE odd (k money PRIMARY KEY, v text)`},
			[]string{
				`table "items", column "cash": left out: type money: the model has no type that holds its values`,
				`table "items", column "amount": left out: type numeric: a numeric without precision and scale`,
				`table "items", column "at": left out: type time with time zone: the model's time has no zone`,
				`table "items", column "grid": left out: type integer[]: it is declared with 2 dimensions`,
				`table "odd": skipped: its primary key column "k" has type money`,
			}},
		{"mysql", mysqlSource, []string{`CREATE TABLE items (id int PRIMARY KEY, flags bit(3), addr inet6)`, `CREATE TABLE odd (k bit(8) PRIMARY KEY, v text)`},
			[]string{
				`table "items", column "flags": left out: type bit(3): a bit field is a string of bits`,
				`table "items", column "addr": left out: type inet6: the model has no type that holds its values`,
				`table "odd": skipped: its primary key column "k" has type bit(8)`,
			}},
	} {
		t.Run(e.name, func(t *testing.T) {
			src := e.open(t)
			mustExec(t, src.db, e.stmts...)
			out := filepath.Join(t.TempDir(), "imported.star")
			code, _, stderr := runCLI(append([]string{"import", "--out", out}, src.flags...)...)
			if code != exitFindings {
				t.Fatalf("exit %d, want 1\n%s", code, stderr)
			}
			for _, want := range e.notes {
				if !strings.Contains(stderr, "dsl import: note: "+want) {
					t.Errorf("stderr lacks the note %q:\n%s", want, stderr)
				}
			}
			if !strings.Contains(stderr, "about data left out: see the notes above and the comments in the file") {
				t.Errorf("stderr lacks the summary:\n%s", stderr)
			}
			text, err := os.ReadFile(out)
			if err != nil {
				t.Fatalf("the file was not written: %v", err)
			}
			for _, want := range []string{`# Column "cash" (`, `# Table "odd" is skipped: its primary key column "k" has type`} {
				if e.name == "mysql" {
					want = strings.Replace(want, `"cash"`, `"flags"`, 1)
				}
				if !strings.Contains(string(text), want) {
					t.Errorf("the file lacks %q:\n%s", want, text)
				}
			}
			if strings.Contains(string(text), `dataset(
            "odd"`) {
				t.Errorf("the skipped table is a dataset:\n%s", text)
			}
		})
	}
}

// TestImportBadInput: every mistake is reported, names what is wrong, and
// writes nothing.
func TestImportBadInput(t *testing.T) {
	db, path := dbtest.SQLite(t)
	mustExec(t, db, `CREATE TABLE orders (id INTEGER PRIMARY KEY)`, `CREATE TABLE customers (id INTEGER PRIMARY KEY)`)
	dir := t.TempDir()
	out := filepath.Join(dir, "out.star")
	existing := filepath.Join(dir, "existing.star")
	writeFile(t, existing, "# mine\n")
	t.Setenv("DSL_CREDENTIAL_NOT_SET_USER", "")
	for _, c := range []struct {
		name string
		args []string
		want string
	}{
		{"no engine", []string{"--database", path}, "--engine is required"},
		{"unknown engine", []string{"--engine", "oracle", "--database", "x"}, `--engine "oracle" is not one dsl import reads`},
		{"arguments", []string{"--engine", "sqlite", "--database", path, "extra"}, `takes no arguments, got "extra"`},
		{"no host", []string{"--engine", "postgres", "--database", "x"}, "--host is required for postgres"},
		{"no database", []string{"--engine", "mysql", "--host", "h"}, "--database is required"},
		{"bad port", []string{"--engine", "mysql", "--host", "h", "--database", "d", "--port", "70000"}, "--port 70000 is not a TCP port"},
		{"schema for mysql", []string{"--engine", "mysql", "--host", "h", "--database", "d", "--schema", "s"}, "--schema is for PostgreSQL"},
		{"host for sqlite", []string{"--engine", "sqlite", "--database", path, "--host", "h"}, "--host and --port are for servers"},
		{"credential for sqlite", []string{"--engine", "sqlite", "--database", path, "--credential", "c"}, "--credential is for servers"},
		{"bad datastore name", []string{"--engine", "sqlite", "--database", path, "--datastore", "my shop"}, `--datastore "my shop" is not a model name`},
		{"missing sqlite file", []string{"--engine", "sqlite", "--database", filepath.Join(dir, "nope.db")}, "nope.db does not exist"},
		{"credential not set", []string{"--engine", "postgres", "--host", "127.0.0.1", "--port", "1", "--database", "x", "--credential", "not_set"},
			"DSL_CREDENTIAL_NOT_SET_PASSWORD not set"},
		{"unknown table", []string{"--engine", "sqlite", "--database", path, "--tables", "orders,ordrs"}, `no table "ordrs" in the SQLite database (did you mean "orders"?)`},
		{"pattern matching nothing", []string{"--engine", "sqlite", "--database", path, "--tables", "x*"}, `pattern "x*" matches no table of the SQLite database (its tables: "customers", "orders")`},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(append([]string{"import", "--out", out}, c.args...)...)
			if code != exitUsage || stdout != "" || !strings.Contains(stderr, c.want) {
				t.Errorf("exit %d\nstdout: %s\nstderr: %s\nwant exit 2 and %q", code, stdout, stderr, c.want)
			}
			if _, err := os.Stat(out); !os.IsNotExist(err) {
				t.Errorf("%s was written", out)
			}
		})
	}

	t.Run("unreachable server with a credential", func(t *testing.T) {
		t.Setenv("DSL_CREDENTIAL_RT_USER", "someone")
		t.Setenv("DSL_CREDENTIAL_RT_PASSWORD", "s3cr3t-pw")
		code, _, stderr := runCLI("import", "--out", out, "--engine", "postgres", "--host", "127.0.0.1", "--port", "1", "--database", "shop", "--credential", "rt")
		if code != exitUsage || !strings.Contains(stderr, "cannot connect") || !strings.Contains(stderr, "127.0.0.1:1") || strings.Contains(stderr, "s3cr3t-pw") {
			t.Errorf("exit %d\n%s", code, stderr)
		}
		if _, err := os.Stat(out); !os.IsNotExist(err) {
			t.Errorf("%s was written", out)
		}
	})

	t.Run("existing file", func(t *testing.T) {
		code, _, stderr := runCLI("import", "--out", existing, "--engine", "sqlite", "--database", path)
		if code != exitUsage || !strings.Contains(stderr, existing+" exists, and dsl import never overwrites a file") {
			t.Errorf("exit %d\n%s", code, stderr)
		}
		if b, _ := os.ReadFile(existing); string(b) != "# mine\n" {
			t.Errorf("the existing file changed: %q", b)
		}
	})

	t.Run("no temporary files left", func(t *testing.T) {
		code, _, stderr := runCLI("import", "--out", out, "--engine", "sqlite", "--database", path)
		if code != exitClean {
			t.Fatalf("exit %d\n%s", code, stderr)
		}
		entries, _ := os.ReadDir(dir)
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		if strings.Join(names, ",") != "existing.star,out.star" {
			t.Errorf("the folder holds %q", names)
		}
	})
}

// TestImportDeterministic: the same catalogue gives the same text, tables
// in name order whatever order they were created in; the header holds the
// command that reproduces it.
func TestImportDeterministic(t *testing.T) {
	db, path := dbtest.SQLite(t)
	mustExec(t, db, `CREATE TABLE zeta (id INTEGER PRIMARY KEY)`, `CREATE TABLE alpha (id INTEGER PRIMARY KEY, b TEXT, a TEXT)`)
	var texts []string
	for range 2 {
		code, stdout, stderr := runCLI("import", "--engine", "sqlite", "--database", path, "--tables", "*")
		if code != exitClean {
			t.Fatalf("exit %d\n%s", code, stderr)
		}
		texts = append(texts, stdout)
	}
	if texts[0] != texts[1] {
		t.Fatalf("two imports differ:\n%s\n---\n%s", texts[0], texts[1])
	}
	text := texts[0]
	if a, z := strings.Index(text, `"alpha"`), strings.Index(text, `"zeta"`); a < 0 || z < a {
		t.Errorf("tables not in name order:\n%s", text)
	}
	if b, a := strings.Index(text, `column("b"`), strings.Index(text, `column("a"`); b < 0 || a < b {
		t.Errorf("columns not in table order:\n%s", text)
	}
	if !strings.Contains(text, "#     dsl import --engine sqlite --database "+path+" --tables '*'\n") {
		t.Errorf("the header lacks the command:\n%s", text)
	}
	base := strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	if !strings.Contains(text, strconv.Quote(base)) || !strings.Contains(text, "test = datastore(\n    \"Test\",") {
		t.Errorf("default names:\n%s", text)
	}
}
