package catalog

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
)

// mysqlReader reads the connection's database of a MySQL or MariaDB server
// through information_schema.
type mysqlReader struct {
	db       *sql.DB
	comments map[string]string
	// jsonColumns holds "table\x00column" for MariaDB's JSON columns, which
	// are longtext with a json_valid check.
	jsonColumns map[string]bool
}

func (r *mysqlReader) tables(ctx context.Context) ([]string, string, error) {
	var dbName sql.NullString
	if err := r.db.QueryRowContext(ctx, `SELECT DATABASE()`).Scan(&dbName); err != nil {
		return nil, "", fmt.Errorf("reading the current database: %w", err)
	}
	if !dbName.Valid {
		return nil, "", fmt.Errorf("the connection has no current database: name one")
	}
	where := fmt.Sprintf("database %q", dbName.String)
	rows, err := r.db.QueryContext(ctx, `SELECT table_name, COALESCE(table_comment, '') FROM information_schema.tables
WHERE table_schema = DATABASE() AND table_type IN ('BASE TABLE', 'SYSTEM VERSIONED')`)
	if err != nil {
		return nil, where, fmt.Errorf("listing the tables of %s: %w", where, err)
	}
	defer rows.Close()
	r.comments = map[string]string{}
	var names []string
	for rows.Next() {
		var name, comment string
		if err := rows.Scan(&name, &comment); err != nil {
			return nil, where, err
		}
		names = append(names, name)
		r.comments[name] = comment
	}
	if err := rows.Err(); err != nil {
		return nil, where, err
	}
	return names, where, r.readJSONChecks(ctx)
}

// readJSONChecks finds MariaDB's JSON columns: MariaDB declares JSON as
// longtext with the column check json_valid(`name`). MySQL has a json
// type of its own and no table_name in check_constraints, so the query
// failing there is not an error.
func (r *mysqlReader) readJSONChecks(ctx context.Context) error {
	r.jsonColumns = map[string]bool{}
	rows, err := r.db.QueryContext(ctx, `SELECT table_name, check_clause FROM information_schema.check_constraints WHERE constraint_schema = DATABASE()`)
	if err != nil {
		return nil
	}
	defer rows.Close()
	for rows.Next() {
		var table, clause string
		if err := rows.Scan(&table, &clause); err != nil {
			return err
		}
		inner, ok := strings.CutPrefix(strings.ToLower(strings.TrimSpace(clause)), "json_valid(`")
		if !ok {
			continue
		}
		if col, ok := strings.CutSuffix(inner, "`)"); ok && !strings.Contains(col, "`") {
			r.jsonColumns[table+"\x00"+col] = true
		}
	}
	return rows.Err()
}

func (r *mysqlReader) table(ctx context.Context, name string) (*Table, error) {
	t := &Table{Name: name, Comment: r.comments[name]}
	rows, err := r.db.QueryContext(ctx, `SELECT column_name, column_type, data_type, is_nullable, column_key, COALESCE(column_comment, '')
FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = ? ORDER BY ordinal_position`, name)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var c Column
		var dataType, nullable, key string
		if err := rows.Scan(&c.Name, &c.DBType, &dataType, &nullable, &key, &c.Comment); err != nil {
			return nil, err
		}
		c.Nullable = nullable == "YES"
		c.Key = key == "PRI"
		typ, note, err := mapMySQL(c.DBType, dataType, r.jsonColumns[name+"\x00"+strings.ToLower(c.Name)])
		if err == nil {
			typ, err = canonical(typ)
		}
		if err != nil {
			c.Problem = err.Error()
		} else {
			c.Type, c.Note = typ, note
		}
		t.Columns = append(t.Columns, c)
	}
	return t, rows.Err()
}

