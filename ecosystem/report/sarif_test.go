package report

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/datasurface/datasurface-go/ecosystem"
)

// sarifSchema compiles the official SARIF 2.1.0 schema shipped in testdata,
// with format assertions on so that URIs and the like are checked too.
func sarifSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "sarif-schema-2.1.0.json"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource("sarif-schema-2.1.0.json", doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile("sarif-schema-2.1.0.json")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func validateSARIF(t *testing.T, s *jsonschema.Schema, data []byte) error {
	t.Helper()
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("SARIF output is not JSON: %v", err)
	}
	return s.Validate(inst)
}

func TestSARIFValidatesAgainstSchema(t *testing.T) {
	s := sarifSchema(t)
	for _, gc := range goldenCases {
		if err := validateSARIF(t, s, render(t, SARIF, gc.report())); err != nil {
			t.Errorf("%s report: SARIF output is not valid SARIF 2.1.0: %v", gc.name, err)
		}
	}
}

// TestSARIFSchemaRejectsInvalid makes sure the validation above can fail: a
// result with a level SARIF does not define must be refused.
func TestSARIFSchemaRejectsInvalid(t *testing.T) {
	s := sarifSchema(t)
	out := render(t, SARIF, fixtureReport())
	bad := bytes.Replace(out, []byte(`"level": "warning"`), []byte(`"level": "fatal"`), 1)
	if bytes.Equal(bad, out) {
		t.Fatal("the fixture has no warning result to corrupt")
	}
	if err := validateSARIF(t, s, bad); err == nil {
		t.Error("a result with level \"fatal\" passed schema validation")
	}
}

// The parts of a SARIF log this test reads back.
type sarifBack struct {
	Version string `json:"version"`
	Runs    []struct {
		Tool struct {
			Driver struct {
				Name  string `json:"name"`
				Rules []struct {
					ID                   string `json:"id"`
					ShortDescription     *struct{ Text string }
					Help                 *struct{ Text string }
					DefaultConfiguration *struct{ Level string }
					Properties           *struct{ Tags []string }
				} `json:"rules"`
			} `json:"driver"`
		} `json:"tool"`
		Results []struct {
			RuleID    string `json:"ruleId"`
			RuleIndex int    `json:"ruleIndex"`
			Level     string `json:"level"`
			Message   struct{ Text string }
			Locations []struct {
				PhysicalLocation *struct {
					ArtifactLocation struct{ URI string }
					Region           struct{ StartLine, StartColumn int }
				}
				LogicalLocations []struct{ FullyQualifiedName string }
			}
			RelatedLocations []struct {
				ID               int
				PhysicalLocation *struct{ ArtifactLocation struct{ URI string } }
				Message          struct{ Text string }
			}
			Suppressions []struct {
				Kind, Status, Justification string
			}
			PartialFingerprints map[string]string
		} `json:"results"`
	} `json:"runs"`
}

