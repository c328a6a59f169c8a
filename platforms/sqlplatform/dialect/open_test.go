package dialect_test

import (
	"math"
	"strings"
	"testing"

	"github.com/datasurface/datasurface-go/platforms/sqlplatform/dialect"
	"github.com/datasurface/datasurface-go/platforms/sqlplatform/value"
	"github.com/datasurface/datasurface-go/types"
)

// TestForEngine checks the engine names and the error for another.
func TestForEngine(t *testing.T) {
	for _, name := range dialect.Engines() {
		d, err := dialect.ForEngine(name)
		if err != nil || d.Name() != name {
			t.Errorf("ForEngine(%q) = %v, %v", name, d, err)
		}
	}
	_, err := dialect.ForEngine("oracle")
	if err == nil || !strings.Contains(err.Error(), `"oracle"`) || !strings.Contains(err.Error(), "mysql, postgres, sqlite") {
		t.Errorf("ForEngine(oracle) = %v, want an error naming it and the engines", err)
	}
}

// TestOpenErrorsHideSecrets checks that a failed connection's error names
// the engine but never the password in the address.
func TestOpenErrorsHideSecrets(t *testing.T) {
	for engine, dsn := range map[string]string{
		"postgres": "postgres://dsl:s3cr3t-pw@127.0.0.1:1/db?sslmode=disable&connect_timeout=2",
		"mysql":    "dsl:s3cr3t-pw@tcp(127.0.0.1:1)/db?timeout=2s",
	} {
		_, _, err := dialect.Open(engine, dsn)
		if err == nil {
			t.Fatalf("Open(%s) of a closed port succeeded", engine)
		}
		if strings.Contains(err.Error(), "s3cr3t") || !strings.Contains(err.Error(), engine) {
			t.Errorf("Open(%s) error %q shows the password or hides the engine", engine, err)
		}
	}
	if _, _, err := dialect.Open("sqlite", "dir/a?b.db"); err == nil || !strings.Contains(err.Error(), "'?'") {
		t.Errorf("Open(sqlite, a path with ?) = %v, want an error about the '?'", err)
	}
	if _, _, err := dialect.Open("sqlite", ""); err == nil {
		t.Error("Open(sqlite, \"\") succeeded")
	}
}

// TestQuoteIdent checks quoting of names holding the quote character.
func TestQuoteIdent(t *testing.T) {
	for _, tt := range []struct{ engine, name, want string }{
		{"sqlite", `a"b`, `"a""b"`},
		{"postgres", `Order Lines`, `"Order Lines"`},
		{"postgres", "a\x00b", `"ab"`},
		{"mysql", "a`b", "`a``b`"},
	} {
		d, _ := dialect.ForEngine(tt.engine)
		if got := d.QuoteIdent(tt.name); got != tt.want {
			t.Errorf("%s QuoteIdent(%q) = %s, want %s", tt.engine, tt.name, got, tt.want)
		}
	}
	pg, _ := dialect.ForEngine("postgres")
	if pg.Placeholder(3) != "$3" {
		t.Errorf("postgres Placeholder(3) = %s", pg.Placeholder(3))
	}
}

// TestEncodeRefuses pins what Encode refuses with a reason.
func TestEncodeRefuses(t *testing.T) {
	for _, tt := range []struct {
		engine, typ string
		v           any
		want        string
	}{
		{"sqlite", "integer", 5, "is a Go int, not a canonical value of integer"},
		{"postgres", "varchar", "a\x00b", "NUL character"},
		{"postgres", "date", "2024-01-01", "not a canonical value of date"},
		{"mysql", "interval", value.Interval{Days: 1}, "MySQL has no interval column type"},
		{"mysql", "float64", math.Inf(1), "MySQL floats have no NaN or infinity"},
		{"mysql", "float64", math.Copysign(0, -1), "negative zero"},
	} {
		d, _ := dialect.ForEngine(tt.engine)
		_, err := d.Encode(types.MustParse(tt.typ), tt.v)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s Encode(%s, %#v) = %v, want an error with %q", tt.engine, tt.typ, tt.v, err, tt.want)
		}
	}
	my, _ := dialect.ForEngine("mysql")
	if _, err := my.ColumnType(types.MustParse("interval")); err == nil || !strings.Contains(err.Error(), "no interval") {
		t.Errorf("MySQL ColumnType(interval) = %v", err)
	}
	if _, err := my.ColumnType(types.MustParse("char(300)")); err == nil || !strings.Contains(err.Error(), "at most 255") {
		t.Errorf("MySQL ColumnType(char(300)) = %v", err)
	}
}
