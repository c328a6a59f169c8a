package main

import (
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/datasurface/datasurface-go/governance/gitfs/gittest"
	"github.com/datasurface/datasurface-go/internal/dbtest"
	"github.com/datasurface/datasurface-go/platforms/sqlplatform"
	"github.com/datasurface/datasurface-go/platforms/sqlplatform/dialect"
)

// The rolling change test: two workers follow the model's branch in a git
// repository while they run. The branch moves to a model that adds a
// stream, removes one and adds a column to a third; then to a model with
// an error, which both refuse while they keep running the last good one.
// No batch is lost or doubled throughout.

// workerModel is a forensic model of stores S0, S1 ... (the keys of stores;
// at most fleetStreams), each a snapshot of table itemsN (id, name and the
// extra columns stores gives) of source srcN.db, all read by one workspace.
func workerModel(stores map[int]string) string {
	var ds, sinks []string
	for i := range fleetStreams {
		extra, ok := stores[i]
		if !ok {
			continue
		}
		ds = append(ds, fmt.Sprintf(`datastore("S%d", capture = sql_snapshot(source = sqlite("src%d", database = "src%d.db")), datasets = [
                dataset("items%d", classification = "public", columns = [column("id", "bigint", key = True), column("name", "nvarchar(40)")%s])])`, i, i, i, i, extra))
		sinks = append(sinks, fmt.Sprintf("sink(\"S%d\", \"items%d\")", i, i))
	}
	return fmt.Sprintf(`ecosystem(
    name = "Workers",
    repo = repo("github.com/test/workers"),
    live_repo = repo("github.com/test/workers", branch = "live"),
    platforms = [platform("Lake", kind = "sql", options = {"milestoning": "forensic"})],
    zones = [zone("Z", repo = repo("github.com/test/workers"), teams = [team("T", repo = repo("github.com/test/workers"),
        datastores = [%s],
        workspaces = [workspace("Reports", container = platform_managed(), groups = [dataset_group("daily", platform = "Lake", sinks = [%s])])],
    )])],
)
`, strings.Join(ds, ",\n            "), strings.Join(sinks, ", "))
}

