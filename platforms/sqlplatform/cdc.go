package sqlplatform

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/datasurface/datasurface-go/ecosystem"
	"github.com/datasurface/datasurface-go/internal/safetext"
	"github.com/datasurface/datasurface-go/platforms/sqlplatform/dialect"
	"github.com/datasurface/datasurface-go/platforms/sqlplatform/value"
	"github.com/datasurface/datasurface-go/types"
)

// CDC capture (docs/SQL_PLATFORM.md, "Change data capture"): the source
// keeps, for each dataset D, a change table D_changes with the dataset's
// columns plus dsl_op (the operation) and dsl_seq (a sequence, monotone in
// commit order across all the store's change tables). A batch takes the
// window of changes after the last committed batch's up to the highest
// sequence in any of the store's change tables when it starts, keeps the
// last change of each key, and applies it: an insert or update is upserted
// like a watermark row (an update equal to the current row changes
// nothing), a delete removes the key (live) or closes its version
// (forensic), and a delete of a key the merge table does not hold does
// nothing. The window is kept in the batch record, so a batch redone after
// a crash takes the same window.

// The change table's own columns.
const (
	changeOpColumn  = "dsl_op"
	changeSeqColumn = "dsl_seq"
)

// changeOps maps the operation codes a change table may hold, lower-cased,
// to the three operations: the platform's own (i, u, d), their long names,
// and Debezium's (c for create, r for a snapshot read).
var changeOps = map[string]string{
	"i": "insert", "insert": "insert", "c": "insert", "r": "insert",
	"u": "update", "update": "update",
	"d": "delete", "delete": "delete",
}

// deleteCodes are the codes of deletes, for the source queries.
var deleteCodes = []string{"d", "delete"}

// changeTableName is the change table of a dataset.
func changeTableName(dataset string) string { return dataset + "_changes" }

// isCDC reports whether a stream's capture is a change data capture.
func isCDC(c *ecosystem.Capture) bool { return c != nil && c.Kind == ecosystem.CDC }

// changeWindow is the window of sequences a CDC batch takes: after from,
// up to and including to.
type changeWindow struct {
	from, to int64
	// started says a committed batch set from; the first batch takes
	// every change up to to.
	started bool
}

// deletesTable names the scratch table of the keys a CDC batch deletes,
// beside the staging table (like the staging table's indexes).
func deletesTable(ds *datasetPlan) string { return indexName(ds.staging, "deletes") }

// changeWindowOf computes the batch's window: from the latest committed
// batch's end to the highest sequence in the store's change tables, read
// through q (the batch's read transaction). It is an error when a change
// table lacks the sequence or operation column.
func (b *batchRun) changeWindowOf(ctx context.Context, src *Source, q dialect.Querier) (*changeWindow, error) {
	w := &changeWindow{}
	st := b.r.st
	last, err := lastCommitted(ctx, st.db, st.d, b.s.name)
	if err != nil {
		return nil, err
	}
	if last != nil {
		for _, dr := range last.datasets {
			if dr.ChangeTo != nil {
				w.from, w.started = *dr.ChangeTo, true
			}
		}
	}
	w.to = w.from
	// Every change table of the store, not only this stream's: one
	// sequence orders them all, and the window must not end before a
	// change another stream of the store has already taken.
	var names []string
	if s := b.s.store.Store; s != nil {
		for _, ds := range s.Datasets {
			names = append(names, ds.Name)
		}
	}
	for _, name := range names {
		table, _, err := changeTable(ctx, src, q, name)
		if err != nil {
			return nil, err
		}
		var hi sql.NullInt64
		stmt := fmt.Sprintf("SELECT MAX(%s) FROM %s", src.Dialect.QuoteIdent(changeSeqColumn), src.Dialect.QuoteIdent(table))
		if err := q.QueryRowContext(ctx, stmt).Scan(&hi); err != nil {
			return nil, fmt.Errorf("reading the highest %s of change table %s of source %s: %w", changeSeqColumn, safetext.Line(table), src.Where, err)
		}
		if hi.Valid && hi.Int64 > w.to {
			w.to = hi.Int64
		}
	}
	return w, nil
}

