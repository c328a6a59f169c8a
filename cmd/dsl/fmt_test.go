package main

import (
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

const (
	messyStar     = "x=column( 'id','bigint',key=True )  # the key\ncols=[x,\n  column('b', \"int\")]\n"
	formattedStar = "x = column(\"id\", \"bigint\", key = True)  # the key\ncols = [\n    x,\n    column(\"b\", \"int\"),\n]\n"
	brokenStar    = "ecosystem(\n    name = \n"
)

// writeTree writes files (slash paths relative to dir) into dir.
func writeTree(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, text := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// readTree returns the text of every file under dir, by slash path.
func readTree(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)] = string(data)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// sameTree reports every difference between the files got and want.
func sameTree(t *testing.T, got, want map[string]string) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("files: got %d %v, want %d", len(got), slices.Sorted(maps.Keys(got)), len(want))
	}
	for name, text := range want {
		if got[name] != text {
			t.Errorf("%s:\n got %q\nwant %q", name, got[name], text)
		}
	}
}

// TestFmtOneFilePrints: a single file is printed formatted and left alone.
func TestFmtOneFilePrints(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{"eco.star": messyStar})
	code, out, errs := runCLI("fmt", filepath.Join(dir, "eco.star"))
	if code != exitClean || errs != "" || out != formattedStar {
		t.Fatalf("exit %d, stderr %q, stdout:\n%s\nwant:\n%s", code, errs, out, formattedStar)
	}
	sameTree(t, readTree(t, dir), map[string]string{"eco.star": messyStar})
}

// TestFmtFolderLists: a folder is walked for .star files (not other files,
// not hidden folders); the files that would change are listed, sorted, and
// nothing is written.
func TestFmtFolderLists(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"eco.star":             formattedStar,
		"teams/sales.star":     messyStar,
		"zones/usa.star":       messyStar,
		"notes.txt":            messyStar,
		".dsl/ignored.star":    messyStar,
		"teams/README.md":      "x",
		"teams/deep/risk.star": formattedStar,
	}
	writeTree(t, dir, files)
	code, out, errs := runCLI("fmt", dir)
	want := filepath.Join(dir, "teams", "sales.star") + "\n" + filepath.Join(dir, "zones", "usa.star") + "\n"
	if code != exitClean || errs != "" || out != want {
		t.Fatalf("exit %d, stderr %q, stdout:\n%s\nwant:\n%s", code, errs, out, want)
	}
	sameTree(t, readTree(t, dir), files)
}

// TestFmtWrite: -w rewrites the files that are not formatted, keeps their
// permissions, leaves no temporary file, lists what it rewrote; a second
// run has nothing to do and --check passes.
func TestFmtWrite(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{"eco.star": formattedStar, "teams/sales.star": messyStar})
	sales := filepath.Join(dir, "teams", "sales.star")
	if err := os.Chmod(sales, 0o640); err != nil {
		t.Fatal(err)
	}
	code, out, errs := runCLI("fmt", "-w", dir)
	if code != exitClean || errs != "" || out != sales+"\n" {
		t.Fatalf("dsl fmt -w: exit %d, stderr %q, stdout %q", code, errs, out)
	}
	sameTree(t, readTree(t, dir), map[string]string{"eco.star": formattedStar, "teams/sales.star": formattedStar})
	if info, err := os.Stat(sales); err != nil || info.Mode().Perm() != 0o640 {
		t.Fatalf("mode after -w: %v %v, want 0640", info.Mode(), err)
	}
	code, out, _ = runCLI("fmt", "--write", dir)
	if code != exitClean || out != "" {
		t.Fatalf("second dsl fmt -w: exit %d, stdout %q, want nothing to do", code, out)
	}
	code, out, errs = runCLI("fmt", "--check", dir)
	if code != exitClean || out != "" || errs != "" {
		t.Fatalf("dsl fmt --check after -w: exit %d, stdout %q, stderr %q", code, out, errs)
	}
}

// TestFmtWriteThroughSymlink: -w on a symbolic link rewrites its target and
// leaves the link a link.
func TestFmtWriteThroughSymlink(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{"real/eco.star": messyStar})
	link := filepath.Join(dir, "eco.star")
	if err := os.Symlink(filepath.Join(dir, "real", "eco.star"), link); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	if code, _, errs := runCLI("fmt", "-w", link); code != exitClean {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Fatalf("the link was replaced: %v %v", fi.Mode(), err)
	}
	if data, _ := os.ReadFile(filepath.Join(dir, "real", "eco.star")); string(data) != formattedStar {
		t.Fatalf("target not formatted: %q", data)
	}
}

