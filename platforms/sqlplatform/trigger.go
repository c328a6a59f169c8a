package sqlplatform

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/datasurface/datasurface-go/ecosystem"
	"github.com/datasurface/datasurface-go/graph"
	"github.com/datasurface/datasurface-go/internal/safetext"
	"github.com/datasurface/datasurface-go/internal/suggest"
	"github.com/datasurface/datasurface-go/platforms/sqlplatform/dialect"
)

// External triggers (docs/SQL_PLATFORM.md, "Triggers"). Trigger records an
// event as one row of dsl_events per stream it runs. A row is pending
// while its batch column is 0. A batch of the stream claims every row of
// the stream (sets batch to its number) just before it starts reading the
// source, and deletes the rows it claimed in the transaction that marks it
// COMMITTED. So:
//   - an event is consumed by exactly one committed batch of each stream
//     it runs, and that batch read the source after the event was fired;
//   - an event fired while a batch is reading stays pending, and runs the
//     stream again;
//   - a crash before the commit leaves the claimed rows for the open
//     batch, which the next run finishes (and consumes them then); a crash
//     after it has consumed them with the batch: nothing is lost or run
//     twice;
//   - events fired several times before a batch claims them are consumed
//     by that one batch: the stream runs once for all of them.

// eventsTable is the table of pending external events in the merge store.
const eventsTable = "dsl_events"

// ErrUnknownEvent is returned (wrapped) by Trigger and by a run with
// RunOptions.Event when no stream of the pipeline has the event as its
// external trigger.
var ErrUnknownEvent = errors.New("no stream is triggered by the event")

// eventsSpec is dsl_events: the event's id (random, unique), the stream it
// runs, the event's name, when it was fired (UTC text as in dsl_batches)
// and the batch that claimed it (0 while pending). Its key is stream, id.
func eventsSpec(text, n string) tableSpec {
	return tableSpec{name: eventsTable, columns: []column{
		{name: "stream", ddl: text, notNull: true, platform: true},
		{name: "id", ddl: text, notNull: true, platform: true},
		{name: "event", ddl: text, notNull: true, platform: true},
		{name: "fired_at", ddl: text, notNull: true, platform: true},
		{name: "batch", ddl: n, notNull: true, platform: true},
	}}
}

// TriggerReport is what Trigger recorded.
type TriggerReport struct {
	Platform string
	Event    string
	// Streams are the streams the event runs, in the pipeline's order.
	Streams []string
	// Store is the merge store, as people may see it (no password), and
	// StoreFrom says where the choice came from.
	Store     string
	StoreFrom string
	// Fired is when the event was recorded (UTC).
	Fired time.Time
}

// Trigger records the external event in the merge store, for every stream
// of the pipeline whose capture has the trigger external(event): a
// RunContinuously of this pipeline on the same store, in this process or
// another, runs each of those streams at its next poll (see
// RunContinuously). The event stays recorded until a batch of the stream
// that started reading the source after it was recorded commits; that
// batch consumes it in the transaction of its commit. An event fired again
// before a batch takes it up runs the stream once, not twice.
//
// It creates the merge store's tables when missing, like a run. An event
// no stream is triggered by is an error wrapping ErrUnknownEvent that lists
// the pipeline's events; nothing is recorded then.
func (p *Platform) Trigger(ctx context.Context, pl *graph.Pipeline, event string) (*TriggerReport, error) {
	if pl == nil {
		return nil, errors.New("sqlplatform: no pipeline")
	}
	if pl.Platform != p.name {
		return nil, fmt.Errorf("platform %s was given the pipeline of platform %s", p.name, pl.Platform)
	}
	streams, err := eventStreams(p.name, ingestNodes(pl), event)
	if err != nil {
		return nil, err
	}
	r, err := p.start(ctx, pl, RunOptions{Event: event})
	if err != nil {
		return nil, err
	}
	defer r.close()
	fired, err := recordEvent(ctx, r.st.db, r.st.d, event, streams)
	if err != nil {
		return nil, fmt.Errorf("platform %s: event %s: %w", p.name, safetext.Line(event), err)
	}
	r.log.Info("external event recorded", "event", event, "streams", strings.Join(streams, ", "))
	return &TriggerReport{Platform: p.name, Event: event, Streams: streams, Store: r.st.choice.dsn.String(), StoreFrom: r.st.choice.from, Fired: fired}, nil
}

