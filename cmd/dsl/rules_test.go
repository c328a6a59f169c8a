package main

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/datasurface/datasurface-go/ecosystem"
	"github.com/datasurface/datasurface-go/ecosystem/lint"
	"github.com/datasurface/datasurface-go/ecosystem/report"
	"github.com/datasurface/datasurface-go/governance"
	"github.com/datasurface/datasurface-go/graph"
	"github.com/datasurface/datasurface-go/platforms"
	"github.com/datasurface/datasurface-go/starlark"
)

// TestOneRuleRegistry: every rule any package can report is in the one
// registry dsl reports from, under one category vocabulary, and SARIF tags
// come from that vocabulary only.
func TestOneRuleRegistry(t *testing.T) {
	for name, rules := range map[string][]ecosystem.Rule{
		"starlark": starlark.Rules(), "lint": lint.Rules(), "governance": governance.Rules(),
		"graph": graph.Rules(), "platforms": platforms.Rules(),
	} {
		for _, r := range rules {
			got, ok := ecosystem.LookupRule(r.ID)
			if !ok {
				t.Errorf("%s rule %s is not registered", name, r.ID)
				continue
			}
			if got.Purpose != r.Purpose || got.Severity != r.Severity {
				t.Errorf("%s rule %s differs from its registration", name, r.ID)
			}
		}
	}
	all := ecosystem.AllRules()
	if len(all) < 90 {
		t.Fatalf("only %d rules registered", len(all))
	}
	var buf bytes.Buffer
	if err := report.Write(&buf, report.SARIF, &report.Report{Rules: all}); err != nil {
		t.Fatal(err)
	}
	var sarif struct {
		Runs []struct {
			Tool struct {
				Driver struct {
					Rules []struct {
						ID         string `json:"id"`
						Properties struct {
							Tags []string `json:"tags"`
						} `json:"properties"`
					} `json:"rules"`
				} `json:"driver"`
			} `json:"tool"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(buf.Bytes(), &sarif); err != nil {
		t.Fatal(err)
	}
	for _, r := range sarif.Runs[0].Tool.Driver.Rules {
		if len(r.Properties.Tags) == 0 {
			t.Errorf("SARIF rule %s has no tags", r.ID)
		}
		for _, tag := range r.Properties.Tags {
			if !ecosystem.IsCategory(tag) {
				t.Errorf("SARIF rule %s has tag %q, outside the category vocabulary", r.ID, tag)
			}
		}
	}
}