// changeTable finds the change table of a dataset at the source (as
// sourceTable finds a table: the exact name, or lower-cased) and checks
// that it has the operation and sequence columns.
func changeTable(ctx context.Context, src *Source, q dialect.Querier, dataset string) (string, []dialect.PhysicalColumn, error) {
	table := changeTableName(dataset)
	phys, err := src.Dialect.TableColumns(ctx, q, table)
	if err == nil && phys == nil && strings.ToLower(table) != table {
		table = strings.ToLower(table)
		phys, err = src.Dialect.TableColumns(ctx, q, table)
	}
	if err != nil {
		return "", nil, fmt.Errorf("reading the catalogue of source %s: %w", src.Where, err)
	}
	if phys == nil {
		return "", nil, fmt.Errorf("source %s has no change table %q for dataset %s: a cdc capture reads D_changes, with the dataset's columns, %s and %s (docs/SQL_PLATFORM.md, \"Change data capture\")",
			src.Where, safetext.Line(changeTableName(dataset)), safetext.Line(dataset), changeOpColumn, changeSeqColumn)
	}
	for _, want := range []string{changeOpColumn, changeSeqColumn} {
		if !slices.ContainsFunc(phys, func(p dialect.PhysicalColumn) bool { return strings.EqualFold(p.Name, want) }) {
			return "", nil, fmt.Errorf("change table %s of source %s has no column %s: add it (%s: the operation, i/u/d; %s: a sequence monotone in commit order)",
				safetext.Line(table), src.Where, want, changeOpColumn, changeSeqColumn)
		}
	}
	return table, phys, nil
}

// changesSubquery is the source query of the last change of each key of a
// dataset in the window: the change table's rows with their rank per key,
// newest first.
func changesSubquery(src *Source, table string, keyCols []string, w *changeWindow) (string, []any) {
	sq := src.Dialect.QuoteIdent
	keys := make([]string, len(keyCols))
	for i, k := range keyCols {
		keys[i] = sq(k)
	}
	where, args := windowCondition(src, w)
	return fmt.Sprintf("(SELECT t.*, ROW_NUMBER() OVER (PARTITION BY %s ORDER BY %s DESC) AS dsl_rank FROM %s t WHERE %s) x",
		strings.Join(keys, ", "), sq(changeSeqColumn), sq(table), where), args
}

// windowCondition is the condition that a change is in the window, with
// its arguments in the order of their placeholders ("?" is positional).
func windowCondition(src *Source, w *changeWindow) (string, []any) {
	sq := src.Dialect.QuoteIdent
	if w.started {
		return fmt.Sprintf("%s > %s AND %s <= %s", sq(changeSeqColumn), src.Dialect.Placeholder(1), sq(changeSeqColumn), src.Dialect.Placeholder(2)), []any{w.from, w.to}
	}
	return fmt.Sprintf("%s <= %s", sq(changeSeqColumn), src.Dialect.Placeholder(1)), []any{w.to}
}

// opIsDelete is the condition that a change (of subquery x) is a delete.
func opIsDelete(src *Source) string {
	return fmt.Sprintf("LOWER(x.%s) IN ('%s')", src.Dialect.QuoteIdent(changeOpColumn), strings.Join(deleteCodes, "', '"))
}

// checkChangeOps refuses a window holding an operation code the platform
// does not know, naming the code and a sequence where it occurs. It reads
// the window's rows directly (through the sequence's index), not ranked:
// every change of the window must be one the platform can apply.
func checkChangeOps(ctx context.Context, src *Source, q dialect.Querier, table string, w *changeWindow) error {
	known := make([]string, 0, len(changeOps))
	for code := range changeOps {
		known = append(known, code)
	}
	slices.Sort(known)
	sq := src.Dialect.QuoteIdent
	where, args := windowCondition(src, w)
	stmt := fmt.Sprintf("SELECT %s, %s FROM %s WHERE %s AND (%s IS NULL OR LOWER(%s) NOT IN ('%s')) ORDER BY %s LIMIT 1",
		sq(changeOpColumn), sq(changeSeqColumn), sq(table), where, sq(changeOpColumn), sq(changeOpColumn), strings.Join(known, "', '"), sq(changeSeqColumn))
	var op sql.NullString
	var seq int64
	err := q.QueryRowContext(ctx, stmt, args...).Scan(&op, &seq)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil
	case err != nil:
		return fmt.Errorf("reading the operations of change table %s of source %s: %w", safetext.Line(table), src.Where, err)
	}
	shown := "NULL"
	if op.Valid {
		shown = value.Show(op.String)
	}
	return fmt.Errorf("change table %s of source %s: the change at %s %d has operation %s, which is not one the platform knows: want i, u or d (insert, update, delete; Debezium's c, r, u, d work too): fix the change, or reset the batch once the table is fixed",
		safetext.Line(table), src.Where, changeSeqColumn, seq, safetext.Line(shown))
}

