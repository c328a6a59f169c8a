package sqlplatform_test

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/datasurface/datasurface-go/ecosystem"
	"github.com/datasurface/datasurface-go/internal/dbtest"
	"github.com/datasurface/datasurface-go/platforms/platformtest"
	"github.com/datasurface/datasurface-go/platforms/sqlplatform"
	"github.com/datasurface/datasurface-go/platforms/sqlplatform/dialect"
)

// limitDialect is a dialect with a given identifier limit; naming uses
// nothing else of it.
type limitDialect struct {
	dialect.Dialect
	max int
}

func (l limitDialect) Name() string     { return fmt.Sprintf("limit%d", l.max) }
func (l limitDialect) MaxIdentLen() int { return l.max }

// hash8 is the naming rule's hash suffix, computed independently.
func hash8(full string) string {
	sum := sha256.Sum256([]byte(full))
	return hex.EncodeToString(sum[:])[:8]
}

func TestNamesAreLowerCasedAndJoined(t *testing.T) {
	d := limitDialect{max: 63}
	for _, c := range []struct{ got, want string }{
		{sqlplatform.MergeTableName(d, "Crm", "Customers"), "crm__customers"},
		{sqlplatform.StagingTableName(d, "Crm", "Customers"), "crm__customers__staging"},
		{sqlplatform.LiveViewName(d, "Reports", "Daily", "Customers"), "reports__daily__customers"},
		{sqlplatform.HistoryViewName(d, "Reports", "Daily", "Customers"), "reports__daily__customers__history"},
	} {
		if c.got != c.want {
			t.Errorf("name = %q, want %q", c.got, c.want)
		}
	}
}

// TestNamesCutAtTheLimit checks, for each database's limit, a name exactly
// at the limit (kept), one byte over (cut with the hash of the full name)
// and a suffixed name whose suffix survives the cut.
func TestNamesCutAtTheLimit(t *testing.T) {
	for _, max := range []int{63, 64, 128} {
		t.Run(fmt.Sprint(max), func(t *testing.T) {
			d := limitDialect{max: max}
			store := "s"
			exact := strings.Repeat("d", max-len(store)-2) // "s__ddd...": max bytes
			if got := sqlplatform.MergeTableName(d, store, exact); got != store+"__"+exact {
				t.Errorf("name of exactly %d bytes changed: %q", max, got)
			}

			over := exact + "x"
			full := store + "__" + over
			got := sqlplatform.MergeTableName(d, store, over)
			if len(got) != max {
				t.Errorf("cut name %q has %d bytes, want %d", got, len(got), max)
			}
			wantTail := "_" + hash8(full)
			if !strings.HasSuffix(got, wantTail) {
				t.Errorf("cut name %q does not end in %q", got, wantTail)
			}
			if prefix := strings.TrimSuffix(got, wantTail); !strings.HasPrefix(full, prefix) || len(prefix) < max-20 {
				t.Errorf("cut name %q does not keep a readable prefix of %q", got, full)
			}

			// Two long names that differ only after the cut stay apart.
			other := sqlplatform.MergeTableName(d, store, exact+"y")
			if other == got {
				t.Errorf("two names cut to the same %q", got)
			}
			// The same input gives the same name.
			if again := sqlplatform.MergeTableName(d, store, over); again != got {
				t.Errorf("not deterministic: %q then %q", got, again)
			}

			// The staging suffix is kept whole, and the staging name shares
			// the merge name's readable part and hash.
			staging := sqlplatform.StagingTableName(d, store, over)
			if len(staging) > max || !strings.HasSuffix(staging, "_"+hash8(full)+"__staging") {
				t.Errorf("staging name %q (%d bytes) does not end in the hash and __staging within %d bytes", staging, len(staging), max)
			}
			// A name that fits but whose suffix does not is cut too.
			fits := strings.Repeat("v", max-len("w__g__"))
			live := sqlplatform.LiveViewName(d, "w", "g", fits)
			hist := sqlplatform.HistoryViewName(d, "w", "g", fits)
			if live != "w__g__"+fits {
				t.Errorf("live view name %q changed though it fits", live)
			}
			if len(hist) > max || !strings.HasSuffix(hist, "_"+hash8("w__g__"+fits)+"__history") {
				t.Errorf("history view name %q (%d bytes) is not cut with its suffix kept", hist, len(hist))
			}
		})
	}
}