// TestFmtCheck: --check lists the unformatted files, says how to fix them
// and exits 1, changing nothing.
func TestFmtCheck(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{"eco.star": formattedStar, "teams/sales.star": messyStar}
	writeTree(t, dir, files)
	code, out, errs := runCLI("fmt", "-check", dir)
	sales := filepath.Join(dir, "teams", "sales.star")
	if code != exitFindings || out != sales+"\n" {
		t.Fatalf("exit %d, stdout %q, want 1 and %s", code, out, sales)
	}
	if want := "1 of 2 files are not formatted; dsl fmt -w " + dir + " formats them"; !strings.Contains(errs, want) {
		t.Fatalf("stderr %q lacks %q", errs, want)
	}
	sameTree(t, readTree(t, dir), files)
}

// TestFmtSyntaxError: a file that does not parse is named with its line and
// column, the exit code is 2, and -w rewrites no file at all, not even the
// ones that parse.
func TestFmtSyntaxError(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{"a.star": messyStar, "b.star": brokenStar, "c.star": messyStar}
	writeTree(t, dir, files)
	for _, args := range [][]string{{"fmt", dir}, {"fmt", "-w", dir}, {"fmt", "--check", dir}, {"fmt", filepath.Join(dir, "b.star")}} {
		code, out, errs := runCLI(args...)
		want := "dsl fmt: " + filepath.Join(dir, "b.star") + ":3:1: got end of file, want primary expression"
		if code != exitUsage || !strings.Contains(errs, want) {
			t.Errorf("dsl %s: exit %d, stderr %q, want 2 and %q", strings.Join(args, " "), code, errs, want)
		}
		if out != "" {
			t.Errorf("dsl %s: stdout %q, want nothing when a file does not parse", strings.Join(args, " "), out)
		}
		if args[1] == "-w" && !strings.Contains(errs, "no file was rewritten") {
			t.Errorf("dsl fmt -w: stderr %q does not say that nothing was written", errs)
		}
		sameTree(t, readTree(t, dir), files)
	}
}

func TestFmtUsage(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{"eco.star": formattedStar, "notes.txt": "x"})
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"fmt"}, "dsl fmt: want at least one file or folder to format\nUsage: dsl fmt [-w] [--check] PATH..."},
		{[]string{"fmt", "-w", "--check", dir}, "dsl fmt: -w and --check exclude each other"},
		{[]string{"fmt", filepath.Join(dir, "nope")}, "dsl fmt: " + filepath.Join(dir, "nope") + ": no such file or folder"},
		{[]string{"fmt", filepath.Join(dir, "sub")}, "no such file or folder"},
		{[]string{"fmt", "--chek", dir}, `unknown flag: --chek (did you mean "--check"?)`},
	} {
		code, out, errs := runCLI(tc.args...)
		if code != exitUsage || out != "" || !strings.Contains(errs, tc.want) {
			t.Errorf("dsl %s: exit %d, stdout %q, stderr %q; want 2 and %q", strings.Join(tc.args, " "), code, out, errs, tc.want)
		}
	}
	if err := os.Mkdir(filepath.Join(dir, "empty"), 0o755); err != nil {
		t.Fatal(err)
	}
	code, _, errs := runCLI("fmt", filepath.Join(dir, "empty"))
	if code != exitUsage || !strings.Contains(errs, "no .star files in "+filepath.Join(dir, "empty")) {
		t.Errorf("empty folder: exit %d, stderr %q", code, errs)
	}
}

// TestShippedModelsFormatted: every model the repository ships (the
// examples) passes dsl fmt --check, as CI would run it.
func TestShippedModelsFormatted(t *testing.T) {
	root := filepath.Join("..", "..", "examples")
	code, out, errs := runCLI("fmt", "--check", root)
	if code != exitClean || out != "" || errs != "" {
		t.Fatalf("dsl fmt --check %s: exit %d\n%s%s\nrun dsl fmt -w %s", root, code, out, errs, root)
	}
	files, _, err := fmtTargets([]string{root})
	if err != nil || len(files) < 10 {
		t.Fatalf("%d .star files under %s (%v), want the acme, embed and quickstart models", len(files), root, err)
	}
}
