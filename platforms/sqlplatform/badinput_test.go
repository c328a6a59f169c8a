package sqlplatform

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Bad input gets a clear error and loses nothing: each case below commits
// batch 1, breaks something, and checks that the next run fails with an
// error naming the stream, the dataset and what to do, that batch 2 stays
// uncommitted with its error recorded, and that the merge tables and views
// are exactly as batch 1 left them. Then it repairs the input and checks
// that the next run finishes batch 2.

type badCase struct {
	name string
	// breaks breaks the input; repair undoes it (nil: the case has no
	// repair worth testing).
	breaks, repair func(h *harness)
	// want are fragments the error must contain.
	want []string
	// forensic runs the case on a forensic platform.
	forensic bool
	// postgres runs the case only on a PostgreSQL store (SQLite columns
	// cannot be retyped or made NOT NULL in place).
	postgres bool
}

func TestBadInputLosesNothing(t *testing.T) {
	long := strings.Repeat("é", 41) // varchar(40) holds 40 characters
	cases := []badCase{
		{
			name: "source file missing",
			breaks: func(h *harness) {
				if err := os.Rename(filepath.Join(h.root, "src.db"), filepath.Join(h.root, "moved.db")); err != nil {
					h.t.Fatal(err)
				}
			},
			repair: func(h *harness) {
				if err := os.Rename(filepath.Join(h.root, "moved.db"), filepath.Join(h.root, "src.db")); err != nil {
					h.t.Fatal(err)
				}
			},
			want: []string{"stream Shop, batch 2", `source container "src"`, "does not exist"},
		},
		{
			name:   "table missing at the source",
			breaks: func(h *harness) { h.exec(`ALTER TABLE items RENAME TO items_old`) },
			repair: func(h *harness) { h.exec(`ALTER TABLE items_old RENAME TO items`) },
			want:   []string{"stream Shop, batch 2, dataset items", `has no table "items"`, "create it"},
		},
		{
			name:   "column missing at the source",
			breaks: func(h *harness) { h.exec(`ALTER TABLE items RENAME COLUMN score TO points`) },
			repair: func(h *harness) { h.exec(`ALTER TABLE items RENAME COLUMN points TO score`) },
			want:   []string{"dataset items", "eco.star:7:", "column score", "has no such column (it has id, name, points)"},
		},
		{
			name:   "value too long for its type",
			breaks: func(h *harness) { h.exec(`UPDATE items SET name = ? WHERE id = 2`, long) },
			repair: func(h *harness) { h.set(keyed, row(1, "a", 1.5), row(2, "b", nil)) },
			want:   []string{"dataset items", "column name", "row 2 of the snapshot (id = 2)"},
		},
		{
			name:   "text in a float column",
			breaks: func(h *harness) { h.exec(`UPDATE items SET score = 'n/a' WHERE id = 1`) },
			repair: func(h *harness) { h.exec(`UPDATE items SET score = 1.5 WHERE id = 1`) },
			want:   []string{"dataset items", "column score, row 1 of the snapshot (id = 1)", `"n/a"`},
		},
		{
			name:   "NULL key",
			breaks: func(h *harness) { h.set(keyed, row(1, "a", 1.5), []any{nil, "n", nil}) },
			repair: func(h *harness) { h.set(keyed, row(1, "a", 1.5)) },
			want:   []string{"dataset items", "column id", "NULL in a key column"},
		},
		{
			name:     "duplicate key",
			breaks:   func(h *harness) { h.set(keyed, row(1, "a", 1.5), row(7, "x", nil), row(7, "y", nil)) },
			repair:   func(h *harness) { h.set(keyed, row(1, "a", 1.5), row(7, "x", nil)) },
			want:     []string{"dataset items", "column id", "(id = 7)", "the key occurs 2 times in the snapshot"},
			forensic: true,
		},
		{
			name: "merge table altered by hand",
			breaks: func(h *harness) {
				if _, err := h.st.db.Exec("ALTER TABLE " + h.q(MergeTableName(h.st.d, "Shop", "items")) + " DROP COLUMN " + h.q(colRowHash)); err != nil {
					h.t.Fatal(err)
				}
			},
			want: []string{"dataset items", "merge table shop__items has no column dsl_row_hash", "rename or drop the table"},
		},
		{
			name: "merge table column retyped by hand",
			breaks: func(h *harness) {
				// PostgreSQL retypes no column a view selects: drop the
				// view and make it again as it was.
				h.storeExec("DROP VIEW reports__daily__items")
				h.storeExec("ALTER TABLE shop__items ALTER COLUMN name TYPE integer USING NULL")
				h.storeExec("CREATE VIEW reports__daily__items AS SELECT id, name, score FROM shop__items")
			},
			want:     []string{"dataset items", "merge table shop__items column name is integer, which cannot hold the model's nvarchar(40)", "widen or drop the column by hand"},
			postgres: true,
		},
		{
			name:     "merge table column made NOT NULL by hand",
			breaks:   func(h *harness) { h.storeExec("ALTER TABLE shop__items ALTER COLUMN name SET NOT NULL") },
			repair:   func(h *harness) { h.storeExec("ALTER TABLE shop__items ALTER COLUMN name DROP NOT NULL") },
			want:     []string{"dataset items", "merge table shop__items column name is NOT NULL, but the model allows NULL in it"},
			postgres: true,
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			forEachStore(t, func(t *testing.T, st storeTarget) {
				if c.postgres && st.name != "postgres" {
					t.Skip("a PostgreSQL case")
				}
				m := "live"
				if c.forensic {
					m = "forensic"
				}
				h := newHarness(t, st, modelOptions{milestoning: m, datasets: []tds{keyed}})
				h.set(keyed, row(1, "a", 1.5), row(2, "b", nil))
				h.run()
				before, beforeView := h.merge(keyed), h.view(keyed, ViewLive)
				c.breaks(h)
				if strings.HasPrefix(c.name, "merge table") {
					// What the hand-made change left is what must stay.
					before, beforeView = h.merge(keyed), h.view(keyed, ViewLive)
				}
				rep, err := h.runErr()
				if err == nil {
					t.Fatal("the run succeeded")
				}
				for _, w := range c.want {
					if !strings.Contains(err.Error(), w) {
						t.Errorf("error lacks %q:\n%v", w, err)
					}
				}
				var be *BatchError
				if !errors.As(err, &be) || be.Stream != "Shop" || be.Batch != 2 {
					t.Errorf("error is not a BatchError of stream Shop, batch 2: %#v", err)
				}
				if rep == nil || len(rep.Batches) != 1 || rep.Batches[0].State == Committed {
					t.Fatalf("report = %+v", rep)
				}
				expectRows(t, "merge table", h.merge(keyed), before...)
				expectRows(t, "live view", h.view(keyed, ViewLive), beforeView...)
				sts, serr := h.p.Status(context.Background(), h.pl)
				if serr != nil {
					t.Fatal(serr)
				}
				if s := sts[0]; s.Batch != 2 || s.State == Committed || s.LastCommitted != 1 || !strings.Contains(s.Error, c.want[len(c.want)-1]) {
					t.Errorf("status = batch %d %s, last committed %d, error %q", s.Batch, s.State, s.LastCommitted, s.Error)
				}
				if c.repair == nil {
					return
				}
				c.repair(h)
				rep = h.run()
				if b := rep.Batches[0]; b.Batch != 2 || !b.Resumed || b.State != Committed {
					t.Errorf("after the repair: batch %d resumed=%t %s", b.Batch, b.Resumed, b.State)
				}
				if sts, _ := h.p.Status(context.Background(), h.pl); sts[0].Error != "" {
					t.Errorf("the committed batch still shows an error: %q", sts[0].Error)
				}
			})
		})
	}
}

// TestStoreUnreachableKeepsThePasswordSecret: an unreachable store is an
// error naming it without its password.
func TestStoreUnreachableKeepsThePasswordSecret(t *testing.T) {
	h := newHarness(t, sqliteStore(t), modelOptions{datasets: []tds{keyed}}, WithStore("postgres://dsl:s3cr3t-pw@127.0.0.1:1/warehouse?connect_timeout=2"))
	_, err := h.runErr()
	if err == nil {
		t.Fatal("the run succeeded")
	}
	msg := err.Error()
	for _, w := range []string{"platform Lake: merge store postgres://dsl:xxxxx@127.0.0.1:1/warehouse", "(from the store option)", "check that the store is running and reachable"} {
		if !strings.Contains(msg, w) {
			t.Errorf("error lacks %q:\n%s", w, msg)
		}
	}
	if strings.Contains(msg, "s3cr3t") {
		t.Errorf("the error shows the password:\n%s", msg)
	}
}
