package sqlplatform

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/datasurface/datasurface-go/ecosystem"
	"github.com/datasurface/datasurface-go/internal/safetext"
	"github.com/datasurface/datasurface-go/platforms/sqlplatform/dialect"
)

// An exact mirror (docs/SQL_PLATFORM.md, "Mirrors"): a forensic mirror of a
// forensic primary keeps the primary's merge tables exactly (every
// version, its hashes, its occurrence and the primary's batch columns), so
// that "as of batch N" means the same on both. Each of its batches copies
// the primary's committed merge table whole into a scratch table, then, in
// the merge transaction, replaces its own merge table's rows with them.
// A batch costs the table's size; it runs only when the primary committed
// a batch since the last one.

// exactMirror reports whether the batch copies the primary's versions
// exactly rather than its current rows.
func (b *batchRun) exactMirror() bool {
	return b.primary != nil && b.primary.set.milestoning == ecosystem.Forensic && b.r.p.set.milestoning == ecosystem.Forensic
}

// copyColumns are the columns an exact mirror copies: the model's, then
// the platform's columns of a forensic merge table.
func copyColumns(ds *datasetPlan) []string {
	return append(ds.columnNames(), colKeyHash, colRowHash, colOccurrence, colBatchIn, colBatchOut)
}

// stageExact copies the primary's forensic merge table of ds, every
// version, into the dataset's staging table (declared like the mirror's
// merge table), read through q, the batch's read transaction on the
// primary's store.
func (b *batchRun) stageExact(ctx context.Context, src *Source, q dialect.Querier, ds *datasetPlan, rec datasetRecord) (datasetRecord, error) {
	d := b.r.st.d
	table := MergeTableName(src.Dialect, b.s.node.Store, ds.name)
	cols := copyColumns(ds)
	sel := make([]string, len(cols))
	for i, c := range cols {
		sel[i] = src.Dialect.QuoteIdent(c)
	}
	rows, err := q.QueryContext(ctx, "SELECT "+strings.Join(sel, ", ")+" FROM "+src.Dialect.QuoteIdent(table))
	if err != nil {
		return rec, fmt.Errorf("reading table %s of %s: %w", safetext.Line(table), src.Where, err)
	}
	defer rows.Close()
	tx, err := dialect.BeginTx(ctx, b.r.st.db, nil)
	if err != nil {
		return rec, err
	}
	defer func() { _ = tx.Rollback() }()
	spec := mergeSpec(d, ds, ecosystem.Forensic)
	spec.name, spec.indexes, spec.options = ds.staging, nil, ""
	if err := b.r.ddl(ctx, tx, "DROP TABLE IF EXISTS "+d.QuoteIdent(ds.staging)); err != nil {
		return rec, err
	}
	if err := b.r.ddl(ctx, tx, d.CreateScratchTable()+strings.TrimPrefix(createTable(d, spec), "CREATE TABLE")); err != nil {
		return rec, err
	}
	cr := &copyRows{rows: rows, src: src.Dialect, store: d, ds: ds, n: len(cols)}
	n, err := d.BulkLoad(ctx, tx, ds.staging, cols, cr)
	if cr.err != nil {
		return rec, cr.err
	}
	if err != nil {
		return rec, fmt.Errorf("copying %s: %w", table, err)
	}
	if err := tx.Commit(); err != nil {
		return rec, err
	}
	rec.Staged, rec.Read = n, n
	return rec, nil
}

// copyRows is the RowSource of an exact copy: model values decoded with the
// primary's dialect and encoded with the mirror's, the platform's columns
// (hashes, numbers) as they are.
type copyRows struct {
	rows       *sql.Rows
	src, store dialect.Dialect
	ds         *datasetPlan
	n          int
	out        []any
	err        error
	row        int64
}

func (c *copyRows) Next() bool {
	if c.err != nil || !c.rows.Next() {
		if c.err == nil {
			c.err = c.rows.Err()
		}
		return false
	}
	raw := make([]any, c.n)
	ptrs := make([]any, c.n)
	for i := range raw {
		ptrs[i] = &raw[i]
	}
	if err := c.rows.Scan(ptrs...); err != nil {
		c.err = err
		return false
	}
	c.row++
	// Fresh storage for every row: a loader may keep a statement's rows.
	out := make([]any, c.n)
	for i, col := range c.ds.columns {
		if raw[i] == nil {
			continue
		}
		v, err := c.src.Decode(col.typ, raw[i])
		if err == nil {
			out[i], err = c.store.Encode(col.typ, v)
		}
		if err != nil {
			c.err = fmt.Errorf("row %d, column %s: %w", c.row, col.name, err)
			return false
		}
	}
	copy(out[len(c.ds.columns):], raw[len(c.ds.columns):])
	c.out = out
	return true
}

func (c *copyRows) Values() []any { return c.out }
func (c *copyRows) Err() error    { return c.err }

// mergeExact replaces the rows of the mirror's merge table of ds with the
// copy in its staging table, in tx. Its counts are versions: read, the
// versions copied; inserted, the versions the primary added since the last
// copy (a forensic table never loses one); unchanged, the others.
func mergeExact(ctx context.Context, tx *sql.Tx, d dialect.Dialect, ds *datasetPlan) (Counts, error) {
	var c Counts
	q := d.QuoteIdent
	mt, st := q(ds.merge), q(ds.staging)
	var before, after int64
	if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM "+mt).Scan(&before); err != nil {
		return c, err
	}
	if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM "+st).Scan(&after); err != nil {
		return c, err
	}
	cols := copyColumns(ds)
	quoted := make([]string, len(cols))
	for i, col := range cols {
		quoted[i] = q(col)
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM "+mt); err != nil {
		return c, err
	}
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("INSERT INTO %s (%s) SELECT %s FROM %s", mt, strings.Join(quoted, ", "), strings.Join(quoted, ", "), st)); err != nil {
		return c, err
	}
	c.Read = after
	c.Inserted = max(after-before, 0)
	c.Unchanged = after - c.Inserted
	return c, nil
}
