package report

import (
	"fmt"
	"io"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/datasurface/datasurface-go/ecosystem"
)

// benchReport is a large report: n findings spread over 100 files of 1,000
// lines, every fifth one waived, each with a hint and a related position.
func benchReport(n int) *Report {
	src := fstest.MapFS{}
	line := "\t\tcolumn(\"c\", \"varchar(50)\", nullable = True),\n"
	for f := range 100 {
		src[fmt.Sprintf("teams/t%d.star", f)] = &fstest.MapFile{Data: []byte(strings.Repeat(line, 1000))}
	}
	r := &Report{Command: "check", Rules: fixtureRules(), Sources: FromFS(src)}
	for i := range n {
		file := fmt.Sprintf("teams/t%d.star", i%100)
		d := ecosystem.Diagnostic{
			Rule: fixtureRules()[i%5].ID, Severity: ecosystem.Severity(i%3 + 1),
			Path:    fmt.Sprintf("Z0/T%d/S%d/ds%d/c%d", i%100, i%10, i%7, i),
			Pos:     ecosystem.Pos{File: file, Line: i%1000 + 1, Col: 12},
			Message: fmt.Sprintf("column \"c%d\" changed from varchar(50) to varchar(20)", i),
			Hint:    "widen instead of narrowing",
			Related: []ecosystem.Related{{Pos: ecosystem.Pos{File: file, Line: 1, Col: 1}, Message: "dataset declared here"}},
		}
		if i%5 == 0 {
			d.Waived = &ecosystem.WaiverRef{Path: "Z0", Reason: "migration", Expires: "2027-01-31"}
		}
		r.Diagnostics = append(r.Diagnostics, d)
	}
	return r
}

// BenchmarkWrite renders 10,000 findings in each format.
func BenchmarkWrite(b *testing.B) {
	r := benchReport(10_000)
	for _, f := range Formats() {
		b.Run(string(f), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := Write(io.Discard, f, r); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
