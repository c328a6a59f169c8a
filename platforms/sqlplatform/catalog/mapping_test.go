package catalog

import (
	"strings"
	"testing"
)

// mapCase is one row of an engine's mapping table: the catalogue's
// description, and the canonical model type, or a part of the problem.
type mapCase struct {
	in, want, problem string
}

func checkMapping(t *testing.T, c mapCase, typ, note string, err error) {
	t.Helper()
	if err == nil {
		typ, err = canonical(typ)
	}
	switch {
	case c.problem != "":
		if err == nil || !strings.Contains(err.Error(), c.problem) {
			t.Errorf("%q: got type %q, error %v; want an error containing %q", c.in, typ, err, c.problem)
		}
	case err != nil:
		t.Errorf("%q: %v; want %q", c.in, err, c.want)
	case typ != c.want:
		t.Errorf("%q maps to %q, want %q (note %q)", c.in, typ, c.want, note)
	}
}

// TestMapPostgres is the PostgreSQL mapping table: format_type's spelling
// of each type to the model type, and the types that have none.
func TestMapPostgres(t *testing.T) {
	for _, c := range []mapCase{
		{in: "smallint", want: "smallint"},
		{in: "integer", want: "integer"},
		{in: "bigint", want: "bigint"},
		{in: "real", want: "float32"},
		{in: "double precision", want: "float64"},
		{in: "numeric(12,2)", want: "decimal(12,2)"},
		{in: "numeric(20,0)", want: "decimal(20,0)"},
		{in: "numeric(76,38)", want: "decimal(76,38)"},
		{in: "numeric(1000,2)", problem: "decimal"},
		{in: "numeric", problem: "without precision and scale"},
		{in: "character varying(40)", want: "varchar(40)"},
		{in: "character varying", want: "varchar"},
		{in: "text", want: "varchar"},
		{in: "character(3)", want: "char(3)"},
		{in: "boolean", want: "boolean"},
		{in: "date", want: "date"},
		{in: "time without time zone", want: "time"},
		{in: "time(3) without time zone", want: "time"},
		{in: "time with time zone", problem: "drop the offset"},
		{in: "timestamp without time zone", want: "timestamp"},
		{in: "timestamp(3) without time zone", want: "timestamp"},
		{in: "timestamp with time zone", want: "timestamp(tz=UTC)"},
		{in: "timestamp(6) with time zone", want: "timestamp(tz=UTC)"},
		{in: "interval", want: "interval"},
		{in: "interval year to month", want: "interval"},
		{in: "bytea", want: "binary"},
		{in: "json", want: "variant"},
		{in: "jsonb", want: "variant"},
		{in: "uuid", want: "char(36)"},
		{in: "integer[]", want: "array(integer)"},
		{in: "character varying(20)[]", want: "array(varchar(20))"},
		{in: "timestamp with time zone[]", want: "array(timestamp(tz=UTC))"},
		{in: "money[]", problem: "its elements have no model type"},
		{in: "vector(768)", want: "vector(768)"},
		{in: "halfvec(3)", want: "vector(3, float16)"},
		{in: "vector", problem: "without dimensions"},
		{in: "money", problem: "no type that holds"},
		{in: "inet", problem: "no type that holds"},
		{in: "bit(3)", problem: "no type that holds"},
		{in: `"char"`, problem: "no type that holds"},
	} {
		typ, note, err := mapPostgres(pgInfo{formatType: c.in, typtype: "b"})
		checkMapping(t, c, typ, note, err)
	}

	// What the catalogue says beyond format_type.
	for _, c := range []struct {
		in            pgInfo
		want, problem string
	}{
		{in: pgInfo{formatType: "character varying(20)", collation: "C", typtype: "b"}, want: `varchar(20) collate "C"`},
		{in: pgInfo{formatType: "text[]", collation: "C", typtype: "b"}, want: `array(varchar collate "C")`},
		{in: pgInfo{formatType: "integer[]", dims: 2, typtype: "b"}, problem: "2 dimensions"},
		{in: pgInfo{formatType: "mood", typtype: "e"}, want: "varchar"},
		{in: pgInfo{formatType: "positive_amount", typtype: "d", domainBase: "numeric(10,2)"}, want: "decimal(10,2)"},
		{in: pgInfo{formatType: "loose", typtype: "d", domainBase: "numeric"}, problem: "domain over numeric"},
		{in: pgInfo{formatType: "int4range", typtype: "r"}, problem: "range"},
		{in: pgInfo{formatType: "address", typtype: "c"}, problem: "composite"},
	} {
		var col Column
		pgColumn(&col, c.in)
		got, problem := col.Type, col.Problem
		if c.problem != "" {
			if !strings.Contains(problem, c.problem) {
				t.Errorf("%+v: type %q, problem %q; want a problem containing %q", c.in, got, problem, c.problem)
			}
		} else if got != c.want || problem != "" {
			t.Errorf("%+v: type %q, problem %q; want %q", c.in, got, problem, c.want)
		}
	}
}

