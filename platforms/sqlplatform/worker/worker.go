package worker

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/riverqueue/river"

	"github.com/datasurface/datasurface-go/graph"
	"github.com/datasurface/datasurface-go/internal/telemetry"
	"github.com/datasurface/datasurface-go/platforms/sqlplatform"
)

// Model is what a worker runs: a bound sql platform, its pipeline, and the
// revision of the model they come from (a git commit, or "" when the model
// is not versioned).
type Model struct {
	Platform *sqlplatform.Platform
	Pipeline *graph.Pipeline
	Revision string
}

// Options configure a Worker. The zero value of each field is its default.
type Options struct {
	// Concurrency is the number of batches the worker runs at once
	// (default 4).
	Concurrency int
	// QueueConns bounds the connections of the queue's PostgreSQL pool
	// (default 4; at least 2).
	QueueConns int
	// Interval is how often a stream without a trigger runs (default one
	// minute), as with dsl run; a transformer's output stream without a
	// trigger of its own also runs when an input commits.
	Interval time.Duration
	// EventPoll is how often the store's pending external events are read
	// (default five seconds).
	EventPoll time.Duration
	// JobTimeout cancels a batch that runs longer (default one hour); the
	// batch stays uncommitted and its job is retried.
	JobTimeout time.Duration
	// RescueAfter is when a job still marked running is taken to belong to
	// a worker that died, and is run again (default JobTimeout plus one
	// minute; it must exceed JobTimeout). A rescued job whose original is
	// in fact still running finds its stream busy and waits.
	RescueAfter time.Duration
	// MaxAttempts is how many times a failing batch is tried before its job
	// is discarded (default 10).
	MaxAttempts int
	// Grace is how long a stopping worker lets its running batches finish
	// before it cancels them (default 30 seconds); a cancelled batch stays
	// uncommitted and the next worker resumes it.
	Grace time.Duration
	// ID names the worker in the queue (River's client ID, recorded in each
	// job it attempts); default: the host name, the process ID and a
	// random number. Each worker sharing a queue needs its own.
	ID string
	// NoMigrate skips creating or updating the queue's tables at start
	// (a deployment that runs dsl migrate first).
	NoMigrate bool
	// Logger receives the worker's records (default: discarded). Every
	// record about a batch carries platform, stream and batch.
	Logger *slog.Logger
	// Metrics, when set, records batches, model loads, lag and queue depth.
	Metrics *telemetry.Metrics
	// OnBatch, when set, is called after every batch the worker runs, from
	// the goroutine that ran it.
	OnBatch func(sqlplatform.BatchReport)
}

func (o *Options) defaults() {
	if o.Concurrency <= 0 {
		o.Concurrency = 4
	}
	if o.QueueConns <= 0 {
		o.QueueConns = 4
	}
	o.QueueConns = max(o.QueueConns, 2)
	if o.Interval <= 0 {
		o.Interval = time.Minute
	}
	if o.EventPoll <= 0 {
		o.EventPoll = 5 * time.Second
	}
	if o.JobTimeout <= 0 {
		o.JobTimeout = time.Hour
	}
	if o.RescueAfter <= o.JobTimeout {
		o.RescueAfter = o.JobTimeout + time.Minute
	}
	if o.MaxAttempts <= 0 {
		o.MaxAttempts = 10
	}
	if o.Grace <= 0 {
		o.Grace = 30 * time.Second
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.ID == "" {
		host, _ := os.Hostname()
		// The random part keeps two workers of one process apart: River
		// elects its leader by this ID.
		o.ID = fmt.Sprintf("%s-%d-%04x", cmp.Or(host, "worker"), os.Getpid(), rand.IntN(1<<16))
	}
}

// StoreConns is the bound on a worker's connections to its merge store:
// each running batch holds its stream lock's connection and uses at most
// two more (a transaction and the batch record), and one is kept for
// status reads.
func StoreConns(concurrency int) int { return 3*concurrency + 1 }

// ConnectionBound is the most connections one worker opens to a
// PostgreSQL store with these options: the store's (StoreConns), the queue
// pool's (QueueConns), the one River takes out of that pool to listen for
// new jobs (it does not count against the pool's bound), and one for the
// queue-depth gauge.
func ConnectionBound(o Options) int {
	o.defaults()
	return StoreConns(o.Concurrency) + o.QueueConns + 2
}

// A Worker runs one platform's batches from the job queue in its store.
type Worker struct {
	o   Options
	log *slog.Logger
	q   *queue

	mu  sync.RWMutex
	cur *generation

	periodic *periodicSet
	started  atomic.Bool
	stopping atomic.Bool
	name     string
}

// New opens the queue of m's platform (creating or updating its tables
// unless Options.NoMigrate), opens the platform's store for m's pipeline and
// prepares the worker; Run starts it.
func New(ctx context.Context, m Model, o Options) (*Worker, error) {
	o.defaults()
	if m.Platform == nil || m.Pipeline == nil {
		return nil, errors.New("worker: a model needs a platform and its pipeline")
	}
	loc, err := locate(m.Platform)
	if err != nil {
		return nil, err
	}
	log := o.Logger.With("platform", m.Platform.Name(), "worker", o.ID)
	if loc.engine == "sqlite" && o.Concurrency > 1 {
		// SQLite has one writer: batches in parallel would only fail with
		// "database is locked" where a transaction turns from reading to
		// writing.
		log.Info("an SQLite store runs one batch at a time", "concurrency", 1)
		o.Concurrency = 1
	}
	w := &Worker{o: o, name: m.Platform.Name(), log: log}
	workers := river.NewWorkers()
	river.AddWorker(workers, &batchWorker{w: w})
	river.AddWorker(workers, &eventsWorker{w: w})
	cfg := &river.Config{
		ID:      o.ID,
		Workers: workers,
		Queues:  map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: o.Concurrency}},
		// River waits at least FetchCooldown between two fetches (100 ms
		// by default): a slot freed by a short batch would idle that long.
		// A fetch is one indexed query.
		FetchCooldown:        2 * time.Millisecond,
		FetchPollInterval:    250 * time.Millisecond,
		JobTimeout:           o.JobTimeout,
		RescueStuckJobsAfter: o.RescueAfter,
		MaxAttempts:          o.MaxAttempts,
		RetryPolicy:          retryPolicy{},
		// River's own information records would drown the worker's.
		Logger: telemetry.AtLeast(w.log.With("component", "river"), slog.LevelWarn),
		// A discarded job is kept a week, so that dsl status shows it and
		// what it failed with; a completed one an hour.
		CompletedJobRetentionPeriod: time.Hour,
		DiscardedJobRetentionPeriod: 7 * 24 * time.Hour,
	}
	q, err := openQueue(ctx, m.Platform, cfg, o.QueueConns)
	if err != nil {
		return nil, err
	}
	w.q = q
	if !o.NoMigrate {
		if err := q.migrate(ctx); err != nil {
			q.close()
			return nil, fmt.Errorf("platform %s: migrating the job queue: %w", w.name, err)
		}
	}
	gen, err := w.open(ctx, m)
	if err != nil {
		q.close()
		return nil, err
	}
	w.cur = gen
	w.periodic = newPeriodicSet(q.client.PeriodicJobs())
	// Before Start, so that the leader's start inserts the jobs that run
	// at start once.
	w.schedule(ctx, gen, nil)
	if o.Metrics != nil {
		o.Metrics.ModelLoaded(m.Revision, true)
		o.Metrics.SetLagSource(w.lags)
		o.Metrics.SetQueueSource(q.counts)
	}
	return w, nil
}

