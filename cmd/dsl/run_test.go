package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/datasurface/datasurface-go/internal/dbtest"
	"github.com/datasurface/datasurface-go/internal/schematest"
	"github.com/datasurface/datasurface-go/platforms/sqlplatform"
	"github.com/datasurface/datasurface-go/platforms/sqlplatform/dialect"
)

// quickstart copies the quickstart example (its model and its shipped
// SQLite source) into a fresh folder, so tests can change the source, and
// returns the folder and the source, open.
func quickstart(t *testing.T) (string, *sql.DB) {
	t.Helper()
	dir := t.TempDir()
	for _, name := range []string{"eco.star", "shop.db"} {
		data, err := os.ReadFile(filepath.Join("..", "..", "examples", "quickstart", name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	src, err := sql.Open("sqlite", filepath.Join(dir, "shop.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { src.Close() })
	return dir, src
}

// cliStore is a merge store for the CLI's tests: its --store value and a
// connection to read it.
type cliStore struct {
	dsn string
	db  *sql.DB
}

// forEachCLIStore runs f with a fresh SQLite store, and a fresh PostgreSQL
// one (its own schema) when DSL_TEST_POSTGRES is set.
func forEachCLIStore(t *testing.T, f func(t *testing.T, st cliStore)) {
	t.Run("sqlite", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "store.db")
		db, _, err := dialect.Open("sqlite", path)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		f(t, cliStore{dsn: "sqlite:" + path, db: db})
	})
	t.Run("postgres", func(t *testing.T) {
		db, dsn := dbtest.Postgres(t)
		f(t, cliStore{dsn: dsn, db: db})
	})
}

func mustExec(t *testing.T, db *sql.DB, stmts ...string) {
	t.Helper()
	for _, s := range stmts {
		if _, err := db.Exec(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

// rows reads a query's rows as strings, NULL as "NULL".
func rows(t *testing.T, db *sql.DB, query string) [][]string {
	t.Helper()
	r, err := db.Query(query)
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	defer r.Close()
	cols, _ := r.Columns()
	var out [][]string
	for r.Next() {
		vals := make([]sql.NullString, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := r.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		row := make([]string, len(cols))
		for i, v := range vals {
			row[i] = "NULL"
			if v.Valid {
				row[i] = v.String
			}
		}
		out = append(out, row)
	}
	if err := r.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// customersView and customersSource read the same rows from the live view
// and from the source.
const (
	customersView   = `SELECT id, name, email, country FROM reports__daily__customers ORDER BY id`
	customersSource = `SELECT id, name, email, country FROM customers ORDER BY id`
)

// TestRunQuickstart runs the README's journey on the quickstart: the
// initial load, an incremental batch after a change at the source, a batch
// with nothing to do, then status and a refused reset; it checks what dsl
// prints and what the views hold.
func TestRunQuickstart(t *testing.T) {
	forEachCLIStore(t, func(t *testing.T, st cliStore) {
		dir, src := quickstart(t)
		code, out, errs := runCLI("run", dir, "--once", "--store", st.dsn)
		if code != exitClean || errs != "" {
			t.Fatalf("first run: exit %d\n%s\n%s", code, out, errs)
		}
		for _, want := range []string{
			"platform Laptop (sql, forensic), merge store ",
			"(--store)",
			"Shop: batch 1 committed in ",
			"11 read, 11 inserted, 0 updated, 0 deleted, 0 unchanged",
			"customers  5 read, 5 inserted",
			"orders     6 read, 6 inserted",
			"reports__daily__orders__history     every version (dsl_batch_in, dsl_batch_out) of Shop.orders, for Reports/daily",
			"reports__daily__customers           the current rows of Shop.customers",
		} {
			if !strings.Contains(out, want) {
				t.Errorf("first run's output lacks %q:\n%s", want, out)
			}
		}
		if got, want := rows(t, st.db, customersView), rows(t, src, customersSource); !reflect.DeepEqual(got, want) {
			t.Fatalf("live view after batch 1:\n got %q\nwant %q", got, want)
		}

		// A day at the shop: an order cancelled, one shipped, a new
		// customer, two new orders.
		mustExec(t, src,
			"DELETE FROM orders WHERE id = 6",
			"UPDATE orders SET status = 'shipped' WHERE id = 3",
			"INSERT INTO customers VALUES (6, 'Customer 6', NULL, 'FR')",
			"INSERT INTO orders VALUES (7, 6, '10.00', '2026-12-02 09:00:00', 'placed'), (8, 1, '0.01', NULL, 'placed')")
		code, out, errs = runCLI("run", dir, "--once", "--store", st.dsn)
		if code != exitClean || !strings.Contains(out, "Shop: batch 2 committed in ") ||
			!strings.Contains(out, "13 read, 3 inserted, 1 updated, 1 deleted, 9 unchanged") {
			t.Fatalf("second run: exit %d\n%s\n%s", code, out, errs)
		}
		if got, want := rows(t, st.db, customersView), rows(t, src, customersSource); !reflect.DeepEqual(got, want) {
			t.Fatalf("live view after batch 2:\n got %q\nwant %q", got, want)
		}
		hist := rows(t, st.db, `SELECT id, status, dsl_batch_in, dsl_batch_out FROM reports__daily__orders__history WHERE id IN (3, 6) ORDER BY id, dsl_batch_in`)
		live := "9223372036854775807"
		if want := [][]string{{"3", "placed", "1", "1"}, {"3", "shipped", "2", live}, {"6", "placed", "1", "1"}}; !reflect.DeepEqual(hist, want) {
			t.Fatalf("history of orders 3 and 6:\n got %q\nwant %q", hist, want)
		}

		code, out, _ = runCLI("run", dir, "--once", "--store", st.dsn)
		if code != exitClean || !strings.Contains(out, "batch 3 committed in ") || !strings.Contains(out, "13 read, 0 inserted, 0 updated, 0 deleted, 13 unchanged") {
			t.Fatalf("third run: exit %d\n%s", code, out)
		}

		code, out, errs = runCLI("status", dir, "--store", st.dsn)
		if code != exitClean || !strings.Contains(out, "Shop    sql_snapshot  -        3      COMMITTED  3 at ") {
			t.Fatalf("status: exit %d\n%s\n%s", code, out, errs)
		}
		code, out, _ = runCLI("status", dir, "--store", st.dsn, "--format", "json")
		var status statusReportJSON
		if err := json.Unmarshal([]byte(out), &status); code != exitClean || err != nil {
			t.Fatalf("status --format json: exit %d, %v\n%s", code, err, out)
		}
		if s := status.Streams[0]; len(status.Streams) != 1 || s.Stream != "Shop" || s.Batch != 3 || s.State != "COMMITTED" ||
			s.LastCommitted != 3 || s.Read != 13 || s.Unchanged != 13 || len(s.Views) != 4 || s.CommittedAt == nil ||
			s.LagSeconds == nil || *s.LagSeconds < 0 || *s.LagSeconds > 60 {
			t.Fatalf("status JSON: %+v", status)
		}

		code, _, errs = runCLI("reset", dir, "--store", st.dsn, "--stream", "Shop")
		if code != exitFindings || !strings.Contains(errs, "batch 3 is committed and a committed batch is never reset") {
			t.Fatalf("reset of a committed batch: exit %d\n%s", code, errs)
		}
	})
}

// TestRunFailureLeavesBatchOpen: a batch that fails (a column gone at the
// source) exits 1, names the stream, batch, dataset and column and says
// what to do; the views keep the last committed state; status shows the
// open batch and its error; reset discards it; once the source is fixed,
// the next run commits that batch number.
func TestRunFailureLeavesBatchOpen(t *testing.T) {
	forEachCLIStore(t, func(t *testing.T, st cliStore) {
		dir, src := quickstart(t)
		if code, out, errs := runCLI("run", dir, "--once", "--store", st.dsn); code != exitClean {
			t.Fatalf("first run: exit %d\n%s\n%s", code, out, errs)
		}
		before := rows(t, st.db, customersView)
		mustExec(t, src, "ALTER TABLE customers DROP COLUMN email", "INSERT INTO customers VALUES (9, 'New', 'NL')")
		code, out, errs := runCLI("run", dir, "--once", "--store", st.dsn)
		if code != exitFindings || !strings.Contains(out, "Shop: batch 2 not committed (it reached STARTED)") {
			t.Fatalf("failing run: exit %d\n%s\n%s", code, out, errs)
		}
		for _, want := range []string{
			"dsl run: stream Shop, batch 2, dataset customers: ",
			"column email: source table customers of ",
			"The batch stays uncommitted and the merge tables and views are as before it",
			"dsl reset " + dir + " --platform Laptop --stream Shop discards it",
		} {
			if !strings.Contains(errs, want) {
				t.Errorf("the failure's message lacks %q:\n%s", want, errs)
			}
		}
		if got := rows(t, st.db, customersView); !reflect.DeepEqual(got, before) {
			t.Fatalf("a failed batch changed the view:\n got %q\nwant %q", got, before)
		}

		code, out, _ = runCLI("status", dir, "--store", st.dsn)
		if code != exitClean || !strings.Contains(out, "Shop: batch 2 is STARTED, not committed, after 1 attempt") ||
			!strings.Contains(out, "last error: ") || !strings.Contains(out, "column email") {
			t.Fatalf("status of the open batch: exit %d\n%s", code, out)
		}
		code, out, errs = runCLI("reset", dir, "--store", st.dsn, "--stream", "Shop")
		if code != exitClean || !strings.Contains(out, "stream Shop: uncommitted batch 2 discarded") {
			t.Fatalf("reset: exit %d\n%s\n%s", code, out, errs)
		}
		code, _, errs = runCLI("reset", dir, "--store", st.dsn, "--stream", "Shop")
		if code != exitFindings || !strings.Contains(errs, "no uncommitted batch to reset") {
			t.Fatalf("second reset: exit %d\n%s", code, errs)
		}

		mustExec(t, src, "ALTER TABLE customers ADD COLUMN email TEXT")
		code, out, errs = runCLI("run", dir, "--once", "--store", st.dsn)
		if code != exitClean || !strings.Contains(out, "Shop: batch 2 committed") {
			t.Fatalf("run after the fix: exit %d\n%s\n%s", code, out, errs)
		}
		if got, want := rows(t, st.db, customersView), rows(t, src, customersSource); !reflect.DeepEqual(got, want) {
			t.Fatalf("live view after the fix:\n got %q\nwant %q", got, want)
		}
	})
}

// TestRunJSON: --format json prints one object per run with each batch's
// counts, per dataset, and its views.
func TestRunJSON(t *testing.T) {
	dir, _ := quickstart(t)
	store := "sqlite:" + filepath.Join(t.TempDir(), "store.db")
	code, out, errs := runCLI("run", dir, "--once", "--store", store, "--format", "json")
	if code != exitClean || errs != "" {
		t.Fatalf("exit %d\n%s\n%s", code, out, errs)
	}
	var rep runJSON
	if err := json.Unmarshal([]byte(out), &rep); err != nil || strings.Count(out, "\n") != 1 {
		t.Fatalf("not one line of JSON (%v):\n%s", err, out)
	}
	if rep.Platform != "Laptop" || rep.Milestoning != "forensic" || rep.Store != store || rep.StoreFrom != "--store" || len(rep.Batches) != 1 {
		t.Fatalf("report: %+v", rep)
	}
	b := rep.Batches[0]
	if b.Stream != "Shop" || b.Batch != 1 || b.State != "COMMITTED" || b.Read != 11 || b.Inserted != 11 || b.Error != "" ||
		len(b.Datasets) != 2 || b.Datasets[1].Dataset != "orders" || b.Datasets[1].Inserted != 6 || len(b.Views) != 4 {
		t.Fatalf("batch: %+v", b)
	}
}

// TestRunRefusesModelWithErrors: dsl run moves nothing under a model that
// does not lint clean; the merge store is not even created.
func TestRunRefusesModelWithErrors(t *testing.T) {
	dir, _ := quickstart(t)
	data, _ := os.ReadFile(filepath.Join(dir, "eco.star"))
	// A key column that may be NULL is a lint error.
	broken := strings.Replace(string(data), `column("id", "bigint", key = True),`, `column("id", "bigint", key = True, nullable = True),`, 1)
	if broken == string(data) {
		t.Fatal("the test's edit did not apply")
	}
	if err := os.WriteFile(filepath.Join(dir, "eco.star"), []byte(broken), 0o644); err != nil {
		t.Fatal(err)
	}
	storePath := filepath.Join(t.TempDir(), "store.db")
	code, out, errs := runCLI("run", dir, "--once", "--store", "sqlite:"+storePath)
	if code != exitFindings || out != "" || !strings.Contains(errs, "has 1 error; nothing runs until they are fixed") {
		t.Fatalf("exit %d\nstdout: %s\nstderr: %s", code, out, errs)
	}
	if _, err := os.Stat(storePath); !os.IsNotExist(err) {
		t.Fatalf("the merge store was created (%v)", err)
	}
}

// TestRunPlatformChoice: --platform may be left out only when the model
// has one sql platform, and must name a declared platform of kind sql.
func TestRunPlatformChoice(t *testing.T) {
	two := func(dir string) {
		data, _ := os.ReadFile(filepath.Join(dir, "eco.star"))
		s := strings.Replace(string(data), `platform("Laptop", kind = "sql", options = {"milestoning": "forensic"}),`,
			`platform("Laptop", kind = "sql", options = {"milestoning": "forensic"}), platform("Server", kind = "sql"), platform("Old", kind = "legacy"),`, 1)
		os.WriteFile(filepath.Join(dir, "eco.star"), []byte(s), 0o644)
	}
	for _, c := range []struct {
		name   string
		edit   func(dir string)
		args   []string
		code   int
		stderr string
	}{
		{"unknown", nil, []string{"--platform", "Lapto"}, exitUsage, `--platform "Lapto": the model declares no such platform (did you mean "Laptop"?)`},
		{"ambiguous", two, nil, exitUsage, "the model declares 2 platforms of kind sql (Laptop, Server): choose one with --platform"},
		{"not sql", two, []string{"--platform", "Old"}, exitUsage, "platform Old is of kind legacy, which does not move data: dsl status works on platforms of kind sql (its platforms of kind sql: Laptop, Server)"},
		{"chosen", two, []string{"--platform", "Server"}, exitClean, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir, _ := quickstart(t)
			if c.edit != nil {
				c.edit(dir)
			}
			args := append([]string{"status", dir, "--store", "sqlite:" + filepath.Join(t.TempDir(), "s.db")}, c.args...)
			code, _, errs := runCLI(args...)
			if code != c.code || !strings.Contains(errs, c.stderr) {
				t.Fatalf("exit %d (want %d)\n%s\nwant %q", code, c.code, errs, c.stderr)
			}
		})
	}
}

// TestRunStoreErrorsHideThePassword: an unreachable PostgreSQL store is an
// error that names the store without its password.
func TestRunStoreErrorsHideThePassword(t *testing.T) {
	dir, _ := quickstart(t)
	code, out, errs := runCLI("run", dir, "--once", "--store", "postgres://reader:s3cr3t-pw@127.0.0.1:1/shop?connect_timeout=2")
	if code != exitFindings || !strings.Contains(errs, "127.0.0.1:1") {
		t.Fatalf("exit %d\n%s\n%s", code, out, errs)
	}
	if strings.Contains(out+errs, "s3cr3t-pw") {
		t.Fatalf("the password is shown:\n%s\n%s", out, errs)
	}
}

// TestRunContinuously: without --once, dsl run runs the streams and keeps
// going until its context is cancelled (Ctrl-C, SIGTERM), then exits 0.
func TestRunContinuously(t *testing.T) {
	dir, _ := quickstart(t)
	store := "sqlite:" + filepath.Join(t.TempDir(), "store.db")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out := &syncBuffer{}
	var errs bytes.Buffer
	done := make(chan int)
	go func() {
		done <- run(ctx, &env{stdout: out, stderr: &errs, getenv: func(string) string { return "" }}, []string{"run", dir, "--store", store})
	}()
	deadline := time.After(30 * time.Second)
	for !strings.Contains(out.String(), "Shop: batch 1 committed") {
		select {
		case code := <-done:
			t.Fatalf("dsl run ended on its own: exit %d\n%s\n%s", code, out.String(), errs.String())
		case <-deadline:
			t.Fatalf("no batch within 30 s:\n%s", out.String())
		case <-time.After(20 * time.Millisecond):
		}
	}
	cancel()
	if code := <-done; code != exitClean || !strings.HasSuffix(out.String(), "stopped\n") {
		t.Fatalf("after cancel: exit %d\n%s\n%s", code, out.String(), errs.String())
	}
	if !strings.Contains(out.String(), "Query these views in the merge store:") {
		t.Errorf("the views are not named:\n%s", out.String())
	}
}

// TestProgressLine: progress is drawn on one line, at most ten times a
// second for the same phase, and cleared at the end; a nil line draws
// nothing.
func TestProgressLine(t *testing.T) {
	var buf bytes.Buffer
	p := &progressLine{w: &buf}
	p.update(progressAt("staging", 10000))
	p.update(progressAt("staging", 20000)) // too soon: skipped
	p.update(progressAt("merging", 0))     // a new phase: drawn
	p.clear()
	p.clear() // nothing left to clear
	want := "\r\x1b[KShop batch 2: orders: staging, 10000 rows read\r\x1b[KShop batch 2: orders: merging\r\x1b[K"
	if buf.String() != want {
		t.Fatalf("got %q\nwant %q", buf.String(), want)
	}
	var none *progressLine
	none.clear()
	if isTerminal(&env{getenv: func(string) string { return "" }}, &buf) {
		t.Fatal("a buffer is not a terminal")
	}
	if isTerminal(&env{getenv: func(k string) string { return map[string]string{"CI": "true"}[k] }}, os.Stderr) {
		t.Fatal("CI set: no progress")
	}
}

func progressAt(phase string, rows int64) sqlplatform.Progress {
	return sqlplatform.Progress{Stream: "Shop", Batch: 2, Dataset: "orders", Phase: phase, Rows: rows}
}

// syncBuffer is a bytes.Buffer a test may read while a command writes it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// TestStreamLag: the lag is the age of the latest commit, in whole
// seconds, and never negative when another machine's clock is ahead.
func TestStreamLag(t *testing.T) {
	now := time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		committed time.Time
		want      time.Duration
	}{
		{now.Add(-90*time.Second - 300*time.Millisecond), 90 * time.Second},
		{now, 0},
		{now.Add(5 * time.Second), 0},
	} {
		if got := streamLag(now, c.committed); got != c.want {
			t.Errorf("lag of a commit at %v: %v, want %v", c.committed, got, c.want)
		}
	}
}

// TestRunLineage: --lineage FILE appends each batch's START and COMPLETE
// events as JSON lines; a target that cannot be opened is a usage error
// before anything runs.
func TestRunLineage(t *testing.T) {
	dir, _ := quickstart(t)
	tmp := t.TempDir()
	store := "sqlite:" + filepath.Join(tmp, "store.db")
	file := filepath.Join(tmp, "lineage.jsonl")
	for range 2 {
		if code, out, errs := runCLI("run", dir, "--once", "--store", store, "--lineage", file); code != exitClean {
			t.Fatalf("exit %d\n%s\n%s", code, out, errs)
		}
	}
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	want := []string{"START", "COMPLETE", "START", "COMPLETE"}
	if len(lines) != len(want) {
		t.Fatalf("%d events, want %d:\n%s", len(lines), len(want), data)
	}
	for i, typ := range want {
		var e struct {
			EventType string
			Job       struct{ Namespace, Name string }
		}
		if err := json.Unmarshal([]byte(lines[i]), &e); err != nil || e.EventType != typ || e.Job.Name != "ingest:Shop" || e.Job.Namespace != "datasurface://Quickstart/Laptop" {
			t.Fatalf("event %d: %v %+v", i+1, err, e)
		}
	}
	code, _, errs := runCLI("run", dir, "--once", "--store", store, "--lineage", filepath.Join(tmp, "no", "such", "dir", "l.jsonl"))
	if code != exitUsage || !strings.Contains(errs, "dsl run: --lineage: ") {
		t.Fatalf("unopenable --lineage: exit %d\n%s", code, errs)
	}
}

// TestRunLineageValidates: the run events dsl run --lineage writes (START
// and COMPLETE, and FAIL for a batch that fails) validate against the
// published OpenLineage schema.
func TestRunLineageValidates(t *testing.T) {
	spec := schematest.Compile(t, "OpenLineage-2-0-2.json")[0]
	dir, src := quickstart(t)
	tmp := t.TempDir()
	store := "sqlite:" + filepath.Join(tmp, "store.db")
	file := filepath.Join(tmp, "lineage.jsonl")
	if code, out, errs := runCLI("run", dir, "--once", "--store", store, "--lineage", file); code != exitClean {
		t.Fatalf("exit %d\n%s\n%s", code, out, errs)
	}
	mustExec(t, src, "ALTER TABLE orders DROP COLUMN status")
	if code, _, _ := runCLI("run", dir, "--once", "--store", store, "--lineage", file); code != exitFindings {
		t.Fatalf("the failing run exited %d", code)
	}
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var types []string
	for i, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		var v map[string]any
		if err := json.Unmarshal([]byte(line), &v); err != nil {
			t.Fatalf("line %d: %v", i+1, err)
		}
		if err := schematest.Validate(spec, v); err != nil {
			t.Errorf("line %d does not validate: %v\n%s", i+1, err, line)
		}
		types = append(types, fmt.Sprint(v["eventType"]))
	}
	if want := []string{"START", "COMPLETE", "START", "FAIL"}; !slices.Equal(types, want) {
		t.Fatalf("events %v, want %v", types, want)
	}
}

// TestRunTransformerNeedsAHost: dsl run cannot run a go_code transformer,
// which only a host program registers: the run says so, exits 1, commits
// the streams that do not depend on it and runs none of those that do.
func TestRunTransformerNeedsAHost(t *testing.T) {
	dir, _ := quickstart(t)
	model := `ecosystem(
    name = "Quickstart",
    repo = repo("github.com/example/quickstart"),
    live_repo = repo("github.com/example/quickstart", branch = "live"),
    platforms = [platform("Laptop", kind = "sql")],
    zones = [zone("Retail", repo = repo("github.com/example/quickstart"), teams = [team("Sales", repo = repo("github.com/example/quickstart"),
        datastores = [
            datastore("Shop", capture = sql_snapshot(source = sqlite("shop", database = "shop.db")), datasets = [
                dataset("customers", classification = "public", columns = [column("id", "bigint", key = True), column("name", "nvarchar(80)", nullable = False)]),
                dataset("orders", classification = "public", columns = [column("id", "bigint", key = True), column("status", "varchar(12)", nullable = False)]),
            ]),
            datastore("Caps", capture = transformer_output(), datasets = [
                dataset("names", classification = "public", columns = [column("id", "bigint", key = True), column("name", "nvarchar(80)")]),
            ]),
        ],
        workspaces = [
            workspace("Capitalize", container = platform_managed(), groups = [dataset_group("inputs", platform = "Laptop", sinks = [sink("Shop", "customers")])],
                transformer = transformer("ToUpper", code = go_code("upper"), output = "Caps")),
            workspace("Reports", container = platform_managed(), groups = [dataset_group("daily", platform = "Laptop",
                sinks = [sink("Caps", "names"), sink("Shop", "orders")])]),
        ],
    )])],
)
`
	if err := os.WriteFile(filepath.Join(dir, "eco.star"), []byte(model), 0o644); err != nil {
		t.Fatal(err)
	}
	store := "sqlite:" + filepath.Join(t.TempDir(), "store.db")
	code, out, errs := runCLI("run", dir, "--once", "--store", store)
	if code != exitFindings {
		t.Fatalf("exit %d\n%s\n%s", code, out, errs)
	}
	if code, status, _ := runCLI("status", dir, "--store", store); code != exitClean ||
		!strings.Contains(status, "Caps: written by transform:Capitalize, which reads Shop: it runs after them and stops when they fail.") {
		t.Errorf("status: exit %d\n%s", code, status)
	}
	for _, want := range []string{"Shop: batch 1 committed", "transform:Capitalize (ToUpper): failed", "Caps: failed before a batch started"} {
		if !strings.Contains(out, want) {
			t.Errorf("stdout lacks %q:\n%s", want, out)
		}
	}
	for _, want := range []string{
		`transformer ToUpper of workspace Capitalize: its Go function "upper" is not registered: a host program registers it with Platform.RegisterTransformer`,
		"dsl run: stream Caps: not run: it depends on transform:Capitalize, which failed",
	} {
		if !strings.Contains(errs, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errs)
		}
	}
}

// TestRunMirror: dsl run on a platform declared with mirror_of binds its
// primary from the model (its store from DSL_STORE_<PRIMARY> here) and
// copies the primary's committed state; run again, it has nothing to do.
func TestRunMirror(t *testing.T) {
	dir, _ := quickstart(t)
	data, _ := os.ReadFile(filepath.Join(dir, "eco.star"))
	text := strings.Replace(string(data), `platform("Laptop", kind = "sql", options = {"milestoning": "forensic"}),`,
		`platform("Laptop", kind = "sql", options = {"milestoning": "forensic"}), platform("Replica", kind = "sql", options = {"mirror_of": "Laptop"}),`, 1)
	text = strings.Replace(text, `workspace(
                            "Reports",`, `workspace("Copies", container = platform_managed(), groups = [dataset_group("copied", platform = "Replica", sinks = [sink("Shop", "orders")])]),
                        workspace(
                            "Reports",`, 1)
	if text == string(data) {
		t.Fatal("the test's edits did not apply")
	}
	if err := os.WriteFile(filepath.Join(dir, "eco.star"), []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	tmp := t.TempDir()
	primary, replica := "sqlite:"+filepath.Join(tmp, "laptop.db"), "sqlite:"+filepath.Join(tmp, "replica.db")
	t.Setenv("DSL_STORE_LAPTOP", primary)
	if code, out, errs := runCLI("run", dir, "--platform", "Laptop", "--once"); code != exitClean {
		t.Fatalf("primary: exit %d\n%s\n%s", code, out, errs)
	}
	code, out, errs := runCLI("run", dir, "--platform", "Replica", "--once", "--store", replica)
	if code != exitClean || !strings.Contains(out, "Shop: batch 1 committed in ") || !strings.Contains(out, "6 read, 6 inserted") {
		t.Fatalf("mirror: exit %d\n%s\n%s", code, out, errs)
	}
	code, out, _ = runCLI("run", dir, "--platform", "Replica", "--once", "--store", replica)
	if code != exitClean || !strings.Contains(out, "Shop: batch 1 is up to date with the primary: nothing new") {
		t.Fatalf("mirror rerun: exit %d\n%s", code, out)
	}
}
