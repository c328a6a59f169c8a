package sqlplatform

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/datasurface/datasurface-go/ecosystem"
	"github.com/datasurface/datasurface-go/graph"
	"github.com/datasurface/datasurface-go/graph/openlineage"
	"github.com/datasurface/datasurface-go/internal/safetext"
	"github.com/datasurface/datasurface-go/platforms/sqlplatform/dialect"
)

// runner runs batches of one pipeline against an open merge store.
type runner struct {
	p       *Platform
	st      *store
	streams []*stream
	opts    RunOptions
	log     *slog.Logger
	// runs builds the OpenLineage events of the batches; nil when the
	// platform emits none (WithLineage).
	runs *openlineage.Runs
}

// ddlExec runs one DDL statement.
type ddlExec func(ctx context.Context, q dialect.Querier, stmt string) error

// ddl runs one DDL statement; every CREATE, ALTER and DROP of the platform
// goes through it, so tests can see that an unchanged model runs none on
// merge tables and views.
func (r *runner) ddl(ctx context.Context, q dialect.Querier, stmt string) error {
	observeDDL(stmt)
	if _, err := q.ExecContext(ctx, stmt); err != nil {
		return fmt.Errorf("running %s: %w", stmt, err)
	}
	return nil
}

// start opens the store, creates the bookkeeping tables, and plans the
// streams of the pipeline, after checking that the platform accepts it.
func (p *Platform) start(ctx context.Context, pl *graph.Pipeline, opts RunOptions) (*runner, error) {
	if pl == nil {
		return nil, errors.New("sqlplatform: no pipeline")
	}
	if pl.Platform != p.name {
		return nil, fmt.Errorf("platform %s was given the pipeline of platform %s", p.name, pl.Platform)
	}
	if opts.Event != "" {
		// An unknown event is refused before the store is touched.
		if _, err := eventStreams(p.name, ingestNodes(pl), opts.Event); err != nil {
			return nil, err
		}
	}
	if err := p.accepted(ctx, pl); err != nil {
		return nil, err
	}
	st, err := p.openStore(ctx, true)
	if err != nil {
		return nil, err
	}
	if err := ensureBookkeeping(ctx, st.db, st.d); err != nil {
		_ = st.db.Close()
		return nil, fmt.Errorf("platform %s: merge store %s: %w", p.name, safetext.Line(st.choice.dsn.String()), err)
	}
	streams, err := planStreams(pl, st.d, p.set.milestoning)
	if err != nil {
		_ = st.db.Close()
		return nil, err
	}
	if p.set.mirrorOf != "" {
		mirrorStreams(streams)
	} else {
		adoptTransformerTriggers(pl, streams)
	}
	return &runner{p: p, st: st, streams: streams, opts: opts, log: p.set.logger.With("platform", p.name), runs: p.lineageRuns(pl)}, nil
}

// accepted returns an error listing the errors of Accept, if any.
func (p *Platform) accepted(ctx context.Context, pl *graph.Pipeline) error {
	var errs ecosystem.Diagnostics
	for _, d := range p.Accept(ctx, pl) {
		if d.Severity == ecosystem.Error {
			errs = append(errs, d)
		}
	}
	if len(errs) == 0 {
		return nil
	}
	return fmt.Errorf("platform %s cannot run its pipeline: fix the model first (dsl lint shows the same):\n%w", p.name, ecosystem.DiagnosticsError(errs))
}

func (r *runner) close() error { return r.st.db.Close() }

