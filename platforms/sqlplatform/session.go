package sqlplatform

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/datasurface/datasurface-go/ecosystem"
	"github.com/datasurface/datasurface-go/graph"
)

// StreamInfo describes one stream of a pipeline: what a scheduler outside
// the platform (a job queue, Airflow) needs to run it as its own task.
type StreamInfo struct {
	// Name is the stream's name, as dsl run --stream and RunStream take it.
	Name string
	// Node is the pipeline's ingest node of the stream.
	Node string
	// Capture is the kind of the stream's capture.
	Capture ecosystem.CaptureKind
	// Cron is the cron schedule of the stream's trigger (its capture's, or
	// the transformer's own for a transformer's output), "" when it has
	// none.
	Cron string
	// Event is the external event that triggers the stream, "" when none.
	Event string
	// Transformer is the transform node that RunStream runs before the
	// stream's batch (it writes the output store the stream ingests); ""
	// for a stream that reads a source.
	Transformer string
	// After are the streams whose committed batches feed the stream's
	// transformer (an upstream-commit trigger): when one of them commits a
	// batch that changed rows, the stream should run. Sorted.
	After []string
	// Priority is the node's priority in the pipeline (the highest of the
	// workspaces depending on it), PriorityNormal when none is set.
	Priority ecosystem.Priority
}

// Streams lists the streams of pipeline pl in the order the platform runs
// them (graph.Pipeline.Order). A mirror platform's streams (WithPrimary)
// copy the primary's batches and follow no transformer: use
// Platform.Streams for the list a given platform runs.
func Streams(pl *graph.Pipeline) ([]StreamInfo, error) {
	order := pl.Order()
	if order == nil && len(pl.Nodes) > 0 {
		return nil, fmt.Errorf("platform %s: the pipeline has a cycle (%s): fix the model (dsl lint reports it)", pl.Platform, strings.Join(pl.Cycles()[0], " -> "))
	}
	storeStreams := map[string][]string{} // store -> its streams
	var out []StreamInfo
	for _, n := range order {
		if n.Kind != graph.KindIngest {
			continue
		}
		s := StreamInfo{Name: streamName(n), Node: n.ID, Capture: n.Capture, Priority: n.Priority.Effective()}
		c := captureOf(n)
		var trigger *ecosystem.Trigger
		if c != nil {
			trigger = c.Trigger
		}
		if isTransformerOutput(c) {
			for _, t := range pl.Nodes {
				if t.Kind == graph.KindTransform && t.Output == n.Store {
					s.Transformer = t.ID
				}
			}
			if t := transformerTrigger(pl, n.Store); t != nil {
				trigger = t
			}
		}
		if trigger != nil {
			switch trigger.Kind {
			case ecosystem.CronTrigger:
				s.Cron = trigger.Cron
			case ecosystem.ExternalTrigger:
				s.Event = trigger.Event
			}
		}
		storeStreams[n.Store] = append(storeStreams[n.Store], s.Name)
		out = append(out, s)
	}
	for i := range out {
		if out[i].Transformer == "" {
			continue
		}
		var after []string
		for _, e := range pl.Predecessors(out[i].Transformer) {
			if e.Kind == graph.KindExport {
				after = append(after, storeStreams[e.Store]...)
			}
		}
		slices.Sort(after)
		out[i].After = slices.Compact(after)
	}
	return out, nil
}

// Streams lists the streams the platform runs for pipeline pl, in order;
// on a mirror they copy the primary's batches, so none follows a
// transformer or another stream.
func (p *Platform) Streams(pl *graph.Pipeline) ([]StreamInfo, error) {
	out, err := Streams(pl)
	if err != nil || p.set.mirrorOf == "" {
		return out, err
	}
	for i := range out {
		out[i].Transformer, out[i].After = "", nil
	}
	return out, nil
}

// Session is the platform's merge store held open for one pipeline, for a
// host that runs batches one at a time over a long life, such as a worker of
// a job queue: it checks the pipeline, opens the store and plans the
// streams once, where RunOnce does all of that on every call. A Session is
// safe for use by several goroutines; batches of different streams run in
// parallel, and the store's stream lock keeps two batches of one stream
// apart, in this process or any other.
type Session struct {
	r  *runner
	pl *graph.Pipeline
}

