package sqlplatform_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/datasurface/datasurface-go/ecosystem"
	"github.com/datasurface/datasurface-go/platforms"
	"github.com/datasurface/datasurface-go/platforms/platformtest"
	"github.com/datasurface/datasurface-go/platforms/sqlplatform"
)

// acceptModel is a model with the sql platform Warehouse (declared with
// options), one store captured by capture with columns, and a workspace
// whose container is container.
func acceptModel(options, capture, columns, container string) map[string]string {
	return map[string]string{"eco.star": fmt.Sprintf(`ecosystem(
    name = "Shop",
    repo = repo("github.com/shop/eco"),
    live_repo = repo("github.com/shop/eco", branch = "live"),
    platforms = [platform("Warehouse", kind = "sql"%s)],
    zones = [zone("Z", repo = repo("github.com/shop/z"), teams = [team("T", repo = repo("github.com/shop/t"),
        datastores = [datastore("Orders", capture = %s,
            datasets = [dataset("orders", classification = "public", columns = [%s])])],
        workspaces = [workspace("Reports", container = %s, groups = [dataset_group("daily", platform = "Warehouse", sinks = [sink("Orders", "orders")])])],
    )])],
)
`, options, capture, columns, container)}
}

const (
	snapshot    = `sql_snapshot(source = sqlite("orders_db", database = "orders.db"))`
	plainCols   = `column("id", "integer", key = True), column("total", "decimal(12,2)")`
	managed     = `platform_managed()`
	optionsLive = ``
)

// pos returns the position of the first occurrence of text in the model.
func pos(files map[string]string, text string) string {
	src := files["eco.star"]
	off := strings.Index(src, text)
	if off < 0 {
		return "?"
	}
	line := strings.Count(src[:off], "\n") + 1
	col := off - strings.LastIndex(src[:off], "\n")
	return fmt.Sprintf("eco.star:%d:%d", line, col)
}

// The platform runs pipelines and declares its own rules.
var (
	_ platforms.Runner     = (*sqlplatform.Platform)(nil)
	_ platforms.RuleSource = (*sqlplatform.Platform)(nil)
)

func TestBuiltinRegistersSQL(t *testing.T) {
	if !slices.Contains(platforms.Builtin().Kinds(), sqlplatform.Kind) {
		t.Fatalf("kinds = %v, want %q among them", platforms.Builtin().Kinds(), sqlplatform.Kind)
	}
}

func TestAcceptCleanModel(t *testing.T) {
	t.Setenv(sqlplatform.StoreEnvVar("Warehouse"), "")
	m := platformtest.New(t).Model(acceptModel(optionsLive, snapshot, plainCols, managed))
	m.ExpectAccept("Warehouse")
	caps := m.Platform("Warehouse").Capabilities()
	if !slices.Equal(caps.Milestoning, []ecosystem.Milestoning{ecosystem.Live}) || !slices.Equal(caps.CaptureKinds, []ecosystem.CaptureKind{ecosystem.SQLSnapshot, ecosystem.SQLWatermark, ecosystem.CDC, ecosystem.TransformerOutput}) {
		t.Errorf("capabilities = %+v", caps)
	}
	forensic := platformtest.New(t).Model(acceptModel(`, options = {"milestoning": "forensic"}`, snapshot, plainCols, managed))
	if got := forensic.Platform("Warehouse").Capabilities().Milestoning; !slices.Equal(got, []ecosystem.Milestoning{ecosystem.Live, ecosystem.Forensic}) {
		t.Errorf("a forensic platform serves %v, want live and forensic", got)
	}
}