// RunOnce runs one batch of every stream of the pipeline (or of the one
// opts.Stream names, or of those opts.Event triggers), in the pipeline's
// order, whatever their triggers: it finishes a batch an earlier run left
// uncommitted, or starts the next one. With opts.Event it first records the
// event as Trigger does, so that a stream whose batch does not commit here
// (failed, or busy with another runner's batch) keeps the event pending
// for the next run; a batch that commits consumes it.
// A stream whose batch fails does not stop the others. The report lists
// what each batch did and the views to query; the error joins the batches'
// errors (each a *BatchError), nil when every batch committed. An error
// before any batch (the pipeline not accepted, the store unreachable)
// returns a nil report.
func (p *Platform) RunOnce(ctx context.Context, pl *graph.Pipeline, opts RunOptions) (*Report, error) {
	r, err := p.start(ctx, pl, opts)
	if err != nil {
		return nil, err
	}
	defer r.close()
	sel, err := r.selectRun(opts)
	if err != nil {
		return nil, err
	}
	if opts.Event != "" {
		names := make([]string, len(sel))
		for i, s := range sel {
			names[i] = s.name
		}
		if _, err := recordEvent(ctx, r.st.db, r.st.d, opts.Event, names); err != nil {
			return nil, fmt.Errorf("platform %s: event %s: %w", p.name, safetext.Line(opts.Event), err)
		}
	}
	if opts.Stream == "" && opts.Event == "" {
		if err := r.retireViews(ctx); err != nil {
			return nil, fmt.Errorf("platform %s: %w", p.name, err)
		}
	}
	rep := r.newReport()
	if opts.Stream == "" && opts.Event == "" {
		return rep, r.runAll(ctx, pl, rep)
	}
	var errs []error
	for _, s := range sel {
		if ctx.Err() != nil {
			errs = append(errs, ctx.Err())
			break
		}
		b := r.runAfterTransformer(ctx, pl, s)
		rep.Batches = append(rep.Batches, b)
		if b.Err != nil {
			errs = append(errs, b.Err)
		}
	}
	return rep, errors.Join(errs...)
}

// runAll runs every node of the pipeline that does work, in the
// pipeline's order: each stream's batch, and each transformer whose inputs
// moved, so that a chain of transformers settles in one run. A node whose
// batch or run failed stops the nodes after it that depend on it, through
// the views and transformers between them; the others run.
func (r *runner) runAll(ctx context.Context, pl *graph.Pipeline, rep *Report) error {
	byNode := map[string]*stream{}
	for _, s := range r.streams {
		byNode[s.node.ID] = s
	}
	failed := map[string]string{} // node ID -> the failed node it waits on
	var errs []error
	for _, n := range pl.Order() {
		if ctx.Err() != nil {
			errs = append(errs, ctx.Err())
			break
		}
		blocked := ""
		for _, pred := range pl.Predecessors(n.ID) {
			if root, bad := failed[pred.ID]; bad {
				blocked = root
			}
		}
		s := byNode[n.ID]
		if blocked != "" {
			failed[n.ID] = blocked
			if s != nil {
				b := notRun(s, fmt.Errorf("not run: it depends on %s, which failed", blocked))
				rep.Batches = append(rep.Batches, b)
				errs = append(errs, b.Err)
			}
			continue
		}
		switch {
		case s != nil:
			b := r.runStream(ctx, s)
			rep.Batches = append(rep.Batches, b)
			if b.Err != nil {
				errs = append(errs, b.Err)
				failed[n.ID] = n.ID
			}
		case n.Kind == graph.KindTransform && r.p.set.mirrorOf == "":
			step, err := planTransform(pl, r.st.d, n, r.streams)
			var tr TransformReport
			if err != nil {
				tr = TransformReport{Node: n.ID, Transformer: n.Transformer, Err: err}
			} else {
				tr = r.runTransform(ctx, step, false)
			}
			rep.Transforms = append(rep.Transforms, tr)
			if tr.Err != nil {
				errs = append(errs, tr.Err)
				failed[n.ID] = n.ID
				r.log.Error("transformer failed", "node", n.ID, "err", safetext.Line(tr.Err.Error()))
			}
		}
	}
	return errors.Join(errs...)
}

func (r *runner) newReport() *Report {
	return &Report{Platform: r.p.name, Milestoning: r.p.set.milestoning, Store: r.st.choice.dsn.String(), StoreFrom: r.st.choice.from}
}

