package sqlplatform

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/datasurface/datasurface-go/ecosystem"
	"github.com/datasurface/datasurface-go/graph"
	"github.com/datasurface/datasurface-go/internal/safetext"
	"github.com/datasurface/datasurface-go/platforms/sqlplatform/dialect"
	"github.com/datasurface/datasurface-go/platforms/sqlplatform/value"
	"github.com/datasurface/datasurface-go/types"
)

// Transformers (docs/SQL_PLATFORM.md, "Transformers"): a workspace's
// transformer derives its output store from the datasets the workspace
// reads. The platform runs go_code transformers, a Go function the host
// registers by name, which reads the workspace's live views through a
// TransformInput and writes the output store's datasets through a
// TransformOutput that holds it to its own tables, and sql_code
// transformers (transform_sql.go). The output is written
// in one transaction, all or nothing, into output tables in the merge
// store; the output store's stream then ingests them like a snapshot, with
// its own batches, so a consumer of a transformer's output sees the same
// semantics as of any dataset. In a run, nodes go in the pipeline's order,
// so a chain of transformers settles in one RunOnce; a transformer runs
// when an input committed a batch since its last run, and a failed node
// stops only the nodes that depend on it.

// TransformFunc computes a transformer's output from its inputs. It must
// write every output row through out; what it returns as an error leaves
// the output as it was before the run.
type TransformFunc func(ctx context.Context, in *TransformInput, out *TransformOutput) error

// transformers holds the Go transformers a host registered.
type transformers struct {
	mu    sync.RWMutex
	funcs map[string]TransformFunc
}

// RegisterTransformer registers the Go function the model's
// go_code(name) names. A name is registered once per Platform.
func (p *Platform) RegisterTransformer(name string, f TransformFunc) error {
	if name == "" || f == nil {
		return errors.New("sqlplatform: RegisterTransformer needs a name and a function")
	}
	p.tf.mu.Lock()
	defer p.tf.mu.Unlock()
	if p.tf.funcs == nil {
		p.tf.funcs = map[string]TransformFunc{}
	}
	if _, dup := p.tf.funcs[name]; dup {
		return fmt.Errorf("sqlplatform: transformer function %q is already registered", name)
	}
	p.tf.funcs[name] = f
	return nil
}

func (p *Platform) transformer(name string) (TransformFunc, bool) {
	p.tf.mu.RLock()
	defer p.tf.mu.RUnlock()
	f, ok := p.tf.funcs[name]
	return f, ok
}

// transformStep is a transform node of the pipeline.
type transformStep struct {
	node *graph.Node
	// inputs are the datasets the workspace reads, by "Store.dataset".
	inputs map[string]*transformSource
	// outputs are the output store's datasets, sorted by name.
	outputs []*transformTarget
}

// transformSource is one dataset a transformer reads: a live view.
type transformSource struct {
	view    string
	columns []column
	stream  string
}

// transformTarget is one dataset a transformer writes: an output table.
type transformTarget struct {
	name    string
	table   string
	columns []column
	// nullable says, per column, whether the model lets it be NULL.
	nullable []bool
}

// OutputTableName returns the table a transformer writes a dataset of its
// output store to: <store>__<dataset>__output, cut to d.MaxIdentLen().
func OutputTableName(d dialect.Dialect, store, dataset string) string {
	return physicalName(d.MaxIdentLen(), "__output", store, dataset)
}

