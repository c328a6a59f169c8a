package sqlplatform

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/datasurface/datasurface-go/graph/openlineage"
)

// recordEmitter keeps the events it is given; it fails when told to.
type recordEmitter struct {
	mu     sync.Mutex
	events []openlineage.RunEvent
	fail   bool
}

func (r *recordEmitter) Emit(_ context.Context, e openlineage.Event) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.fail {
		return errors.New("the lineage endpoint is down")
	}
	r.events = append(r.events, e.(openlineage.RunEvent))
	return nil
}

func (r *recordEmitter) Close() error { return nil }

// TestLineageEvents: with WithLineage, a committed batch emits START then
// COMPLETE with the rows written per dataset, a failed batch START then
// FAIL with its error, and the batch resumed later START and COMPLETE
// under the same run ID.
func TestLineageEvents(t *testing.T) {
	forEachStore(t, func(t *testing.T, st storeTarget) {
		em := &recordEmitter{}
		h := newHarness(t, st, modelOptions{datasets: []tds{keyed}}, WithLineage("Test", em))
		h.set(keyed, []any{int64(1), "a", 1.0}, []any{int64(2), "b", 2.0})
		h.run()
		h.set(keyed, []any{int64(1), "a", 1.5})
		h.exec("ALTER TABLE items RENAME COLUMN score TO points")
		if _, err := h.runErr(); err == nil {
			t.Fatal("batch 2 committed without its column")
		}
		h.exec("ALTER TABLE items RENAME COLUMN points TO score")
		h.run()

		type seen struct {
			typ  openlineage.EventType
			rows map[string]int64
			err  string
		}
		var got []seen
		runIDs := map[string]bool{}
		for _, e := range em.events {
			if e.Job.Name != "ingest:Shop" || e.Job.Namespace != "datasurface://Test/Lake" || len(e.Inputs) != 1 || len(e.Outputs) != 1 {
				t.Fatalf("event's job or datasets: %+v", e)
			}
			s := seen{typ: e.EventType, rows: map[string]int64{}}
			for _, o := range e.Outputs {
				if o.OutputFacets != nil && o.OutputFacets.OutputStatistics != nil {
					s.rows[o.Name] = o.OutputFacets.OutputStatistics.RowCount
				}
			}
			if f := e.Run.Facets; f != nil && f.ErrorMessage != nil {
				s.err = f.ErrorMessage.Message
			}
			if e.EventType != openlineage.Start {
				runIDs[e.Run.RunID] = true
			}
			got = append(got, s)
		}
		want := []seen{
			{typ: openlineage.Start, rows: map[string]int64{}},
			{typ: openlineage.Complete, rows: map[string]int64{"Shop.items": 2}},
			{typ: openlineage.Start, rows: map[string]int64{}},
			{typ: openlineage.Fail, rows: map[string]int64{}, err: "stream Shop, batch 2, dataset items: "},
			{typ: openlineage.Start, rows: map[string]int64{}},
			{typ: openlineage.Complete, rows: map[string]int64{"Shop.items": 2}}, // 1 updated, 1 deleted
		}
		if len(got) != len(want) {
			t.Fatalf("%d events, want %d: %+v", len(got), len(want), got)
		}
		for i := range want {
			if got[i].typ != want[i].typ || !strings.HasPrefix(got[i].err, want[i].err) || len(got[i].rows) != len(want[i].rows) {
				t.Fatalf("event %d: %+v, want %+v", i, got[i], want[i])
			}
			for k, v := range want[i].rows {
				if got[i].rows[k] != v {
					t.Fatalf("event %d: rows %v, want %v", i, got[i].rows, want[i].rows)
				}
			}
		}
		// Batch 1's COMPLETE, batch 2's FAIL and batch 2's COMPLETE: two runs.
		if len(runIDs) != 2 {
			t.Fatalf("run IDs %v: want one per batch, the resumed batch keeping its own", runIDs)
		}
	})
}

// TestLineageFailureDoesNotStopTheBatch: an event that cannot be delivered
// is logged; the batch commits all the same.
func TestLineageFailureDoesNotStopTheBatch(t *testing.T) {
	em := &recordEmitter{fail: true}
	h := newHarness(t, sqliteStore(t), modelOptions{datasets: []tds{keyed}}, WithLineage("Test", em))
	h.set(keyed, []any{int64(1), "a", 1.0})
	if rep := h.run(); rep.Batches[0].State != Committed {
		t.Fatalf("batch: %+v", rep.Batches[0])
	}
}

// TestLineageToAFile: the JSON-lines emitter gets one event per line.
func TestLineageToAFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "lineage.jsonl")
	em, err := openlineage.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, sqliteStore(t), modelOptions{datasets: []tds{keyed}}, WithLineage("Test", em))
	h.set(keyed, []any{int64(1), "a", 1.0})
	h.run()
	if err := em.Close(); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	if len(lines) != 2 {
		t.Fatalf("%d lines, want START and COMPLETE:\n%s", len(lines), data)
	}
	for i, typ := range []string{"START", "COMPLETE"} {
		var e struct{ EventType string }
		if err := json.Unmarshal([]byte(lines[i]), &e); err != nil || e.EventType != typ {
			t.Fatalf("line %d: %v, %q, want %s", i+1, err, e.EventType, typ)
		}
	}
}
