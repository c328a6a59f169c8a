package sqlplatform

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/datasurface/datasurface-go/ecosystem"
	"github.com/datasurface/datasurface-go/graph"
	"github.com/datasurface/datasurface-go/platforms/sqlplatform/dialect"
)

// ErrNothingToReset is returned (wrapped) by Reset when the stream's latest
// batch is committed, or it has none: there is no uncommitted batch.
var ErrNothingToReset = errors.New("no uncommitted batch to reset")

// Status reads where each stream of the pipeline stands from the merge
// store, in the pipeline's order: its latest batch, that batch's state,
// counts and last error, and its latest committed batch. It changes
// nothing: a store that does not exist yet gives streams without batches.
func (p *Platform) Status(ctx context.Context, pl *graph.Pipeline) ([]StreamStatus, error) {
	if pl == nil || pl.Platform != p.name {
		return nil, fmt.Errorf("platform %s was not given its own pipeline", p.name)
	}
	choice, err := p.chooseStore()
	if err != nil {
		return nil, err
	}
	d, err := dialect.ForEngine(choice.dsn.Engine)
	if err != nil {
		return nil, err
	}
	streams, err := planStreams(pl, d, p.set.milestoning)
	if err != nil {
		return nil, err
	}
	if p.set.mirrorOf != "" {
		mirrorStreams(streams)
	} else {
		adoptTransformerTriggers(pl, streams)
	}
	out := make([]StreamStatus, len(streams))
	for i, s := range streams {
		out[i] = StreamStatus{Stream: s.name}
		out[i].Datasets = make([]string, len(s.datasets))
		for j, ds := range s.datasets {
			out[i].Datasets[j] = ds.name
		}
		if s.capture != nil {
			out[i].Capture = s.capture.Kind
			if t := s.capture.Trigger; t != nil {
				out[i].Trigger = describeTrigger(t)
			}
		}
		for _, v := range s.views {
			out[i].Views = append(out[i].Views, v.ref)
		}
		out[i].WaitsOn = waitsOn(pl, d, s, streams)
	}
	st, err := p.openStore(ctx, false)
	if errors.Is(err, errNoStore) {
		return out, nil
	}
	if err != nil {
		return nil, err
	}
	defer st.db.Close()
	phys, err := st.d.TableColumns(ctx, st.db, batchesTable)
	if err != nil {
		return nil, fmt.Errorf("platform %s: reading the merge store: %w", p.name, err)
	}
	if phys == nil {
		return out, nil
	}
	pending, err := pendingEvents(ctx, st.db, st.d)
	if err != nil {
		return nil, err
	}
	for i, s := range streams {
		out[i].Pending = pending[s.name]
		last, err := latestBatch(ctx, st.db, st.d, s.name)
		if err != nil {
			return nil, err
		}
		if last == nil {
			continue
		}
		o := &out[i]
		o.Batch, o.State, o.Attempts = last.batch, last.state, last.attempts
		o.Counts, o.Started, o.Updated, o.Error = last.counts, last.started, last.updated, last.errText
		if last.state != Committed {
			for _, dr := range last.datasets {
				o.Read += dr.Read
				o.Bytes += dr.Bytes
			}
		}
		committed := last
		if last.state != Committed {
			if committed, err = lastCommitted(ctx, st.db, st.d, s.name); err != nil {
				return nil, err
			}
		}
		if committed != nil {
			o.LastCommitted, o.CommittedAt = committed.batch, committed.committed
		}
	}
	return out, nil
}

// waitsOn lists what the stream of a transformer's output waits on: the
// transform node and the streams it reads.
func waitsOn(pl *graph.Pipeline, d dialect.Dialect, s *stream, streams []*stream) []string {
	if !isTransformerOutput(s.capture) {
		return nil
	}
	var out []string
	for _, n := range pl.Nodes {
		if n.Kind != graph.KindTransform || n.Output != s.node.Store {
			continue
		}
		out = append(out, n.ID)
		step, err := planTransform(pl, d, n, streams)
		if err != nil {
			continue
		}
		var ins []string
		for _, in := range step.inputs {
			ins = append(ins, in.stream)
		}
		slices.Sort(ins)
		out = append(out, slices.Compact(ins)...)
	}
	return out
}

