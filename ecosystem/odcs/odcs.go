// Package odcs exports a model's datasets as data contracts in the Open Data
// Contract Standard (ODCS) v3.1.0 (https://bitol-io.github.io/open-data-contract-standard/),
// so that catalogues, quality tools and consumers that read ODCS see each
// dataset's schema, keys, classification, owner and service levels as the
// model states them.
//
// Contract returns one contract per dataset and Marshal writes it as YAML,
// the standard's usual form. The output is deterministic: the same model
// always gives the same bytes (no timestamps; every list in model or sorted
// order). docs/EXPORTS.md lists what maps to what, and what does not map.
//
// YAML is written with go.yaml.in/yaml/v3 (the YAML organisation's
// maintained successor of gopkg.in/yaml.v3): it writes struct fields in
// declaration order, so a contract reads apiVersion, kind, id, name first
// as in the standard's examples; sigs.k8s.io/yaml goes through JSON and
// sorts every key alphabetically.
package odcs

import (
	"bytes"
	"cmp"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/datasurface/datasurface-go/ecosystem"
	"github.com/datasurface/datasurface-go/types"
)

// APIVersion is the ODCS version the contracts follow.
const APIVersion = "v3.1.0"

// Document is one ODCS data contract. Only the fields the export fills are
// declared; the field order is the order in which they are written.
type Document struct {
	APIVersion       string           `yaml:"apiVersion" json:"apiVersion"`
	Kind             string           `yaml:"kind" json:"kind"`
	ID               string           `yaml:"id" json:"id"`
	Name             string           `yaml:"name" json:"name"`
	Version          string           `yaml:"version" json:"version"`
	Status           string           `yaml:"status" json:"status"`
	Tenant           string           `yaml:"tenant,omitempty" json:"tenant,omitempty"`
	Domain           string           `yaml:"domain,omitempty" json:"domain,omitempty"`
	Description      *Description     `yaml:"description,omitempty" json:"description,omitempty"`
	Tags             []string         `yaml:"tags,omitempty" json:"tags,omitempty"`
	Team             *Team            `yaml:"team,omitempty" json:"team,omitempty"`
	Servers          []Server         `yaml:"servers,omitempty" json:"servers,omitempty"`
	Schema           []SchemaObject   `yaml:"schema" json:"schema"`
	SLAProperties    []SLAProperty    `yaml:"slaProperties,omitempty" json:"slaProperties,omitempty"`
	CustomProperties []CustomProperty `yaml:"customProperties,omitempty" json:"customProperties,omitempty"`
}

// Description is the contract's high-level description.
type Description struct {
	Purpose     string `yaml:"purpose,omitempty" json:"purpose,omitempty"`
	Usage       string `yaml:"usage,omitempty" json:"usage,omitempty"`
	Limitations string `yaml:"limitations,omitempty" json:"limitations,omitempty"`
}

// Team is the team that owns the dataset.
type Team struct {
	Name        string   `yaml:"name" json:"name"`
	Description string   `yaml:"description,omitempty" json:"description,omitempty"`
	Tags        []string `yaml:"tags,omitempty" json:"tags,omitempty"`
}

// Server is where the dataset's data is captured from. The export always
// uses the "custom" server type: the standard's typed servers require
// fields the model does not hold (a PostgreSQL schema, a file format).
type Server struct {
	Server           string           `yaml:"server" json:"server"`
	Type             string           `yaml:"type" json:"type"`
	Description      string           `yaml:"description,omitempty" json:"description,omitempty"`
	Host             string           `yaml:"host,omitempty" json:"host,omitempty"`
	Port             int              `yaml:"port,omitempty" json:"port,omitempty"`
	Database         string           `yaml:"database,omitempty" json:"database,omitempty"`
	Stream           string           `yaml:"stream,omitempty" json:"stream,omitempty"`
	CustomProperties []CustomProperty `yaml:"customProperties,omitempty" json:"customProperties,omitempty"`
}

// SchemaObject is the dataset as a table.
type SchemaObject struct {
	Name             string           `yaml:"name" json:"name"`
	LogicalType      string           `yaml:"logicalType" json:"logicalType"`
	PhysicalType     string           `yaml:"physicalType" json:"physicalType"`
	Description      string           `yaml:"description,omitempty" json:"description,omitempty"`
	Tags             []string         `yaml:"tags,omitempty" json:"tags,omitempty"`
	Properties       []Property       `yaml:"properties" json:"properties"`
	CustomProperties []CustomProperty `yaml:"customProperties,omitempty" json:"customProperties,omitempty"`
}

