package starlark

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	sl "go.starlark.net/starlark"

	"github.com/datasurface/datasurface-go/ecosystem"
)

// TestSandboxNoEscape checks that a model cannot load a file outside its
// root even when the underlying file system has one there.
func TestSandboxNoEscape(t *testing.T) {
	outer := fstest.MapFS{
		"secret.star":      {Data: []byte("secret = \"hunter2\"\n")},
		"model/eco.star":   {Data: []byte("load(\"../secret.star\", \"secret\")\n" + minimalEco)},
		"model/other.star": {Data: []byte("x = 1\n")},
	}
	model, err := fs.Sub(outer, "model")
	if err != nil {
		t.Fatal(err)
	}
	d := diagnostics(t, model)
	if len(d) != 1 || d[0].Rule != RuleLoadOutsideRoot {
		t.Fatalf("got %v, want one %s", d, RuleLoadOutsideRoot)
	}
}

// TestSandboxNoAmbientAuthority checks that no clock, environment, file,
// network or module-loading builtin is reachable from model code.
func TestSandboxNoAmbientAuthority(t *testing.T) {
	for _, name := range []string{"time", "now", "getenv", "environ", "os", "open", "exec", "http", "socket", "json", "math", "struct", "module", "input", "eval", "exit", "sleep", "random"} {
		if predeclared().Has(name) || sl.Universe.Has(name) {
			t.Errorf("%s is defined in model code", name)
		}
		fsys := fstest.MapFS{"eco.star": {Data: []byte("x = " + name + "\n" + minimalEco)}}
		d := diagnostics(t, fsys)
		if len(d) != 1 || d[0].Rule != RuleUnknownName {
			t.Errorf("using %s: got %v, want %s", name, d, RuleUnknownName)
		}
	}
}

// TestPrint checks that print goes to WithPrint with positions, in the
// order a sequential evaluation prints, and nowhere without it.
func TestPrint(t *testing.T) {
	fsys := fstest.MapFS{
		"eco.star": {Data: []byte("load(\"a.star\", \"a\")\nload(\"b.star\", \"b\")\nprint(\"eco\")\n" + minimalEco)},
		"a.star":   {Data: []byte("a = 1\nprint(\"a\", a)\n")},
		"b.star":   {Data: []byte("b = 2\n\nprint(\"b\")\n")},
	}
	var got []string
	mustEvaluate(t, fsys, WithPrint(func(pos ecosystem.Pos, msg string) { got = append(got, pos.String()+" "+msg) }))
	want := []string{"a.star:2:1 a 1", "b.star:3:1 b", "eco.star:3:1 eco"}
	if !slices.Equal(got, want) {
		t.Errorf("printed %q, want %q", got, want)
	}

	// Without WithPrint nothing reaches stdout or stderr.
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, stderr := os.Stdout, os.Stderr
	os.Stdout, os.Stderr = w, w
	mustEvaluate(t, fsys)
	os.Stdout, os.Stderr = stdout, stderr
	w.Close()
	out, _ := readAll(r)
	if len(out) != 0 {
		t.Errorf("print wrote %q to stdout/stderr", out)
	}
}

func readAll(r *os.File) ([]byte, error) {
	defer r.Close()
	var out []byte
	buf := make([]byte, 4096)
	for {
		n, err := r.Read(buf)
		out = append(out, buf[:n]...)
		if err != nil {
			return out, nil
		}
	}
}