// pendingEvents reads dsl_events by stream: each event not yet consumed,
// with how often it was fired and since when; none when the table does not
// exist yet (a store made before external triggers).
func pendingEvents(ctx context.Context, q dialect.Querier, d dialect.Dialect) (map[string][]PendingEvent, error) {
	phys, err := d.TableColumns(ctx, q, eventsTable)
	if err != nil || phys == nil {
		return nil, err
	}
	qi := d.QuoteIdent
	rows, err := q.QueryContext(ctx, fmt.Sprintf("SELECT %s, %s, COUNT(*), MIN(%s) FROM %s GROUP BY %s, %s ORDER BY %s, %s",
		qi("stream"), qi("event"), qi("fired_at"), qi(eventsTable), qi("stream"), qi("event"), qi("stream"), qi("event")))
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", eventsTable, err)
	}
	defer rows.Close()
	out := map[string][]PendingEvent{}
	for rows.Next() {
		var stream, since string
		var e PendingEvent
		if err := rows.Scan(&stream, &e.Event, &e.Count, &since); err != nil {
			return nil, fmt.Errorf("reading %s: %w", eventsTable, err)
		}
		e.Since = parseTime(since)
		out[stream] = append(out[stream], e)
	}
	return out, rows.Err()
}

// describeTrigger formats a trigger as the pipeline graph does.
func describeTrigger(t *ecosystem.Trigger) string {
	switch t.Kind {
	case ecosystem.CronTrigger:
		return "cron " + t.Cron
	case ecosystem.ExternalTrigger:
		return "external " + t.Event
	}
	return string(t.Kind)
}

// Reset discards the uncommitted batch of a stream: its record and its
// staging tables, so that the next run starts that batch number afresh
// from the source. It returns the discarded batch's number. A committed
// batch is never reset: when the stream's latest batch is committed (or it
// has none) Reset refuses with an error wrapping ErrNothingToReset, and a
// stream another runner is working on is refused with ErrStreamBusy.
func (p *Platform) Reset(ctx context.Context, pl *graph.Pipeline, stream string) (int64, error) {
	if pl == nil || pl.Platform != p.name {
		return 0, fmt.Errorf("platform %s was not given its own pipeline", p.name)
	}
	choice, err := p.chooseStore()
	if err != nil {
		return 0, err
	}
	d, err := dialect.ForEngine(choice.dsn.Engine)
	if err != nil {
		return 0, err
	}
	streams, err := planStreams(pl, d, p.set.milestoning)
	if err != nil {
		return 0, err
	}
	if stream == "" {
		return 0, fmt.Errorf("platform %s: name the stream to reset", p.name)
	}
	sel, err := selectStreams(streams, stream)
	if err != nil {
		return 0, fmt.Errorf("platform %s: %w", p.name, err)
	}
	s := sel[0]
	st, err := p.openStore(ctx, false)
	if errors.Is(err, errNoStore) {
		return 0, fmt.Errorf("stream %s has no batch: %w (the merge store does not exist yet)", s.name, ErrNothingToReset)
	}
	if err != nil {
		return 0, err
	}
	defer st.db.Close()
	if phys, err := st.d.TableColumns(ctx, st.db, batchesTable); err != nil {
		return 0, err
	} else if phys == nil {
		return 0, fmt.Errorf("stream %s has no batch: %w", s.name, ErrNothingToReset)
	}
	release, err := lockStream(ctx, st.db, st.d, s.name)
	if err != nil {
		return 0, err
	}
	defer func() { _ = release() }()
	last, err := latestBatch(ctx, st.db, st.d, s.name)
	if err != nil {
		return 0, err
	}
	switch {
	case last == nil:
		return 0, fmt.Errorf("stream %s has no batch: %w", s.name, ErrNothingToReset)
	case last.state == Committed:
		return 0, fmt.Errorf("stream %s: batch %d is committed and a committed batch is never reset: %w (the next run starts batch %d)",
			s.name, last.batch, ErrNothingToReset, last.batch+1)
	}
	for _, ds := range s.datasets {
		for _, table := range scratchTables(s, ds) {
			if _, err := st.db.ExecContext(ctx, "DROP TABLE IF EXISTS "+st.d.QuoteIdent(table)); err != nil {
				return 0, fmt.Errorf("stream %s: dropping staging table %s: %w", s.name, table, err)
			}
		}
	}
	if err := deleteBatch(ctx, st.db, st.d, s.name, last.batch); err != nil {
		return 0, fmt.Errorf("stream %s: %w", s.name, err)
	}
	return last.batch, nil
}
