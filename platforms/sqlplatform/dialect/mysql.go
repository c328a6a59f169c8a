package dialect

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"

	"github.com/datasurface/datasurface-go/platforms/sqlplatform/value"
	"github.com/datasurface/datasurface-go/types"
)

// MySQL limits that ColumnType checks.
const (
	mysqlMaxChar         = 255
	mysqlMaxDecimal      = 65
	mysqlMaxDecimalScale = 30
)

// mysqlCollation is what a collation name must look like to be written
// unquoted after COLLATE.
var mysqlCollation = regexp.MustCompile(`^[A-Za-z0-9_]+$`)

// ColumnType implements Dialect. Floats of every format are double: the
// text protocol prints FLOAT columns with 6 significant digits, which
// loses bits of most float32 values (so a source's FLOAT columns are read
// exactly only through prepared statements). Text columns are declared in utf8mb4 (so
// any Unicode text fits whatever the database's default), bounded strings
// as varchar up to 255 characters and as text, mediumtext or longtext
// beyond (varchar counts toward MySQL's 65535-byte row limit). Zoned
// timestamps are datetime(6) holding UTC (MySQL's TIMESTAMP ends in 2038).
// It refuses what MySQL cannot hold: char beyond 255, decimal beyond
// precision 65 or scale 30, and interval, which MySQL has no column type
// for.
func (MySQL) ColumnType(t types.Type) (string, error) {
	switch t := t.(type) {
	case types.StringType:
		var s string
		n := t.Length()
		switch {
		case t.Fixed() && n > mysqlMaxChar:
			return "", fmt.Errorf("%s: MySQL char holds at most %d characters; use varchar(%d) in the model", t, mysqlMaxChar, n)
		case t.Fixed():
			s = fmt.Sprintf("char(%d)", n)
		case !t.Bounded():
			s = "longtext"
		case n <= mysqlMaxChar:
			s = fmt.Sprintf("varchar(%d)", n)
		case n*4 <= 65535:
			s = "text"
		case n*4 <= 1<<24-1:
			s = "mediumtext"
		default:
			s = "longtext"
		}
		s += " character set utf8mb4"
		if c := t.Collation(); c != "" {
			if !mysqlCollation.MatchString(c) {
				return "", fmt.Errorf("%s: %q is not a MySQL collation name (letters, digits and _)", t, c)
			}
			s += " collate " + c
		}
		return s, nil
	case types.IntegerType:
		var s string
		switch t.Bits() {
		case 8:
			s = "tinyint"
		case 16:
			s = "smallint"
		case 32:
			s = "int"
		default:
			s = "bigint"
		}
		if t.Unsigned() {
			s += " unsigned"
		}
		return s, nil
	case types.DecimalType:
		if t.Precision() > mysqlMaxDecimal || t.Scale() > mysqlMaxDecimalScale {
			return "", fmt.Errorf("%s: MySQL decimals have at most %d digits, %d of them after the point", t, mysqlMaxDecimal, mysqlMaxDecimalScale)
		}
		return fmt.Sprintf("decimal(%d,%d)", t.Precision(), t.Scale()), nil
	case types.FloatType:
		// FLOAT would do for the narrow formats, but the text protocol
		// prints FLOAT with 6 significant digits, which loses bits.
		return "double", nil
	case types.BooleanType:
		return "tinyint(1)", nil
	case types.DateType:
		return "date", nil
	case types.TimeType:
		return "time(6)", nil
	case types.TimestampType:
		return "datetime(6)", nil
	case types.IntervalType:
		return "", fmt.Errorf("%s: MySQL has no interval column type; keep intervals in another source, or model the column as varchar holding ISO 8601 durations", t)
	case types.MXType:
		return fmt.Sprintf("binary(%d)", mxSize), nil
	case types.BinaryType:
		if n := t.Length(); n > 0 && n <= 255 {
			return fmt.Sprintf("varbinary(%d)", n), nil
		}
		return "longblob", nil
	case types.VariantType, types.ArrayType, types.MapType, types.StructType:
		return "json", nil
	case types.VectorType:
		n := elemWidth(t.Elem().Format()) * t.Dims()
		if n <= 255 {
			return fmt.Sprintf("varbinary(%d)", n), nil
		}
		return "mediumblob", nil
	case types.GeographyType:
		return "geometry", nil
	}
	return "", fmt.Errorf("type %s is not in the catalogue", t)
}

