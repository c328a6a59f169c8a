package sqlplatform

import (
	"context"
	"database/sql"
	"errors"
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
// How: the staging table is compared with the current rows of the merge
// table once, and only the differences (a key on one side only, or
// another row hash) are kept, with the staged row, in a temporary diff
// table; the statements that write then read the diff table and reach the
// merge table through its key index, so they touch only the rows that
// changed. A merge table with no row at all (the first load) takes every
// staged row instead, with its indexes built after the rows are in, which
// is several times faster than maintaining them row by row.

// The kinds of difference in the diff table.
const (
	diffInsert = 1 // a key only in the snapshot: a new row or version
	diffUpdate = 2 // a key on both sides with another row hash
	diffDelete = 3 // a current key missing from the snapshot
)

// diffKind is the diff table's column of the kind of difference.
const diffKind = "dsl_kind"

// merger holds what the statements of one dataset's merge share.
type merger struct {
	d     dialect.Dialect
	ds    *datasetPlan
	m     ecosystem.Milestoning
	batch int64
	// upsert says the staged rows are changes, not a snapshot (a watermark
	// capture): a key the batch did not stage is left alone, not deleted.
	upsert bool
	// mt, st and dt are the quoted merge, staging and diff tables; del is
	// the quoted deletes table of a CDC batch, "" for none.
	mt, st, dt, del string
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

// rowColumns returns the quoted columns a staged row is copied with: the
// model's, the key hash, the row hash and the occurrence, each prefixed.
func (g *merger) rowColumns(prefix string) []string {
	q := g.q
	return append(g.modelColumns(prefix), prefix+q(colKeyHash), prefix+q(colRowHash), prefix+q(colOccurrence))
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

// insertFrom returns the statement that inserts into the merge table the
// rows of table (alias s) that meet where: new rows (live) or new current
// versions (forensic) of this batch.
func (g *merger) insertFrom(table, where string) string {
	q := g.q
	b := strconv.FormatInt(g.batch, 10)
	cols, vals := g.rowColumns(""), g.rowColumns("s.")
	if g.m == ecosystem.Forensic {
		cols = append(cols, q(colBatchIn), q(colBatchOut))
		vals = append(vals, b, strconv.FormatInt(LiveBatch, 10))
	} else {
		cols = append(cols, q(colBatch))
		vals = append(vals, b)
	}
	return fmt.Sprintf("INSERT INTO %s (%s) SELECT %s FROM %s s WHERE %s", g.mt, strings.Join(cols, ", "), strings.Join(vals, ", "), table, where)
}

// mergeDataset merges the staged rows of ds into its merge table in tx and
// returns what it did. staged is the number of staged rows; upsert says
// they are changes (new and changed rows only) rather than a snapshot;
// deletes names a table of key hashes to delete (a CDC batch's), "" for
// none.
func mergeDataset(ctx context.Context, tx *sql.Tx, d dialect.Dialect, ds *datasetPlan, m ecosystem.Milestoning, batch, staged int64, upsert bool, deletes string) (Counts, error) {
	g := &merger{d: d, ds: ds, m: m, batch: batch, upsert: upsert,
		mt: d.QuoteIdent(ds.merge), st: d.QuoteIdent(ds.staging), dt: d.QuoteIdent(diffTable(ds))}
	if deletes != "" {
		g.del = d.QuoteIdent(deletes)
	}
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
	if g.upsert && g.m == ecosystem.Live {
		if c, ok, err := g.upsertLive(ctx, tx); ok || err != nil {
			return c, err
		}
	}
	return g.diff(ctx, tx)
}

// upsertLive applies a batch of changes to a live merge table where the
// database does it in one statement (Dialect.UpsertChanged): the staged
// rows, each key looked up once, then a CDC batch's deletes of keys the
// table holds. ok is false, and nothing was written, where it cannot.
func (g *merger) upsertLive(ctx context.Context, tx *sql.Tx) (c Counts, ok bool, err error) {
	u := dialect.Upsert{
		Table:   g.ds.merge,
		Key:     []string{colKeyHash, colOccurrence},
		Query:   fmt.Sprintf("SELECT %s, %d FROM %s s", strings.Join(g.rowColumns("s."), ", "), g.batch, g.st),
		Columns: append(g.ds.columnNames(), colKeyHash, colRowHash, colOccurrence, colBatch),
		Set:     append(g.ds.columnNames(), colRowHash, colBatch),
		Changed: colRowHash,
	}
	if c.Inserted, c.Updated, ok, err = g.d.UpsertChanged(ctx, tx, u); !ok || err != nil {
		return c, ok, err
	}
	if g.del != "" {
		q := g.q
		if c.Deleted, err = execCount(ctx, tx, fmt.Sprintf("DELETE FROM %s WHERE (%s, %s) IN (SELECT d.%s, d.%s FROM %s d)",
			g.mt, q(colKeyHash), q(colOccurrence), q(colKeyHash), q(colOccurrence), g.del)); err != nil {
			return c, true, err
		}
	}
	return c, true, nil
}

// mergeEmpty reports whether the merge table has no row at all.
func (g *merger) mergeEmpty(ctx context.Context, tx *sql.Tx) (bool, error) {
	var one int64
	err := tx.QueryRowContext(ctx, "SELECT 1 FROM "+g.mt+" LIMIT 1").Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return true, nil
	}
	return false, err
}

// firstLoad fills an empty merge table with every staged row: its indexes
// are dropped, the rows inserted in one statement and the indexes built
// again, all inside the merge transaction.
func (g *merger) firstLoad(ctx context.Context, tx *sql.Tx) (Counts, error) {
	var c Counts
	for _, name := range mergeIndexNames(g.ds, g.m) {
		if err := mergeDDL(ctx, tx, "DROP INDEX IF EXISTS "+g.q(name)); err != nil {
			return c, err
		}
	}
	var err error
	if c.Inserted, err = execCount(ctx, tx, g.insertFrom(g.st, "1 = 1")); err != nil {
		return c, err
	}
	for _, stmt := range mergeSpec(g.d, g.ds, g.m).indexes {
		if err := mergeDDL(ctx, tx, stmt); err != nil {
			return c, err
		}
	}
	if g.d.HashJoins() {
		// Statistics for the next batches' plans, which would otherwise
		// take the freshly filled table for a small one until autovacuum
		// gets to it, and read all of it to join a few changes.
		if _, err := tx.ExecContext(ctx, "ANALYZE "+g.mt); err != nil {
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

// diff fills the diff table, applies it and drops it.
func (g *merger) diff(ctx context.Context, tx *sql.Tx) (c Counts, err error) {
	if err := mergeDDL(ctx, tx, "DROP TABLE IF EXISTS "+g.dt); err != nil {
		return c, err
	}
	// Declared like the staging table, so that SQLite converts no value
	// on its way through (column affinity).
	cols := []string{g.q(diffKind) + " " + g.d.BatchType()}
	for _, col := range stagingSpec(g.d, g.ds).columns {
		if col.name != colSeq {
			cols = append(cols, g.q(col.name)+" "+col.ddl)
		}
	}
	if err := mergeDDL(ctx, tx, "CREATE TEMPORARY TABLE "+g.dt+" ("+strings.Join(cols, ", ")+")"); err != nil {
		return c, err
	}
	if g.upsert {
		// Changes (a watermark or CDC batch) are usually few against a
		// large merge table: reaching it through its key index, once per
		// change, makes the merge cost follow the changes, not the table.
		for _, stmt := range g.d.PreferIndexJoins(true) {
			if _, err := tx.ExecContext(ctx, stmt); err != nil {
				return c, err
			}
		}
		defer func() {
			for _, stmt := range g.d.PreferIndexJoins(false) {
				if _, rerr := tx.ExecContext(ctx, stmt); rerr != nil && err == nil {
					err = rerr
				}
			}
		}()
	}
	for _, stmt := range g.diffStatements() {
		if _, err := tx.ExecContext(ctx, stmt); err != nil {
			return c, err
		}
	}
	n, err := g.diffCounts(ctx, tx)
	if err != nil {
		return c, err
	}
	if n[diffInsert]+n[diffUpdate]+n[diffDelete] > 0 {
		if g.d.HashJoins() {
			// The planner chooses between index and hash joins by the
			// diff table's size, which only ANALYZE tells it.
			if _, err := tx.ExecContext(ctx, "ANALYZE "+g.dt); err != nil {
				return c, err
			}
		}
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

// diffStatements fill the diff table: new and changed staged rows, with
// their values, and the keys of current rows missing from the snapshot.
func (g *merger) diffStatements() []string {
	q := g.q
	kh, occ, rh := q(colKeyHash), q(colOccurrence), q(colRowHash)
	into := fmt.Sprintf("INSERT INTO %s (%s, %s) ", g.dt, q(diffKind), strings.Join(g.rowColumns(""), ", "))
	// The staged rows that are new or changed, through the merge table's
	// key index.
	newOrChanged := into + fmt.Sprintf("SELECT CASE WHEN m.%s IS NULL THEN %d ELSE %d END, %s FROM %s s LEFT JOIN %s m ON m.%s = s.%s AND m.%s = s.%s AND %s "+
		"WHERE m.%s IS NULL OR m.%s <> s.%s",
		kh, diffInsert, diffUpdate, strings.Join(g.rowColumns("s."), ", "), g.st, g.mt, kh, kh, occ, occ, g.current("m"), kh, rh, rh)
	if g.upsert {
		// Changes: nothing is missing, so nothing is deleted but the keys
		// a CDC batch deletes that the merge table holds (a delete of an
		// unknown key does nothing).
		if g.del == "" {
			return []string{newOrChanged}
		}
		return []string{newOrChanged, fmt.Sprintf("INSERT INTO %s (%s, %s, %s) SELECT %d, d.%s, d.%s FROM %s d WHERE EXISTS (SELECT 1 FROM %s m WHERE m.%s = d.%s AND m.%s = d.%s AND %s)",
			g.dt, q(diffKind), kh, occ, diffDelete, kh, occ, g.del, g.mt, kh, kh, occ, occ, g.current("m"))}
	}
	if g.d.HashJoins() {
		// One full join, each table read once; the merge table's side is
		// cut to the three columns the join needs before it is joined,
		// so that it is the side hashed and the hash holds only those.
		staged := g.rowColumns("s.")
		staged[len(staged)-3] = fmt.Sprintf("COALESCE(s.%s, m.k)", kh)
		staged[len(staged)-1] = fmt.Sprintf("COALESCE(s.%s, m.o)", occ)
		return []string{into + fmt.Sprintf("SELECT CASE WHEN m.k IS NULL THEN %d WHEN s.%s IS NULL THEN %d ELSE %d END, %s "+
			"FROM %s s FULL JOIN (SELECT %s AS k, %s AS o, %s AS r FROM %s m WHERE %s) m ON s.%s = m.k AND s.%s = m.o "+
			"WHERE m.k IS NULL OR s.%s IS NULL OR s.%s <> m.r",
			diffInsert, kh, diffDelete, diffUpdate, strings.Join(staged, ", "),
			g.st, kh, occ, rh, g.mt, g.current("m"), kh, occ, kh, rh)}
	}
	// A database that joins row by row through indexes (SQLite) would
	// run the full join in quadratic time: two one-sided joins instead,
	// the staged rows new or changed through the merge table's key index,
	// the current rows missing from the snapshot through the staging
	// table's.
	return []string{
		newOrChanged,
		fmt.Sprintf("INSERT INTO %s (%s, %s, %s) SELECT %d, m.%s, m.%s FROM %s m WHERE %s AND NOT EXISTS (SELECT 1 FROM %s s WHERE s.%s = m.%s AND s.%s = m.%s)",
			g.dt, q(diffKind), kh, occ, diffDelete, kh, occ, g.mt, g.current("m"), g.st, kh, kh, occ, occ),
	}
}

// diffCounts counts the rows of the diff table by kind.
func (g *merger) diffCounts(ctx context.Context, tx *sql.Tx) (map[int64]int64, error) {
	rows, err := tx.QueryContext(ctx, fmt.Sprintf("SELECT %s, COUNT(*) FROM %s GROUP BY %s", g.q(diffKind), g.dt, g.q(diffKind)))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	n := map[int64]int64{}
	for rows.Next() {
		var kind, count int64
		if err := rows.Scan(&kind, &count); err != nil {
			return nil, err
		}
		n[kind] = count
	}
	return n, rows.Err()
}

// ofKind is the condition that a diff row (alias s) is of one of kinds.
func (g *merger) ofKind(kinds ...int) string {
	k := make([]string, len(kinds))
	for i, kind := range kinds {
		k[i] = strconv.Itoa(kind)
	}
	return fmt.Sprintf("s.%s IN (%s)", g.q(diffKind), strings.Join(k, ", "))
}

// keysOf is the subquery of the diff table's keys of one of kinds.
func (g *merger) keysOf(kinds ...int) string {
	return fmt.Sprintf("SELECT s.%s, s.%s FROM %s s WHERE %s", g.q(colKeyHash), g.q(colOccurrence), g.dt, g.ofKind(kinds...))
}

// applyLive deletes, updates and inserts the differences in an SCD1 merge
// table.
func (g *merger) applyLive(ctx context.Context, tx *sql.Tx, n map[int64]int64) (Counts, error) {
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
		if c.Updated, err = execCount(ctx, tx, fmt.Sprintf("UPDATE %s SET %s FROM %s s WHERE %s AND s.%s = %s.%s AND s.%s = %s.%s",
			g.mt, strings.Join(set, ", "), g.dt, g.ofKind(diffUpdate), kh, g.mt, kh, occ, g.mt, occ)); err != nil {
			return c, err
		}
	}
	if n[diffInsert] > 0 {
		if c.Inserted, err = execCount(ctx, tx, g.insertFrom(g.dt, g.ofKind(diffInsert))); err != nil {
			return c, err
		}
	}
	if c.Deleted != n[diffDelete] || c.Updated != n[diffUpdate] || c.Inserted != n[diffInsert] {
		// Only a merge table without its unique key index could get here.
		return c, fmt.Errorf("the merge wrote %d deletes, %d updates and %d inserts for a diff of %d, %d and %d: does the merge table still have its unique index on (%s, %s)?",
			c.Deleted, c.Updated, c.Inserted, n[diffDelete], n[diffUpdate], n[diffInsert], colKeyHash, colOccurrence)
	}
	return c, nil
}

// applyForensic closes the current versions of deleted and changed keys at
// the previous batch, then opens a version for every changed or new key.
func (g *merger) applyForensic(ctx context.Context, tx *sql.Tx, n map[int64]int64) (Counts, error) {
	c := Counts{Deleted: n[diffDelete], Updated: n[diffUpdate], Inserted: n[diffInsert]}
	q := g.q
	if closing := n[diffDelete] + n[diffUpdate]; closing > 0 {
		closed, err := execCount(ctx, tx, fmt.Sprintf("UPDATE %s SET %s = %d WHERE (%s, %s) IN (%s) AND %s",
			g.mt, q(colBatchOut), g.batch-1, q(colKeyHash), q(colOccurrence), g.keysOf(diffDelete, diffUpdate), g.current(g.mt)))
		if err != nil {
			return c, err
		}
		if closed != closing {
			return c, fmt.Errorf("%d current versions closed for %d keys deleted or changed: the merge table holds a key with more than one current version", closed, closing)
		}
	}
	if opening := n[diffInsert] + n[diffUpdate]; opening > 0 {
		if _, err := execCount(ctx, tx, g.insertFrom(g.dt, g.ofKind(diffInsert, diffUpdate))); err != nil {
			return c, err
		}
	}
	return c, nil
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

// columnNames returns the dataset's model column names, in model order.
func (ds *datasetPlan) columnNames() []string {
	out := make([]string, len(ds.columns))
	for i, c := range ds.columns {
		out[i] = c.name
	}
	return out
}