// BatchError is why a batch did not commit (or, for a fault after its
// commit, why the run did not finish cleanly).
type BatchError struct {
	Stream string
	// Batch is the batch's number, 0 when none started.
	Batch int64
	// Dataset is the dataset being worked on, "" when the error is about
	// the whole batch.
	Dataset string
	Err     error
}

// Error says which stream, batch and dataset failed and why.
func (e *BatchError) Error() string {
	var b strings.Builder
	b.WriteString("stream " + e.Stream)
	if e.Batch > 0 {
		fmt.Fprintf(&b, ", batch %d", e.Batch)
	}
	if e.Dataset != "" {
		b.WriteString(", dataset " + e.Dataset)
	}
	b.WriteString(": ")
	b.WriteString(e.Err.Error())
	return b.String()
}

// Unwrap returns the cause.
func (e *BatchError) Unwrap() error { return e.Err }

// datasetError marks an error as being about one dataset.
type datasetError struct {
	dataset string
	err     error
}

func (e *datasetError) Error() string { return e.err.Error() }
func (e *datasetError) Unwrap() error { return e.err }

// runStream runs one batch of stream s under its lock and reports it.
func (r *runner) runStream(ctx context.Context, s *stream) (rep BatchReport) {
	began := time.Now()
	rep = BatchReport{Stream: s.name}
	for _, v := range s.views {
		rep.Views = append(rep.Views, v.ref)
	}
	for _, ds := range s.datasets {
		rep.Datasets = append(rep.Datasets, DatasetReport{Dataset: ds.name, Table: ds.merge})
	}
	defer func() { rep.Total = time.Since(began) }()
	release, err := lockStream(ctx, r.st.db, r.st.d, s.name)
	if err != nil {
		rep.Busy = errors.Is(err, ErrStreamBusy)
		rep.Err = &BatchError{Stream: s.name, Err: err}
		return rep
	}
	defer func() {
		if err := release(); err != nil {
			r.log.Warn("releasing the stream lock", "stream", s.name, "err", err)
		}
	}()
	if r.p.set.mirrorOf != "" {
		upToDate, batch, err := r.mirrorUpToDate(ctx, s)
		if err != nil {
			rep.Err = &BatchError{Stream: s.name, Err: err}
			return rep
		}
		if upToDate {
			rep.Batch, rep.State, rep.UpToDate = batch, Committed, true
			return rep
		}
	}
	b := &batchRun{r: r, s: s, rep: &rep}
	if r.p.set.mirrorOf != "" {
		b.primary = r.p.set.primary
	}
	defer func() { r.lineageEnd(ctx, rep) }()
	if err := b.run(ctx); err != nil {
		be := &BatchError{Stream: s.name, Batch: rep.Batch, Err: err}
		var de *datasetError
		if errors.As(err, &de) {
			be.Dataset = de.dataset
		}
		rep.Err = be
		b.recordFailure(ctx, be)
		r.log.Error("batch failed", "stream", s.name, "batch", rep.Batch, "state", string(rep.State), "err", safetext.Line(be.Error()))
	} else {
		r.log.Info("batch committed", "stream", s.name, "batch", rep.Batch, "read", rep.Read, "inserted", rep.Inserted,
			"updated", rep.Updated, "deleted", rep.Deleted, "unchanged", rep.Unchanged, "resumed", rep.Resumed)
	}
	return rep
}

// batchRun is one run of one stream's batch.
type batchRun struct {
	r   *runner
	s   *stream
	rec *batchRecord
	rep *BatchReport
	// window is a CDC batch's window of changes, set while staging.
	window *changeWindow
	// primary is, on a mirror, the platform whose store the batch reads.
	primary *Platform
}

func (b *batchRun) progress(dataset, phase string, rows int64) {
	if f := b.r.opts.Progress; f != nil {
		f(Progress{Stream: b.s.name, Batch: b.rec.batch, Dataset: dataset, Phase: phase, Rows: rows})
	}
}

