package main

import (
	"bufio"
	"context"
	"database/sql"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/datasurface/datasurface-go/internal/dbtest"
	"github.com/datasurface/datasurface-go/platforms/sqlplatform"
	"github.com/datasurface/datasurface-go/platforms/sqlplatform/dialect"
)

// The fleet test runs three real dsl worker processes against one
// PostgreSQL store, SIGKILLs the one running a batch in the middle of it,
// and checks what the design promises: every batch ends committed exactly
// once, no stream ever ran two batches at once, the killed batch is resumed
// (by a survivor), and the merge tables hold the sources' rows.

// fleetStreams and fleetRows size the model: enough rows that a batch
// takes a moment, so that the kill lands inside one.
const (
	fleetStreams = 4
	fleetRows    = 30000
)

// fleetModel has fleetStreams stores, each a snapshot of its own source
// with columns id, name and qty.
func fleetModel() string {
	stores := map[int]string{}
	for i := range fleetStreams {
		stores[i] = `, column("qty", "bigint")`
	}
	return workerModel(stores)
}

// fleetWorker is one running dsl worker process.
type fleetWorker struct {
	cmd    *exec.Cmd
	exited chan error
	log    *syncBuffer
}

func startFleetWorker(t *testing.T, bin, dir, store string) *fleetWorker {
	t.Helper()
	return startWorkerProcess(t, bin, "worker", dir, "--store", store, "--listen", "127.0.0.1:0", "--log-format", "json",
		"--interval", "1s", "--job-timeout", "20s", "--rescue-after", "25s", "--concurrency", "2", "--grace", "20s")
}

// startWorkerProcess starts the dsl binary with args, collecting its
// stderr; it is killed when the test ends, and its log shown if it failed.
func startWorkerProcess(t *testing.T, bin string, args ...string) *fleetWorker {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), "CI=true")
	w := &fleetWorker{cmd: cmd, exited: make(chan error, 1), log: &syncBuffer{}}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		_, _ = io.Copy(w.log, bufio.NewReader(stderr))
		w.exited <- cmd.Wait()
	}()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-w.exited
		if t.Failed() {
			t.Logf("worker %d log:\n%s", cmd.Process.Pid, w.log.String())
		}
	})
	return w
}

