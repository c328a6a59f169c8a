package lint

import (
	"testing"

	"github.com/datasurface/datasurface-go/ecosystem"
	"github.com/datasurface/datasurface-go/types"
)

func TestSchema(t *testing.T) {
	runCases(t, []ruleCase{
		{"no columns", func(t *testing.T, m *ecosystem.Ecosystem, b *builder) []want {
			d := dataset(m, "Customers", "customers")
			d.Columns = nil
			return []want{{Rule: "DATASET_NO_COLUMNS", Path: "USA/Sales/Customers/customers", Pos: argPos(t, d.Source, "columns"), Msg: []string{`dataset "customers" of datastore "Customers" has no columns`}}}
		}},
		{"no primary key", func(t *testing.T, m *ecosystem.Ecosystem, b *builder) []want {
			d := dataset(m, "Customers", "customers")
			d.Columns[0].Key = false
			return []want{{Rule: "DATASET_NO_PRIMARY_KEY", Path: "USA/Sales/Customers/customers", Pos: argPos(t, d.Source, "columns"),
				Msg: []string{"has no primary key: none of its 3 columns is marked key = True"}, Hint: `column("id", ..., key = True)`}}
		}},
		{"nullable key column", func(t *testing.T, m *ecosystem.Ecosystem, b *builder) []want {
			c := column(m, "Orders", "lines", "line_no")
			c.Nullable = true
			return []want{{Rule: "KEY_COLUMN_NULLABLE", Path: "USA/Sales/Orders/lines/line_no", Pos: argPos(t, c.Source, "nullable"),
				Msg: []string{`key column "line_no" of dataset "Orders.lines" is nullable`}, Related: argPos(t, c.Source, "key")}}
		}},
		{"unknown partition column", func(t *testing.T, m *ecosystem.Ecosystem, b *builder) []want {
			d := dataset(m, "Orders", "orders")
			d.PartitionBy = []string{"updated_at", "amuont"}
			return []want{{Rule: "PARTITION_COLUMN_UNKNOWN", Path: "USA/Sales/Orders/orders", Pos: argPos(t, d.Source, "partition_by"),
				Msg: []string{`partitioned by "amuont", which is not one of its columns`}, Hint: `did you mean "amount"?`}}
		}},
		{"column without type", func(t *testing.T, m *ecosystem.Ecosystem, b *builder) []want {
			c := column(m, "Customers", "customers", "full_name")
			c.Type = nil
			return []want{{Rule: "COLUMN_TYPE_MISSING", Path: "USA/Sales/Customers/customers/full_name", Pos: argPos(t, c.Source, "type"), Msg: []string{`column "full_name" of dataset "Customers.customers" has no data type`}}}
		}},
	})
}

func TestClassification(t *testing.T) {
	runCases(t, []ruleCase{
		{"unclassified dataset of a non-production store", func(t *testing.T, m *ecosystem.Ecosystem, b *builder) []want {
			d := dataset(m, "Customers", "customers")
			d.Classifications = nil
			return []want{{Rule: "DATASET_UNCLASSIFIED", Path: "USA/Sales/Customers/customers", Pos: d.Pos, Msg: []string{`dataset "customers" of datastore "Customers" has no classification`}}}
		}},
		{"partly classified columns", func(t *testing.T, m *ecosystem.Ecosystem, b *builder) []want {
			d := dataset(m, "Enriched", "enriched")
			d.Classifications = nil
			d.Columns[0].Classifications = []string{"internal"}
			return []want{{Rule: "DATASET_UNCLASSIFIED", Path: "USA/Analytics/Enriched/enriched", Pos: d.Columns[1].Pos, Msg: []string{"is classified by column, but columns segment have no classification"}}}
		}},
		{"unclassified production dataset", func(t *testing.T, m *ecosystem.Ecosystem, b *builder) []want {
			d := dataset(m, "Orders", "orders")
			d.Classifications = nil
			c := column(m, "Orders", "lines", "updated_at")
			c.Classifications = nil
			s := store(m, "Orders")
			return []want{
				{Rule: "PRODUCTION_UNCLASSIFIED", Path: "USA/Sales/Orders/orders", Pos: d.Pos, Msg: []string{`production dataset "orders" of datastore "Orders" has no classification`}, Related: argPos(t, s.Source, "production")},
				{Rule: "PRODUCTION_UNCLASSIFIED", Path: "USA/Sales/Orders/lines", Pos: c.Pos, Msg: []string{"columns updated_at have no classification"}},
			}
		}},
		{"classified at both levels", func(t *testing.T, m *ecosystem.Ecosystem, b *builder) []want {
			d := dataset(m, "Orders", "orders")
			c := column(m, "Orders", "orders", "amount")
			c.Classifications = []string{"pc2"}
			return []want{{Rule: "CLASSIFICATION_BOTH_LEVELS", Path: "USA/Sales/Orders/orders", Pos: argPos(t, d.Source, "classification"),
				Msg: []string{`dataset "orders" of datastore "Orders" is classified as public and so are its columns amount`}, Related: argPos(t, c.Source, "classification")}}
		}},
	})
}