// Property is one column, one field of a struct column, or (without a
// name) the items of an array column.
type Property struct {
	Name                 string       `yaml:"name,omitempty" json:"name,omitempty"`
	LogicalType          string       `yaml:"logicalType,omitempty" json:"logicalType,omitempty"`
	LogicalTypeOptions   *TypeOptions `yaml:"logicalTypeOptions,omitempty" json:"logicalTypeOptions,omitempty"`
	PhysicalType         string       `yaml:"physicalType,omitempty" json:"physicalType,omitempty"`
	Description          string       `yaml:"description,omitempty" json:"description,omitempty"`
	PrimaryKey           bool         `yaml:"primaryKey,omitempty" json:"primaryKey,omitempty"`
	PrimaryKeyPosition   int          `yaml:"primaryKeyPosition,omitempty" json:"primaryKeyPosition,omitempty"`
	Required             bool         `yaml:"required,omitempty" json:"required,omitempty"`
	Partitioned          bool         `yaml:"partitioned,omitempty" json:"partitioned,omitempty"`
	PartitionKeyPosition int          `yaml:"partitionKeyPosition,omitempty" json:"partitionKeyPosition,omitempty"`
	Classification       string       `yaml:"classification,omitempty" json:"classification,omitempty"`
	Tags                 []string     `yaml:"tags,omitempty" json:"tags,omitempty"`
	Properties           []Property   `yaml:"properties,omitempty" json:"properties,omitempty"`
	Items                *Property    `yaml:"items,omitempty" json:"items,omitempty"`
}

// TypeOptions are the logicalTypeOptions the export fills; which apply
// depends on the logical type.
type TypeOptions struct {
	MinLength       int    `yaml:"minLength,omitempty" json:"minLength,omitempty"`
	MaxLength       int    `yaml:"maxLength,omitempty" json:"maxLength,omitempty"`
	Format          string `yaml:"format,omitempty" json:"format,omitempty"`
	Timezone        *bool  `yaml:"timezone,omitempty" json:"timezone,omitempty"`
	DefaultTimezone string `yaml:"defaultTimezone,omitempty" json:"defaultTimezone,omitempty"`
	MinItems        int    `yaml:"minItems,omitempty" json:"minItems,omitempty"`
	MaxItems        int    `yaml:"maxItems,omitempty" json:"maxItems,omitempty"`
}

// SLAProperty is one service-level property.
type SLAProperty struct {
	Property    string `yaml:"property" json:"property"`
	Value       any    `yaml:"value" json:"value"`
	Unit        string `yaml:"unit,omitempty" json:"unit,omitempty"`
	Driver      string `yaml:"driver,omitempty" json:"driver,omitempty"`
	Description string `yaml:"description,omitempty" json:"description,omitempty"`
	Scheduler   string `yaml:"scheduler,omitempty" json:"scheduler,omitempty"`
	Schedule    string `yaml:"schedule,omitempty" json:"schedule,omitempty"`
}

// CustomProperty is a key and a value the standard has no field for.
type CustomProperty struct {
	Property string `yaml:"property" json:"property"`
	Value    any    `yaml:"value" json:"value"`
}

// Contracts returns the contract of every dataset of the model, in model
// order (zones, teams, stores and datasets as written).
func Contracts(m *ecosystem.Ecosystem) []*Document {
	var out []*Document
	for _, s := range m.Datastores() {
		for _, d := range s.Store.Datasets {
			out = append(out, Contract(m, ecosystem.DatasetRef{StoreRef: s, Dataset: d}))
		}
	}
	return out
}