// TestAttributes reads objects' fields from model code.
func TestAttributes(t *testing.T) {
	src := `
c = column("id", "varchar(20)", key = True, classification = ["pc1", "pc2"], tags = {"b": "2", "a": "1"})
d = dataset("orders", columns = [c, column("total", "decimal(12,2)")])
s = datastore("Orders", datasets = [d], capture = sql_snapshot(source = postgres("db", port = 5432), trigger = cron("* * * * *")))
w = workspace("W", priority = "high")
checks = [
    (c.name, "id"),
    (c.type, "varchar(20)"),
    (c.key, True),
    (c.nullable, False),
    (c.classification, ("pc1", "pc2")),
    (c.tags, {"a": "1", "b": "2"}),
    (c.doc, ""),
    (type(c), "column"),
    ([x.name for x in d.columns], ["id", "total"]),
    (s.datasets[0].columns[1].type, "decimal(12,2)"),
    (s.capture.source.port, 5432),
    (type(s.capture.source), "postgres"),
    (type(s.capture), "sql_snapshot"),
    (s.capture.trigger.schedule, "* * * * *"),
    (s.deprecation, None),
    (w.priority, "high"),
    (hasattr(c, "nullable"), True),
    (hasattr(c, "bogus"), False),
    ("nullable" in dir(c), True),
    (c == c, True),
    (c == column("id", "varchar(20)"), False),
]
for got, want in checks:
    if got != want:
        fail("got %r, want %r" % (got, want))
` + minimalEco
	mustEvaluate(t, fstest.MapFS{"eco.star": {Data: []byte(src)}})

	d := diagnostics(t, fstest.MapFS{"eco.star": {Data: []byte("c = column(\"id\", \"integer\")\nx = c.nulable\n")}})
	if len(d) != 1 || d[0].Rule != RuleError || !strings.Contains(d[0].Message, "nullable") {
		t.Errorf("got %v, want an EVAL_ERROR suggesting nullable", d)
	}
	d = diagnostics(t, fstest.MapFS{"eco.star": {Data: []byte("c = column(\"id\", \"integer\")\nx = {c: 1}\n")}})
	if len(d) != 1 || !strings.Contains(d[0].Message, "unhashable") {
		t.Errorf("got %v, want an unhashable error", d)
	}
}

// TestEveryParameterIsAnAttribute checks that each parameter of each
// builtin reads back as an attribute of the object it builds.
func TestEveryParameterIsAnAttribute(t *testing.T) {
	for _, s := range registry() {
		v := wrapSample(t, s)
		if v == nil {
			continue
		}
		names := v.AttrNames()
		for _, p := range s.params {
			if !slices.Contains(names, p.Name) {
				t.Errorf("%s: parameter %s is not an attribute (attributes: %v)", s.name, p.Name, names)
			}
		}
	}
}

// wrapSample builds an object of the builtin by evaluating its example.
func wrapSample(t *testing.T, s *builtinSpec) sl.HasAttrs {
	t.Helper()
	thread := &sl.Thread{Name: "sample"}
	v, err := sl.EvalOptions(fileOptions, thread, "example.star", s.example, predeclared())
	if err != nil {
		t.Errorf("%s: example %s: %v", s.name, s.example, err)
		return nil
	}
	h, ok := v.(sl.HasAttrs)
	if !ok {
		t.Errorf("%s: example gives %s, which has no attributes", s.name, v.Type())
		return nil
	}
	return h
}

// TestBuiltinRegistry checks the documentation of every builtin: each has
// a doc, documented parameters, and an example that runs and builds a value
// of the builtin's type.
func TestBuiltinRegistry(t *testing.T) {
	docs := Builtins()
	if len(docs) < 40 {
		t.Fatalf("only %d builtins", len(docs))
	}
	seen := map[string]bool{}
	for _, b := range docs {
		if seen[b.Name] {
			t.Errorf("%s registered twice", b.Name)
		}
		seen[b.Name] = true
		if b.Doc == "" || b.Example == "" || !slices.Contains(categoryOrder, b.Category) {
			t.Errorf("%s: missing doc, example or category", b.Name)
		}
		if b.Positional > len(b.Params) {
			t.Errorf("%s: %d positional parameters of %d", b.Name, b.Positional, len(b.Params))
		}
		for _, p := range b.Params {
			if p.Doc == "" || p.Type == "" || p.Required == (p.Default != "") {
				t.Errorf("%s: parameter %s is not fully documented (required=%v, default=%q)", b.Name, p.Name, p.Required, p.Default)
			}
		}
		thread := &sl.Thread{Name: "example"}
		v, err := sl.EvalOptions(fileOptions, thread, "example.star", b.Example, predeclared())
		if err != nil {
			t.Errorf("%s: example %s: %v", b.Name, b.Example, err)
			continue
		}
		if v.Type() != b.Name {
			t.Errorf("%s: example builds a %s", b.Name, v.Type())
		}
	}
	for _, name := range []string{"ecosystem", "repo", "vendor", "location", "platform", "assignment", "zone", "team",
		"vendor_policy", "cloud_policy", "location_policy", "platform_policy", "classification_policy", "storage_policy",
		"datastore", "deprecated", "sql_snapshot", "sql_watermark", "cdc", "streaming", "transformer_output",
		"postgres", "mysql", "sqlite", "database", "kafka", "platform_managed", "cron", "external", "credential",
		"dataset", "column", "workspace", "dataset_group", "sink", "requirements", "transformer", "git_code", "sql_code",
		"go_code", "waiver"} {
		if !seen[name] {
			t.Errorf("builtin %s is missing", name)
		}
	}
}

