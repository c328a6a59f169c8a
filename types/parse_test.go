package types

import (
	"errors"
	"strings"
	"testing"
)

func TestParseCanonical(t *testing.T) {
	for in, want := range map[string]string{
		"varchar":                         "varchar",
		"VARCHAR(20)":                     "varchar(20)",
		" varchar ( 20 ) ":                "varchar(20)",
		"varchar(max)":                    "varchar",
		"string":                          "varchar",
		"text(5)":                         "varchar(5)",
		"char(3)":                         "char(3)",
		"nvarchar(10)":                    "nvarchar(10)",
		"NCHAR(2)":                        "nchar(2)",
		`varchar(10) collate "en_US"`:     `varchar(10) collate "en_US"`,
		`varchar(10) COLLATE 'C'`:         `varchar(10) collate "C"`,
		"varchar collate und-u-ks-level2": `varchar collate "und-u-ks-level2"`,
		"tinyint":                         "tinyint",
		"int8":                            "tinyint",
		"int16":                           "smallint",
		"INT":                             "integer",
		"int32":                           "integer",
		"Integer":                         "integer",
		"int64":                           "bigint",
		"uint8":                           "utinyint",
		"uint16":                          "usmallint",
		"uint32":                          "uinteger",
		"ubigint":                         "ubigint",
		"decimal(12,2)":                   "decimal(12,2)",
		"numeric( 12 , 2 )":               "decimal(12,2)",
		"decimal(5)":                      "decimal(5,0)",
		"decimal(76,76)":                  "decimal(76,76)",
		"float":                           "float64",
		"double":                          "float64",
		"real":                            "float32",
		"half":                            "float16",
		"binary16":                        "float16",
		"bfloat16":                        "bfloat16",
		"quad":                            "",
		"float128":                        "float128",
		"binary256":                       "float256",
		"FP8_E4M3":                        "fp8_e4m3",
		"float8_e4m3fn":                   "fp8_e4m3",
		"float8_e5m2":                     "fp8_e5m2",
		"fp8_e4m3fnuz":                    "fp8_e4m3fnuz",
		"fp8_e5m2fnuz":                    "fp8_e5m2fnuz",
		"fp6_e2m3":                        "fp6_e2m3",
		"fp6_e3m2":                        "fp6_e3m2",
		"fp4_e2m1":                        "fp4_e2m1",
		"e8m0":                            "e8m0",
		"float8_e8m0fnu":                  "e8m0",
		"mxfp8_e4m3":                      "mxfp8_e4m3",
		"MXINT8":                          "mxint8",
		"bool":                            "boolean",
		"date":                            "date",
		"time":                            "time",
		"datetime":                        "timestamp",
		"timestamp":                       "timestamp",
		"timestamptz":                     "timestamp(tz=UTC)",
		"timestamp(tz=utc)":               "timestamp(tz=UTC)",
		"timestamp(TZ = Z)":               "timestamp(tz=UTC)",
		"timestamp(tz=+00:00)":            "timestamp(tz=UTC)",
		"timestamp(tz=-0000)":             "timestamp(tz=UTC)",
		"timestamp(tz=+05:30)":            "timestamp(tz=+05:30)",
		"timestamp(tz=+0530)":             "timestamp(tz=+05:30)",
		"timestamp(tz=-08)":               "timestamp(tz=-08:00)",
		"timestamp(tz=Europe/Paris)":      "timestamp(tz=Europe/Paris)",
		`timestamp(tz="America/Argentina/Buenos_Aires")`: "timestamp(tz=America/Argentina/Buenos_Aires)",
		"timestamp(tz=Etc/GMT+5)":                        "timestamp(tz=Etc/GMT+5)",
		"interval":                                       "interval",
		"binary":                                         "binary",
		"bytes(16)":                                      "binary(16)",
		"varbinary(max)":                                 "binary",
		"blob":                                           "binary",
		"json":                                           "variant",
		"jsonb":                                          "variant",
		"array(int)":                                     "array(integer)",
		"array(integer,10)":                              "array(integer, 10)",
		"ARRAY( array(text) , 3)":                        "array(array(varchar), 3)",
		"map(string,double)":                             "map(varchar, float64)",
		"struct(a int, b varchar(5) NOT NULL)":           "struct(a integer, b varchar(5) not null)",
		"struct(A int null, _b2 date)":                   "struct(A integer, _b2 date)",
		"struct(not integer, null date, integer integer)": "struct(not integer, null date, integer integer)",
		"struct(s struct(x array(map(int, bool))))":       "struct(s struct(x array(map(integer, boolean))))",
		"vector(768)":                        "vector(768)",
		"vector(768, float32)":               "vector(768)",
		"vector(3, half)":                    "vector(3, float16)",
		"geography":                          "geography",
		"geography(srid=4326)":               "geography",
		"geography(SRID=3857)":               "geography(srid=3857)",
		"geography(srid=4326, POINT)":        "geography(srid=4326, point)",
		"geography(polygon)":                 "geography(srid=4326, polygon)",
		"geography(srid=0)":                  "geography(srid=0)",
		"geography(srid=2154, multipolygon)": "geography(srid=2154, multipolygon)",
	} {
		got, err := Parse(in)
		if want == "" {
			if err == nil {
				t.Errorf("Parse(%q) = %v, want an error", in, got)
			}
			continue
		}
		if err != nil {
			t.Errorf("Parse(%q): %v", in, err)
			continue
		}
		if got.String() != want {
			t.Errorf("Parse(%q) = %q, want %q", in, got, want)
		}
		again, err := Parse(got.String())
		if err != nil || again != got {
			t.Errorf("Parse(%q) = %v, %v; not a round trip", got.String(), again, err)
		}
	}
}