// EventStreams returns the streams of the pipeline whose capture has the
// trigger external(event), in the pipeline's order. It reads only the
// pipeline; an event no stream has is an error wrapping ErrUnknownEvent
// that lists the pipeline's events, with a suggestion for a misspelling.
func (p *Platform) EventStreams(pl *graph.Pipeline, event string) ([]string, error) {
	if pl == nil || pl.Platform != p.name {
		return nil, fmt.Errorf("platform %s was not given its own pipeline", p.name)
	}
	return eventStreams(p.name, ingestNodes(pl), event)
}

// Events returns the events of the pipeline's external triggers, sorted.
func Events(pl *graph.Pipeline) []string {
	if pl == nil {
		return nil
	}
	return eventsOf(ingestNodes(pl))
}

// eventsOf returns the events of the ingest nodes' external triggers,
// sorted.
func eventsOf(nodes []ingestNode) []string {
	var out []string
	for _, n := range nodes {
		if e := externalEvent(n.capture); e != "" {
			out = append(out, e)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// ingestNode is an ingest node with the capture that triggers it.
type ingestNode struct {
	node    *graph.Node
	capture *ecosystem.Capture
}

// ingestNodes returns the pipeline's ingest nodes in the order the
// platform runs them, each with its capture: for a transformer's output
// store, one carrying the transformer's own trigger when it has one (see
// adoptTransformerTriggers).
func ingestNodes(pl *graph.Pipeline) []ingestNode {
	order := pl.Order()
	if order == nil {
		// A pipeline with a cycle does not run; list its nodes as they are
		// so that messages still name the events.
		order = pl.Nodes
	}
	var out []ingestNode
	for _, n := range order {
		if n.Kind != graph.KindIngest {
			continue
		}
		c := captureOf(n)
		if isTransformerOutput(c) {
			if t := transformerTrigger(pl, n.Store); t != nil {
				adopted := *c
				adopted.Trigger = t
				c = &adopted
			}
		}
		out = append(out, ingestNode{node: n, capture: c})
	}
	return out
}

// captureOf returns the capture of an ingest node, nil when it has none.
func captureOf(n *graph.Node) *ecosystem.Capture {
	if n.Model.Store.Store == nil {
		return nil
	}
	return n.Model.Store.Store.Capture
}

// externalEvent returns the event of a capture's external trigger, "" when
// the capture has none.
func externalEvent(c *ecosystem.Capture) string {
	if c == nil || c.Trigger == nil || c.Trigger.Kind != ecosystem.ExternalTrigger {
		return ""
	}
	return c.Trigger.Event
}

// eventStreams returns the streams the event runs, in the pipeline's order;
// none is an error wrapping ErrUnknownEvent that lists the known events.
func eventStreams(platform string, nodes []ingestNode, event string) ([]string, error) {
	var out []string
	for _, n := range nodes {
		if e := externalEvent(n.capture); e != "" && e == event {
			out = append(out, streamName(n.node))
		}
	}
	if len(out) > 0 {
		return out, nil
	}
	known := eventsOf(nodes)
	name := safetext.Line(event)
	if strings.TrimSpace(event) == "" {
		name = "(empty)"
	} else {
		name = fmt.Sprintf("%q", name)
	}
	if len(known) == 0 {
		return nil, fmt.Errorf("platform %s: event %s: %w: no capture of its pipeline has an external trigger (give one trigger = external(%s))",
			platform, name, ErrUnknownEvent, name)
	}
	hint := ""
	if c, ok := suggest.Closest(event, known); ok {
		hint = fmt.Sprintf(" (did you mean %q?)", c)
	}
	return nil, fmt.Errorf("platform %s: event %s: %w: its pipeline's events are %s%s", platform, name, ErrUnknownEvent, strings.Join(known, ", "), hint)
}

// recordEvent inserts one pending row per stream, all in one transaction,
// and returns the time it recorded.
func recordEvent(ctx context.Context, db *sql.DB, d dialect.Dialect, event string, streams []string) (time.Time, error) {
	now := time.Now().UTC()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return now, fmt.Errorf("recording it in %s: %w", eventsTable, err)
	}
	defer func() { _ = tx.Rollback() }()
	stmt := "INSERT INTO " + d.QuoteIdent(eventsTable) + " (" + quoteList(d, []string{"stream", "id", "event", "fired_at", "batch"}) + ") VALUES (" + placeholders(d, 1, 5) + ")"
	for _, s := range streams {
		var id [12]byte
		if _, err := rand.Read(id[:]); err != nil {
			return now, err
		}
		if _, err := tx.ExecContext(ctx, stmt, s, hex.EncodeToString(id[:]), event, formatTime(now), int64(0)); err != nil {
			return now, fmt.Errorf("recording it in %s: %w", eventsTable, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return now, fmt.Errorf("recording it in %s: %w", eventsTable, err)
	}
	return now, nil
}

// pendingStreams returns the streams that have rows in dsl_events: pending
// events, or events claimed by a batch that has not committed.
func pendingStreams(ctx context.Context, q dialect.Querier, d dialect.Dialect) (map[string]bool, error) {
	rows, err := q.QueryContext(ctx, "SELECT DISTINCT "+d.QuoteIdent("stream")+" FROM "+d.QuoteIdent(eventsTable))
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", eventsTable, err)
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, fmt.Errorf("reading %s: %w", eventsTable, err)
		}
		out[s] = true
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reading %s: %w", eventsTable, err)
	}
	return out, nil
}

// claimEvents marks every event row of the batch's stream as claimed by
// the batch. It runs under the stream's lock just before the batch reads
// the source, so every row it claims was recorded before the read began.
// A batch that stages again (resumed, or its staging not intact) claims
// again, taking up the events recorded meanwhile. Streams without an
// external trigger have no rows and skip it.
func (b *batchRun) claimEvents(ctx context.Context) error {
	if externalEvent(b.s.capture) == "" {
		return nil
	}
	d := b.r.st.d
	stmt := "UPDATE " + d.QuoteIdent(eventsTable) + " SET " + d.QuoteIdent("batch") + " = " + d.Placeholder(1) +
		" WHERE " + d.QuoteIdent("stream") + " = " + d.Placeholder(2)
	if _, err := b.r.st.db.ExecContext(ctx, stmt, b.rec.batch, b.s.name); err != nil {
		return fmt.Errorf("claiming the stream's events in %s: %w", eventsTable, err)
	}
	return nil
}

// consumeEvents deletes the event rows the batch claimed, in tx, the
// transaction that marks the batch COMMITTED: the events are consumed if
// and only if the batch commits.
func (b *batchRun) consumeEvents(ctx context.Context, tx dialect.Querier) error {
	if externalEvent(b.s.capture) == "" {
		return nil
	}
	d := b.r.st.d
	stmt := "DELETE FROM " + d.QuoteIdent(eventsTable) + " WHERE " + d.QuoteIdent("stream") + " = " + d.Placeholder(1) +
		" AND " + d.QuoteIdent("batch") + " > 0 AND " + d.QuoteIdent("batch") + " <= " + d.Placeholder(2)
	if _, err := tx.ExecContext(ctx, stmt, b.s.name, b.rec.batch); err != nil {
		return fmt.Errorf("consuming the stream's events in %s: %w", eventsTable, err)
	}
	return nil
}

// selectRun returns the streams a run works on: those opts.Stream and
// opts.Event select (every stream when both are empty).
func (r *runner) selectRun(opts RunOptions) ([]*stream, error) {
	sel, err := selectStreams(r.streams, opts.Stream)
	if err != nil {
		return nil, fmt.Errorf("platform %s: %w", r.p.name, err)
	}
	if opts.Event == "" {
		return sel, nil
	}
	nodes := make([]ingestNode, len(r.streams))
	for i, s := range r.streams {
		nodes[i] = ingestNode{node: s.node, capture: s.capture}
	}
	names, err := eventStreams(r.p.name, nodes, opts.Event)
	if err != nil {
		return nil, err
	}
	var out []*stream
	for _, s := range sel {
		if slices.Contains(names, s.name) {
			out = append(out, s)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("platform %s: stream %s is not triggered by event %q (it runs %s): leave out the stream or the event",
			r.p.name, safetext.Line(opts.Stream), safetext.Line(opts.Event), strings.Join(names, ", "))
	}
	return out, nil
}
