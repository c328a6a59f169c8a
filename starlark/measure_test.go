package starlark

import (
	"strings"
	"testing"
	"testing/fstest"
	"time"

	sl "go.starlark.net/starlark"
)

// shared builds, in a few hundred slots, two equal but distinct lists and
// two tuples that each reach 100^5 = 10^10 elements: every level is 100
// references to the level below. Traversing one would take hours.
const shared = `def lists():
    a = [0] * 100
    for i in range(4):
        a = [a] * 100
    return a
def tuples():
    t = (0,) * 100
    for i in range(4):
        t = (t,) * 100
    return t
e, e2 = lists(), lists()
t = tuples()
`

// TestSharedValuesAreBounded: an operation that would traverse a value
// reaching far more elements than it holds (its parts shared over and
// over) is refused at once with EVAL_MEMORY_LIMIT at the operation, instead
// of running for hours in one uninterruptible step.
func TestSharedValuesAreBounded(t *testing.T) {
	for _, op := range []string{
		"x = e == e2", "x = e != e2", "x = e < e2", "x = e in [e2]", "x = [e2].index(e)",
		"x = sorted([e, e2])", "x = max([e, e2])", "x = min([1, 2], key = lambda v: e)",
		"x = {t: 1}", "x = {}\nx[t] = 1", "x = {}.get(t)", "x = t in {}",
		"x = set([t])", "x = dict([(t, 1)])", "x = set().union([t])", "s = set()\ns.add(t)",
		"x = str(e)", "x = repr(t)", `x = "%s" % (e,)`, `x = "{}".format(e)`,
		`x = platform("p", kind = "local", options = {"e": e})`,
	} {
		fsys := fstest.MapFS{"eco.star": {Data: []byte(shared + op + "\n" + minimalEco)}}
		start := time.Now()
		d := diagnostics(t, fsys, WithTimeout(10*time.Second), WithMaxMemory(16<<20))
		if time.Since(start) > time.Second {
			t.Errorf("%s: took %v", op, time.Since(start))
		}
		line := strings.Count(shared, "\n") + 1
		if len(d) != 1 || d[0].Rule != RuleMemoryLimit || d[0].Pos.Line < line || !strings.Contains(d[0].Hint, "WithMaxMemory") {
			t.Errorf("%s:\ngot %v\nwant one %s at line %d or after", op, d, RuleMemoryLimit, line)
		}
	}
}

// TestDeepValuesAreRefused: values nested more than MaxValueDepth levels
// are refused when hashed (which recurses, and overflowed the Go stack at
// ten million levels, killing the process) and when a file ends with one
// in a global, at the global's binding.
func TestDeepValuesAreRefused(t *testing.T) {
	deep := "def deep(mk):\n    x = mk(0)\n    for i in range(2000):\n        x = mk(x)\n    return x\n"
	for src, want := range map[string]string{
		"x = {deep(lambda v: (v,)): 1}\n":         "a dict key: the value is nested more than 1000 levels deep",
		"x = set([deep(lambda v: (v,))])\n":       "set(): the value is nested more than 1000 levels deep",
		"x = deep(lambda v: [v])\n":               "global x holds a value nested more than 1000 levels deep",
		"y = 1\nx = deep(lambda v: {\"k\": v})\n": "global x holds a value nested more than 1000 levels deep",
	} {
		fsys := fstest.MapFS{"eco.star": {Data: []byte(deep + src + minimalEco)}}
		d := diagnostics(t, fsys)
		line := strings.Count(deep+src, "\n")
		if len(d) != 1 || d[0].Rule != RuleError || !strings.Contains(d[0].Message, want) || d[0].Pos.Line != line {
			t.Errorf("%s:\ngot %v\nwant one %s at line %d containing %q", src, d, RuleError, line, want)
		}
	}
	// Nesting up to the limit is fine.
	ok := "def deep():\n    x = []\n    for i in range(999):\n        x = [x]\n    return x\nx = deep()\ny = {str(x): {(((1,),),): 1}}\n"
	mustEvaluate(t, fstest.MapFS{"eco.star": {Data: []byte(ok + minimalEco)}})
}

// TestBigIntsAreBounded: multiplying and shifting ints, and int() of a
// string, refuse results past MaxIntBits; repeated squaring used to take a
// single step of minutes.
func TestBigIntsAreBounded(t *testing.T) {
	for src, want := range map[string]string{
		"def f():\n    x = 3\n    for i in range(40):\n        x = x * x\n    return x\nx = f()\n":    "int * int would have about",
		"def f():\n    x = 3\n    for i in range(40):\n        x *= x\n    return x\nx = f()\n":       "int * int would have about",
		"def f():\n    x = 1\n    for i in range(40):\n        x = x << 500\n    return x\nx = f()\n": "int << int would have about",
		"x = int(\"9\" * 100000)\n": "int: the string has 100000 characters",
	} {
		start := time.Now()
		d := diagnostics(t, fstest.MapFS{"eco.star": {Data: []byte(src + minimalEco)}})
		if len(d) != 1 || !strings.Contains(d[0].Message, want) || !strings.Contains(d[0].Message, "MaxIntBits") {
			t.Errorf("%s:\ngot %v\nwant one finding containing %q", src, d, want)
		}
		if time.Since(start) > time.Second {
			t.Errorf("%s: took %v", src, time.Since(start))
		}
	}
	mustEvaluate(t, fstest.MapFS{"eco.star": {Data: []byte("x = (1 << 500) * (1 << 500) * (1 << 500) + int(\"1\" * 2000)\n" + minimalEco)}})
}

