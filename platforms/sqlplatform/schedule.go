package sqlplatform

import (
	"context"
	"fmt"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/datasurface/datasurface-go/ecosystem"
	"github.com/datasurface/datasurface-go/graph"
)

// Run runs the pipeline until ctx is cancelled (platforms.Runner): each
// stream as its trigger fires (see RunContinuously). It returns nil when
// ctx is cancelled, and an error only when it cannot run at all.
func (p *Platform) Run(ctx context.Context, pl *graph.Pipeline) error {
	return p.RunContinuously(ctx, pl, RunOptions{}, nil)
}

// RunContinuously runs the streams of the pipeline (or the one opts.Stream
// names) until ctx is cancelled, and calls onBatch, when not nil, after
// each batch. A stream whose capture has a cron trigger runs at its
// schedule's times; one without a trigger runs at once and then every
// interval (WithInterval, default one minute); one with an external trigger
// never runs here (RunOnce runs it). A stream with an uncommitted batch
// runs at once, to finish it. Streams due together run in the pipeline's
// order. A failed or busy batch is retried at the stream's next time.
//
// It returns nil when ctx is cancelled (a batch it interrupts stays
// uncommitted and the next run finishes it), and an error only when it
// cannot run at all: the pipeline not accepted, the store unreachable at
// the start, a trigger's schedule that does not parse.
func (p *Platform) RunContinuously(ctx context.Context, pl *graph.Pipeline, opts RunOptions, onBatch func(BatchReport)) error {
	r, err := p.start(ctx, pl, opts)
	if err != nil {
		if ctx.Err() != nil {
			return nil
		}
		return err
	}
	defer r.close()
	sel, err := selectStreams(r.streams, opts.Stream)
	if err != nil {
		return fmt.Errorf("platform %s: %w", p.name, err)
	}
	if opts.Stream == "" {
		if err := r.retireViews(ctx); err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return fmt.Errorf("platform %s: %w", p.name, err)
		}
	}
	now := time.Now()
	plans := make([]*schedule, len(sel))
	for i, s := range sel {
		sc, err := newSchedule(s, p.set.interval)
		if err != nil {
			return fmt.Errorf("platform %s: stream %s: %w", p.name, s.name, err)
		}
		open, err := r.hasOpenBatch(ctx, s)
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return err
		}
		sc.first(now, open)
		if sc.never && !open {
			r.log.Info("stream waits for an external event; run it with RunOnce", "stream", s.name)
		}
		plans[i] = sc
	}
	for {
		next, ok := earliest(plans)
		if !ok {
			<-ctx.Done()
			return nil
		}
		if wait := time.Until(next); wait > 0 {
			t := time.NewTimer(wait)
			select {
			case <-ctx.Done():
				t.Stop()
				return nil
			case <-t.C:
			}
		}
		for _, sc := range plans {
			if ctx.Err() != nil {
				return nil
			}
			if sc.never || time.Now().Before(sc.next) {
				continue
			}
			b := r.runStream(ctx, sc.s)
			if ctx.Err() != nil {
				return nil
			}
			if onBatch != nil {
				onBatch(b)
			}
			sc.advance(time.Now())
		}
	}
}

// hasOpenBatch reports whether the stream's latest batch is uncommitted.
func (r *runner) hasOpenBatch(ctx context.Context, s *stream) (bool, error) {
	last, err := latestBatch(ctx, r.st.db, r.st.d, s.name)
	if err != nil {
		return false, err
	}
	return last != nil && last.state != Committed, nil
}

// schedule is when a stream runs next.
type schedule struct {
	s *stream
	// cron is the trigger's schedule; nil without a cron trigger.
	cron cron.Schedule
	// every is the interval of a stream without a trigger.
	every time.Duration
	// never marks a stream that only an external event starts.
	never bool
	// once marks such a stream that runs once to finish an open batch.
	once bool
	next time.Time
}

// newSchedule reads the stream's trigger.
func newSchedule(s *stream, interval time.Duration) (*schedule, error) {
	sc := &schedule{s: s, every: interval}
	var t *ecosystem.Trigger
	if s.capture != nil {
		t = s.capture.Trigger
	}
	switch {
	case t == nil:
	case t.Kind == ecosystem.CronTrigger:
		c, err := cron.ParseStandard(t.Cron)
		if err != nil {
			return nil, fmt.Errorf("cron trigger %q: %w", t.Cron, err)
		}
		sc.cron = c
	default:
		sc.never = true
	}
	return sc, nil
}

// first sets the first time: now for an open batch or a stream without a
// trigger, the schedule's next time otherwise.
func (sc *schedule) first(now time.Time, open bool) {
	switch {
	case open:
		sc.next = now
		if sc.never {
			// Finish the open batch once, then wait for the event again.
			sc.never, sc.once = false, true
		}
	case sc.cron != nil:
		sc.next = sc.cron.Next(now)
	default:
		sc.next = now
	}
}

// advance sets the next time after a run that ended at now.
func (sc *schedule) advance(now time.Time) {
	switch {
	case sc.cron != nil:
		sc.next = sc.cron.Next(now)
	case sc.once:
		sc.never, sc.once = true, false
	default:
		sc.next = now.Add(sc.every)
	}
}

// earliest returns the earliest next time of the schedules that run.
func earliest(plans []*schedule) (time.Time, bool) {
	var t time.Time
	found := false
	for _, sc := range plans {
		if sc.never {
			continue
		}
		if !found || sc.next.Before(t) {
			t, found = sc.next, true
		}
	}
	return t, found
}
