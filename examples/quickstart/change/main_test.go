package main

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// dump reads every row of the shop, table by table, as text.
func dump(t *testing.T, path string) []string {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var out []string
	for _, q := range []string{
		"SELECT id, name, COALESCE(email, 'NULL'), country FROM customers ORDER BY id",
		"SELECT id, customer_id, amount, COALESCE(placed_at, 'NULL'), status FROM orders ORDER BY id",
	} {
		rows, err := db.Query(q)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]string, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			out = append(out, strings.Join(vals, "|"))
		}
		rows.Close()
	}
	return out
}

// TestShippedShopIsTheFirstDay: the shop.db the repository ships holds
// exactly what -reset writes, so the README's first run always starts from
// the same rows.
func TestShippedShopIsTheFirstDay(t *testing.T) {
	fresh := filepath.Join(t.TempDir(), "shop.db")
	if err := run(context.Background(), &bytes.Buffer{}, fresh, true); err != nil {
		t.Fatal(err)
	}
	if got, want := dump(t, filepath.Join("..", "shop.db")), dump(t, fresh); !reflect.DeepEqual(got, want) {
		t.Fatalf("examples/quickstart/shop.db is not the first day: run go run ./examples/quickstart/change -reset\n got %q\nwant %q", got, want)
	}
}

// TestDays: each day changes the shop as its message says, and the same
// number of days gives the same rows.
func TestDays(t *testing.T) {
	var states [2][]string
	for i := range states {
		path := filepath.Join(t.TempDir(), "shop.db")
		if err := run(context.Background(), &bytes.Buffer{}, path, true); err != nil {
			t.Fatal(err)
		}
		var out bytes.Buffer
		for day := 0; day < 3; day++ {
			if err := run(context.Background(), &out, path, false); err != nil {
				t.Fatal(err)
			}
		}
		states[i] = dump(t, path)
		if i == 0 {
			want := []string{
				"day 2 at the shop: order 6 cancelled (deleted), order 3 shipped, customer 6 signed up, customer 2 changed email, orders 7 and 8 placed",
				"day 3 at the shop: order 8 cancelled (deleted), order 4 shipped, customer 3 changed email, orders 9 and 10 placed",
				"day 4 at the shop: order 10 cancelled (deleted), order 5 shipped, customer 7 signed up, customer 4 changed email, orders 11 and 12 placed",
			}
			for _, w := range want {
				if !strings.Contains(out.String(), fmt.Sprintf("%s: %s\n", path, w)) {
					t.Errorf("the output lacks %q:\n%s", w, out.String())
				}
			}
			if len(states[0]) != 7+9 {
				t.Errorf("after three days: %d rows, want 7 customers and 9 orders: %q", len(states[0]), states[0])
			}
		}
	}
	if !reflect.DeepEqual(states[0], states[1]) {
		t.Fatalf("two runs of three days differ:\n%q\n%q", states[0], states[1])
	}
}

// TestMissingShop: without a shop the command says where it looked and
// what to do, and creates nothing.
func TestMissingShop(t *testing.T) {
	path := filepath.Join(t.TempDir(), "none.db")
	err := run(context.Background(), &bytes.Buffer{}, path, false)
	if err == nil || !strings.Contains(err.Error(), "no shop at "+path+": run from the repository's root, or pass -db PATH") {
		t.Fatalf("got %v", err)
	}
}
