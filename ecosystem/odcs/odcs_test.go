package odcs_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"go.yaml.in/yaml/v3"

	"github.com/datasurface/datasurface-go/ecosystem"
	"github.com/datasurface/datasurface-go/ecosystem/odcs"
	"github.com/datasurface/datasurface-go/internal/schematest"
	"github.com/datasurface/datasurface-go/starlark"
)

// odcsSchema compiles the published ODCS v3.1.0 JSON Schema (see package
// schematest: the test is skipped when it is absent).
func odcsSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	return schematest.Compile(t, "odcs-json-schema-v3.1.0.json")[0]
}

// validateYAML parses a YAML contract and validates it as JSON.
func validateYAML(s *jsonschema.Schema, data []byte) error {
	var v any
	if err := yaml.Unmarshal(data, &v); err != nil {
		return err
	}
	return schematest.Validate(s, v)
}

func load(t *testing.T, example string) *ecosystem.Ecosystem {
	t.Helper()
	m, err := starlark.Evaluate(context.Background(), os.DirFS(filepath.Join("..", "..", "examples", example)))
	if err != nil {
		t.Fatalf("evaluate %s: %v", example, err)
	}
	return m
}

// TestContractsValidate validates the contract of every dataset of the
// examples against the published schema.
func TestContractsValidate(t *testing.T) {
	s := odcsSchema(t)
	for _, example := range []string{"acme", "quickstart"} {
		m := load(t, example)
		docs := odcs.Contracts(m)
		n := 0
		for _, st := range m.Datastores() {
			n += len(st.Store.Datasets)
		}
		if len(docs) != n || n == 0 {
			t.Fatalf("%s: %d contracts for %d datasets", example, len(docs), n)
		}
		for _, d := range docs {
			data, err := odcs.Marshal(d)
			if err != nil {
				t.Fatal(err)
			}
			if err := validateYAML(s, data); err != nil {
				t.Errorf("%s %s: %v\n%s", example, d.Name, err, data)
			}
		}
	}
}

// TestSchemaRejects makes sure the validation above can fail.
func TestSchemaRejects(t *testing.T) {
	s := odcsSchema(t)
	d := odcs.Contracts(load(t, "quickstart"))[0]
	for name, mutate := range map[string]func(*odcs.Document){
		"unknown logical type": func(d *odcs.Document) { d.Schema[0].Properties[0].LogicalType = "text" },
		"unknown api version":  func(d *odcs.Document) { d.APIVersion = "v9" },
		"bad integer format":   func(d *odcs.Document) { d.Schema[0].Properties[0].LogicalTypeOptions = &odcs.TypeOptions{Format: "i7"} },
	} {
		c := *d
		c.Schema = []odcs.SchemaObject{d.Schema[0]}
		c.Schema[0].Properties = append([]odcs.Property(nil), d.Schema[0].Properties...)
		mutate(&c)
		data, err := odcs.Marshal(&c)
		if err != nil {
			t.Fatal(err)
		}
		if err := validateYAML(s, data); err == nil {
			t.Errorf("%s: the contract validates:\n%s", name, data)
		}
	}
}

func contract(t *testing.T, m *ecosystem.Ecosystem, name string) *odcs.Document {
	t.Helper()
	for _, d := range odcs.Contracts(m) {
		if d.Name == name {
			return d
		}
	}
	t.Fatalf("no contract %s", name)
	return nil
}

func property(t *testing.T, d *odcs.Document, name string) odcs.Property {
	t.Helper()
	for _, p := range d.Schema[0].Properties {
		if p.Name == name {
			return p
		}
	}
	t.Fatalf("%s has no property %s", d.Name, name)
	return odcs.Property{}
}

func custom(d *odcs.Document, name string) any {
	for _, c := range d.CustomProperties {
		if c.Property == name {
			return c.Value
		}
	}
	return nil
}

var uuidV5 = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

