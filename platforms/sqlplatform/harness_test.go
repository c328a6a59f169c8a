package sqlplatform

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/datasurface/datasurface-go/ecosystem"
	"github.com/datasurface/datasurface-go/ecosystem/lint"
	"github.com/datasurface/datasurface-go/governance"
	"github.com/datasurface/datasurface-go/graph"
	"github.com/datasurface/datasurface-go/internal/dbtest"
	"github.com/datasurface/datasurface-go/platforms/sqlplatform/dialect"
	"github.com/datasurface/datasurface-go/starlark"
	"github.com/datasurface/datasurface-go/types"
)

// This file is the test harness of the engine: a model with one store
// captured from a test source, a platform bound to a test merge store, and
// helpers to change the source and read the merge tables and views.

// tcol is a column of a test dataset.
type tcol struct {
	name, typ string
	key       bool
}

// tds is a test dataset.
type tds struct {
	name string
	cols []tcol
}

// keyed is the dataset most tests use: a key, a string and a float.
var keyed = tds{name: "items", cols: []tcol{{"id", "bigint", true}, {"name", "nvarchar(40)", false}, {"score", "float64", false}}}

// keyless is a dataset without key columns.
var keyless = tds{name: "events", cols: []tcol{{"kind", "nvarchar(20)", false}, {"n", "bigint", false}}}

// starlark returns the dataset's model text.
func (d tds) starlark() string {
	cols := make([]string, len(d.cols))
	for i, c := range d.cols {
		key := ""
		if c.key {
			key = ", key = True"
		}
		cols[i] = fmt.Sprintf("column(%q, %q%s)", c.name, c.typ, key)
	}
	return fmt.Sprintf("dataset(%q, classification = \"public\", columns = [%s])", d.name, strings.Join(cols, ", "))
}

// modelOptions vary the test model.
type modelOptions struct {
	milestoning string // "live" (default) or "forensic"
	datasets    []tds
	// source is the source container expression; default the SQLite file
	// src.db in the model root.
	source string
	// credential is the capture's credential expression, "" for none.
	credential string
	// capture overrides the whole capture expression.
	capture string
	// ingestion is "dataset" to ingest the store dataset by dataset.
	ingestion string
	// noConsumer leaves out the workspace reading the datasets.
	noConsumer bool
	// platformOptions are more entries of the platform's options dict,
	// such as `"watermark_lag": "5m"`.
	platformOptions string
}

// modelText returns the test model: store Shop with the datasets, read by
// workspace Reports' group daily on platform Lake.
func modelText(o modelOptions) string {
	if o.milestoning == "" {
		o.milestoning = "live"
	}
	if o.source == "" {
		o.source = `sqlite("src", database = "src.db")`
	}
	capture := o.capture
	if capture == "" {
		extra := ""
		if o.ingestion != "" {
			extra += fmt.Sprintf(", ingestion = %q", o.ingestion)
		}
		if o.credential != "" {
			extra += ", credential = " + o.credential
		}
		capture = fmt.Sprintf("sql_snapshot(source = %s%s)", o.source, extra)
	}
	var dss, sinks []string
	for _, d := range o.datasets {
		dss = append(dss, d.starlark())
		sinks = append(sinks, fmt.Sprintf("sink(\"Shop\", %q)", d.name))
	}
	ws := ""
	if !o.noConsumer {
		ws = fmt.Sprintf(`workspaces = [workspace("Reports", container = platform_managed(), groups = [dataset_group("daily", platform = "Lake", sinks = [%s])])],`, strings.Join(sinks, ", "))
	}
	return fmt.Sprintf(`ecosystem(
    name = "Test",
    repo = repo("github.com/test/eco"),
    live_repo = repo("github.com/test/eco", branch = "live"),
    platforms = [platform("Lake", kind = "sql", options = {"milestoning": %q%s})],
    zones = [zone("Z", repo = repo("github.com/test/z"), teams = [team("T", repo = repo("github.com/test/t"),
        datastores = [datastore("Shop", capture = %s, datasets = [%s])],
        waivers = [waiver(rule = "DATASET_NO_PRIMARY_KEY", path = "Z/T/Shop", reason = "keyless test datasets", expires = "2099-12-31")],
        %s
    )])],
)
`, o.milestoning, platformOptions(o), capture, strings.Join(dss, ", "), ws)
}

