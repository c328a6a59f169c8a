package starlark

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	sl "go.starlark.net/starlark"
	"go.starlark.net/syntax"
	"golang.org/x/tools/txtar"

	"github.com/datasurface/datasurface-go/ecosystem"
)

// fastParseSnippets exercise the fast parser's subset and its edges. Some
// are outside the subset or invalid: the fast parser must then give up.
var fastParseSnippets = []string{
	"",
	"\n\n",
	"# only a comment",
	"x = 1",
	"x = 1\n",
	"x = 0\ny = 123456789\nz = 9223372036854775807\n",
	"x = 9223372036854775808\n",
	"x = 0755\n",
	"x = 0x1F\n",
	"x = 1.5\n",
	"x = .5\n",
	"x = 1e3\n",
	"x = 1_000\n",
	"x = 12abc\n",
	"x = f()\n",
	"f(1, 2, a = 3, *b, **c)\n",
	"f(1, 2,)\n",
	"f(a = 1, b = [1, 2, 3,], c = {\"k\": \"v\", 'x': 2,})\n",
	"f(\n    a = 1,\n\n  # comment\n\tb = 2,  # trailing\n)\n",
	"x = [f(y) for y in z]\n",
	"x = {k: v for k, v in z}\n",
	"x = a.b.c(d)[0](e)\n",
	"x = a[1:2]\n",
	"x = a[1, 2]\n",
	"x = a[(1, 2)]\n",
	"x = (1, 2)\n",
	"x = (1,)\n",
	"x = ()\n",
	"x = (1)\n",
	"x = 1, 2\n",
	"x, y = 1, 2\n",
	"x = -1 + +2 - ~3\n",
	"x = a + b * c - d / e // f % g\n",
	"x = a | b ^ c & d << e >> f\n",
	"x = a < b and c >= d or not e\n",
	"x = not not a\n",
	"x = a not in b\n",
	"x = not a in b\n",
	"x = a in b == c\n",
	"x = a < b < c\n",
	"x = a == b and c != d\n",
	"x = a if b else c\n",
	"x = a if b else c if d else e\n",
	"x = a if b\n",
	"x = lambda: 1\n",
	"x = [1, 2] + [3] * 2\n",
	"x = \"plain\" + 'single'\n",
	"x = \"with \\\"escape\\\" and \\n\"\n",
	"x = 'it\\'s'\n",
	"x = r\"raw\\d\" + b\"bytes\" + rb'rawbytes'\n",
	"x = \"\"\"triple\nquoted \"with\" quotes\n\"\"\"\ny = f(z)\n",
	"x = '''a\\\nb'''\n",
	"x = \"unterminated\n",
	"x = \"caf\u00e9 \u2014 \U0001F600\"; y = 1\n",
	"x = \"caf\u00e9 \u2014 \U0001F600\"\ny = f(\"\u00e9\", z = \"\u00e9\u00e9\")\n",
	"# d\u00e9j\u00e0 vu\nx = f(a = 1)\n",
	"x = f(\"\u00e9\", \"\u00e9\u00e9\", a = b)  # \u00e9\n",
	"\u00e9 = 1\n",
	"x\u00e9 = 1\n",
	"x = 1; y = 2\n",
	"x = 1;\n",
	"if x:\n    y = 1\n",
	"def f():\n    return 1\n",
	"for x in y:\n    f(x)\n",
	"  x = 1\n",
	"x = 1\n  y = 2\n",
	"x = (\n1\n)\n",
	"x = f(\n\t1,\n\t2)\n",
	"x\t=\tf(\t1 )\n",
	"x = 1 \\\n + 2\n",
	"x += 1\n",
	"x = a.load\n",
	"x = a.b\n",
	"load(\"a.star\", \"x\")\n",
	"load(\"//a/b.star\", \"x\", y = \"z\", )\n",
	"load('a.star', 'x')\nload(\"b.star\", x2 = 'y')\n",
	"load(\"a.star\")\n",
	"load(\"a.star\", x)\n",
	"load(\"a.star\", x = y)\n",
	"load(x, \"y\")\n",
	"f(load)\n",
	"x = f(a = 1, a = 2)\n",
	"f(1 = 2)\n",
	"f(a.b = 2)\n",
	"f(a\n",
	"f(a))\n",
	"f(a]\n",
	"x = [\n",
	"x = {1: 2, 3}\n",
	"x = None if True else False\n",
	"x = class\n",
	"x = yield\n",
	"x = a.if\n",
	"pass\n",
	"return 1\n",
	"x = f(*a, **b)(c)\n",
	"f()()\n",
	"f(g(h(i(j(k(1))))))\n",
	"x = 1 # comment without newline",
	"x = f(1,\n2) # comment\n\n\n# final",
	"x = a @ b\n",
	"x = a ! b\n",
	"x = a != b\n",
	"x = a <<= b\n",
	"x = a ** b\n",
	"f(**a)\n",
	"x = \"a\" \"b\"\n",
	"x = 1\r\ny = 2\r\n",
	"x = \"\xff\"\n",
	"x = [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]\n",
	strings.Repeat("x = f(", 80) + strings.Repeat(")", 80) + "\n",
	"x = --1\n",
	"x = -a.b(c)[d]\n",
	"x = {}\ny = []\nz = {\"a\": [1, {\"b\": (2, 3)}]}\n",
}