// TestNamesCutUnicodeAtACharacterBoundary uses two-byte characters so that
// the byte limit falls inside one.
func TestNamesCutUnicodeAtACharacterBoundary(t *testing.T) {
	for _, max := range []int{63, 64, 128} {
		d := limitDialect{max: max}
		ds := strings.Repeat("é", 100)
		got := sqlplatform.MergeTableName(d, "Ünïcode", ds)
		full := "ünïcode__" + ds
		if !utf8.ValidString(got) {
			t.Errorf("max %d: cut name %q is not valid UTF-8", max, got)
		}
		if len(got) > max {
			t.Errorf("max %d: cut name %q has %d bytes", max, got, len(got))
		}
		tail := "_" + hash8(full)
		if !strings.HasSuffix(got, tail) || !strings.HasPrefix(full, strings.TrimSuffix(got, tail)) {
			t.Errorf("max %d: cut name %q is not a prefix of %q then %q", max, got, full, tail)
		}
		// Short unicode names are kept, lower-cased.
		if got := sqlplatform.MergeTableName(d, "Ünï", "Été"); got != "ünï__été" {
			t.Errorf("short unicode name = %q", got)
		}
	}
}

func TestNamesReplaceOddCharactersAndKeepThemApart(t *testing.T) {
	d := limitDialect{max: 63}
	plain := sqlplatform.MergeTableName(d, "crm_db", "t")
	odd := sqlplatform.MergeTableName(d, "crm-db", "t")
	if plain != "crm_db__t" {
		t.Errorf("plain name = %q", plain)
	}
	if want := "crm_db__t_" + hash8("crm-db__t"); odd != want {
		t.Errorf("name with '-' = %q, want %q", odd, want)
	}
	quoted := sqlplatform.LiveViewName(d, `w"; drop table x; --`, "g", "d\x00")
	if strings.ContainsAny(quoted, "\"; -\x00") {
		t.Errorf("name %q keeps characters that are not letters, digits or _", quoted)
	}
}

// TestNamesArePinned pins a few names: tables and views are found again by
// name in an existing store, so the rule must never change.
func TestNamesArePinned(t *testing.T) {
	d := limitDialect{max: 63}
	long := strings.Repeat("abcdefghij", 7)
	for _, c := range []struct{ got, want string }{
		{sqlplatform.MergeTableName(d, "Store", long), "store__abcdefghijabcdefghijabcdefghijabcdefghijabcdefg_8f886653"},
		{sqlplatform.HistoryViewName(d, "W", "G", long), "w__g__abcdefghijabcdefghijabcdefghijabcdefghi_f62e9b5c__history"},
	} {
		if c.got != c.want {
			t.Errorf("name = %q, want %q", c.got, c.want)
		}
	}
}

// TestNamesSurviveTheDatabase creates tables under cut names in each
// available database: the catalogue keeps every name exactly (PostgreSQL
// would silently truncate a longer one), and names that differ only after
// the cut stay two tables.
func TestNamesSurviveTheDatabase(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d dialect.Dialect, db *sql.DB, _ string) {
		long := strings.Repeat("abcdefghij", 20)
		names := []string{
			sqlplatform.MergeTableName(d, "Store", long+"1"),
			sqlplatform.MergeTableName(d, "Store", long+"2"),
			sqlplatform.StagingTableName(d, "Store", long+"1"),
			sqlplatform.MergeTableName(d, "Ünïcode", strings.Repeat("é", 100)),
		}
		ctx := context.Background()
		for _, name := range names {
			if len(name) > d.MaxIdentLen() {
				t.Fatalf("%s: name %q is longer than %d bytes", d.Name(), name, d.MaxIdentLen())
			}
			if _, err := db.ExecContext(ctx, "CREATE TABLE "+d.QuoteIdent(name)+" (id integer)"); err != nil {
				t.Fatalf("%s: creating table %q: %v", d.Name(), name, err)
			}
			var q string
			switch d.Name() {
			case "sqlite":
				q = "SELECT name FROM sqlite_master WHERE type = 'table' AND name = ?"
			case "postgres":
				q = "SELECT relname FROM pg_class WHERE relname = $1 AND relnamespace = current_schema()::regnamespace"
			case "mysql":
				q = "SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = ?"
			}
			var got string
			if err := db.QueryRowContext(ctx, q, name).Scan(&got); err != nil || got != name {
				t.Errorf("%s: the catalogue has %q (%v), want %q", d.Name(), got, err, name)
			}
		}
	})
}

func TestRulesAreValid(t *testing.T) {
	rules := sqlplatform.Rules()
	if len(rules) != 1 || rules[0].ID != "SQL_NAME_COLLISION" {
		t.Fatalf("Rules() = %v", rules)
	}
	for _, r := range rules {
		if err := ecosystem.ValidateRule(r); err != nil {
			t.Error(err)
		}
	}
}

