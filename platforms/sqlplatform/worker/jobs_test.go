package worker

import (
	"testing"
	"time"

	"github.com/riverqueue/river/rivertype"

	"github.com/datasurface/datasurface-go/ecosystem"
	"github.com/datasurface/datasurface-go/platforms/sqlplatform"
)

// TestBatchInsertPriority: a stream's job takes its node's priority,
// critical first in River's order (1 runs first); unset is normal.
func TestBatchInsertPriority(t *testing.T) {
	for p, want := range map[ecosystem.Priority]int{
		ecosystem.PriorityCritical: 1, ecosystem.PriorityHigh: 2, ecosystem.PriorityNormal: 3, ecosystem.PriorityLow: 4, 0: 3,
	} {
		args, opts := batchInsert(sqlplatform.StreamInfo{Name: "S", Priority: p})
		if opts.Priority != want {
			t.Errorf("priority %v: River priority %d; want %d", p, opts.Priority, want)
		}
		if a := args.(BatchArgs); a.Stream != "S" || a.Then {
			t.Errorf("args %+v; want stream S", a)
		}
		if !opts.UniqueOpts.ByArgs {
			t.Errorf("priority %v: job not unique by its stream", p)
		}
	}
}

// TestRetryBackoff: each failed attempt waits twice as long as the one
// before, from two seconds, never more than ten minutes.
func TestRetryBackoff(t *testing.T) {
	var prev time.Duration
	for attempt := 1; attempt <= 20; attempt++ {
		job := &rivertype.JobRow{Errors: make([]rivertype.AttemptError, attempt)}
		wait := time.Until(retryPolicy{}.NextRetry(job)).Round(time.Second)
		switch {
		case attempt == 1 && wait != 2*time.Second:
			t.Errorf("attempt 1 waits %s; want 2s", wait)
		case wait > 10*time.Minute:
			t.Errorf("attempt %d waits %s; want at most 10m", attempt, wait)
		case attempt > 1 && wait < prev:
			t.Errorf("attempt %d waits %s, less than attempt %d's %s", attempt, wait, attempt-1, prev)
		}
		prev = wait
	}
	if prev != 10*time.Minute {
		t.Errorf("attempt 20 waits %s; want the 10m ceiling", prev)
	}
}