func TestAcceptReportsWhatItCannotRun(t *testing.T) {
	t.Setenv(sqlplatform.StoreEnvVar("Warehouse"), "")
	stream := `streaming(source = kafka("events", host = "kafka", port = 9092), topic = "orders")`
	files := acceptModel(optionsLive, stream, plainCols, managed)
	platformtest.New(t).Model(files).ExpectAccept("Warehouse",
		pos(files, "streaming(")+" PLATFORM_CAPTURE_UNSUPPORTED capture kind streaming of datastore Orders not supported (supports sql_snapshot, sql_watermark, cdc, transformer_output)")

	snowflake := `sql_snapshot(source = database("dw", engine = "snowflake", host = "x", database = "y"))`
	files = acceptModel(optionsLive, snowflake, plainCols, managed)
	platformtest.New(t).Model(files).ExpectAccept("Warehouse",
		pos(files, `database("dw"`)+` SQL_SOURCE_UNSUPPORTED platform Warehouse (kind sql) cannot read datastore Orders: its capture has source "dw" (database, engine "snowflake")`)

	reserved := `column("id", "integer", key = True), column("dsl_batch", "integer")`
	files = acceptModel(optionsLive, snapshot, reserved, managed)
	platformtest.New(t).Model(files).ExpectAccept("Warehouse",
		pos(files, `column("dsl_batch"`)+` SQL_COLUMN_RESERVED column dsl_batch of dataset Orders.orders starts with "dsl_"`)

	external := `sql_snapshot(source = sqlite("orders_db", database = "orders.db"), trigger = external("orders_loaded"))`
	files = acceptModel(optionsLive, external, plainCols, managed)
	platformtest.New(t).Model(files).ExpectAccept("Warehouse",
		pos(files, `external(`)+` SQL_TRIGGER_EXTERNAL runs when asked, with dsl run --once --stream Orders`)

	remote := `postgres("reports_db", host = "db", database = "reports")`
	files = acceptModel(optionsLive, snapshot, plainCols, remote)
	platformtest.New(t).Model(files).ExpectAccept("Warehouse",
		pos(files, `postgres("reports_db"`)+` PLATFORM_CONTAINER_UNSUPPORTED container kind database of workspace Reports not supported (supports platform)`)
}

func TestAcceptStoreFromTheEnvironment(t *testing.T) {
	files := acceptModel(optionsLive, snapshot, plainCols, managed)
	t.Setenv("DSL_STORE_WAREHOUSE", "mysql://root@db/x")
	platformtest.New(t).Model(files).ExpectAccept("Warehouse",
		pos(files, `platform("Warehouse"`)+` SQL_STORE_INVALID platform Warehouse (kind sql): platform Warehouse: the merge store from environment variable DSL_STORE_WAREHOUSE: unknown store "mysql"`)
	t.Setenv("DSL_STORE_WAREHOUSE", "postgres://u:hunter2@:5432/")
	m := platformtest.New(t).Model(files)
	ds := m.Accept("Warehouse")
	if len(ds) != 1 || strings.Contains(ds[0].Message, "hunter2") || !strings.Contains(ds[0].Message, "names no host or no database") {
		t.Errorf("findings = %v", ds)
	}
}

func TestOptionsAreChecked(t *testing.T) {
	files := acceptModel(`, options = {"milestoning": "hourly", "store": "mysql://x", "retention": 3, "watermark_lag": "soon", "watermark_lag_values": -1, "mirror_of": "Warehouse"}`, snapshot, plainCols, managed)
	at := pos(files, `{"milestoning"`)
	platformtest.New(t).Model(files).ExpectDiagnostics(
		at+` PLATFORM_OPTION_INVALID option "milestoning" = "hourly": want one of "live", "forensic"`,
		at+` PLATFORM_OPTION_INVALID option "mirror_of" = "Warehouse": want the name of another platform of kind sql, the primary this one copies`,
		at+` PLATFORM_OPTION_INVALID option "retention" = 3: unknown option (this kind takes "milestoning", "mirror_of", "store", "watermark_lag", "watermark_lag_values")`,
		at+` PLATFORM_OPTION_INVALID option "watermark_lag" = "soon": want a duration of zero or more`,
		at+` PLATFORM_OPTION_INVALID option "watermark_lag_values" = -1: want zero or more`,
		at+` PLATFORM_OPTION_INVALID option "store" = "mysql://x": unknown store "mysql"`,
	)
}