// Encode implements Dialect: numbers as numbers (NaN, infinities and
// negative zero refused, as MySQL has the first two not at all and stores
// the last as zero), decimals, dates, times and timestamps
// (zoned ones in UTC) as text, MX blocks and vectors packed, geographies in
// MySQL's internal form (a 4-byte little-endian spatial reference, then
// WKB), variants and composites as JSON text.
func (MySQL) Encode(t types.Type, v any) (any, error) {
	if v == nil {
		return nil, nil
	}
	switch t := t.(type) {
	case types.StringType:
		if s, ok := v.(string); ok {
			return s, nil
		}
	case types.IntegerType:
		switch i := v.(type) {
		case int64, uint64:
			return i, nil
		}
	case types.FloatType:
		if f, ok := v.(float64); ok {
			if math.IsNaN(f) || math.IsInf(f, 0) {
				return nil, fmt.Errorf("value %v: MySQL floats have no NaN or infinity", f)
			}
			if f == 0 && math.Signbit(f) {
				return nil, errors.New("value -0: MySQL stores negative zero as zero")
			}
			return f, nil
		}
	case types.BooleanType:
		if b, ok := v.(bool); ok {
			return b, nil
		}
	case types.TimestampType:
		// datetime(6) has no zone: zoned values are written in UTC, no "Z".
		return scalarText(types.Timestamp, v)
	case types.IntervalType:
		return nil, fmt.Errorf("%s: MySQL has no interval column type", t)
	case types.BinaryType:
		if b, ok := v.([]byte); ok {
			return nonNil(b), nil
		}
	case types.MXType:
		if b, ok := v.(types.MXBlock); ok {
			return mxBytes(b), nil
		}
	case types.VectorType:
		if x, ok := v.([]float64); ok {
			return nonNil(packVector(t.Elem().Format(), x)), nil
		}
	case types.GeographyType:
		if g, ok := v.(value.Geography); ok {
			out := binary.LittleEndian.AppendUint32(nil, uint32(t.SRID()))
			return append(out, g...), nil
		}
	case types.VariantType:
		if j, ok := v.(value.JSON); ok {
			return string(j), nil
		}
	case types.ArrayType, types.MapType, types.StructType:
		return marshalJSONForm(t, v)
	case types.DecimalType, types.DateType, types.TimeType:
		return scalarText(t, v)
	}
	return nil, notCanonical(t, v)
}

// Decode implements Dialect. The driver hands every value over as text in
// the text protocol (queries without arguments) and as Go numbers, []byte
// or time.Time in the binary protocol; both are read. Geometry columns
// arrive in MySQL's internal form (spatial reference, then WKB); a
// spatial reference of 0 means none and is accepted for any column.
func (MySQL) Decode(t types.Type, src any) (any, error) {
	return decoder{mysqlGeometry: true}.decode(t, src)
}

// TableColumns implements Dialect: the columns of the table in the current
// database, with information_schema's column_type (such as "int(11)",
// "bigint(20) unsigned", "varchar(40)").
func (MySQL) TableColumns(ctx context.Context, q Querier, table string) ([]PhysicalColumn, error) {
	rows, err := q.QueryContext(ctx, `SELECT column_name, column_type, is_nullable FROM information_schema.columns
WHERE table_schema = DATABASE() AND table_name = ? ORDER BY ordinal_position`, table)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []PhysicalColumn
	for rows.Next() {
		var c PhysicalColumn
		var nullable string
		if err := rows.Scan(&c.Name, &c.Type, &nullable); err != nil {
			return nil, err
		}
		c.Type = strings.ToLower(c.Type)
		c.Nullable = nullable == "YES"
		out = append(out, c)
	}
	return out, rows.Err()
}

// mysqlType is a MySQL column type broken into the parts CanHold compares.
type mysqlType struct {
	base     string
	mods     []int
	unsigned bool
}

// parseMySQLType reads information_schema's column_type or ColumnType's
// output (character set and collation are not compared).
func parseMySQLType(s string) mysqlType {
	s = strings.ToLower(strings.TrimSpace(s))
	if i := strings.Index(s, " character set"); i >= 0 {
		s = s[:i]
	}
	if i := strings.Index(s, " collate"); i >= 0 {
		s = s[:i]
	}
	var t mysqlType
	if strings.HasSuffix(s, " unsigned") || strings.HasSuffix(s, " unsigned zerofill") {
		t.unsigned = true
		s = strings.TrimSuffix(strings.TrimSuffix(s, " zerofill"), " unsigned")
	}
	if i := strings.IndexByte(s, '('); i >= 0 && strings.HasSuffix(s, ")") {
		for _, m := range strings.Split(s[i+1:len(s)-1], ",") {
			n, err := strconv.Atoi(strings.TrimSpace(m))
			if err != nil {
				n = -1
			}
			t.mods = append(t.mods, n)
		}
		s = s[:i]
	}
	switch s {
	case "integer":
		s = "int"
	case "boolean", "bool":
		s, t.mods = "tinyint", []int{1}
	case "numeric":
		s = "decimal"
	case "real", "double precision":
		s = "double"
	}
	t.base = s
	return t
}

