package catalog

import (
	"context"
	"database/sql"
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// pgReader reads one schema of a PostgreSQL database through pg_catalog.
type pgReader struct {
	db     *sql.DB
	schema string
	oids   map[string]int64 // table name to its pg_class oid
}

func (r *pgReader) tables(ctx context.Context) ([]string, string, error) {
	where := fmt.Sprintf("schema %q", r.schema)
	var ok bool
	if err := r.db.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $1)`, r.schema).Scan(&ok); err != nil {
		return nil, where, fmt.Errorf("reading the schemas: %w", err)
	}
	if !ok {
		return nil, where, fmt.Errorf("the database has no schema %q%s", r.schema, r.schemaHint(ctx))
	}
	// Ordinary and partitioned tables; partitions are read through their
	// parent, views hold no data of their own.
	rows, err := r.db.QueryContext(ctx, `SELECT c.relname, c.oid::bigint
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND NOT c.relispartition`, r.schema)
	if err != nil {
		return nil, where, fmt.Errorf("listing the tables of %s: %w", where, err)
	}
	defer rows.Close()
	r.oids = map[string]int64{}
	var names []string
	for rows.Next() {
		var name string
		var oid int64
		if err := rows.Scan(&name, &oid); err != nil {
			return nil, where, err
		}
		names = append(names, name)
		r.oids[name] = oid
	}
	return names, where, rows.Err()
}

// schemaHint lists the schemas that hold tables, for an unknown schema.
func (r *pgReader) schemaHint(ctx context.Context) string {
	rows, err := r.db.QueryContext(ctx, `SELECT DISTINCT n.nspname FROM pg_namespace n JOIN pg_class c ON c.relnamespace = n.oid
WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\_toast%' ORDER BY 1`)
	if err != nil {
		return ""
	}
	defer rows.Close()
	var names []string
	for rows.Next() {
		var n string
		if rows.Scan(&n) == nil {
			names = append(names, fmt.Sprintf("%q", n))
		}
	}
	if len(names) == 0 {
		return " (no schema holds tables)"
	}
	return " (schemas with tables: " + strings.Join(names, ", ") + "): give one with --schema"
}

func (r *pgReader) table(ctx context.Context, name string) (*Table, error) {
	oid := r.oids[name]
	t := &Table{Name: name}
	if err := r.db.QueryRowContext(ctx, `SELECT COALESCE(obj_description($1::oid, 'pg_class'), '')`, oid).Scan(&t.Comment); err != nil {
		return nil, err
	}
	rows, err := r.db.QueryContext(ctx, `SELECT a.attname,
	format_type(a.atttypid, a.atttypmod),
	NOT a.attnotnull,
	COALESCE(col_description(a.attrelid, a.attnum), ''),
	a.attndims,
	CASE WHEN a.attcollation <> 0 AND a.attcollation <> t.typcollation THEN COALESCE(co.collname, '') ELSE '' END,
	t.typtype::text,
	CASE WHEN t.typtype = 'd' THEN format_type(t.typbasetype, t.typtypmod) ELSE '' END
FROM pg_attribute a
JOIN pg_type t ON t.oid = a.atttypid
LEFT JOIN pg_collation co ON co.oid = a.attcollation
WHERE a.attrelid = $1::oid AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY a.attnum`, oid)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var c Column
		var dims int
		var collation, typtype, domainBase string
		if err := rows.Scan(&c.Name, &c.DBType, &c.Nullable, &c.Comment, &dims, &collation, &typtype, &domainBase); err != nil {
			return nil, err
		}
		pgColumn(&c, pgInfo{formatType: c.DBType, dims: dims, collation: collation, typtype: typtype, domainBase: domainBase})
		t.Columns = append(t.Columns, c)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if err := r.keys(ctx, oid, t); err != nil {
		return nil, err
	}
	return t, nil
}

// keys marks the primary key's columns.
func (r *pgReader) keys(ctx context.Context, oid int64, t *Table) error {
	rows, err := r.db.QueryContext(ctx, `SELECT a.attname FROM pg_index i
JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
WHERE i.indrelid = $1::oid AND i.indisprimary`, oid)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return err
		}
		for i := range t.Columns {
			if t.Columns[i].Name == name {
				t.Columns[i].Key = true
			}
		}
	}
	return rows.Err()
}

// pgInfo is what the mapping of a PostgreSQL column looks at.
type pgInfo struct {
	// formatType is the type as format_type prints it, such as
	// "character varying(40)", "numeric(12,2)" or "timestamp(3) with time
	// zone"; arrays end in "[]".
	formatType string
	// dims is the declared number of array dimensions (attndims); 0 when
	// the column is not an array or was declared without them.
	dims int
	// collation is the column's collation when it is not its type's
	// default, else "".
	collation string
	// typtype is pg_type.typtype: b base, d domain, e enum, c composite,
	// r range, m multirange, p pseudo.
	typtype string
	// domainBase is, for a domain, its base type as format_type prints it.
	domainBase string
}

// pgColumn maps a PostgreSQL column's type into c.Type, or sets c.Problem.
func pgColumn(c *Column, in pgInfo) {
	typ, note, err := mapPostgres(in)
	if err == nil {
		typ, err = canonical(typ)
	}
	if err != nil {
		c.Problem = err.Error()
		return
	}
	c.Type, c.Note = typ, note
}

