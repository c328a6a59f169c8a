// Command change plays a day of business at the quickstart's shop: it
// changes the SQLite source examples/quickstart/shop.db the way a real
// application would (new orders and a new customer, an order shipped, an
// email changed, an order cancelled), so that the next `dsl run` shows an
// incremental batch. With -reset it writes the shop's first day again: the
// state the repository ships.
//
//	go run ./examples/quickstart/change          # one more day
//	go run ./examples/quickstart/change -reset   # back to the shipped state
//
// Each day's changes follow from the database's own state, so the same
// number of runs always gives the same rows.
package main

import (
	"context"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	_ "modernc.org/sqlite" // the pure-Go SQLite driver the sql platform uses too
)

// defaultDB is where the shop is, seen from the repository's root (where
// the README's commands run).
const defaultDB = "examples/quickstart/shop.db"

func main() {
	db := flag.String("db", defaultDB, "the shop's SQLite file")
	reset := flag.Bool("reset", false, "write the shop's first day again (the shipped state) instead of adding a day")
	flag.Parse()
	if flag.NArg() != 0 {
		fmt.Fprintln(os.Stderr, "change: no arguments expected; see -help")
		os.Exit(2)
	}
	if err := run(context.Background(), os.Stdout, *db, *reset); err != nil {
		fmt.Fprintf(os.Stderr, "change: %v\n", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, out io.Writer, path string, reset bool) error {
	if reset {
		if err := seed(ctx, path); err != nil {
			return err
		}
		fmt.Fprintf(out, "%s: back to the first day (5 customers, 6 orders)\n", path)
		return nil
	}
	if _, err := os.Stat(path); err != nil {
		return fmt.Errorf("no shop at %s: run from the repository's root, or pass -db PATH (%w)", path, err)
	}
	db, err := sql.Open("sqlite", path)
	if err != nil {
		return err
	}
	defer db.Close()
	what, err := nextDay(ctx, db)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	fmt.Fprintf(out, "%s: %s\n", path, what)
	return nil
}

// schema is the shop's tables. The column types give SQLite the affinities
// the sql platform reads back exactly: amounts are decimal text ("12.50"),
// times are "YYYY-MM-DD HH:MM:SS" text.
const schema = `
CREATE TABLE customers (
    id      INTEGER PRIMARY KEY,
    name    TEXT NOT NULL,
    email   TEXT,
    country TEXT
);
CREATE TABLE orders (
    id          INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    amount      TEXT NOT NULL,
    placed_at   TEXT,
    status      TEXT NOT NULL
);
INSERT INTO customers VALUES
    (1, 'Ada Lovelace', 'ada@example.com', 'GB'),
    (2, 'Grace Hopper', 'grace@example.com', 'US'),
    (3, 'Zoë Müller', NULL, 'DE'),
    (4, 'Łukasz Nowak', 'lukasz@example.pl', 'PL'),
    (5, '田中 花子', 'hanako@example.jp', 'JP');
INSERT INTO orders VALUES
    (1, 1, '120.00', '2026-12-01 09:15:00', 'shipped'),
    (2, 2, '35.50', '2026-12-01 10:02:00', 'shipped'),
    (3, 3, '8.99', '2026-12-01 11:47:00', 'placed'),
    (4, 1, '49.95', '2026-12-01 14:30:00', 'placed'),
    (5, 5, '1250.00', '2026-12-01 16:05:00', 'placed'),
    (6, 4, '19.00', '2026-12-01 17:20:00', 'placed');
`

// seed writes the first day into a new file at path, replacing any file
// there: it builds the new file beside the old and renames it over, so a
// failure leaves the old file as it was.
func seed(ctx context.Context, path string) error {
	tmp := path + ".new"
	_ = os.Remove(tmp)
	db, err := sql.Open("sqlite", tmp)
	if err != nil {
		return err
	}
	_, err = db.ExecContext(ctx, schema)
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}

// nextDay applies one day of business in one transaction and says what it
// did. Day n (n = 2 after the first day) places two orders, adds a customer
// on even days, ships the oldest placed order, changes one customer's email
// and cancels (deletes) the newest placed order of the day before.
func nextDay(ctx context.Context, db *sql.DB) (string, error) {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return "", err
	}
	defer tx.Rollback()
	var lastOrder, lastCustomer int64
	if err := tx.QueryRowContext(ctx, "SELECT COALESCE(MAX(id), 0) FROM orders").Scan(&lastOrder); err != nil {
		return "", errors.New("it has no orders table: rebuild it with -reset")
	}
	if err := tx.QueryRowContext(ctx, "SELECT COALESCE(MAX(id), 0) FROM customers").Scan(&lastCustomer); err != nil {
		return "", errors.New("it has no customers table: rebuild it with -reset")
	}
	// The first day has 6 orders and each later day adds 2.
	day := (lastOrder-6)/2 + 2
	date := fmt.Sprintf("2026-12-%02d", (day-1)%28+1)
	var did []string

	// Cancel the newest order still placed (before today's are added).
	var cancelled int64
	err = tx.QueryRowContext(ctx, "SELECT id FROM orders WHERE status = 'placed' ORDER BY id DESC LIMIT 1").Scan(&cancelled)
	switch {
	case errors.Is(err, sql.ErrNoRows):
	case err != nil:
		return "", err
	default:
		if _, err := tx.ExecContext(ctx, "DELETE FROM orders WHERE id = ?", cancelled); err != nil {
			return "", err
		}
		did = append(did, fmt.Sprintf("order %d cancelled (deleted)", cancelled))
	}
	// Ship the oldest placed order.
	var shipped int64
	err = tx.QueryRowContext(ctx, "SELECT id FROM orders WHERE status = 'placed' ORDER BY id LIMIT 1").Scan(&shipped)
	switch {
	case errors.Is(err, sql.ErrNoRows):
	case err != nil:
		return "", err
	default:
		if _, err := tx.ExecContext(ctx, "UPDATE orders SET status = 'shipped' WHERE id = ?", shipped); err != nil {
			return "", err
		}
		did = append(did, fmt.Sprintf("order %d shipped", shipped))
	}
	if day%2 == 0 {
		lastCustomer++
		if _, err := tx.ExecContext(ctx, "INSERT INTO customers VALUES (?, ?, ?, ?)",
			lastCustomer, fmt.Sprintf("Customer %d", lastCustomer), fmt.Sprintf("customer%d@example.com", lastCustomer), "FR"); err != nil {
			return "", err
		}
		did = append(did, fmt.Sprintf("customer %d signed up", lastCustomer))
	}
	changed := (day-1)%lastCustomer + 1
	if _, err := tx.ExecContext(ctx, "UPDATE customers SET email = ? WHERE id = ?", fmt.Sprintf("new%d@example.com", day), changed); err != nil {
		return "", err
	}
	did = append(did, fmt.Sprintf("customer %d changed email", changed))
	for i := int64(1); i <= 2; i++ {
		id := lastOrder + i
		amount := fmt.Sprintf("%d.%02d", 10+(id*37)%500, (id*13)%100)
		if _, err := tx.ExecContext(ctx, "INSERT INTO orders VALUES (?, ?, ?, ?, 'placed')",
			id, (id-1)%lastCustomer+1, amount, fmt.Sprintf("%s %02d:%02d:00", date, 9+id%9, (id*7)%60)); err != nil {
			return "", err
		}
	}
	did = append(did, fmt.Sprintf("orders %d and %d placed", lastOrder+1, lastOrder+2))
	if err := tx.Commit(); err != nil {
		return "", err
	}
	return fmt.Sprintf("day %d at the shop: %s", day, strings.Join(did, ", ")), nil
}
