package worker

import (
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/datasurface/datasurface-go/ecosystem"
	"github.com/datasurface/datasurface-go/platforms/sqlplatform"
)

// The job kinds the worker puts in the queue.
const (
	// KindBatch is the kind of a job that runs one batch of one stream.
	KindBatch = "dsl_batch"
	// KindEvents is the kind of the periodic job that turns the store's
	// pending external events into batch jobs.
	KindEvents = "dsl_events"
)

// BatchArgs are the arguments of a batch job: the stream whose next (or
// open) batch it runs. The platform is implied by the store the queue lives
// in.
type BatchArgs struct {
	Stream string `json:"stream"`
	// Then marks a job queued behind the stream's running job, because an
	// upstream commit arrived while it ran: uniqueness would drop a second
	// plain job, and the running one may have looked at its inputs
	// already. There is at most one such job per stream; it waits for the
	// stream's lock like any job, so two batches never run at once.
	Then bool `json:"then,omitempty"`
}

// Kind implements river.JobArgs.
func (BatchArgs) Kind() string { return KindBatch }

// InsertOpts implements river.JobArgsWithInsertOpts: a batch job is unique
// per stream among the jobs that wait or run, so a stream never has two
// batches in the queue. Completed jobs do not count, so the next trigger
// after a batch enqueues the next one.
func (BatchArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: batchUnique}
}

// batchUnique is the uniqueness of batch jobs: by stream, over the states
// River requires plus retryable (a failed batch waiting for its retry is
// still the stream's batch).
var batchUnique = river.UniqueOpts{
	ByArgs: true,
	ByState: []rivertype.JobState{
		rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRunning,
		rivertype.JobStateRetryable, rivertype.JobStateScheduled,
	},
}

// EventsArgs are the arguments of the events poll job.
type EventsArgs struct{}

// Kind implements river.JobArgs.
func (EventsArgs) Kind() string { return KindEvents }

// InsertOpts implements river.JobArgsWithInsertOpts: one poll waits at a
// time, and it goes first.
func (EventsArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Priority: 1, MaxAttempts: 1, UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: batchUnique.ByState}}
}

// queuePriority maps a pipeline node's priority onto River's, where 1 runs
// first and 4 last: critical 1, high 2, normal 3, low 4.
func queuePriority(p ecosystem.Priority) int {
	switch p.Effective() {
	case ecosystem.PriorityCritical:
		return 1
	case ecosystem.PriorityHigh:
		return 2
	case ecosystem.PriorityLow:
		return 4
	}
	return 3
}

// batchInsert is the insert of a batch job for stream s.
func batchInsert(s sqlplatform.StreamInfo) (river.JobArgs, *river.InsertOpts) {
	return BatchArgs{Stream: s.Name}, &river.InsertOpts{Priority: queuePriority(s.Priority), UniqueOpts: batchUnique}
}

// retryPolicy backs a failed batch off exponentially: 2, 4, 8 ...
// seconds, at most ten minutes, so a source that is down for a while is
// not hammered and one that comes back is soon read again.
type retryPolicy struct{}

func (retryPolicy) NextRetry(job *rivertype.JobRow) time.Time {
	attempt := max(len(job.Errors), 1)
	wait := time.Second << min(attempt, 10)
	return time.Now().Add(min(wait, 10*time.Minute))
}