func TestStoreChoice(t *testing.T) {
	decl := &ecosystem.Platform{Name: "Lake", Kind: sqlplatform.Kind, Options: map[string]any{"store": "sqlite:/data/lake.db"}}
	p, err := sqlplatform.New(decl)
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("DSL_STORE_LAKE", "")
	if dsn, from, err := p.Store(); err != nil || dsn.String() != "sqlite:/data/lake.db" || from != "the model's store option" {
		t.Errorf("store = %v, %q, %v", dsn, from, err)
	}
	t.Setenv("DSL_STORE_LAKE", "postgres://dsl:pw@db:5432/lake")
	if dsn, from, err := p.Store(); err != nil || dsn.String() != "postgres://dsl:xxxxx@db:5432/lake" || from != "environment variable DSL_STORE_LAKE" {
		t.Errorf("store = %v, %q, %v", dsn, from, err)
	}
	p, _ = sqlplatform.New(decl, sqlplatform.WithStore("sqlite:other.db"))
	if dsn, from, _ := p.Store(); dsn.String() != "sqlite:other.db" || from != "the store option" {
		t.Errorf("store = %v, %q", dsn, from)
	}
	p, _ = sqlplatform.New(&ecosystem.Platform{Name: "Lake", Kind: sqlplatform.Kind})
	t.Setenv("DSL_STORE_LAKE", "")
	if dsn, from, _ := p.Store(); dsn.String() != "sqlite:.dsl/Lake.db" || from != "the default" {
		t.Errorf("store = %v, %q", dsn, from)
	}
	if got := fmt.Sprintf("%v %+v %#v", dsn(t, "postgres://a:secret@h/d"), dsn(t, "postgres://a:secret@h/d"), dsn(t, "postgres://a:secret@h/d")); strings.Contains(got, "secret") {
		t.Errorf("a store DSN prints its password: %s", got)
	}
	for _, bad := range []string{"", "sqlite:", "sqlite::memory:", "sqlite:file:x.db?mode=memory", "postgres://h", "http://x"} {
		if _, err := sqlplatform.ParseStore(bad); err == nil {
			t.Errorf("ParseStore(%q) succeeded", bad)
		}
	}
}

func dsn(t *testing.T, s string) sqlplatform.StoreDSN {
	t.Helper()
	d, err := sqlplatform.ParseStore(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestPlatformRulesAreValid: the platform's own rules are valid rule descriptions,
// each ID once.
func TestPlatformRulesAreValid(t *testing.T) {
	p, err := sqlplatform.New(&ecosystem.Platform{Name: "Lake", Kind: sqlplatform.Kind})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, r := range p.Rules() {
		if err := ecosystem.ValidateRule(r); err != nil {
			t.Error(err)
		}
		if seen[r.ID] {
			t.Errorf("rule %s listed twice", r.ID)
		}
		seen[r.ID] = true
	}
	for _, id := range []string{"SQL_COLUMN_RESERVED", "SQL_NAME_COLLISION", "SQL_SOURCE_UNSUPPORTED", "SQL_STORE_INVALID", "SQL_TRIGGER_EXTERNAL", "SQL_TYPE_UNSUPPORTED", "SQL_WATERMARK_UNSUPPORTED", "SQL_CDC_UNSUPPORTED", "SQL_TRANSFORMER_UNSUPPORTED"} {
		if !seen[id] {
			t.Errorf("rule %s is not listed", id)
		}
	}
}

// TestStoreFromNamesItsSource: WithStoreFrom names where the address came
// from, in Store and in the error of an address that does not parse.
func TestStoreFromNamesItsSource(t *testing.T) {
	files := acceptModel(optionsLive, snapshot, plainCols, managed)
	decl := platformtest.New(t).Model(files).Bound.Model.Platform("Warehouse")
	p, err := sqlplatform.New(decl, sqlplatform.WithStoreFrom("sqlite:other.db", "--store"))
	if err != nil {
		t.Fatal(err)
	}
	if dsn, from, err := p.Store(); err != nil || dsn.String() != "sqlite:other.db" || from != "--store" {
		t.Fatalf("Store() = %v, %q, %v", dsn, from, err)
	}
	p, err = sqlplatform.New(decl, sqlplatform.WithStoreFrom("mysql://x", "--store"))
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := p.Store(); err == nil || !strings.Contains(err.Error(), "the merge store from --store: unknown store") {
		t.Fatalf("Store() error = %v", err)
	}
}
