package sqlplatform

import (
	"strings"
	"testing"
)

// The scenarios drive one source through batches and check the merge
// tables, the views and the batch records after each: the semantic rules
// of docs/SQL_PLATFORM.md ("Milestoning"), one at a time.

// row is a source row of the keyed dataset.
func row(id int64, name any, score any) []any { return []any{id, name, score} }

// TestLiveSemantics: inserts, an update, a delete, an unchanged row that
// keeps its batch, a deleted key that comes back as a new insert, and NULL
// and the empty string as different values.
func TestLiveSemantics(t *testing.T) {
	forEachStore(t, func(t *testing.T, st storeTarget) {
		h := newHarness(t, st, modelOptions{datasets: []tds{keyed}})

		h.set(keyed, row(1, "a", 1.5), row(2, "b", nil), row(3, "", 2.0))
		rep := h.run()
		expectCounts(t, rep, "batch 1: 3 read, 3 inserted, 0 updated, 0 deleted, 0 unchanged")
		expectRows(t, "merge after batch 1", h.merge(keyed),
			`1 | "a" | 1.5 | 1 | 1`, `2 | "b" | NULL | 1 | 1`, `3 | "" | 2 | 1 | 1`)

		// 1 unchanged, 2 changed, 3 deleted, 4 new.
		h.set(keyed, row(1, "a", 1.5), row(2, "b2", nil), row(4, "d", 0.25))
		rep = h.run()
		expectCounts(t, rep, "batch 2: 3 read, 1 inserted, 1 updated, 1 deleted, 1 unchanged")
		expectRows(t, "merge after batch 2", h.merge(keyed),
			`1 | "a" | 1.5 | 1 | 1`, `2 | "b2" | NULL | 1 | 2`, `4 | "d" | 0.25 | 1 | 2`)

		// 3 comes back: a new insert in batch 3.
		h.set(keyed, row(1, "a", 1.5), row(2, "b2", nil), row(3, "", 2.0), row(4, "d", 0.25))
		rep = h.run()
		expectCounts(t, rep, "batch 3: 4 read, 1 inserted, 0 updated, 0 deleted, 3 unchanged")
		expectRows(t, "merge after batch 3", h.merge(keyed),
			`1 | "a" | 1.5 | 1 | 1`, `2 | "b2" | NULL | 1 | 2`, `3 | "" | 2 | 1 | 3`, `4 | "d" | 0.25 | 1 | 2`)

		// The empty string becomes NULL, NULL becomes the empty string:
		// both are changes.
		h.set(keyed, row(1, "a", 1.5), row(2, "b2", nil), row(3, nil, 2.0), row(4, "", 0.25))
		rep = h.run()
		expectCounts(t, rep, "batch 4: 4 read, 0 inserted, 2 updated, 0 deleted, 2 unchanged")
		h.set(keyed, row(1, "a", 1.5), row(2, "b2", nil), row(3, "", 2.0), row(4, "", 0.25))
		rep = h.run()
		expectCounts(t, rep, "batch 5: 4 read, 0 inserted, 1 updated, 0 deleted, 3 unchanged")
		expectRows(t, "merge after batch 5", h.merge(keyed),
			`1 | "a" | 1.5 | 1 | 1`, `2 | "b2" | NULL | 1 | 2`, `3 | "" | 2 | 1 | 5`, `4 | "" | 0.25 | 1 | 4`)

		// The live view has exactly the model's columns in model order,
		// and the live platform has no history view.
		if cols := h.columnsOf("SELECT * FROM " + h.q(LiveViewName(st.d, "Reports", "daily", "items"))); strings.Join(cols, ",") != "id,name,score" {
			t.Errorf("live view columns = %v, want id, name, score", cols)
		}
		expectRows(t, "live view", h.view(keyed, ViewLive),
			`1 | "a" | 1.5`, `2 | "b2" | NULL`, `3 | "" | 2`, `4 | "" | 0.25`)
		if phys, err := st.d.TableColumns(t.Context(), st.db, HistoryViewName(st.d, "Reports", "daily", "items")); err != nil || phys != nil {
			t.Errorf("a live platform made a history view (%v)", err)
		}
		expectRows(t, "batch records", h.batches("Shop"),
			`1 | "COMMITTED" | 3 | 3 | 0 | 0 | 0`, `2 | "COMMITTED" | 3 | 1 | 1 | 1 | 1`, `3 | "COMMITTED" | 4 | 1 | 0 | 0 | 3`,
			`4 | "COMMITTED" | 4 | 0 | 2 | 0 | 2`, `5 | "COMMITTED" | 4 | 0 | 1 | 0 | 3`)
	})
}

