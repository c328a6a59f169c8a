package starlark

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/tools/txtar"

	"github.com/datasurface/datasurface-go/ecosystem"
)

// TestErrors runs the language error cases in testdata/errors. Each archive
// holds model files; a line that must carry an error ends with
//
//	### RULE_ID "message regexp"
//
// or ### RULE_ID@col "message regexp" to pin the column too. Several
// expectations may follow each other on a line. Every diagnostic must be
// expected and every expectation met. The archive comment may set options:
// "max-steps: N", "timeout: 50ms", "entry: path".
func TestErrors(t *testing.T) {
	files, err := filepath.Glob("testdata/errors/*.txtar")
	if err != nil || len(files) == 0 {
		t.Fatalf("no test cases: %v", err)
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txtar"), func(t *testing.T) {
			t.Parallel()
			ar, fsys := readArchive(t, file)
			opts := archiveOptions(t, ar)
			wants := expectations(t, ar)
			if len(wants) == 0 {
				t.Fatal("the case expects no error")
			}
			got := diagnostics(t, fsys, opts...)
			matchDiagnostics(t, got, wants)
		})
	}
}

type expectation struct {
	file string
	line int
	col  int // 0: any column
	rule string
	re   *regexp.Regexp
}

func (e expectation) String() string {
	pos := fmt.Sprintf("%s:%d", e.file, e.line)
	if e.col > 0 {
		pos += ":" + strconv.Itoa(e.col)
	}
	return fmt.Sprintf("%s: %s %q", pos, e.rule, e.re)
}

var expectRE = regexp.MustCompile(`###\s*([A-Z_]+)(?:@(\d+))?\s+("(?:[^"\\]|\\.)*")`)

func expectations(t *testing.T, ar *txtar.Archive) []expectation {
	var out []expectation
	for _, f := range ar.Files {
		for i, line := range strings.Split(string(f.Data), "\n") {
			for _, m := range expectRE.FindAllStringSubmatch(line, -1) {
				// The pattern is a regexp between double quotes, in which \"
				// stands for a quote; other backslashes are the regexp's.
				pattern := strings.ReplaceAll(m[3][1:len(m[3])-1], `\"`, `"`)
				re, err := regexp.Compile(pattern)
				if err != nil {
					t.Fatalf("%s:%d: bad expectation %s: %v", f.Name, i+1, m[0], err)
				}
				col, _ := strconv.Atoi(m[2])
				out = append(out, expectation{file: f.Name, line: i + 1, col: col, rule: m[1], re: re})
			}
		}
	}
	return out
}

func archiveOptions(t *testing.T, ar *txtar.Archive) []Option {
	var opts []Option
	for _, line := range strings.Split(string(ar.Comment), "\n") {
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		v = strings.TrimSpace(v)
		switch strings.TrimSpace(k) {
		case "max-steps":
			n, err := strconv.ParseUint(v, 10, 64)
			if err != nil {
				t.Fatal(err)
			}
			opts = append(opts, WithMaxSteps(n))
		case "timeout":
			d, err := time.ParseDuration(v)
			if err != nil {
				t.Fatal(err)
			}
			opts = append(opts, WithTimeout(d))
		case "entry":
			opts = append(opts, WithEntry(v))
		}
	}
	return opts
}

func matchDiagnostics(t *testing.T, got ecosystem.DiagnosticsError, wants []expectation) {
	t.Helper()
	used := make([]bool, len(got))
	for _, w := range wants {
		found := false
		for i, d := range got {
			if used[i] || d.Rule != w.rule || d.Pos.File != w.file || d.Pos.Line != w.line ||
				(w.col > 0 && d.Pos.Col != w.col) || !w.re.MatchString(d.Message) {
				continue
			}
			used[i], found = true, true
			if d.Hint == "" {
				t.Errorf("%s: no hint", d.Error())
			}
			break
		}
		if !found {
			t.Errorf("missing %s", w)
		}
	}
	for i, d := range got {
		if !used[i] {
			t.Errorf("unexpected %s", d.Error())
		}
	}
	if t.Failed() {
		t.Logf("all diagnostics:\n%s", got.Error())
	}
}