func TestParseErrors(t *testing.T) {
	type syn struct {
		offset   int
		expected string
	}
	type par struct {
		typ, param string
		offset     int
	}
	for in, want := range map[string]any{
		"":                              syn{0, "a type name"},
		"   ":                           syn{3, "a type name"},
		"integr":                        syn{0, "a type name"},
		"integer integer":               syn{8, "end of input"},
		"integer(10)":                   syn{7, "no parameters"},
		"varchar(":                      syn{8, "a number"},
		"varchar(10":                    syn{10, "')'"},
		"varchar(x)":                    syn{8, "a number"},
		"char":                          syn{4, "'('"},
		"decimal":                       syn{7, "'('"},
		"decimal(10,)":                  syn{11, "a number"},
		"array()":                       syn{6, "a type name"},
		"array(int,)":                   syn{10, "a number"},
		"map(int)":                      syn{7, "','"},
		"struct(a)":                     syn{8, "a type name"},
		"struct(a int b int)":           syn{13, "',' or ')'"},
		"struct(a int not nul)":         syn{17, "null"},
		"struct(1a int)":                syn{7, "a field name"},
		"timestamp(zone=UTC)":           syn{10, "tz=ZONE"},
		"timestamp(tz=)":                syn{13, "a time zone"},
		`timestamp(tz="UTC)`:            syn{18, `a closing "`},
		"geography()":                   syn{10, "srid=N or a geometry kind"},
		"vector(3, )":                   syn{10, "a type name"},
		"varchar(10) collate":           syn{19, "a collation name"},
		"\x00":                          syn{0, "a type name"},
		"ü":                             syn{0, "a type name"},
		"varchar(0)":                    par{"varchar", "length", 8},
		"varchar(-1)":                   par{"varchar", "length", 8},
		"char(2147483648)":              par{"char", "length", 5},
		"varchar(99999999999999999999)": par{"varchar", "length", 8},
		"decimal(0)":                    par{"decimal", "precision", 8},
		"decimal(77,2)":                 par{"decimal", "precision", 8},
		"decimal(3,5)":                  par{"decimal", "scale", 10},
		"decimal(3,-1)":                 par{"decimal", "scale", 10},
		"timestamp(tz=Mars/Olympus)":    par{"timestamp", "tz", 13},
		"timestamp(tz=Local)":           par{"timestamp", "tz", 13},
		"timestamp(tz=+19:00)":          par{"timestamp", "tz", 13},
		"timestamp(tz=+05:60)":          par{"timestamp", "tz", 13},
		"timestamp(tz=../etc/passwd)":   syn{13, "a time zone"},
		"timestamp(tz=a//b)":            par{"timestamp", "tz", 13},
		`timestamp(tz="")`:              par{"timestamp", "tz", 13},
		"binary(0)":                     par{"binary", "length", 7},
		"array(int, 0)":                 par{"array", "max length", 11},
		"struct()":                      par{"struct", "fields", 7},
		"struct(a int, A int)":          par{"struct", "field name", 14},
		"vector(0)":                     par{"vector", "dimensions", 7},
		"vector(-3)":                    par{"vector", "dimensions", 7},
		"vector(65537)":                 par{"vector", "dimensions", 7},
		"vector(3, integer)":            par{"vector", "element", 10},
		"geography(srid=-1)":            par{"geography", "srid", 15},
		"geography(srid=1000000)":       par{"geography", "srid", 15},
		"geography(srid=4326, square)":  par{"geography", "kind", 21},
		`varchar collate ""`:            par{"varchar", "collation", 16},
		`varchar collate "a b"`:         nil,
	} {
		_, err := Parse(in)
		switch w := want.(type) {
		case nil:
			if err != nil {
				t.Errorf("Parse(%q): %v", in, err)
			}
		case syn:
			var se *SyntaxError
			if !errors.As(err, &se) || se.Offset != w.offset || se.Expected != w.expected {
				t.Errorf("Parse(%q) = %v, want syntax error at %d expecting %s", in, err, w.offset, w.expected)
			}
		case par:
			var pe *ParamError
			if !errors.As(err, &pe) || pe.Type != w.typ || pe.Param != w.param || pe.Offset != w.offset {
				t.Errorf("Parse(%q) = %#v, want %s %s error at %d", in, err, w.typ, w.param, w.offset)
			}
		}
	}
}

