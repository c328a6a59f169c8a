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
// staging table with its merge table by key hash and occurrence, and
// writes only what changed: a batch where 1% of the rows changed writes
// about 1% of the merge table. It runs inside the batch's merge
// transaction, which also holds the COMMITTED mark.
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
//
// How: one full outer join of the staging table with the current rows of
// the merge table, on key hash and occurrence, keeps only the differences
// (a key on one side only, or a different row hash) in a small temporary
// diff table; the statements that write then join the diff table with the
// staging and merge tables through their indexes, so they touch only the
// rows that changed. Each of the two big tables is read once. A merge
// table with no row at all (the first load) takes every staged row
// instead, with its indexes built after the rows are in, which is several
// times faster than maintaining them row by row.

// The kinds of difference in the diff table.
const (
	diffInsert = "I" // a key only in the snapshot: a new row or version
	diffUpdate = "U" // a key on both sides with another row hash
	diffDelete = "D" // a current key missing from the snapshot
)

// merger holds what the statements of one dataset's merge share.
type merger struct {
	d     dialect.Dialect
	ds    *datasetPlan
	m     ecosystem.Milestoning
	batch int64
	// mt, st and dt are the quoted merge, staging and diff tables.
	mt, st, dt string
}

func (g *merger) q(name string) string { return g.d.QuoteIdent(name) }

// diffTable names the temporary diff table of a dataset's merge. It is
// named like the staging table's indexes: scratch of the batch, like them.
func diffTable(ds *datasetPlan) string { return indexName(ds.staging, "diff") }

// modelColumns returns the quoted model columns, each prefixed by prefix.
func (g *merger) modelColumns(prefix string) []string {
	out := make([]string, len(g.ds.columns))
	for i, c := range g.ds.columns {
		out[i] = prefix + g.q(c.name)
	}
	return out
}

// current is the condition that a row of the merge table (alias a) is
// current: every row on a live table, dsl_batch_out = LiveBatch on a
// forensic one.
func (g *merger) current(alias string) string {
	if g.m == ecosystem.Forensic {
		return alias + "." + g.q(colBatchOut) + " = " + strconv.FormatInt(LiveBatch, 10)
	}
	return "1 = 1"
}

// insertColumns returns the merge table's columns a new row is written to,
// and the values that select them from the staging table (alias s).
func (g *merger) insertColumns() (cols, vals []string) {
	q := g.q
	b := strconv.FormatInt(g.batch, 10)
	cols = append(g.modelColumns(""), q(colKeyHash), q(colRowHash), q(colOccurrence))
	vals = append(g.modelColumns("s."), "s."+q(colKeyHash), "s."+q(colRowHash), "s."+q(colOccurrence))
	if g.m == ecosystem.Forensic {
		cols = append(cols, q(colBatchIn), q(colBatchOut))
		vals = append(vals, b, strconv.FormatInt(LiveBatch, 10))
	} else {
		cols = append(cols, q(colBatch))
		vals = append(vals, b)
	}
	return cols, vals
}

// mergeDataset merges the staged snapshot of ds into its merge table in tx
// and returns what it did. staged is the number of staged rows.
func mergeDataset(ctx context.Context, tx *sql.Tx, d dialect.Dialect, ds *datasetPlan, m ecosystem.Milestoning, batch, staged int64) (Counts, error) {
	g := &merger{d: d, ds: ds, m: m, batch: batch,
		mt: d.QuoteIdent(ds.merge), st: d.QuoteIdent(ds.staging), dt: d.QuoteIdent(diffTable(ds))}
	c, err := g.run(ctx, tx, staged)
	if err != nil {
		return c, fmt.Errorf("merging staging table %s into %s: %w", ds.staging, ds.merge, err)
	}
	c.Read = staged
	c.Unchanged = staged - c.Inserted - c.Updated
	return c, nil
}

// run merges: a first load into an empty merge table, or a diff.
func (g *merger) run(ctx context.Context, tx *sql.Tx, staged int64) (Counts, error) {
	if staged > 0 {
		empty, err := g.mergeEmpty(ctx, tx)
		if err != nil {
			return Counts{}, err
		}
		if empty {
			return g.firstLoad(ctx, tx)
		}
	}
	return g.diff(ctx, tx)
}

// mergeEmpty reports whether the merge table has no row at all.
func (g *merger) mergeEmpty(ctx context.Context, tx *sql.Tx) (bool, error) {
	var one int64
	err := tx.QueryRowContext(ctx, "SELECT 1 FROM "+g.mt+" LIMIT 1").Scan(&one)
	if err == sql.ErrNoRows {
		return true, nil
	}
	return false, err
}

