package lint

// sqlReserved holds the reserved words of SQL:2016 (ISO/IEC 9075-2:2016,
// <reserved word>), upper case. A reserved word can never be an unquoted
// identifier in standard SQL, so a model name equal to one (ignoring case)
// would force every platform to quote it, and many generated statements
// would break. Non-reserved key words (NAME, KEY, TYPE, ...) are allowed.
// END-EXEC is omitted: its hyphen already makes it an invalid name.
var sqlReserved = setOf(
	"ABS", "ACOS", "ALL", "ALLOCATE", "ALTER", "AND", "ANY", "ARE", "ARRAY",
	"ARRAY_AGG", "ARRAY_MAX_CARDINALITY", "AS", "ASENSITIVE", "ASIN",
	"ASYMMETRIC", "AT", "ATAN", "ATOMIC", "AUTHORIZATION", "AVG",
	"BEGIN", "BEGIN_FRAME", "BEGIN_PARTITION", "BETWEEN", "BIGINT", "BINARY",
	"BLOB", "BOOLEAN", "BOTH", "BY",
	"CALL", "CALLED", "CARDINALITY", "CASCADED", "CASE", "CAST", "CEIL",
	"CEILING", "CHAR", "CHAR_LENGTH", "CHARACTER", "CHARACTER_LENGTH", "CHECK",
	"CLASSIFIER", "CLOB", "CLOSE", "COALESCE", "COLLATE", "COLLECT", "COLUMN",
	"COMMIT", "CONDITION", "CONNECT", "CONSTRAINT", "CONTAINS", "CONVERT",
	"COPY", "CORR", "CORRESPONDING", "COS", "COSH", "COUNT", "COVAR_POP",
	"COVAR_SAMP", "CREATE", "CROSS", "CUBE", "CUME_DIST", "CURRENT",
	"CURRENT_CATALOG", "CURRENT_DATE", "CURRENT_DEFAULT_TRANSFORM_GROUP",
	"CURRENT_PATH", "CURRENT_ROLE", "CURRENT_ROW", "CURRENT_SCHEMA",
	"CURRENT_TIME", "CURRENT_TIMESTAMP", "CURRENT_TRANSFORM_GROUP_FOR_TYPE",
	"CURRENT_USER", "CURSOR", "CYCLE",
	"DATE", "DAY", "DEALLOCATE", "DEC", "DECFLOAT", "DECIMAL", "DECLARE",
	"DEFAULT", "DEFINE", "DELETE", "DENSE_RANK", "DEREF", "DESCRIBE",
	"DETERMINISTIC", "DISCONNECT", "DISTINCT", "DOUBLE", "DROP", "DYNAMIC",
	"EACH", "ELEMENT", "ELSE", "EMPTY", "END", "END_FRAME", "END_PARTITION",
	"EQUALS", "ESCAPE", "EVERY", "EXCEPT", "EXEC", "EXECUTE", "EXISTS", "EXP",
	"EXTERNAL", "EXTRACT",
	"FALSE", "FETCH", "FILTER", "FIRST_VALUE", "FLOAT", "FLOOR", "FOR",
	"FOREIGN", "FRAME_ROW", "FREE", "FROM", "FULL", "FUNCTION", "FUSION",
	"GET", "GLOBAL", "GRANT", "GROUP", "GROUPING", "GROUPS",
	"HAVING", "HOLD", "HOUR",
	"IDENTITY", "IN", "INDICATOR", "INITIAL", "INNER", "INOUT", "INSENSITIVE",
	"INSERT", "INT", "INTEGER", "INTERSECT", "INTERSECTION", "INTERVAL", "INTO",
	"IS",
	"JOIN", "JSON_ARRAY", "JSON_ARRAYAGG", "JSON_EXISTS", "JSON_OBJECT",
	"JSON_OBJECTAGG", "JSON_QUERY", "JSON_TABLE", "JSON_TABLE_PRIMITIVE",
	"JSON_VALUE",
	"LAG", "LANGUAGE", "LARGE", "LAST_VALUE", "LATERAL", "LEAD", "LEADING",
	"LEFT", "LIKE", "LIKE_REGEX", "LISTAGG", "LN", "LOCAL", "LOCALTIME",
	"LOCALTIMESTAMP", "LOG", "LOG10", "LOWER",
	"MATCH", "MATCH_NUMBER", "MATCH_RECOGNIZE", "MATCHES", "MAX", "MEASURES",
	"MEMBER", "MERGE", "METHOD", "MIN", "MINUTE", "MOD", "MODIFIES", "MODULE",
	"MONTH", "MULTISET",
	"NATIONAL", "NATURAL", "NCHAR", "NCLOB", "NEW", "NO", "NONE", "NORMALIZE",
	"NOT", "NTH_VALUE", "NTILE", "NULL", "NULLIF", "NUMERIC",
	"OCCURRENCES_REGEX", "OCTET_LENGTH", "OF", "OFFSET", "OLD", "OMIT", "ON",
	"ONE", "ONLY", "OPEN", "OR", "ORDER", "OUT", "OUTER", "OVER", "OVERLAPS",
	"OVERLAY",
	"PARAMETER", "PARTITION", "PATTERN", "PER", "PERCENT", "PERCENT_RANK",
	"PERCENTILE_CONT", "PERCENTILE_DISC", "PERIOD", "PORTION", "POSITION",
	"POSITION_REGEX", "POWER", "PRECEDES", "PRECISION", "PREPARE", "PRIMARY",
	"PROCEDURE",
	"RANGE", "RANK", "READS", "REAL", "RECURSIVE", "REF", "REFERENCES",
	"REFERENCING", "REGR_AVGX", "REGR_AVGY", "REGR_COUNT", "REGR_INTERCEPT",
	"REGR_R2", "REGR_SLOPE", "REGR_SXX", "REGR_SXY", "REGR_SYY", "RELEASE",
	"RESULT", "RETURN", "RETURNS", "REVOKE", "RIGHT", "ROLLBACK", "ROLLUP",
	"ROW", "ROW_NUMBER", "ROWS", "RUNNING",
	"SAVEPOINT", "SCOPE", "SCROLL", "SEARCH", "SECOND", "SEEK", "SELECT",
	"SENSITIVE", "SESSION_USER", "SET", "SIMILAR", "SIN", "SINH", "SKIP",
	"SMALLINT", "SOME", "SPECIFIC", "SPECIFICTYPE", "SQL", "SQLEXCEPTION",
	"SQLSTATE", "SQLWARNING", "SQRT", "START", "STATIC", "STDDEV_POP",
	"STDDEV_SAMP", "SUBMULTISET", "SUBSET", "SUBSTRING", "SUBSTRING_REGEX",
	"SUCCEEDS", "SUM", "SYMMETRIC", "SYSTEM", "SYSTEM_TIME", "SYSTEM_USER",
	"TABLE", "TABLESAMPLE", "TAN", "TANH", "THEN", "TIME", "TIMESTAMP",
	"TIMEZONE_HOUR", "TIMEZONE_MINUTE", "TO", "TRAILING", "TRANSLATE",
	"TRANSLATE_REGEX", "TRANSLATION", "TREAT", "TRIGGER", "TRIM", "TRIM_ARRAY",
	"TRUE", "TRUNCATE",
	"UESCAPE", "UNION", "UNIQUE", "UNKNOWN", "UNNEST", "UPDATE", "UPPER",
	"USER", "USING",
	"VALUE", "VALUE_OF", "VALUES", "VAR_POP", "VAR_SAMP", "VARBINARY",
	"VARCHAR", "VARYING", "VERSIONING",
	"WHEN", "WHENEVER", "WHERE", "WIDTH_BUCKET", "WINDOW", "WITH", "WITHIN",
	"WITHOUT",
	"YEAR",
)