// Contract returns the data contract of one dataset (see docs/EXPORTS.md
// for the mapping).
func Contract(m *ecosystem.Ecosystem, r ecosystem.DatasetRef) *Document {
	d, s := r.Dataset, r.Store
	fp := Fingerprint(d)
	doc := &Document{
		APIVersion: APIVersion,
		Kind:       "DataContract",
		ID:         ContractID(m.Name, s.Name, d.Name),
		Name:       s.Name + "." + d.Name,
		Version:    "1.0.0+" + fp[:12],
		Status:     status(r),
		Tenant:     m.Name,
		Domain:     r.Zone.Name,
		Tags:       tags(d.Tags),
	}
	desc := Description{Purpose: d.Doc, Usage: s.Doc}
	switch {
	case d.IsDeprecated():
		desc.Limitations = deprecated("dataset", d.Deprecation)
	case s.IsDeprecated():
		desc.Limitations = deprecated("store", s.Deprecation)
	}
	if desc != (Description{}) {
		doc.Description = &desc
	}
	if r.Team != nil {
		doc.Team = &Team{Name: r.Team.Name, Description: r.Team.Doc, Tags: tags(r.Team.Tags)}
	}
	if s.Capture != nil && s.Capture.From != nil {
		doc.Servers = []Server{server(s.Capture)}
	}
	doc.Schema = []SchemaObject{schemaObject(d)}
	c := consumersOf(m, s.Name, d.Name)
	doc.SLAProperties = slas(r, c)
	doc.CustomProperties = custom(m, r, c, fp)
	return doc
}

// ContractID returns a contract's ID: the name-based UUID (RFC 9562
// version 5) of the ecosystem, store and dataset names, so that a dataset
// keeps its ID across exports and two ecosystems' datasets of the same name
// do not collide.
func ContractID(eco, store, dataset string) string {
	// The namespace is a random UUID fixed once for ODCS contract IDs.
	ns := [16]byte{0x1d, 0x3c, 0x8e, 0x52, 0x6b, 0x0f, 0x4a, 0x91, 0xb7, 0x2d, 0x95, 0x40, 0xe8, 0x13, 0x6c, 0xa4}
	h := sha1.New()
	h.Write(ns[:])
	h.Write([]byte(eco + "\x00" + store + "\x00" + dataset))
	u := h.Sum(nil)[:16]
	u[6] = u[6]&0x0f | 0x50
	u[8] = u[8]&0x3f | 0x80
	x := hex.EncodeToString(u)
	return x[0:8] + "-" + x[8:12] + "-" + x[12:16] + "-" + x[16:20] + "-" + x[20:]
}

// Fingerprint returns the SHA-256, in hex, of the dataset's schema: each
// column's name, canonical type, key and nullability, in order. Any change
// of the schema changes it; documentation and tags do not.
func Fingerprint(d *ecosystem.Dataset) string {
	h := sha256.New()
	for _, c := range d.Columns {
		typ := ""
		if c.Type != nil {
			typ = c.Type.String()
		}
		// Lengths first, so that no two column lists encode alike.
		fmt.Fprintf(h, "%d:%s%d:%s%t%t;", len(c.Name), c.Name, len(typ), typ, c.Key, c.Nullable)
	}
	return hex.EncodeToString(h.Sum(nil))
}

func status(r ecosystem.DatasetRef) string {
	switch {
	case r.Dataset.IsDeprecated() || r.Store.IsDeprecated():
		return "deprecated"
	case r.Store.Production:
		return "active"
	}
	return "draft"
}

func deprecated(what string, d *ecosystem.Deprecation) string {
	s := "The " + what + " is deprecated."
	if d.Reason != "" {
		s += " " + d.Reason
	}
	return s
}

// tags writes a model's tags as "key:value" strings, sorted.
func tags(m map[string]string) []string {
	if len(m) == 0 {
		return nil
	}
	out := make([]string, 0, len(m))
	for k, v := range m {
		out = append(out, k+":"+v)
	}
	slices.Sort(out)
	return out
}

func server(c *ecosystem.Capture) Server {
	f := c.From
	s := Server{Server: f.Name, Type: "custom", Host: f.Host, Port: f.Port, Database: f.Database}
	what := string(f.Kind)
	if f.Engine != "" {
		what = f.Engine + " " + what
		s.CustomProperties = []CustomProperty{{Property: "engine", Value: f.Engine}}
	}
	s.Description = fmt.Sprintf("The %s the dataset is captured from (%s).", what, c.Kind)
	if c.Topic != "" {
		s.Stream = c.Topic
	}
	if len(f.Locations) > 0 {
		s.CustomProperties = append(s.CustomProperties, CustomProperty{Property: "locations", Value: slices.Sorted(slices.Values(f.Locations))})
	}
	return s
}

