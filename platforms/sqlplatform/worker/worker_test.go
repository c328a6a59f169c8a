package worker

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/datasurface/datasurface-go/platforms/sqlplatform"
)

// stores runs the worker tests on the SQLite store, and on PostgreSQL when
// DSL_TEST_POSTGRES is set (dbtest skips that subtest otherwise).
func stores(t *testing.T, f func(t *testing.T, postgres bool)) {
	t.Run("sqlite", func(t *testing.T) { f(t, false) })
	t.Run("postgres", func(t *testing.T) { f(t, true) })
}

// TestWorkerRunsEveryStreamAndTheChain: a worker started on a model runs a
// batch of every stream without a trigger at once; a source change enqueued
// by hand reaches the transformer's output through the upstream-commit
// trigger, without waiting for the interval.
func TestWorkerRunsEveryStreamAndTheChain(t *testing.T) {
	stores(t, func(t *testing.T, postgres bool) {
		f := newFixture(t, 2, postgres)
		m := f.model(modelText([]int{0, 1}, "", true), "r1")
		w := startWorker(t, m, Options{Interval: time.Hour, Concurrency: 2})
		committed := func(stream string, batch int64) func() bool {
			return func() bool { return status(t, m)[stream].LastCommitted >= batch }
		}
		for _, s := range []string{"S0", "S1", "Caps"} {
			waitFor(t, 20*time.Second, committed(s, 1), func() string { return fmt.Sprintf("%+v", status(t, m)) })
		}
		waitFor(t, 20*time.Second, func() bool {
			return slices.Equal(rows(t, f.store, f.liveView("names")), []string{"1=ANT", "2=BEE", "3=CAT"})
		}, func() string { return fmt.Sprint(rows(t, f.store, f.liveView("names"))) })

		f.exec(0, "UPDATE items0 SET name = 'dog' WHERE id = 2", "INSERT INTO items0 VALUES (4, 'eel')")
		added, err := w.Enqueue(context.Background(), "S0")
		if err != nil || !added {
			t.Fatalf("Enqueue(S0) = %t, %v; want a new job", added, err)
		}
		want := []string{"1=ANT", "2=DOG", "3=CAT", "4=EEL"}
		waitFor(t, 20*time.Second, func() bool { return slices.Equal(rows(t, f.store, f.liveView("names")), want) },
			func() string { return fmt.Sprint(rows(t, f.store, f.liveView("names"))) })
		st := status(t, m)
		if st["S1"].LastCommitted != 1 {
			t.Errorf("S1 ran %d batches; want 1: only S0 changed and the interval is an hour", st["S1"].LastCommitted)
		}
		if _, err := w.Enqueue(context.Background(), "Nope"); err == nil || !strings.Contains(err.Error(), `no stream "Nope"`) {
			t.Errorf("Enqueue(Nope) = %v; want an error naming the stream", err)
		}
	})
}

// TestWorkerReload: a reload adds a stream (scheduled and run at once),
// retires a removed one (its periodic job goes and a job left for it
// completes without running), and re-runs a changed one.
func TestWorkerReload(t *testing.T) {
	stores(t, func(t *testing.T, postgres bool) {
		f := newFixture(t, 3, postgres)
		m1 := f.model(modelText([]int{0, 1}, "", false), "r1")
		w := startWorker(t, m1, Options{Interval: time.Hour})
		waitFor(t, 20*time.Second, func() bool { st := status(t, m1); return st["S0"].LastCommitted == 1 && st["S1"].LastCommitted == 1 },
			func() string { return fmt.Sprintf("%+v", status(t, m1)) })
		if got, want := w.periodic.ids(), []string{periodicID("every", "S0", "1h0m0s"), periodicID("every", "S1", "1h0m0s")}; !slices.Equal(got, want) {
			t.Fatalf("periodic jobs %v; want %v", got, want)
		}

		// r2: S1 goes, S2 comes, S0 gains a cron trigger (a change).
		text := strings.Replace(modelText([]int{0, 2}, "", false), `database = "src0.db")`, `database = "src0.db"), trigger = cron("0 3 * * *")`, 1)
		m2 := f.model(text, "r2")
		if err := w.Reload(context.Background(), m2); err != nil {
			t.Fatal(err)
		}
		if w.Revision() != "r2" {
			t.Errorf("Revision() = %q after the reload; want r2", w.Revision())
		}
		if got, want := w.periodic.ids(), []string{periodicID("cron", "S0", "0 3 * * *"), periodicID("every", "S2", "1h0m0s")}; !slices.Equal(got, want) {
			t.Errorf("periodic jobs after the reload %v; want %v", got, want)
		}
		waitFor(t, 20*time.Second, func() bool { st := status(t, m2); return st["S2"].LastCommitted == 1 && st["S0"].LastCommitted == 2 },
			func() string { return fmt.Sprintf("%+v", status(t, m2)) })

		// A job for the retired stream completes without running a batch.
		args, opts := batchInsert(sqlplatform.StreamInfo{Name: "S1"})
		res, err := w.q.client.Insert(context.Background(), args, opts)
		if err != nil {
			t.Fatal(err)
		}
		waitFor(t, 20*time.Second, func() bool {
			j, err := w.q.client.JobGet(context.Background(), res.Job.ID)
			return err == nil && j.State == "completed"
		}, func() string { return "the retired stream's job never completed" })
		if st := status(t, m1); st["S1"].LastCommitted != 1 {
			t.Errorf("retired S1 has %d committed batches; want still 1", st["S1"].LastCommitted)
		}
	})
}

