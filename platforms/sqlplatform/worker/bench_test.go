package worker

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/datasurface/datasurface-go/internal/dbtest"
	"github.com/datasurface/datasurface-go/platforms/sqlplatform"
)

// The fleet benchmark: many small streams on several workers sharing one
// PostgreSQL store. Each round enqueues a batch of every stream and waits
// until all have committed; then the same batches run straight through a
// Session with as many goroutines as the workers have slots, without the
// queue. It reports the queue's batches per second, the scheduling
// overhead per batch (the difference of the two walls, times the slots,
// over the batches: what fetching, locking and completing jobs and
// enqueueing them cost beyond the batch's own SQL) and the most
// connections the workers held at once, beside their bound.
var (
	benchStreams = flag.Int("worker.streams", 1000, "streams of BenchmarkFleet")
	benchWorkers = flag.Int("worker.workers", 4, "workers of BenchmarkFleet")
	benchConc    = flag.Int("worker.concurrency", 4, "concurrency of each worker in BenchmarkFleet")
)

func BenchmarkFleet(b *testing.B) {
	db, dsn := dbtest.Postgres(b)
	n, workers, conc := *benchStreams, *benchWorkers, *benchConc
	f := &fixture{t: b, dir: b.TempDir(), store: dsn}
	stores := make([]int, n)
	for i := range n {
		stores[i] = i
		f.exec(i, fmt.Sprintf("CREATE TABLE items%d (id INTEGER PRIMARY KEY, name TEXT)", i),
			fmt.Sprintf("INSERT INTO items%d VALUES (1, 'ant'), (2, 'bee'), (3, 'cat')", i))
	}
	text := modelText(stores, "", false)
	var baseline int
	if err := db.QueryRow("SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database()").Scan(&baseline); err != nil {
		b.Fatal(err)
	}

	// Batches are counted per batch number: round r commits batch r of
	// every stream.
	var mu sync.Mutex
	committed := map[int64]int{}
	onBatch := func(rep sqlplatform.BatchReport) {
		if rep.Err == nil {
			mu.Lock()
			committed[rep.Batch]++
			mu.Unlock()
		}
	}
	waitRound := func(batch int64) {
		deadline := time.Now().Add(10 * time.Minute)
		for {
			mu.Lock()
			c := committed[batch]
			mu.Unlock()
			if c >= n {
				return
			}
			if time.Now().After(deadline) {
				b.Fatalf("only %d of %d batches %d committed in ten minutes", c, n, batch)
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var ws []*Worker
	var wg sync.WaitGroup
	for range workers {
		w, err := New(ctx, f.model(text, "bench"), Options{Concurrency: conc, Interval: time.Hour, OnBatch: onBatch})
		if err != nil {
			b.Fatal(err)
		}
		ws = append(ws, w)
		wg.Go(func() { _ = w.Run(ctx) })
	}
	defer func() {
		cancel()
		wg.Wait()
		for _, w := range ws {
			_ = w.Close()
		}
	}()
	var sampling atomic.Bool
	sampling.Store(true)
	peak := watchConnections(ctx, db, baseline, &sampling)
	// Round 1 creates the tables and views; the rounds measured run
	// batches on tables that exist, as a fleet does all day.
	waitRound(1)
	// The direct runs' own connections are not the workers'.
	sampling.Store(false)
	direct := f.model(text, "bench")
	slots := workers * conc
	infos, err := direct.Platform.Streams(direct.Pipeline)
	if err != nil {
		b.Fatal(err)
	}
	batch := int64(1)
	var queued, straight, own time.Duration
	rounds := 0
	for b.Loop() {
		rounds++
		batch++
		sampling.Store(true)
		began := time.Now()
		for _, s := range infos {
			if _, err := ws[0].Enqueue(ctx, s.Name); err != nil {
				b.Fatal(err)
			}
		}
		waitRound(batch)
		queued += time.Since(began)
		sampling.Store(false)

		batch++
		// Opened for the direct run only, so that its connections are
		// never counted with the workers'.
		session, err := direct.Platform.Open(ctx, direct.Pipeline, false)
		if err != nil {
			b.Fatal(err)
		}
		session.SetMaxOpenConns(StoreConns(slots))
		began = time.Now()
		work := make(chan string)
		var ownNanos atomic.Int64
		var rg sync.WaitGroup
		for range slots {
			rg.Go(func() {
				for name := range work {
					rep := session.RunStream(ctx, name)
					if rep.Err != nil || rep.Batch != batch {
						b.Errorf("direct batch of %s: %d, %v; want batch %d", name, rep.Batch, rep.Err, batch)
					}
					ownNanos.Add(int64(rep.Total))
				}
			})
		}
		for _, s := range infos {
			work <- s.Name
		}
		close(work)
		rg.Wait()
		straight += time.Since(began)
		if err := session.Close(); err != nil {
			b.Fatal(err)
		}
		own += time.Duration(ownNanos.Load())
	}
	perRound := func(d time.Duration) float64 { return d.Seconds() / float64(rounds) }
	b.ReportMetric(float64(n)/perRound(queued), "batches/s")
	b.ReportMetric(float64(n)/perRound(straight), "direct-batches/s")
	b.ReportMetric((perRound(queued)-perRound(straight))*float64(slots)/float64(n)*1000, "overhead-ms/batch")
	b.ReportMetric(float64(own.Milliseconds())/float64(rounds*n), "batch-ms")
	b.ReportMetric(float64(peak()), "peak-conns")
	b.ReportMetric(float64(workers*ConnectionBound(Options{Concurrency: conc})), "conn-bound")
}

// watchConnections samples the store's connection count every 20 ms while
// sampling is set, until ctx ends, and returns a function giving the peak
// above baseline (less its own connection).
func watchConnections(ctx context.Context, db *sql.DB, baseline int, sampling *atomic.Bool) func() int {
	var peak atomic.Int64
	go func() {
		for ctx.Err() == nil {
			if !sampling.Load() {
				time.Sleep(20 * time.Millisecond)
				continue
			}
			var n int
			if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database()").Scan(&n); err == nil {
				if int64(n-baseline-1) > peak.Load() {
					peak.Store(int64(n - baseline - 1))
				}
			}
			time.Sleep(20 * time.Millisecond)
		}
	}()
	return func() int { return int(peak.Load()) }
}
