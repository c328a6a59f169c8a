package sqlplatform

import (
	"database/sql"
	"fmt"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"

	"github.com/datasurface/datasurface-go/internal/dbtest"
	"github.com/datasurface/datasurface-go/platforms/sqlplatform/dialect"
	"github.com/datasurface/datasurface-go/platforms/sqlplatform/value"
	"github.com/datasurface/datasurface-go/types"
)

// The source tests read the same rows of many types from an SQLite, a
// PostgreSQL and a MariaDB source into each store, and require the same
// merge rows: the same canonical values in the views and the same key and
// row hashes, whatever driver read them.

// typed is a dataset of one column per family the three sources share.
var typed = tds{name: "typed", cols: []tcol{
	{"id", "bigint", true}, {"label", "nvarchar(30)", false}, {"amount", "decimal(12,3)", false},
	{"ratio", "float32", false}, {"flag", "boolean", false}, {"born", "date", false},
	{"seen", "timestamp", false}, {"raw", "binary", false},
}}

// typedRows are canonical rows of typed: edge values, unicode, NULLs.
func typedRows(t *testing.T) [][]any {
	t.Helper()
	day, err := value.ParseDate("2024-02-29")
	if err != nil {
		t.Fatal(err)
	}
	first, err := value.ParseDate("0001-01-01")
	if err != nil {
		t.Fatal(err)
	}
	return [][]any{
		{int64(1), "plain", value.MustDecimal("1234.5"), float64(float32(0.1)), true, day,
			time.Date(2024, 2, 29, 13, 14, 15, 123456000, time.UTC), []byte{0, 1, 2, 255}},
		{int64(-9223372036854775808), "日本語 🙂 e\u0301", value.MustDecimal("-999999999.999"), -3.4028234663852886e+38, false, first,
			time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC), []byte{}},
		{int64(9223372036854775807), "", value.MustDecimal("0"), 0.0, nil, nil, nil, nil},
		{int64(7), nil, nil, nil, true, day, time.Date(9999, 12, 31, 23, 59, 59, 999999000, time.UTC), []byte("x")},
	}
}

// sourceTarget is a source database and the model's container for it.
type sourceTarget struct {
	name      string
	db        *sql.DB
	d         dialect.Dialect
	container string
	// credential is the capture's credential argument, "" for none.
	credential string
}

func TestSourceEngines(t *testing.T) {
	for _, engine := range []string{"sqlite", "postgres", "mysql"} {
		t.Run(engine, func(t *testing.T) {
			forEachStore(t, func(t *testing.T, st storeTarget) {
				src := openSource(t, engine)
				h := newHarnessWithSource(t, st, modelOptions{datasets: []tds{typed}, source: src.container, credential: src.credential}, src)
				rows := typedRows(t)
				h.set(typed, rows...)
				rep := h.run()
				expectCounts(t, rep, "batch 1: 4 read, 4 inserted, 0 updated, 0 deleted, 0 unchanged")
				h.checkTyped(rows)
				// Read again: nothing changed, whatever the driver.
				expectCounts(t, h.run(), "batch 2: 4 read, 0 inserted, 0 updated, 0 deleted, 4 unchanged")
				rows[1][1] = "changed"
				h.set(typed, rows...)
				expectCounts(t, h.run(), "batch 3: 4 read, 0 inserted, 1 updated, 0 deleted, 3 unchanged")
				h.checkTyped(rows)
			})
		})
	}
}

