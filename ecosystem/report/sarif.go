package report

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/url"

	"github.com/datasurface/datasurface-go/ecosystem"
)

// SARIFSchemaURI is the schema a SARIF report declares: the OASIS SARIF
// 2.1.0 schema (errata 01), the one testdata/sarif-schema-2.1.0.json holds.
const SARIFSchemaURI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

// FingerprintKey is the partialFingerprints key of each result. Code-scanning
// services use it to recognise the same finding across commits even when its
// line moves, so it hashes what identifies a finding (rule, model path,
// message) and not where it is.
const FingerprintKey = "dslFinding/v1"

// The SARIF types cover the subset of SARIF 2.1.0 this package writes, in
// the field order of the specification's examples.

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool              sarifTool        `json:"tool"`
	AutomationDetails *sarifAutomation `json:"automationDetails,omitempty"`
	ColumnKind        string           `json:"columnKind"`
	Results           []sarifResult    `json:"results"`
}

type sarifAutomation struct {
	Description sarifMessage `json:"description"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string                `json:"name"`
	Version        string                `json:"version,omitempty"`
	InformationURI string                `json:"informationUri,omitempty"`
	Rules          []sarifReportingDescr `json:"rules"`
}

type sarifReportingDescr struct {
	ID                   string              `json:"id"`
	ShortDescription     *sarifMessage       `json:"shortDescription,omitempty"`
	Help                 *sarifMessage       `json:"help,omitempty"`
	DefaultConfiguration *sarifConfiguration `json:"defaultConfiguration,omitempty"`
	Properties           *sarifRuleProps     `json:"properties,omitempty"`
}

type sarifConfiguration struct {
	Level string `json:"level"`
}

type sarifRuleProps struct {
	Tags []string `json:"tags"`
}

type sarifMessage struct {
	Text string `json:"text"`
}

type sarifResult struct {
	RuleID              string             `json:"ruleId"`
	RuleIndex           int                `json:"ruleIndex"`
	Level               string             `json:"level"`
	Message             sarifMessage       `json:"message"`
	Locations           []sarifLocation    `json:"locations,omitempty"`
	RelatedLocations    []sarifLocation    `json:"relatedLocations,omitempty"`
	Suppressions        []sarifSuppression `json:"suppressions,omitempty"`
	PartialFingerprints sarifFingerprints  `json:"partialFingerprints"`
}

// sarifFingerprints is the partialFingerprints object; its one key is
// FingerprintKey.
type sarifFingerprints struct {
	Finding string `json:"dslFinding/v1"`
}

type sarifLocation struct {
	ID               *int                   `json:"id,omitempty"`
	PhysicalLocation *sarifPhysicalLocation `json:"physicalLocation,omitempty"`
	LogicalLocations []sarifLogicalLocation `json:"logicalLocations,omitempty"`
	Message          *sarifMessage          `json:"message,omitempty"`
}

type sarifPhysicalLocation struct {
	ArtifactLocation sarifArtifactLocation `json:"artifactLocation"`
	Region           sarifRegion           `json:"region"`
}

type sarifArtifactLocation struct {
	URI string `json:"uri"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn,omitempty"`
}

type sarifLogicalLocation struct {
	FullyQualifiedName string `json:"fullyQualifiedName"`
}

type sarifSuppression struct {
	Kind          string               `json:"kind"`
	Status        string               `json:"status"`
	Justification string               `json:"justification,omitempty"`
	Location      *sarifLocation       `json:"location,omitempty"`
	Properties    *sarifWaiverProperty `json:"properties,omitempty"`
}

type sarifWaiverProperty struct {
	Expires string `json:"expires,omitempty"`
	Path    string `json:"path"`
}

