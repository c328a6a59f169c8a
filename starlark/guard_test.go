package starlark

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

// loop is a file whose function runs body ten million times (two nested
// loops, as range() is bounded) after init, then returns result.
func loop(init, body, result string) string {
	return "def g(*a):\n    return a\ndef f():\n    " + init + "\n    for i in range(10000):\n        for j in range(1000):\n            " +
		body + "\n    return " + result + "\nx = f()"
}

// TestMemoryBudget: every operation that can build a value much larger than
// its inputs is charged before it builds, and so is everything built one
// element at a time in repeated code; an operation that would pass the
// budget fails with EVAL_MEMORY_LIMIT at its position, whatever the step
// limit, long before it could exhaust the machine.
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
		`x = ("{0}" * 1000).format("x" * (1 << 20))`:                                                             "string.format() would build",
		`x = ("%(k)s" * 1000) % {"k": "x" * (1 << 20)}`:                                                          "string % dict would build",
		`j = "".join
x = j(["x" * (1 << 22)] * 5)`: "string.join() would build",
		`j = getattr("", "join")
x = j(["x" * (1 << 22)] * 5)`: "string.join() would build",
	} {
		fsys := fstest.MapFS{"eco.star": {Data: []byte(src + "\n" + minimalEco)}}
		start := time.Now()
		d := diagnostics(t, fsys, WithMaxMemory(16<<20))
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

// TestMemoryBudgetRepeatedCode: what loops, comprehensions and functions
// build one element per step is charged too, so that a runaway loop fails
// with EVAL_MEMORY_LIMIT at the operation instead of exhausting the machine
// before the step or time limit ends it.
func TestMemoryBudgetRepeatedCode(t *testing.T) {
	for src, want := range map[string]string{
		loop("l = []", "l.append(i)", "l"):                                                                                               "list.append() would build 16 bytes",
		loop("l = []", "l.insert(len(l), i)", "l"):                                                                                       "list.insert() would build",
		loop("l = []", "l.append([i])", "l"):                                                                                             "a new list would build",
		loop("l = []", "l.append((i, i))", "l"):                                                                                          "a new tuple would build",
		loop("l = []", `l.append({"k": i})`, "l"):                                                                                        "a new dict would build",
		loop("d = {}", "d[i] = i", "d"):                                                                                                  "a dict entry would build",
		loop("d = {}", "d.setdefault(i, i)", "d"):                                                                                        "dict.setdefault() would build",
		loop("s = set()", "s.add(i)", "s"):                                                                                               "set.add() would build",
		loop("l = []", `l.append(column("c", "integer"))`, "l"):                                                                          "column() would build 256 bytes",
		loop("x = [0] * 10000\n    l = []", "l.append(x[1:])", "l"):                                                                      "a new list would build",
		loop("s = \"ab \" * 10000\n    l = []", "l.append(s.split())", "l"):                                                              "string.split() would build",
		loop("s = \"ab \" * 10000\n    l = []", "l.append(s.upper())", "l"):                                                              "string.upper() would build",
		loop("d = {i: i for i in range(1000)}\n    l = []", "l.append(d.items())", "l"):                                                  "dict.items() would build",
		loop("x = [0] * 10000\n    l = []", "l.append(list(x))", "l"):                                                                    "list() would build",
		loop("x = [0] * 10000\n    l = []", "l.append(tuple(x))", "l"):                                                                   "tuple() would build",
		loop("x = [0] * 10000\n    l = []", "l.append(enumerate(x))", "l"):                                                               "enumerate() would build",
		loop("x = [0] * 10000\n    l = []", "l.append(zip(x, x))", "l"):                                                                  "zip() would build",
		loop("x = [0] * 10000\n    l = []", "l.append(reversed(x))", "l"):                                                                "reversed() would build",
		loop("x = [0] * 10000\n    l = []", "l.append(sorted(x))", "l"):                                                                  "sorted() would build",
		loop("x = {i: i for i in range(1000)}\n    l = []", "l.append(dict(x))", "l"):                                                    "dict() would build",
		loop("x = [0] * 10000\n    l = []", "l.append(set(x))", "l"):                                                                     "set() would build",
		loop("x = [0] * 10000\n    l = []", "l.append(g(*x))", "l"):                                                                      "a new list would build",
		loop("d = {\"k\": [0] * 10000}\n    l = []", "l.append(d[\"k\"] + [])", "l"):                                                     "list + list would build",
		"def f():\n    l = [0] * 1000\n    d = {\"k\": l}\n    for i in range(30):\n        d[\"k\"] += d[\"k\"]\n    return d\nx = f()": "list += list would build",
		"def h():\n    return [[]]\ndef f():\n    big = [0] * 10000\n    for i in range(300):\n        h()[0] += big\nx = f()":           "list += list would build",
		"x = [i for i in range(1000000)]":                                                                                                "a list comprehension would build",
		"x = {i: i for i in range(1000000)}":                                                                                             "a dict entry would build",
		"def f():\n    parts = [\"ab\"] * 1000\n    return [\"\".join(parts) for i in range(10000)]\nx = f()":                            "string.join() would build",
	} {
		fsys := fstest.MapFS{"eco.star": {Data: []byte(src + "\n" + minimalEco)}}
		start := time.Now()
		d := diagnostics(t, fsys, WithMaxMemory(1<<20))
		if len(d) != 1 || d[0].Rule != RuleMemoryLimit || !strings.Contains(d[0].Message, want) || !d[0].Pos.IsValid() {
			t.Errorf("%s:\ngot %v\nwant one %s containing %q", src, d, RuleMemoryLimit, want)
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
    if str(((1,), [(2,)], {(3,): (4,)})) != '((1,), [(2,)], {(3,): (4,)})': fail("str of nested tuples")
    if getattr("x", "nope", 5) != 5: fail("getattr default")
    x = [1]
    x.append(x)
    if str(x) != "[1, [...]]": fail("cycles print as [...]: " + str(x))
    m = {"k": [1]}
    alias = m["k"]
    m["k"] += [2]        # in place through an index: alias sees it
    if alias != [1, 2]: fail("a[b] += on a list is not in place")
    def held(v):
        w = {"j": "a"}
        w["j"] += v      # an assignment nested in another's right side
        return [w["j"]]
    m["k"] += held("b")
    if m["k"] != [1, 2, "ab"]: fail("nested a[b] op= " + str(m))
    t = (1, (2, 3))
    if not (t == (1, (2, 3))) or t != (1, (2, 3)) or not (t < (1, (2, 4))) or [1] > [2]: fail("comparisons")
    if t not in [t] or (2, 3) not in t or {t: 1}[t] != 1 or "k" not in m: fail("membership")
    if sorted([3, 1, 2], reverse = True) != [3, 2, 1] or sorted(["b", "a"], key = lambda v: v) != ["a", "b"]: fail("sorted")
    if min(3, 1, 2) != 1 or max([1, 3], key = lambda v: -v) != 1: fail("min and max")
    if set([1, 2]) | set([3]) != set([1, 2, 3]) or set([1, 2]) - set([1]) != set([2]) or 6 - 1 != 5 or 1 << 3 != 8: fail("set operations")
    if [i * 2 for i in range(3)] != [0, 2, 4] or {i: i for i in range(2)} != {0: 0, 1: 1}: fail("comprehensions")
    if "a b".split() != ["a", "b"] or "ab".upper() != "AB" or {"a": 1}.items() != [("a", 1)]: fail("methods that copy")
    if int("12") != 12 or hash("a") != hash("a") or list(enumerate("ab".elems())) != [(0, "a"), (1, "b")]: fail("builtins")
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

// TestTotalMemoryBudget: files that each stay within their budget but
// together pass the evaluation's total fail with one finding at the entry
// file, the same every time although the files run in parallel; modules
// reused from a cache count as if they had run.
func TestTotalMemoryBudget(t *testing.T) {
	fsys := fstest.MapFS{}
	var eco strings.Builder
	for i := range 8 {
		name := fmt.Sprintf("f%d", i)
		fmt.Fprintf(&eco, "load(\"//%s.star\", %s = \"v\")\n", name, name)
		fsys[name+".star"] = &fstest.MapFile{Data: []byte(`v = "x" * (700 << 10)` + "\n")}
	}
	fsys["eco.star"] = &fstest.MapFile{Data: []byte(eco.String() + minimalEco)}
	for range 5 {
		d := diagnostics(t, fsys, WithMaxMemory(1<<20), WithMaxTotalMemory(4<<20))
		if len(d) != 1 || d[0].Rule != RuleMemoryLimit || d[0].Pos.File != "eco.star" ||
			!strings.Contains(d[0].Message, "total memory budget of 4.0 MiB") || !strings.Contains(d[0].Hint, "WithMaxTotalMemory") {
			t.Fatalf("got %v, want one %s at eco.star about the total budget", d, RuleMemoryLimit)
		}
	}
	cache := NewCache()
	mustEvaluate(t, fsys, WithMaxMemory(1<<20), WithMaxTotalMemory(8<<20), WithCache(cache))
	d := diagnostics(t, fsys, WithMaxMemory(1<<20), WithMaxTotalMemory(4<<20), WithCache(cache))
	if len(d) != 1 || d[0].Rule != RuleMemoryLimit || !strings.Contains(d[0].Message, "total memory budget") {
		t.Fatalf("from the cache: got %v, want one %s about the total budget", d, RuleMemoryLimit)
	}
	if c := newConfig([]Option{WithMaxTotalMemory(-1)}); c.maxTotal != DefaultMaxTotalMemory {
		t.Errorf("WithMaxTotalMemory(-1) gives %d, want the default", c.maxTotal)
	}
}
