package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/datasurface/datasurface-go/internal/schematest"
)

func runExportCLI(getenv func(string) string, args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	if getenv == nil {
		getenv = func(string) string { return "" }
	}
	code := run(context.Background(), &env{stdout: &out, stderr: &errb, getenv: getenv}, append([]string{"export"}, args...))
	return code, out.String(), errb.String()
}

// readDir returns the files of a folder by name, and fails on anything
// else in it (a temporary folder left behind).
func readDir(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, e := range entries {
		if e.IsDir() {
			t.Errorf("%s holds the folder %s", dir, e.Name())
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		out[e.Name()] = data
	}
	return out
}

// TestExportODCS writes the examples' contracts into --out and validates
// each against the published ODCS schema.
func TestExportODCS(t *testing.T) {
	schema := schematest.Compile(t, "odcs-json-schema-v3.1.0.json")[0]
	for _, example := range []string{"acme", "quickstart"} {
		out := filepath.Join(t.TempDir(), "contracts")
		code, stdout, stderr := runExportCLI(nil, filepath.Join("..", "..", "examples", example), "--format", "odcs", "--out", out)
		if code != exitClean || stdout != "" || !strings.Contains(stderr, "wrote") {
			t.Fatalf("%s: exit %d\nstdout: %s\nstderr: %s", example, code, stdout, stderr)
		}
		files := readDir(t, out)
		if example == "quickstart" && !slices.Equal(mapKeys(files), []string{"Shop.customers.odcs.yaml", "Shop.orders.odcs.yaml"}) {
			t.Errorf("quickstart files: %v", mapKeys(files))
		}
		for name, data := range files {
			var v any
			if err := yaml.Unmarshal(data, &v); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if err := schematest.Validate(schema, v); err != nil {
				t.Errorf("%s %s: %v", example, name, err)
			}
		}
	}
}

// mapKeys returns a map's keys, sorted.
func mapKeys(m map[string][]byte) []string { return slices.Sorted(maps.Keys(m)) }

// TestExportOpenLineage writes one JSON-lines file per platform and
// validates every event against the OpenLineage spec.
func TestExportOpenLineage(t *testing.T) {
	spec := schematest.Compile(t, "OpenLineage-2-0-2.json")[0]
	out := t.TempDir()
	code, _, stderr := runExportCLI(nil, filepath.Join("..", "..", "examples", "acme"), "--format", "openlineage", "--out", out, "--event-time", "2026-09-01T12:00:00+02:00")
	if code != exitClean {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	files := readDir(t, out)
	if len(files) == 0 {
		t.Fatal("no files")
	}
	for name, data := range files {
		if !strings.HasSuffix(name, ".openlineage.jsonl") {
			t.Errorf("file %s", name)
		}
		sc := bufio.NewScanner(bytes.NewReader(data))
		sc.Buffer(nil, 1<<22)
		n := 0
		for sc.Scan() {
			n++
			var v map[string]any
			if err := json.Unmarshal(sc.Bytes(), &v); err != nil {
				t.Fatalf("%s line %d: %v", name, n, err)
			}
			if v["eventTime"] != "2026-09-01T10:00:00Z" {
				t.Errorf("%s line %d: eventTime %v", name, n, v["eventTime"])
			}
			if err := schematest.Validate(spec, v); err != nil {
				t.Errorf("%s line %d: %v", name, n, err)
			}
		}
		if n == 0 {
			t.Errorf("%s is empty", name)
		}
	}
}

// TestExportDeterministic: the same model gives the same bytes, for
// contracts always and for events given the same time (by flag or by
// SOURCE_DATE_EPOCH).
func TestExportDeterministic(t *testing.T) {
	acme := filepath.Join("..", "..", "examples", "acme")
	for _, args := range [][]string{
		{"--format", "odcs"},
		{"--format", "openlineage", "--event-time", "2026-09-01T12:00:00Z"},
	} {
		_, a, _ := runExportCLI(nil, append([]string{acme}, args...)...)
		code, b, stderr := runExportCLI(nil, append([]string{acme}, args...)...)
		if code != exitClean || a == "" || a != b {
			t.Errorf("%v: exit %d, the two exports differ or are empty\n%s", args, code, stderr)
		}
	}
	epoch := func(k string) string {
		if k == "SOURCE_DATE_EPOCH" {
			return "1788264000" // 2026-09-01T12:00:00Z
		}
		return ""
	}
	_, viaEnv, _ := runExportCLI(epoch, acme, "--format", "openlineage")
	_, viaFlag, _ := runExportCLI(nil, acme, "--format", "openlineage", "--event-time", "2026-09-01T12:00:00Z")
	if viaEnv != viaFlag {
		t.Error("SOURCE_DATE_EPOCH does not give the same events as --event-time")
	}
	_, docs, _ := runExportCLI(nil, filepath.Join("..", "..", "examples", "quickstart"), "--format", "odcs")
	if strings.Count(docs, "---\n") != 2 || !strings.HasPrefix(docs, "---\napiVersion: v3.1.0\n") {
		t.Errorf("the stdout stream is not two YAML documents:\n%.300s", docs)
	}
}

// TestExportRefusesToOverwrite: without --force an export whose files exist
// writes nothing, not even the files that do not exist yet; with --force it
// replaces them with the same bytes.
func TestExportRefusesToOverwrite(t *testing.T) {
	qs := filepath.Join("..", "..", "examples", "quickstart")
	out := t.TempDir()
	if code, _, stderr := runExportCLI(nil, qs, "--format", "odcs", "--out", out); code != exitClean {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	first := readDir(t, out)
	if err := os.Remove(filepath.Join(out, "Shop.orders.odcs.yaml")); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(out, "Shop.customers.odcs.yaml"), []byte("mine\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := runExportCLI(nil, qs, "--format", "odcs", "--out", out)
	if code != exitUsage || !strings.Contains(stderr, "1 file exist") || !strings.Contains(stderr, "Shop.customers.odcs.yaml") || !strings.Contains(stderr, "--force") {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	got := readDir(t, out)
	if string(got["Shop.customers.odcs.yaml"]) != "mine\n" || got["Shop.orders.odcs.yaml"] != nil {
		t.Fatalf("a refused export changed the folder: %v", mapKeys(got))
	}
	if code, _, stderr := runExportCLI(nil, qs, "--format", "odcs", "--out", out, "--force"); code != exitClean {
		t.Fatalf("--force: exit %d: %s", code, stderr)
	}
	got = readDir(t, out)
	for name, data := range first {
		if !bytes.Equal(got[name], data) {
			t.Errorf("%s after --force differs from the first export", name)
		}
	}
}

// TestExportBadInput: usage mistakes and a model with errors write nothing.
func TestExportBadInput(t *testing.T) {
	qs := filepath.Join("..", "..", "examples", "quickstart")
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{qs}, exitUsage, `--format "": want odcs or openlineage`},
		{[]string{qs, "--format", "csv"}, exitUsage, `--format "csv": want odcs or openlineage`},
		{[]string{"--format", "odcs"}, exitUsage, "want one model folder, got 0 arguments"},
		{[]string{qs, "--format", "odcs", "--force"}, exitUsage, "give --out too"},
		{[]string{qs, "--format", "odcs", "--platform", "Nope"}, exitUsage, `--platform "Nope" is not declared in the model (declared: Laptop)`},
		{[]string{qs, "--format", "openlineage", "--event-time", "yesterday"}, exitUsage, "not an RFC 3339 time"},
		{[]string{filepath.Join(t.TempDir(), "missing"), "--format", "odcs"}, exitUsage, "model folder"},
	} {
		code, stdout, stderr := runExportCLI(nil, c.args...)
		if code != c.code || stdout != "" || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: exit %d (want %d)\nstdout: %s\nstderr: %s (want %q)", c.args, code, c.code, stdout, stderr, c.want)
		}
	}

	// A key column that may be NULL is a lint error: nothing is exported.
	dir := t.TempDir()
	data, err := os.ReadFile(filepath.Join(qs, "eco.star"))
	if err != nil {
		t.Fatal(err)
	}
	broken := strings.Replace(string(data), `column("id", "bigint", key = True),`, `column("id", "bigint", key = True, nullable = True),`, 1)
	if broken == string(data) {
		t.Fatal("the test's edit did not apply")
	}
	if err := os.WriteFile(filepath.Join(dir, "eco.star"), []byte(broken), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "out")
	code, stdout, stderr := runExportCLI(nil, dir, "--format", "odcs", "--out", out)
	if code != exitFindings || stdout != "" || !strings.Contains(stderr, "nothing is exported until they are fixed") {
		t.Fatalf("a model with errors: exit %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("--out was created for a model with errors (%v)", err)
	}
}

// TestExportPlatform: --platform limits the contracts to the datasets that
// platform ingests, and the events to its pipeline.
func TestExportPlatform(t *testing.T) {
	acme := filepath.Join("..", "..", "examples", "acme")
	_, all, _ := runExportCLI(nil, acme, "--format", "odcs")
	code, one, stderr := runExportCLI(nil, acme, "--format", "odcs", "--platform", "LiveSQL")
	if code != exitClean || strings.Count(one, "---\n") == 0 || strings.Count(one, "---\n") >= strings.Count(all, "---\n") {
		t.Fatalf("exit %d: %d of %d contracts\n%s", code, strings.Count(one, "---\n"), strings.Count(all, "---\n"), stderr)
	}
	out := t.TempDir()
	if code, _, stderr := runExportCLI(nil, acme, "--format", "openlineage", "--platform", "LiveSQL", "--out", out); code != exitClean {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if names := mapKeys(readDir(t, out)); !slices.Equal(names, []string{"LiveSQL.openlineage.jsonl"}) {
		t.Errorf("files %v", names)
	}
}

func TestSafeFileName(t *testing.T) {
	for name, want := range map[string]bool{
		"Shop.orders.odcs.yaml": true, "a-b_c.jsonl": true,
		"": false, ".hidden": false, "../x": false, "a/b": false, `a\b`: false, "a b": false, "é": false,
	} {
		if got := safeFileName(name); got != want {
			t.Errorf("safeFileName(%q) = %v", name, got)
		}
	}
	// Two names that differ only in case are refused before anything is written.
	dir := filepath.Join(t.TempDir(), "out")
	err := writeExportFiles(dir, []exportFile{{"A.x", []byte("1")}, {"a.x", []byte("2")}}, false)
	if err == nil || !strings.Contains(err.Error(), "ignores case") {
		t.Errorf("case clash: %v", err)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("the folder was created (%v)", err)
	}
}
