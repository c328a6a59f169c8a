package main

import (
	"context"
	"database/sql"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// initFileNames are the files dsl init writes, as readTree names them.
var initFileNames = []string{"catalog.db", "eco.star", "teams/shop.star", "zones/main.star"}

// TestInitLintsAndRuns is the journey dsl init promises: the new model
// lints clean, is formatted, and dsl run --once moves its source's rows
// into the embedded merge store, where the workspace's view shows them.
func TestInitLintsAndRuns(t *testing.T) {
	t.Chdir(t.TempDir())
	code, out, errs := runCLI("init", "shop-model")
	if code != exitClean || errs != "" {
		t.Fatalf("dsl init: exit %d\n%s\n%s", code, out, errs)
	}
	for _, want := range []string{
		"Wrote a new model in shop-model:\n",
		filepath.Join("shop-model", "eco.star") + "         the ecosystem ShopModel and its sql platform Warehouse",
		filepath.Join("shop-model", "catalog.db") + "       the SQLite source of Catalog: table products with 5 rows",
		"\nNext:\n  dsl lint shop-model ",
		"  dsl run shop-model --once ",
		"  dsl fmt --check shop-model ",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("dsl init's output lacks %q:\n%s", want, out)
		}
	}
	if got := slices.Sorted(maps.Keys(readTree(t, "shop-model"))); !reflect.DeepEqual(got, initFileNames) {
		t.Fatalf("files written: %q, want %q", got, initFileNames)
	}

	code, out, errs = runCLI("lint", "shop-model")
	if code != exitClean || !strings.Contains(out, "no findings") {
		t.Fatalf("dsl lint of the new model: exit %d\n%s\n%s", code, out, errs)
	}
	code, out, errs = runCLI("fmt", "--check", "shop-model")
	if code != exitClean || out != "" {
		t.Fatalf("dsl fmt --check of the new model: exit %d\n%s\n%s", code, out, errs)
	}
	code, out, errs = runCLI("run", "shop-model", "--once")
	if code != exitClean || errs != "" {
		t.Fatalf("dsl run --once of the new model: exit %d\n%s\n%s", code, out, errs)
	}
	for _, want := range []string{
		"platform Warehouse (sql, live), merge store sqlite:.dsl/Warehouse.db (the default)",
		"Catalog: batch 1 committed in ",
		"5 read, 5 inserted, 0 updated, 0 deleted, 0 unchanged",
		"reports__daily__products  the current rows of Catalog.products, for Reports/daily",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("dsl run's output lacks %q:\n%s", want, out)
		}
	}
	store := openSQLite(t, filepath.Join(".dsl", "Warehouse.db"))
	source := openSQLite(t, filepath.Join("shop-model", "catalog.db"))
	// The store keeps the types' own forms (timestamps, decimals), so
	// compare the text columns and where the NULLs are.
	const cols = "SELECT id, name, updated_at IS NULL FROM "
	got := rows(t, store, cols+"reports__daily__products ORDER BY id")
	if want := rows(t, source, cols+"products ORDER BY id"); len(got) != 5 || !reflect.DeepEqual(got, want) {
		t.Fatalf("the view after batch 1:\n got %q\nwant %q", got, want)
	}
}

// TestInitRunsOnEachStore: the new model runs against a PostgreSQL merge
// store too (--store), as the comment in its eco.star says.
func TestInitRunsOnEachStore(t *testing.T) {
	forEachCLIStore(t, func(t *testing.T, st cliStore) {
		dir := filepath.Join(t.TempDir(), "model")
		if code, _, errs := runCLI("init", dir); code != exitClean {
			t.Fatalf("dsl init: exit %d: %s", code, errs)
		}
		code, out, errs := runCLI("run", dir, "--once", "--store", st.dsn)
		if code != exitClean || !strings.Contains(out, "5 read, 5 inserted") {
			t.Fatalf("dsl run: exit %d\n%s\n%s", code, out, errs)
		}
		if got := rows(t, st.db, "SELECT COUNT(*) FROM reports__daily__products"); got[0][0] != "5" {
			t.Fatalf("view rows: %q, want 5", got)
		}
	})
}