// firstLoad fills an empty merge table with every staged row: its indexes
// are dropped, the rows inserted in one statement and the indexes built
// again, all inside the merge transaction.
func (g *merger) firstLoad(ctx context.Context, tx *sql.Tx) (Counts, error) {
	var c Counts
	spec := mergeSpec(g.d, g.ds, g.m)
	for _, name := range mergeIndexNames(g.ds, g.m) {
		if err := mergeDDL(ctx, tx, "DROP INDEX IF EXISTS "+g.q(name)); err != nil {
			return c, err
		}
	}
	cols, vals := g.insertColumns()
	var err error
	c.Inserted, err = execCount(ctx, tx, fmt.Sprintf("INSERT INTO %s (%s) SELECT %s FROM %s s",
		g.mt, strings.Join(cols, ", "), strings.Join(vals, ", "), g.st))
	if err != nil {
		return c, err
	}
	for _, stmt := range spec.indexes {
		if err := mergeDDL(ctx, tx, stmt); err != nil {
			return c, err
		}
	}
	return c, nil
}

// mergeIndexNames are the names of the indexes mergeSpec gives the merge
// table of ds.
func mergeIndexNames(ds *datasetPlan, m ecosystem.Milestoning) []string {
	if m == ecosystem.Forensic {
		return []string{indexName(ds.merge, "version"), indexName(ds.merge, "current")}
	}
	return []string{indexName(ds.merge, "key")}
}

// diff computes the differences into the diff table, applies them and
// drops the diff table.
func (g *merger) diff(ctx context.Context, tx *sql.Tx) (Counts, error) {
	var c Counts
	if err := mergeDDL(ctx, tx, "DROP TABLE IF EXISTS "+g.dt); err != nil {
		return c, err
	}
	if err := mergeDDL(ctx, tx, "CREATE TEMPORARY TABLE "+g.dt+" AS "+g.diffQuery()); err != nil {
		return c, err
	}
	n, err := g.diffCounts(ctx, tx)
	if err != nil {
		return c, err
	}
	if n[diffInsert]+n[diffUpdate]+n[diffDelete] > 0 {
		if g.m == ecosystem.Forensic {
			c, err = g.applyForensic(ctx, tx, n)
		} else {
			c, err = g.applyLive(ctx, tx, n)
		}
		if err != nil {
			return c, err
		}
	}
	return c, mergeDDL(ctx, tx, "DROP TABLE "+g.dt)
}

// diffQuery selects the differences between the staging table and the
// current rows of the merge table: kind, key hash and occurrence.
func (g *merger) diffQuery() string {
	q := g.q
	kh, occ, rh := q(colKeyHash), q(colOccurrence), q(colRowHash)
	if g.d.HashJoins() {
		// One full join, each table read once; the merge table's side is
		// cut to the three columns the join needs before it is joined,
		// so the hash table holds only those.
		return fmt.Sprintf("SELECT CASE WHEN m.k IS NULL THEN '%[1]s' WHEN s.%[4]s IS NULL THEN '%[2]s' ELSE '%[3]s' END AS kind, "+
			"COALESCE(s.%[4]s, m.k) AS %[4]s, COALESCE(s.%[5]s, m.o) AS %[5]s "+
			"FROM %[7]s s FULL JOIN (SELECT %[4]s AS k, %[5]s AS o, %[6]s AS r FROM %[8]s m WHERE %[9]s) m ON s.%[4]s = m.k AND s.%[5]s = m.o "+
			"WHERE m.k IS NULL OR s.%[4]s IS NULL OR s.%[6]s <> m.r",
			diffInsert, diffDelete, diffUpdate, kh, occ, rh, g.st, g.mt, g.current("m"))
	}
	// A database that joins row by row through indexes (SQLite) would
	// run the full join in quadratic time: the staged rows new or changed
	// (through the merge table's key index), then the current rows
	// missing from the snapshot (through the staging table's).
	return fmt.Sprintf("SELECT CASE WHEN m.%[4]s IS NULL THEN '%[1]s' ELSE '%[3]s' END AS kind, s.%[4]s AS %[4]s, s.%[5]s AS %[5]s "+
		"FROM %[7]s s LEFT JOIN %[8]s m ON m.%[4]s = s.%[4]s AND m.%[5]s = s.%[5]s AND %[9]s "+
		"WHERE m.%[4]s IS NULL OR m.%[6]s <> s.%[6]s "+
		"UNION ALL SELECT '%[2]s', m.%[4]s, m.%[5]s FROM %[8]s m WHERE %[9]s AND NOT EXISTS (SELECT 1 FROM %[7]s s WHERE s.%[4]s = m.%[4]s AND s.%[5]s = m.%[5]s)",
		diffInsert, diffDelete, diffUpdate, kh, occ, rh, g.st, g.mt, g.current("m"))
}

// diffCounts counts the rows of the diff table by kind.
func (g *merger) diffCounts(ctx context.Context, tx *sql.Tx) (map[string]int64, error) {
	rows, err := tx.QueryContext(ctx, "SELECT kind, COUNT(*) FROM "+g.dt+" GROUP BY kind")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	n := map[string]int64{}
	for rows.Next() {
		var kind string
		var count int64
		if err := rows.Scan(&kind, &count); err != nil {
			return nil, err
		}
		n[kind] = count
	}
	return n, rows.Err()
}

// keysOf is the subquery of the diff table's keys of the given kinds.
func (g *merger) keysOf(kinds ...string) string {
	return fmt.Sprintf("SELECT %s, %s FROM %s WHERE kind IN ('%s')", g.q(colKeyHash), g.q(colOccurrence), g.dt, strings.Join(kinds, "', '"))
}