// fastParseSources returns the snippets, every .star file of the package's
// test data and of the repository's examples, and a synthetic model.
func fastParseSources(t testing.TB) map[string][]byte {
	srcs := map[string][]byte{}
	for i, s := range fastParseSnippets {
		srcs["snippet"+string(rune('A'+i/26))+string(rune('a'+i%26))+".star"] = []byte(s)
	}
	archives, _ := filepath.Glob("testdata/*/*.txtar")
	for _, name := range archives {
		ar, err := txtar.ParseFile(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range ar.Files {
			if strings.HasSuffix(f.Name, ".star") {
				srcs[name+"/"+f.Name] = f.Data
			}
		}
	}
	_ = filepath.WalkDir("../examples", func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, ".star") {
			if data, err := os.ReadFile(path); err == nil {
				srcs[path] = data
			}
		}
		return nil
	})
	for name, f := range synthModel(shapeSmall) {
		srcs["synth/"+name] = f.Data
	}
	return srcs
}

// checkFastParse compares the fast parser with go.starlark.net's parser on
// one file: the same tree, call-site table and loads, or a fall back. It
// reports whether the fast parser took the file.
func checkFastParse(t testing.TB, name string, src []byte) bool {
	t.Helper()
	want, wantErr := fileOptions.Parse(name, src, 0)
	got, sites, loads, ok := fastParse(name, src, newASTArena())
	if !ok {
		return false
	}
	if wantErr != nil {
		t.Fatalf("%s: fast parser accepted a file syntax rejects (%v):\n%s", name, wantErr, src)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("%s: fast parser's tree differs:\n%s\ngot  %s\nwant %s", name, src, dumpTree(got), dumpTree(want))
	}
	wantSites := buildSites(want)
	// The tables may order the arguments of different calls differently
	// (the fast parser finishes inner calls first); each call's own
	// arguments must be the same.
	if !slices.Equal(sites.keys, wantSites.keys) || len(sites.sites) != len(wantSites.sites) ||
		len(sites.args) != len(wantSites.args) || len(sites.argPos) != len(sites.args) || sites.name != wantSites.name {
		t.Fatalf("%s: call-site tables differ:\n%s\ngot  %+v\nwant %+v", name, src, sites, wantSites)
	}
	for i := range sites.sites {
		g, w := &sites.sites[i], &wantSites.sites[i]
		ga, gp := sites.argsOf(g)
		wa, wp := wantSites.argsOf(w)
		sameArgs := len(ga) == len(wa)
		for j := 0; sameArgs && j < len(ga); j++ {
			sameArgs = ga[j].kw <= 0 && ga[j].kw == wa[j].kw || sites.keyword(ga[j]) == wantSites.keyword(wa[j]) && ga[j].kw > 0 && wa[j].kw > 0
			sameArgs = sameArgs && ga[j].quote == wa[j].quote
		}
		if g.line != w.line || g.col != w.col || !sameArgs || !slices.Equal(gp, wp) {
			t.Fatalf("%s: call site %d differs: got %d:%d args %v %v, want %d:%d args %v %v", name, i,
				g.line, g.col, ga, gp, w.line, w.col, wa, wp)
		}
	}
	var wantLoads []loadStmt
	for _, stmt := range want.Stmts {
		if ls, ok := stmt.(*syntax.LoadStmt); ok {
			wantLoads = append(wantLoads, loadStmt{module: ls.Module.Value.(string), pos: toPos(ls.Module.TokenPos)})
		}
	}
	if !slices.Equal(loads, wantLoads) {
		t.Fatalf("%s: loads = %v, want %v", name, loads, wantLoads)
	}
	return true
}

