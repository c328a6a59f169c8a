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

// RunContinuously runs the streams of the pipeline (or those opts.Stream
// and opts.Event select) until ctx is cancelled, and calls onBatch, when
// not nil, after each batch. A stream whose capture has a cron trigger runs
// at its schedule's times; one without a trigger runs at once and then
// every interval (WithInterval, default one minute); one with an external
// trigger runs when its event is pending in the merge store (recorded by
// Trigger, from this process or another): the run looks for pending events
// at once and then every poll period, the interval but at most five
// seconds. A stream with an uncommitted batch runs at once, to finish it.
// Streams due together run in the pipeline's order. A failed or busy batch
// is retried at the stream's next time (an event stream's: an interval
// later, its event still pending).
//
// It returns nil when ctx is cancelled (a batch it interrupts stays
// uncommitted and the next run finishes it), and an error only when it
// cannot run at all: the pipeline not accepted, the store unreachable at
// the start, a trigger's schedule that does not parse, an unknown event.
func (p *Platform) RunContinuously(ctx context.Context, pl *graph.Pipeline, opts RunOptions, onBatch func(BatchReport)) error {
	r, err := p.start(ctx, pl, opts)
	if err != nil {
		if ctx.Err() != nil {
			return nil
		}
		return err
	}
	defer r.close()
	sel, err := r.selectRun(opts)
	if err != nil {
		return err
	}
	if opts.Stream == "" && opts.Event == "" {
		if err := r.retireViews(ctx); err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return fmt.Errorf("platform %s: %w", p.name, err)
		}
	}
	now := time.Now()
	plans := make([]*schedule, len(sel))
	events := false
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
		if sc.event != "" {
			events = true
			r.log.Info("stream runs when its external event is recorded (Trigger, dsl trigger)", "stream", s.name, "event", sc.event)
		}
		plans[i] = sc
	}
	poll := eventPoll(p.set.interval)
	nextPoll := now
	for {
		next, ok := earliest(plans)
		if events && (!ok || nextPoll.Before(next)) {
			next, ok = nextPoll, true
		}
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
		if events && !time.Now().Before(nextPoll) {
			r.pollEvents(ctx, plans)
			nextPoll = time.Now().Add(poll)
		}
		for _, sc := range plans {
			if ctx.Err() != nil {
				return nil
			}
			if !sc.due(time.Now()) {
				continue
			}
			// A failed transformer leaves its output as it was, and the
			// stream waits for its next time.
			b := r.runAfterTransformer(ctx, pl, sc.s)
			if ctx.Err() != nil {
				return nil
			}
			if onBatch != nil {
				onBatch(b)
			}
			sc.advance(time.Now())
			if sc.event != "" && b.Err != nil {
				// Its event stays pending: retry an interval later rather
				// than at every poll.
				sc.next = time.Now().Add(sc.every)
			}
		}
	}
}

// maxEventPoll bounds how long a recorded event waits for a running
// RunContinuously to notice it.
const maxEventPoll = 5 * time.Second

// eventPoll is how often RunContinuously looks for pending events: the
// interval, but at most maxEventPoll.
func eventPoll(interval time.Duration) time.Duration {
	if interval <= 0 || interval > maxEventPoll {
		return maxEventPoll
	}
	return interval
}

// pollEvents marks the event streams that have rows in dsl_events as
// pending. A store it cannot read is logged and tried again at the next
// poll: the streams already pending stay so.
func (r *runner) pollEvents(ctx context.Context, plans []*schedule) {
	pending, err := pendingStreams(ctx, r.st.db, r.st.d)
	if err != nil {
		if ctx.Err() == nil {
			r.log.Warn("looking for external events", "err", err)
		}
		return
	}
	for _, sc := range plans {
		if sc.event != "" && pending[sc.s.name] {
			sc.pending = true
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
	// every is the interval of a stream without a trigger, and how long an
	// event stream waits after a failed batch.
	every time.Duration
	// event is the event of an external trigger, "" for other streams.
	event string
	// pending marks an event stream with an event to run (or an open
	// batch to finish); it runs once next has come.
	pending bool
	next    time.Time
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
	case t.Kind == ecosystem.ExternalTrigger:
		sc.event = t.Event
	default:
		return nil, fmt.Errorf("trigger of kind %q: the sql platform runs cron and external triggers", t.Kind)
	}
	return sc, nil
}

// first sets the first time: now for an open batch or a stream without a
// trigger, the schedule's next time for a cron stream; an event stream
// waits for its event (the first poll is at once).
func (sc *schedule) first(now time.Time, open bool) {
	sc.next = now
	switch {
	case open:
		sc.pending = sc.event != ""
	case sc.cron != nil:
		sc.next = sc.cron.Next(now)
	}
}

// due reports whether the stream runs at now.
func (sc *schedule) due(now time.Time) bool {
	if sc.event != "" && !sc.pending {
		return false
	}
	return !now.Before(sc.next)
}

// advance sets the next time after a run that ended at now. An event
// stream waits for the next poll to find an event again.
func (sc *schedule) advance(now time.Time) {
	switch {
	case sc.cron != nil:
		sc.next = sc.cron.Next(now)
	case sc.event != "":
		sc.pending, sc.next = false, now
	default:
		sc.next = now.Add(sc.every)
	}
}

// earliest returns the earliest next time of the schedules that may run:
// every stream but the event streams without a pending event.
func earliest(plans []*schedule) (time.Time, bool) {
	var t time.Time
	found := false
	for _, sc := range plans {
		if sc.event != "" && !sc.pending {
			continue
		}
		if !found || sc.next.Before(t) {
			t, found = sc.next, true
		}
	}
	return t, found
}
