package sqlplatform

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/datasurface/datasurface-go/ecosystem"
	"github.com/datasurface/datasurface-go/internal/safetext"
	"github.com/datasurface/datasurface-go/platforms/sqlplatform/dialect"
	"github.com/datasurface/datasurface-go/platforms/sqlplatform/value"
)

// Snapshot capture (docs/SQL_PLATFORM.md, "Snapshots"): each batch reads
// the whole source table of each dataset, streaming, and loads it into the
// dataset's staging table with each row's key hash and row hash, computed
// here in Go; the merge then compares the staging table with the merge
// table in SQL. Memory does not grow with the table.

// progressEvery is how many rows pass between two progress reports.
const progressEvery = 10000

// sourceTable finds a dataset's table and columns at the source: the table
// named like the dataset, or its lower-case name (PostgreSQL folds unquoted
// names to lower case), and each model column by name, exactly or ignoring
// case. It returns the physical table name and the physical columns in
// model order. A missing table or column is an error saying what to do.
func sourceTable(ctx context.Context, src *Source, q dialect.Querier, ds *datasetPlan, name string) (string, []dialect.PhysicalColumn, error) {
	table := name
	phys, err := src.Dialect.TableColumns(ctx, q, table)
	if err == nil && phys == nil && strings.ToLower(table) != table {
		table = strings.ToLower(table)
		phys, err = src.Dialect.TableColumns(ctx, q, table)
	}
	if err != nil {
		return "", nil, fmt.Errorf("reading the catalogue of source %s: %w", src.Where, err)
	}
	if phys == nil {
		return "", nil, fmt.Errorf("%ssource %s has no table %q: create it, or rename the dataset in the model to the source table's name", at(ds.model.Pos), src.Where, safetext.Line(name))
	}
	cols := make([]dialect.PhysicalColumn, len(ds.columns))
	have := make([]string, len(phys))
	for i, p := range phys {
		have[i] = p.Name
	}
	for i, c := range ds.columns {
		j := slices.IndexFunc(phys, func(p dialect.PhysicalColumn) bool { return p.Name == c.name })
		if j < 0 {
			j = slices.IndexFunc(phys, func(p dialect.PhysicalColumn) bool { return strings.EqualFold(p.Name, c.name) })
		}
		if j < 0 {
			return "", nil, fmt.Errorf("%scolumn %s: source table %s of %s has no such column (it has %s): add it at the source, or remove it from the model",
				at(ds.model.Columns[i].Pos), c.name, safetext.Line(table), src.Where, safetext.Line(strings.Join(have, ", ")))
		}
		cols[i] = phys[j]
	}
	return table, cols, nil
}

