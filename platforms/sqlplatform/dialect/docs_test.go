package dialect_test

import (
	"os"
	"strings"
	"testing"

	"github.com/datasurface/datasurface-go/platforms/sqlplatform/dialect"
	"github.com/datasurface/datasurface-go/types"
)

// TestSQLTypesDoc checks the column-type table of docs/SQL_TYPES.md against
// ColumnType, and that the table covers every family and every float and
// MX format of the catalogue.
func TestSQLTypesDoc(t *testing.T) {
	doc, err := os.ReadFile("../../../docs/SQL_TYPES.md")
	if err != nil {
		t.Fatal(err)
	}
	text := string(doc)
	start := strings.Index(text, "## Column types")
	end := strings.Index(text[start:], "### SQLite")
	if start < 0 || end < 0 {
		t.Fatal("docs/SQL_TYPES.md has no column-type table")
	}
	engines := []string{"sqlite", "postgres", "mysql"}
	families := map[types.Family]bool{}
	formats := map[string]bool{}
	rows := 0
	for _, line := range strings.Split(text[start:start+end], "\n") {
		if !strings.HasPrefix(line, "| `") {
			continue
		}
		cells := strings.Split(strings.Trim(line, "| "), " | ")
		if len(cells) != 4 {
			t.Errorf("row %q has %d cells, want 4", line, len(cells))
			continue
		}
		rows++
		typ, err := types.Parse(strings.Trim(cells[0], "`"))
		if err != nil {
			t.Errorf("row %q: %v", line, err)
			continue
		}
		families[typ.Family()] = true
		formats[typ.String()] = true
		for i, e := range engines {
			d, _ := dialect.ForEngine(e)
			want := "refused"
			if ct, err := d.ColumnType(typ); err == nil {
				want = "`" + ct + "`"
			}
			if cells[i+1] != want {
				t.Errorf("%s on %s: the doc says %s, ColumnType says %s", typ, e, cells[i+1], want)
			}
		}
	}
	if rows == 0 {
		t.Fatal("no rows read")
	}
	for _, f := range types.Families() {
		if f != types.FamilyUnknown && !families[f] {
			t.Errorf("the table has no %s type", f)
		}
	}
	for _, f := range types.FloatFormats() {
		if !formats[f.Name()] {
			t.Errorf("the table has no row for %s", f.Name())
		}
	}
	for _, m := range types.MXFormats() {
		if !formats[m.Name()] {
			t.Errorf("the table has no row for %s", m.Name())
		}
	}
}
