package worker

import (
	"context"
	"errors"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/datasurface/datasurface-go/internal/safetext"
	"github.com/datasurface/datasurface-go/internal/telemetry"
	"github.com/datasurface/datasurface-go/platforms/sqlplatform"
)

// busyWait is how long a job waits when another runner holds its stream:
// a rescued job whose first run is still going, or a dsl run by hand.
const busyWait = 10 * time.Second

// batchWorker runs the batch jobs.
type batchWorker struct {
	river.WorkerDefaults[BatchArgs]
	w *Worker
}

// Work runs one batch of the job's stream: it finishes the stream's open
// batch or starts the next one. A failed batch returns its error, so River
// retries the job with backoff; the batch stays uncommitted meanwhile. A
// job for a stream the current model does not have completes without
// running (the stream retired).
func (bw *batchWorker) Work(ctx context.Context, job *river.Job[BatchArgs]) error {
	w := bw.w
	gen := w.acquire()
	if gen == nil {
		return river.JobSnooze(0)
	}
	defer gen.refs.Done()
	name := job.Args.Stream
	log := w.log.With("stream", name, "job", job.ID, "attempt", job.Attempt)
	if _, ok := gen.streams[name]; !ok {
		log.Info("the stream is not in the model any more: its job completes without running", "revision", gen.model.Revision)
		w.observe(sqlplatform.BatchReport{Stream: name}, "retired")
		return nil
	}
	rep := gen.session.RunStream(ctx, name)
	log = log.With("batch", rep.Batch)
	switch {
	case rep.Busy:
		w.observe(rep, "busy")
		log.Info("another runner holds the stream: the job waits", "wait", busyWait.String())
		return river.JobSnooze(busyWait)
	case rep.Err != nil && ctx.Err() != nil:
		// Stopped or timed out: the batch stays uncommitted and is resumed
		// by the job's next run.
		w.observe(rep, "failed")
		log.Warn("batch interrupted; it stays uncommitted and resumable", "err", safetext.Line(rep.Err.Error()))
		return rep.Err
	case rep.Err != nil:
		// The platform logged the error itself, just before.
		w.observe(rep, "failed")
		log.Warn("batch failed: the job is retried with backoff until its attempts are spent", "state", string(rep.State), "max_attempts", job.MaxAttempts)
		return rep.Err
	case rep.UpToDate:
		w.observe(rep, "up_to_date")
		return nil
	}
	w.observe(rep, "committed")
	log.Info("batch committed", "read", rep.Read, "inserted", rep.Inserted, "updated", rep.Updated,
		"deleted", rep.Deleted, "unchanged", rep.Unchanged, "resumed", rep.Resumed, "took", rep.Total.String())
	if rep.Inserted+rep.Updated+rep.Deleted > 0 {
		w.enqueueDependants(ctx, gen, name)
	}
	return nil
}

// Timeout is the worker's job timeout (River's default would be one
// minute, too short for a large batch).
func (bw *batchWorker) Timeout(*river.Job[BatchArgs]) time.Duration { return bw.w.o.JobTimeout }

// enqueueDependants enqueues the streams whose transformers read stream
// name, after one of its batches changed rows.
func (w *Worker) enqueueDependants(ctx context.Context, gen *generation, name string) {
	for _, dep := range gen.dependants[name] {
		if _, err := w.enqueue(ctx, gen.streams[dep]); err != nil {
			w.log.Error("enqueueing a dependant's batch", "stream", dep, "after", name, "err", err)
		}
	}
}

// enqueue puts a batch job for stream s in the queue, because something
// happened that its next batch must see. A job that waits already will see
// it, so none is added; but one that runs may have read its source or
// inputs before, so one more is queued behind it (BatchArgs.Then). It
// reports whether a job was added.
func (w *Worker) enqueue(ctx context.Context, s sqlplatform.StreamInfo) (bool, error) {
	args, opts := batchInsert(s)
	res, err := w.q.client.Insert(ctx, args, opts)
	if err != nil {
		return false, err
	}
	if !res.UniqueSkippedAsDuplicate {
		return true, nil
	}
	if res.Job == nil || res.Job.State != rivertype.JobStateRunning {
		return false, nil
	}
	res, err = w.q.client.Insert(ctx, BatchArgs{Stream: s.Name, Then: true}, opts)
	if err != nil {
		return false, err
	}
	return !res.UniqueSkippedAsDuplicate, nil
}

// observe records a batch's outcome in the metrics.
func (w *Worker) observe(rep sqlplatform.BatchReport, state string) {
	if w.o.OnBatch != nil && state != "retired" {
		w.o.OnBatch(rep)
	}
	if w.o.Metrics == nil {
		return
	}
	w.o.Metrics.BatchEnded(rep.Stream, state, telemetry.Rows{Read: rep.Read, Inserted: rep.Inserted, Updated: rep.Updated,
		Deleted: rep.Deleted, Unchanged: rep.Unchanged}, rep.Total)
}

// eventsWorker runs the poll of the store's pending external events.
type eventsWorker struct {
	river.WorkerDefaults[EventsArgs]
	w *Worker
}

// Work enqueues a batch of every stream with a pending event. The event is
// consumed by the batch that commits (sqlplatform), so a poll that enqueues
// a stream twice, or a worker that dies, loses and doubles nothing.
func (ew *eventsWorker) Work(ctx context.Context, _ *river.Job[EventsArgs]) error {
	w := ew.w
	gen := w.acquire()
	if gen == nil {
		return nil
	}
	defer gen.refs.Done()
	names, err := gen.session.PendingEvents(ctx)
	if err != nil {
		return err
	}
	var errs []error
	for _, name := range names {
		info, ok := gen.streams[name]
		if !ok {
			continue
		}
		if _, err := w.enqueue(ctx, info); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}