// stage loads the snapshot of one dataset, read through q (the batch's
// read transaction at the source), into its staging table, in one
// store transaction that drops and recreates the staging table, loads it,
// numbers the copies of duplicated keyless rows and indexes it. A NULL or
// duplicate key, or a value the model's type cannot hold, is an error
// naming the column, the value and the row, and leaves the staging table as
// it was.
func (b *batchRun) stage(ctx context.Context, src *Source, q dialect.Querier, ds *datasetPlan) (datasetRecord, error) {
	rec := datasetRecord{Name: ds.name, Fingerprint: ds.fingerprint}
	cdc := isCDC(b.s.capture)
	name := ds.name
	if cdc {
		// A CDC capture reads the dataset's change table.
		if _, _, err := changeTable(ctx, src, q, ds.name); err != nil {
			return rec, err
		}
		name = changeTableName(ds.name)
	}
	if b.primary != nil {
		// A mirror reads the primary's merge table: its current rows, and
		// the primary's batch they are as of, in the same read.
		name = MergeTableName(src.Dialect, b.s.node.Store, ds.name)
		var last *batchRecord
		if phys, err := src.Dialect.TableColumns(ctx, q, batchesTable); err != nil {
			return rec, err
		} else if phys != nil {
			if last, err = lastCommitted(ctx, q, src.Dialect, b.s.name); err != nil {
				return rec, err
			}
		}
		if last == nil {
			return rec, fmt.Errorf("the primary, platform %s, has no committed batch of stream %s yet: run %s first", b.primary.name, b.s.name, b.primary.name)
		}
		rec.MirroredBatch = last.batch
		if b.exactMirror() {
			return b.stageExact(ctx, src, q, ds, rec)
		}
	}
	if isTransformerOutput(b.s.capture) {
		name = OutputTableName(src.Dialect, b.s.node.Store, ds.name)
		if phys, err := src.Dialect.TableColumns(ctx, q, name); err != nil {
			return rec, err
		} else if phys == nil {
			return rec, fmt.Errorf("store %s is a transformer's output, and its transformer has not written dataset %s yet: it runs before this stream once its inputs have committed a batch", safetext.Line(b.s.node.Store), safetext.Line(ds.name))
		}
	}
	table, srcCols, err := sourceTable(ctx, src, q, ds, name)
	if err != nil {
		return rec, err
	}
	sq := src.Dialect.QuoteIdent
	sel := make([]string, len(srcCols))
	for i, c := range srcCols {
		sel[i] = src.Dialect.SelectColumn(c, ds.columns[i].typ)
	}
	// A watermark capture reads only the rows at or above its bound.
	var filter *sourceFilter
	var prevHigh string
	wm, isWatermark := watermarkColumn(ds, b.s.capture)
	if isWatermark {
		if filter, rec.WatermarkFrom, prevHigh, err = b.watermarkFilter(ctx, src, srcCols[wm], ds, wm); err != nil {
			return rec, err
		}
	}
	if b.primary != nil {
		filter = mirrorFilter(b.primary, src)
	}
	query, args := "SELECT "+strings.Join(sel, ", ")+" FROM "+sq(table), []any(nil)
	if filter != nil {
		query, args = query+filter.where, filter.args
	}
	var keyCols []string
	if cdc {
		// The last change of each key in the window, but the deletes,
		// which stageDeletes takes.
		for _, k := range ds.key {
			keyCols = append(keyCols, srcCols[k].Name)
		}
		if err := checkChangeOps(ctx, src, q, table, b.window); err != nil {
			return rec, err
		}
		var sub string
		sub, args = changesSubquery(src, table, keyCols, b.window)
		query = "SELECT " + strings.Join(sel, ", ") + " FROM " + sub + " WHERE x.dsl_rank = 1 AND NOT (" + opIsDelete(src) + ")"
		to := b.window.to
		rec.ChangeTo = &to
		if b.window.started {
			from := b.window.from
			rec.ChangeFrom = &from
		}
	}
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return rec, fmt.Errorf("reading table %s of source %s: %w", safetext.Line(table), src.Where, err)
	}
	defer rows.Close()

	d := b.r.st.d
	tx, err := dialect.BeginTx(ctx, b.r.st.db, nil)
	if err != nil {
		return rec, fmt.Errorf("starting to stage: %w", err)
	}
	defer func() { _ = tx.Rollback() }()
	spec := stagingSpec(d, ds)
	if err := b.r.ddl(ctx, tx, "DROP TABLE IF EXISTS "+d.QuoteIdent(ds.staging)); err != nil {
		return rec, err
	}
	// A scratch table (unlogged on PostgreSQL): staging writes no WAL, and
	// a crash of the store server that empties it only makes the batch
	// stage again (stagingIntact counts its rows).
	create := d.CreateScratchTable() + strings.TrimPrefix(createTable(d, spec), "CREATE TABLE")
	if err := b.r.ddl(ctx, tx, create); err != nil {
		return rec, err
	}
	sr := newSnapshotRows(rows, src.Dialect, d, ds, func(n int64) {
		b.progress(ds.name, PhaseStaging, n)
	})
	// Stopped before rows is closed (defers run last first): the reader
	// goroutine uses rows until it returns.
	defer sr.stop()
	names := make([]string, len(spec.columns))
	for i, c := range spec.columns {
		names[i] = c.name
	}
	n, err := d.BulkLoad(ctx, tx, ds.staging, names, sr)
	sr.stop()
	if sr.err != nil {
		// The row source's own error says which row and column; the
		// loader's wrapping of it says less.
		return rec, sr.err
	}
	if err != nil {
		return rec, fmt.Errorf("loading staging table %s: %w", ds.staging, err)
	}
	if n != sr.n {
		return rec, fmt.Errorf("loading staging table %s: %d rows read but %d loaded", ds.staging, sr.n, n)
	}
	if err := b.finishStaging(ctx, tx, ds); err != nil {
		return rec, err
	}
	if cdc {
		if rec.StagedDeletes, err = b.stageDeletes(ctx, tx, src, q, table, keyCols, ds); err != nil {
			return rec, err
		}
	}
	if isWatermark {
		if rec.WatermarkHigh, err = highestWatermark(ctx, src, q, table, srcCols[wm], ds.columns[wm].typ, filter, prevHigh); err != nil {
			return rec, err
		}
	}
	if err := tx.Commit(); err != nil {
		return rec, fmt.Errorf("committing staging table %s: %w", ds.staging, err)
	}
	rec.Staged, rec.Read, rec.Bytes = n, n+rec.StagedDeletes, sr.bytes
	b.progress(ds.name, PhaseStaging, n)
	return rec, nil
}

