package sqlplatform

import (
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// The property test drives random sequences of source changes through
// snapshot batches and compares the merge tables, the views and each
// batch's counts with an in-memory model of the semantics
// (docs/SQL_PLATFORM.md, "Milestoning") after every batch. A short run is
// part of every test run; -sqlplatform.long runs many more and longer
// sequences.

var longProperty = flag.Bool("sqlplatform.long", false, "run the long property test of the sql platform")

// semantics is the in-memory model of one dataset's merge table.
type semantics struct {
	forensic bool
	// key holds the key columns' indexes; nil for a keyless dataset.
	key []int
	// live maps a row's identity to the current row.
	live map[string]*semRow
	// versions are every version (forensic).
	versions []*semRow
}

// semRow is a row of the merge table: values, occurrence, batches.
type semRow struct {
	vals        []any
	occ         int64
	batch       int64 // live: the batch of the last change
	in, out     int64 // forensic
	identity    string
	rowText     string
	currentLive bool
}

func newSemantics(forensic bool, key []int) *semantics {
	return &semantics{forensic: forensic, key: key, live: map[string]*semRow{}}
}

// text prints values as the harness prints a row (norm).
func text(vals []any) string {
	parts := make([]string, len(vals))
	for i, v := range vals {
		parts[i] = norm(v)
	}
	return strings.Join(parts, " | ")
}

// identities returns each snapshot row's identity: its key values, or for
// a keyless dataset its values and its occurrence among equal rows.
func (m *semantics) identities(snapshot [][]any) ([]string, []int64) {
	ids := make([]string, len(snapshot))
	occs := make([]int64, len(snapshot))
	seen := map[string]int64{}
	for i, r := range snapshot {
		if m.key == nil {
			t := text(r)
			seen[t]++
			ids[i], occs[i] = fmt.Sprintf("%s#%d", t, seen[t]), seen[t]
			continue
		}
		kv := make([]any, len(m.key))
		for j, k := range m.key {
			kv[j] = r[k]
		}
		ids[i], occs[i] = text(kv), 1
	}
	return ids, occs
}

// apply applies a snapshot as batch b and returns the counts the batch
// must report.
func (m *semantics) apply(b int64, snapshot [][]any) Counts {
	ids, occs := m.identities(snapshot)
	c := Counts{Read: int64(len(snapshot))}
	inSnap := map[string]int{}
	for i, id := range ids {
		inSnap[id] = i
	}
	for id, cur := range m.live {
		i, ok := inSnap[id]
		switch {
		case !ok:
			c.Deleted++
			delete(m.live, id)
			cur.out = b - 1
		case text(snapshot[i]) != cur.rowText:
			c.Updated++
			cur.out = b - 1
			nr := &semRow{vals: snapshot[i], occ: cur.occ, batch: b, in: b, out: LiveBatch, identity: id, rowText: text(snapshot[i])}
			m.live[id] = nr
			m.versions = append(m.versions, nr)
		default:
			c.Unchanged++
		}
	}
	for i, id := range ids {
		if _, ok := m.live[id]; ok {
			continue
		}
		c.Inserted++
		nr := &semRow{vals: snapshot[i], occ: occs[i], batch: b, in: b, out: LiveBatch, identity: id, rowText: text(snapshot[i])}
		m.live[id] = nr
		m.versions = append(m.versions, nr)
	}
	return c
}

// mergeRows returns the merge table as the harness prints it, sorted.
func (m *semantics) mergeRows() []string {
	var out []string
	if m.forensic {
		for _, v := range m.versions {
			out = append(out, fmt.Sprintf("%s | %d | %d | %d", v.rowText, v.occ, v.in, v.out))
		}
	} else {
		for _, v := range m.live {
			out = append(out, fmt.Sprintf("%s | %d | %d", v.rowText, v.occ, v.batch))
		}
	}
	return sorted(out)
}

// liveRows returns the live view, sorted.
func (m *semantics) liveRows() []string {
	var out []string
	for _, v := range m.live {
		out = append(out, v.rowText)
	}
	return sorted(out)
}

// historyRows returns the history view, sorted.
func (m *semantics) historyRows() []string {
	var out []string
	for _, v := range m.versions {
		out = append(out, fmt.Sprintf("%s | %d | %d", v.rowText, v.in, v.out))
	}
	return sorted(out)
}

// The value pools the generator draws from: NULL, the empty string,
// unicode, quotes, and extreme numbers.
var (
	stringPool = []any{nil, "", " ", "a", "A", "é", "e\u0301", "日本語", "🙂", "O'Brien", `back\slash`, "NULL", "null", "tab\there",
		"line\nbreak", strings.Repeat("x", 40), strings.Repeat("ü", 40), "%_", "a|b"}
	floatPool = []any{nil, 0.0, 1.5, -2.25, 0.1, 1e-300, -1e300, math.MaxFloat64, -math.MaxFloat64, math.SmallestNonzeroFloat64, 123456789.125, float64(1 << 53)}
	idPool    = []int64{math.MinInt64, math.MaxInt64, -1, 0}
	kindPool  = []any{nil, "", "click", "view", "🙂", "Click"}
	// Low-precision floats: values each format holds exactly, its extremes
	// and subnormals included.
	halfPool    = []any{nil, 0.0, 0.5, -2.0, 65504.0, -65504.0, 6.103515625e-05, 5.960464477539063e-08, 0.0999755859375}
	bf16Pool    = []any{nil, 0.0, 1.0, -3.0, 3.3895313892515355e+38, 9.183549615799121e-41, 0.10009765625}
	float32Pool = []any{nil, 0.0, float64(float32(0.1)), math.MaxFloat32, -math.MaxFloat32, math.SmallestNonzeroFloat32, 16777216.0}
	nPool       = []any{nil, int64(0), int64(1), int64(-1), int64(math.MaxInt64), int64(math.MinInt64)}
)

func pick[T any](r *rand.Rand, pool []T) T { return pool[r.IntN(len(pool))] }

// propSource is the generator's view of the source.
type propSource struct {
	items  map[int64][]any
	floats map[int64][]any
	gone   []int64 // deleted ids, to bring back
	events [][]any
}

// mutate changes the source at random: inserts, updates, deletes,
// returning keys; duplicate, new and removed keyless rows.
func (s *propSource) mutate(r *rand.Rand) {
	for n := r.IntN(6); n >= 0; n-- {
		switch op := r.IntN(10); {
		case op < 3: // insert
			id := int64(r.IntN(40)) - 5
			if r.IntN(8) == 0 {
				id = pick(r, idPool)
			}
			if _, ok := s.items[id]; !ok {
				s.items[id] = row(id, pick(r, stringPool), pick(r, floatPool))
			}
		case op < 6: // update one column
			for id, v := range s.items {
				v = slices.Clone(v)
				if r.IntN(2) == 0 {
					v[1] = pick(r, stringPool)
				} else {
					v[2] = pick(r, floatPool)
				}
				s.items[id] = v
				break
			}
		case op < 8: // delete
			for id := range s.items {
				delete(s.items, id)
				s.gone = append(s.gone, id)
				break
			}
		default: // a deleted key returns
			if len(s.gone) > 0 {
				i := r.IntN(len(s.gone))
				id := s.gone[i]
				s.gone = slices.Delete(s.gone, i, i+1)
				if _, ok := s.items[id]; !ok {
					s.items[id] = row(id, pick(r, stringPool), pick(r, floatPool))
				}
			}
		}
	}
	for n := r.IntN(3); n >= 0; n-- {
		id := int64(r.IntN(12))
		switch op := r.IntN(4); {
		case op == 0:
			delete(s.floats, id)
		default:
			s.floats[id] = []any{id, pick(r, halfPool), pick(r, bf16Pool), pick(r, float32Pool)}
		}
	}
	for n := r.IntN(4); n >= 0; n-- {
		switch op := r.IntN(3); {
		case op == 0 && len(s.events) > 0: // a duplicate
			s.events = append(s.events, slices.Clone(s.events[r.IntN(len(s.events))]))
		case op == 1 && len(s.events) > 0: // remove one
			i := r.IntN(len(s.events))
			s.events = slices.Delete(s.events, i, i+1)
		default:
			s.events = append(s.events, []any{pick(r, kindPool), pick(r, nPool)})
		}
	}
	// The source's row order does not matter.
	r.Shuffle(len(s.events), func(i, j int) { s.events[i], s.events[j] = s.events[j], s.events[i] })
}

func (s *propSource) itemRows() [][]any { return byID(s.items) }

func (s *propSource) floatRows() [][]any { return byID(s.floats) }

// byID returns rows in the order of their ids.
func byID(rows map[int64][]any) [][]any {
	ids := make([]int64, 0, len(rows))
	for id := range rows {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	out := make([][]any, len(ids))
	for i, id := range ids {
		out[i] = rows[id]
	}
	return out
}

// lowPrecision is a dataset of low-precision floats.
var lowPrecision = tds{name: "gauges", cols: []tcol{{"id", "bigint", true}, {"half", "float16", false}, {"brain", "bfloat16", false}, {"single", "float32", false}}}

func TestPropertyRandomSnapshots(t *testing.T) {
	seeds, batches := 2, 8
	if *longProperty {
		seeds, batches = 20, 60
	}
	for _, m := range []string{"live", "forensic"} {
		for seed := 1; seed <= seeds; seed++ {
			t.Run(fmt.Sprintf("%s/seed%d", m, seed), func(t *testing.T) {
				forEachStore(t, func(t *testing.T, st storeTarget) {
					runProperty(t, st, m, uint64(seed), batches)
				})
			})
		}
	}
}

func runProperty(t *testing.T, st storeTarget, m string, seed uint64, batches int) {
	r := rand.New(rand.NewPCG(seed, 0x5eed))
	h := newHarness(t, st, modelOptions{milestoning: m, datasets: []tds{keyed, keyless, lowPrecision}})
	forensic := m == "forensic"
	items, events, gauges := newSemantics(forensic, []int{0}), newSemantics(forensic, nil), newSemantics(forensic, []int{0})
	src := &propSource{items: map[int64][]any{}, floats: map[int64][]any{}}
	for b := int64(1); b <= int64(batches); b++ {
		if b > 1 && r.IntN(6) == 0 {
			// Sometimes nothing changes at all.
		} else {
			src.mutate(r)
		}
		h.set(keyed, src.itemRows()...)
		h.set(keyless, src.events...)
		h.set(lowPrecision, src.floatRows()...)
		rep := h.run()
		wantItems := items.apply(b, src.itemRows())
		wantEvents := events.apply(b, src.events)
		wantGauges := gauges.apply(b, src.floatRows())
		ctx := fmt.Sprintf("seed %d, batch %d", seed, b)
		if got := rep.Batches[0]; got.Batch != b || got.State != Committed {
			t.Fatalf("%s: batch %d %s", ctx, got.Batch, got.State)
		}
		for _, c := range []struct {
			name string
			got  Counts
			want Counts
		}{{"events", rep.Batches[0].Datasets[0].Counts, wantEvents}, {"gauges", rep.Batches[0].Datasets[1].Counts, wantGauges}, {"items", rep.Batches[0].Datasets[2].Counts, wantItems}} {
			c.got.Bytes = 0
			if c.got != c.want {
				t.Errorf("%s: %s counts = %+v, want %+v", ctx, c.name, c.got, c.want)
			}
		}
		expectRows(t, ctx+": items merge table", h.merge(keyed), items.mergeRows()...)
		expectRows(t, ctx+": events merge table", h.merge(keyless), events.mergeRows()...)
		expectRows(t, ctx+": gauges merge table", h.merge(lowPrecision), gauges.mergeRows()...)
		expectRows(t, ctx+": items live view", h.view(keyed, ViewLive), items.liveRows()...)
		expectRows(t, ctx+": events live view", h.view(keyless, ViewLive), events.liveRows()...)
		if forensic {
			expectRows(t, ctx+": items history view", h.view(keyed, ViewHistory), items.historyRows()...)
			expectRows(t, ctx+": events history view", h.view(keyless, ViewHistory), events.historyRows()...)
			expectRows(t, ctx+": gauges history view", h.view(lowPrecision, ViewHistory), gauges.historyRows()...)
		}
		if t.Failed() {
			t.FailNow()
		}
	}
}