// namesModel returns a model with one legacy platform "P" serving every
// group, with the given datastores and workspaces (Starlark list items).
func namesModel(stores, workspaces string) map[string]string {
	return map[string]string{"eco.star": fmt.Sprintf(`
ecosystem(
    name = "Shop",
    repo = repo("github.com/shop/eco"),
    live_repo = repo("github.com/shop/eco", branch = "live"),
    vendors = [vendor("AWS", cloud = "aws", doc = "Amazon", locations = [location("USA")])],
    platforms = [platform("P", kind = "legacy")],
    zones = [zone("USA", repo = repo("github.com/shop/usa"), teams = [
        team("Sales", repo = repo("github.com/shop/sales"), datastores = [%s]),
        team("Ops", repo = repo("github.com/shop/ops"), workspaces = [%s]),
    ])],
)
`, stores, workspaces)}
}

func store(name string, datasets ...string) string {
	var ds []string
	for _, d := range datasets {
		ds = append(ds, fmt.Sprintf(`dataset(%q, classification = "public", columns = [column("id", "integer", key = True)])`, d))
	}
	return fmt.Sprintf(`datastore(%q, capture = sql_snapshot(source = sqlite(%q, database = "x.db", locations = ["AWS:USA"])), datasets = [%s])`,
		name, strings.ToLower(name)+"_db", strings.Join(ds, ", "))
}

// posOf returns the position of the n-th (1-based) occurrence of text in the
// model, as file:line:col.
func posOf(t *testing.T, files map[string]string, text string, n int) string {
	t.Helper()
	src := files["eco.star"]
	off := 0
	for i := 0; i < n; i++ {
		j := strings.Index(src[off:], text)
		if j < 0 {
			t.Fatalf("%q occurs fewer than %d times in the model", text, n)
		}
		off += j
		if i < n-1 {
			off += len(text)
		}
	}
	line := strings.Count(src[:off], "\n") + 1
	col := off - strings.LastIndex(src[:off], "\n")
	return fmt.Sprintf("eco.star:%d:%d", line, col)
}

func TestCheckNamesCleanModel(t *testing.T) {
	files := namesModel(store("Crm", "customers", "orders")+", "+store("Shop", "items"),
		`workspace("Reports", groups = [dataset_group("daily", sinks = [sink("Crm", "customers"), sink("Shop", "items")])])`)
	m := platformtest.New(t).Model(files)
	p := m.Pipeline("P")
	for _, max := range []int{63, 64, 128} {
		if ds := sqlplatform.CheckNames(p, limitDialect{max: max}); len(ds) != 0 {
			t.Errorf("max %d: unexpected findings:\n%v", max, ecosystem.DiagnosticsError(ds))
		}
	}
}

// TestCheckNamesSameDatasetTwiceInAGroup: a group holding datasets of one
// name from two stores would get one view name for both.
func TestCheckNamesSameDatasetTwiceInAGroup(t *testing.T) {
	files := namesModel(store("Crm", "customers")+", "+store("Shop", "customers"),
		`workspace("Reports", groups = [dataset_group("daily", sinks = [sink("Crm", "customers"), sink("Shop", "customers")])])`)
	m := platformtest.New(t).Model(files)
	ds := sqlplatform.CheckNames(m.Pipeline("P"), limitDialect{max: 63})
	first, second := posOf(t, files, `sink("Crm"`, 1), posOf(t, files, `sink("Shop"`, 1)
	platformtest.Expect(t, ds, second+` SQL_NAME_COLLISION the live view of dataset Shop.customers in group Reports.daily and the live view of dataset Crm.customers in group Reports.daily would both be named "reports__daily__customers"`)
	if len(ds) != 1 {
		return
	}
	d := ds[0]
	if d.Path != "USA/Ops/Reports/daily" {
		t.Errorf("path = %q", d.Path)
	}
	if len(d.Related) != 1 || d.Related[0].Pos.String() != first || !strings.Contains(d.Related[0].Message, "Crm.customers") {
		t.Errorf("related = %+v, want the first sink at %s", d.Related, first)
	}
	if !strings.Contains(d.Hint, "another dataset group") {
		t.Errorf("hint = %q", d.Hint)
	}
}