// TestContractMapping checks what the contracts say about the examples.
func TestContractMapping(t *testing.T) {
	qs := load(t, "quickstart")
	c := contract(t, qs, "Shop.customers")
	if c.APIVersion != "v3.1.0" || c.Kind != "DataContract" || c.Team.Name != "Sales" || c.Tenant != "Quickstart" || c.Domain != "Retail" {
		t.Errorf("header %+v team %+v", c, c.Team)
	}
	if !uuidV5.MatchString(c.ID) || c.ID == contract(t, qs, "Shop.orders").ID || c.ID != odcs.ContractID("Quickstart", "Shop", "customers") {
		t.Errorf("id %s is not a stable per-dataset UUID", c.ID)
	}
	if c.Status != "draft" {
		t.Errorf("a non-production store's dataset has status %s", c.Status)
	}
	id := property(t, c, "id")
	if !id.PrimaryKey || id.PrimaryKeyPosition != 1 || !id.Required || id.LogicalType != "integer" || id.LogicalTypeOptions.Format != "i64" || id.PhysicalType != "bigint" || id.Classification != "pii" {
		t.Errorf("key column %+v", id)
	}
	if name := property(t, c, "name"); name.PrimaryKey || !name.Required || name.LogicalType != "string" || name.LogicalTypeOptions.MaxLength != 80 {
		t.Errorf("NOT NULL column %+v", name)
	}
	if email := property(t, c, "email"); email.Required {
		t.Error("a nullable column is required")
	}
	if country := property(t, c, "country"); country.LogicalTypeOptions.MinLength != 2 || country.LogicalTypeOptions.MaxLength != 2 {
		t.Errorf("char(2) %+v", country.LogicalTypeOptions)
	}
	if len(c.Servers) != 1 || c.Servers[0].Database != "shop.db" || c.Servers[0].Type != "custom" {
		t.Errorf("servers %+v", c.Servers)
	}

	acme := load(t, "acme")
	o := contract(t, acme, "Orders.orders")
	sla := map[string]odcs.SLAProperty{}
	for _, p := range o.SLAProperties {
		sla[p.Property] = p
	}
	if sla["latency"].Value != "minutes" || sla["retention"].Value != "unlimited" || sla["frequency"].Schedule != "0 * * * *" || sla["frequency"].Scheduler != "cron" {
		t.Errorf("Orders.orders SLAs %+v", o.SLAProperties)
	}
	if o.Status != "active" {
		t.Errorf("a production store's dataset has status %s", o.Status)
	}
	if ws, _ := custom(o, "approvedWorkspaces").([]string); strings.Join(ws, ",") != "FeatureBuilder,RevenueReport" {
		t.Errorf("approved workspaces %v", custom(o, "approvedWorkspaces"))
	}
	// Features derive from orders: the transformer's consumers consume orders too.
	if ws, _ := custom(o, "consumers").([]string); !strings.Contains(strings.Join(ws, ","), "FeatureBuilder") {
		t.Errorf("consumers %v", ws)
	}
	if v1 := contract(t, acme, "Customers.customers_v1"); v1.Status != "deprecated" || !strings.Contains(v1.Description.Limitations, "Replaced by customers") {
		t.Errorf("deprecated dataset: status %s, description %+v", v1.Status, v1.Description)
	}
	tr := contract(t, acme, "Trades.trades")
	if p := property(t, tr, "trade_date"); !p.Partitioned || p.PartitionKeyPosition != 1 {
		t.Errorf("partition column %+v", p)
	}
	if p := property(t, tr, "executed_at"); p.LogicalType != "timestamp" || p.LogicalTypeOptions.Timezone == nil || !*p.LogicalTypeOptions.Timezone || p.LogicalTypeOptions.DefaultTimezone != "America/New_York" {
		t.Errorf("zoned timestamp %+v", p.LogicalTypeOptions)
	}
	f := contract(t, acme, "CustomerFeatures.customer_features")
	if p := property(t, f, "embedding"); p.LogicalType != "array" || p.LogicalTypeOptions.MaxItems != 768 || p.LogicalTypeOptions.MinItems != 768 || p.Items.LogicalType != "number" {
		t.Errorf("vector %+v", p)
	}
	ob := contract(t, acme, "MarketTicks.order_book")
	if p := property(t, ob, "bids"); p.LogicalType != "array" || p.LogicalTypeOptions.MaxItems != 10 || p.Items.LogicalType != "object" || len(p.Items.Properties) != 2 || p.Items.Properties[0].Name != "price" {
		t.Errorf("array of structs %+v", p)
	}
}

// TestDeterministic: two exports of the same model give the same bytes,
// and a schema change (only) changes the version.
func TestDeterministic(t *testing.T) {
	export := func() []byte {
		var b bytes.Buffer
		for _, d := range odcs.Contracts(load(t, "acme")) {
			data, err := odcs.Marshal(d)
			if err != nil {
				t.Fatal(err)
			}
			b.Write(data)
		}
		return b.Bytes()
	}
	if a, b := export(), export(); !bytes.Equal(a, b) {
		t.Error("two exports of the same model differ")
	}
	m := load(t, "quickstart")
	d := m.Datastores()[0].Store.Datasets[0]
	before := odcs.Fingerprint(d)
	d.Doc = "changed"
	if odcs.Fingerprint(d) != before {
		t.Error("documentation changes the schema fingerprint")
	}
	d.Columns[1].Nullable = !d.Columns[1].Nullable
	if odcs.Fingerprint(d) == before {
		t.Error("nullability does not change the schema fingerprint")
	}
}