// mapMySQL returns the model type of a MySQL or MariaDB column from its
// column_type ("bigint(20) unsigned", "varchar(40)", "enum('a','b')") and
// data_type ("bigint", "varchar", "enum"), a note about it, or why there is
// none. isJSON marks a MariaDB JSON column (longtext with a json_valid
// check).
func mapMySQL(columnType, dataType string, isJSON bool) (string, string, error) {
	ct := strings.ToLower(strings.TrimSpace(columnType))
	dt := strings.ToLower(strings.TrimSpace(dataType))
	unsigned := strings.Contains(ct, " unsigned")
	var mods []int
	if i := strings.IndexByte(ct, '('); i >= 0 && dt != "enum" && dt != "set" {
		if j := strings.IndexByte(ct[i:], ')'); j > 0 {
			for _, part := range strings.Split(ct[i+1:i+j], ",") {
				n, err := strconv.Atoi(strings.TrimSpace(part))
				if err != nil {
					return "", "", fmt.Errorf("its modifiers %q are not numbers", ct[i:i+j+1])
				}
				mods = append(mods, n)
			}
		}
	}
	n := func(i int) string { return strconv.Itoa(mods[i]) }
	pick := func(signed, unsignedType string) (string, string, error) {
		if unsigned {
			return unsignedType, "", nil
		}
		return signed, "", nil
	}
	switch dt {
	case "tinyint":
		if !unsigned && len(mods) == 1 && mods[0] == 1 {
			// BOOLEAN is tinyint(1), and the sql platform declares boolean
			// so; the platform refuses a value other than 0 or 1.
			return "boolean", "", nil
		}
		return pick("tinyint", "utinyint")
	case "smallint":
		return pick("smallint", "usmallint")
	case "mediumint":
		return pick("integer", "uinteger") // 24 bits fit both
	case "int", "integer":
		return pick("integer", "uinteger")
	case "bigint":
		return pick("bigint", "ubigint")
	case "decimal", "numeric":
		if len(mods) == 2 {
			return "decimal(" + n(0) + "," + n(1) + ")", "", nil
		}
		if len(mods) == 1 {
			return "decimal(" + n(0) + ",0)", "", nil
		}
		return "decimal(10,0)", "", nil // MySQL's default precision
	case "float":
		return "float32", "", nil
	case "double", "real", "double precision":
		return "float64", "", nil
	case "char":
		if len(mods) == 1 {
			return "char(" + n(0) + ")", "", nil
		}
	case "varchar":
		if len(mods) == 1 {
			return "varchar(" + n(0) + ")", "", nil
		}
	case "tinytext", "text", "mediumtext", "longtext":
		if isJSON {
			return "variant", "", nil
		}
		// Their limits count bytes, not characters: varchar holds every value.
		return "varchar", "", nil
	case "enum", "set":
		return "varchar", fmt.Sprintf("%s: imported as varchar, which holds every value (the model does not list the members)", columnType), nil
	case "json":
		return "variant", "", nil
	case "binary", "varbinary":
		if len(mods) == 1 {
			return "binary(" + n(0) + ")", "", nil
		}
		return "binary", "", nil
	case "tinyblob", "blob", "mediumblob", "longblob":
		return "binary", "", nil
	case "date":
		return "date", "", nil
	case "datetime":
		return "timestamp", "", nil
	case "timestamp":
		// MySQL keeps a TIMESTAMP as an instant and shows it in the session's
		// time zone.
		return "timestamp(tz=UTC)", "", nil
	case "time":
		return "time", "", nil
	case "year":
		return "smallint", "", nil
	case "geometry":
		return "geography", "", nil
	case "point", "linestring", "polygon", "multipoint", "multilinestring", "multipolygon", "geometrycollection":
		return "geography(" + dt + ")", "", nil
	case "geomcollection":
		return "geography(geometrycollection)", "", nil
	case "vector": // MariaDB 11.7, MySQL 9
		if len(mods) == 1 {
			return "vector(" + n(0) + ")", "", nil
		}
	case "bit":
		return "", "", fmt.Errorf("a bit field is a string of bits, which the model has no type for")
	}
	return "", "", fmt.Errorf("the model has no type that holds its values")
}