// TestCheckNamesJoinAmbiguityAndCase: "__" inside names and letter case make
// two different stores' tables share a name, and a view can take a table's
// name too.
func TestCheckNamesJoinAmbiguityAndCase(t *testing.T) {
	files := namesModel(store("AB__c", "d")+", "+store("ab", "C__d"),
		`workspace("AB", groups = [dataset_group("c", sinks = [sink("AB__c", "d"), sink("ab", "C__d")])])`)
	m := platformtest.New(t).Model(files)
	ds := sqlplatform.CheckNames(m.Pipeline("P"), limitDialect{max: 63})
	platformtest.Expect(t, ds,
		// Lower-cased, "AB__c" + "d" and "ab" + "C__d" both give ab__c__d.
		posOf(t, files, `dataset("C__d"`, 1)+` SQL_NAME_COLLISION the merge table of dataset ab.C__d and the merge table of dataset AB__c.d would both be named "ab__c__d"`,
		// Workspace AB, group c, dataset d gives ab__c__d too.
		posOf(t, files, `sink("AB__c"`, 1)+` SQL_NAME_COLLISION the live view of dataset AB__c.d in group AB.c and the merge table of dataset AB__c.d would both be named "ab__c__d"`,
	)
	for _, d := range ds {
		if d.Related[0].Pos.String() != posOf(t, files, `dataset("d"`, 1) {
			t.Errorf("%v: related %v, want the first dataset", d, d.Related)
		}
		if strings.Contains(d.Hint, "another dataset group") {
			t.Errorf("%v: hint %q is for datasets of one name in one group", d, d.Hint)
		}
	}
}

// TestCheckNamesViewAgainstStagingTable: a view whose dataset is named
// "staging" can take a staging table's name.
func TestCheckNamesViewAgainstStagingTable(t *testing.T) {
	files := namesModel(store("Rep", "x")+", "+store("Other", "staging"),
		`workspace("Rep", groups = [dataset_group("x", sinks = [sink("Other", "staging"), sink("Rep", "x")])])`)
	m := platformtest.New(t).Model(files)
	ds := sqlplatform.CheckNames(m.Pipeline("P"), limitDialect{max: 63})
	platformtest.Expect(t, ds,
		posOf(t, files, `sink("Other"`, 1)+` SQL_NAME_COLLISION the live view of dataset Other.staging in group Rep.x and the staging table of dataset Rep.x would both be named "rep__x__staging"`)
}

// TestCheckNamesLongNamesDoNotCollide: names cut at the limit keep a hash of
// the full name, so two long names with a common prefix stay apart.
func TestCheckNamesLongNamesDoNotCollide(t *testing.T) {
	long := "a" + strings.Repeat("b", 70)
	files := namesModel(store("S", long+"1", long+"2"),
		fmt.Sprintf(`workspace("W", groups = [dataset_group("g", sinks = [sink("S", %q), sink("S", %q)])])`, long+"1", long+"2"))
	m := platformtest.New(t).Model(files)
	if ds := sqlplatform.CheckNames(m.Pipeline("P"), limitDialect{max: 63}); len(ds) != 0 {
		t.Errorf("unexpected findings:\n%v", ecosystem.DiagnosticsError(ds))
	}
}

// TestPipelineCredentials lives here, beside the model fixture: the
// credentials of a pipeline's captures, each once, and their collision.
func TestPipelineCredentials(t *testing.T) {
	capture := func(store, credential string) string {
		return fmt.Sprintf(`datastore(%q, capture = sql_snapshot(source = sqlite(%q, database = "x.db", locations = ["AWS:USA"]), credential = credential(%q)), `+
			`datasets = [dataset("t", classification = "public", columns = [column("id", "integer", key = True)])])`, store, strings.ToLower(store)+"_db", credential)
	}
	files := namesModel(capture("A", "crm-reader")+", "+capture("B", "crm_reader")+", "+capture("C", "crm-reader")+", "+store("D", "t"),
		`workspace("W", groups = [dataset_group("g", sinks = [sink("A", "t"), sink("B", "t"), sink("C", "t"), sink("D", "t")])])`)
	m := platformtest.New(t).Model(files)
	creds := sqlplatform.PipelineCredentials(m.Pipeline("P"))
	var got []string
	for _, c := range creds {
		got = append(got, c.Name+"@"+c.Pos.String())
	}
	want := []string{
		"crm-reader@" + posOf(t, files, `credential("crm-reader")`, 1),
		"crm-reader@" + posOf(t, files, `credential("crm-reader")`, 2),
		"crm_reader@" + posOf(t, files, `credential("crm_reader")`, 1),
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("PipelineCredentials = %v, want %v", got, want)
	}
	err := sqlplatform.EnvCredentials{}.CheckCredentials(creds)
	if err == nil || !strings.Contains(err.Error(), `credential "crm-reader"`) || !strings.Contains(err.Error(), `credential "crm_reader"`) {
		t.Errorf("CheckCredentials = %v, want the crm-reader/crm_reader collision", err)
	}
}