func TestParseMessages(t *testing.T) {
	for in, want := range map[string]string{
		"integr":        `type syntax error at offset 0: unknown type "integr" (did you mean "integer"?) (expected a type name)`,
		"decimal(3,5)":  "decimal: scale 5: must not exceed the precision 3 (at offset 10)",
		"varchar(10":    "type syntax error at offset 10: unexpected end of input (expected ')')",
		"vector(0)":     "vector: dimensions 0: must be between 1 and 65536 (at offset 7)",
		"zzzzzzzzzzzzz": `type syntax error at offset 0: unknown type "zzzzzzzzzzzzz" (expected a type name)`,
	} {
		_, err := Parse(in)
		if err == nil || err.Error() != want {
			t.Errorf("Parse(%q) error\n got %v\nwant %s", in, err, want)
		}
	}
}

func TestParseDepth(t *testing.T) {
	deep := func(n int) string { return strings.Repeat("array(", n) + "int" + strings.Repeat(")", n) }
	if _, err := Parse(deep(MaxDepth)); err != nil {
		t.Errorf("depth %d: %v", MaxDepth, err)
	}
	if _, err := Parse(deep(MaxDepth + 1)); err == nil {
		t.Errorf("depth %d accepted", MaxDepth+1)
	}
	if _, err := Parse(deep(100000)); err == nil {
		t.Error("very deep nesting accepted")
	}
}

// TestEveryNameParses parses every catalogue name, with parameters where
// the type needs them, and checks the canonical name it maps to.
func TestEveryNameParses(t *testing.T) {
	params := map[string]string{"char": "(1)", "nchar": "(1)", "decimal": "(1)", "numeric": "(1)",
		"array": "(int)", "map": "(int, int)", "struct": "(a int)", "vector": "(1)"}
	for _, n := range Names() {
		ty, err := Parse(n.Name + params[n.Name])
		if err != nil {
			t.Errorf("%s: %v", n.Name, err)
			continue
		}
		if !strings.HasPrefix(ty.String(), n.Canonical) || ty.Family() != n.Family {
			t.Errorf("%s parsed as %s (%s), catalogue says %s (%s)", n.Name, ty, ty.Family(), n.Canonical, n.Family)
		}
		if n.Alias() == (n.Name == n.Canonical) {
			t.Errorf("%s: Alias() wrong", n.Name)
		}
	}
}

func TestMustParsePanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("MustParse did not panic")
		}
	}()
	MustParse("nope")
}
