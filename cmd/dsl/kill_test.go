package main

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/datasurface/datasurface-go/internal/dbtest"
)

// The kill test runs the real dsl binary and kills it with SIGKILL in the
// middle of its batches, at the points a crash hurts most: while the
// snapshot is being staged, and once it is staged (INGESTED) with the merge
// to come or under way. Each killed batch is then rerun to completion. The
// merge table and the views must end exactly as those of a store that ran
// the same batches without interruption, row for row, hashes and batch
// columns included.

// killRows is the size of the source table: enough that staging takes a
// good part of a second, so that a kill lands inside it.
const killRows = 60000

const killModel = `ecosystem(
    name = "Kill",
    repo = repo("github.com/test/kill"),
    live_repo = repo("github.com/test/kill", branch = "live"),
    platforms = [platform("Lake", kind = "sql", options = {"milestoning": "forensic"})],
    zones = [zone("Z", repo = repo("github.com/test/kill"), teams = [team("T", repo = repo("github.com/test/kill"),
        datastores = [datastore("Bulk", capture = sql_snapshot(source = sqlite("src", database = "src.db")), datasets = [
            dataset("items", classification = "public", columns = [
                column("id", "bigint", key = True),
                column("name", "nvarchar(40)"),
                column("qty", "bigint"),
                column("price", "decimal(12,2)"),
                column("note", "varchar(20)"),
            ]),
        ])],
        workspaces = [workspace("Reports", container = platform_managed(), groups = [
            dataset_group("daily", platform = "Lake", sinks = [sink("Bulk", "items")]),
        ])],
    )])],
)
`

// buildDSL builds the dsl binary into a temporary folder.
func buildDSL(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "dsl")
	if runtime.GOOS == "windows" {
		bin += ".exe"
	}
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