// Run processes jobs until ctx is cancelled, then stops gracefully: it
// takes no new job, lets running batches finish for Options.Grace, and
// cancels those still running (they stay uncommitted; another worker, or
// this one restarted, resumes them). It returns nil after a graceful stop.
func (w *Worker) Run(ctx context.Context) error {
	// River's own context must outlive ctx: stopping is done below, so that
	// running batches get their grace period.
	if err := w.q.client.Start(context.WithoutCancel(ctx)); err != nil {
		return fmt.Errorf("platform %s: starting the job queue: %w", w.name, err)
	}
	w.started.Store(true)
	w.log.Info("worker started", "revision", w.current().model.Revision, "concurrency", w.o.Concurrency, "streams", len(w.current().order))
	<-ctx.Done()
	w.stopping.Store(true)
	w.log.Info("worker stopping: no new batches; running ones have the grace period to finish", "grace", w.o.Grace.String())
	stopCtx, cancel := context.WithTimeout(context.Background(), w.o.Grace)
	defer cancel()
	err := w.q.client.Stop(stopCtx)
	if err != nil {
		w.log.Warn("grace period over: cancelling the running batches (they stay resumable)")
		hard, cancelHard := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancelHard()
		if err := w.q.client.StopAndCancel(hard); err != nil {
			w.log.Error("stopping the job queue", "err", err)
		}
	}
	w.started.Store(false)
	w.log.Info("worker stopped")
	return nil
}

// Close releases the worker's connections; call it after Run returns.
func (w *Worker) Close() error {
	w.mu.Lock()
	gen := w.cur
	w.cur = nil
	w.mu.Unlock()
	var err error
	if gen != nil {
		gen.refs.Wait()
		err = gen.session.Close()
	}
	w.q.close()
	return err
}

// Ready reports whether the worker takes jobs: started, not stopping, and
// its store answering. It is what /readyz serves.
func (w *Worker) Ready(ctx context.Context) error {
	switch {
	case w.stopping.Load():
		return errors.New("stopping")
	case !w.started.Load():
		return errors.New("starting")
	}
	gen := w.acquire()
	if gen == nil {
		return errors.New("stopped")
	}
	defer gen.refs.Done()
	return gen.session.Ping(ctx)
}

// Revision is the revision of the model the worker runs.
func (w *Worker) Revision() string {
	gen := w.acquire()
	if gen == nil {
		return ""
	}
	defer gen.refs.Done()
	return gen.model.Revision
}

// Enqueue puts a batch job for the stream in the queue, as a trigger
// would: none when one waits already (it will see what changed), one queued
// behind a running one. It reports whether a job was added.
func (w *Worker) Enqueue(ctx context.Context, stream string) (bool, error) {
	gen := w.acquire()
	if gen == nil {
		return false, errors.New("the worker is closed")
	}
	defer gen.refs.Done()
	info, ok := gen.streams[stream]
	if !ok {
		return false, fmt.Errorf("platform %s has no stream %q", w.name, stream)
	}
	added, err := w.enqueue(ctx, info)
	if err != nil {
		return false, fmt.Errorf("platform %s: stream %s: enqueueing a batch: %w", w.name, stream, err)
	}
	return added, nil
}

// lags is the lag source of the metrics: the time since each stream of the
// current pipeline last committed.
func (w *Worker) lags(ctx context.Context) (map[string]time.Duration, error) {
	gen := w.acquire()
	if gen == nil {
		return nil, nil
	}
	defer gen.refs.Done()
	last, err := gen.session.LastCommits(ctx)
	if err != nil {
		return nil, err
	}
	now := time.Now()
	out := map[string]time.Duration{}
	for name, at := range last {
		if _, ok := gen.streams[name]; ok && !at.IsZero() {
			out[name] = max(now.Sub(at), 0)
		}
	}
	return out, nil
}
