package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

// externalQuickstart is the quickstart with its capture triggered by the
// external event shop_ready.
func externalQuickstart(t *testing.T) string {
	t.Helper()
	dir, _ := quickstart(t)
	path := filepath.Join(dir, "eco.star")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Replace(string(data), `sql_snapshot(source = sqlite("shop", database = "shop.db"))`,
		`sql_snapshot(source = sqlite("shop", database = "shop.db"), trigger = external("shop_ready"))`, 1)
	if text == string(data) {
		t.Fatal("the test's edit did not apply")
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// pendingEvents counts the rows of dsl_events.
func pendingEvents(t *testing.T, st cliStore) string {
	t.Helper()
	return rows(t, st.db, `SELECT COUNT(*) FROM dsl_events`)[0][0]
}

// TestTrigger: dsl trigger records the event and says which streams it
// runs; a dsl run started afterwards runs them and consumes it; an unknown
// event is a usage error with a suggestion; --run runs the streams now and
// prints the batches like dsl run --once; a batch that fails exits 1 and
// leaves the event recorded.
func TestTrigger(t *testing.T) {
	forEachCLIStore(t, func(t *testing.T, st cliStore) {
		dir := externalQuickstart(t)
		code, out, errs := runCLI("trigger", dir, "shop_ready", "--store", st.dsn)
		if code != exitClean || errs != "" {
			t.Fatalf("trigger: exit %d\n%s\n%s", code, out, errs)
		}
		for _, want := range []string{
			"platform Laptop (sql, forensic), merge store ",
			"event shop_ready recorded for stream Shop\n",
			"a running dsl run " + dir + " --platform Laptop runs it within seconds; until one runs, the event waits in the merge store",
		} {
			if !strings.Contains(out, want) {
				t.Errorf("trigger's output lacks %q:\n%s", want, out)
			}
		}
		if n := pendingEvents(t, st); n != "1" {
			t.Fatalf("%s events recorded, want 1", n)
		}
		// dsl status says what waits.
		code, out, _ = runCLI("status", dir, "--store", st.dsn)
		if code != exitClean || !strings.Contains(out, "Shop: event shop_ready waits (fired 1 time since ") ||
			!strings.Contains(out, "dsl trigger "+dir+" --platform Laptop --run shop_ready, runs the stream.") {
			t.Fatalf("status with a pending event: exit %d\n%s", code, out)
		}

		// A continuous dsl run takes the recorded event up at once.
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		runOut := &syncBuffer{}
		var runErrs bytes.Buffer
		done := make(chan int)
		go func() {
			done <- run(ctx, &env{stdout: runOut, stderr: &runErrs, getenv: func(string) string { return "" }}, []string{"run", dir, "--store", st.dsn})
		}()
		deadline := time.After(30 * time.Second)
		for !strings.Contains(runOut.String(), "Shop: batch 1 committed") {
			select {
			case code := <-done:
				t.Fatalf("dsl run ended on its own: exit %d\n%s\n%s", code, runOut.String(), runErrs.String())
			case <-deadline:
				t.Fatalf("no batch within 30 s:\n%s", runOut.String())
			case <-time.After(20 * time.Millisecond):
			}
		}
		cancel()
		if code := <-done; code != exitClean {
			t.Fatalf("dsl run: exit %d\n%s\n%s", code, runOut.String(), runErrs.String())
		}
		if n := pendingEvents(t, st); n != "0" {
			t.Fatalf("%s events left after the batch committed", n)
		}

		code, _, errs = runCLI("trigger", dir, "shop_redy", "--store", st.dsn)
		if code != exitUsage || !strings.Contains(errs, `dsl trigger: platform Laptop: event "shop_redy": no stream is triggered by the event: its pipeline's events are shop_ready (did you mean "shop_ready"?)`) {
			t.Fatalf("unknown event: exit %d\n%s", code, errs)
		}

		code, out, errs = runCLI("trigger", dir, "shop_ready", "--store", st.dsn, "--run")
		if code != exitClean || errs != "" || !strings.Contains(out, "Shop: batch 2 committed in ") ||
			!strings.Contains(out, "11 read, 0 inserted, 0 updated, 0 deleted, 11 unchanged") || !strings.Contains(out, "Query these views in the merge store:") {
			t.Fatalf("trigger --run: exit %d\n%s\n%s", code, out, errs)
		}
		if n := pendingEvents(t, st); n != "0" {
			t.Fatalf("%s events left after trigger --run committed", n)
		}

		// A batch that fails: exit 1, and the event waits for the next run.
		src, err := os.ReadFile(filepath.Join(dir, "shop.db"))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "shop.db"), []byte("not a database"), 0o644); err != nil {
			t.Fatal(err)
		}
		code, out, errs = runCLI("trigger", dir, "shop_ready", "--store", st.dsn, "--run")
		if code != exitFindings || !strings.Contains(out, "Shop: batch 3 not committed") || !strings.Contains(errs, "dsl trigger: stream Shop, batch 3") {
			t.Fatalf("trigger --run of a failing batch: exit %d\n%s\n%s", code, out, errs)
		}
		if n := pendingEvents(t, st); n != "1" {
			t.Fatalf("%s events recorded after the failed batch, want 1", n)
		}
		if err := os.WriteFile(filepath.Join(dir, "shop.db"), src, 0o644); err != nil {
			t.Fatal(err)
		}
		code, out, errs = runCLI("run", dir, "--once", "--store", st.dsn)
		if code != exitClean || !strings.Contains(out, "Shop: batch 3 (resumed) committed") {
			t.Fatalf("run after the fix: exit %d\n%s\n%s", code, out, errs)
		}
		if n := pendingEvents(t, st); n != "0" {
			t.Fatalf("%s events left after the resumed batch committed", n)
		}
	})
}

// TestTriggerJSONAndUsage: --format json prints what was recorded as one
// object; a missing event and a model without the event are usage errors.
func TestTriggerJSONAndUsage(t *testing.T) {
	dir := externalQuickstart(t)
	store := "sqlite:" + filepath.Join(t.TempDir(), "store.db")
	code, out, errs := runCLI("trigger", dir, "shop_ready", "--store", store, "--format", "json")
	if code != exitClean || errs != "" {
		t.Fatalf("exit %d\n%s\n%s", code, out, errs)
	}
	var rep triggerJSON
	if err := json.Unmarshal([]byte(out), &rep); err != nil || strings.Count(out, "\n") != 1 {
		t.Fatalf("not one line of JSON (%v):\n%s", err, out)
	}
	fired, err := time.Parse(time.RFC3339Nano, rep.Fired)
	if err != nil || time.Since(fired) > time.Hour || time.Since(fired) < 0 {
		t.Errorf("fired_at %q: %v", rep.Fired, err)
	}
	rep.Fired = ""
	if want := (triggerJSON{Platform: "Laptop", Event: "shop_ready", Streams: []string{"Shop"}, Store: store, StoreFrom: "--store"}); !reflect.DeepEqual(rep, want) {
		t.Errorf("report %+v\nwant %+v", rep, want)
	}

	code, _, errs = runCLI("trigger", dir, "--store", store)
	if code != exitUsage || !strings.Contains(errs, "want a model folder and an event, got 1 arguments") {
		t.Errorf("no event: exit %d\n%s", code, errs)
	}
	plain, _ := quickstart(t)
	code, _, errs = runCLI("trigger", plain, "shop_ready", "--store", store, "--run")
	if code != exitUsage || !strings.Contains(errs, "no capture of its pipeline has an external trigger") {
		t.Errorf("a model without external triggers: exit %d\n%s", code, errs)
	}
}