// run takes the stream's batch through its states: it starts the next
// batch or resumes the open one, stages the snapshot unless an intact
// INGESTED staging can be merged as is, then merges and commits.
func (b *batchRun) run(ctx context.Context) error {
	if err := b.begin(ctx); err != nil {
		return err
	}
	b.r.lineageStart(ctx, b.s.name, b.rec.batch)
	if err := faultPoint(faultStarted); err != nil {
		return err
	}
	if b.rec.state == Started {
		if err := b.claimEvents(ctx); err != nil {
			return err
		}
		if err := b.stageAll(ctx); err != nil {
			return err
		}
	}
	if err := b.merge(ctx); err != nil {
		return err
	}
	if err := faultPoint(faultCommitted); err != nil {
		return err
	}
	// The staging tables are scratch: a batch that finds them stale
	// rebuilds them, so failing to drop them loses nothing.
	for _, ds := range b.s.datasets {
		for _, table := range scratchTables(b.s, ds) {
			if err := b.r.ddl(ctx, b.r.st.db, "DROP TABLE IF EXISTS "+b.r.st.d.QuoteIdent(table)); err != nil {
				b.r.log.Warn("dropping a staging table", "stream", b.s.name, "batch", b.rec.batch, "err", err)
			}
		}
	}
	return faultPoint(faultCleanedUp)
}

// begin records the next batch as STARTED, or takes up the open one.
func (b *batchRun) begin(ctx context.Context) error {
	st := b.r.st
	last, err := latestBatch(ctx, st.db, st.d, b.s.name)
	if err != nil {
		return err
	}
	now := time.Now()
	if last == nil || last.state == Committed {
		n := int64(1)
		if last != nil {
			n = last.batch + 1
		}
		b.rec = &batchRecord{stream: b.s.name, batch: n, state: Started, attempts: 1, started: now, updated: now, datasets: b.freshDatasets()}
		b.rep.Batch, b.rep.State = n, Started
		return insertBatch(ctx, st.db, st.d, b.rec)
	}
	b.rec = last
	b.rep.Batch, b.rep.Resumed = last.batch, true
	last.attempts++
	last.updated = now
	if last.state == Ingested {
		intact, err := b.stagingIntact(ctx)
		if err != nil {
			return err
		}
		if !intact {
			last.state = Started
		}
	}
	if last.state != Ingested {
		last.state, last.ingested = Started, time.Time{}
		last.datasets = b.freshDatasets()
	}
	b.rep.State = last.state
	return updateBatch(ctx, st.db, st.d, last)
}

func (b *batchRun) freshDatasets() []datasetRecord {
	out := make([]datasetRecord, len(b.s.datasets))
	for i, ds := range b.s.datasets {
		out[i] = datasetRecord{Name: ds.name, Fingerprint: ds.fingerprint}
	}
	return out
}

// stagingIntact reports whether an INGESTED batch's staging tables can be
// merged as they are: the same datasets with the same schema, each staging
// table present with the number of rows recorded. Otherwise the batch
// stages again (the model changed, or someone touched the tables).
func (b *batchRun) stagingIntact(ctx context.Context) (bool, error) {
	if len(b.rec.datasets) != len(b.s.datasets) {
		return false, nil
	}
	st := b.r.st
	for i, ds := range b.s.datasets {
		dr := b.rec.datasets[i]
		if dr.Name != ds.name || dr.Fingerprint != ds.fingerprint {
			return false, nil
		}
		phys, err := st.d.TableColumns(ctx, st.db, ds.staging)
		if err != nil {
			return false, err
		}
		if phys == nil {
			return false, nil
		}
		var n int64
		if err := st.db.QueryRowContext(ctx, "SELECT COUNT(*) FROM "+st.d.QuoteIdent(ds.staging)).Scan(&n); err != nil {
			return false, fmt.Errorf("counting staging table %s: %w", ds.staging, err)
		}
		if n != dr.Staged {
			return false, nil
		}
		if isCDC(b.s.capture) {
			dt := deletesTable(ds)
			if phys, err := st.d.TableColumns(ctx, st.db, dt); err != nil || phys == nil {
				return false, err
			}
			if err := st.db.QueryRowContext(ctx, "SELECT COUNT(*) FROM "+st.d.QuoteIdent(dt)).Scan(&n); err != nil {
				return false, fmt.Errorf("counting deletes table %s: %w", dt, err)
			}
			if n != dr.StagedDeletes {
				return false, nil
			}
		}
	}
	return true, nil
}