func TestKillMidBatch(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("SIGKILL is a Unix signal")
	}
	if testing.Short() {
		t.Skip("-short: the kill test builds dsl and moves a few hundred thousand rows")
	}
	bin := buildDSL(t)
	forEachCLIStore(t, func(t *testing.T, killed cliStore) {
		var reference cliStore
		if strings.HasPrefix(killed.dsn, "sqlite:") {
			path := filepath.Join(t.TempDir(), "reference.db")
			db, err := sql.Open("sqlite", path)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			reference = cliStore{dsn: "sqlite:" + path, db: db}
		} else {
			// A second schema of the same server.
			db, dsn := dbtest.Postgres(t)
			reference = cliStore{dsn: dsn, db: db}
		}
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "eco.star"), []byte(killModel), 0o644); err != nil {
			t.Fatal(err)
		}
		src, err := sql.Open("sqlite", filepath.Join(dir, "src.db"))
		if err != nil {
			t.Fatal(err)
		}
		defer src.Close()
		mustExec(t, src,
			"CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT, qty INTEGER, price TEXT, note TEXT)",
			fmt.Sprintf(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %d)
				INSERT INTO items SELECT i, 'item ' || i, i %% 1000, (i %% 10000) || '.' || substr('0' || (i %% 100), -2), CASE WHEN i %% 7 = 0 THEN NULL ELSE 'n' || (i %% 13) END FROM n`, killRows))

		rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 7))
		landed := 0
		for batch := int64(1); batch <= 3; batch++ {
			if batch > 1 {
				// The source changes between batches: updates, deletes,
				// inserts and a key that comes back.
				mustExec(t, src,
					fmt.Sprintf("UPDATE items SET qty = qty + %d WHERE id %% 50 = %d", batch, batch),
					fmt.Sprintf("DELETE FROM items WHERE id %% 97 = %d", batch),
					fmt.Sprintf("INSERT OR REPLACE INTO items VALUES (%d, 'new', 1, '1.00', NULL), (%d, 'back', 2, '2.00', 'x')", killRows+batch, 97+batch-1))
			}
			if code, out := runBinary(t, bin, dir, reference.dsn); code != 0 {
				t.Fatalf("reference batch %d: exit %d\n%s", batch, code, out)
			}
			landed += killDuring(t, bin, dir, killed, batch, rng)
			if code, out := runBinary(t, bin, dir, killed.dsn); code != 0 || !strings.Contains(out, fmt.Sprintf("batch %d", batch)) {
				t.Fatalf("rerun of batch %d after the kills: exit %d\n%s", batch, code, out)
			}
			for _, table := range []string{"bulk__items", "reports__daily__items", "reports__daily__items__history"} {
				sameRows(t, table, reference.db, killed.db)
			}
		}
		if landed == 0 {
			t.Fatal("no kill landed inside a batch: the batches ran too fast for the test to mean anything")
		}
		t.Logf("%d kills landed inside a batch", landed)
	})
}

// killDuring starts dsl run --once on the killed store for the given batch
// and kills it twice: once while the batch is STARTED (staging), once when
// it is INGESTED (the merge next or under way). It returns how many kills
// left the batch uncommitted, which is what the test is after; a run that
// ends before the test sees its state is not counted.
func killDuring(t *testing.T, bin, dir string, st cliStore, batch int64, rng *rand.Rand) int {
	t.Helper()
	landed := 0
	for _, state := range []string{"STARTED", "INGESTED"} {
		cmd := exec.Command(bin, "run", dir, "--once", "--store", st.dsn)
		cmd.Env = append(os.Environ(), "CI=true")
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		exited := make(chan error, 1)
		go func() { exited <- cmd.Wait() }()
		seen := waitForState(st.db, batch, state, exited)
		if !seen {
			continue // the run ended first: nothing to kill
		}
		if state == "STARTED" {
			// Somewhere inside staging, not always at its start.
			time.Sleep(time.Duration(rng.IntN(200)) * time.Millisecond)
		}
		_ = cmd.Process.Signal(syscall.SIGKILL)
		<-exited
		if s := batchState(st.db, batch); s != "COMMITTED" {
			landed++
			t.Logf("batch %d: killed at %s, left %s", batch, state, s)
		}
	}
	return landed
}

// waitForState polls the store until the batch reaches state (or a later
// one), and reports whether it did before the process exited.
func waitForState(db *sql.DB, batch int64, state string, exited chan error) bool {
	order := map[string]int{"": 0, "STARTED": 1, "INGESTED": 2, "COMMITTED": 3}
	for {
		select {
		case err := <-exited:
			exited <- err // for the caller's wait
			return false
		default:
		}
		s := batchState(db, batch)
		if s == "COMMITTED" {
			return false
		}
		if order[s] >= order[state] {
			return true
		}
		time.Sleep(time.Millisecond)
	}
}

// batchState reads a batch's state from the store, "" when it has none yet
// (or the store cannot be read at this instant).
func batchState(db *sql.DB, batch int64) string {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	var s string
	if err := db.QueryRowContext(ctx, "SELECT state FROM dsl_batches WHERE stream = 'Bulk' AND batch = "+fmt.Sprint(batch)).Scan(&s); err != nil {
		return ""
	}
	return s
}

func runBinary(t *testing.T, bin, dir, store string) (int, string) {
	t.Helper()
	cmd := exec.Command(bin, "run", dir, "--once", "--store", store)
	cmd.Env = append(os.Environ(), "CI=true")
	out, err := cmd.CombinedOutput()
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode(), string(out)
	}
	if err != nil {
		t.Fatal(err)
	}
	return 0, string(out)
}

// sameRows compares a table or view of two stores row for row, in the
// order of every column.
func sameRows(t *testing.T, table string, want, got *sql.DB) {
	t.Helper()
	cols := columnNames(t, want, table)
	q := fmt.Sprintf("SELECT * FROM %s ORDER BY %s", table, strings.Join(cols, ", "))
	wr, err := want.Query(q)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer wr.Close()
	gr, err := got.Query(q)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer gr.Close()
	n := 0
	for {
		wn, gn := wr.Next(), gr.Next()
		if wn != gn {
			t.Fatalf("%s: the killed store has %s rows than the reference after %d rows", table, map[bool]string{true: "fewer", false: "more"}[wn], n)
		}
		if !wn {
			break
		}
		w, g := scanRow(t, wr, len(cols)), scanRow(t, gr, len(cols))
		if !reflect.DeepEqual(w, g) {
			t.Fatalf("%s: row %d differs:\nreference %q\nkilled    %q", table, n, w, g)
		}
		n++
	}
	if err := wr.Err(); err != nil {
		t.Fatal(err)
	}
	if err := gr.Err(); err != nil {
		t.Fatal(err)
	}
	if n == 0 {
		t.Fatalf("%s is empty", table)
	}
}

func columnNames(t *testing.T, db *sql.DB, table string) []string {
	t.Helper()
	r, err := db.Query("SELECT * FROM " + table + " WHERE 1 = 0")
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	cols, err := r.Columns()
	if err != nil {
		t.Fatal(err)
	}
	return cols
}

func scanRow(t *testing.T, r *sql.Rows, n int) []string {
	t.Helper()
	vals := make([]sql.NullString, n)
	ptrs := make([]any, n)
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	if err := r.Scan(ptrs...); err != nil {
		t.Fatal(err)
	}
	out := make([]string, n)
	for i, v := range vals {
		out[i] = "NULL"
		if v.Valid {
			out[i] = v.String
		}
	}
	return out
}