// checkTyped requires the live view to hold rows (decoded through the
// store's dialect) and the merge table their hashes.
func (h *harness) checkTyped(rows [][]any) {
	h.t.Helper()
	cols := make([]string, len(typed.cols))
	typs := make([]types.Type, len(typed.cols))
	for i, c := range typed.cols {
		cols[i] = h.q(c.name)
		typs[i] = types.MustParse(c.typ)
	}
	got := map[int64][]any{}
	q := "SELECT " + strings.Join(cols, ", ") + ", " + h.q(colKeyHash) + ", " + h.q(colRowHash) + " FROM " + h.q(MergeTableName(h.st.d, "Shop", "typed"))
	r, err := h.st.db.Query(q)
	if err != nil {
		h.t.Fatal(err)
	}
	defer r.Close()
	hashes := map[int64][2][]byte{}
	for r.Next() {
		raw := make([]any, len(cols)+2)
		ptrs := make([]any, len(raw))
		for i := range raw {
			ptrs[i] = &raw[i]
		}
		if err := r.Scan(ptrs...); err != nil {
			h.t.Fatal(err)
		}
		vals := make([]any, len(cols))
		for i := range cols {
			v, err := h.st.d.Decode(typs[i], raw[i])
			if err != nil {
				h.t.Fatalf("decoding %s: %v", typed.cols[i].name, err)
			}
			vals[i] = v
		}
		id := vals[0].(int64)
		got[id] = vals
		hashes[id] = [2][]byte{raw[len(cols)].([]byte), raw[len(cols)+1].([]byte)}
	}
	if err := r.Err(); err != nil {
		h.t.Fatal(err)
	}
	if len(got) != len(rows) {
		h.t.Fatalf("%d rows merged, want %d", len(got), len(rows))
	}
	for _, want := range rows {
		id := want[0].(int64)
		if !reflect.DeepEqual(got[id], want) {
			h.t.Errorf("row %d:\n got  %s\n want %s", id, showAll(got[id]), showAll(want))
		}
		key, row := value.KeyHash(typs[:1], want[:1]), value.RowHash(typs, want)
		if hs := hashes[id]; string(hs[0]) != string(key[:]) || string(hs[1]) != string(row[:]) {
			h.t.Errorf("row %d: the merge table's hashes differ from the hashes of the canonical values", id)
		}
	}
}

func showAll(vals []any) string {
	out := make([]string, len(vals))
	for i, v := range vals {
		out[i] = fmt.Sprintf("%s (%T)", value.Show(v), v)
	}
	return strings.Join(out, ", ")
}

// openSource returns a fresh source database of the engine and the
// model's container for it. The server engines are reached with a
// credential resolved from the environment, as in production.
func openSource(t *testing.T, engine string) sourceTarget {
	t.Helper()
	switch engine {
	case "postgres":
		db, dsn := dbtest.Postgres(t)
		u, err := url.Parse(dsn)
		if err != nil {
			t.Fatal(err)
		}
		pw, _ := u.User.Password()
		t.Setenv("DSL_CREDENTIAL_SRC_READER_USER", u.User.Username())
		t.Setenv("DSL_CREDENTIAL_SRC_READER_PASSWORD", pw)
		// The test's schema is the source's: OpenSource takes host, port
		// and database from the model, and libpq's options from the
		// environment.
		t.Setenv("PGOPTIONS", "-c search_path="+u.Query().Get("search_path"))
		if mode := u.Query().Get("sslmode"); mode != "" {
			t.Setenv("PGSSLMODE", mode)
		}
		d, _ := dialect.ForEngine("postgres")
		return sourceTarget{name: engine, db: db, d: d, credential: `credential("src_reader")`,
			container: fmt.Sprintf(`postgres("src", host = %q, port = %s, database = %q)`, u.Hostname(), portOr(u.Port(), "5432"), strings.TrimPrefix(u.Path, "/"))}
	case "mysql":
		db, dsn := dbtest.MySQL(t)
		cfg, err := mysql.ParseDSN(dsn)
		if err != nil {
			t.Fatal(err)
		}
		host, port, _ := strings.Cut(cfg.Addr, ":")
		t.Setenv("DSL_CREDENTIAL_SRC_READER_USER", cfg.User)
		t.Setenv("DSL_CREDENTIAL_SRC_READER_PASSWORD", cfg.Passwd)
		d, _ := dialect.ForEngine("mysql")
		return sourceTarget{name: engine, db: db, d: d, credential: `credential("src_reader")`,
			container: fmt.Sprintf(`mysql("src", host = %q, port = %s, database = %q)`, host, portOr(port, "3306"), cfg.DBName)}
	}
	return sourceTarget{name: "sqlite", container: `sqlite("src", database = "src.db")`}
}

func portOr(p, def string) string {
	if p == "" {
		return def
	}
	return p
}