// planTransform makes the step of transform node n, reading the views of
// the export nodes before it.
func planTransform(p *graph.Pipeline, d dialect.Dialect, n *graph.Node, streams []*stream) (*transformStep, error) {
	step := &transformStep{node: n, inputs: map[string]*transformSource{}}
	byStoreDataset := map[[2]string]*stream{}
	for _, s := range streams {
		for _, ds := range s.datasets {
			byStoreDataset[[2]string{s.node.Store, ds.name}] = s
		}
	}
	for _, e := range p.Predecessors(n.ID) {
		if e.Kind != graph.KindExport {
			continue
		}
		key := e.Store + "." + e.Dataset
		if _, seen := step.inputs[key]; seen {
			continue
		}
		s := byStoreDataset[[2]string{e.Store, e.Dataset}]
		if s == nil {
			continue
		}
		var cols []column
		for _, ds := range s.datasets {
			if ds.name == e.Dataset {
				cols = ds.columns
			}
		}
		step.inputs[key] = &transformSource{view: LiveViewName(d, e.Workspace, e.Group, e.Dataset), columns: cols, stream: s.name}
	}
	out := n.Model.Output.Store
	if out == nil {
		return nil, fmt.Errorf("transformer %s of workspace %s writes store %s, which the model does not have", n.Transformer, n.Workspace, n.Output)
	}
	for _, ds := range out.Datasets {
		cols, err := modelColumns(d, ds)
		if err != nil {
			return nil, fmt.Errorf("transformer %s: output dataset %s.%s: %w", n.Transformer, out.Name, ds.Name, err)
		}
		nullable := make([]bool, len(ds.Columns))
		for i, c := range ds.Columns {
			nullable[i] = c.Nullable && !c.Key
		}
		step.outputs = append(step.outputs, &transformTarget{name: ds.Name, table: OutputTableName(d, out.Name, ds.Name), columns: cols, nullable: nullable})
	}
	slices.SortFunc(step.outputs, func(a, b *transformTarget) int { return strings.Compare(a.name, b.name) })
	return step, nil
}

// TransformInput is what a Go transformer reads: the live rows of the
// datasets its workspace consumes, named "Store.dataset".
type TransformInput struct {
	ctx    context.Context
	db     *sql.DB
	d      dialect.Dialect
	inputs map[string]*transformSource
}

// Datasets returns the datasets the transformer may read, sorted.
func (in *TransformInput) Datasets() []string {
	return slices.Sorted(maps.Keys(in.inputs))
}

// Columns returns a dataset's column names, in model order.
func (in *TransformInput) Columns(dataset string) ([]string, error) {
	src, err := in.source(dataset)
	if err != nil {
		return nil, err
	}
	out := make([]string, len(src.columns))
	for i, c := range src.columns {
		out[i] = c.name
	}
	return out, nil
}

func (in *TransformInput) source(dataset string) (*transformSource, error) {
	src, ok := in.inputs[dataset]
	if !ok {
		return nil, fmt.Errorf("the transformer may not read %q: it reads the datasets of its workspace, %s", safetext.Line(dataset), strings.Join(in.Datasets(), ", "))
	}
	return src, nil
}

// Rows calls fn with each current row of dataset, its values canonical
// (as package value describes them) in model column order. fn must not
// keep row after it returns.
func (in *TransformInput) Rows(dataset string, fn func(row []any) error) error {
	src, err := in.source(dataset)
	if err != nil {
		return err
	}
	cols := make([]string, len(src.columns))
	for i, c := range src.columns {
		cols[i] = in.d.QuoteIdent(c.name)
	}
	rows, err := in.db.QueryContext(in.ctx, "SELECT "+strings.Join(cols, ", ")+" FROM "+in.d.QuoteIdent(src.view))
	if err != nil {
		return fmt.Errorf("reading %s: %w", dataset, err)
	}
	defer rows.Close()
	raw := make([]any, len(cols))
	scan := make([]any, len(cols))
	for i := range raw {
		scan[i] = &raw[i]
	}
	row := make([]any, len(cols))
	for rows.Next() {
		if err := rows.Scan(scan...); err != nil {
			return fmt.Errorf("reading %s: %w", dataset, err)
		}
		for i, v := range raw {
			if row[i], err = in.d.Decode(src.columns[i].typ, v); err != nil {
				return fmt.Errorf("reading %s, column %s: %w", dataset, src.columns[i].name, err)
			}
		}
		if err := fn(row); err != nil {
			return err
		}
	}
	return rows.Err()
}

// TransformOutput is where a Go transformer writes: the datasets of its
// output store and nothing else.
type TransformOutput struct {
	ctx     context.Context
	tx      *sql.Tx
	d       dialect.Dialect
	targets map[string]*transformTarget
	stmts   map[string]*sql.Stmt
	written map[string]int64
}

// Datasets returns the datasets the transformer writes, sorted.
func (out *TransformOutput) Datasets() []string {
	return slices.Sorted(maps.Keys(out.targets))
}