// stageAll checks that every merge table can hold the model, opens the
// source and stages every dataset, then marks the batch INGESTED.
func (b *batchRun) stageAll(ctx context.Context) error {
	began := time.Now()
	st := b.r.st
	m := b.r.p.set.milestoning
	for _, ds := range b.s.datasets {
		if _, err := planTable(ctx, st.db, st.d, mergeSpec(st.d, ds, m)); err != nil {
			return &datasetError{dataset: ds.name, err: err}
		}
	}
	if b.s.capture == nil {
		return errors.New("the store has no capture: give it capture = sql_snapshot(...) or sql_watermark(...)")
	}
	var src *Source
	var err error
	if b.r.p.set.mirrorOf != "" {
		var closeSrc func()
		if src, b.primary, closeSrc, err = b.mirrorSource(ctx); err != nil {
			return err
		}
		defer closeSrc()
	} else if isTransformerOutput(b.s.capture) {
		// A transformer's output store is read from the tables its
		// transformer wrote in the merge store itself (not closed here:
		// it is the runner's connection pool).
		src = &Source{DB: st.db, Dialect: st.d, Name: b.s.node.Store, Where: "the output tables of store " + safetext.Line(b.s.node.Store) + " in the merge store"}
	} else {
		if src, err = OpenSource(ctx, b.s.capture.From, b.r.p.set.creds, b.s.capture.Credential, b.r.p.set.modelRoot); err != nil {
			return err
		}
		defer src.Close()
	}
	// One read-only repeatable-read transaction at the source: the
	// datasets of a store are read as of one instant.
	read, err := src.DB.BeginTx(ctx, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
	if err != nil {
		return fmt.Errorf("source %s: starting a read transaction: %w", src.Where, err)
	}
	defer func() { _ = read.Rollback() }()
	if isCDC(b.s.capture) {
		if b.window, err = b.changeWindowOf(ctx, src, read); err != nil {
			return err
		}
	}
	for i, ds := range b.s.datasets {
		b.progress(ds.name, PhaseStaging, 0)
		dr, err := b.stage(ctx, src, read, ds)
		if err != nil {
			return &datasetError{dataset: ds.name, err: err}
		}
		b.rec.datasets[i] = dr
		b.rep.Datasets[i].Read, b.rep.Datasets[i].Bytes = dr.Read, dr.Bytes
		b.rep.Read += dr.Read
		b.rep.Bytes += dr.Bytes
	}
	if err := faultPoint(faultStaged); err != nil {
		return err
	}
	b.rec.state = Ingested
	b.rec.ingested = time.Now()
	b.rec.updated = b.rec.ingested
	b.rec.stageTime = time.Since(began)
	b.rep.Staging = b.rec.stageTime
	if err := updateBatch(ctx, st.db, st.d, b.rec); err != nil {
		return err
	}
	b.rep.State = Ingested
	return faultPoint(faultIngested)
}

// merge evolves the merge tables, merges every dataset, brings the views in
// line and marks the batch COMMITTED, all in one transaction.
func (b *batchRun) merge(ctx context.Context) error {
	began := time.Now()
	st := b.r.st
	d := st.d
	m := b.r.p.set.milestoning
	tx, err := st.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("starting the merge: %w", err)
	}
	defer func() { _ = tx.Rollback() }()
	cur, err := latestBatch(ctx, tx, d, b.s.name)
	if err != nil {
		return err
	}
	if cur == nil || cur.batch != b.rec.batch || cur.state != Ingested {
		return fmt.Errorf("batch %d is no longer INGESTED in the store (was it reset meanwhile?): run again", b.rec.batch)
	}
	dropped := false
	for _, ds := range b.s.datasets {
		plan, err := planTable(ctx, tx, d, mergeSpec(d, ds, m))
		if err != nil {
			return &datasetError{dataset: ds.name, err: err}
		}
		if plan.retypes && !dropped {
			// syncViews below makes them again.
			if err := dropStreamViews(ctx, tx, d, b.s, b.r.ddl); err != nil {
				return err
			}
			dropped = true
		}
		for _, stmt := range plan.stmts {
			if err := b.r.ddl(ctx, tx, stmt); err != nil {
				return &datasetError{dataset: ds.name, err: err}
			}
		}
	}
	if err := faultPoint(faultMergeSchema); err != nil {
		return err
	}
	var total Counts
	for i, ds := range b.s.datasets {
		b.progress(ds.name, PhaseMerging, 0)
		dr := &b.rec.datasets[i]
		_, upsert := watermarkColumn(ds, b.s.capture)
		deletes := ""
		if isCDC(b.s.capture) {
			upsert, deletes = true, deletesTable(ds)
		}
		var c Counts
		var err error
		if b.exactMirror() {
			c, err = mergeExact(ctx, tx, d, ds)
		} else {
			c, err = mergeDataset(ctx, tx, d, ds, m, b.rec.batch, dr.Staged, upsert, deletes)
			c.Read += dr.StagedDeletes
		}
		if err != nil {
			return &datasetError{dataset: ds.name, err: err}
		}
		c.Bytes = dr.Bytes
		dr.Counts = c
		b.rep.Datasets[i].Counts = c
		total.add(c)
	}
	if err := faultPoint(faultMergeRows); err != nil {
		return err
	}
	if err := syncViews(ctx, tx, d, b.s, b.r.ddl); err != nil {
		return err
	}
	now := time.Now()
	b.rec.state, b.rec.committed, b.rec.updated = Committed, now, now
	b.rec.counts = total
	b.rec.mergeTime = time.Since(began)
	b.rec.errText = ""
	if err := updateBatch(ctx, tx, d, b.rec); err != nil {
		return err
	}
	if err := b.consumeEvents(ctx, tx); err != nil {
		return err
	}
	if err := faultPoint(faultMergeCommit); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		b.rec.state = Ingested
		return fmt.Errorf("committing the merge: %w", err)
	}
	b.rep.State = Committed
	b.rep.Counts = total
	b.rep.Merging = b.rec.mergeTime
	return nil
}

