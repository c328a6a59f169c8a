package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// runEmbed calls the program with args and returns its exit code and outputs.
func runEmbed(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), args, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

func TestEmbeddedModel(t *testing.T) {
	code, out, errs := runEmbed(t)
	if code != exitOK {
		t.Fatalf("exit %d, want %d; stderr:\n%s", code, exitOK, errs)
	}
	for _, want := range []string{
		"ecosystem Tiny: 1 zone, 2 teams, 1 datastore, 1 dataset, 3 columns, 1 workspace\n",
		"zone Home: 2 teams, 0 policies\n",
		"    datastore ShopDB (sql_snapshot): 1 dataset\n",
		"      dataset orders: 3 columns; consumers: Sales\n",
		"    workspace Sales (normal priority): 1 dataset group, 1 sink\n",
		"lint: 0 errors, ",
		"platforms: 0 errors, 0 warnings\n",
		"render: platform Scripts (kind sqlscript): 4 artifacts, ",
		"  001-ingest-ShopDB.sql (",
		"  run.sh (",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestAcme(t *testing.T) {
	code, out, errs := runEmbed(t, "-max-steps", "10000000", "-timeout", "30s", filepath.Join("..", "acme"))
	if code != exitOK {
		t.Fatalf("exit %d, want %d; stdout:\n%s\nstderr:\n%s", code, exitOK, out, errs)
	}
	for _, want := range []string{
		"ecosystem Acme: 2 zones, 8 teams, 10 datastores, 17 datasets, 126 columns, 8 workspaces\n",
		"zone USA: 5 teams, 6 policies\n",
		"  team Marketing: declared, not yet filled\n",
		"    datastore MarketTicks (streaming): 2 datasets\n",
		// The transformer chain: customers reach ChurnScoring and
		// RetentionCampaigns only through FeatureBuilder's output.
		"      dataset customers: 7 columns; consumers: ChurnScoring, Exploration, FeatureBuilder, RetentionCampaigns, RevenueReport\n",
		"      dataset leads: 2 columns; consumers: none\n",
		"    workspace FraudMonitoring (critical priority): 2 dataset groups, 5 sinks\n",
		"lint: 0 errors, ",
		"warning[DEPRECATED_DATA_USED]",
		// Acme's platforms are all of the built-in kind legacy.
		"platforms: 0 errors, 0 warnings\n",
		"render: no platform of kind sqlscript\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	// Zones and stores are printed in model order.
	if strings.Index(out, "zone USA") > strings.Index(out, "zone EU") {
		t.Errorf("zone EU is printed before zone USA:\n%s", out)
	}
}

// writeModel writes a one-file model into a temporary directory.
func writeModel(t *testing.T, eco string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "eco.star"), []byte(eco), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestLintErrorsExitOne(t *testing.T) {
	// The key column is declared nullable: a lint error, not an evaluation error.
	dir := writeModel(t, `ecosystem(
    name = "Bad",
    repo = repo("github.com/bad/eco"),
    live_repo = repo("github.com/bad/eco", branch = "live"),
    zones = [zone("Z", repo = repo("github.com/bad/z"), teams = [team("T", repo = repo("github.com/bad/t"),
        datastores = [datastore("S", capture = transformer_output(), datasets = [
            dataset("d", classification = "public", columns = [column("id", "integer", key = True, nullable = True)]),
        ])],
    )])],
)
`)
	code, out, errs := runEmbed(t, dir)
	if code != exitInvalid {
		t.Fatalf("exit %d, want %d; stdout:\n%s\nstderr:\n%s", code, exitInvalid, out, errs)
	}
	if !strings.Contains(out, "eco.star:7:") || !strings.Contains(out, "error[KEY_COLUMN_NULLABLE]") {
		t.Errorf("output lacks the KEY_COLUMN_NULLABLE error at eco.star:7:\n%s", out)
	}
}

func TestEvaluationErrorsExitTwo(t *testing.T) {
	dir := writeModel(t, "ecosystem(name = \"X\",\n    repo = repo(\"r\"),\n    live_repo = repo(\"r\", branch = \"live\"),\n    zonez = [],\n)\n")
	code, _, errs := runEmbed(t, dir)
	if code != exitUsage {
		t.Fatalf("exit %d, want %d", code, exitUsage)
	}
	if !strings.Contains(errs, "eco.star:4:") || !strings.Contains(errs, `"zones"`) {
		t.Errorf("stderr does not point at the unknown argument zonez with a suggestion:\n%s", errs)
	}
}

func TestStepLimit(t *testing.T) {
	code, _, errs := runEmbed(t, "-max-steps", "10", filepath.Join("..", "acme"))
	if code != exitUsage {
		t.Fatalf("exit %d, want %d", code, exitUsage)
	}
	if !strings.Contains(errs, "WithMaxSteps") {
		t.Errorf("stderr does not name the step limit option:\n%s", errs)
	}
}

func TestTimeout(t *testing.T) {
	code, _, errs := runEmbed(t, "-timeout", "1ns", filepath.Join("..", "acme"))
	if code != exitUsage {
		t.Fatalf("exit %d, want %d", code, exitUsage)
	}
	if !strings.Contains(errs, "WithTimeout") {
		t.Errorf("stderr does not name the time limit option:\n%s", errs)
	}
}

func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{"a", "b"},
		{"-no-such-flag"},
		{filepath.Join(t.TempDir(), "missing")},
		{"main.go"},
		{"-out"},
	} {
		if code, _, errs := runEmbed(t, args...); code != exitUsage || errs == "" {
			t.Errorf("embed %q: exit %d with stderr %q, want %d and a message", args, code, errs, exitUsage)
		}
	}
}
