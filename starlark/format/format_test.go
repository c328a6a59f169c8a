package format

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"go.starlark.net/syntax"
	"golang.org/x/tools/txtar"
)

// repoRoot is the module root, two folders up from this package.
const repoRoot = "../.."

// starFile is one .star file of the repository: a file on its own, or a
// member of a txtar archive (the test fixtures keep many models that way).
type starFile struct {
	name string
	src  []byte
}

// repoStarFiles returns every .star file of the repository, including those
// inside txtar archives.
func repoStarFiles(t *testing.T) []starFile {
	t.Helper()
	var files []starFile
	err := filepath.WalkDir(repoRoot, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); path != repoRoot && (strings.HasPrefix(name, ".") || name == "node_modules") {
				return filepath.SkipDir
			}
			return nil
		}
		switch filepath.Ext(path) {
		case ".star":
			src, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			files = append(files, starFile{path, src})
		case ".txtar":
			a, err := txtar.ParseFile(path)
			if err != nil {
				return err
			}
			for _, f := range a.Files {
				if strings.HasSuffix(f.Name, ".star") {
					files = append(files, starFile{path + "/" + f.Name, f.Data})
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// TestRepositoryIdempotent formats every .star file of the repository (the
// examples and every test fixture, txtar members included) and formats the
// result again: the second pass must change nothing. A file that does not
// parse (the syntax-error fixtures) must be refused with a position, never
// for any other reason.
func TestRepositoryIdempotent(t *testing.T) {
	files := repoStarFiles(t)
	formatted, refused := 0, 0
	for _, f := range files {
		out, err := Source(f.name, f.src)
		if err != nil {
			var fe *Error
			if !errors.As(err, &fe) || fe.Line == 0 {
				t.Errorf("%s: refused without a syntax error's position: %v", f.name, err)
			}
			refused++
			continue
		}
		formatted++
		again, err := Source(f.name, out)
		if err != nil {
			t.Errorf("%s: the formatted text does not format: %v", f.name, err)
			continue
		}
		if !bytes.Equal(again, out) {
			t.Errorf("%s: formatting is not idempotent:\nfirst:\n%s\nsecond:\n%s", f.name, out, again)
		}
	}
	// The repository has hundreds of model files; far fewer would mean the
	// walk missed them.
	if formatted < 200 {
		t.Fatalf("formatted only %d .star files (%d refused): the walk from %s missed the repository's files", formatted, refused, repoRoot)
	}
	t.Logf("%d files formatted twice, %d refused for a syntax error", formatted, refused)
}

// TestExamplesFormatted: the models the repository ships are formatted as
// dsl fmt would write them.
func TestExamplesFormatted(t *testing.T) {
	n := 0
	for _, f := range repoStarFiles(t) {
		if !strings.HasPrefix(filepath.ToSlash(f.name), repoRoot+"/examples/") {
			continue
		}
		n++
		ok, err := IsFormatted(f.name, f.src)
		if err != nil || !ok {
			t.Errorf("%s is not formatted (run dsl fmt -w on it): %v", f.name, err)
		}
	}
	if n < 10 {
		t.Fatalf("found %d example .star files, want the acme, embed and quickstart models", n)
	}
}

func TestLayout(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{
			name: "spacing, quotes and a list broken over lines",
			in:   "x=column( 'id','bigint',key=True )\ncols=[x,\n  column('b', \"int\")]\n",
			want: "x = column(\"id\", \"bigint\", key = True)\ncols = [\n    x,\n    column(\"b\", \"int\"),\n]\n",
		},
		{
			name: "a call broken over lines gets one argument a line",
			in:   "team(\"Sales\",\n  repo = repo(\"github.com/acme/sales\"), doc = \"d\")\n",
			want: "team(\n    \"Sales\",\n    repo = repo(\"github.com/acme/sales\"),\n    doc = \"d\",\n)\n",
		},
		{
			name: "windows line ends and blank lines",
			in:   "x = 1\r\n\r\n\r\n\r\ny = 2\r\n",
			want: "x = 1\n\ny = 2\n",
		},
		{
			name: "statements on one line",
			in:   "x = 1; y = 2\n",
			want: "x = 1\ny = 2\n",
		},
		{
			name: "no newline at the end",
			in:   "x = 1",
			want: "x = 1\n",
		},
		{
			name: "an empty file stays empty",
			in:   "\n\n",
			want: "",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Source("eco.star", []byte(tc.in))
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tc.want {
				t.Fatalf("Source(%q)\n got %q\nwant %q", tc.in, got, tc.want)
			}
		})
	}
}

// TestNoReordering: the formatter changes layout only. Loads, list
// elements and keyword arguments keep their order, unlike buildifier's
// BUILD-file mode and its default rewrites.
func TestNoReordering(t *testing.T) {
	in := `load("//zones/usa.star", "usa")
load("//zones/eu.star", "eu")
load("//zones/usa.star", "extra")

ecosystem(
    repo = repo("github.com/acme/eco"),
    name = "Acme",
    platforms = [platform("Live", kind = "local"), platform("History", kind = "local")],
    zones = [usa, eu],
    tags = ["z", "b", "a"],
)
`
	got, err := Source("eco.star", []byte(in))
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != in {
		t.Fatalf("an already formatted file changed:\n got:\n%s\nwant:\n%s", got, in)
	}
}

// TestCommentsKept: every comment survives formatting, wherever it is, and
// the formatted file is a fixed point.
func TestCommentsKept(t *testing.T) {
	in := `# header: what this file is
load("//lib.star", "x")  # after a load

# before a statement
ecosystem(  # after the open paren
    # before an argument
    name = "Acme",  # after an argument
    zones = [
        # inside an empty-ish list
        usa,  # after an element
        # at the end of a list
    ],
    # at the end of a call
)
# at the end of the file
`
	got, err := Source("eco.star", []byte(in))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(in, "\n") {
		_, c, ok := strings.Cut(line, "#")
		if !ok {
			continue
		}
		if !strings.Contains(string(got), "#"+c) {
			t.Errorf("comment %q lost:\n%s", "#"+c, got)
		}
	}
	if n, m := strings.Count(in, "#"), strings.Count(string(got), "#"); n != m {
		t.Errorf("%d comments in, %d out:\n%s", n, m, got)
	}
	again, err := Source("eco.star", got)
	if err != nil || !bytes.Equal(again, got) {
		t.Fatalf("second pass: %v\nfirst:\n%s\nsecond:\n%s", err, got, again)
	}
}

// TestSyntaxErrors: a file that does not parse is refused with its name,
// line and column, and no text.
func TestSyntaxErrors(t *testing.T) {
	for _, tc := range []struct {
		in        string
		line, col int
		msg       string
	}{
		// go.starlark.net, the evaluator's parser, finds these.
		{in: "ecosystem(\n    name = \n", line: 3, col: 1, msg: "want primary expression"},
		{in: "x = 1\ny = [1, 2\n", line: 3, col: 1, msg: "got end of file"},
		{in: "x = 017\n", line: 1, col: 8, msg: "obsolete form of octal literal"},
		// Valid Starlark that the model language allows but buildtools'
		// parser does not know (a while loop is refused later, by the
		// evaluator).
		{in: "x = 1\nwhile True:\n    pass\n", line: 2, col: 11, msg: "syntax error"},
	} {
		out, err := Source("teams/sales.star", []byte(tc.in))
		var fe *Error
		if !errors.As(err, &fe) {
			t.Errorf("Source(%q): want an *Error, got %v", tc.in, err)
			continue
		}
		if out != nil {
			t.Errorf("Source(%q) returned text with its error", tc.in)
		}
		if fe.File != "teams/sales.star" || fe.Line != tc.line || fe.Col != tc.col || !strings.Contains(fe.Msg, tc.msg) {
			t.Errorf("Source(%q): got %s:%d:%d %q, want teams/sales.star:%d:%d and %q", tc.in, fe.File, fe.Line, fe.Col, fe.Msg, tc.line, tc.col, tc.msg)
		}
		if want := fmt.Sprintf("teams/sales.star:%d:%d: ", tc.line, tc.col); !strings.HasPrefix(err.Error(), want) {
			t.Errorf("error %q does not start with %q", err, want)
		}
	}
}

// TestTreeGuard checks the comparison Source relies on to refuse a layout
// that would change meaning: trees that differ only in layout, quotes or
// redundant parentheses compare equal; trees that differ in meaning do not.
func TestTreeGuard(t *testing.T) {
	flat := func(src string) []string {
		t.Helper()
		p, err := parse("x.star", []byte(src))
		if err != nil {
			t.Fatalf("%q: %v", src, err)
		}
		return p.tree
	}
	for _, same := range [][2]string{
		{"x = 'a'\n", "x = \"a\"\n"},
		{"x = (1)\n", "x = 1\n"},
		{"x = f(a=1,\n b=2)\n", "x = f(\n    a = 1,\n    b = 2,\n)\n"},
		{"if a:\n  pass\nelse:\n  if b:\n    pass\n", "if a:\n    pass\nelif b:\n    pass\n"},
		{"x = 0x10\n", "x = 16\n"},
	} {
		if a, b := flat(same[0]), flat(same[1]); !reflect.DeepEqual(a, b) {
			t.Errorf("%q and %q should mean the same:\n%q\n%q", same[0], same[1], a, b)
		}
	}
	for _, differ := range [][2]string{
		{"x = a[1:]\n", "x = a[:1]\n"},
		{"x = '1'\n", "x = 1\n"},
		{"x = (a + b) * c\n", "x = a + b * c\n"},
		{"x = f(a = 1, b = 2)\n", "x = f(b = 2, a = 1)\n"},
		{"x = [1, 2]\n", "x = (1, 2)\n"},
		{"x = 1.0\n", "x = 1\n"},
		{"load('a.star', 'x')\nload('b.star', 'y')\n", "load('b.star', 'y')\nload('a.star', 'x')\n"},
		{"x = -1\n", "x = 1\n"},
	} {
		if a, b := flat(differ[0]), flat(differ[1]); reflect.DeepEqual(a, b) {
			t.Errorf("%q and %q should differ, both flatten to %q", differ[0], differ[1], a)
		}
	}
	// Comments are compared as text in order.
	pa, _ := parse("x.star", []byte("x = 1  # a\n# b\n"))
	pb, _ := parse("x.star", []byte("# a\nx = 1\n# b\n"))
	if want := []string{"# a", "# b"}; !reflect.DeepEqual(pa.comments, want) || !reflect.DeepEqual(pb.comments, want) {
		t.Errorf("comments: %q and %q, want %q", pa.comments, pb.comments, want)
	}
}

// TestDialectMatchesEvaluator: Source parses with the model evaluator's
// dialect, so that dsl fmt accepts the files the evaluator can parse and
// reports the same syntax errors. The evaluator's options are unexported,
// so this reads them from its source.
func TestDialectMatchesEvaluator(t *testing.T) {
	src, err := os.ReadFile(filepath.Join(repoRoot, "starlark", "compile.go"))
	if err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf("var fileOptions = &syntax.FileOptions{Set: %v, TopLevelControl: %v}", dialect.Set, dialect.TopLevelControl)
	if !strings.Contains(string(src), want) || *dialect != (syntax.FileOptions{Set: dialect.Set, TopLevelControl: dialect.TopLevelControl}) {
		t.Fatalf("starlark/compile.go no longer declares %q: make format's dialect the evaluator's", want)
	}
	if _, err := Source("x.star", []byte("for x in [1]:\n    pass\n")); err != nil {
		t.Fatalf("top-level for, which the evaluator allows: %v", err)
	}
}
