package report

import (
	"net/url"
	"strings"
	"testing"
)

func TestGitHubEscaping(t *testing.T) {
	tests := []struct{ in, data, prop string }{
		{"plain", "plain", "plain"},
		{"100%", "100%25", "100%25"},
		{"%0A literal", "%250A literal", "%250A literal"},
		{"a\nb\r\nc", "a%0Ab%0D%0Ac", "a%0Ab%0D%0Ac"},
		{"key: value, more", "key: value, more", "key%3A value%2C more"},
		{"teams/a,b:c.star", "teams/a,b:c.star", "teams/a%2Cb%3Ac.star"},
	}
	for _, tt := range tests {
		if got := escapeGitHubData(tt.in); got != tt.data {
			t.Errorf("escapeGitHubData(%q) = %q, want %q", tt.in, got, tt.data)
		}
		if got := escapeGitHubProperty(tt.in); got != tt.prop {
			t.Errorf("escapeGitHubProperty(%q) = %q, want %q", tt.in, got, tt.prop)
		}
		// The runner decodes percent escapes; decoding must give back the text.
		for _, esc := range []string{escapeGitHubData(tt.in), escapeGitHubProperty(tt.in)} {
			if back, err := url.PathUnescape(esc); err != nil || back != tt.in {
				t.Errorf("%q does not decode back to %q: %q, %v", esc, tt.in, back, err)
			}
		}
	}
}

// githubAnnotation is one parsed workflow command.
type githubAnnotation struct {
	command string
	props   map[string]string
	message string
}

// parseGitHub parses the output as the Actions runner would: a line starting
// with "::" is "::command props::message", props comma-separated key=value.
func parseGitHub(t *testing.T, out string) (annotations []githubAnnotation, plain []string) {
	t.Helper()
	for _, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		rest, ok := strings.CutPrefix(line, "::")
		if !ok {
			plain = append(plain, line)
			continue
		}
		head, msg, ok := strings.Cut(rest, "::")
		if !ok {
			t.Fatalf("workflow command without message separator: %q", line)
		}
		cmd, propText, _ := strings.Cut(head, " ")
		a := githubAnnotation{command: cmd, props: map[string]string{}}
		for _, kv := range strings.Split(propText, ",") {
			k, v, ok := strings.Cut(kv, "=")
			if !ok {
				t.Fatalf("property %q in %q is not key=value", kv, line)
			}
			a.props[k] = unescape(t, v)
		}
		a.message = unescape(t, msg)
		annotations = append(annotations, a)
	}
	return annotations, plain
}

func unescape(t *testing.T, s string) string {
	t.Helper()
	u, err := url.PathUnescape(s)
	if err != nil {
		t.Fatalf("bad escape in %q: %v", s, err)
	}
	return u
}

func TestGitHubAnnotations(t *testing.T) {
	anns, plain := parseGitHub(t, string(render(t, GitHub, fixtureReport())))
	if len(anns) != len(fixtureDiagnostics()) {
		t.Fatalf("%d annotations, want one per finding (%d)", len(anns), len(fixtureDiagnostics()))
	}
	if len(plain) != 1 || plain[0] != "dsl check: 2 errors, 2 warnings, 1 info (1 waived)" {
		t.Errorf("plain lines = %q, want the summary only", plain)
	}
	byTitle := map[string][]githubAnnotation{}
	for _, a := range anns {
		byTitle[a.props["title"]] = append(byTitle[a.props["title"]], a)
	}
	vendor := byTitle["VENDOR_UNDOCUMENTED"][0]
	if vendor.command != "warning" || vendor.props["file"] != "models/eco.star" || vendor.props["line"] != "2" || vendor.props["col"] != "5" {
		t.Errorf("vendor annotation = %+v", vendor)
	}
	if want := "vendor \"AWS\" has no doc: <b>a|b</b> & 100%, key: value\nhint: add doc = \"...\""; vendor.message != want {
		t.Errorf("vendor message decodes to %q, want %q", vendor.message, want)
	}
	var waived, errs int
	for _, a := range byTitle["KEY_NULLABLE"] {
		switch a.command {
		case "notice":
			waived++
			if !strings.HasPrefix(a.message, "(waived until 2027-01-31: legacy | 50%) ") {
				t.Errorf("waived message %q lacks the waiver", a.message)
			}
		case "error":
			errs++
			if !strings.Contains(a.message, "\nnote: models/teams/sales.star:2:16: in datastore \"Customers\"") {
				t.Errorf("error message %q lacks the related position", a.message)
			}
		}
	}
	if waived != 1 || errs != 1 {
		t.Errorf("KEY_NULLABLE: %d notices and %d errors, want 1 and 1", waived, errs)
	}
	if info := byTitle["USES_DEPRECATED"][0]; info.command != "notice" {
		t.Errorf("info finding uses %q, want notice", info.command)
	}
	auth := byTitle["AUTH_UNOWNED"][0]
	if _, hasFile := auth.props["file"]; hasFile || auth.command != "error" ||
		!strings.HasPrefix(auth.message, "USA/Marketing: team \"Marketing\" changed by github.com/acme/sales@main,\nowned by") {
		t.Errorf("position-less annotation = %+v, want a run-level error led by its model path", auth)
	}
}