func TestWorkerFleetSurvivesAKill(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("SIGKILL is a Unix signal")
	}
	if testing.Short() {
		t.Skip("-short: the fleet test builds dsl and runs three workers for a minute or two")
	}
	db, store := dbtest.Postgres(t)
	bin := buildDSL(t)
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "eco.star"), []byte(fleetModel()), 0o644); err != nil {
		t.Fatal(err)
	}
	for i := range fleetStreams {
		src, _, err := dialect.Open("sqlite", filepath.Join(dir, fmt.Sprintf("src%d.db", i)))
		if err != nil {
			t.Fatal(err)
		}
		mustExec(t, src, fmt.Sprintf("CREATE TABLE items%d (id INTEGER PRIMARY KEY, name TEXT, qty INTEGER)", i),
			fmt.Sprintf(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %d)
			 INSERT INTO items%d SELECT i, 'name ' || i, i %% 97 FROM n`, fleetRows, i))
		src.Close()
	}
	workers := map[int]*fleetWorker{}
	for range 3 {
		w := startFleetWorker(t, bin, dir, store)
		workers[w.cmd.Process.Pid] = w
	}

	// Kill the worker running a batch that is under way.
	var killedStream string
	var killedBatch int64
	deadline := time.Now().Add(60 * time.Second)
	for killedStream == "" {
		if time.Now().After(deadline) {
			t.Fatal("no batch was seen running within a minute")
		}
		stream, batch, pid := runningBatch(t, db)
		if w, ok := workers[pid]; ok {
			if err := w.cmd.Process.Signal(syscall.SIGKILL); err != nil {
				t.Fatal(err)
			}
			<-w.exited
			w.exited <- nil // for the cleanup
			delete(workers, pid)
			killedStream, killedBatch = stream, batch
			t.Logf("killed worker %d while it ran batch %d of %s", pid, batch, stream)
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	// A survivor resumes the killed batch once the queue rescues its job.
	waitUntil(t, 120*time.Second, func() bool {
		var state string
		err := db.QueryRow(`SELECT state FROM dsl_batches WHERE stream = $1 AND batch = $2`, killedStream, killedBatch).Scan(&state)
		return err == nil && state == "COMMITTED"
	}, fmt.Sprintf("batch %d of %s never committed after its worker was killed", killedBatch, killedStream))
	var attempts int64
	if err := db.QueryRow(`SELECT attempts FROM dsl_batches WHERE stream = $1 AND batch = $2`, killedStream, killedBatch).Scan(&attempts); err != nil {
		t.Fatal(err)
	}
	if attempts < 2 {
		t.Errorf("batch %d of %s was worked on %d time(s); want the killed run and the survivor's", killedBatch, killedStream, attempts)
	}
	// Let the survivors run more batches, then stop them gracefully.
	time.Sleep(3 * time.Second)
	for _, w := range workers {
		if err := w.cmd.Process.Signal(syscall.SIGTERM); err != nil {
			t.Fatal(err)
		}
	}
	for pid, w := range workers {
		select {
		case err := <-w.exited:
			w.exited <- err
			if err != nil {
				t.Errorf("worker %d after SIGTERM: %v; want exit 0", pid, err)
			}
		case <-time.After(40 * time.Second):
			t.Fatalf("worker %d did not stop within 40 s of SIGTERM", pid)
		}
	}
	names := make([]string, fleetStreams)
	for i := range names {
		names[i] = fmt.Sprintf("S%d", i)
	}
	checkBatches(t, db, names)
	// Each stream's live view holds its source's rows exactly once.
	d, err := dialect.ForEngine("postgres")
	if err != nil {
		t.Fatal(err)
	}
	for i := range fleetStreams {
		var n, distinct int64
		q := fmt.Sprintf(`SELECT COUNT(*), COUNT(DISTINCT id) FROM %s`, d.QuoteIdent(sqlplatform.LiveViewName(d, "Reports", "daily", fmt.Sprintf("items%d", i))))
		if err := db.QueryRow(q).Scan(&n, &distinct); err != nil {
			t.Fatal(err)
		}
		if n != fleetRows || distinct != fleetRows {
			t.Errorf("stream S%d: %d current rows, %d distinct keys; want %d of each", i, n, distinct, fleetRows)
		}
	}
}

// runningBatch returns a batch that is under way (STARTED or INGESTED) and
// the process ID of the worker whose job runs it, or zeros.
func runningBatch(t *testing.T, db *sql.DB) (string, int64, int) {
	t.Helper()
	rows, err := db.Query(`SELECT b.stream, b.batch, j.attempted_by[array_upper(j.attempted_by, 1)]
		FROM dsl_batches b JOIN river_job j ON j.kind = 'dsl_batch' AND j.state = 'running' AND j.args->>'stream' = b.stream
		WHERE b.state IN ('STARTED', 'INGESTED')`)
	if err != nil {
		return "", 0, 0 // the tables may not exist yet
	}
	defer rows.Close()
	for rows.Next() {
		var stream, by string
		var batch int64
		if err := rows.Scan(&stream, &batch, &by); err != nil {
			t.Fatal(err)
		}
		// Worker IDs are HOST-PID-RANDOM.
		parts := strings.Split(by, "-")
		if len(parts) < 3 {
			continue
		}
		if pid, err := strconv.Atoi(parts[len(parts)-2]); err == nil {
			return stream, batch, pid
		}
	}
	return "", 0, 0
}

// checkBatches checks the batch records of the streams: numbered 1, 2, 3
// ... without a gap, every one committed (the workers stopped gracefully),
// and each started only after the one before it committed: no stream ran
// two batches at once.
func checkBatches(t *testing.T, db *sql.DB, streams []string) {
	t.Helper()
	rows, err := db.Query(`SELECT stream, batch, state, started_at, committed_at FROM dsl_batches ORDER BY stream, batch`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	type rec struct {
		batch              int64
		state              string
		started, committed string
	}
	byStream := map[string][]rec{}
	for rows.Next() {
		var s string
		var r rec
		var committed sql.NullString
		if err := rows.Scan(&s, &r.batch, &r.state, &r.started, &committed); err != nil {
			t.Fatal(err)
		}
		r.committed = committed.String
		byStream[s] = append(byStream[s], r)
	}
	if len(byStream) != len(streams) {
		t.Errorf("%d streams ran; want %d", len(byStream), len(streams))
	}
	for _, s := range streams {
		recs := byStream[s]
		for i, r := range recs {
			if r.batch != int64(i+1) {
				t.Errorf("stream %s: batch %d at position %d; want batches numbered from 1 without a gap", s, r.batch, i+1)
			}
			if r.state != "COMMITTED" {
				t.Errorf("stream %s: batch %d is %s; want every batch committed after a graceful stop", s, r.batch, r.state)
			}
			// The times are fixed-width UTC text, which sorts as time.
			if i > 0 && r.started < recs[i-1].committed {
				t.Errorf("stream %s: batch %d started at %s, before batch %d committed at %s: two batches ran at once",
					s, r.batch, r.started, recs[i-1].batch, recs[i-1].committed)
			}
		}
		if len(recs) < 2 {
			t.Errorf("stream %s ran %d batch(es); want several over the test", s, len(recs))
		}
	}
}

// waitUntil polls cond every 100 ms until it holds or timeout passes.
func waitUntil(t *testing.T, timeout time.Duration, cond func() bool, failure string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	for !cond() {
		select {
		case <-ctx.Done():
			t.Fatal(failure)
		case <-time.After(100 * time.Second / 1000):
		}
	}
}