// deleteRows is the RowSource of the keys a CDC batch deletes: it reads the
// key columns of the last change of each deleted key, decodes and hashes
// them, and gives the key hash and occurrence 1.
type deleteRows struct {
	rows     *sql.Rows
	src      dialect.Dialect
	store    dialect.Dialect
	keyTypes []types.Type
	keyNames []string
	raw      []any
	scan     []any
	canon    []any
	out      []any
	n        int64
	err      error
}

func newDeleteRows(rows *sql.Rows, src, store dialect.Dialect, ds *datasetPlan) *deleteRows {
	r := &deleteRows{rows: rows, src: src, store: store}
	for _, k := range ds.key {
		r.keyTypes = append(r.keyTypes, ds.columns[k].typ)
		r.keyNames = append(r.keyNames, ds.columns[k].name)
	}
	r.raw = make([]any, len(ds.key))
	r.scan = make([]any, len(ds.key))
	r.canon = make([]any, len(ds.key))
	for i := range r.raw {
		r.scan[i] = &r.raw[i]
	}
	return r
}

func (r *deleteRows) Next() bool {
	if r.err != nil || !r.rows.Next() {
		if r.err == nil {
			r.err = r.rows.Err()
		}
		return false
	}
	if err := r.rows.Scan(r.scan...); err != nil {
		r.err = fmt.Errorf("reading deleted key %d: %w", r.n+1, err)
		return false
	}
	for i, raw := range r.raw {
		v, err := r.src.Decode(r.keyTypes[i], raw)
		if err != nil {
			r.err = fmt.Errorf("column %s of deleted key %d: %w", r.keyNames[i], r.n+1, err)
			return false
		}
		if v == nil {
			r.err = fmt.Errorf("column %s of deleted key %d is NULL, but a key column identifies the row: the delete must carry its key", r.keyNames[i], r.n+1)
			return false
		}
		r.canon[i] = v
	}
	h := value.KeyHash(r.keyTypes, r.canon)
	// Fresh storage for every row: a loader may keep the values of the
	// rows of one statement (SQLite's multi-row INSERT).
	r.out = []any{h[:], int64(1)}
	r.n++
	return true
}

func (r *deleteRows) Values() []any { return r.out }
func (r *deleteRows) Err() error    { return r.err }

// stageDeletes loads the keys the window deletes into the dataset's
// deletes table, in tx (the staging transaction), and returns how many.
func (b *batchRun) stageDeletes(ctx context.Context, tx *dialect.Tx, src *Source, q dialect.Querier, table string, keyCols []string, ds *datasetPlan) (int64, error) {
	d := b.r.st.d
	dt := d.QuoteIdent(deletesTable(ds))
	if err := b.r.ddl(ctx, tx, "DROP TABLE IF EXISTS "+dt); err != nil {
		return 0, err
	}
	create := fmt.Sprintf("%s %s (%s %s NOT NULL, %s %s NOT NULL)", d.CreateScratchTable(), dt,
		d.QuoteIdent(colKeyHash), d.HashType(), d.QuoteIdent(colOccurrence), d.BatchType())
	if err := b.r.ddl(ctx, tx, create); err != nil {
		return 0, err
	}
	sub, args := changesSubquery(src, table, keyCols, b.window)
	sel := make([]string, len(keyCols))
	for i, k := range keyCols {
		sel[i] = "x." + src.Dialect.QuoteIdent(k)
	}
	rows, err := q.QueryContext(ctx, fmt.Sprintf("SELECT %s FROM %s WHERE x.dsl_rank = 1 AND %s", strings.Join(sel, ", "), sub, opIsDelete(src)), args...)
	if err != nil {
		return 0, fmt.Errorf("reading the deletes of change table %s of source %s: %w", safetext.Line(table), src.Where, err)
	}
	defer rows.Close()
	dr := newDeleteRows(rows, src.Dialect, d, ds)
	n, err := d.BulkLoad(ctx, tx, deletesTable(ds), []string{colKeyHash, colOccurrence}, dr)
	if dr.err != nil {
		return 0, dr.err
	}
	if err != nil {
		return 0, fmt.Errorf("loading the deletes of %s: %w", ds.name, err)
	}
	return n, nil
}