// longestReserved is the length of the longest reserved word; longer names
// skip the lookup.
const longestReserved = len("CURRENT_TRANSFORM_GROUP_FOR_TYPE")

// reservedShape has a bit for each (length, first letter, last character) of
// a reserved word. Most names fail this test and skip the map lookup, which
// matters when checking a hundred thousand column names.
var reservedShape = func() (bits [longestReserved + 1][26]uint64) {
	for w := range sqlReserved {
		bits[len(w)][w[0]-'A'] |= 1 << shapeIndex(w[len(w)-1])
	}
	return bits
}()

// shapeIndex maps an identifier character, either case, to 0..36.
func shapeIndex(c byte) uint {
	switch {
	case 'a' <= c && c <= 'z':
		return uint(c - 'a')
	case 'A' <= c && c <= 'Z':
		return uint(c - 'A')
	case '0' <= c && c <= '9':
		return 26 + uint(c-'0')
	}
	return 36
}

func setOf(words ...string) map[string]struct{} {
	m := make(map[string]struct{}, len(words))
	for _, w := range words {
		m[w] = struct{}{}
	}
	return m
}

// isReserved reports whether name is an SQL:2016 reserved word, ignoring
// ASCII case. It upper-cases into a stack buffer so that checking the
// hundred thousand names of a large model allocates nothing.
func isReserved(name string) bool {
	if len(name) == 0 || len(name) > longestReserved || !isLetter(name[0]) {
		return false
	}
	if reservedShape[len(name)][shapeIndex(name[0])]&(1<<shapeIndex(name[len(name)-1])) == 0 {
		return false
	}
	var buf [longestReserved]byte
	for i := 0; i < len(name); i++ {
		c := name[i]
		if 'a' <= c && c <= 'z' {
			c -= 'a' - 'A'
		}
		buf[i] = c
	}
	_, ok := sqlReserved[string(buf[:len(name)])]
	return ok
}