// finishStaging numbers the copies of duplicated rows of a keyless dataset
// (the n-th copy of a row gets occurrence n, so duplicates stay duplicates
// in the merge table) and builds the staging table's unique index on key
// hash and occurrence, which the merge joins through. Building it is also
// the check that a keyed snapshot has no duplicate key: it runs in a
// savepoint, and when it fails, duplicateKey finds the key to report.
func (b *batchRun) finishStaging(ctx context.Context, tx *dialect.Tx, ds *datasetPlan) error {
	d := b.r.st.d
	q := d.QuoteIdent
	t := q(ds.staging)
	if ds.keyless() {
		if err := b.r.ddl(ctx, tx, fmt.Sprintf("CREATE UNIQUE INDEX %s ON %s (%s)", q(indexName(ds.staging, "seq")), t, q(colSeq))); err != nil {
			return err
		}
		// Only the second and later copies are written: a table without
		// duplicates costs one read.
		stmt := fmt.Sprintf("UPDATE %s SET %s = w.n FROM (SELECT %s AS s, ROW_NUMBER() OVER (PARTITION BY %s ORDER BY %s) AS n FROM %s) AS w WHERE %s.%s = w.s AND w.n > 1",
			t, q(colOccurrence), q(colSeq), q(colKeyHash), q(colSeq), t, t, q(colSeq))
		if _, err := tx.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("numbering duplicate rows in staging table %s: %w", ds.staging, err)
		}
	}
	// PostgreSQL aborts a transaction at its first error; the savepoint
	// keeps it usable for duplicateKey's queries.
	const savepoint = "dsl_staging_keys"
	if _, err := tx.ExecContext(ctx, "SAVEPOINT "+savepoint); err != nil {
		return fmt.Errorf("indexing staging table %s: %w", ds.staging, err)
	}
	indexErr := b.r.ddl(ctx, tx, fmt.Sprintf("CREATE UNIQUE INDEX %s ON %s (%s, %s)", q(indexName(ds.staging, "key")), t, q(colKeyHash), q(colOccurrence)))
	if indexErr == nil {
		if _, err := tx.ExecContext(ctx, "RELEASE SAVEPOINT "+savepoint); err != nil {
			return fmt.Errorf("indexing staging table %s: %w", ds.staging, err)
		}
		return nil
	}
	if _, err := tx.ExecContext(ctx, "ROLLBACK TO SAVEPOINT "+savepoint); err != nil {
		return fmt.Errorf("indexing staging table %s: %w (and then: %w)", ds.staging, indexErr, err)
	}
	if !ds.keyless() {
		if err := duplicateKey(ctx, tx, d, ds); err != nil {
			return err
		}
	}
	// Not a duplicate key: the index failed for another reason.
	return indexErr
}

