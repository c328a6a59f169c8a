package report

import (
	"fmt"
	"strings"
	"testing"

	"github.com/datasurface/datasurface-go/ecosystem"
)

// tableRows returns the data rows of the Markdown table whose header starts
// with header, each split into cells on unescaped pipes.
func tableRows(t *testing.T, md, header string) [][]string {
	t.Helper()
	lines := strings.Split(md, "\n")
	for i, l := range lines {
		if !strings.HasPrefix(l, header) {
			continue
		}
		var rows [][]string
		for _, row := range lines[i+2:] {
			if !strings.HasPrefix(row, "|") {
				break
			}
			rows = append(rows, splitCells(row))
		}
		return rows
	}
	t.Fatalf("no table with header %q in:\n%s", header, md)
	return nil
}

// splitCells splits a table row as GitHub does: on pipes not escaped by a
// backslash.
func splitCells(row string) []string {
	var cells []string
	var cur strings.Builder
	for i := 0; i < len(row); i++ {
		switch {
		case row[i] == '\\' && i+1 < len(row):
			cur.WriteByte(row[i])
			cur.WriteByte(row[i+1])
			i++
		case row[i] == '|':
			cells = append(cells, strings.TrimSpace(cur.String()))
			cur.Reset()
		default:
			cur.WriteByte(row[i])
		}
	}
	return cells[1:] // the text before the leading pipe is empty
}

func TestMarkdownFindings(t *testing.T) {
	md := string(render(t, Markdown, fixtureReport()))
	if !strings.HasPrefix(md, "## :x: dsl check failed\n") {
		t.Errorf("heading of a failing report: %q", strings.SplitN(md, "\n", 2)[0])
	}
	if counts := tableRows(t, md, "| errors |"); len(counts) != 1 || strings.Join(counts[0], " ") != "2 2 1 1" {
		t.Errorf("count table = %v, want 2 2 1 1", counts)
	}
	rows := tableRows(t, md, "| severity | rule | path | location | message |")
	if len(rows) != 5 {
		t.Fatalf("%d finding rows, want the 5 unwaived findings", len(rows))
	}
	var severities []string
	for _, r := range rows {
		if len(r) != 5 {
			t.Errorf("row has %d cells, want 5 (an unescaped pipe?): %q", len(r), r)
		}
		severities = append(severities, r[0])
	}
	if got := strings.Join(severities, " "); got != "error error warning warning info" {
		t.Errorf("row severities = %s, want most severe first", got)
	}
	if !strings.Contains(md, `vendor "AWS" has no doc: \<b\>a\|b\</b\> \& 100%, key: value<br>*hint:* add doc = "..."`) {
		t.Error("the vendor message is not escaped as expected")
	}
	if !strings.Contains(md, `sink uses deprecated dataset \*Old\*/\_t\_ see \[docs\]\(https:&#8203;//x\) \@&#8203;octocat \#&#8203;12 \`+"`x\\`") {
		t.Error("Markdown syntax in a message is not escaped")
	}
	if !strings.Contains(md, `team "Marketing" changed by github.com/acme/sales\@&#8203;main,<br>owned by`) {
		t.Error("a line break in a message does not become <br>")
	}
	if !strings.Contains(md, "<details>\n<summary>1 waived finding</summary>") {
		t.Error("no collapsed section for the waived finding")
	}
	waived := tableRows(t, md, "| severity | rule | path | location | waived until |")
	if len(waived) != 1 || len(waived[0]) != 7 || waived[0][4] != "2027-01-31" || waived[0][5] != `legacy \| 50%` {
		t.Errorf("waived rows = %q", waived)
	}
}

func TestMarkdownCapsRows(t *testing.T) {
	r := &Report{Command: "lint"}
	for i := range 7 {
		r.Diagnostics = append(r.Diagnostics, ecosystem.Diagnostic{Rule: "R", Severity: ecosystem.Warning, Path: fmt.Sprintf("Z/T%d", i), Message: "m"})
	}
	md := string(render(t, Markdown, r, MaxRows(3)))
	if rows := tableRows(t, md, "| severity |"); len(rows) != 3 {
		t.Errorf("%d rows with MaxRows(3), want 3", len(rows))
	}
	if !strings.Contains(md, "and 4 more findings, not shown here") {
		t.Errorf("no \"and 4 more\" line:\n%s", md)
	}
	if rows := tableRows(t, string(render(t, Markdown, r, MaxRows(0))), "| severity |"); len(rows) != 7 {
		t.Errorf("%d rows with MaxRows(0), want all 7", len(rows))
	}
	if rows := tableRows(t, string(render(t, Markdown, r)), "| severity |"); len(rows) != 7 {
		t.Errorf("%d rows with the default cap, want all 7", len(rows))
	}
}

func TestMarkdownVerdict(t *testing.T) {
	tests := []struct {
		name   string
		diags  ecosystem.Diagnostics
		failOn ecosystem.Severity
		want   string
	}{
		{"clean", nil, 0, "## :white_check_mark: dsl lint passed\n"},
		{"warning at default threshold", ecosystem.Diagnostics{{Rule: "R", Severity: ecosystem.Warning}}, 0, "## :white_check_mark: dsl lint passed\n"},
		{"warning with fail-on warning", ecosystem.Diagnostics{{Rule: "R", Severity: ecosystem.Warning}}, ecosystem.Warning, "## :x: dsl lint failed\n"},
		{"waived error", ecosystem.Diagnostics{{Rule: "R", Severity: ecosystem.Error, Waived: &ecosystem.WaiverRef{}}}, 0, "## :white_check_mark: dsl lint passed\n"},
	}
	for _, tt := range tests {
		md := string(render(t, Markdown, &Report{Command: "lint", Diagnostics: tt.diags, FailOn: tt.failOn}))
		if !strings.HasPrefix(md, tt.want) {
			t.Errorf("%s: heading %q, want %q", tt.name, strings.SplitN(md, "\n", 2)[0], strings.TrimSpace(tt.want))
		}
	}
	if md := string(render(t, Markdown, cleanReport())); !strings.Contains(md, "No findings.") {
		t.Errorf("clean report does not say it has no findings:\n%s", md)
	}
}