// TestForensicSemantics: the same changes on a forensic platform keep every
// version; a changed or deleted row closes at the last batch in which it
// was current; a returning key opens a new version; nothing is deleted.
func TestForensicSemantics(t *testing.T) {
	forEachStore(t, func(t *testing.T, st storeTarget) {
		h := newHarness(t, st, modelOptions{milestoning: "forensic", datasets: []tds{keyed}})
		const live = "9223372036854775807"

		h.set(keyed, row(1, "a", 1.5), row(2, "b", nil), row(3, "", 2.0))
		expectCounts(t, h.run(), "batch 1: 3 read, 3 inserted, 0 updated, 0 deleted, 0 unchanged")
		h.set(keyed, row(1, "a", 1.5), row(2, "b2", nil), row(4, "d", 0.25))
		expectCounts(t, h.run(), "batch 2: 3 read, 1 inserted, 1 updated, 1 deleted, 1 unchanged")
		// Nothing changes in batch 3: no version opens or closes.
		expectCounts(t, h.run(), "batch 3: 3 read, 0 inserted, 0 updated, 0 deleted, 3 unchanged")
		h.set(keyed, row(1, "a", 1.5), row(2, "b2", nil), row(3, nil, 2.0), row(4, "d", 0.25))
		expectCounts(t, h.run(), "batch 4: 4 read, 1 inserted, 0 updated, 0 deleted, 3 unchanged")
		h.set(keyed, row(1, "a", 1.5), row(2, "b2", nil), row(3, "", 2.0), row(4, "d", 0.25))
		expectCounts(t, h.run(), "batch 5: 4 read, 0 inserted, 1 updated, 0 deleted, 3 unchanged")

		expectRows(t, "merge table", h.merge(keyed),
			`1 | "a" | 1.5 | 1 | 1 | `+live,
			`2 | "b" | NULL | 1 | 1 | 1`,
			`2 | "b2" | NULL | 1 | 2 | `+live,
			`3 | "" | 2 | 1 | 1 | 1`,
			`3 | "" | 2 | 1 | 5 | `+live,
			`3 | NULL | 2 | 1 | 4 | 4`,
			`4 | "d" | 0.25 | 1 | 2 | `+live)
		expectRows(t, "live view", h.view(keyed, ViewLive),
			`1 | "a" | 1.5`, `2 | "b2" | NULL`, `3 | "" | 2`, `4 | "d" | 0.25`)
		hv := HistoryViewName(st.d, "Reports", "daily", "items")
		if cols := h.columnsOf("SELECT * FROM " + h.q(hv)); strings.Join(cols, ",") != "id,name,score,dsl_batch_in,dsl_batch_out" {
			t.Errorf("history view columns = %v", cols)
		}
		// "As of batch 3" is one predicate.
		expectRows(t, "as of batch 3", h.query("SELECT id, name FROM "+h.q(hv)+" WHERE dsl_batch_in <= 3 AND 3 <= dsl_batch_out ORDER BY id"),
			`1 | "a"`, `2 | "b2"`, `4 | "d"`)
		expectRows(t, "as of batch 1", h.query("SELECT id, name FROM "+h.q(hv)+" WHERE dsl_batch_in <= 1 AND 1 <= dsl_batch_out ORDER BY id"),
			`1 | "a"`, `2 | "b"`, `3 | ""`)
	})
}

// TestKeylessKeepsDuplicates: a dataset without a key keys on all columns
// and keeps duplicate rows as duplicates; removing one copy removes
// (closes) one.
func TestKeylessKeepsDuplicates(t *testing.T) {
	for _, m := range []string{"live", "forensic"} {
		t.Run(m, func(t *testing.T) {
			forEachStore(t, func(t *testing.T, st storeTarget) {
				h := newHarness(t, st, modelOptions{milestoning: m, datasets: []tds{keyless}})
				h.set(keyless, []any{"a", int64(1)}, []any{"a", int64(1)}, []any{"b", nil}, []any{"a", int64(1)}, []any{"", nil})
				expectCounts(t, h.run(), "batch 1: 5 read, 5 inserted, 0 updated, 0 deleted, 0 unchanged")
				h.set(keyless, []any{"b", nil}, []any{"a", int64(1)}, []any{nil, nil}, []any{"", nil})
				expectCounts(t, h.run(), "batch 2: 4 read, 1 inserted, 0 updated, 2 deleted, 3 unchanged")
				if m == "live" {
					expectRows(t, "merge table", h.merge(keyless),
						`"" | NULL | 1 | 1`, `"a" | 1 | 1 | 1`, `"b" | NULL | 1 | 1`, `NULL | NULL | 1 | 2`)
				} else {
					const live = "9223372036854775807"
					expectRows(t, "merge table", h.merge(keyless),
						`"" | NULL | 1 | 1 | `+live, `"a" | 1 | 1 | 1 | `+live, `"a" | 1 | 2 | 1 | 1`, `"a" | 1 | 3 | 1 | 1`,
						`"b" | NULL | 1 | 1 | `+live, `NULL | NULL | 1 | 2 | `+live)
				}
				expectRows(t, "live view", h.view(keyless, ViewLive), `"" | NULL`, `"a" | 1`, `"b" | NULL`, `NULL | NULL`)
				h.set(keyless, []any{"a", int64(1)}, []any{"a", int64(1)})
				expectCounts(t, h.run(), "batch 3: 2 read, 1 inserted, 0 updated, 3 deleted, 1 unchanged")
				expectRows(t, "live view", h.view(keyless, ViewLive), `"a" | 1`, `"a" | 1`)
			})
		})
	}
}

// expectCounts checks the one batch of a report by its summary.
func expectCounts(t *testing.T, rep *Report, want string) {
	t.Helper()
	if len(rep.Batches) != 1 {
		t.Fatalf("report has %d batches, want 1", len(rep.Batches))
	}
	if got := rep.Batches[0].Summary(); got != want {
		t.Errorf("batch: %s\n  want %s", got, want)
	}
}