// duplicateKey returns an error naming a key that occurs more than once in
// the staging table of a keyed dataset, and how often; nil when every key
// occurs once.
func duplicateKey(ctx context.Context, tx dialect.Querier, d dialect.Dialect, ds *datasetPlan) error {
	q := d.QuoteIdent
	t := q(ds.staging)
	var hash []byte
	var count int64
	err := tx.QueryRowContext(ctx, fmt.Sprintf("SELECT %s, COUNT(*) FROM %s GROUP BY %s HAVING COUNT(*) > 1 LIMIT 1", q(colKeyHash), t, q(colKeyHash))).Scan(&hash, &count)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("checking staging table %s for duplicate keys: %w", ds.staging, err)
	}
	keyCols := make([]string, len(ds.key))
	raw := make([]any, len(ds.key))
	scan := make([]any, len(ds.key))
	for i, k := range ds.key {
		keyCols[i] = q(ds.columns[k].name)
		scan[i] = &raw[i]
	}
	var seq int64
	scan = append(scan, &seq)
	err = tx.QueryRowContext(ctx, fmt.Sprintf("SELECT %s, %s FROM %s WHERE %s = %s ORDER BY %s LIMIT 1",
		strings.Join(keyCols, ", "), q(colSeq), t, q(colKeyHash), d.Placeholder(1), q(colSeq)), hash).Scan(scan...)
	if err != nil {
		return fmt.Errorf("checking staging table %s for duplicate keys: %w", ds.staging, err)
	}
	parts := make([]string, len(ds.key))
	names := make([]string, len(ds.key))
	for i, k := range ds.key {
		c := ds.columns[k]
		v, err := d.Decode(c.typ, raw[i])
		if err != nil {
			v = raw[i]
		}
		parts[i] = c.name + " = " + showValue(v)
		names[i] = c.name
	}
	return &valueError{pos: ds.model.Columns[ds.key[0]].Pos, column: strings.Join(names, ", "), row: seq, key: strings.Join(parts, ", "),
		msg: fmt.Sprintf("the key occurs %d times in the snapshot, but a key identifies one row: remove the duplicates at the source, or fix the model's key columns", count)}
}

// snapshotRows is the dialect.RowSource that feeds the staging table. A
// reader goroutine reads the source rows a chunk at a time; converter
// goroutines (one per processor, at most maxConverters) decode each value
// to its canonical form, check it against the model, hash the row and
// encode it for the store; the bulk loader takes the chunks in snapshot
// order. Reading, converting and loading so run on all cores at once, and
// at most readAhead chunks are in flight, so memory does not grow with the
// table. Errors come out in snapshot order: the loader stops at the first
// row that failed, as if the rows were converted one by one.
type snapshotRows struct {
	rows       *sql.Rows
	src, store dialect.Dialect
	ds         *datasetPlan
	keyless    bool
	progress   func(int64)

	ordered chan *rowChunk // every chunk, in snapshot order, for the loader
	work    chan *rowChunk // the same chunks, for the converters
	quit    chan struct{}
	done    chan struct{} // closed when the reader and converters are gone
	stopped bool

	// Owned by the loader (Next, Values, Err).
	cur   *rowChunk
	at    int
	n     int64 // rows handed to the loader
	bytes int64
	err   error
	ended bool // Next has returned false
}

// rowChunk is a run of up to chunkRows source rows: raw holds row i's
// scanned values at raw[i*columns:], vals its staging values at
// vals[i*width:]. Each chunk has storage of its own, never reused, so a
// loader may keep the values of earlier rows (SQLite's multi-row INSERT
// keeps a statement's worth).
type rowChunk struct {
	first  int64 // the snapshot position of the chunk's first row (1-based)
	rows   int
	raw    []any
	vals   []any
	hashes []byte // the key and row hash of each row, 64 bytes a row
	bytes  int64
	// err stops the snapshot after the chunk's rows: the reader's error
	// after the last row it read, or the first row that failed to convert
	// (rows is then the number of rows before it).
	err error
	// converted is closed when a converter is done with the chunk.
	converted chan struct{}
}

// The chunks: chunkRows rows each, at most readAhead of them read ahead of
// the loader, and at most maxConverters converter goroutines.
const (
	chunkRows     = 512
	readAhead     = 8
	maxConverters = 4
)

func newSnapshotRows(rows *sql.Rows, src, store dialect.Dialect, ds *datasetPlan, progress func(int64)) *snapshotRows {
	r := &snapshotRows{
		rows: rows, src: src, store: store, ds: ds, keyless: ds.keyless(), progress: progress,
		ordered: make(chan *rowChunk, readAhead), work: make(chan *rowChunk, readAhead),
		quit: make(chan struct{}), done: make(chan struct{}),
	}
	converters := min(max(runtime.GOMAXPROCS(0), 1), maxConverters)
	var wg sync.WaitGroup
	wg.Add(1 + converters)
	go func() {
		defer wg.Done()
		r.readAll()
	}()
	for range converters {
		go func() {
			defer wg.Done()
			r.convertAll()
		}()
	}
	go func() {
		wg.Wait()
		close(r.done)
	}()
	return r
}