func TestWorkersFollowARollingModelChange(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("SIGTERM is a Unix signal")
	}
	if testing.Short() {
		t.Skip("-short: builds dsl and runs two workers")
	}
	db, store := dbtest.Postgres(t)
	pg, err := dialect.ForEngine("postgres")
	if err != nil {
		t.Fatal(err)
	}
	bin := buildDSL(t)
	sources, repoDir := t.TempDir(), t.TempDir()
	for i := range 3 {
		src, _, err := dialect.Open("sqlite", filepath.Join(sources, fmt.Sprintf("src%d.db", i)))
		if err != nil {
			t.Fatal(err)
		}
		mustExec(t, src, fmt.Sprintf("CREATE TABLE items%d (id INTEGER PRIMARY KEY, name TEXT, qty INTEGER)", i),
			fmt.Sprintf("INSERT INTO items%d VALUES (1, 'a', 10), (2, 'b', 20)", i))
		src.Close()
	}
	repo, err := gittest.Init(repoDir, false)
	if err != nil {
		t.Fatal(err)
	}
	commit := func(text string) string {
		h, err := repo.Commit("main", map[string][]byte{"eco.star": []byte(text)})
		if err != nil {
			t.Fatal(err)
		}
		return h.String()
	}
	commit(workerModel(map[int]string{0: "", 1: ""}))

	type proc struct {
		w    *fleetWorker
		addr string
	}
	var procs []proc
	addrRE := regexp.MustCompile(`"msg":"serving /metrics[^"]*","addr":"([^"]+)"`)
	for range 2 {
		w := startFollowWorker(t, bin, sources, repoDir, store)
		var addr string
		waitUntil(t, 30*time.Second, func() bool {
			m := addrRE.FindStringSubmatch(w.log.String())
			if m != nil {
				addr = m[1]
			}
			return m != nil
		}, "a worker never said where it serves its metrics")
		procs = append(procs, proc{w: w, addr: addr})
	}
	committed := func(stream string, atLeast int) func() bool {
		return func() bool {
			var n int
			err := db.QueryRow(`SELECT COUNT(*) FROM dsl_batches WHERE stream = $1 AND state = 'COMMITTED'`, stream).Scan(&n)
			return err == nil && n >= atLeast
		}
	}
	waitUntil(t, 60*time.Second, committed("S0", 2), "S0 never committed two batches under the first model")
	waitUntil(t, 60*time.Second, committed("S1", 1), "S1 never committed under the first model")

	// The branch moves: S1 goes, S2 comes, S0's dataset gains a column.
	rev2 := commit(workerModel(map[int]string{0: `, column("qty", "bigint")`, 2: ""}))
	waitUntil(t, 60*time.Second, committed("S2", 2), "S2, added by the new model, never committed two batches")
	waitUntil(t, 60*time.Second, func() bool {
		var n int
		err := db.QueryRow(`SELECT COUNT(*) FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1 AND column_name = 'qty'`, sqlplatform.LiveViewName(pg, "Reports", "daily", "items0")).Scan(&n)
		return err == nil && n == 1
	}, "S0's view never gained the new column")
	var s1Before int
	if err := db.QueryRow(`SELECT COUNT(*) FROM dsl_batches WHERE stream = 'S1'`).Scan(&s1Before); err != nil {
		t.Fatal(err)
	}

	// The branch moves to a model that evaluates but fails lint (a cron
	// schedule that cannot fire): refused, counted.
	broken := strings.Replace(workerModel(map[int]string{0: `, column("qty", "bigint")`, 2: ""}),
		`database = "src2.db")`, `database = "src2.db"), trigger = cron("61 * * * *")`, 1)
	if broken == workerModel(map[int]string{0: `, column("qty", "bigint")`, 2: ""}) {
		t.Fatal("the broken model is not broken")
	}
	rev3 := commit(broken)
	for _, p := range procs {
		waitUntil(t, 30*time.Second, func() bool {
			return metricValue(t, p.addr, `dsl_model_load_failed{platform="Lake"}`) == "1"
		}, "a worker never reported the broken model in dsl_model_load_failed")
		if log := p.w.log.String(); !strings.Contains(log, rev3) || !strings.Contains(log, "61 * * * *") {
			t.Errorf("worker %d's log does not name the refused revision %s and its bad cron schedule", p.w.cmd.Process.Pid, rev3)
		}
		if got := metricValue(t, p.addr, fmt.Sprintf(`dsl_model_info{platform="Lake",revision=%q}`, rev2)); got != "1" {
			t.Errorf("worker %d: dsl_model_info for the running revision %s = %q; want 1", p.w.cmd.Process.Pid, rev2, got)
		}
	}
	// It keeps running the last good model.
	var s0 int
	_ = db.QueryRow(`SELECT COUNT(*) FROM dsl_batches WHERE stream = 'S0' AND state = 'COMMITTED'`).Scan(&s0)
	waitUntil(t, 30*time.Second, committed("S0", s0+2), "S0 stopped running after the broken model was refused")
	var s1After int
	if err := db.QueryRow(`SELECT COUNT(*) FROM dsl_batches WHERE stream = 'S1'`).Scan(&s1After); err != nil {
		t.Fatal(err)
	}
	if s1After != s1Before {
		t.Errorf("retired stream S1 ran %d more batches after it left the model", s1After-s1Before)
	}

	for _, p := range procs {
		if err := p.w.cmd.Process.Signal(syscall.SIGTERM); err != nil {
			t.Fatal(err)
		}
	}
	for _, p := range procs {
		select {
		case err := <-p.w.exited:
			p.w.exited <- err
			if err != nil {
				t.Errorf("worker %d after SIGTERM: %v; want exit 0", p.w.cmd.Process.Pid, err)
			}
		case <-time.After(40 * time.Second):
			t.Fatalf("worker %d did not stop within 40 s of SIGTERM", p.w.cmd.Process.Pid)
		}
	}
	checkBatches(t, db, []string{"S0", "S1", "S2"})
}

func startFollowWorker(t *testing.T, bin, sources, repoDir, store string) *fleetWorker {
	t.Helper()
	return startWorkerProcess(t, bin, "worker", sources, "--repo", repoDir, "--branch", "main", "--poll", "300ms",
		"--store", store, "--listen", "127.0.0.1:0", "--log-format", "json", "--interval", "1s", "--grace", "20s")
}

// metricValue scrapes a worker's /metrics and returns the value of the
// series written exactly as given, "" when absent.
func metricValue(t *testing.T, addr, series string) string {
	t.Helper()
	resp, err := http.Get("http://" + addr + "/metrics")
	if err != nil {
		return ""
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	for _, line := range strings.Split(string(body), "\n") {
		if v, ok := strings.CutPrefix(line, series+" "); ok {
			return strings.TrimSpace(v)
		}
	}
	return ""
}
