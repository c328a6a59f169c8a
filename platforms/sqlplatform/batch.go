package sqlplatform

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/datasurface/datasurface-go/platforms/sqlplatform/dialect"
	"github.com/datasurface/datasurface-go/types"
)

// BatchState is where a batch stands (docs/SQL_PLATFORM.md, "Streams and
// batches"). A batch goes STARTED → INGESTED → COMMITTED; only a committed
// batch shows in the merge tables and views.
type BatchState string

// The batch states.
const (
	// Started: the batch is numbered and its snapshot is being staged.
	Started BatchState = "STARTED"
	// Ingested: every dataset is staged and checked; the merge is next.
	Ingested BatchState = "INGESTED"
	// Committed: the merge and this mark were committed in one transaction.
	Committed BatchState = "COMMITTED"
)

// Counts are what a batch did to one dataset, or to all of its datasets.
type Counts struct {
	// Read is the number of rows read from the source.
	Read int64 `json:"read"`
	// Inserted, Updated and Deleted count the keys the merge inserted,
	// changed and removed (live) or closed (forensic); Unchanged the rows
	// the merge left alone, which keep their batch.
	Inserted  int64 `json:"inserted"`
	Updated   int64 `json:"updated"`
	Deleted   int64 `json:"deleted"`
	Unchanged int64 `json:"unchanged"`
	// Bytes approximates the size of the values read: the length of
	// strings and binary values, eight bytes for other values.
	Bytes int64 `json:"bytes"`
}

func (c *Counts) add(o Counts) {
	c.Read += o.Read
	c.Inserted += o.Inserted
	c.Updated += o.Updated
	c.Deleted += o.Deleted
	c.Unchanged += o.Unchanged
	c.Bytes += o.Bytes
}

// Changed reports whether the batch changed any row.
func (c Counts) Changed() bool { return c.Inserted+c.Updated+c.Deleted > 0 }

// batchesTable is the table of batch records in the merge store.
const batchesTable = "dsl_batches"

// batchRecord is one row of dsl_batches: a batch's state, what it needs to
// resume and its metrics.
type batchRecord struct {
	stream   string
	batch    int64
	state    BatchState
	attempts int64
	// datasets holds each dataset's schema fingerprint, staged row count
	// and counts, as JSON in the store.
	datasets []datasetRecord
	counts   Counts
	// started, ingested, committed and updated are UTC times; zero when
	// the batch has not reached the state.
	started, ingested, committed, updated time.Time
	stageTime, mergeTime                  time.Duration
	// errText is the last error of an uncommitted batch, "" when none.
	errText string
}

// datasetRecord is what a batch records per dataset.
type datasetRecord struct {
	Name        string `json:"name"`
	Fingerprint string `json:"fingerprint"`
	// Staged is the number of rows in the staging table once INGESTED.
	Staged int64 `json:"staged"`
	// WatermarkFrom is the bound a watermark batch read from ("" for every
	// row) and WatermarkHigh the highest watermark read by this batch or an
	// earlier one (see watermark.go), as text.
	WatermarkFrom string `json:"watermark_from,omitempty"`
	WatermarkHigh string `json:"watermark_high,omitempty"`
	// ChangeFrom and ChangeTo are a CDC batch's window of sequences (after
	// ChangeFrom, up to ChangeTo; no ChangeFrom for the first batch), and
	// StagedDeletes the number of keys it deletes (see cdc.go).
	ChangeFrom    *int64 `json:"change_from,omitempty"`
	ChangeTo      *int64 `json:"change_to,omitempty"`
	StagedDeletes int64  `json:"staged_deletes,omitempty"`
	// MirroredBatch is, on a mirror, the primary's latest committed batch
	// of the stream when this batch read its state (see mirror.go).
	MirroredBatch int64 `json:"mirrored_batch,omitempty"`
	Counts
}

// batchColumns are dsl_batches' columns, in the order the code reads and
// writes them; the first two are the primary key.
var batchColumns = []string{
	"stream", "batch", "state", "attempts", "datasets",
	"rows_read", "rows_inserted", "rows_updated", "rows_deleted", "rows_unchanged", "bytes_read",
	"started_at", "ingested_at", "committed_at", "updated_at", "stage_ms", "merge_ms", "error",
}

// timeLayout writes times as fixed-width UTC text, which sorts as time.
const timeLayout = "2006-01-02T15:04:05.000000Z"

