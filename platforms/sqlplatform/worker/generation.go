package worker

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sync"

	"github.com/datasurface/datasurface-go/graph"
	"github.com/datasurface/datasurface-go/platforms/sqlplatform"
)

// generation is one loaded model: its store session and streams. A Reload
// makes a new generation; jobs that started under the old one finish with
// it, and its session closes when the last of them is done.
type generation struct {
	model   Model
	session *sqlplatform.Session
	// order lists the streams in the pipeline's order; streams indexes it.
	order   []sqlplatform.StreamInfo
	streams map[string]sqlplatform.StreamInfo
	// dependants maps a stream to the streams whose transformers read it.
	dependants map[string][]string
	// fingerprints identify each stream's definition (its node: datasets,
	// schema, capture), to tell changed streams on a reload.
	fingerprints map[string]string
	// refs counts the jobs and readers using the generation.
	refs sync.WaitGroup
}

// open makes a generation for model m: it opens the platform's store for
// the pipeline, retiring the views of consumers the model no longer has.
func (w *Worker) open(ctx context.Context, m Model) (*generation, error) {
	infos, err := m.Platform.Streams(m.Pipeline)
	if err != nil {
		return nil, err
	}
	session, err := m.Platform.Open(ctx, m.Pipeline, true)
	if err != nil {
		return nil, err
	}
	session.SetMaxOpenConns(StoreConns(w.o.Concurrency))
	g := &generation{model: m, session: session, order: infos, streams: map[string]sqlplatform.StreamInfo{},
		dependants: map[string][]string{}, fingerprints: map[string]string{}}
	for _, s := range infos {
		g.streams[s.Name] = s
		for _, up := range s.After {
			g.dependants[up] = append(g.dependants[up], s.Name)
		}
		g.fingerprints[s.Name] = nodeFingerprint(m.Pipeline.Node(s.Node), s)
	}
	return g, nil
}

// nodeFingerprint is a digest of what defines a stream: its datasets'
// schemas, its capture and its trigger.
func nodeFingerprint(n *graph.Node, s sqlplatform.StreamInfo) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s|%s|%s|%s|%v\n", s.Capture, s.Cron, s.Event, s.Transformer, s.After)
	if n != nil {
		for _, ds := range n.Model.Datasets {
			fmt.Fprintf(h, "dataset %s\n", ds.Name)
			for _, c := range ds.Columns {
				fmt.Fprintf(h, "%s %s key=%t null=%t\n", c.Name, c.Type, c.Key, c.Nullable)
			}
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}

// acquire returns the current generation, counted as in use (call
// gen.refs.Done when finished), or nil once the worker is closed.
func (w *Worker) acquire() *generation {
	w.mu.RLock()
	defer w.mu.RUnlock()
	if w.cur != nil {
		w.cur.refs.Add(1)
	}
	return w.cur
}

// current returns the current generation without counting it: for the
// goroutine that runs Run or Reload, which the generation outlives.
func (w *Worker) current() *generation {
	w.mu.RLock()
	defer w.mu.RUnlock()
	return w.cur
}

// Reload makes the worker run model m from now on: streams m adds are
// scheduled (and those without a cron trigger enqueued at once), streams it
// removes retire (their periodic jobs stop and their waiting jobs complete
// without running; their tables stay), and streams whose definition changed
// are enqueued at once, so their tables reconcile with the new schema.
// Batches running under the old model finish under it. On error the worker
// keeps running the model it had.
func (w *Worker) Reload(ctx context.Context, m Model) error {
	if m.Platform == nil || m.Pipeline == nil {
		return fmt.Errorf("worker: a model needs a platform and its pipeline")
	}
	if m.Platform.Name() != w.name {
		return fmt.Errorf("worker of platform %s was given a model of platform %s", w.name, m.Platform.Name())
	}
	gen, err := w.open(ctx, m)
	if err != nil {
		if w.o.Metrics != nil {
			w.o.Metrics.ModelLoaded(m.Revision, false)
		}
		return err
	}
	w.mu.Lock()
	old := w.cur
	if old == nil {
		w.mu.Unlock()
		_ = gen.session.Close()
		return fmt.Errorf("worker of platform %s is closed", w.name)
	}
	w.cur = gen
	w.mu.Unlock()
	if w.o.Metrics != nil {
		w.o.Metrics.ModelLoaded(m.Revision, true)
	}
	var added, removed, changed []string
	for _, s := range gen.order {
		switch fp, ok := old.fingerprints[s.Name]; {
		case !ok:
			added = append(added, s.Name)
		case fp != gen.fingerprints[s.Name]:
			changed = append(changed, s.Name)
		}
	}
	for _, s := range old.order {
		if _, ok := gen.streams[s.Name]; !ok {
			removed = append(removed, s.Name)
		}
	}
	w.log.Info("model reloaded", "revision", m.Revision, "previous", old.model.Revision,
		"added", added, "removed", removed, "changed", changed)
	w.schedule(ctx, gen, changed)
	go func() {
		old.refs.Wait()
		if err := old.session.Close(); err != nil {
			w.log.Warn("closing the previous model's store session", "err", err)
		}
	}()
	return nil
}
