package catalog

import (
	"context"
	"database/sql"
	"fmt"
	"regexp"
	"strings"

	"github.com/datasurface/datasurface-go/types"
)

// sqliteReader reads the main database of an SQLite file.
type sqliteReader struct {
	db *sql.DB
}

func (r *sqliteReader) tables(ctx context.Context) ([]string, string, error) {
	const where = "the SQLite database"
	rows, err := r.db.QueryContext(ctx, `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\_%' ESCAPE '\'`)
	if err != nil {
		return nil, where, fmt.Errorf("listing the tables of %s: %w", where, err)
	}
	defer rows.Close()
	var names []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return nil, where, err
		}
		names = append(names, name)
	}
	return names, where, rows.Err()
}

func (r *sqliteReader) table(ctx context.Context, name string) (*Table, error) {
	t := &Table{Name: name}
	rows, err := r.db.QueryContext(ctx, `SELECT name, type, "notnull", pk FROM pragma_table_info(?) ORDER BY cid`, name)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var c Column
		var notNull, pk int64
		if err := rows.Scan(&c.Name, &c.DBType, &notNull, &pk); err != nil {
			return nil, err
		}
		c.Nullable = notNull == 0 && pk == 0
		c.Key = pk > 0
		typ, err := mapSQLite(c.DBType)
		if err == nil {
			typ, err = canonical(typ)
		}
		if err != nil {
			c.Problem = err.Error()
		} else {
			c.Type = typ
		}
		t.Columns = append(t.Columns, c)
	}
	return t, rows.Err()
}

// sqliteDeclared splits a declared type into its words and its
// parenthesised arguments: "decimal text(12,2)" is "decimal text" and
// "12,2".
var sqliteDeclared = regexp.MustCompile(`^([a-z0-9_ ]+?)\s*(?:\(\s*([0-9]+(?:\s*,\s*[0-9]+)?)\s*\))?$`)

// mapSQLite returns the model type of an SQLite column from its declared
// type, or why there is none. SQLite enforces no declared type (a column
// holds what its affinity keeps), so the declared type is read as the
// writer's intent: the sql platform's own spellings first (docs/SQL_TYPES.md:
// "decimal text(12,2)", "float16 blob", "float32 vector blob(768)"), then the
// usual SQL names. INTEGER and INT are bigint, since SQLite integers are 64
// bits; a declared size (tinyint, smallint) is taken at its word.
func mapSQLite(declared string) (string, error) {
	d := strings.Join(strings.Fields(strings.ToLower(declared)), " ")
	if d == "" {
		return "", fmt.Errorf("it has no declared type, so SQLite lets it hold any value: declare a type at the source, or add the column by hand")
	}
	m := sqliteDeclared.FindStringSubmatch(d)
	if m == nil {
		return "", fmt.Errorf("the model has no type that holds its values")
	}
	name, args := m[1], strings.ReplaceAll(m[2], " ", "")
	withArgs := func(t string) string {
		if args == "" {
			return t
		}
		return t + "(" + args + ")"
	}
	oneArg := args != "" && !strings.Contains(args, ",")
	// The sql platform's own declarations.
	if f, ok := strings.CutSuffix(name, " vector blob"); ok && oneArg {
		if _, ok := types.FloatFormatByName(f); ok {
			return "vector(" + args + ", " + f + ")", nil
		}
	}
	if f, ok := strings.CutSuffix(name, " blob"); ok && args == "" {
		if _, ok := types.FloatFormatByName(f); ok {
			return f, nil
		}
	}
	switch name {
	case "decimal text", "decimal", "numeric":
		switch {
		case args == "":
			return "", fmt.Errorf("a %s without precision and scale holds any number, and the model's decimal needs both: declare it %s(p,s) at the source, or add the column by hand", name, name)
		case oneArg:
			return "decimal(" + args + ",0)", nil
		}
		return "decimal(" + args + ")", nil
	case "json text", "json", "jsonb":
		return "variant", nil
	case "timestamptz":
		return "timestamp(tz=UTC)", nil
	case "int", "integer":
		return "bigint", nil
	case "bigint", "int8", "tinyint", "smallint", "int2", "utinyint", "usmallint", "uinteger", "ubigint":
		return name, nil
	case "mediumint":
		return "integer", nil
	case "unsigned big int":
		return "ubigint", nil
	case "text", "clob", "string":
		return "varchar", nil
	case "varchar", "character varying", "varying character", "nvarchar", "native character":
		if name == "nvarchar" || name == "native character" {
			return withArgs("nvarchar"), nil
		}
		return withArgs("varchar"), nil
	case "char", "character", "nchar":
		if oneArg {
			return withArgs(map[bool]string{true: "nchar", false: "char"}[name == "nchar"]), nil
		}
		if args == "" {
			return "varchar", nil // SQLite applies no length: CHAR is text
		}
	case "real", "double", "double precision", "float":
		return "float64", nil // SQLite's REAL is a binary64
	case "boolean", "bool":
		return "boolean", nil
	case "date":
		return "date", nil
	case "datetime", "timestamp":
		return "timestamp", nil
	case "time":
		return "time", nil
	case "interval":
		return "interval", nil
	case "blob", "bytea", "binary", "varbinary":
		if oneArg {
			return "binary(" + args + ")", nil
		}
		return "binary", nil
	}
	if args == "" {
		if _, ok := types.FloatFormatByName(name); ok {
			return name, nil
		}
	}
	return "", fmt.Errorf("the model has no type that holds its values")
}
