package sqlplatform

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"github.com/datasurface/datasurface-go/ecosystem"
	"github.com/datasurface/datasurface-go/platforms/sqlplatform/dialect"
)

// The merge (docs/SQL_PLATFORM.md, "Milestoning") compares a dataset's
// staging table with its merge table by key hash and occurrence, in set-based
// statements that write only what changed: a batch where 1% of the rows
// changed writes about 1% of the merge table. It runs inside the batch's
// merge transaction, which also holds the COMMITTED mark.
//
// Live (SCD1): the merge table holds the source's current rows; dsl_batch
// is the batch in which a row last changed. A key missing from the snapshot
// is deleted, a changed row is updated in place and takes the batch, an
// unchanged row keeps its batch, and a new key, or one that comes back, is
// inserted.
//
// Forensic (SCD2): every version is kept. A current version has
// dsl_batch_out = LiveBatch. When its key is missing from the snapshot or
// its row changed, it is closed at the last batch in which it was current
// (the previous batch), and a changed or new row opens a version at this
// batch. Nothing is ever deleted.

// merger holds what the statements of one dataset's merge share.
type merger struct {
	d     dialect.Dialect
	ds    *datasetPlan
	batch int64
	// m and s are the quoted merge and staging tables.
	m, s string
}

func (g *merger) q(name string) string { return g.d.QuoteIdent(name) }

// same is the condition that a row of the merge table (m) and one of the
// staging table (alias s) are the same key: the same key hash and the same
// occurrence.
func (g *merger) same(alias string) string {
	return fmt.Sprintf("%s.%s = %s.%s AND %s.%s = %s.%s",
		alias, g.q(colKeyHash), g.m, g.q(colKeyHash), alias, g.q(colOccurrence), g.m, g.q(colOccurrence))
}

// modelColumns returns the quoted model columns, each prefixed by prefix.
func (g *merger) modelColumns(prefix string) []string {
	out := make([]string, len(g.ds.columns))
	for i, c := range g.ds.columns {
		out[i] = prefix + g.q(c.name)
	}
	return out
}

// mergeDataset merges the staged snapshot of ds into its merge table in tx
// and returns what it did. staged is the number of staged rows.
func mergeDataset(ctx context.Context, tx *sql.Tx, d dialect.Dialect, ds *datasetPlan, m ecosystem.Milestoning, batch, staged int64) (Counts, error) {
	g := &merger{d: d, ds: ds, batch: batch, m: d.QuoteIdent(ds.merge), s: d.QuoteIdent(ds.staging)}
	var c Counts
	var err error
	if m == ecosystem.Forensic {
		c, err = g.forensic(ctx, tx)
	} else {
		c, err = g.live(ctx, tx)
	}
	if err != nil {
		return c, fmt.Errorf("merging staging table %s into %s: %w", ds.staging, ds.merge, err)
	}
	c.Read = staged
	c.Unchanged = staged - c.Inserted - c.Updated
	return c, nil
}

// live applies a snapshot to an SCD1 merge table: delete, update, insert.
func (g *merger) live(ctx context.Context, tx *sql.Tx) (Counts, error) {
	var c Counts
	var err error
	b := strconv.FormatInt(g.batch, 10)
	q := g.q
	c.Deleted, err = execCount(ctx, tx, fmt.Sprintf("DELETE FROM %s WHERE NOT EXISTS (SELECT 1 FROM %s s WHERE %s)", g.m, g.s, g.same("s")))
	if err != nil {
		return c, err
	}
	set := make([]string, 0, len(g.ds.columns)+2)
	for _, col := range g.ds.columns {
		set = append(set, q(col.name)+" = s."+q(col.name))
	}
	set = append(set, q(colRowHash)+" = s."+q(colRowHash), q(colBatch)+" = "+b)
	c.Updated, err = execCount(ctx, tx, fmt.Sprintf("UPDATE %s SET %s FROM %s s WHERE %s AND s.%s <> %s.%s",
		g.m, strings.Join(set, ", "), g.s, g.same("s"), q(colRowHash), g.m, q(colRowHash)))
	if err != nil {
		return c, err
	}
	cols := append(g.modelColumns(""), q(colKeyHash), q(colRowHash), q(colOccurrence), q(colBatch))
	vals := append(g.modelColumns("s."), "s."+q(colKeyHash), "s."+q(colRowHash), "s."+q(colOccurrence), b)
	c.Inserted, err = execCount(ctx, tx, fmt.Sprintf("INSERT INTO %s (%s) SELECT %s FROM %s s WHERE NOT EXISTS (SELECT 1 FROM %s WHERE %s)",
		g.m, strings.Join(cols, ", "), strings.Join(vals, ", "), g.s, g.m, g.same("s")))
	return c, err
}

// forensic applies a snapshot to an SCD2 merge table: close the current
// versions of deleted and changed keys at the previous batch, then open a
// version for every staged row without a current version.
func (g *merger) forensic(ctx context.Context, tx *sql.Tx) (Counts, error) {
	var c Counts
	var err error
	q := g.q
	live := strconv.FormatInt(LiveBatch, 10)
	prev := strconv.FormatInt(g.batch-1, 10)
	current := fmt.Sprintf("%s.%s = %s", g.m, q(colBatchOut), live)
	c.Deleted, err = execCount(ctx, tx, fmt.Sprintf("UPDATE %s SET %s = %s WHERE %s AND NOT EXISTS (SELECT 1 FROM %s s WHERE %s)",
		g.m, q(colBatchOut), prev, current, g.s, g.same("s")))
	if err != nil {
		return c, err
	}
	c.Updated, err = execCount(ctx, tx, fmt.Sprintf("UPDATE %s SET %s = %s WHERE %s AND EXISTS (SELECT 1 FROM %s s WHERE %s AND s.%s <> %s.%s)",
		g.m, q(colBatchOut), prev, current, g.s, g.same("s"), q(colRowHash), g.m, q(colRowHash)))
	if err != nil {
		return c, err
	}
	cols := append(g.modelColumns(""), q(colKeyHash), q(colRowHash), q(colOccurrence), q(colBatchIn), q(colBatchOut))
	vals := append(g.modelColumns("s."), "s."+q(colKeyHash), "s."+q(colRowHash), "s."+q(colOccurrence), strconv.FormatInt(g.batch, 10), live)
	opened, err := execCount(ctx, tx, fmt.Sprintf("INSERT INTO %s (%s) SELECT %s FROM %s s WHERE NOT EXISTS (SELECT 1 FROM %s WHERE %s AND %s)",
		g.m, strings.Join(cols, ", "), strings.Join(vals, ", "), g.s, g.m, g.same("s"), current))
	c.Inserted = opened - c.Updated
	return c, err
}

// execCount runs a statement and returns the number of rows it wrote.
func execCount(ctx context.Context, tx *sql.Tx, stmt string) (int64, error) {
	res, err := tx.ExecContext(ctx, stmt)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}
