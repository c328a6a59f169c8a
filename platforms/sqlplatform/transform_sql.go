package sqlplatform

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/datasurface/datasurface-go/internal/safetext"
	"github.com/datasurface/datasurface-go/platforms/sqlplatform/dialect"
)

// SQL transformers (docs/SQL_PLATFORM.md, "Transformers"): sql_code is one
// query, in the merge store's SQL, over the workspace's datasets named by
// their dataset names; its result rows are the output store's one dataset.
// The query runs where nothing else can be read: the inputs are copied
// into tables of their own, named as the model names them, in a place
// that holds nothing else (an in-memory SQLite database, or PostgreSQL's
// session-private temporary schema with the search path set to it, the
// query's plan checked to read nothing outside it). Copying costs the
// inputs' size once per run; it buys the guarantee that a query cannot
// read a table its workspace does not consume, which no parsing of SQL
// text could give.

// sqlTransform returns the TransformFunc that runs query.
func (r *runner) sqlTransform(query string) TransformFunc {
	return func(ctx context.Context, in *TransformInput, out *TransformOutput) error {
		targets := out.Datasets()
		if len(targets) != 1 {
			return fmt.Errorf("its sql_code query fills one dataset, but its output store has %d (%s)", len(targets), strings.Join(targets, ", "))
		}
		names, err := inputTableNames(in)
		if err != nil {
			return err
		}
		switch r.st.d.Name() {
		case "postgres":
			return postgresSQLTransform(ctx, r.st.db, r.st.d, in, out, targets[0], names, query)
		default:
			return sqliteSQLTransform(ctx, r.st.d, in, out, targets[0], names, query)
		}
	}
}

// inputTableNames maps each input ("Store.dataset") to the name the query
// reads it by: its dataset name, which must be unique in the workspace.
func inputTableNames(in *TransformInput) (map[string]string, error) {
	out := map[string]string{}
	seen := map[string]string{}
	for _, key := range in.Datasets() {
		_, name, _ := strings.Cut(key, ".")
		if other, dup := seen[name]; dup {
			return nil, fmt.Errorf("its workspace reads two datasets named %s (%s and %s), which its SQL cannot tell apart", name, other, key)
		}
		seen[name] = key
		out[key] = name
	}
	return out, nil
}

// writeResult writes the query's result rows, decoded to the output
// dataset's types, through out.
func writeResult(rows *sql.Rows, d dialect.Dialect, out *TransformOutput, target string) error {
	t := out.targets[target]
	cols, err := rows.Columns()
	if err != nil {
		return err
	}
	if len(cols) != len(t.columns) {
		return fmt.Errorf("its query returns %d columns (%s), but dataset %s has %d", len(cols), strings.Join(cols, ", "), target, len(t.columns))
	}
	raw := make([]any, len(cols))
	scan := make([]any, len(cols))
	for i := range raw {
		scan[i] = &raw[i]
	}
	vals := make([]any, len(cols))
	for n := int64(1); rows.Next(); n++ {
		if err := rows.Scan(scan...); err != nil {
			return err
		}
		for i, v := range raw {
			if vals[i], err = d.Decode(t.columns[i].typ, v); err != nil {
				return fmt.Errorf("row %d of its query, column %s of %s: %w", n, t.columns[i].name, target, err)
			}
		}
		if err := out.Write(target, vals...); err != nil {
			return fmt.Errorf("row %d of its query: %w", n, err)
		}
	}
	return rows.Err()
}