// TestDefaults checks defaults the model depends on.
func TestDefaults(t *testing.T) {
	src := `
load("//lib.star", "objs")
` + minimalEco
	lib := `
objs = [
    column("id", "integer", key = True),
    column("v", "integer"),
    column("w", "integer", key = True, nullable = True),
    repo("github.com/x/y"),
    sql_snapshot(source = postgres("p")),
    cdc(source = postgres("p")),
    credential("c"),
    requirements(),
    workspace("W"),
    datastore("S"),
    datastore("T", approved_workspaces = []),
]
`
	e := mustEvaluate(t, fstest.MapFS{"eco.star": {Data: []byte(src)}, "lib.star": {Data: []byte(lib)}})
	if e.Compatibility != ecosystem.Full || e.Repo.Branch != "main" {
		t.Errorf("ecosystem defaults: compatibility %q, branch %q", e.Compatibility, e.Repo.Branch)
	}
	// Read the objects back through a second evaluation's thread state.
	thread := &sl.Thread{Name: "t"}
	globals, err := sl.ExecFileOptions(fileOptions, thread, "lib.star", lib, predeclared())
	if err != nil {
		t.Fatal(err)
	}
	objs := globals["objs"].(*sl.List)
	col := func(i int) *ecosystem.Column { return objs.Index(i).(*object[ecosystem.Column]).val }
	if c := col(0); c.Nullable {
		t.Error("a key column is nullable by default")
	}
	if c := col(1); !c.Nullable {
		t.Error("a non-key column is not nullable by default")
	}
	if c := col(2); !c.Nullable {
		t.Error("an explicit nullable = True was ignored")
	}
	if r := objs.Index(3).(*object[ecosystem.Repo]).val; r.Branch != ecosystem.DefaultBranch {
		t.Errorf("repo branch defaults to %q", r.Branch)
	}
	if c := objs.Index(4).(*object[ecosystem.Capture]).val; c.Ingestion != ecosystem.IngestStore {
		t.Errorf("sql_snapshot ingestion defaults to %q, want store", c.Ingestion)
	}
	if c := objs.Index(5).(*object[ecosystem.Capture]).val; c.Ingestion != ecosystem.IngestDataset {
		t.Errorf("cdc ingestion defaults to %q, want dataset", c.Ingestion)
	}
	if c := objs.Index(6).(*object[ecosystem.Credential]).val; c.Kind != "user_password" {
		t.Errorf("credential kind defaults to %q", c.Kind)
	}
	if r := objs.Index(7).(*object[ecosystem.Requirements]).val; r.Milestoning != ecosystem.Live || r.Latency != 0 {
		t.Errorf("requirements default to %q/%v", r.Milestoning, r.Latency)
	}
	if w := objs.Index(8).(*object[ecosystem.Workspace]).val; w.Priority != ecosystem.PriorityNormal {
		t.Errorf("workspace priority defaults to %v", w.Priority)
	}
	if s := objs.Index(9).(*object[ecosystem.Datastore]).val; s.ApprovedWorkspaces != nil {
		t.Error("a store without approved_workspaces requires approval")
	}
	if s := objs.Index(10).(*object[ecosystem.Datastore]).val; s.ApprovedWorkspaces == nil {
		t.Error("approved_workspaces = [] does not require approval")
	}
}

// TestLoadChain checks that an error in a file reached through loads lists
// the chain of loads, and that an error in a helper lists the call stack.
func TestLoadChain(t *testing.T) {
	fsys := fstest.MapFS{
		"eco.star":           {Data: []byte("load(\"//zones/usa.star\", \"usa\")\n" + minimalEco)},
		"zones/usa.star":     {Data: []byte("load(\"//teams/sales.star\", \"sales\")\nusa = 1\n")},
		"teams/sales.star":   {Data: []byte("load(\"helpers.star\", \"col\")\n\nsales = [col(\"id\")]\n")},
		"teams/helpers.star": {Data: []byte("def col(name):\n    return column(name, \"integer\", key = \"yes\")\n")},
	}
	d := diagnostics(t, fsys)
	if len(d) != 1 {
		t.Fatalf("got %v, want one diagnostic", d)
	}
	got := d[0]
	if got.Rule != RuleArgumentType || got.Pos.String() != "teams/helpers.star:2:42" {
		t.Errorf("got %s, want EVAL_ARGUMENT_TYPE at teams/helpers.star:2:42", got.Error())
	}
	var related []string
	for _, r := range got.Related {
		related = append(related, r.Pos.String()+" "+r.Message)
	}
	want := []string{
		"teams/helpers.star:2:12 in col",
		"teams/sales.star:3:10 in <toplevel>",
		"zones/usa.star:1:6 loads teams/sales.star",
		"eco.star:1:6 loads zones/usa.star",
	}
	if !slices.Equal(related, want) {
		t.Errorf("related:\n  got  %q\n  want %q", related, want)
	}
}