// mysqlIntRank orders the integer types by width.
var mysqlIntRank = map[string]int{"tinyint": 1, "smallint": 2, "mediumint": 3, "int": 4, "bigint": 5}

// mysqlTextSize orders the text and blob types by capacity in bytes.
var mysqlTextSize = map[string]int{
	"tinytext": 255, "text": 65535, "mediumtext": 1<<24 - 1, "longtext": 1<<32 - 1,
	"tinyblob": 255, "blob": 65535, "mediumblob": 1<<24 - 1, "longblob": 1<<32 - 1,
}

// mysqlContains reports whether a column of type a holds every value a
// column of type b holds.
func mysqlContains(a, b mysqlType) bool {
	switch {
	case mysqlIntRank[a.base] > 0 && mysqlIntRank[b.base] > 0:
		if a.unsigned == b.unsigned {
			return mysqlIntRank[a.base] >= mysqlIntRank[b.base]
		}
		return !a.unsigned && mysqlIntRank[a.base] > mysqlIntRank[b.base]
	case a.base == "decimal" && b.base == "decimal":
		ap, as := mod(a.mods, 0, 10), mod(a.mods, 1, 0)
		bp, bs := mod(b.mods, 0, 10), mod(b.mods, 1, 0)
		return bs <= as && bp-bs <= ap-as
	case a.base == "double" && b.base == "float":
		return true
	case a.base == "varchar" && (b.base == "varchar" || b.base == "char"):
		return mod(b.mods, 0, 1) <= mod(a.mods, 0, 0)
	case a.base == "char" && b.base == "char":
		return mod(b.mods, 0, 1) <= mod(a.mods, 0, 1)
	case a.base == "varbinary" && b.base == "varbinary":
		return mod(b.mods, 0, 1) <= mod(a.mods, 0, 0)
	case mysqlTextSize[a.base] > 0 && (b.base == "varchar" || b.base == "char" || b.base == "varbinary" || b.base == "binary"):
		return mod(b.mods, 0, 1)*4 <= mysqlTextSize[a.base]
	case a.base == "longtext" && b.base == "json":
		return true // MariaDB's json is longtext with a validity check
	case mysqlTextSize[a.base] > 0 && mysqlTextSize[b.base] > 0:
		return strings.HasSuffix(a.base, "text") == strings.HasSuffix(b.base, "text") && mysqlTextSize[a.base] >= mysqlTextSize[b.base]
	case a.base == b.base:
		switch a.base {
		case "time", "datetime", "timestamp":
			return mod(a.mods, 0, 0) >= mod(b.mods, 0, 0)
		}
		return len(a.mods) == 0 || fmt.Sprint(a.mods) == fmt.Sprint(b.mods) || a.base == "tinyint"
	}
	return false
}

// mod returns mods[i], or def when absent.
func mod(mods []int, i, def int) int {
	if i < len(mods) && mods[i] >= 0 {
		return mods[i]
	}
	return def
}

// CanHold implements Dialect, comparing physical with ColumnType(t) as
// Postgres.CanHold does. MySQL is a source only; the platform reads its
// columns, never widens them, but the answer is right for either use.
func (d MySQL) CanHold(physical string, t types.Type) (hold bool, widen bool) {
	want, err := d.ColumnType(t)
	if err != nil {
		return false, false
	}
	p, w := parseMySQLType(physical), parseMySQLType(want)
	if _, ok := t.(types.VectorType); ok {
		// The packed layout depends on the element format: only the
		// same size reads right, and no ALTER converts stored vectors.
		return p.base == w.base && fmt.Sprint(p.mods) == fmt.Sprint(w.mods) || p.base == "blob" || p.base == "mediumblob" || p.base == "longblob", false
	}
	if mysqlContains(p, w) {
		return true, false
	}
	return false, mysqlContains(w, p)
}

// AlterColumnType implements Dialect (MODIFY COLUMN; the column stays
// nullable, as the platform's columns are).
func (d MySQL) AlterColumnType(table, column string, t types.Type) (string, error) {
	ct, err := d.ColumnType(t)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("ALTER TABLE %s MODIFY COLUMN %s %s NULL", d.QuoteIdent(table), d.QuoteIdent(column), ct), nil
}