// ensureBookkeeping creates the platform's own tables, dsl_batches,
// dsl_views and dsl_events (trigger.go), when they are missing, and checks
// them when they exist. Two processes may race to create them; the loser
// finds them made.
func ensureBookkeeping(ctx context.Context, db *sql.DB, d dialect.Dialect) error {
	text, err := d.ColumnType(types.MustParse("varchar"))
	if err != nil {
		return err
	}
	n := d.BatchType()
	batches := tableSpec{name: batchesTable}
	for _, c := range batchColumns {
		col := column{name: c, ddl: n, notNull: true, platform: true}
		switch c {
		case "stream", "state", "datasets", "started_at", "updated_at":
			col.ddl = text
		case "ingested_at", "committed_at", "error":
			col.ddl, col.notNull = text, false
		}
		batches.columns = append(batches.columns, col)
	}
	views := tableSpec{name: viewsTable, columns: []column{
		{name: "name", ddl: text, notNull: true, platform: true},
		{name: "stream", ddl: text, notNull: true, platform: true},
		{name: "hash", ddl: text, notNull: true, platform: true},
	}}
	for _, spec := range []struct {
		t   tableSpec
		key string
	}{{batches, "stream, batch"}, {views, "name"}, {eventsSpec(text, n), "stream, id"}} {
		phys, err := d.TableColumns(ctx, db, spec.t.name)
		if err != nil {
			return fmt.Errorf("reading table %s of the merge store: %w", spec.t.name, err)
		}
		if phys == nil {
			stmt := strings.TrimSuffix(createTable(d, spec.t), ")") + ", PRIMARY KEY (" + quoteList(d, strings.Split(spec.key, ", ")) + "))"
			if _, err := db.ExecContext(ctx, stmt); err != nil {
				if phys, again := d.TableColumns(ctx, db, spec.t.name); again != nil || phys == nil {
					return fmt.Errorf("creating table %s in the merge store: %w", spec.t.name, err)
				}
			}
			continue
		}
		have := map[string]bool{}
		for _, c := range phys {
			have[strings.ToLower(c.Name)] = true
		}
		for _, c := range spec.t.columns {
			if !have[c.name] {
				return &schemaError{msg: fmt.Sprintf("the merge store's table %s has no column %s: it was not made by this version of the platform; point the platform at another store, or rename the table", spec.t.name, c.name)}
			}
		}
	}
	return nil
}

func quoteList(d dialect.Dialect, names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = d.QuoteIdent(n)
	}
	return strings.Join(q, ", ")
}

func placeholders(d dialect.Dialect, from, n int) string {
	p := make([]string, n)
	for i := range p {
		p[i] = d.Placeholder(from + i)
	}
	return strings.Join(p, ", ")
}

// values returns the record's column values in batchColumns order.
func (r *batchRecord) values() ([]any, error) {
	ds, err := json.Marshal(r.datasets)
	if err != nil {
		return nil, err
	}
	var errText any
	if r.errText != "" {
		errText = r.errText
	}
	return []any{
		r.stream, r.batch, string(r.state), r.attempts, string(ds),
		r.counts.Read, r.counts.Inserted, r.counts.Updated, r.counts.Deleted, r.counts.Unchanged, r.counts.Bytes,
		formatTime(r.started), nullTime(r.ingested), nullTime(r.committed), formatTime(r.updated),
		r.stageTime.Milliseconds(), r.mergeTime.Milliseconds(), errText,
	}, nil
}

func formatTime(t time.Time) string { return t.UTC().Format(timeLayout) }

func nullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return formatTime(t)
}

// insertBatch writes a new batch record.
func insertBatch(ctx context.Context, q dialect.Querier, d dialect.Dialect, r *batchRecord) error {
	vals, err := r.values()
	if err != nil {
		return err
	}
	stmt := "INSERT INTO " + d.QuoteIdent(batchesTable) + " (" + quoteList(d, batchColumns) + ") VALUES (" + placeholders(d, 1, len(batchColumns)) + ")"
	if _, err := q.ExecContext(ctx, stmt, vals...); err != nil {
		return fmt.Errorf("recording batch %d of stream %s: %w", r.batch, r.stream, err)
	}
	return nil
}

// updateBatch rewrites a batch record. It fails when the record is gone
// (reset by another process), so a batch never commits unrecorded.
func updateBatch(ctx context.Context, q dialect.Querier, d dialect.Dialect, r *batchRecord) error {
	vals, err := r.values()
	if err != nil {
		return err
	}
	set := make([]string, 0, len(batchColumns)-2)
	for i, c := range batchColumns[2:] {
		set = append(set, d.QuoteIdent(c)+" = "+d.Placeholder(i+1))
	}
	n := len(set)
	stmt := "UPDATE " + d.QuoteIdent(batchesTable) + " SET " + strings.Join(set, ", ") +
		" WHERE " + d.QuoteIdent("stream") + " = " + d.Placeholder(n+1) + " AND " + d.QuoteIdent("batch") + " = " + d.Placeholder(n+2)
	res, err := q.ExecContext(ctx, stmt, append(vals[2:], r.stream, r.batch)...)
	if err != nil {
		return fmt.Errorf("recording batch %d of stream %s: %w", r.batch, r.stream, err)
	}
	if n, err := res.RowsAffected(); err == nil && n != 1 {
		return fmt.Errorf("batch %d of stream %s is no longer recorded in the store (was it reset while running?): run again", r.batch, r.stream)
	}
	return nil
}