// pgModifiers splits "timestamp(3) with time zone" into the name without
// its modifiers, "timestamp with time zone", and the modifiers, [3].
var pgModifiers = regexp.MustCompile(`\(([0-9, ]*)\)`)

// mapPostgres returns the model type of a PostgreSQL column, a note about
// it, or why there is none.
func mapPostgres(in pgInfo) (string, string, error) {
	ft := strings.TrimSpace(in.formatType)
	if elem, ok := strings.CutSuffix(ft, "[]"); ok {
		if in.dims > 1 {
			return "", "", fmt.Errorf("it is declared with %d dimensions, and a model array of arrays would be a guess at how the nesting is stored", in.dims)
		}
		et, _, err := mapPostgres(pgInfo{formatType: elem, collation: in.collation})
		if err != nil {
			return "", "", fmt.Errorf("its elements have no model type: %v", err)
		}
		return "array(" + et + ")", "", nil
	}
	switch in.typtype {
	case "e":
		// Enum labels are text; every label fits an unbounded varchar.
		return "varchar", "an enum type: imported as varchar, which holds every label (the model does not list them)", nil
	case "d":
		if in.domainBase == "" {
			return "", "", fmt.Errorf("it is a domain whose base type is unknown")
		}
		t, note, err := mapPostgres(pgInfo{formatType: in.domainBase, collation: in.collation})
		if err != nil {
			return "", "", fmt.Errorf("it is a domain over %s: %v", in.domainBase, err)
		}
		if note == "" {
			note = fmt.Sprintf("a domain over %s: imported as its base type (the domain's constraints are not part of the model)", in.domainBase)
		}
		return t, note, nil
	case "c", "r", "m", "p":
		return "", "", fmt.Errorf("it is a composite, range or pseudo type, which the model has no type for")
	}
	var mods []int
	for _, m := range pgModifiers.FindAllStringSubmatch(ft, -1) {
		for _, part := range strings.Split(m[1], ",") {
			n, err := strconv.Atoi(strings.TrimSpace(part))
			if err != nil {
				return "", "", fmt.Errorf("its modifiers %q are not numbers", m[0])
			}
			mods = append(mods, n)
		}
	}
	base := strings.Join(strings.Fields(pgModifiers.ReplaceAllString(ft, "")), " ")
	collate := ""
	if in.collation != "" {
		collate = ` collate "` + in.collation + `"`
	}
	n := func(i int) string { return strconv.Itoa(mods[i]) }
	switch base {
	case "smallint":
		return "smallint", "", nil
	case "integer":
		return "integer", "", nil
	case "bigint":
		return "bigint", "", nil
	case "real":
		return "float32", "", nil
	case "double precision":
		return "float64", "", nil
	case "numeric":
		if len(mods) != 2 {
			return "", "", fmt.Errorf("a numeric without precision and scale holds any number of digits, and the model's decimal needs both: declare it numeric(p,s) at the source, or add the column by hand")
		}
		return "decimal(" + n(0) + "," + n(1) + ")", "", nil
	case "character varying":
		if len(mods) == 1 {
			return "varchar(" + n(0) + ")" + collate, "", nil
		}
		return "varchar" + collate, "", nil
	case "text":
		return "varchar" + collate, "", nil
	case "character":
		if len(mods) == 1 {
			return "char(" + n(0) + ")" + collate, "", nil
		}
	case "bpchar":
		return "varchar" + collate, "", nil
	case "boolean":
		return "boolean", "", nil
	case "date":
		return "date", "", nil
	case "time without time zone":
		return "time", "", nil
	case "timestamp without time zone":
		return "timestamp", "", nil
	case "timestamp with time zone":
		// PostgreSQL keeps the instant, not the zone it was written in.
		return "timestamp(tz=UTC)", "", nil
	case "interval", "interval year", "interval month", "interval day", "interval hour", "interval minute", "interval second",
		"interval year to month", "interval day to hour", "interval day to minute", "interval day to second",
		"interval hour to minute", "interval hour to second", "interval minute to second":
		return "interval", "", nil
	case "bytea":
		return "binary", "", nil
	case "json", "jsonb":
		return "variant", "", nil
	case "uuid":
		// The text form of a uuid is always 36 characters.
		return "char(36)", "", nil
	case "vector": // pgvector
		if len(mods) == 1 {
			return "vector(" + n(0) + ")", "", nil
		}
		return "", "", fmt.Errorf("a pgvector vector without dimensions holds vectors of any length, and the model's vector needs one: declare it vector(n)")
	case "halfvec": // pgvector
		if len(mods) == 1 {
			return "vector(" + n(0) + ", float16)", "", nil
		}
		return "", "", fmt.Errorf("a pgvector halfvec without dimensions holds vectors of any length, and the model's vector needs one: declare it halfvec(n)")
	case "time with time zone":
		return "", "", fmt.Errorf("the model's time has no zone, and keeping only the time of day would drop the offset")
	}
	return "", "", fmt.Errorf("the model has no type that holds its values")
}