// writeSARIF renders one SARIF 2.1.0 run. Columns are counted in Unicode
// code points, as the evaluator counts them, and the run says so.
func writeSARIF(b *bytes.Buffer, v *view) error {
	run := sarifRun{
		Tool: sarifTool{Driver: sarifDriver{
			Name:           v.toolName(),
			Version:        v.r.Tool.Version,
			InformationURI: v.r.Tool.InformationURI,
			Rules:          make([]sarifReportingDescr, 0, len(v.rules)),
		}},
		ColumnKind: "unicodeCodePoints",
		Results:    make([]sarifResult, 0, len(v.diags)),
	}
	if v.r.Title != "" {
		run.AutomationDetails = &sarifAutomation{Description: sarifMessage{Text: v.r.Title}}
	}
	for _, rule := range v.rules {
		run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, sarifRule(rule))
	}
	for _, d := range v.diags {
		run.Results = append(run.Results, v.sarifResult(d))
	}
	enc := json.NewEncoder(b)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(sarifLog{Schema: SARIFSchemaURI, Version: "2.1.0", Runs: []sarifRun{run}})
}

// sarifRule describes a rule: its purpose as the short description, its
// generic hint as help, its default severity and its categories as tags.
func sarifRule(r ecosystem.Rule) sarifReportingDescr {
	d := sarifReportingDescr{ID: r.ID}
	if r.Purpose != "" {
		d.ShortDescription = &sarifMessage{Text: r.Purpose}
	}
	if r.Hint != "" {
		d.Help = &sarifMessage{Text: r.Hint}
	}
	if level, ok := sarifLevels[r.Severity]; ok {
		d.DefaultConfiguration = &sarifConfiguration{Level: level}
	}
	if len(r.Categories) > 0 {
		d.Properties = &sarifRuleProps{Tags: r.Categories}
	}
	return d
}

// sarifLevels maps severities to SARIF levels; anything else is "none".
var sarifLevels = map[ecosystem.Severity]string{
	ecosystem.Error:   "error",
	ecosystem.Warning: "warning",
	ecosystem.Info:    "note",
}

func (v *view) sarifResult(d ecosystem.Diagnostic) sarifResult {
	text := d.Message
	if d.Hint != "" {
		text += "\nhint: " + d.Hint
	}
	level, ok := sarifLevels[d.Severity]
	if !ok {
		level = "none"
	}
	res := sarifResult{
		RuleID:              d.Rule,
		RuleIndex:           v.ruleIndex[d.Rule],
		Level:               level,
		Message:             sarifMessage{Text: text},
		PartialFingerprints: sarifFingerprints{Finding: fingerprint(d)},
	}
	loc := sarifLocation{PhysicalLocation: v.sarifPhysical(d.Pos)}
	if d.Path != "" {
		loc.LogicalLocations = []sarifLogicalLocation{{FullyQualifiedName: d.Path}}
	}
	if loc.PhysicalLocation != nil || loc.LogicalLocations != nil {
		res.Locations = []sarifLocation{loc}
	}
	for i, rel := range d.Related {
		id := i + 1
		res.RelatedLocations = append(res.RelatedLocations, sarifLocation{
			ID:               &id,
			PhysicalLocation: v.sarifPhysical(rel.Pos),
			Message:          &sarifMessage{Text: rel.Message},
		})
	}
	if w := d.Waived; w != nil {
		s := sarifSuppression{
			Kind:          "inSource",
			Status:        "accepted",
			Justification: w.Reason,
			Properties:    &sarifWaiverProperty{Expires: w.Expires, Path: w.Path},
		}
		if p := v.sarifPhysical(w.Pos); p != nil {
			s.Location = &sarifLocation{PhysicalLocation: p}
		}
		res.Suppressions = []sarifSuppression{s}
	}
	return res
}

// sarifPhysical converts a position, nil when it is not valid. The URI is
// the shown file name escaped as a relative URI reference.
func (v *view) sarifPhysical(p ecosystem.Pos) *sarifPhysicalLocation {
	if !p.IsValid() {
		return nil
	}
	return &sarifPhysicalLocation{
		ArtifactLocation: sarifArtifactLocation{URI: (&url.URL{Path: v.file(p)}).String()},
		Region:           sarifRegion{StartLine: p.Line, StartColumn: p.Col},
	}
}

// fingerprint hashes the rule, model path and message of a finding.
func fingerprint(d ecosystem.Diagnostic) string {
	h := sha256.New()
	for _, part := range []string{d.Rule, d.Path, d.Message} {
		h.Write([]byte(part))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}
