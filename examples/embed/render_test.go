package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/datasurface/datasurface-go/ecosystem"
	"github.com/datasurface/datasurface-go/graph"
	"github.com/datasurface/datasurface-go/platforms"
	"github.com/datasurface/datasurface-go/platforms/platformtest"
	"github.com/datasurface/datasurface-go/starlark"
)

// embeddedFiles returns the model compiled into the program, by path.
func embeddedFiles(t *testing.T) map[string]string {
	t.Helper()
	files := map[string]string{}
	sub, err := fs.Sub(builtinModel, "model")
	if err != nil {
		t.Fatal(err)
	}
	err = fs.WalkDir(sub, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(sub, p)
		files[p] = string(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// rerender renders platform Scripts of a model through the platformtest kit,
// independently of the program: what the program must list and write.
func rerender(t *testing.T, files map[string]string) []platforms.Artifact {
	t.Helper()
	arts := newKit(t).Model(files).Render("Scripts")
	if len(arts) == 0 {
		t.Fatal("platform Scripts renders nothing")
	}
	return arts
}

// readTree returns every file under dir by slash-separated relative path.
func readTree(t *testing.T, dir string) map[string]string {
	t.Helper()
	files := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		data, err := os.ReadFile(p)
		files[filepath.ToSlash(rel)] = string(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// artifactFiles returns artifacts by name, each under prefix.
func artifactFiles(prefix string, arts []platforms.Artifact) map[string]string {
	files := map[string]string{}
	for _, a := range arts {
		files[prefix+a.Name] = string(a.Data)
	}
	return files
}

// checkListing checks that out lists exactly arts for platform Scripts, each
// with its size, after a header with their count and total size.
func checkListing(t *testing.T, out string, arts []platforms.Artifact, where string) {
	t.Helper()
	total := 0
	var want strings.Builder
	for _, a := range arts {
		total += len(a.Data)
		fmt.Fprintf(&want, "  %s (%d bytes)\n", a.Name, len(a.Data))
	}
	header := fmt.Sprintf("render: platform Scripts (kind sqlscript): %d artifacts, %d bytes%s\n", len(arts), total, where)
	i := strings.Index(out, header)
	if i < 0 {
		t.Fatalf("output lacks %q:\n%s", header, out)
	}
	if got := out[i+len(header):]; got != want.String() {
		t.Errorf("artifact listing (-want +got):\n%s", cmp.Diff(want.String(), got))
	}
}

func TestListsRenderedArtifacts(t *testing.T) {
	code, out, errs := runEmbed(t)
	if code != exitOK {
		t.Fatalf("exit %d, want %d; stdout:\n%s\nstderr:\n%s", code, exitOK, out, errs)
	}
	arts := rerender(t, embeddedFiles(t))
	checkListing(t, out, arts, "")
}

// TestOutMatchesGolden runs the program on the model of the sqlscript
// platform's own test: what -out writes is its golden files, byte for byte,
// and nothing else.
func TestOutMatchesGolden(t *testing.T) {
	dir := t.TempDir()
	for name, data := range scriptModel("", enrichSQL, "") {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out := filepath.Join(t.TempDir(), "out")
	code, stdout, errs := runEmbed(t, "-out", out, dir)
	if code != exitOK {
		t.Fatalf("exit %d, want %d; stdout:\n%s\nstderr:\n%s", code, exitOK, stdout, errs)
	}
	golden := readTree(t, filepath.Join("testdata", "sqlscript"))
	if len(golden) == 0 {
		t.Fatal("no golden files in testdata/sqlscript")
	}
	want := map[string]string{}
	for name, data := range golden {
		want["Scripts/"+name] = data
	}
	if diff := cmp.Diff(want, readTree(t, out)); diff != "" {
		t.Errorf("-out %s differs from testdata/sqlscript (-golden +written):\n%s", out, diff)
	}
	if !strings.Contains(stdout, ", written to "+filepath.Join(out, "Scripts")+"\n") {
		t.Errorf("output does not say where the artifacts were written:\n%s", stdout)
	}
}

func TestOutEmbeddedModel(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	code, stdout, errs := runEmbed(t, "-out", out)
	if code != exitOK {
		t.Fatalf("exit %d, want %d; stdout:\n%s\nstderr:\n%s", code, exitOK, stdout, errs)
	}
	arts := rerender(t, embeddedFiles(t))
	checkListing(t, stdout, arts, ", written to "+filepath.Join(out, "Scripts"))
	want := artifactFiles("Scripts/", arts)
	if diff := cmp.Diff(want, readTree(t, out)); diff != "" {
		t.Fatalf("-out differs from the rendered artifacts (-want +written):\n%s", diff)
	}
	// Real SQL: the group's orders are captured from the shop database.
	if got := want["Scripts/001-ingest-ShopDB.sql"]; !strings.Contains(got, `INSERT INTO "staging"."ShopDB__orders"`) ||
		!strings.Contains(got, `FROM "src_shop"."orders"`) {
		t.Errorf("001-ingest-ShopDB.sql does not capture the orders:\n%s", got)
	}

	// A second run replaces the artifacts and leaves other files alone.
	scripts := filepath.Join(out, "Scripts")
	if err := os.WriteFile(filepath.Join(scripts, "run.sh"), []byte("tampered"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(scripts, "notes.txt"), []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, stdout, errs := runEmbed(t, "-out", out); code != exitOK {
		t.Fatalf("second run: exit %d, want %d; stdout:\n%s\nstderr:\n%s", code, exitOK, stdout, errs)
	}
	want["Scripts/notes.txt"] = "mine"
	if diff := cmp.Diff(want, readTree(t, out)); diff != "" {
		t.Errorf("after a second run (-want +written):\n%s", diff)
	}
}

func TestOutNotWritable(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, errs := runEmbed(t, "-out", file)
	if code != exitUsage {
		t.Fatalf("exit %d, want %d; stdout:\n%s\nstderr:\n%s", code, exitUsage, stdout, errs)
	}
	if !strings.Contains(errs, "embed: -out:") {
		t.Errorf("stderr does not blame -out:\n%s", errs)
	}
	if strings.Contains(stdout, "render:") {
		t.Errorf("artifacts are listed as written although writing failed:\n%s", stdout)
	}
}

func TestPlatformKindUnknown(t *testing.T) {
	// A valid model but for its platform's kind, which the program does not
	// register: "sqlscrip" for "sqlscript".
	dir := writeModel(t, `ecosystem(
    name = "Odd",
    repo = repo("github.com/odd/eco"),
    live_repo = repo("github.com/odd/eco", branch = "live"),
    platforms = [platform("Scripts", kind = "sqlscrip")],
    zones = [zone("Z", repo = repo("github.com/odd/z"), teams = [team("T", repo = repo("github.com/odd/t"),
        datastores = [datastore("S", capture = sql_snapshot(source = sqlite("s", database = "s.db"), trigger = cron("0 * * * *")), datasets = [
            dataset("d", classification = "public", columns = [column("id", "integer", key = True)]),
        ])],
        workspaces = [workspace("W", container = platform_managed(), groups = [dataset_group("g", platform = "Scripts", sinks = [sink("S", "d")])])],
    )])],
)
`)
	out := filepath.Join(t.TempDir(), "out")
	code, stdout, errs := runEmbed(t, "-out", out, dir)
	if code != exitInvalid {
		t.Fatalf("exit %d, want %d; stdout:\n%s\nstderr:\n%s", code, exitInvalid, stdout, errs)
	}
	for _, want := range []string{
		"lint: 0 errors, 0 warnings\n",
		"platforms: 1 error, 0 warnings\n",
		// At the kind argument, suggesting the program's own kind.
		`eco.star:5:45: error[PLATFORM_KIND_UNKNOWN]: platform Scripts: kind "sqlscrip" is not registered`,
		`did you mean "sqlscript"?`,
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, stdout)
		}
	}
	if strings.Contains(stdout, "render:") {
		t.Errorf("an invalid model is rendered:\n%s", stdout)
	}
	if _, err := os.Stat(out); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("-out %s was created for an invalid model (%v)", out, err)
	}
}

// fakeRenderer is a platform that renders given artifacts, or fails.
type fakeRenderer struct {
	arts []platforms.Artifact
	err  error
}

func (f fakeRenderer) Capabilities() graph.Capabilities { return graph.Capabilities{} }
func (f fakeRenderer) Accept(context.Context, *graph.Pipeline) ecosystem.Diagnostics {
	return nil
}
func (f fakeRenderer) Render(context.Context, *graph.Pipeline) ([]platforms.Artifact, error) {
	return f.arts, f.err
}

// fakeBound binds a model declaring sqlscript platforms A and B and a legacy
// platform L, with A rendering good artifacts and B rendering b.
func fakeBound(t *testing.T, b fakeRenderer) *platforms.Bound {
	t.Helper()
	m, err := starlark.Evaluate(t.Context(), platformtest.MapFS(map[string]string{"eco.star": `ecosystem(
    name = "Fake",
    repo = repo("github.com/fake/eco"),
    live_repo = repo("github.com/fake/eco", branch = "live"),
    platforms = [platform("A", kind = "sqlscript"), platform("B", kind = "sqlscript"), platform("L", kind = "legacy")],
)
`}))
	if err != nil {
		t.Fatal(err)
	}
	reg := platforms.Builtin()
	err = reg.Register(sqlScriptKind, func(decl *ecosystem.Platform) (platforms.Platform, error) {
		if decl.Name == "A" {
			return fakeRenderer{arts: []platforms.Artifact{{Name: "a.sql", Data: []byte("select 1;")}}}, nil
		}
		return b, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	bound := reg.Broker(m)
	if len(bound.Diagnostics) > 0 {
		t.Fatalf("binding the fake model: %v", bound.Diagnostics)
	}
	return bound
}

func TestRealiseWritesAfterEveryRender(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	b := fakeBound(t, fakeRenderer{arts: []platforms.Artifact{
		{Name: "sub/b.sql", Data: []byte("select 2;")},
		{Name: "run.sh", Data: []byte("#!/bin/sh\n")},
	}})
	var stdout, stderr bytes.Buffer
	if code := realise(t.Context(), b, out, &stdout, &stderr); code != exitOK {
		t.Fatalf("exit %d, want %d; stderr:\n%s", code, exitOK, stderr.String())
	}
	want := map[string]string{"A/a.sql": "select 1;", "B/run.sh": "#!/bin/sh\n", "B/sub/b.sql": "select 2;"}
	if diff := cmp.Diff(want, readTree(t, out)); diff != "" {
		t.Errorf("written (-want +got):\n%s", diff)
	}
	// The platforms in model order, the artifacts by name; L is not a sqlscript platform.
	wantOut := "render: platform A (kind sqlscript): 1 artifact, 9 bytes, written to " + filepath.Join(out, "A") + "\n" +
		"  a.sql (9 bytes)\n" +
		"render: platform B (kind sqlscript): 2 artifacts, 19 bytes, written to " + filepath.Join(out, "B") + "\n" +
		"  run.sh (10 bytes)\n" +
		"  sub/b.sql (9 bytes)\n"
	if diff := cmp.Diff(wantOut, stdout.String()); diff != "" {
		t.Errorf("output (-want +got):\n%s", diff)
	}
}

// TestRealiseRenderFailureWritesNothing: when B does not render, or renders
// a name platforms.Render rejects, A's artifacts are not written either.
func TestRealiseRenderFailureWritesNothing(t *testing.T) {
	for _, tc := range []struct {
		name string
		b    fakeRenderer
		want string
	}{
		{"error", fakeRenderer{err: errors.New("engine unavailable")}, "platform B: rendering: engine unavailable"},
		{"parent", fakeRenderer{arts: []platforms.Artifact{{Name: "../escape.sql"}}}, `artifact name "../escape.sql"`},
		{"nested parent", fakeRenderer{arts: []platforms.Artifact{{Name: "x/../../escape.sql"}}}, `artifact name "x/../../escape.sql"`},
		{"absolute", fakeRenderer{arts: []platforms.Artifact{{Name: "/tmp/escape.sql"}}}, `artifact name "/tmp/escape.sql"`},
		{"backslash", fakeRenderer{arts: []platforms.Artifact{{Name: `..\escape.sql`}}}, `artifact name "..\\escape.sql"`},
		{"empty", fakeRenderer{arts: []platforms.Artifact{{Name: ""}}}, `artifact name ""`},
		{"repeated", fakeRenderer{arts: []platforms.Artifact{{Name: "b.sql"}, {Name: "b.sql"}}}, `two artifacts are named "b.sql"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			parent := t.TempDir()
			out := filepath.Join(parent, "out")
			var stdout, stderr bytes.Buffer
			if code := realise(t.Context(), fakeBound(t, tc.b), out, &stdout, &stderr); code != exitInvalid {
				t.Fatalf("exit %d, want %d", code, exitInvalid)
			}
			if !strings.Contains(stderr.String(), tc.want) {
				t.Errorf("stderr %q lacks %q", stderr.String(), tc.want)
			}
			if stdout.Len() > 0 {
				t.Errorf("artifacts listed although rendering failed:\n%s", stdout.String())
			}
			if entries, err := os.ReadDir(parent); err != nil || len(entries) > 0 {
				t.Errorf("files written although rendering failed: %v (%v)", entries, err)
			}
		})
	}
}

// TestWriteArtifactsRefusesEscapes checks the writer on its own, with names
// platforms.Render would have stopped: nothing is written.
func TestWriteArtifactsRefusesEscapes(t *testing.T) {
	art := func(names ...string) []platforms.Artifact {
		var arts []platforms.Artifact
		for _, n := range names {
			arts = append(arts, platforms.Artifact{Name: n, Data: []byte(n)})
		}
		return arts
	}
	for _, tc := range []struct {
		name     string
		rendered []renderedPlatform
		want     string
	}{
		{"platform parent", []renderedPlatform{{"..", art("x.sql")}}, `platform ".."`},
		{"platform path", []renderedPlatform{{"a/b", art("x.sql")}}, `platform "a/b"`},
		{"platform dot", []renderedPlatform{{".", art("x.sql")}}, `platform "."`},
		{"platform repeated", []renderedPlatform{{"P", art("x.sql")}, {"P", art("y.sql")}}, `two platforms are named "P"`},
		{"artifact parent", []renderedPlatform{{"P", art("ok.sql", "../x.sql")}}, `artifact name "../x.sql"`},
		{"artifact absolute", []renderedPlatform{{"P", art("/x.sql")}}, `artifact name "/x.sql"`},
		{"artifact unclean", []renderedPlatform{{"P", art("a//x.sql")}}, `artifact name "a//x.sql"`},
		{"artifact repeated", []renderedPlatform{{"P", art("x.sql", "x.sql")}}, `two artifacts are named "x.sql"`},
		{"file and folder", []renderedPlatform{{"P", art("a", "a/x.sql")}}, `"a" is an artifact and the folder of artifact "a/x.sql"`},
		// The second platform is wrong: the first is not written either.
		{"second platform", []renderedPlatform{{"P", art("x.sql")}, {"Q", art("../../x.sql")}}, `platform Q: artifact name "../../x.sql"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			parent := t.TempDir()
			err := writeArtifacts(filepath.Join(parent, "out"), tc.rendered)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one saying %q", err, tc.want)
			}
			if entries, err := os.ReadDir(parent); err != nil || len(entries) > 0 {
				t.Errorf("files written although a name is refused: %v (%v)", entries, err)
			}
		})
	}
}

// TestWriteArtifactsSymlinkEscape: a folder in DIR that is a symbolic link
// to somewhere else is not followed out of DIR.
func TestWriteArtifactsSymlinkEscape(t *testing.T) {
	out, elsewhere := t.TempDir(), t.TempDir()
	if err := os.Symlink(elsewhere, filepath.Join(out, "P")); err != nil {
		t.Skipf("cannot make a symbolic link: %v", err)
	}
	err := writeArtifacts(out, []renderedPlatform{{"P", []platforms.Artifact{{Name: "x.sql", Data: []byte("x")}}}})
	if err == nil {
		t.Error("writing through a symbolic link out of the output folder succeeded")
	}
	if entries, err := os.ReadDir(elsewhere); err != nil || len(entries) > 0 {
		t.Errorf("files written outside the output folder: %v (%v)", entries, err)
	}
}