func openSQLite(t *testing.T, path string) *sql.DB {
	t.Helper()
	if _, err := os.Stat(path); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// TestInitNameAndRepo: --name and --repo fill the model; without them the
// name comes from the folder's name and the repository from the name.
func TestInitNameAndRepo(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "a")
	if code, _, errs := runCLI("init", "--name", "Acme", "--repo", "github.com/acme/data", dir); code != exitClean {
		t.Fatalf("exit %d: %s", code, errs)
	}
	eco := readTree(t, dir)["eco.star"]
	for _, want := range []string{`name = "Acme",`, `repo = repo("github.com/acme/data"),`, `live_repo = repo("github.com/acme/data", branch = "live"),`} {
		if !strings.Contains(eco, want) {
			t.Errorf("eco.star lacks %q:\n%s", want, eco)
		}
	}
	if team := readTree(t, dir)["teams/shop.star"]; !strings.Contains(team, `repo = repo("github.com/acme/data"),`) {
		t.Errorf("teams/shop.star is not owned by --repo:\n%s", team)
	}

	dir = filepath.Join(t.TempDir(), "my-data_model")
	if code, _, errs := runCLI("init", dir); code != exitClean {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if eco := readTree(t, dir)["eco.star"]; !strings.Contains(eco, `name = "MyDataModel",`) || !strings.Contains(eco, `repo("github.com/example/mydatamodel")`) {
		t.Errorf("default name and repository:\n%s", eco)
	}
}

func TestNameFromFolder(t *testing.T) {
	for dir, want := range map[string]string{
		"acme":                "Acme",
		"/tmp/my-data_model/": "MyDataModel",
		"2026-models":         "Models",
		"2026":                "Example",
		"données":             "DonnEs",
		"x.y z":               "XYZ",
	} {
		if got := nameFromFolder(dir); got != want {
			t.Errorf("nameFromFolder(%q) = %q, want %q", dir, got, want)
		}
	}
}

// TestInitRefusesExistingFiles: when any file of the new model exists, dsl
// init names every one that does, writes nothing and leaves them as they
// were.
func TestInitRefusesExistingFiles(t *testing.T) {
	dir := t.TempDir()
	before := map[string]string{"teams/shop.star": "# mine\n", "catalog.db": "not a database", "notes.md": "x"}
	writeTree(t, dir, before)
	code, out, errs := runCLI("init", dir)
	if code != exitUsage || out != "" {
		t.Fatalf("exit %d, stdout %q; want 2 and nothing", code, out)
	}
	want := "dsl init: " + dir + " already holds " + filepath.Join(dir, "teams", "shop.star") + ", " + filepath.Join(dir, "catalog.db") +
		"; dsl init never overwrites a file, so nothing was written"
	if !strings.Contains(errs, want) {
		t.Fatalf("stderr %q lacks %q", errs, want)
	}
	sameTree(t, readTree(t, dir), before)

	// A file where a folder of the model goes blocks it too.
	dir = t.TempDir()
	writeTree(t, dir, map[string]string{"zones": "a file"})
	code, _, errs = runCLI("init", dir)
	if code != exitUsage || !strings.Contains(errs, filepath.Join(dir, "zones")+" (a file where a folder goes)") {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
	sameTree(t, readTree(t, dir), map[string]string{"zones": "a file"})
}

// TestInitRefusesBadNames: a name that is not an identifier is a usage
// error; a name or repository the lint rules refuse (a reserved word, a
// repository that is not one) stops dsl init before it writes anything.
func TestInitRefusesBadNames(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--name", "1st"}, `dsl init: --name "1st": a name starts with an ASCII letter (A-Z, a-z)`},
		{[]string{"--name", "Acme\nfail('x')"}, `dsl init: --name "Acme\nfail('x')": '\n' is not allowed`},
		{[]string{"--name", "Ünïcode"}, "a name starts with an ASCII letter"},
		{[]string{"--name", "Select"}, "NAME_INVALID: ecosystem name \"Select\" is not a valid SQL identifier: SELECT is a reserved word in SQL"},
		{[]string{"--repo", "not a repo"}, "REPO_INVALID: "},
	} {
		dir := filepath.Join(t.TempDir(), "model")
		code, out, errs := runCLI(append(append([]string{"init"}, tc.args...), dir)...)
		if code != exitUsage || out != "" || !strings.Contains(errs, tc.want) {
			t.Errorf("dsl init %q: exit %d, stdout %q, stderr %q; want 2 and %q", tc.args, code, out, errs, tc.want)
		}
		if _, err := os.Stat(dir); !os.IsNotExist(err) {
			t.Errorf("dsl init %q created %s (%v)", tc.args, dir, err)
		}
	}
}

func TestInitUsage(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{"file": "x"})
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"init"}, "dsl init: want one folder for the new model, got 0 arguments\nUsage: dsl init [--name NAME] [--repo REPO] DIR"},
		{[]string{"init", "a", "b"}, "got 2 arguments"},
		{[]string{"init", filepath.Join(dir, "file")}, "is a file: name a folder for the new model"},
		{[]string{"init", "--nmae", "x", "d"}, `unknown flag: --nmae (did you mean "--name"?)`},
	} {
		code, out, errs := runCLI(tc.args...)
		if code != exitUsage || out != "" || !strings.Contains(errs, tc.want) {
			t.Errorf("dsl %q: exit %d, stdout %q, stderr %q; want 2 and %q", tc.args, code, out, errs, tc.want)
		}
	}
}

// TestInitCommitRollsBack: when a file cannot be copied into the model
// folder half-way, the files and folders already made are removed.
func TestInitCommitRollsBack(t *testing.T) {
	staged := t.TempDir()
	if err := stageModel(context.Background(), staged, initValues{Name: "Acme", Repo: "github.com/acme/eco"}); err != nil {
		t.Fatal(err)
	}
	// The team file, written after eco.star and the zone, is gone.
	if err := os.Remove(filepath.Join(staged, "teams", "shop.star")); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{"notes.md": "x"})
	if err := commitModel(staged, filepath.Join(dir, "new", "model")); err == nil {
		t.Fatal("commit succeeded without the team file")
	}
	sameTree(t, readTree(t, dir), map[string]string{"notes.md": "x"})
	if _, err := os.Stat(filepath.Join(dir, "new")); !os.IsNotExist(err) {
		t.Fatalf("the folders made were left behind: %v", err)
	}
}
