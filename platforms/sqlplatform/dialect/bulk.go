package dialect

import (
	"context"
	"fmt"
	"strings"
)

// insertRowsMax bounds the rows of one multi-row INSERT; insertArgsMax the
// bind arguments (SQLite allows 32766 per statement, MySQL 65535).
const (
	insertRowsMax = 500
	insertArgsMax = 30000
)

// insertChunks is BulkLoad by multi-row INSERT statements of at most
// insertRowsMax rows and insertArgsMax arguments each, the full-size
// statement prepared once. It is the bulk load of SQLite and MySQL.
func insertChunks(ctx context.Context, d Dialect, tx *Tx, table string, columns []string, rows RowSource) (int64, error) {
	if len(columns) == 0 {
		return 0, fmt.Errorf("loading table %s: no columns", table)
	}
	per := min(insertRowsMax, max(1, insertArgsMax/len(columns)))
	quoted := make([]string, len(columns))
	for i, c := range columns {
		quoted[i] = d.QuoteIdent(c)
	}
	head := "INSERT INTO " + d.QuoteIdent(table) + " (" + strings.Join(quoted, ", ") + ") VALUES "
	stmtFor := func(n int) string {
		var b strings.Builder
		b.WriteString(head)
		arg := 1
		for r := 0; r < n; r++ {
			if r > 0 {
				b.WriteString(", ")
			}
			b.WriteByte('(')
			for c := range columns {
				if c > 0 {
					b.WriteString(", ")
				}
				b.WriteString(d.Placeholder(arg))
				arg++
			}
			b.WriteByte(')')
		}
		return b.String()
	}
	full, err := tx.PrepareContext(ctx, stmtFor(per))
	if err != nil {
		return 0, err
	}
	defer full.Close()
	args := make([]any, 0, per*len(columns))
	var total int64
	flush := func() error {
		n := len(args) / len(columns)
		if n == 0 {
			return nil
		}
		var err error
		if n == per {
			_, err = full.ExecContext(ctx, args...)
		} else {
			_, err = tx.ExecContext(ctx, stmtFor(n), args...)
		}
		if err != nil {
			return err
		}
		total += int64(n)
		args = args[:0]
		return nil
	}
	for rows.Next() {
		vals := rows.Values()
		if len(vals) != len(columns) {
			return total, fmt.Errorf("loading table %s: a row has %d values for %d columns", table, len(vals), len(columns))
		}
		args = append(args, vals...)
		if len(args) == per*len(columns) {
			if err := flush(); err != nil {
				return total, err
			}
		}
	}
	if err := rows.Err(); err != nil {
		return total, err
	}
	return total, flush()
}

// BulkLoad implements Dialect with multi-row INSERT statements.
func (d SQLite) BulkLoad(ctx context.Context, tx *Tx, table string, columns []string, rows RowSource) (int64, error) {
	return insertChunks(ctx, d, tx, table, columns, rows)
}

// BulkLoad implements Dialect with multi-row INSERT statements.
func (d MySQL) BulkLoad(ctx context.Context, tx *Tx, table string, columns []string, rows RowSource) (int64, error) {
	return insertChunks(ctx, d, tx, table, columns, rows)
}