// scratchTables are the tables a batch of stream s stages dataset ds in:
// the staging table, and a CDC batch's deletes table.
func scratchTables(s *stream, ds *datasetPlan) []string {
	if isCDC(s.capture) {
		return []string{ds.staging, deletesTable(ds)}
	}
	return []string{ds.staging}
}

// recordFailure writes the error into the record of an uncommitted batch,
// for Status. It is best effort: the batch stays uncommitted either way.
func (b *batchRun) recordFailure(ctx context.Context, err error) {
	if b.rec == nil || b.rec.state == Committed {
		return
	}
	text := safetext.Line(err.Error())
	if len(text) > 2000 {
		text = text[:2000] + "..."
	}
	b.rec.errText = text
	b.rec.updated = time.Now()
	wctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	// The record in the store may be behind this run's (STARTED while this
	// run got to INGESTED and failed merging): write only the error.
	st := b.r.st
	d := st.d
	stmt := "UPDATE " + d.QuoteIdent(batchesTable) + " SET " + d.QuoteIdent("error") + " = " + d.Placeholder(1) + ", " + d.QuoteIdent("updated_at") + " = " + d.Placeholder(2) +
		" WHERE " + d.QuoteIdent("stream") + " = " + d.Placeholder(3) + " AND " + d.QuoteIdent("batch") + " = " + d.Placeholder(4) + " AND " + d.QuoteIdent("state") + " <> " + d.Placeholder(5)
	if _, werr := st.db.ExecContext(wctx, stmt, text, formatTime(b.rec.updated), b.rec.stream, b.rec.batch, string(Committed)); werr != nil {
		b.r.log.Warn("recording a batch's error", "stream", b.rec.stream, "batch", b.rec.batch, "err", werr)
	}
}
