package sqlplatform

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/datasurface/datasurface-go/ecosystem"
	"github.com/datasurface/datasurface-go/graph"
	"github.com/datasurface/datasurface-go/platforms/sqlplatform/dialect"
)

// The kinds of consumer view.
const (
	// ViewLive shows exactly the model's columns, in model order, of the
	// current rows.
	ViewLive = "live"
	// ViewHistory (forensic platforms) shows every version: the model's
	// columns, then dsl_batch_in and dsl_batch_out.
	ViewHistory = "history"
)

// ViewRef names one consumer view in the merge store.
type ViewRef struct {
	// Workspace and Group are the dataset group the view serves, Store and
	// Dataset what it shows.
	Workspace string `json:"workspace"`
	Group     string `json:"group"`
	Store     string `json:"store"`
	Dataset   string `json:"dataset"`
	// Kind is ViewLive or ViewHistory.
	Kind string `json:"kind"`
	// Name is the view's name in the merge store (see LiveViewName).
	Name string `json:"name"`
}

// viewSpec is a view as the model wants it.
type viewSpec struct {
	ref    ViewRef
	stream string
	// query is the view's SELECT; hash identifies it, so a view is
	// recreated only when it changes.
	query string
	hash  string
}

// viewsOf returns the views of export node n, which reads a dataset of
// stream s: the live view, and on forensic platforms the history view.
func viewsOf(d dialect.Dialect, n *graph.Node, s *stream, m ecosystem.Milestoning) []viewSpec {
	var ds *datasetPlan
	for _, x := range s.datasets {
		if x.name == n.Dataset {
			ds = x
		}
	}
	if ds == nil {
		return nil
	}
	q := d.QuoteIdent
	cols := make([]string, len(ds.columns))
	for i, c := range ds.columns {
		cols[i] = q(c.name)
	}
	from := " FROM " + q(ds.merge)
	live := "SELECT " + strings.Join(cols, ", ") + from
	if m == ecosystem.Forensic {
		live += " WHERE " + q(colBatchOut) + " = " + strconv.FormatInt(LiveBatch, 10)
	}
	ref := ViewRef{Workspace: n.Workspace, Group: n.Group, Store: n.Store, Dataset: n.Dataset}
	lv := ref
	lv.Kind, lv.Name = ViewLive, LiveViewName(d, n.Workspace, n.Group, n.Dataset)
	out := []viewSpec{newViewSpec(lv, s.name, live)}
	if m == ecosystem.Forensic {
		hist := "SELECT " + strings.Join(cols, ", ") + ", " + q(colBatchIn) + ", " + q(colBatchOut) + from
		hv := ref
		hv.Kind, hv.Name = ViewHistory, HistoryViewName(d, n.Workspace, n.Group, n.Dataset)
		out = append(out, newViewSpec(hv, s.name, hist))
	}
	return out
}

func newViewSpec(ref ViewRef, stream, query string) viewSpec {
	sum := sha256.Sum256([]byte(query))
	return viewSpec{ref: ref, stream: stream, query: query, hash: hex.EncodeToString(sum[:16])}
}

// viewsTable records the views the platform made: their stream and the
// hash of their query, so that a view is recreated only when its query
// changes and a view the model no longer wants is dropped.
const viewsTable = "dsl_views"

// syncViews brings the views of stream s in line with the model inside the
// merge transaction tx: it creates a missing view, recreates one whose
// query changed (new columns, another milestoning), and drops the views it
// made for s that the model no longer wants. It runs no DDL when nothing
// changed.
func syncViews(ctx context.Context, tx dialect.Querier, d dialect.Dialect, s *stream, ddl ddlExec) error {
	made, err := madeViews(ctx, tx, d)
	if err != nil {
		return err
	}
	want := map[string]bool{}
	for _, v := range s.views {
		want[v.ref.Name] = true
		phys, err := d.TableColumns(ctx, tx, v.ref.Name)
		if err != nil {
			return fmt.Errorf("reading view %s in the merge store: %w", v.ref.Name, err)
		}
		rec, ours := made[v.ref.Name]
		if phys != nil && ours && rec.hash == v.hash && rec.stream == s.name {
			continue
		}
		if phys != nil && !ours {
			// Not made by this platform: never drop it.
			return &schemaError{msg: fmt.Sprintf("the %s view of dataset %s.%s for group %s.%s is named %s, but the merge store already holds a table or view of that name that the platform did not make: rename or drop it",
				v.ref.Kind, v.ref.Store, v.ref.Dataset, v.ref.Workspace, v.ref.Group, v.ref.Name)}
		}
		if phys != nil && rec.hash != v.hash {
			if err := ddl(ctx, tx, "DROP VIEW "+d.QuoteIdent(v.ref.Name)); err != nil {
				return err
			}
		}
		if phys == nil || rec.hash != v.hash {
			if err := ddl(ctx, tx, "CREATE VIEW "+d.QuoteIdent(v.ref.Name)+" AS "+v.query); err != nil {
				return err
			}
		}
		if err := recordView(ctx, tx, d, v); err != nil {
			return err
		}
	}
	retired := make([]string, 0, len(made))
	for name, rec := range made {
		if !want[name] && rec.stream == s.name {
			retired = append(retired, name)
		}
	}
	slices.Sort(retired)
	for _, name := range retired {
		phys, err := d.TableColumns(ctx, tx, name)
		if err != nil {
			return fmt.Errorf("reading view %s in the merge store: %w", name, err)
		}
		if phys != nil {
			if err := ddl(ctx, tx, "DROP VIEW "+d.QuoteIdent(name)); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM "+d.QuoteIdent(viewsTable)+" WHERE "+d.QuoteIdent("name")+" = "+d.Placeholder(1), name); err != nil {
			return fmt.Errorf("forgetting view %s: %w", name, err)
		}
	}
	return nil
}

