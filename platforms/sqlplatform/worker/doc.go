// Package worker runs a sql platform's batches as jobs of a River job queue
// (github.com/riverqueue/river) kept in the platform's merge store, so that
// any number of worker processes, on any number of machines, share one
// platform's streams (docs/WORKERS.md).
//
// Each batch of a stream is one job of kind "dsl_batch" whose arguments name
// the stream. A job is unique per stream while it waits or runs, so the
// queue never holds two batches of one stream; the store's stream lock
// (sqlplatform) keeps them apart even when a job is rescued from a worker
// that died. A job's priority comes from its stream's node in the pipeline
// (critical first). A batch that fails returns the job to the queue with
// River's backoff; once its attempts are spent the job is discarded, the
// "dead" state dsl status shows, and the batch stays uncommitted and
// resumable as with dsl run.
//
// What enqueues a batch:
//   - a cron trigger: a River periodic job, which only the elected leader
//     inserts, so one job per tick however many workers run;
//   - no trigger: a periodic job every interval (as dsl run does);
//   - an upstream commit: a batch that changed rows enqueues the streams of
//     the transformers that read it; a job that finds its transformer's
//     inputs moved while it ran runs again, and the interval catches the
//     rest;
//   - an external event recorded by dsl trigger: a periodic poll of the
//     store's pending events enqueues their streams.
//
// On PostgreSQL the queue's tables live in the merge store's database, and
// the worker's connections are bounded (Options.Concurrency,
// ConnectionBound). On SQLite the queue is an SQLite file beside the store
// (PATH.queue), so that a long merge transaction never blocks the queue's
// own bookkeeping; that is the single-machine default and runs the same
// code.
//
// A Worker can be given a newer model while it runs (Reload): new streams
// are scheduled at once, removed ones retire (their waiting jobs complete
// without running), and the others continue under the new pipeline, whose
// batches reconcile their tables' schemas as every batch does.
package worker