func TestSARIFContent(t *testing.T) {
	var log sarifBack
	if err := json.Unmarshal(render(t, SARIF, fixtureReport()), &log); err != nil {
		t.Fatal(err)
	}
	if log.Version != "2.1.0" || len(log.Runs) != 1 {
		t.Fatalf("version %q with %d runs, want 2.1.0 with one run", log.Version, len(log.Runs))
	}
	run := log.Runs[0]

	// One descriptor per rule ID, sorted, including rules without findings
	// and rules only the findings name.
	var ids []string
	for _, r := range run.Tool.Driver.Rules {
		ids = append(ids, r.ID)
	}
	wantIDs := "AUTH_UNOWNED KEY_NULLABLE MODEL_EMPTY NAME_INVALID USES_DEPRECATED VENDOR_UNDOCUMENTED"
	if got := strings.Join(ids, " "); got != wantIDs {
		t.Errorf("driver rules = %s, want %s", got, wantIDs)
	}
	for _, r := range run.Tool.Driver.Rules {
		if r.ID != "KEY_NULLABLE" {
			continue
		}
		if r.ShortDescription == nil || r.ShortDescription.Text != "Key columns are not nullable." ||
			r.Help == nil || r.Help.Text != "remove nullable = True from key columns" ||
			r.DefaultConfiguration == nil || r.DefaultConfiguration.Level != "error" ||
			r.Properties == nil || strings.Join(r.Properties.Tags, ",") != "lint,schema" {
			t.Errorf("KEY_NULLABLE descriptor does not carry the rule's metadata: %+v", r)
		}
	}

	wantLevel := map[string]string{"AUTH_UNOWNED": "error", "KEY_NULLABLE": "error", "MODEL_EMPTY": "warning", "USES_DEPRECATED": "note", "VENDOR_UNDOCUMENTED": "warning"}
	var waived, positionless int
	fingerprints := map[string]bool{}
	for _, res := range run.Results {
		if desc := run.Tool.Driver.Rules[res.RuleIndex]; desc.ID != res.RuleID {
			t.Errorf("result %s points at rule %d, which is %s", res.RuleID, res.RuleIndex, desc.ID)
		}
		if res.Level != wantLevel[res.RuleID] {
			t.Errorf("result %s has level %q, want %q", res.RuleID, res.Level, wantLevel[res.RuleID])
		}
		fp := res.PartialFingerprints[FingerprintKey]
		if fp == "" || fingerprints[fp] {
			t.Errorf("result %s has a missing or repeated fingerprint %q", res.RuleID, fp)
		}
		fingerprints[fp] = true
		if len(res.Suppressions) > 0 {
			waived++
			s := res.Suppressions[0]
			if s.Kind != "inSource" || s.Status != "accepted" || s.Justification != "legacy | 50%" {
				t.Errorf("suppression = %+v, want inSource, accepted, the waiver's reason", s)
			}
		}
		if len(res.Locations) == 0 || res.Locations[0].PhysicalLocation == nil {
			positionless++
		}
		switch res.RuleID {
		case "USES_DEPRECATED":
			loc := res.Locations[0]
			if loc.PhysicalLocation.ArtifactLocation.URI != "models/teams/my%20team.star" ||
				loc.PhysicalLocation.Region.StartLine != 1 || loc.PhysicalLocation.Region.StartColumn != 66 {
				t.Errorf("USES_DEPRECATED location = %+v", loc.PhysicalLocation)
			}
			if len(loc.LogicalLocations) != 1 || loc.LogicalLocations[0].FullyQualifiedName != "USA/Sales/Churn/live" {
				t.Errorf("USES_DEPRECATED logical locations = %+v, want the model path", loc.LogicalLocations)
			}
		case "AUTH_UNOWNED":
			if len(res.Locations) != 1 || len(res.Locations[0].LogicalLocations) != 1 || res.Locations[0].LogicalLocations[0].FullyQualifiedName != "USA/Marketing" {
				t.Errorf("a finding without a position keeps its model path: %+v", res.Locations)
			}
			if !strings.HasSuffix(res.Message.Text, "\nhint: make this change from github.com/acme/marketing@main") {
				t.Errorf("message %q does not end with the hint", res.Message.Text)
			}
		case "MODEL_EMPTY":
			if len(res.Locations) != 0 {
				t.Errorf("a finding with neither position nor path has locations %+v", res.Locations)
			}
		case "KEY_NULLABLE":
			if len(res.Suppressions) == 0 && (len(res.RelatedLocations) != 1 ||
				res.RelatedLocations[0].PhysicalLocation.ArtifactLocation.URI != "models/teams/sales.star" ||
				res.RelatedLocations[0].Message.Text != `in datastore "Customers"`) {
				t.Errorf("related locations = %+v", res.RelatedLocations)
			}
		}
	}
	if waived != 1 || positionless != 2 {
		t.Errorf("%d waived and %d position-less results, want 1 and 2", waived, positionless)
	}
}

func TestSARIFUnknownRuleFirstDescriptionWins(t *testing.T) {
	r := &Report{
		Rules: []ecosystem.Rule{{ID: "A", Purpose: "first"}, {ID: "A", Purpose: "second"}},
		Diagnostics: ecosystem.Diagnostics{
			{Rule: "A", Severity: ecosystem.Error, Message: "x"},
			{Rule: "B", Severity: ecosystem.Info, Message: "y"},
		},
	}
	var log sarifBack
	if err := json.Unmarshal(render(t, SARIF, r), &log); err != nil {
		t.Fatal(err)
	}
	rules := log.Runs[0].Tool.Driver.Rules
	if len(rules) != 2 || rules[0].ID != "A" || rules[0].ShortDescription.Text != "first" || rules[1].ID != "B" || rules[1].ShortDescription != nil {
		t.Errorf("rules = %+v, want A (first description) and a bare B", rules)
	}
	if err := validateSARIF(t, sarifSchema(t), render(t, SARIF, r)); err != nil {
		t.Errorf("bare descriptors are not valid SARIF: %v", err)
	}
}