// Write adds one row to a dataset of the output store: canonical values in
// model column order. A value the column's type cannot hold, or a NULL in
// a column the model declares not nullable, is an error.
func (out *TransformOutput) Write(dataset string, row ...any) error {
	t, ok := out.targets[dataset]
	if !ok {
		return fmt.Errorf("the transformer may not write %q: it writes the datasets of its output store, %s", safetext.Line(dataset), strings.Join(out.Datasets(), ", "))
	}
	if len(row) != len(t.columns) {
		return fmt.Errorf("dataset %s has %d columns, but the row has %d values", dataset, len(t.columns), len(row))
	}
	args := make([]any, len(row))
	for i, v := range row {
		c := t.columns[i]
		if v == nil {
			if !t.nullable[i] {
				return fmt.Errorf("dataset %s, column %s: NULL, but the column is not nullable", dataset, c.name)
			}
			continue
		}
		if err := value.Check(c.typ, v); err != nil {
			return fmt.Errorf("dataset %s, column %s: %w", dataset, c.name, err)
		}
		enc, err := out.d.Encode(c.typ, v)
		if err != nil {
			return fmt.Errorf("dataset %s, column %s: %w", dataset, c.name, err)
		}
		args[i] = enc
	}
	stmt := out.stmts[dataset]
	if stmt == nil {
		placeholders := make([]string, len(t.columns))
		names := make([]string, len(t.columns))
		for i, c := range t.columns {
			placeholders[i] = out.d.Placeholder(i + 1)
			names[i] = out.d.QuoteIdent(c.name)
		}
		var err error
		stmt, err = out.tx.PrepareContext(out.ctx, fmt.Sprintf("INSERT INTO %s (%s) VALUES (%s)", out.d.QuoteIdent(t.table), strings.Join(names, ", "), strings.Join(placeholders, ", ")))
		if err != nil {
			return err
		}
		out.stmts[dataset] = stmt
	}
	if _, err := stmt.ExecContext(out.ctx, args...); err != nil {
		return fmt.Errorf("writing %s: %w", dataset, err)
	}
	out.written[dataset]++
	return nil
}

// TransformReport is what a run did with one transformer.
type TransformReport struct {
	// Node is the transform node ("transform:Workspace"), Transformer its
	// name in the model.
	Node, Transformer string
	// Ran says the transformer ran; false when no input committed a batch
	// since its last run (or Err says why it could not).
	Ran bool
	// Written is the number of rows written to each output dataset.
	Written map[string]int64
	Took    time.Duration
	Err     error
}

// transformState is what a transformer last ran on: the latest committed
// batch of each input stream. It is kept in dsl_transforms.
type transformState map[string]int64

// inputState reads, for each input stream, the latest committed batch
// that changed its merge tables: a batch that found nothing new gives the
// transformer nothing new to derive from.
func (r *runner) inputState(ctx context.Context, step *transformStep) (transformState, error) {
	state := transformState{}
	d := r.st.d
	qi := d.QuoteIdent
	stmt := fmt.Sprintf("SELECT COALESCE(MAX(%s), 0) FROM %s WHERE %s = %s AND %s = %s AND %s + %s + %s > 0",
		qi("batch"), qi(batchesTable), qi("stream"), d.Placeholder(1), qi("state"), d.Placeholder(2),
		qi("rows_inserted"), qi("rows_updated"), qi("rows_deleted"))
	for _, in := range step.inputs {
		var batch int64
		if err := r.st.db.QueryRowContext(ctx, stmt, in.stream, string(Committed)).Scan(&batch); err != nil {
			return nil, fmt.Errorf("reading the batches of input stream %s: %w", in.stream, err)
		}
		state[in.stream] = batch
	}
	return state, nil
}