func TestCapture(t *testing.T) {
	runCases(t, []ruleCase{
		{"no capture", func(t *testing.T, m *ecosystem.Ecosystem, b *builder) []want {
			s := store(m, "Customers")
			s.Capture = nil
			return []want{{Rule: "CAPTURE_MISSING", Path: "USA/Sales/Customers", Pos: s.Pos, Msg: []string{`datastore "Customers" has no capture`}}}
		}},
		{"no capture source", func(t *testing.T, m *ecosystem.Ecosystem, b *builder) []want {
			c := store(m, "Customers").Capture
			c.From = nil
			return []want{{Rule: "CAPTURE_SOURCE_MISSING", Path: "USA/Sales/Customers", Pos: c.Pos, Msg: []string{`the sql_snapshot capture of datastore "Customers" has no source`}}}
		}},
		{"invalid cron schedules", func(t *testing.T, m *ecosystem.Ecosystem, b *builder) []want {
			c := store(m, "Customers").Capture.Trigger
			c.Cron = "*/5 * * *"
			o := store(m, "Orders").Capture.Trigger
			o.Cron = " "
			tr := workspace(m, "Enrich").Transformer.Trigger
			tr.Cron = "61 * * * *"
			return []want{
				{Rule: "CRON_INVALID", Path: "USA/Sales/Customers", Pos: argPos(t, c.Source, "schedule"), Msg: []string{`the capture trigger of datastore "Customers" has an invalid cron schedule "*/5 * * *"`, "expected exactly 5 fields"}},
				{Rule: "CRON_INVALID", Path: "USA/Sales/Orders", Pos: argPos(t, o.Source, "schedule"), Msg: []string{"the schedule is empty"}},
				{Rule: "CRON_INVALID", Path: "USA/Analytics/Enrich", Pos: argPos(t, tr.Source, "schedule"), Msg: []string{`the trigger of transformer "enrich"`, "61"}},
			}
		}},
		{"descriptors and time zones are valid cron", func(t *testing.T, m *ecosystem.Ecosystem, b *builder) []want {
			store(m, "Customers").Capture.Trigger.Cron = "@hourly"
			store(m, "Orders").Capture.Trigger.Cron = "CRON_TZ=Europe/Paris 0,15,30,45 * * * *"
			return nil
		}},
		{"watermark column missing", func(t *testing.T, m *ecosystem.Ecosystem, b *builder) []want {
			c := column(m, "Orders", "lines", "updated_at")
			c.Name = "changed_at"
			d := dataset(m, "Orders", "lines")
			return []want{{Rule: "WATERMARK_COLUMN_MISSING", Path: "USA/Sales/Orders/lines", Pos: argPos(t, d.Source, "columns"),
				Msg: []string{`dataset "lines" of datastore "Orders" has no column "updated_at", the watermark of its sql_watermark capture`}, Related: argPos(t, store(m, "Orders").Capture.Source, "watermark")}}
		}},
		{"watermark not named", func(t *testing.T, m *ecosystem.Ecosystem, b *builder) []want {
			c := store(m, "Orders").Capture
			c.WatermarkColumn = ""
			return []want{{Rule: "WATERMARK_COLUMN_MISSING", Path: "USA/Sales/Orders", Pos: c.Pos, Msg: []string{"names no watermark column"}}}
		}},
		{"watermark types differ", func(t *testing.T, m *ecosystem.Ecosystem, b *builder) []want {
			c := column(m, "Orders", "lines", "updated_at")
			c.Type = types.MustParse("date")
			cap := store(m, "Orders").Capture
			return []want{{Rule: "WATERMARK_TYPE_MISMATCH", Path: "USA/Sales/Orders", Pos: argPos(t, cap.Source, "watermark"),
				Msg: []string{`the watermark column "updated_at" of datastore "Orders" has different types: timestamp in orders; date in lines`}, Related: argPos(t, c.Source, "type")}}
		}},
	})
}
