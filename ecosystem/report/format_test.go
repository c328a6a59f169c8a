package report

import (
	"bytes"
	"errors"
	"flag"
	"strings"
	"testing"
	"testing/fstest"
)

func TestParseFormat(t *testing.T) {
	for _, f := range Formats() {
		for _, spelling := range []string{string(f), strings.ToUpper(string(f)), " " + string(f) + "\n"} {
			got, err := ParseFormat(spelling)
			if err != nil || got != f {
				t.Errorf("ParseFormat(%q) = %q, %v; want %q", spelling, got, err, f)
			}
		}
	}
	_, err := ParseFormat("xml")
	if err == nil {
		t.Fatal(`ParseFormat("xml") succeeded`)
	}
	for _, want := range []string{`"xml"`, "text", "json", "sarif", "github", "junit", "markdown"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %s", err, want)
		}
	}
}

func TestFormatsAreAllRenderable(t *testing.T) {
	seen := map[Format]bool{}
	for _, f := range Formats() {
		if f.String() != string(f) {
			t.Errorf("%q.String() = %q", string(f), f.String())
		}
		if seen[f] {
			t.Errorf("Formats lists %s twice", f)
		}
		seen[f] = true
		if len(render(t, f, cleanReport())) == 0 {
			t.Errorf("format %s rendered nothing for a clean report", f)
		}
	}
	if len(seen) != len(renderers) {
		t.Errorf("Formats lists %d formats, %d have renderers", len(seen), len(renderers))
	}
}

func TestFormatFlag(t *testing.T) {
	fs := flag.NewFlagSet("dsl", flag.ContinueOnError)
	fs.SetOutput(new(bytes.Buffer))
	f := Text
	fs.TextVar(&f, "format", Text, "report format")
	if err := fs.Parse([]string{"--format", "SARIF"}); err != nil || f != SARIF {
		t.Errorf("--format SARIF gave %q, %v; want sarif", f, err)
	}
	if err := fs.Parse([]string{"--format", "yaml"}); err == nil || !strings.Contains(err.Error(), `"yaml"`) {
		t.Errorf("--format yaml gave error %v; want one naming the value", err)
	}
}

func TestWriteErrors(t *testing.T) {
	var b bytes.Buffer
	if err := Write(&b, Format("pdf"), cleanReport()); err == nil || !strings.Contains(err.Error(), `"pdf"`) {
		t.Errorf("Write with format pdf: error %v, want one naming the format", err)
	}
	if err := Write(&b, Format("JSON"), cleanReport()); err != nil || !bytes.HasPrefix(b.Bytes(), []byte("{")) {
		t.Errorf("Write with format JSON in upper case: %v, output %.20q", err, b.String())
	}
	b.Reset()
	if err := Write(&b, Text, nil); err == nil {
		t.Error("Write with a nil report succeeded")
	}
	if b.Len() != 0 {
		t.Errorf("failed writes left output behind: %q", b.String())
	}
	boom := errors.New("disk full")
	if err := Write(failingWriter{boom}, JSON, cleanReport()); !errors.Is(err, boom) {
		t.Errorf("Write to a failing writer returned %v, want %v", err, boom)
	}
}

type failingWriter struct{ err error }

func (w failingWriter) Write([]byte) (int, error) { return 0, w.err }

func TestFromFS(t *testing.T) {
	src := FromFS(fstest.MapFS{"teams/a.star": {Data: []byte("x = 1\n")}})
	for _, name := range []string{"teams/a.star", "//teams/a.star", "/teams/a.star"} {
		data, err := src.ReadSource(name)
		if err != nil || string(data) != "x = 1\n" {
			t.Errorf("ReadSource(%q) = %q, %v", name, data, err)
		}
	}
	if _, err := src.ReadSource("teams/missing.star"); err == nil {
		t.Error("ReadSource of a missing file succeeded")
	}
}