// runTransform runs one transformer when its inputs moved since its last
// run (or its output was never written), or always with force (its own
// trigger fired), in one store transaction.
func (r *runner) runTransform(ctx context.Context, step *transformStep, force bool) (rep TransformReport) {
	n := step.node
	began := time.Now()
	rep = TransformReport{Node: n.ID, Transformer: n.Transformer, Written: map[string]int64{}}
	defer func() { rep.Took = time.Since(began) }()
	fail := func(err error) TransformReport {
		rep.Err = fmt.Errorf("transformer %s of workspace %s: %w", n.Transformer, n.Workspace, err)
		return rep
	}
	t := n.Model.Workspace.Workspace.Transformer
	var f TransformFunc
	switch {
	case t == nil:
		return fail(errors.New("the workspace has no transformer"))
	case t.Code.Kind == "go":
		var ok bool
		if f, ok = r.p.transformer(t.Code.Func); !ok {
			return fail(fmt.Errorf("its Go function %q is not registered: a host program registers it with Platform.RegisterTransformer before running (dsl run alone cannot run go_code)", t.Code.Func))
		}
	case t.Code.Kind == "sql":
		f = r.sqlTransform(t.Code.SQL)
	default:
		return fail(fmt.Errorf("%s code does not run on this platform: use go_code or sql_code", t.Code.Kind))
	}
	if err := ensureTransformsTable(ctx, r.st.db, r.st.d); err != nil {
		return fail(err)
	}
	state, err := r.inputState(ctx, step)
	if err != nil {
		return fail(err)
	}
	prev, runs, err := readTransformState(ctx, r.st.db, r.st.d, n.ID)
	if err != nil {
		return fail(err)
	}
	if !force && prev != nil && mapsEqual(prev, state) {
		return rep // nothing new to derive from
	}
	// This run's number, for lineage: a run that fails is numbered like the
	// next one that succeeds, as a batch resumed keeps its number.
	run := runs + 1
	r.lineageTransform(ctx, n.ID, run, false, nil, nil)
	defer func() { r.lineageTransform(ctx, n.ID, run, true, rep.Written, rep.Err) }()
	d := r.st.d
	tx, err := r.st.db.BeginTx(ctx, nil)
	if err != nil {
		return fail(err)
	}
	defer func() { _ = tx.Rollback() }()
	out := &TransformOutput{ctx: ctx, tx: tx, d: d, targets: map[string]*transformTarget{}, stmts: map[string]*sql.Stmt{}, written: map[string]int64{}}
	for _, o := range step.outputs {
		out.targets[r.outputKey(n, o)] = o
		if err := r.ddl(ctx, tx, "DROP TABLE IF EXISTS "+d.QuoteIdent(o.table)); err != nil {
			return fail(err)
		}
		if err := r.ddl(ctx, tx, createTable(d, tableSpec{name: o.table, columns: o.columns})); err != nil {
			return fail(err)
		}
	}
	in := &TransformInput{ctx: ctx, db: r.st.db, d: d, inputs: step.inputs}
	if err := callTransform(ctx, f, in, out); err != nil {
		return fail(err)
	}
	for _, s := range out.stmts {
		_ = s.Close()
	}
	if err := writeTransformState(ctx, tx, d, n.ID, state, run); err != nil {
		return fail(err)
	}
	if err := tx.Commit(); err != nil {
		return fail(err)
	}
	rep.Ran = true
	for k, v := range out.written {
		rep.Written[k] = v
	}
	return rep
}

// outputKey names an output dataset for the transformer: "Store.dataset".
func (r *runner) outputKey(n *graph.Node, o *transformTarget) string { return n.Output + "." + o.name }

// callTransform calls f, turning a panic into an error: the host's code
// must not take the run down.
func callTransform(ctx context.Context, f TransformFunc, in *TransformInput, out *TransformOutput) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("its Go function panicked: %v", p)
		}
	}()
	return f(ctx, in, out)
}

func mapsEqual(a, b transformState) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// transformsTable records what each transformer last ran on.
const transformsTable = "dsl_transforms"

func ensureTransformsTable(ctx context.Context, db *sql.DB, d dialect.Dialect) error {
	phys, err := d.TableColumns(ctx, db, transformsTable)
	if err != nil || phys != nil {
		return err
	}
	text, err := d.ColumnType(types.MustParse("varchar"))
	if err != nil {
		return err
	}
	// Two runners may race to create it; the loser finds it made.
	_, err = db.ExecContext(ctx, fmt.Sprintf("CREATE TABLE %s (%s %s NOT NULL PRIMARY KEY, %s %s NOT NULL, %s %s NOT NULL)",
		d.QuoteIdent(transformsTable), d.QuoteIdent("node"), text, d.QuoteIdent("inputs"), text, d.QuoteIdent("runs"), d.BatchType()))
	if err != nil {
		if phys, perr := d.TableColumns(ctx, db, transformsTable); perr == nil && phys != nil {
			return nil
		}
		return fmt.Errorf("creating %s: %w", transformsTable, err)
	}
	return nil
}