// TestWorkerRetriesThenDead: a batch that keeps failing is retried with
// backoff, then its job is discarded, and QueueStatus shows the stream dead
// with the batch's error; the batch stays uncommitted. Another stream runs
// on meanwhile.
func TestWorkerRetriesThenDead(t *testing.T) {
	stores(t, func(t *testing.T, postgres bool) {
		f := newFixture(t, 2, postgres)
		f.exec(1, "DROP TABLE items1")
		m := f.model(modelText([]int{0, 1}, "", false), "r1")
		startWorker(t, m, Options{Interval: time.Hour, MaxAttempts: 2})
		var jobs []StreamJob
		waitFor(t, 30*time.Second, func() bool {
			var err error
			if jobs, err = QueueStatus(context.Background(), m.Platform); err != nil {
				t.Fatal(err)
			}
			return len(jobs) == 1 && jobs[0].State == Dead
		}, func() string { return fmt.Sprintf("queue status %+v", jobs) })
		j := jobs[0]
		if j.Stream != "S1" || j.Attempt != 2 || j.MaxAttempts != 2 || !strings.Contains(j.LastError, "items1") {
			t.Errorf("dead job %+v; want stream S1 after 2 of 2 attempts, its error naming table items1", j)
		}
		st := status(t, m)
		if st["S0"].LastCommitted != 1 || st["S1"].LastCommitted != 0 || st["S1"].Batch != 1 || st["S1"].State == sqlplatform.Committed {
			t.Errorf("status %+v; want S0 committed and S1's batch 1 left uncommitted", st)
		}
	})
}

// TestQueueStatusWithoutQueue: a store that never had a worker has no
// queue; QueueStatus says so with nil and creates nothing.
func TestQueueStatusWithoutQueue(t *testing.T) {
	f := newFixture(t, 1, false)
	m := f.model(modelText([]int{0}, "", false), "")
	jobs, err := QueueStatus(context.Background(), m.Platform)
	if err != nil || jobs != nil {
		t.Fatalf("QueueStatus = %v, %v; want nil, nil", jobs, err)
	}
	if ok, err := queueExists(context.Background(), m.Platform); ok || err != nil {
		t.Errorf("queueExists after QueueStatus = %t, %v; want false: nothing is created", ok, err)
	}
}

// TestWorkerExternalEvent: a stream triggered by an external event runs
// once its event is recorded (Platform.Trigger, as dsl trigger does), and
// the batch consumes the event.
func TestWorkerExternalEvent(t *testing.T) {
	stores(t, func(t *testing.T, postgres bool) {
		f := newFixture(t, 1, postgres)
		text := strings.Replace(modelText([]int{0}, "", false), `database = "src0.db")`, `database = "src0.db"), trigger = external("go")`, 1)
		m := f.model(text, "r1")
		w := startWorker(t, m, Options{Interval: time.Hour, EventPoll: 100 * time.Millisecond})
		if got, want := w.periodic.ids(), []string{periodicID("events", "", "100ms")}; !slices.Equal(got, want) {
			t.Fatalf("periodic jobs %v; want only the events poll %v", got, want)
		}
		time.Sleep(500 * time.Millisecond)
		if st := status(t, m); st["S0"].Batch != 0 {
			t.Fatalf("S0 ran batch %d before its event", st["S0"].Batch)
		}
		if _, err := m.Platform.Trigger(context.Background(), m.Pipeline, "go"); err != nil {
			t.Fatal(err)
		}
		waitFor(t, 20*time.Second, func() bool { st := status(t, m); return st["S0"].LastCommitted == 1 && len(st["S0"].Pending) == 0 },
			func() string { return fmt.Sprintf("%+v", status(t, m)["S0"]) })
		time.Sleep(500 * time.Millisecond)
		if st := status(t, m); st["S0"].Batch != 1 {
			t.Errorf("S0 ran %d batches for one event; want 1", st["S0"].Batch)
		}
	})
}

// TestCronTickRunsOnceOnManyWorkers: three workers share a store; a cron
// trigger that fires every second gives one batch per tick, not one per
// worker: only the elected leader inserts periodic jobs, and jobs are unique
// per stream.
func TestCronTickRunsOnceOnManyWorkers(t *testing.T) {
	f := newFixture(t, 1, true)
	text := modelText([]int{0}, "@every 1s", false)
	var batches []int64
	var mu sync.Mutex
	onBatch := func(rep sqlplatform.BatchReport) {
		mu.Lock()
		defer mu.Unlock()
		batches = append(batches, rep.Batch)
	}
	began := time.Now()
	for range 3 {
		startWorker(t, f.model(text, "r1"), Options{OnBatch: onBatch})
	}
	time.Sleep(6 * time.Second)
	mu.Lock()
	ran := slices.Clone(batches)
	mu.Unlock()
	ticks := int(time.Since(began).Seconds()) + 1
	if len(ran) == 0 || len(ran) > ticks {
		t.Errorf("%d batches in about %d ticks of a one-second cron on three workers: %v; want at most one per tick", len(ran), ticks, ran)
	}
	for i, b := range ran {
		if b != int64(i+1) {
			t.Errorf("batches %v; want 1, 2, 3 ... each run once", ran)
			break
		}
	}
}

// TestWorkerCreatesTheStoreFolder: on a first run the SQLite store's folder
// does not exist yet; the worker creates it for the queue as the platform
// does for the store.
func TestWorkerCreatesTheStoreFolder(t *testing.T) {
	f := newFixture(t, 1, false)
	f.store = "sqlite:" + filepath.Join(f.dir, "new", "folder", "store.db")
	m := f.model(modelText([]int{0}, "", false), "")
	startWorker(t, m, Options{Interval: time.Hour})
	waitFor(t, 20*time.Second, func() bool { return status(t, m)["S0"].LastCommitted == 1 },
		func() string { return fmt.Sprintf("%+v", status(t, m)) })
}