// dropStreamViews drops, inside the merge transaction tx, every view the
// platform made for stream s: PostgreSQL refuses to change the type of a
// column a view selects, so a batch that widens a column drops the views
// first and syncViews makes them again in the same transaction.
func dropStreamViews(ctx context.Context, tx dialect.Querier, d dialect.Dialect, s *stream, ddl ddlExec) error {
	made, err := madeViews(ctx, tx, d)
	if err != nil {
		return err
	}
	var names []string
	for name, rec := range made {
		if rec.stream == s.name {
			names = append(names, name)
		}
	}
	for _, v := range s.views {
		if _, ours := made[v.ref.Name]; ours && !slices.Contains(names, v.ref.Name) {
			names = append(names, v.ref.Name)
		}
	}
	slices.Sort(names)
	for _, name := range names {
		if err := ddl(ctx, tx, "DROP VIEW IF EXISTS "+d.QuoteIdent(name)); err != nil {
			return err
		}
	}
	return nil
}

// viewRecord is what the platform recorded about a view it made.
type viewRecord struct{ stream, hash string }

// madeViews returns the views the platform made: name → record.
func madeViews(ctx context.Context, q dialect.Querier, d dialect.Dialect) (map[string]viewRecord, error) {
	rows, err := q.QueryContext(ctx, "SELECT "+d.QuoteIdent("name")+", "+d.QuoteIdent("stream")+", "+d.QuoteIdent("hash")+" FROM "+d.QuoteIdent(viewsTable))
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", viewsTable, err)
	}
	defer rows.Close()
	out := map[string]viewRecord{}
	for rows.Next() {
		var name string
		var rec viewRecord
		if err := rows.Scan(&name, &rec.stream, &rec.hash); err != nil {
			return nil, fmt.Errorf("reading %s: %w", viewsTable, err)
		}
		out[name] = rec
	}
	return out, rows.Err()
}

// recordView records that v exists with its current query.
func recordView(ctx context.Context, q dialect.Querier, d dialect.Dialect, v viewSpec) error {
	t := d.QuoteIdent(viewsTable)
	if _, err := q.ExecContext(ctx, "DELETE FROM "+t+" WHERE "+d.QuoteIdent("name")+" = "+d.Placeholder(1), v.ref.Name); err != nil {
		return fmt.Errorf("recording view %s: %w", v.ref.Name, err)
	}
	_, err := q.ExecContext(ctx, "INSERT INTO "+t+" ("+d.QuoteIdent("name")+", "+d.QuoteIdent("stream")+", "+d.QuoteIdent("hash")+") VALUES ("+
		d.Placeholder(1)+", "+d.Placeholder(2)+", "+d.Placeholder(3)+")", v.ref.Name, v.stream, v.hash)
	if err != nil {
		return fmt.Errorf("recording view %s: %w", v.ref.Name, err)
	}
	return nil
}

// retireViews drops the views the platform made for streams the pipeline
// no longer has (a store or dataset removed from the platform's groups),
// each under its stream's lock and in one transaction; a stream that is
// busy keeps its views until the next full run. Merge tables are never
// dropped: they hold data. A merge store belongs to one platform, whose
// pipeline says which streams exist.
func (r *runner) retireViews(ctx context.Context) error {
	st := r.st
	made, err := madeViews(ctx, st.db, st.d)
	if err != nil {
		return err
	}
	live := map[string]bool{}
	for _, s := range r.streams {
		live[s.name] = true
	}
	gone := map[string][]string{}
	for name, rec := range made {
		if !live[rec.stream] {
			gone[rec.stream] = append(gone[rec.stream], name)
		}
	}
	streams := make([]string, 0, len(gone))
	for s := range gone {
		streams = append(streams, s)
	}
	slices.Sort(streams)
	for _, s := range streams {
		if err := r.retireStream(ctx, s, gone[s]); err != nil {
			return err
		}
	}
	return nil
}

// retireStream drops the named views of a stream the pipeline no longer has.
func (r *runner) retireStream(ctx context.Context, stream string, views []string) error {
	st := r.st
	release, err := lockStream(ctx, st.db, st.d, stream)
	if errors.Is(err, ErrStreamBusy) {
		return nil
	}
	if err != nil {
		return err
	}
	defer func() { _ = release() }()
	tx, err := st.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() { _ = tx.Rollback() }()
	slices.Sort(views)
	for _, name := range views {
		if err := r.ddl(ctx, tx, "DROP VIEW IF EXISTS "+st.d.QuoteIdent(name)); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM "+st.d.QuoteIdent(viewsTable)+" WHERE "+st.d.QuoteIdent("name")+" = "+st.d.Placeholder(1), name); err != nil {
			return fmt.Errorf("forgetting view %s: %w", name, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("retiring the views of stream %s: %w", stream, err)
	}
	r.log.Info("retired the views of a stream the pipeline no longer has", "stream", stream, "views", views)
	return nil
}