// width is the number of values of a staging row: the model's columns,
// the key hash, the row hash, the row's position and its occurrence.
func (r *snapshotRows) width() int { return len(r.ds.columns) + 4 }

// readAll is the reader goroutine: it reads chunks and hands each to the
// loader and the converters, until the source ends, fails or stop is
// called. A panic becomes the snapshot's error: in a goroutine it would
// end the process.
func (r *snapshotRows) readAll() {
	defer close(r.work)
	defer close(r.ordered)
	cols := len(r.ds.columns)
	scan := make([]any, cols)
	var read int64
	defer func() {
		if p := recover(); p != nil {
			c := &rowChunk{err: fmt.Errorf("internal error while reading row %d of the snapshot: %v", read+1, p), converted: make(chan struct{})}
			close(c.converted)
			select {
			case r.ordered <- c:
			case <-r.quit:
			}
		}
	}()
	for {
		c := &rowChunk{first: read + 1, raw: make([]any, chunkRows*cols), converted: make(chan struct{})}
		for c.rows < chunkRows {
			if read == 1 {
				if c.err = faultPoint(faultStagingRows); c.err != nil {
					break
				}
			}
			if !r.rows.Next() {
				if err := r.rows.Err(); err != nil {
					c.err = fmt.Errorf("reading the source: %w", err)
				}
				break
			}
			row := c.raw[c.rows*cols : (c.rows+1)*cols]
			for i := range row {
				scan[i] = &row[i]
			}
			if err := r.rows.Scan(scan...); err != nil {
				c.err = fmt.Errorf("reading row %d of the source: %w", read+1, err)
				break
			}
			c.rows++
			read++
		}
		// c belongs to a converter once sent there.
		full := c.rows == chunkRows
		if c.rows == 0 && c.err == nil {
			return
		}
		select {
		case r.ordered <- c:
		case <-r.quit:
			return
		}
		select {
		case r.work <- c:
		case <-r.quit:
			return
		}
		if !full {
			return
		}
	}
}

// convertAll is a converter goroutine.
func (r *snapshotRows) convertAll() {
	cv := &converter{r: r, canon: make([]any, len(r.ds.columns))}
	for {
		select {
		case <-r.quit:
			return
		case c, ok := <-r.work:
			if !ok {
				return
			}
			cv.chunk(c)
		}
	}
}

// converter is one converter goroutine's scratch space.
type converter struct {
	r     *snapshotRows
	canon []any
	h     value.Hasher
}

// chunk converts the rows of c. A panic becomes the chunk's error: in a
// goroutine it would end the process.
func (cv *converter) chunk(c *rowChunk) {
	defer close(c.converted)
	w, cols := cv.r.width(), len(cv.r.ds.columns)
	c.vals = make([]any, c.rows*w)
	c.hashes = make([]byte, c.rows*64)
	j := 0
	defer func() {
		if p := recover(); p != nil {
			c.rows, c.err = j, fmt.Errorf("internal error while converting row %d of the snapshot: %v", c.first+int64(j), p)
		}
	}()
	for ; j < c.rows; j++ {
		if err := cv.convert(c.first+int64(j), c.raw[j*cols:(j+1)*cols], c.vals[j*w:(j+1)*w], c.hashes[j*64:(j+1)*64], &c.bytes); err != nil {
			c.rows, c.err = j, err
			return
		}
	}
}

// Next moves to the next converted row. It is called by the bulk loader,
// on a goroutine of the loader's (pgx's COPY) or the caller's.
func (r *snapshotRows) Next() bool {
	if r.ended {
		return false
	}
	if r.cur != nil {
		r.at++
	}
	for r.cur == nil || r.at >= r.cur.rows {
		if r.cur != nil && r.cur.err != nil {
			r.err, r.ended = r.cur.err, true
			return false
		}
		c, ok := <-r.ordered
		if !ok {
			r.ended = true
			return false
		}
		<-c.converted
		r.cur, r.at = c, 0
		r.bytes += c.bytes
	}
	r.n++
	if r.progress != nil && r.n%progressEvery == 0 {
		r.progress(r.n)
	}
	return true
}

// stop ends the reader and converter goroutines, if they still run, and
// waits for them. It may be called more than once.
func (r *snapshotRows) stop() {
	if !r.stopped {
		r.stopped = true
		close(r.quit)
	}
	<-r.done
}