// latestBatch returns the stream's batch with the highest number, or nil.
func latestBatch(ctx context.Context, q dialect.Querier, d dialect.Dialect, stream string) (*batchRecord, error) {
	stmt := "SELECT " + quoteList(d, batchColumns) + " FROM " + d.QuoteIdent(batchesTable) +
		" WHERE " + d.QuoteIdent("stream") + " = " + d.Placeholder(1) + " ORDER BY " + d.QuoteIdent("batch") + " DESC LIMIT 1"
	recs, err := queryBatches(ctx, q, stmt, stream)
	if err != nil || len(recs) == 0 {
		return nil, err
	}
	return recs[0], nil
}

// lastCommitted returns the stream's latest committed batch, or nil.
func lastCommitted(ctx context.Context, q dialect.Querier, d dialect.Dialect, stream string) (*batchRecord, error) {
	stmt := "SELECT " + quoteList(d, batchColumns) + " FROM " + d.QuoteIdent(batchesTable) +
		" WHERE " + d.QuoteIdent("stream") + " = " + d.Placeholder(1) + " AND " + d.QuoteIdent("state") + " = " + d.Placeholder(2) +
		" ORDER BY " + d.QuoteIdent("batch") + " DESC LIMIT 1"
	recs, err := queryBatches(ctx, q, stmt, stream, string(Committed))
	if err != nil || len(recs) == 0 {
		return nil, err
	}
	return recs[0], nil
}

// queryBatches reads batch records.
func queryBatches(ctx context.Context, q dialect.Querier, stmt string, args ...any) ([]*batchRecord, error) {
	rows, err := q.QueryContext(ctx, stmt, args...)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", batchesTable, err)
	}
	defer rows.Close()
	var out []*batchRecord
	for rows.Next() {
		var r batchRecord
		var state, ds, started, updated string
		var ingested, committed, errText sql.NullString
		var stageMS, mergeMS int64
		if err := rows.Scan(&r.stream, &r.batch, &state, &r.attempts, &ds,
			&r.counts.Read, &r.counts.Inserted, &r.counts.Updated, &r.counts.Deleted, &r.counts.Unchanged, &r.counts.Bytes,
			&started, &ingested, &committed, &updated, &stageMS, &mergeMS, &errText); err != nil {
			return nil, fmt.Errorf("reading %s: %w", batchesTable, err)
		}
		r.state = BatchState(state)
		if err := json.Unmarshal([]byte(ds), &r.datasets); err != nil {
			return nil, fmt.Errorf("reading %s: batch %d of stream %s: datasets: %w", batchesTable, r.batch, r.stream, err)
		}
		r.started, r.updated = parseTime(started), parseTime(updated)
		r.ingested, r.committed = parseTime(ingested.String), parseTime(committed.String)
		r.stageTime, r.mergeTime = time.Duration(stageMS)*time.Millisecond, time.Duration(mergeMS)*time.Millisecond
		r.errText = errText.String
		out = append(out, &r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reading %s: %w", batchesTable, err)
	}
	return out, nil
}

func parseTime(s string) time.Time {
	t, err := time.Parse(timeLayout, s)
	if err != nil {
		return time.Time{}
	}
	return t
}

// deleteBatch removes an uncommitted batch record (Reset).
func deleteBatch(ctx context.Context, q dialect.Querier, d dialect.Dialect, stream string, batch int64) error {
	stmt := "DELETE FROM " + d.QuoteIdent(batchesTable) + " WHERE " + d.QuoteIdent("stream") + " = " + d.Placeholder(1) +
		" AND " + d.QuoteIdent("batch") + " = " + d.Placeholder(2) + " AND " + d.QuoteIdent("state") + " <> " + d.Placeholder(3)
	res, err := q.ExecContext(ctx, stmt, stream, batch, string(Committed))
	if err != nil {
		return fmt.Errorf("discarding batch %d of stream %s: %w", batch, stream, err)
	}
	if n, err := res.RowsAffected(); err == nil && n != 1 {
		return errors.New("the batch committed meanwhile")
	}
	return nil
}