// dumpTree prints a syntax tree with positions, for failure messages.
func dumpTree(f *syntax.File) string {
	var b strings.Builder
	syntax.Walk(f, func(n syntax.Node) bool {
		if n != nil {
			start, end := n.Span()
			b.WriteString(reflect.TypeOf(n).Elem().Name() + "@" + start.String() + "-" + end.String() + " ")
		}
		return true
	})
	return b.String()
}

// TestFastParseMatches checks that the fast parser builds exactly the tree
// go.starlark.net builds, or gives up, and that it takes the files it is for.
func TestFastParseMatches(t *testing.T) {
	taken := map[string]bool{}
	for name, src := range fastParseSources(t) {
		taken[name] = checkFastParse(t, name, src)
	}
	for _, name := range []string{"synth/eco.star", "synth/zones/Z0.star", "synth/teams/Z0_T0.star",
		"../examples/synthetic/testdata/small/eco.star"} {
		if ok, seen := taken[name]; seen && !ok {
			t.Errorf("%s: the fast parser gave up on it", name)
		}
	}
	for _, s := range []string{"x = 1\n", "f(1, 2, a = 3, *b, **c)\n", "x = a if b else c\n",
		"x = \"with \\\"escape\\\" and \\n\"\n", "load(\"a.star\", \"x\")\n", "x = a not in b\n"} {
		if _, _, _, ok := fastParse("s.star", []byte(s), newASTArena()); !ok {
			t.Errorf("the fast parser gave up on %q", s)
		}
	}
}

func FuzzFastParse(f *testing.F) {
	for _, src := range fastParseSources(f) {
		if len(src) < 4096 {
			f.Add(src)
		}
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		checkFastParse(t, "fuzz.star", src)
	})
}

// BenchmarkParse compares the fast parser with go.starlark.net's on one team
// file of the large synthetic model (tree, call-site table and loads).
func BenchmarkParse(b *testing.B) {
	src := synthModel(shapeLarge)["teams/Z0_T0.star"].Data
	b.Run("fast", func(b *testing.B) {
		b.SetBytes(int64(len(src)))
		b.ReportAllocs()
		a := newASTArena()
		for b.Loop() {
			if _, _, _, ok := fastParse("t.star", src, a); !ok {
				b.Fatal("fast parser gave up")
			}
			a.reset()
		}
	})
	b.Run("syntax", func(b *testing.B) {
		b.SetBytes(int64(len(src)))
		b.ReportAllocs()
		for b.Loop() {
			f, err := fileOptions.Parse("t.star", src, 0)
			if err != nil {
				b.Fatal(err)
			}
			buildSites(f)
		}
	})
}