func TestEntry(t *testing.T) {
	fsys := fstest.MapFS{
		"models/acme/main.star": {Data: []byte("load(\"lib.star\", \"n\")\n" + strings.Replace(minimalEco, `"E"`, "n", 1))},
		"models/acme/lib.star":  {Data: []byte("n = \"Acme\"\n")},
	}
	e := mustEvaluate(t, fsys, WithEntry("models/acme/main.star"))
	if e.Name != "Acme" || e.Pos.File != "models/acme/main.star" {
		t.Errorf("got %q at %s", e.Name, e.Pos)
	}
	d := diagnostics(t, fsys)
	if len(d) != 1 || d[0].Rule != RuleLoadNotFound || !strings.Contains(d[0].Message, "eco.star") {
		t.Errorf("missing entry: got %v", d)
	}
	if _, err := Evaluate(context.Background(), fsys, WithEntry("../x.star")); err == nil || errors.As(err, new(ecosystem.DiagnosticsError)) {
		t.Errorf("a bad entry path gave %v, want a usage error", err)
	}
}

// failingFS fails every read with a permission error.
type failingFS struct{}

func (failingFS) Open(name string) (fs.File, error) {
	return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrPermission}
}

func TestIOErrorIsNotADiagnostic(t *testing.T) {
	_, err := Evaluate(context.Background(), failingFS{})
	if err == nil || !errors.Is(err, fs.ErrPermission) || errors.As(err, new(ecosystem.DiagnosticsError)) {
		t.Errorf("got %v, want a plain error wrapping fs.ErrPermission", err)
	}
}

func TestCancel(t *testing.T) {
	fsys := fstest.MapFS{"eco.star": {Data: []byte("def spin():\n    return [0 for i in range(100000) for j in range(100000) if j < 0]\nspin()\n")}}
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(20*time.Millisecond, cancel)
	_, err := Evaluate(ctx, fsys)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("got %v, want context.Canceled", err)
	}
}

func TestRules(t *testing.T) {
	rs := Rules()
	if !slices.IsSortedFunc(rs, func(a, b ecosystem.Rule) int { return strings.Compare(a.ID, b.ID) }) {
		t.Error("Rules() is not sorted")
	}
	for _, r := range rs {
		if r.Purpose == "" || r.Hint == "" || r.Severity != ecosystem.Error {
			t.Errorf("%s: incomplete rule %+v", r.ID, r)
		}
		if strings.ToUpper(r.ID) != r.ID || !(strings.HasPrefix(r.ID, "EVAL_") || strings.HasPrefix(r.ID, "LOAD_")) {
			t.Errorf("%s: not an EVAL_/LOAD_ SCREAMING_SNAKE ID", r.ID)
		}
	}
}

// TestStepLimitIsPerFile checks that the step limit bounds each file's
// execution, not the sum over files: two files that each use more than
// half of the limit pass, one file that uses more than the whole fails.
func TestStepLimitIsPerFile(t *testing.T) {
	loop := func(n int) []byte {
		return []byte("def spin():\n    s = 0\n    for i in range(" + itoa(n) + "):\n        s += i\n    return s\nx = spin()\n")
	}
	fsys := fstest.MapFS{
		"eco.star": {Data: []byte("load(\"a.star\", a = \"x\")\nload(\"b.star\", b = \"x\")\n" + minimalEco)},
		"a.star":   {Data: loop(1000)},
		"b.star":   {Data: loop(1000)},
	}
	cache := NewCache()
	mustEvaluate(t, fsys, WithCache(cache))
	var steps uint64
	for _, r := range cache.modules {
		if r.steps > steps {
			steps = r.steps
		}
	}
	limit := steps * 3 / 2 // above one file, below two
	mustEvaluate(t, fsys, WithMaxSteps(limit))
	fsys["b.star"] = &fstest.MapFile{Data: loop(2000)}
	d := diagnostics(t, fsys, WithMaxSteps(limit))
	if len(d) != 1 || d[0].Rule != RuleStepLimit || d[0].Pos.File != "b.star" {
		t.Errorf("got %v, want one %s in b.star", d, RuleStepLimit)
	}
}
