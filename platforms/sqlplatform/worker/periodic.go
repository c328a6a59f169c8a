package worker

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"maps"
	"slices"
	"sort"
	"sync"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
	"github.com/robfig/cron/v3"
)

// periodicSet keeps the worker's River periodic jobs in line with the
// current model: one per stream with a cron trigger or without a trigger,
// and one poll of the external events when a stream has one. Each has a
// stable ID built from its stream and schedule, so a reload removes and
// adds only what changed.
type periodicSet struct {
	mu      sync.Mutex
	bundle  *river.PeriodicJobBundle
	handles map[string]rivertype.PeriodicJobHandle
}

func newPeriodicSet(b *river.PeriodicJobBundle) *periodicSet {
	return &periodicSet{bundle: b, handles: map[string]rivertype.PeriodicJobHandle{}}
}

// periodicJob is one periodic job the model asks for.
type periodicJob struct {
	id  string
	job *river.PeriodicJob
}

// wanted lists the periodic jobs of generation g, sorted by ID. A cron
// that does not parse is skipped and returned as an error (the model's
// lint catches it first).
func (w *Worker) wanted(g *generation) ([]periodicJob, []error) {
	var out []periodicJob
	var errs []error
	events := false
	for _, s := range g.order {
		args, opts := batchInsert(s)
		construct := func() (river.JobArgs, *river.InsertOpts) { return args, opts }
		switch {
		case s.Cron != "":
			sched, err := cron.ParseStandard(s.Cron)
			if err != nil {
				errs = append(errs, fmt.Errorf("stream %s: cron trigger %q: %w", s.Name, s.Cron, err))
				continue
			}
			id := periodicID("cron", s.Name, s.Cron)
			out = append(out, periodicJob{id: id, job: river.NewPeriodicJob(sched, construct, &river.PeriodicJobOpts{ID: id})})
		case s.Event != "":
			events = true
		default:
			// A transformer's output stream does not run at start: its
			// inputs' commits enqueue it, and before they commit its
			// transformer has nothing to read.
			id := periodicID("every", s.Name, w.o.Interval.String())
			out = append(out, periodicJob{id: id, job: river.NewPeriodicJob(river.PeriodicInterval(w.o.Interval), construct,
				&river.PeriodicJobOpts{ID: id, RunOnStart: s.Transformer == ""})})
		}
	}
	if events {
		id := periodicID("events", "", w.o.EventPoll.String())
		out = append(out, periodicJob{id: id, job: river.NewPeriodicJob(river.PeriodicInterval(w.o.EventPoll),
			func() (river.JobArgs, *river.InsertOpts) { return EventsArgs{}, nil }, &river.PeriodicJobOpts{ID: id, RunOnStart: true})})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].id < out[j].id })
	return out, errs
}

// periodicID is a periodic job's stable ID: its kind, its stream (cut,
// and with the characters River refuses in IDs replaced) and a digest of
// the kind, stream and schedule, so that a changed schedule is a new job.
func periodicID(kind, stream, schedule string) string {
	sum := sha256.Sum256([]byte(kind + "\x00" + stream + "\x00" + schedule))
	name := []rune(stream)
	if len(name) > 60 {
		name = name[:60]
	}
	for i, r := range name {
		// River takes ASCII word characters and a few marks only.
		if !(r == '_' || r == '-' || r == '.' || 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9') {
			name[i] = '_'
		}
	}
	return kind + ":" + string(name) + ":" + hex.EncodeToString(sum[:4])
}

// schedule brings the periodic jobs in line with generation g and enqueues
// a batch of each stream in enqueueNow.
func (w *Worker) schedule(ctx context.Context, g *generation, enqueueNow []string) {
	jobs, errs := w.wanted(g)
	for _, err := range errs {
		w.log.Error("a trigger cannot be scheduled", "err", err)
	}
	w.periodic.apply(jobs, w.log.Error)
	for _, name := range enqueueNow {
		if _, err := w.enqueue(ctx, g.streams[name]); err != nil {
			w.log.Error("enqueueing a batch", "stream", name, "err", err)
		}
	}
}

// apply removes the periodic jobs not in want and adds the new ones.
func (p *periodicSet) apply(want []periodicJob, logError func(msg string, args ...any)) {
	p.mu.Lock()
	defer p.mu.Unlock()
	keep := map[string]bool{}
	for _, j := range want {
		keep[j.id] = true
	}
	for id, h := range p.handles {
		if !keep[id] {
			p.bundle.Remove(h)
			delete(p.handles, id)
		}
	}
	for _, j := range want {
		if _, ok := p.handles[j.id]; ok {
			continue
		}
		h, err := p.bundle.AddSafely(j.job)
		if err != nil {
			logError("scheduling a periodic job", "job", j.id, "err", err)
			continue
		}
		p.handles[j.id] = h
	}
}

// ids returns the IDs of the scheduled periodic jobs, sorted (for tests).
func (p *periodicSet) ids() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Sorted(maps.Keys(p.handles))
}