func schemaObject(d *ecosystem.Dataset) SchemaObject {
	o := SchemaObject{Name: d.Name, LogicalType: "object", PhysicalType: "table", Description: d.Doc, Tags: tags(d.Tags)}
	keyPos, partPos := 0, map[string]int{}
	for i, p := range d.PartitionBy {
		partPos[p] = i + 1
	}
	o.Properties = make([]Property, 0, len(d.Columns))
	for _, c := range d.Columns {
		p := typeProperty(c.Type)
		p.Name, p.Description, p.Tags = c.Name, c.Doc, tags(c.Tags)
		if c.Key {
			keyPos++
			p.PrimaryKey, p.PrimaryKeyPosition = true, keyPos
		}
		p.Required = c.Key || !c.Nullable
		if pos, ok := partPos[c.Name]; ok {
			p.Partitioned, p.PartitionKeyPosition = true, pos
		}
		// A dataset's classification covers each of its columns.
		p.Classification = strings.Join(append(slices.Clone(d.Classifications), c.Classifications...), ", ")
		o.Properties = append(o.Properties, p)
	}
	if d.Compatibility != "" {
		o.CustomProperties = []CustomProperty{{Property: "compatibility", Value: string(d.Compatibility)}}
	}
	return o
}

// typeProperty maps a catalogue type to a property's logical type, its
// options and its physical type (the canonical type string). Types no
// logical type describes (variant, geography) get none: the physical type
// alone says what they are.
func typeProperty(t types.Type) Property {
	if t == nil {
		return Property{}
	}
	p := Property{PhysicalType: t.String()}
	switch t := t.(type) {
	case types.StringType:
		p.LogicalType = "string"
		if t.Bounded() {
			p.LogicalTypeOptions = &TypeOptions{MaxLength: t.Length()}
			if t.Fixed() {
				p.LogicalTypeOptions.MinLength = t.Length()
			}
		}
	case types.IntegerType:
		p.LogicalType = "integer"
		sign := "i"
		if t.Unsigned() {
			sign = "u"
		}
		p.LogicalTypeOptions = &TypeOptions{Format: fmt.Sprintf("%s%d", sign, t.Bits())}
	case types.DecimalType:
		p.LogicalType = "number"
	case types.FloatType:
		p.LogicalType = "number"
		switch t.Format().Name() {
		case "float32":
			p.LogicalTypeOptions = &TypeOptions{Format: "f32"}
		case "float64":
			p.LogicalTypeOptions = &TypeOptions{Format: "f64"}
		}
	case types.MXType:
		// A value is a block of 32 elements sharing one scale.
		p.LogicalType = "array"
		p.LogicalTypeOptions = &TypeOptions{MinItems: 32, MaxItems: 32}
		p.Items = &Property{LogicalType: "number"}
	case types.BooleanType:
		p.LogicalType = "boolean"
	case types.DateType:
		p.LogicalType = "date"
	case types.TimeType:
		p.LogicalType = "time"
	case types.TimestampType:
		p.LogicalType = "timestamp"
		zoned := t.Zone() != ""
		p.LogicalTypeOptions = &TypeOptions{Timezone: &zoned, DefaultTimezone: t.Zone()}
	case types.IntervalType:
		p.LogicalType = "string"
	case types.BinaryType:
		p.LogicalType = "string"
		p.LogicalTypeOptions = &TypeOptions{Format: "binary"}
	case types.ArrayType:
		p.LogicalType = "array"
		if t.MaxLen() > 0 {
			p.LogicalTypeOptions = &TypeOptions{MaxItems: t.MaxLen()}
		}
		items := typeProperty(t.Elem())
		p.Items = &items
	case types.VectorType:
		p.LogicalType = "array"
		p.LogicalTypeOptions = &TypeOptions{MinItems: t.Dims(), MaxItems: t.Dims()}
		items := typeProperty(t.Elem())
		p.Items = &items
	case types.MapType:
		p.LogicalType = "object"
	case types.StructType:
		p.LogicalType = "object"
		for _, f := range t.Fields() {
			fp := typeProperty(f.Type)
			fp.Name, fp.Required = f.Name, f.NotNull
			p.Properties = append(p.Properties, fp)
		}
	}
	return p
}

// consumption is who consumes a dataset: the workspaces whose groups sink
// it, or sink what a transformer derives from it (to any depth), and those
// groups.
type consumption struct {
	workspaces []string // sorted
	groups     []*ecosystem.DatasetGroup
}