// TestMapMySQL is the MySQL/MariaDB mapping table: information_schema's
// column_type and data_type to the model type.
func TestMapMySQL(t *testing.T) {
	for _, c := range []struct {
		mapCase
		dataType string
		json     bool
	}{
		{mapCase{in: "tinyint(1)", want: "boolean"}, "tinyint", false},
		{mapCase{in: "tinyint(4)", want: "tinyint"}, "tinyint", false},
		{mapCase{in: "tinyint(3) unsigned", want: "utinyint"}, "tinyint", false},
		{mapCase{in: "tinyint(1) unsigned", want: "utinyint"}, "tinyint", false},
		{mapCase{in: "smallint(6)", want: "smallint"}, "smallint", false},
		{mapCase{in: "smallint(5) unsigned", want: "usmallint"}, "smallint", false},
		{mapCase{in: "mediumint(9)", want: "integer"}, "mediumint", false},
		{mapCase{in: "mediumint(8) unsigned", want: "uinteger"}, "mediumint", false},
		{mapCase{in: "int(11)", want: "integer"}, "int", false},
		{mapCase{in: "int", want: "integer"}, "int", false},
		{mapCase{in: "int(10) unsigned", want: "uinteger"}, "int", false},
		{mapCase{in: "bigint(20)", want: "bigint"}, "bigint", false},
		{mapCase{in: "bigint(20) unsigned", want: "ubigint"}, "bigint", false},
		{mapCase{in: "bigint(20) unsigned zerofill", want: "ubigint"}, "bigint", false},
		{mapCase{in: "decimal(12,2)", want: "decimal(12,2)"}, "decimal", false},
		{mapCase{in: "decimal(65,30)", want: "decimal(65,30)"}, "decimal", false},
		{mapCase{in: "float", want: "float32"}, "float", false},
		{mapCase{in: "double", want: "float64"}, "double", false},
		{mapCase{in: "char(3)", want: "char(3)"}, "char", false},
		{mapCase{in: "varchar(40)", want: "varchar(40)"}, "varchar", false},
		{mapCase{in: "text", want: "varchar"}, "text", false},
		{mapCase{in: "longtext", want: "varchar"}, "longtext", false},
		{mapCase{in: "longtext", want: "variant"}, "longtext", true},
		{mapCase{in: "json", want: "variant"}, "json", false},
		{mapCase{in: "enum('a','b,c')", want: "varchar"}, "enum", false},
		{mapCase{in: "set('x','y')", want: "varchar"}, "set", false},
		{mapCase{in: "binary(16)", want: "binary(16)"}, "binary", false},
		{mapCase{in: "varbinary(8)", want: "binary(8)"}, "varbinary", false},
		{mapCase{in: "blob", want: "binary"}, "blob", false},
		{mapCase{in: "longblob", want: "binary"}, "longblob", false},
		{mapCase{in: "date", want: "date"}, "date", false},
		{mapCase{in: "datetime(6)", want: "timestamp"}, "datetime", false},
		{mapCase{in: "timestamp(6)", want: "timestamp(tz=UTC)"}, "timestamp", false},
		{mapCase{in: "time(6)", want: "time"}, "time", false},
		{mapCase{in: "year(4)", want: "smallint"}, "year", false},
		{mapCase{in: "geometry", want: "geography"}, "geometry", false},
		{mapCase{in: "point", want: "geography(srid=4326, point)"}, "point", false},
		{mapCase{in: "geomcollection", want: "geography(srid=4326, geometrycollection)"}, "geomcollection", false},
		{mapCase{in: "vector(3)", want: "vector(3)"}, "vector", false},
		{mapCase{in: "bit(1)", problem: "bit field"}, "bit", false},
		{mapCase{in: "bit(64)", problem: "bit field"}, "bit", false},
		{mapCase{in: "inet6", problem: "no type that holds"}, "inet6", false},
		{mapCase{in: "uuid", problem: "no type that holds"}, "uuid", false},
	} {
		typ, note, err := mapMySQL(c.in, c.dataType, c.json)
		checkMapping(t, c.mapCase, typ, note, err)
	}
}

