package starlark

import (
	"context"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

// TestMemoryBudget: every operation that can build a value much larger than
// its inputs is charged before it builds, and one that would pass the
// budget fails with EVAL_MEMORY_LIMIT at its position, in a few steps and
// without allocating, whatever the step limit.
func TestMemoryBudget(t *testing.T) {
	for src, want := range map[string]string{
		`x = "".join(["x" * (1 << 20)] * 20)`: "string.join() would build 20.0 MiB",
		`x = "x" * 10000000000`:               "string * int would build 9.3 GiB",
		`x = [0] * 10000000000`:               "list * int would build",
		`x = "xx" * (1 << 30)`:                "string * int would build 2.0 GiB",
		"def f():\n    s = \"x\" * (1 << 10)\n    for i in range(20):\n        s = s + s\n    return s\nx = f()": "string + string would build",
		"def f():\n    s = \"x\" * (1 << 10)\n    for i in range(20):\n        s += s\n    return s\nx = f()":    "string += string would build",
		"def f():\n    l = [0] * 1000\n    for i in range(30):\n        l.extend(l)\n    return l\nx = f()":      "list.extend() would build",
		"def f():\n    l = [0] * 1000\n    for i in range(30):\n        l += l\n    return l\nx = f()":           "list += list would build",
		`x = ("x" * (1 << 20)).replace("x", "yyyyyyyy" * 4)`:                                                     "string.replace() would build",
		`x = "%s%s%s%s" % (("x" * (1 << 22),) * 4)`:                                                              "string % tuple would build",
		`j = "".join
x = j(["x" * (1 << 22)] * 5)`: "string.join() would build",
		`j = getattr("", "join")
x = j(["x" * (1 << 22)] * 5)`: "string.join() would build",
	} {
		fsys := fstest.MapFS{"eco.star": {Data: []byte(src + "\n" + minimalEco)}}
		start := time.Now()
		d := diagnostics(t, fsys, WithMaxSteps(1000), WithMaxMemory(16<<20))
		if len(d) != 1 || d[0].Rule != RuleMemoryLimit || !strings.Contains(d[0].Message, want) || !strings.Contains(d[0].Hint, "WithMaxMemory") {
			t.Errorf("%s:\ngot %v\nwant one %s containing %q", src, d, RuleMemoryLimit, want)
		}
		if !d[0].Pos.IsValid() {
			t.Errorf("%s: no position", src)
		}
		if time.Since(start) > 2*time.Second {
			t.Errorf("%s: took %v", src, time.Since(start))
		}
	}
}

// TestGuardsKeepSemantics: the guarded operations do exactly what the
// operators and methods do, in-place updates included.
func TestGuardsKeepSemantics(t *testing.T) {
	src := `
def check():
    a = [1]
    b = a
    a += [2]             # in place: b sees it
    if b != [1, 2]: fail("+= on a list is not in place: %s" % b)
    d = {"k": 1}
    e = d
    d |= {"j": 2}
    if e != {"k": 1, "j": 2}: fail("|= on a dict is not in place")
    s = "ab"
    s += "c"
    if s != "abc": fail("+= on a string")
    n = 3
    n *= 4
    if n != 12: fail("*= on an int")
    if 7 % 3 != 1 or 6 | 3 != 7 or 2 * 3 != 6 or 1 + 2 != 3: fail("arithmetic")
    if "-".join(["a", "b"]) != "a-b" or "aXa".replace("a", "bb") != "bbXbb": fail("methods")
    if "{}+{x}".format(1, x = 2) != "1+2": fail("format")
    if [1] * 3 != [1, 1, 1] or (1,) + (2,) != (1, 2) or "%s-%d" % ("a", 1) != "a-1": fail("sequences")
    l = [3, 1]
    l.extend([2])
    if sorted(l) != [1, 2, 3] or list((1, 2)) != [1, 2] or tuple([1]) != (1,): fail("copies")
    if str([1, "a"]) != '[1, "a"]' or repr("a") != '"a"': fail("str")
    if getattr("x", "nope", 5) != 5: fail("getattr default")
    x = [1]
    x.append(x)
    if str(x) != "[1, [...]]": fail("cycles print as [...]: " + str(x))
    return True
ok = check()
`
	fsys := fstest.MapFS{"eco.star": {Data: []byte(src + minimalEco)}}
	mustEvaluate(t, fsys)
}

// TestDeepValuesAreBounded: converting a value nested hundreds of thousands
// deep to text is refused at once instead of taking minutes, and the
// timeout stops what remains.
func TestDeepValuesAreBounded(t *testing.T) {
	for _, conv := range []string{"str(x)", "repr(x)", `"%s" % (x,)`, `"{}".format(x)`, "print(x)", "fail(x)"} {
		src := "def deep():\n    x = []\n    for i in range(300000):\n        x = [x]\n    return x\nx = deep()\ny = " + conv + "\n"
		fsys := fstest.MapFS{"eco.star": {Data: []byte(src + minimalEco)}}
		start := time.Now()
		d := diagnostics(t, fsys, WithTimeout(5*time.Second))
		if time.Since(start) > 3*time.Second {
			t.Errorf("%s of a deep value took %v", conv, time.Since(start))
		}
		if len(d) != 1 || !strings.Contains(d[0].Message, "nested more than 1000 levels deep") || d[0].Pos.Line != 7 {
			t.Errorf("%s: got %v, want one finding at line 7 about the depth", conv, d)
		}
	}
}

func TestMemoryBudgetIsPerFileAndDefault(t *testing.T) {
	// Two files of 700 KiB each fit a 1 MiB budget: it is per file.
	fsys := fstest.MapFS{"eco.star": {Data: []byte(`load("//a.star", "a")
load("//b.star", "b")
n = len(a) + len(b)
` + minimalEco)},
		"a.star": {Data: []byte(`a = "x" * (700 << 10)` + "\n")},
		"b.star": {Data: []byte(`b = "x" * (700 << 10)` + "\n")},
	}
	if _, err := Evaluate(context.Background(), fsys, WithMaxMemory(1<<20)); err != nil {
		t.Fatal(err)
	}
	if c := newConfig([]Option{WithMaxMemory(0)}); c.maxMemory != DefaultMaxMemory {
		t.Errorf("WithMaxMemory(0) gives %d, want the default", c.maxMemory)
	}
}