// sqliteSQLTransform runs query in a fresh in-memory SQLite database that
// holds only copies of the inputs.
func sqliteSQLTransform(ctx context.Context, d dialect.Dialect, in *TransformInput, out *TransformOutput, target string, names map[string]string, query string) error {
	db, err := sql.Open("sqlite", ":memory:")
	if err != nil {
		return err
	}
	defer db.Close()
	db.SetMaxOpenConns(1) // one connection: one in-memory database
	for key, name := range names {
		src := in.inputs[key]
		defs := make([]string, len(src.columns))
		marks := make([]string, len(src.columns))
		for i, c := range src.columns {
			defs[i] = d.QuoteIdent(c.name) + " " + c.ddl
			marks[i] = "?"
		}
		if _, err := db.ExecContext(ctx, fmt.Sprintf("CREATE TABLE %s (%s)", d.QuoteIdent(name), strings.Join(defs, ", "))); err != nil {
			return fmt.Errorf("copying input %s: %w", key, err)
		}
		insert, err := db.PrepareContext(ctx, fmt.Sprintf("INSERT INTO %s VALUES (%s)", d.QuoteIdent(name), strings.Join(marks, ", ")))
		if err != nil {
			return err
		}
		err = in.Rows(key, func(row []any) error {
			args := make([]any, len(row))
			for i, v := range row {
				if v == nil {
					continue
				}
				var err error
				if args[i], err = d.Encode(src.columns[i].typ, v); err != nil {
					return err
				}
			}
			_, err := insert.ExecContext(ctx, args...)
			return err
		})
		insert.Close()
		if err != nil {
			return fmt.Errorf("copying input %s: %w", key, err)
		}
	}
	rows, err := db.QueryContext(ctx, query)
	if err != nil {
		return fmt.Errorf("its SQL: %v (it may read only %s)", err, strings.Join(sortedValues(names), ", "))
	}
	defer rows.Close()
	return writeResult(rows, d, out, target)
}

// postgresSQLTransform runs query in a transaction of its own whose search
// path is the session's temporary schema, holding temporary copies of the
// inputs; the query's plan must read nothing else.
func postgresSQLTransform(ctx context.Context, db *sql.DB, d dialect.Dialect, in *TransformInput, out *TransformOutput, target string, names map[string]string, query string) error {
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	tx, err := conn.BeginTx(ctx, &sql.TxOptions{})
	if err != nil {
		return err
	}
	defer func() { _ = tx.Rollback() }()
	for key, name := range names {
		src := in.inputs[key]
		cols := make([]string, len(src.columns))
		for i, c := range src.columns {
			cols[i] = d.QuoteIdent(c.name)
		}
		if _, err := tx.ExecContext(ctx, fmt.Sprintf("CREATE TEMPORARY TABLE %s ON COMMIT DROP AS SELECT %s FROM %s",
			d.QuoteIdent(name), strings.Join(cols, ", "), d.QuoteIdent(src.view))); err != nil {
			return fmt.Errorf("copying input %s: %w", key, err)
		}
	}
	if _, err := tx.ExecContext(ctx, "SET LOCAL search_path = pg_temp"); err != nil {
		return err
	}
	var plan string
	if err := tx.QueryRowContext(ctx, "EXPLAIN (FORMAT JSON, VERBOSE) "+query).Scan(&plan); err != nil {
		return fmt.Errorf("its SQL: %v (it may read only %s)", err, strings.Join(sortedValues(names), ", "))
	}
	if rel := outsideTempSchema(plan); rel != "" {
		return fmt.Errorf("its SQL reads %s, which it may not read: it may read only %s", safetext.Line(rel), strings.Join(sortedValues(names), ", "))
	}
	rows, err := tx.QueryContext(ctx, query)
	if err != nil {
		return fmt.Errorf("its SQL: %v", err)
	}
	defer rows.Close()
	return writeResult(rows, d, out, target)
}

// outsideTempSchema returns the first relation a PostgreSQL JSON plan
// reads outside a temporary schema ("schema.table"), or "".
func outsideTempSchema(plan string) string {
	var doc any
	if err := json.Unmarshal([]byte(plan), &doc); err != nil {
		return "a plan it cannot read"
	}
	var found string
	var walk func(v any)
	walk = func(v any) {
		if found != "" {
			return
		}
		switch v := v.(type) {
		case map[string]any:
			if rel, ok := v["Relation Name"].(string); ok {
				schema, _ := v["Schema"].(string)
				if !strings.HasPrefix(schema, "pg_temp") {
					found = schema + "." + rel
					return
				}
			}
			for _, c := range v {
				walk(c)
			}
		case []any:
			for _, c := range v {
				walk(c)
			}
		}
	}
	walk(doc)
	return found
}

func sortedValues(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for _, v := range m {
		out = append(out, v)
	}
	slices.Sort(out)
	return out
}