func consumersOf(m *ecosystem.Ecosystem, store, dataset string) consumption {
	var c consumption
	seenWS, seenGroup := map[string]bool{}, map[*ecosystem.DatasetGroup]bool{}
	reached := map[[2]string]bool{{store, dataset}: true}
	queue := [][2]string{{store, dataset}}
	for len(queue) > 0 {
		k := queue[0]
		queue = queue[1:]
		for _, s := range m.ConsumersOf(k[0], k[1]) {
			if !seenGroup[s.Group] {
				seenGroup[s.Group] = true
				c.groups = append(c.groups, s.Group)
			}
			if !seenWS[s.Workspace.Name] {
				seenWS[s.Workspace.Name] = true
				c.workspaces = append(c.workspaces, s.Workspace.Name)
			}
			t := s.Workspace.Transformer
			if t == nil {
				continue
			}
			if out, ok := m.Datastore(t.Output); ok {
				for _, d := range out.Store.Datasets {
					if k := [2]string{out.Store.Name, d.Name}; !reached[k] {
						reached[k] = true
						queue = append(queue, k)
					}
				}
			}
		}
	}
	slices.Sort(c.workspaces)
	return c
}

// slas returns the service levels the model states for a dataset: the
// most demanding latency and the longest retention the groups consuming it
// (directly or through transformers) require, and the capture's schedule.
func slas(r ecosystem.DatasetRef, c consumption) []SLAProperty {
	var out []SLAProperty
	var latency ecosystem.Latency
	forensic := false
	for _, g := range c.groups {
		if g.Requirements == nil {
			continue
		}
		if l := g.Requirements.Latency; l != 0 && (latency == 0 || l < latency) {
			latency = l
		}
		forensic = forensic || g.Requirements.Milestoning == ecosystem.Forensic
	}
	if latency != 0 {
		out = append(out, SLAProperty{
			Property: "latency", Value: latency.String(), Driver: "operational",
			Description: "The most demanding freshness a consumer requires: data reaches it within " + latency.String() + " of changing at the source.",
		})
	}
	if forensic {
		out = append(out, SLAProperty{
			Property: "retention", Value: "unlimited", Driver: "regulatory",
			Description: "A consumer requires forensic milestoning: every version of every row is kept, with the batches in which it was current.",
		})
	}
	if c := r.Store.Capture; c != nil && c.Trigger != nil {
		switch c.Trigger.Kind {
		case ecosystem.CronTrigger:
			out = append(out, SLAProperty{
				Property: "frequency", Value: c.Trigger.Cron, Scheduler: "cron", Schedule: c.Trigger.Cron,
				Description: "The capture runs on this cron schedule.",
			})
		case ecosystem.ExternalTrigger:
			out = append(out, SLAProperty{
				Property: "frequency", Value: "on event " + c.Trigger.Event,
				Description: "The capture runs when the external event " + c.Trigger.Event + " fires.",
			})
		}
	}
	return out
}

// custom returns the model facts ODCS has no field for.
func custom(m *ecosystem.Ecosystem, r ecosystem.DatasetRef, c consumption, fingerprint string) []CustomProperty {
	out := []CustomProperty{{Property: "modelPath", Value: r.Path()}}
	if c := r.Store.Capture; c != nil {
		out = append(out, CustomProperty{Property: "captureKind", Value: string(c.Kind)})
	}
	mode := cmp.Or(r.Dataset.Compatibility, m.EffectiveCompatibility())
	out = append(out, CustomProperty{Property: "compatibility", Value: string(mode)})
	if len(c.workspaces) > 0 {
		out = append(out, CustomProperty{Property: "consumers", Value: c.workspaces})
	}
	if r.Team != nil && !r.Team.Repo.IsZero() {
		out = append(out, CustomProperty{Property: "ownerRepository", Value: r.Team.Repo.String()})
	}
	if r.Store.ApprovedWorkspaces != nil {
		out = append(out, CustomProperty{Property: "approvedWorkspaces", Value: slices.Sorted(slices.Values(r.Store.ApprovedWorkspaces))})
	}
	out = append(out, CustomProperty{Property: "schemaFingerprint", Value: "sha256:" + fingerprint})
	return out
}

// Marshal writes a contract as YAML, indented by two spaces.
func Marshal(d *Document) ([]byte, error) {
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(d); err != nil {
		return nil, fmt.Errorf("odcs: contract %s: %w", d.Name, err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("odcs: contract %s: %w", d.Name, err)
	}
	return b.Bytes(), nil
}