func platformOptions(o modelOptions) string {
	if o.platformOptions == "" {
		return ""
	}
	return ", " + o.platformOptions
}

// buildPipeline evaluates and lints a model (with its waivers: the test
// model waives DATASET_NO_PRIMARY_KEY for its keyless datasets) and builds the pipeline of
// its platform Lake, bound with opts.
func buildPipeline(t testing.TB, text string, opts ...Option) (*Platform, *graph.Pipeline) {
	t.Helper()
	m, err := starlark.Evaluate(context.Background(), fstest.MapFS{"eco.star": {Data: []byte(text)}})
	if err != nil {
		t.Fatalf("the test model does not evaluate: %v\n%s", err, text)
	}
	for _, d := range governance.ApplyWaivers(m, lint.Lint(m), time.Now()) {
		if d.Severity == ecosystem.Error && d.Waived == nil {
			t.Fatalf("the test model has a lint error: %v\n%s", d, text)
		}
	}
	p, err := New(m.Platform("Lake"), opts...)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	res := graph.Build(m, map[string]graph.Capabilities{"Lake": p.Capabilities()})
	pl := res.Pipeline("Lake")
	if pl == nil {
		t.Fatal("no pipeline for Lake")
	}
	return p, pl
}

// storeTarget is a merge store to test against.
type storeTarget struct {
	name string
	// dsn is the store address given to WithStore; db reads it.
	dsn string
	db  *sql.DB
	d   dialect.Dialect
}

// forEachStore runs f against a fresh SQLite store, and a fresh PostgreSQL
// store (its own schema) when DSL_TEST_POSTGRES is set.
func forEachStore(t *testing.T, f func(t *testing.T, st storeTarget)) {
	t.Run("sqlite", func(t *testing.T) { f(t, sqliteStore(t)) })
	t.Run("postgres", func(t *testing.T) { f(t, postgresStore(t)) })
}

func sqliteStore(t testing.TB) storeTarget {
	t.Helper()
	path := filepath.Join(t.TempDir(), "store.db")
	db, d, err := dialect.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return storeTarget{name: "sqlite", dsn: "sqlite:" + path, db: db, d: d}
}

func postgresStore(t testing.TB) storeTarget {
	t.Helper()
	_, dsn := dbtest.Postgres(t)
	// The test reads through a pool that caches no prepared statement, so
	// that reading a table a test retyped by hand does not fail with
	// "cached plan must not change result type".
	db, d, err := dialect.Open("postgres", dsn+"&default_query_exec_mode=exec")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return storeTarget{name: "postgres", dsn: dsn, db: db, d: d}
}

// harness is one test's model, source, store and platform.
type harness struct {
	t    testing.TB
	opts modelOptions
	root string
	// src is the SQLite source, writable.
	src  *sql.DB
	srcD dialect.Dialect
	st   storeTarget
	p    *Platform
	pl   *graph.Pipeline
	// extra are options every platform of the harness gets.
	extra []Option
}

// newHarness makes the model, an SQLite source with the datasets' tables
// (empty), and binds the platform to st.
func newHarness(t testing.TB, st storeTarget, o modelOptions, extra ...Option) *harness {
	t.Helper()
	return newHarnessWithSource(t, st, o, sourceTarget{}, extra...)
}