// readTransformState returns what a transformer last ran on and how many
// times it ran (nil and 0 before its first run).
func readTransformState(ctx context.Context, q dialect.Querier, d dialect.Dialect, node string) (transformState, int64, error) {
	var text string
	var runs int64
	err := q.QueryRowContext(ctx, fmt.Sprintf("SELECT %s, %s FROM %s WHERE %s = %s", d.QuoteIdent("inputs"), d.QuoteIdent("runs"), d.QuoteIdent(transformsTable), d.QuoteIdent("node"), d.Placeholder(1)), node).Scan(&text, &runs)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, 0, nil
	}
	if err != nil {
		return nil, 0, fmt.Errorf("reading %s: %w", transformsTable, err)
	}
	state := transformState{}
	if err := json.Unmarshal([]byte(text), &state); err != nil {
		return nil, runs, nil // unreadable: run again, which is harmless
	}
	return state, runs, nil
}

func writeTransformState(ctx context.Context, tx *sql.Tx, d dialect.Dialect, node string, state transformState, runs int64) error {
	text, err := json.Marshal(state)
	if err != nil {
		return err
	}
	qi, p := d.QuoteIdent, d.Placeholder
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("DELETE FROM %s WHERE %s = %s", qi(transformsTable), qi("node"), p(1)), node); err != nil {
		return fmt.Errorf("recording the run in %s: %w", transformsTable, err)
	}
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("INSERT INTO %s (%s, %s, %s) VALUES (%s, %s, %s)", qi(transformsTable), qi("node"), qi("inputs"), qi("runs"), p(1), p(2), p(3)), node, string(text), runs); err != nil {
		return fmt.Errorf("recording the run in %s: %w", transformsTable, err)
	}
	return nil
}

// isTransformerOutput reports whether a stream ingests a transformer's
// output store.
func isTransformerOutput(c *ecosystem.Capture) bool {
	return c != nil && c.Kind == ecosystem.TransformerOutput
}

// transformBefore runs, in a continuous run, the transformer that writes
// the output store stream s ingests (when its inputs moved), just before
// the stream's batch, so that chains settle as their streams come due. It
// returns why the stream must not run now (its transformer failed), or nil.
func (r *runner) transformBefore(ctx context.Context, pl *graph.Pipeline, s *stream) error {
	if !isTransformerOutput(s.capture) {
		return nil
	}
	for _, n := range pl.Nodes {
		if n.Kind != graph.KindTransform || n.Output != s.node.Store {
			continue
		}
		step, err := planTransform(pl, r.st.d, n, r.streams)
		if err != nil {
			return err
		}
		if tr := r.runTransform(ctx, step, s.triggeredTransformer); tr.Err != nil {
			r.log.Error("transformer failed", "node", n.ID, "err", safetext.Line(tr.Err.Error()))
			return fmt.Errorf("not run: it depends on %s, which failed: %w", n.ID, tr.Err)
		}
	}
	return nil
}

// adoptTransformerTriggers gives the stream of each transformer's output
// the transformer's own trigger (cron or external), so that a continuous
// run runs the transformer, and then the stream, when it fires.
func adoptTransformerTriggers(pl *graph.Pipeline, streams []*stream) {
	for _, s := range streams {
		if !isTransformerOutput(s.capture) {
			continue
		}
		if t := transformerTrigger(pl, s.node.Store); t != nil {
			c := *s.capture
			c.Trigger = t
			s.capture, s.triggeredTransformer = &c, true
		}
	}
}

// transformerTrigger returns the own trigger of the transformer that writes
// store, nil when it has none.
func transformerTrigger(pl *graph.Pipeline, store string) *ecosystem.Trigger {
	for _, n := range pl.Nodes {
		if n.Kind != graph.KindTransform || n.Output != store {
			continue
		}
		if w := n.Model.Workspace.Workspace; w != nil && w.Transformer != nil && w.Transformer.Trigger != nil {
			return w.Transformer.Trigger
		}
	}
	return nil
}

// runAfterTransformer runs the transformer that writes stream s's store, if
// s ingests a transformer's output (transformBefore), then s's batch; when
// the transformer fails, the stream does not run.
func (r *runner) runAfterTransformer(ctx context.Context, pl *graph.Pipeline, s *stream) BatchReport {
	if blocked := r.transformBefore(ctx, pl, s); blocked != nil {
		return notRun(s, blocked)
	}
	return r.runStream(ctx, s)
}

// notRun reports a stream that did not run, and why.
func notRun(s *stream, why error) BatchReport {
	return BatchReport{Stream: s.name, Err: &BatchError{Stream: s.name, Err: why}}
}
