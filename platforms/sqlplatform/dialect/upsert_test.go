package dialect_test

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"testing"

	"github.com/datasurface/datasurface-go/internal/dbtest"
	"github.com/datasurface/datasurface-go/platforms/sqlplatform/dialect"
)

// upsertTable is a table name that needs quoting (a capital, a space, a
// dot and a double quote), so that the statistics lookup by name is tested
// with the quoting the merge tables' names may need.
const upsertTable = `Live "x".t`

// upsertOf is the Upsert of the rows of table src into upsertTable: key
// (k, occ), the value v, the row hash h and the batch b.
func upsertOf(d dialect.Dialect, src string, batch int) dialect.Upsert {
	return dialect.Upsert{
		Table:   upsertTable,
		Key:     []string{"k", "occ"},
		Query:   fmt.Sprintf("SELECT s.k, s.occ, s.v, s.h, %d FROM %s s", batch, d.QuoteIdent(src)),
		Columns: []string{"k", "occ", "v", "h", "b"},
		Set:     []string{"v", "h", "b"},
		Changed: "h",
	}
}

// TestUpsertChanged applies rows that are new, changed and unchanged to a
// PostgreSQL table, with MERGE and (track_counts off) with INSERT ... ON
// CONFLICT, and checks the numbers each form reports and the rows it
// leaves, which must be the same. The table was written earlier in the
// session, so its statistics hold counts not yet flushed: the numbers must
// be this statement's only. With a trigger that writes the table too, the
// statistics count more than MERGE wrote: the MERGE is undone and the ON
// CONFLICT form gives the counts. A row staged twice is an error. Elsewhere
// UpsertChanged says it has no such statement and runs nothing.
func TestUpsertChanged(t *testing.T) {
	ctx := context.Background()
	dbtest.Each(t, func(t *testing.T, d dialect.Dialect, db *sql.DB, dsn string) {
		if d.Name() != "postgres" {
			if _, _, ok, err := d.UpsertChanged(ctx, db, upsertOf(d, "staged", 2)); ok || err != nil {
				t.Fatalf("UpsertChanged on %s = ok %v, %v; want no such statement", d.Name(), ok, err)
			}
			return
		}
		for _, form := range []string{"merge", "on conflict", "trigger"} {
			t.Run(strings.ReplaceAll(form, " ", "_"), func(t *testing.T) {
				testUpsertChanged(ctx, t, d, db, form)
			})
		}
	})
}

func testUpsertChanged(ctx context.Context, t *testing.T, d dialect.Dialect, db *sql.DB, form string) {
	q := d.QuoteIdent
	exec := func(stmt string) {
		t.Helper()
		if _, err := db.ExecContext(ctx, stmt); err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
	}
	for _, table := range []string{upsertTable, "staged", "twice"} {
		exec("DROP TABLE IF EXISTS " + q(table))
	}
	exec("CREATE TABLE " + q(upsertTable) + " (k bytea NOT NULL, occ bigint NOT NULL, v text, h bytea NOT NULL, b bigint NOT NULL)")
	exec("CREATE UNIQUE INDEX upsert_key ON " + q(upsertTable) + " (k, occ)")
	// Keys 1..10 at batch 1, each with hash "h<k>".
	exec("INSERT INTO " + q(upsertTable) + " SELECT convert_to(i::text, 'UTF8'), 1, 'old ' || i, ('h' || i)::bytea, 1 FROM generate_series(1, 10) i")
	// Staged: keys 6..10 unchanged (same hash), 3..5 changed, 11..14 new.
	exec("CREATE TABLE staged AS SELECT convert_to(i::text, 'UTF8') AS k, 1::bigint AS occ, 'old ' || i AS v, ('h' || i)::bytea AS h FROM generate_series(6, 10) i " +
		"UNION ALL SELECT convert_to(i::text, 'UTF8'), 1, 'new ' || i, ('n' || i)::bytea FROM generate_series(3, 5) i " +
		"UNION ALL SELECT convert_to(i::text, 'UTF8'), 1, 'new ' || i, ('n' || i)::bytea FROM generate_series(11, 14) i")
	want := "1=old 1@1 2=old 2@1 3=new 3@2 4=new 4@2 5=new 5@2 6=old 6@1 7=old 7@1 8=old 8@1 9=old 9@1 10=old 10@1 " +
		"11=new 11@2 12=new 12@2 13=new 13@2 14=new 14@2"
	if form == "trigger" {
		// Row 99 counts the updates of other rows in its batch column.
		exec("INSERT INTO " + q(upsertTable) + " VALUES (convert_to('99', 'UTF8'), 1, 'updates', 'c'::bytea, 0)")
		exec("CREATE FUNCTION count_update() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN " +
			"UPDATE " + q(upsertTable) + " SET b = b + 1 WHERE k = convert_to('99', 'UTF8'); RETURN NULL; END $$")
		exec("CREATE TRIGGER count_update AFTER UPDATE ON " + q(upsertTable) + " FOR EACH ROW WHEN (NEW.k <> convert_to('99', 'UTF8')) EXECUTE FUNCTION count_update()")
		want += " 99=updates@3"
	}
	exec("CREATE TABLE twice AS SELECT * FROM staged UNION ALL SELECT convert_to(20::text, 'UTF8'), 1, 'a', 'a'::bytea UNION ALL SELECT convert_to(20::text, 'UTF8'), 1, 'b', 'b'::bytea")

	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = tx.Rollback() }()
	if form == "on conflict" {
		if _, err := tx.ExecContext(ctx, "SET LOCAL track_counts = off"); err != nil {
			t.Skipf("turning track_counts off needs a superuser: %v", err)
		}
	}
	ins, upd, ok, err := d.UpsertChanged(ctx, tx, upsertOf(d, "staged", 2))
	if !ok || err != nil || ins != 4 || upd != 3 {
		t.Fatalf("UpsertChanged = %d inserted, %d updated, ok %v, %v; want 4, 3", ins, upd, ok, err)
	}
	// Once more in the same transaction: nothing differs now.
	if ins, upd, _, err := d.UpsertChanged(ctx, tx, upsertOf(d, "staged", 3)); err != nil || ins != 0 || upd != 0 {
		t.Fatalf("UpsertChanged again = %d inserted, %d updated, %v; want 0, 0", ins, upd, err)
	}
	rows, err := tx.QueryContext(ctx, "SELECT convert_from(k, 'UTF8')::int, v, b FROM "+q(upsertTable)+" ORDER BY 1")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for rows.Next() {
		var k, b int64
		var v string
		if err := rows.Scan(&k, &v, &b); err != nil {
			t.Fatal(err)
		}
		got = append(got, fmt.Sprintf("%d=%s@%d", k, v, b))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if s := strings.Join(got, " "); s != want {
		t.Fatalf("rows after the upsert:\n got %s\nwant %s", s, want)
	}
	if _, _, _, err := d.UpsertChanged(ctx, tx, upsertOf(d, "twice", 4)); err == nil {
		t.Fatal("UpsertChanged of a key staged twice: no error")
	}
}