// TestTimeoutStopsSorting: sorting checks the time limit between
// comparisons, so the limit stops a sort that would take seconds.
func TestTimeoutStopsSorting(t *testing.T) {
	// Comparing two pairs compares their shared 1,000-element tuple first.
	src := "p = tuple(range(1000))\npairs = [(p, -i) for i in range(40000)]\nx = sorted(pairs)\n"
	start := time.Now()
	d := diagnostics(t, fstest.MapFS{"eco.star": {Data: []byte(src + minimalEco)}}, WithTimeout(300*time.Millisecond))
	if elapsed := time.Since(start); elapsed > 1500*time.Millisecond {
		t.Errorf("the evaluation took %v under a 300ms limit", elapsed)
	}
	if len(d) != 1 || d[0].Rule != RuleTimeout {
		t.Errorf("got %v, want one %s", d, RuleTimeout)
	}
}

// TestArgumentMessagesAreShort: a bad argument is shown cut to a readable
// length, without converting the whole value (which, shared or deep, took
// minutes).
func TestArgumentMessagesAreShort(t *testing.T) {
	for _, src := range []string{
		shared + `x = column("c", e)` + "\n",
		"def deep():\n    x = []\n    for i in range(100000):\n        x = [x]\n    return x\nx = column(\"c\", deep())\n",
		shared + `x = dataset("d", columns = [column("c", "integer")], tags = {"k": e})` + "\n",
	} {
		start := time.Now()
		d := diagnostics(t, fstest.MapFS{"eco.star": {Data: []byte(src + minimalEco)}})
		if time.Since(start) > time.Second {
			t.Errorf("took %v", time.Since(start))
		}
		if len(d) != 1 || d[0].Rule != RuleArgumentType || !strings.Contains(d[0].Message, "[[[[") || len(d[0].Message) > 200 {
			t.Errorf("got %v, want one short %s", d, RuleArgumentType)
		}
	}
}

// TestShortReprMatchesStr: the cut representation is the value's str() up
// to the cut.
func TestShortReprMatchesStr(t *testing.T) {
	src := `x = [1, "a\n\"b", (2,), {"k": None}, set([3]), 1.5, True, b"\x00"]
y = [x, x, x, "` + strings.Repeat("é", 100) + `"]
c = [1]
c.append(c)
`
	e, err := sl.ExecFileOptions(fileOptions, &sl.Thread{}, "x.star", src, predeclared())
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"x", "y", "c"} {
		v := e[name]
		want := v.String()
		if r := []rune(want); len(r) > shortReprRunes {
			want = string(r[:shortReprRunes-3]) + "..."
		}
		if got := shortRepr(v); got != want {
			t.Errorf("shortRepr(%s) = %q, want %q", name, got, want)
		}
	}
}

// TestDeepExpressionsRefused: an expression nested more than MaxExprDepth
// levels (a long chain of operators) is a syntax finding at once; before,
// a 4 MiB chain of a+a+a... overflowed the Go stack in the compiler once
// rewritten, and took seconds and a gigabyte to compile as written.
func TestDeepExpressionsRefused(t *testing.T) {
	chain := func(n int) string { return "a = \"x\"\nx = " + strings.Repeat("a + ", n) + "a\n" }
	d := diagnostics(t, fstest.MapFS{"eco.star": {Data: []byte(chain(MaxExprDepth+1) + minimalEco)}})
	if len(d) != 1 || d[0].Rule != RuleSyntax || d[0].Pos.Line != 2 || !strings.Contains(d[0].Message, "nested more than 10000 levels deep") {
		t.Fatalf("got %v, want one %s at line 2 about the depth", d, RuleSyntax)
	}
	mustEvaluate(t, fstest.MapFS{"eco.star": {Data: []byte(chain(MaxExprDepth/2) + minimalEco)}})
}

// TestLongMessagesAreCut: an error message built from a huge value (fail()
// of a long string, a missing dict key) is cut in the finding instead of
// flooding every report.
func TestLongMessagesAreCut(t *testing.T) {
	for _, src := range []string{
		`fail("x" * 1000000)`,
		`x = {}[("k" * 100000,)]`,
	} {
		d := diagnostics(t, fstest.MapFS{"eco.star": {Data: []byte(src + "\n" + minimalEco)}})
		if len(d) != 1 || len(d[0].Message) > 4200 || !strings.HasSuffix(d[0].Message, "KiB more)") {
			t.Errorf("%s: got a message of %d bytes ending %q, want one cut to about 4 KiB", src, len(d[0].Message), d[0].Message[max(0, len(d[0].Message)-40):])
		}
	}
}