// insertFromDiff inserts the staged rows of the diff table's keys of the
// given kinds as new rows (live) or new current versions (forensic).
func (g *merger) insertFromDiff(ctx context.Context, tx *sql.Tx, kinds ...string) (int64, error) {
	q := g.q
	cols, vals := g.insertColumns()
	return execCount(ctx, tx, fmt.Sprintf("INSERT INTO %s (%s) SELECT %s FROM %s s WHERE (s.%s, s.%s) IN (%s)",
		g.mt, strings.Join(cols, ", "), strings.Join(vals, ", "), g.st, q(colKeyHash), q(colOccurrence), g.keysOf(kinds...)))
}

// applyLive deletes, updates and inserts the differences in an SCD1 merge
// table.
func (g *merger) applyLive(ctx context.Context, tx *sql.Tx, n map[string]int64) (Counts, error) {
	var c Counts
	var err error
	q := g.q
	kh, occ := q(colKeyHash), q(colOccurrence)
	if n[diffDelete] > 0 {
		if c.Deleted, err = execCount(ctx, tx, fmt.Sprintf("DELETE FROM %s WHERE (%s, %s) IN (%s)", g.mt, kh, occ, g.keysOf(diffDelete))); err != nil {
			return c, err
		}
	}
	if n[diffUpdate] > 0 {
		set := make([]string, 0, len(g.ds.columns)+2)
		for _, col := range g.ds.columns {
			set = append(set, q(col.name)+" = s."+q(col.name))
		}
		set = append(set, q(colRowHash)+" = s."+q(colRowHash), q(colBatch)+" = "+strconv.FormatInt(g.batch, 10))
		if c.Updated, err = execCount(ctx, tx, fmt.Sprintf("UPDATE %s SET %s FROM %s s WHERE (s.%s, s.%s) IN (%s) AND s.%s = %s.%s AND s.%s = %s.%s",
			g.mt, strings.Join(set, ", "), g.st, kh, occ, g.keysOf(diffUpdate), kh, g.mt, kh, occ, g.mt, occ)); err != nil {
			return c, err
		}
	}
	if n[diffInsert] > 0 {
		if c.Inserted, err = g.insertFromDiff(ctx, tx, diffInsert); err != nil {
			return c, err
		}
	}
	return c, g.check(c, n)
}

// applyForensic closes the current versions of deleted and changed keys at
// the previous batch, then opens a version for every changed or new key.
func (g *merger) applyForensic(ctx context.Context, tx *sql.Tx, n map[string]int64) (Counts, error) {
	c := Counts{Deleted: n[diffDelete], Updated: n[diffUpdate], Inserted: n[diffInsert]}
	q := g.q
	if closing := n[diffDelete] + n[diffUpdate]; closing > 0 {
		closed, err := execCount(ctx, tx, fmt.Sprintf("UPDATE %s SET %s = %d WHERE (%s, %s) IN (%s) AND %s",
			g.mt, q(colBatchOut), g.batch-1, q(colKeyHash), q(colOccurrence), g.keysOf(diffDelete, diffUpdate), g.current(g.mt)))
		if err != nil {
			return c, err
		}
		if closed != closing {
			return c, fmt.Errorf("%d current versions closed, but the diff has %d keys deleted or changed: the merge table holds two current versions of a key", closed, closing)
		}
	}
	if opening := n[diffInsert] + n[diffUpdate]; opening > 0 {
		opened, err := g.insertFromDiff(ctx, tx, diffInsert, diffUpdate)
		if err != nil {
			return c, err
		}
		if opened != opening {
			return c, fmt.Errorf("%d versions opened, but the diff has %d keys new or changed", opened, opening)
		}
	}
	return c, nil
}

// check compares what the live statements wrote with the diff: they
// differ only when the merge table holds a key twice, which its unique
// index prevents, or was changed by hand under the merge.
func (g *merger) check(c Counts, n map[string]int64) error {
	if c.Deleted != n[diffDelete] || c.Updated != n[diffUpdate] || c.Inserted != n[diffInsert] {
		return fmt.Errorf("the merge wrote %d deletes, %d updates and %d inserts for a diff of %d, %d and %d: is the merge table's unique index on (%s, %s) missing?",
			c.Deleted, c.Updated, c.Inserted, n[diffDelete], n[diffUpdate], n[diffInsert], colKeyHash, colOccurrence)
	}
	return nil
}

// mergeDDL runs one DDL statement of the merge (the diff table, the
// indexes of a first load), seen by the DDL observer like every other.
func mergeDDL(ctx context.Context, tx *sql.Tx, stmt string) error {
	observeDDL(stmt)
	if _, err := tx.ExecContext(ctx, stmt); err != nil {
		return fmt.Errorf("running %s: %w", stmt, err)
	}
	return nil
}

// execCount runs a statement and returns the number of rows it wrote.
func execCount(ctx context.Context, tx *sql.Tx, stmt string) (int64, error) {
	res, err := tx.ExecContext(ctx, stmt)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}