// TestArenaReuseKeepsPrograms compiles files in an arena, overwrites the
// arena with another file's tree, and runs the first programs: their values,
// errors and call stacks must be those of programs compiled on their own.
// It fails if go.starlark.net's compiler keeps a syntax node.
func TestArenaReuseKeepsPrograms(t *testing.T) {
	sources := map[string]string{
		"ok.star":   "x = \"hello\"\ny = [x, 1, {\"k\": x}, -2]\nz = y[2][\"k\"] + \"!\"\n",
		"fail.star": "a = [1, 2]\nb = len(a) + a[5]\n",
		"call.star": "c = str(1) + repr(\"q\")\nd = fail(\"boom: \" + c)\n",
	}
	other := synthModel(shapeSmall)["teams/Z0_T0.star"].Data
	run := func(prog *sl.Program) string {
		thread := &sl.Thread{Name: "test"}
		globals, err := prog.Init(thread, predeclared())
		if err != nil {
			if ee, ok := err.(*sl.EvalError); ok {
				return ee.Backtrace()
			}
			return err.Error()
		}
		return globals.String()
	}
	for name, src := range sources {
		fresh := compileFile(name, []byte(src), newASTArena())
		a := newASTArena()
		reused := compileFile(name, []byte(src), a)
		if fresh.prog == nil || reused.prog == nil {
			t.Fatalf("%s: %v", name, fresh.diags)
		}
		a.reset()
		if cf := compileFile("other.star", other, a); cf.prog == nil {
			t.Fatalf("other.star: %v", cf.diags)
		}
		if got, want := run(reused.prog), run(fresh.prog); got != want {
			t.Errorf("%s after the arena was reused:\n%s\nwant\n%s", name, got, want)
		}
	}
}

// TestFastParserSameResults evaluates every model of the package's test
// data, the repository's examples and a synthetic model with and without the
// fast parser: the models (with every recorded position) and the
// diagnostics must be the same.
func TestFastParserSameResults(t *testing.T) {
	models := map[string]fs.FS{"synthetic": synthModel(shapeSmall)}
	archives, _ := filepath.Glob("testdata/*/*.txtar")
	for _, name := range archives {
		ar, err := txtar.ParseFile(name)
		if err != nil {
			t.Fatal(err)
		}
		models[name] = archiveFS(ar)
	}
	_ = filepath.WalkDir("../examples", func(path string, d fs.DirEntry, err error) error {
		if err == nil && d.Name() == "eco.star" {
			models[filepath.Dir(path)] = os.DirFS(filepath.Dir(path))
		}
		return nil
	})
	run := func(fsys fs.FS) string {
		e, err := Evaluate(context.Background(), fsys, WithTimeout(5*time.Second))
		if err != nil {
			return "error: " + err.Error()
		}
		return string(renderJSON(t, e)) + dumpSources(e)
	}
	for name, fsys := range models {
		if strings.Contains(name, "timeout") {
			continue // where the time limit stops evaluation varies
		}
		fast := run(fsys)
		fastParsing = false
		slow := run(fsys)
		fastParsing = true
		if fast != slow {
			t.Errorf("%s: the fast parser changes the result:\n%s", name, firstDiff([]byte(slow), []byte(fast)))
		}
	}
}

// dumpSources lists every Source in a model, with the position of every
// argument any builtin takes.
func dumpSources(e *ecosystem.Ecosystem) string {
	var params []string
	for _, b := range Builtins() {
		for _, p := range b.Params {
			params = append(params, p.Name)
		}
	}
	slices.Sort(params)
	params = slices.Compact(params)
	var b strings.Builder
	seen := map[uintptr]bool{}
	var walk func(v reflect.Value)
	walk = func(v reflect.Value) {
		switch v.Kind() {
		case reflect.Pointer:
			if v.IsNil() || seen[v.Pointer()] {
				return
			}
			seen[v.Pointer()] = true
			walk(v.Elem())
		case reflect.Interface:
			if !v.IsNil() {
				walk(v.Elem())
			}
		case reflect.Slice, reflect.Array:
			for i := range v.Len() {
				walk(v.Index(i))
			}
		case reflect.Map:
			iter := v.MapRange()
			for iter.Next() {
				walk(iter.Value())
			}
		case reflect.Struct:
			if src, ok := v.Interface().(ecosystem.Source); ok {
				b.WriteString(src.Pos.String())
				for _, p := range params {
					if pos, ok := src.Args.Lookup(p); ok {
						b.WriteString(" " + p + "@" + pos.String())
					}
				}
				b.WriteString("\n")
				return
			}
			for i := range v.NumField() {
				if v.Type().Field(i).IsExported() {
					walk(v.Field(i))
				}
			}
		}
	}
	walk(reflect.ValueOf(e))
	return b.String()
}
