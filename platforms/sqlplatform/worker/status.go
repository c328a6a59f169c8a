package worker

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/datasurface/datasurface-go/internal/safetext"
	"github.com/datasurface/datasurface-go/platforms/sqlplatform"
)

// Job states as QueueStatus reports them: River's, with "discarded" (a
// job whose attempts are spent) shown as Dead.
const (
	Dead = "dead"
)

// StreamJob is where a stream's latest batch job stands in the queue.
type StreamJob struct {
	Stream string
	JobID  int64
	// State is River's job state (available, scheduled, running,
	// retryable, pending), or Dead for a discarded job.
	State                string
	Attempt, MaxAttempts int
	// At is when the job next runs (waiting states) or when it was
	// discarded (Dead).
	At time.Time
	// LastError is the error of its latest failed attempt, "" when none.
	LastError string
}

// statusStates are the job states QueueStatus reads; completed and
// cancelled jobs say nothing about a stream's health.
var statusStates = []rivertype.JobState{
	rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRunning,
	rivertype.JobStateRetryable, rivertype.JobStateScheduled, rivertype.JobStateDiscarded,
}

// QueueStatus lists, sorted by stream, the latest batch job of each stream
// that has one waiting, running, retrying or dead in platform p's queue. It
// creates nothing: a store without a queue gives nil.
func QueueStatus(ctx context.Context, p *sqlplatform.Platform) ([]StreamJob, error) {
	ok, err := queueExists(ctx, p)
	if err != nil || !ok {
		return nil, err
	}
	q, err := openQueue(ctx, p, &river.Config{}, 2)
	if err != nil {
		return nil, err
	}
	defer q.close()
	latest := map[string]StreamJob{}
	params := river.NewJobListParams().Kinds(KindBatch).States(statusStates...).First(1000).OrderBy(river.JobListOrderByID, river.SortOrderAsc)
	for {
		res, err := q.client.JobList(ctx, params)
		if err != nil {
			return nil, fmt.Errorf("platform %s: reading the job queue: %w", p.Name(), err)
		}
		for _, j := range res.Jobs {
			var args BatchArgs
			if err := json.Unmarshal(j.EncodedArgs, &args); err != nil {
				continue
			}
			latest[args.Stream] = streamJob(args.Stream, j)
		}
		if len(res.Jobs) < 1000 || res.LastCursor == nil {
			break
		}
		params = params.After(res.LastCursor)
	}
	out := make([]StreamJob, 0, len(latest))
	for _, j := range latest {
		out = append(out, j)
	}
	sort.Slice(out, func(i, k int) bool { return out[i].Stream < out[k].Stream })
	return out, nil
}

func streamJob(stream string, j *rivertype.JobRow) StreamJob {
	s := StreamJob{Stream: stream, JobID: j.ID, State: string(j.State), Attempt: j.Attempt, MaxAttempts: j.MaxAttempts, At: j.ScheduledAt}
	if j.State == rivertype.JobStateDiscarded {
		s.State = Dead
		if j.FinalizedAt != nil {
			s.At = *j.FinalizedAt
		}
	}
	if n := len(j.Errors); n > 0 {
		s.LastError = safetext.Line(j.Errors[n-1].Error)
	}
	return s
}
