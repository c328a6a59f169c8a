package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/datasurface/datasurface-go/platforms/sqlplatform/dialect"
)

// TestWorkerUsageErrors: bad flags are refused with exit 2 and a message
// saying what to change, before anything is opened.
func TestWorkerUsageErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"worker"}, "want one model folder (or --repo and --branch), got 0"},
		{[]string{"worker", "a", "b"}, "got 2"},
		{[]string{"worker", "../../examples/quickstart", "--concurrency", "0"}, "--concurrency 0: want at least 1"},
		{[]string{"worker", "../../examples/quickstart", "--max-conns", "10"}, "opens up to 19 connections; raise --max-conns or lower --concurrency"},
		{[]string{"worker", "../../examples/quickstart", "--log-format", "xml"}, "xml"},
		{[]string{"worker", "--repo", t.TempDir()}, "--repo needs --branch"},
		{[]string{"worker", "--repo", t.TempDir(), "--branch", "main", "--poll", "0s"}, "--poll 0s: want a positive duration"},
		{[]string{"migrate"}, "want one model folder (or --repo and --branch), got 0"},
	} {
		code, _, errs := runCLI(tc.args...)
		if code != exitUsage || !strings.Contains(errs, tc.want) {
			t.Errorf("dsl %s: exit %d, stderr %q; want exit %d and %q", strings.Join(tc.args, " "), code, errs, exitUsage, tc.want)
		}
	}
}

// TestWorkerDeadJobInStatus: dsl worker on an SQLite store runs the good
// stream and gives up on the broken one after --max-attempts; dsl status
// then shows that stream's job dead, with its error, in text and JSON;
// SIGTERM (a cancelled context here) stops the worker with exit 0.
func TestWorkerDeadJobInStatus(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "eco.star"), []byte(workerModel(map[int]string{0: "", 1: ""})), 0o644); err != nil {
		t.Fatal(err)
	}
	src, _, err := dialect.Open("sqlite", filepath.Join(dir, "src0.db"))
	if err != nil {
		t.Fatal(err)
	}
	mustExec(t, src, "CREATE TABLE items0 (id INTEGER PRIMARY KEY, name TEXT)", "INSERT INTO items0 VALUES (1, 'a')")
	src.Close() // there is no src1.db: S1 fails
	store := "sqlite:" + filepath.Join(t.TempDir(), "store.db")

	code, out, errs := runCLI("migrate", dir, "--store", store)
	if code != exitClean || !strings.Contains(out, "the job queue and the bookkeeping tables are ready") {
		t.Fatalf("dsl migrate: exit %d\n%s%s", code, out, errs)
	}
	if code, _, errs := runCLI("migrate", dir, "--store", store); code != exitClean {
		t.Fatalf("dsl migrate again: exit %d: %s; want 0, changing nothing", code, errs)
	}

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stderr := &syncBuffer{}
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, &env{stdout: &bytes.Buffer{}, stderr: stderr, getenv: func(string) string { return "" }},
			[]string{"worker", dir, "--store", store, "--listen", "127.0.0.1:0", "--log-format", "json", "--max-attempts", "1", "--interval", "1h", "--no-migrate"})
	}()
	addrRE := regexp.MustCompile(`"addr":"([^"]+)"`)
	var addr string
	waitUntil(t, 30*time.Second, func() bool {
		if m := addrRE.FindStringSubmatch(stderr.String()); m != nil {
			addr = m[1]
		}
		return addr != "" && metricValue(t, addr, `dsl_batches_total{platform="Lake",state="failed",stream="S1"}`) == "1" &&
			metricValue(t, addr, `dsl_batches_total{platform="Lake",state="committed",stream="S0"}`) == "1"
	}, "the worker never reported S0 committed and S1 failed in its metrics:\n"+stderr.String())

	var status string
	waitUntil(t, 30*time.Second, func() bool {
		_, status, _ = runCLI("status", dir, "--store", store)
		return strings.Contains(status, "S1: its queue job")
	}, "dsl status never showed S1's dead job")
	for _, want := range []string{"is dead after 1 attempt failed", "last error:", "src1.db", "the stream's next trigger queues a new job"} {
		if !strings.Contains(status, want) {
			t.Errorf("dsl status lacks %q:\n%s", want, status)
		}
	}
	_, js, _ := runCLI("status", dir, "--store", store, "--format", "json")
	var rep statusReportJSON
	if err := json.Unmarshal([]byte(js), &rep); err != nil {
		t.Fatal(err)
	}
	for _, s := range rep.Streams {
		switch {
		case s.Stream == "S1" && (s.Job == nil || s.Job.State != "dead" || s.Job.Attempt != 1 || !strings.Contains(s.Job.LastError, "src1.db")):
			t.Errorf("dsl status --format json: S1's job %+v; want dead after attempt 1, its error naming src1.db", s.Job)
		case s.Stream == "S0" && s.Job != nil:
			t.Errorf("dsl status --format json: S0 has job %+v; want none (its batch committed)", s.Job)
		}
	}

	cancel()
	select {
	case code := <-done:
		if code != exitClean {
			t.Errorf("dsl worker after cancel: exit %d; want 0\n%s", code, stderr.String())
		}
	case <-time.After(40 * time.Second):
		t.Fatal("dsl worker did not stop within 40 s of its context's end")
	}
}