// Open checks that the platform accepts pipeline pl, opens the merge store,
// creates its bookkeeping tables and plans the streams. With retire set it
// also drops the views of consumers the pipeline no longer has, as RunOnce
// does for a run of every stream. Close the session when done.
func (p *Platform) Open(ctx context.Context, pl *graph.Pipeline, retire bool) (*Session, error) {
	r, err := p.start(ctx, pl, RunOptions{})
	if err != nil {
		return nil, err
	}
	if retire {
		if err := r.retireViews(ctx); err != nil {
			_ = r.close()
			return nil, fmt.Errorf("platform %s: %w", p.name, err)
		}
	}
	return &Session{r: r, pl: pl}, nil
}

// SetMaxOpenConns bounds the connections the session keeps to its merge
// store (0 means no bound); see sql.DB.SetMaxOpenConns. A batch holds one
// for the stream lock and uses one or two more while it runs.
func (s *Session) SetMaxOpenConns(n int) {
	s.r.st.db.SetMaxOpenConns(n)
	s.r.st.db.SetMaxIdleConns(n)
}

// RunStream runs one batch of the stream as RunOnce with RunOptions.Stream
// does: the transformer writing its output store first, when it has one,
// then the batch, which finishes an open batch or starts the next. An
// unknown stream is reported in the BatchReport's Err. A batch another
// runner holds comes back with Busy set.
func (s *Session) RunStream(ctx context.Context, name string) BatchReport {
	for _, st := range s.r.streams {
		if st.name == name {
			return s.r.runAfterTransformer(ctx, s.pl, st)
		}
	}
	names := make([]string, len(s.r.streams))
	for i, st := range s.r.streams {
		names[i] = st.name
	}
	return BatchReport{Stream: name, Err: &BatchError{Stream: name, Err: fmt.Errorf("%w; the pipeline's streams are: %s", errUnknownStream, strings.Join(names, ", "))}}
}

// PendingEvents lists, sorted, the streams that have an external event
// recorded (Trigger, dsl trigger) and not yet consumed by a committed
// batch: what a worker polls to enqueue their batches.
func (s *Session) PendingEvents(ctx context.Context) ([]string, error) {
	pending, err := pendingStreams(ctx, s.r.st.db, s.r.st.d)
	if err != nil {
		return nil, fmt.Errorf("platform %s: %w", s.r.p.name, err)
	}
	return slices.Sorted(maps.Keys(pending)), nil
}

// Ping checks that the merge store answers.
func (s *Session) Ping(ctx context.Context) error {
	if err := s.r.st.db.PingContext(ctx); err != nil {
		return fmt.Errorf("platform %s: merge store %s: %s", s.r.p.name, s.r.st.choice.dsn.String(), s.r.st.choice.dsn.Scrub(err.Error()))
	}
	return nil
}

// errUnknownStream is wrapped by RunStream's error for a stream the
// pipeline does not have.
var errUnknownStream = errors.New("the pipeline has no such stream")

// IsUnknownStream reports whether err says a stream is not in the
// pipeline: a job for a stream a newer model retired.
func IsUnknownStream(err error) bool { return errors.Is(err, errUnknownStream) }

// LastCommits returns, in one query, when each stream that has committed
// a batch last did: the source of a lag gauge, cheap enough to read on
// every metrics scrape.
func (s *Session) LastCommits(ctx context.Context) (map[string]time.Time, error) {
	d := s.r.st.d
	stmt := "SELECT " + d.QuoteIdent("stream") + ", MAX(" + d.QuoteIdent("committed_at") + ") FROM " + d.QuoteIdent(batchesTable) +
		" WHERE " + d.QuoteIdent("state") + " = " + d.Placeholder(1) + " GROUP BY " + d.QuoteIdent("stream")
	rows, err := s.r.st.db.QueryContext(ctx, stmt, string(Committed))
	if err != nil {
		return nil, fmt.Errorf("platform %s: reading %s: %w", s.r.p.name, batchesTable, err)
	}
	defer rows.Close()
	out := map[string]time.Time{}
	for rows.Next() {
		var name, at string
		if err := rows.Scan(&name, &at); err != nil {
			return nil, fmt.Errorf("platform %s: reading %s: %w", s.r.p.name, batchesTable, err)
		}
		out[name] = parseTime(at)
	}
	return out, rows.Err()
}

// Close closes the merge store.
func (s *Session) Close() error { return s.r.close() }