// TestMapSQLite is the SQLite mapping table: declared types, the sql
// platform's own spellings first.
func TestMapSQLite(t *testing.T) {
	for _, c := range []mapCase{
		{in: "INTEGER", want: "bigint"},
		{in: "int", want: "bigint"},
		{in: "BIGINT", want: "bigint"},
		{in: "tinyint", want: "tinyint"},
		{in: "SMALLINT", want: "smallint"},
		{in: "mediumint", want: "integer"},
		{in: "utinyint", want: "utinyint"},
		{in: "UNSIGNED BIG INT", want: "ubigint"},
		{in: "TEXT", want: "varchar"},
		{in: "CLOB", want: "varchar"},
		{in: "VARCHAR(40)", want: "varchar(40)"},
		{in: "varchar ( 40 )", want: "varchar(40)"},
		{in: "NVARCHAR(80)", want: "nvarchar(80)"},
		{in: "CHARACTER VARYING(10)", want: "varchar(10)"},
		{in: "CHAR(2)", want: "char(2)"},
		{in: "NCHAR(2)", want: "nchar(2)"},
		{in: "CHAR", want: "varchar"},
		{in: "DECIMAL(10,2)", want: "decimal(10,2)"},
		{in: "NUMERIC(10)", want: "decimal(10,0)"},
		{in: "decimal text(12,2)", want: "decimal(12,2)"},
		{in: "NUMERIC", problem: "without precision and scale"},
		{in: "REAL", want: "float64"},
		{in: "DOUBLE PRECISION", want: "float64"},
		{in: "FLOAT", want: "float64"},
		{in: "float32 blob", want: "float32"},
		{in: "fp8_e4m3 blob", want: "fp8_e4m3"},
		{in: "float16", want: "float16"},
		{in: "float32 vector blob(768)", want: "vector(768)"},
		{in: "float16 vector blob(4)", want: "vector(4, float16)"},
		{in: "BOOLEAN", want: "boolean"},
		{in: "DATE", want: "date"},
		{in: "DATETIME", want: "timestamp"},
		{in: "TIMESTAMP", want: "timestamp"},
		{in: "timestamptz", want: "timestamp(tz=UTC)"},
		{in: "TIME", want: "time"},
		{in: "interval", want: "interval"},
		{in: "BLOB", want: "binary"},
		{in: "json text", want: "variant"},
		{in: "JSON", want: "variant"},
		{in: "", problem: "no declared type"},
		{in: "MONEY", problem: "no type that holds"},
		{in: "UUID", problem: "no type that holds"},
		{in: "VARCHAR(40) COLLATE NOCASE", problem: "no type that holds"},
	} {
		typ, err := mapSQLite(c.in)
		checkMapping(t, c, typ, "", err)
	}
}

// TestVarName: the variable a datastore is bound to is an identifier that
// hides no builtin.
func TestVarName(t *testing.T) {
	for in, want := range map[string]string{
		"Shop":      "shop",
		"CRM_Main":  "crm_main",
		"2024":      "store_2024",
		"Sqlite":    "sqlite_store",
		"Dataset":   "dataset_store",
		"Load":      "load_store",
		"Orders-EU": "orders_eu",
	} {
		if got := VarName(in); got != want {
			t.Errorf("VarName(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestQuote: string literals escape what Starlark needs escaped and keep
// printable Unicode.
func TestQuote(t *testing.T) {
	for in, want := range map[string]string{
		`plain`:          `"plain"`,
		`say "hi"\n`:     `"say \"hi\"\\n"`,
		"two\nlines\t!":  `"two\nlines\t!"`,
		"bell\x07":       `"bell\x07"`,
		"café ✓":         `"café ✓"`,
		"bad\xffutf8":    "\"bad\uFFFDutf8\"",
		"bidi\u202eedoc": `"bidi\u202eedoc"`,
	} {
		if got := quote(in); got != want {
			t.Errorf("quote(%q) = %s, want %s", in, got, want)
		}
	}
}