// newHarnessWithSource is newHarness with the source src (the SQLite file
// src.db in the model root when src has no database).
func newHarnessWithSource(t testing.TB, st storeTarget, o modelOptions, src sourceTarget, extra ...Option) *harness {
	t.Helper()
	h := &harness{t: t, opts: o, root: t.TempDir(), st: st, extra: extra}
	if src.db == nil {
		db, d, err := dialect.Open("sqlite", filepath.Join(h.root, "src.db"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		src.db, src.d = db, d
	}
	h.src, h.srcD = src.db, src.d
	for _, ds := range o.datasets {
		h.createSourceTable(ds)
	}
	h.rebind(o)
	return h
}

// rebind rebuilds the model with o (a model change) and binds a new platform.
func (h *harness) rebind(o modelOptions) {
	h.t.Helper()
	h.opts = o
	h.p, h.pl = buildPipeline(h.t, modelText(o), append([]Option{WithStore(h.st.dsn), WithModelRoot(h.root)}, h.extra...)...)
}

// platform returns another Platform bound to the same model and store (a
// second runner).
func (h *harness) platform() *Platform {
	h.t.Helper()
	p, _ := buildPipeline(h.t, modelText(h.opts), append([]Option{WithStore(h.st.dsn), WithModelRoot(h.root)}, h.extra...)...)
	return p
}

// sourceType is the source column type of a model type.
func (h *harness) sourceType(typ string) string {
	h.t.Helper()
	ct, err := h.srcD.ColumnType(types.MustParse(typ))
	if err != nil {
		h.t.Fatal(err)
	}
	return ct
}

func (h *harness) createSourceTable(ds tds) {
	h.t.Helper()
	cols := make([]string, len(ds.cols))
	for i, c := range ds.cols {
		cols[i] = h.srcD.QuoteIdent(c.name) + " " + h.sourceType(c.typ)
	}
	h.exec("CREATE TABLE " + h.srcD.QuoteIdent(ds.name) + " (" + strings.Join(cols, ", ") + ")")
}

// exec runs a statement on the source.
func (h *harness) exec(stmt string, args ...any) {
	h.t.Helper()
	if _, err := h.src.Exec(stmt, args...); err != nil {
		h.t.Fatalf("source: %s: %v", stmt, err)
	}
}

// set replaces the source table of ds with rows (each in column order).
func (h *harness) set(ds tds, rows ...[]any) {
	h.t.Helper()
	tx, err := h.src.Begin()
	if err != nil {
		h.t.Fatal(err)
	}
	defer tx.Rollback()
	q := h.srcD.QuoteIdent
	if _, err := tx.Exec("DELETE FROM " + q(ds.name)); err != nil {
		h.t.Fatal(err)
	}
	names := make([]string, len(ds.cols))
	for i, c := range ds.cols {
		names[i] = q(c.name)
	}
	stmt := "INSERT INTO " + q(ds.name) + " (" + strings.Join(names, ", ") + ") VALUES (" + placeholders(h.srcD, 1, len(ds.cols)) + ")"
	for _, r := range rows {
		args := make([]any, len(r))
		for i, v := range r {
			if v == nil {
				continue
			}
			enc, err := h.srcD.Encode(types.MustParse(ds.cols[i].typ), v)
			if err != nil {
				h.t.Fatalf("encoding %v as %s: %v", v, ds.cols[i].typ, err)
			}
			args[i] = enc
		}
		if _, err := tx.Exec(stmt, args...); err != nil {
			h.t.Fatalf("source insert %v: %v", r, err)
		}
	}
	if err := tx.Commit(); err != nil {
		h.t.Fatal(err)
	}
}

// storeExec runs a statement on the merge store (a hand-made change).
func (h *harness) storeExec(stmt string) {
	h.t.Helper()
	if _, err := h.st.db.Exec(stmt); err != nil {
		h.t.Fatalf("store: %s: %v", stmt, err)
	}
}

// run runs one batch of every stream and fails the test on error.
func (h *harness) run() *Report {
	h.t.Helper()
	rep, err := h.p.RunOnce(context.Background(), h.pl, RunOptions{})
	if err != nil {
		h.t.Fatalf("RunOnce: %v", err)
	}
	return rep
}

// runErr runs one batch of every stream and returns the error.
func (h *harness) runErr() (*Report, error) {
	h.t.Helper()
	return h.p.RunOnce(context.Background(), h.pl, RunOptions{})
}

// query reads rows of the store as normalized text, one string per row,
// values separated by " | ".
func (h *harness) query(stmt string) []string {
	h.t.Helper()
	return queryRows(h.t, h.st.db, stmt)
}

func queryRows(t testing.TB, db *sql.DB, stmt string) []string {
	t.Helper()
	rows, err := db.Query(stmt)
	if err != nil {
		t.Fatalf("%s: %v", stmt, err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	raw := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range raw {
		ptrs[i] = &raw[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		parts := make([]string, len(raw))
		for i, v := range raw {
			parts[i] = norm(v)
		}
		out = append(out, strings.Join(parts, " | "))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// norm prints a driver value the same way for every driver: integers and
// floats by value, text quoted, bytes in hex, NULL as NULL.
func norm(v any) string {
	switch x := v.(type) {
	case nil:
		return "NULL"
	case int64:
		return strconv.FormatInt(x, 10)
	case int32:
		return strconv.FormatInt(int64(x), 10)
	case float64:
		if x == math.Trunc(x) && math.Abs(x) < 1e15 {
			return strconv.FormatFloat(x, 'f', -1, 64)
		}
		return strconv.FormatFloat(x, 'g', -1, 64)
	case float32:
		return strconv.FormatFloat(float64(x), 'g', -1, 32)
	case string:
		return strconv.Quote(x)
	case []byte:
		return strconv.Quote(string(x))
	case bool:
		return strconv.FormatBool(x)
	case time.Time:
		return x.UTC().Format(time.RFC3339Nano)
	}
	return fmt.Sprintf("%T(%v)", v, v)
}

// columnsOf returns the column names of a query's result.
func (h *harness) columnsOf(stmt string) []string {
	h.t.Helper()
	rows, err := h.st.db.Query(stmt)
	if err != nil {
		h.t.Fatalf("%s: %v", stmt, err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		h.t.Fatal(err)
	}
	return cols
}

// q quotes an identifier of the store.
func (h *harness) q(name string) string { return h.st.d.QuoteIdent(name) }

// merge returns the rows of a dataset's merge table, sorted: the model's
// columns, the occurrence and the batch columns.
func (h *harness) merge(ds tds) []string {
	h.t.Helper()
	cols := make([]string, 0, len(ds.cols)+3)
	for _, c := range ds.cols {
		cols = append(cols, h.q(c.name))
	}
	cols = append(cols, h.q(colOccurrence))
	if h.opts.milestoning == "forensic" {
		cols = append(cols, h.q(colBatchIn), h.q(colBatchOut))
	} else {
		cols = append(cols, h.q(colBatch))
	}
	return sorted(h.query("SELECT " + strings.Join(cols, ", ") + " FROM " + h.q(MergeTableName(h.st.d, "Shop", ds.name))))
}

// sorted sorts rows as text: databases order NULLs differently.
func sorted(rows []string) []string {
	slices.Sort(rows)
	return rows
}

// view returns the rows of a view of the group Reports.daily, sorted.
func (h *harness) view(ds tds, kind string) []string {
	h.t.Helper()
	name := LiveViewName(h.st.d, "Reports", "daily", ds.name)
	if kind == ViewHistory {
		name = HistoryViewName(h.st.d, "Reports", "daily", ds.name)
	}
	return sorted(h.query("SELECT * FROM " + h.q(name)))
}

// batches returns the stream's batch records as "batch state read/ins/upd/del/unch".
func (h *harness) batches(stream string) []string {
	h.t.Helper()
	return h.query("SELECT batch, state, rows_read, rows_inserted, rows_updated, rows_deleted, rows_unchanged FROM " + h.q(batchesTable) +
		" WHERE stream = '" + stream + "' ORDER BY batch")
}

// expectRows compares rows with want and fails with both on a difference.
func expectRows(t testing.TB, what string, got []string, want ...string) {
	t.Helper()
	if len(want) == 0 {
		want = nil
	}
	if len(got) == 0 {
		got = nil
	}
	if !slices.Equal(got, want) {
		t.Errorf("%s:\ngot:\n  %s\nwant:\n  %s", what, strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}