// convert turns the scanned source row raw, the row-th of the snapshot,
// into the staging row out, its hashes stored in hashes, and adds the
// size of its values to bytes.
func (cv *converter) convert(row int64, raw, out []any, hashes []byte, bytes *int64) error {
	r := cv.r
	describeKey := func() string { return r.describeKey(raw) }
	for i, c := range r.ds.columns {
		v, err := r.src.Decode(c.typ, raw[i])
		if err == nil && v != nil {
			err = value.Check(c.typ, v)
		}
		if err != nil {
			return &valueError{pos: r.ds.model.Columns[i].Pos, column: c.name, row: row, msg: err.Error(), key: describeKey()}
		}
		mc := r.ds.model.Columns[i]
		if v == nil && (mc.Key || !mc.Nullable) {
			msg := "NULL, but the model declares the column not nullable: fix the source row, or make the column nullable in the model"
			if mc.Key {
				msg = "NULL in a key column: fix the source row (a key is never NULL), or key the dataset on columns that are never NULL"
			}
			return &valueError{pos: mc.Pos, column: c.name, row: row, msg: msg, key: describeKey()}
		}
		cv.canon[i] = v
		*bytes += valueSize(v)
	}
	// The hashes of value.RowHash and value.KeyHash, through one reused
	// Hasher.
	cv.h.Reset()
	for _, v := range cv.canon {
		cv.h.Add(v)
	}
	rowHash := cv.h.Sum()
	keyHash := rowHash
	if !r.keyless {
		cv.h.Reset()
		for _, k := range r.ds.key {
			cv.h.Add(cv.canon[k])
		}
		keyHash = cv.h.Sum()
	}
	for i, c := range r.ds.columns {
		if cv.canon[i] == nil {
			out[i] = nil
			continue
		}
		enc, err := r.store.Encode(c.typ, cv.canon[i])
		if err != nil {
			return &valueError{pos: r.ds.model.Columns[i].Pos, column: c.name, row: row, msg: "the merge store cannot hold it: " + err.Error(), key: describeKey()}
		}
		out[i] = enc
	}
	n := len(r.ds.columns)
	copy(hashes[:32], keyHash[:])
	copy(hashes[32:], rowHash[:])
	out[n] = hashes[:32:32]
	out[n+1] = hashes[32:64:64]
	out[n+2] = row
	out[n+3] = int64(1)
	return nil
}

// describeKey names the row being converted by its key values, when they
// are decoded already; "" otherwise.
func (r *snapshotRows) describeKey(raw []any) string {
	if r.ds.keyless() {
		return ""
	}
	parts := make([]string, 0, len(r.ds.key))
	for _, k := range r.ds.key {
		v, err := r.src.Decode(r.ds.columns[k].typ, raw[k])
		if err != nil {
			return ""
		}
		parts = append(parts, r.ds.columns[k].name+" = "+showValue(v))
	}
	return strings.Join(parts, ", ")
}

// Values returns the row Next moved to.
func (r *snapshotRows) Values() []any {
	w := r.width()
	return r.cur.vals[r.at*w : (r.at+1)*w : (r.at+1)*w]
}

// Err returns the error that stopped Next, nil at the end of the source.
func (r *snapshotRows) Err() error { return r.err }

// valueError is a source value the platform cannot take.
type valueError struct {
	// pos is where the model declares the column.
	pos    ecosystem.Pos
	column string
	row    int64
	key    string
	msg    string
}

func (e *valueError) Error() string {
	where := fmt.Sprintf("row %d of the snapshot", e.row)
	if e.key != "" {
		where += " (" + e.key + ")"
	}
	return fmt.Sprintf("%scolumn %s, %s: %s", at(e.pos), e.column, where, e.msg)
}

// at prefixes a message with a model position, "file:line:col: ", when
// there is one.
func at(pos ecosystem.Pos) string {
	if !pos.IsValid() {
		return ""
	}
	return safetext.Line(pos.String()) + ": "
}

// showValue prints a value for a message (value.Show: quoted, cut,
// escaped).
func showValue(v any) string { return value.Show(v) }

// valueSize approximates the bytes of a canonical value.
func valueSize(v any) int64 {
	switch x := v.(type) {
	case nil:
		return 0
	case string:
		return int64(len(x))
	case []byte:
		return int64(len(x))
	case bool:
		return 1
	}
	return 8
}
