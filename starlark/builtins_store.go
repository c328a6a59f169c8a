package starlark

import (
	sl "go.starlark.net/starlark"

	"github.com/datasurface/datasurface-go/ecosystem"
)

const (
	captureWant = "capture (sql_snapshot, sql_watermark, cdc, streaming or transformer_output)"
	triggerWant = "trigger (cron or external)"
)

var ingestionModes = []string{string(ecosystem.IngestStore), string(ecosystem.IngestDataset)}

var _ = define("datastore", catProducers,
	"A set of datasets captured together from one source, owned by a producer team.",
	func(d *definer) func(*call) sl.Value {
		name := d.required("name", "string", "the store's name, unique in the ecosystem")
		capture := d.optional("capture", "capture", "None", "how the data is captured (sql_snapshot, sql_watermark, cdc, streaming, transformer_output)")
		datasets := d.optional("datasets", "list of dataset", "[]", "the store's datasets")
		production := d.optional("production", "bool", "False", "whether the store is in production (then every dataset must be classified)")
		deprecation := d.optional("deprecation", "deprecated", "None", "deprecates the whole store")
		approved := d.optional("approved_workspaces", "list of string", "None",
			"when set, only these workspaces may consume the store (producer approval); [] approves none")
		d.positional(1)
		d.meta()
		d.example(`datastore("Customers", capture = sql_snapshot(source = postgres("crm")), datasets = [dataset("customers")], production = True)`)
		return func(c *call) sl.Value {
			obj, s := newObject[ecosystem.Datastore](c.spec)
			s.Name = c.str(name)
			s.Capture = objectArg[ecosystem.Capture](c, capture, captureWant)
			s.Datasets = objectList[ecosystem.Dataset](c, datasets, "dataset")
			s.Production = c.boolean(production, false)
			s.Deprecation = objectArg[ecosystem.Deprecation](c, deprecation, "deprecated")
			if !c.absent(approved) {
				s.ApprovedWorkspaces = c.strings(approved)
				if s.ApprovedWorkspaces == nil {
					s.ApprovedWorkspaces = []string{} // set but empty: nobody is approved
				}
			}
			s.Meta = c.meta()
			s.Source = c.src
			return obj
		}
	})

var _ = define("deprecated", catProducers,
	"Marks a datastore, dataset or workspace as deprecated, for its deprecation argument. "+
		"Consumers must then allow deprecated data in their sinks.",
	func(d *definer) func(*call) sl.Value {
		reason := d.optional("reason", "string", `""`, "why, and what to use instead")
		d.positional(1)
		d.example(`deprecated("use customers_v2")`)
		return func(c *call) sl.Value {
			obj, dep := newObject[ecosystem.Deprecation](c.spec)
			dep.Deprecated = true
			dep.Reason = c.str(reason)
			dep.Source = c.src
			return obj
		}
	})

// captureParams are the parameters shared by the capture builtins.
type captureParams struct {
	source, trigger, credential, ingestion param
}

// defineCapture defines a capture builtin; extra declares its own parameters
// and fills them in.
func defineCapture(kind ecosystem.CaptureKind, doc, defaultIngestion string, withTrigger bool, example string,
	extra func(d *definer) func(c *call, cp *ecosystem.Capture)) *builtinSpec {
	return define(string(kind), catProducers, doc, func(d *definer) func(*call) sl.Value {
		var p captureParams
		p.source = d.required("source", "container", "the database or broker captured from")
		fill := func(*call, *ecosystem.Capture) {}
		if extra != nil {
			fill = extra(d)
		}
		p.trigger = -1
		if withTrigger {
			p.trigger = d.optional("trigger", "trigger", "None", "when to capture (cron or external); None leaves it to the platform")
		}
		p.credential = d.optional("credential", "credential", "None", "the credential to connect with (a reference, never a secret)")
		p.ingestion = d.optional("ingestion", "string", quote(defaultIngestion), "\"store\" ingests all datasets in one batch, \"dataset\" each in its own")
		d.meta()
		d.example(example)
		return func(c *call) sl.Value {
			obj, cp := newObject[ecosystem.Capture](c.spec)
			cp.Kind = kind
			cp.From = objectArg[ecosystem.Container](c, p.source, containerWant)
			fill(c, cp)
			if p.trigger >= 0 {
				cp.Trigger = objectArg[ecosystem.Trigger](c, p.trigger, triggerWant)
			}
			cp.Credential = objectArg[ecosystem.Credential](c, p.credential, "credential")
			cp.Ingestion = ecosystem.IngestionMode(c.enum(p.ingestion, defaultIngestion, ingestionModes))
			cp.Meta = c.meta()
			cp.Source = c.src
			return obj
		}
	})
}

var _ = defineCapture(ecosystem.SQLSnapshot, "Captures the whole of each table on every batch.", "store", true,
	`sql_snapshot(source = postgres("crm", host = "crm.acme.internal"), trigger = cron("*/5 * * * *"), credential = credential("crm_reader"))`, nil)

var _ = defineCapture(ecosystem.SQLWatermark, "Captures the rows whose watermark column moved since the last batch.", "dataset", true,
	`sql_watermark(source = postgres("crm"), watermark = "updated_at", trigger = cron("0 * * * *"))`,
	func(d *definer) func(*call, *ecosystem.Capture) {
		wm := d.required("watermark", "string", "the column compared between batches; every dataset of the store must have it, with one type")
		return func(c *call, cp *ecosystem.Capture) { cp.WatermarkColumn = c.str(wm) }
	})

var _ = defineCapture(ecosystem.CDC, "Captures the database's change data capture log.", "dataset", false,
	`cdc(source = postgres("orders"), credential = credential("cdc_reader"))`, nil)

var _ = defineCapture(ecosystem.StreamingTopic, "Captures the records of a topic on a streaming broker.", "dataset", false,
	`streaming(source = kafka("events", host = "kafka.acme.internal", port = 9092), topic = "clicks")`,
	func(d *definer) func(*call, *ecosystem.Capture) {
		topic := d.required("topic", "string", "the topic read")
		return func(c *call, cp *ecosystem.Capture) { cp.Topic = c.str(topic) }
	})

var _ = define(string(ecosystem.TransformerOutput), catProducers,
	"Marks a store as written by a transformer of the same team (the transformer names the store as its output).",
	func(d *definer) func(*call) sl.Value {
		d.meta()
		d.example(`transformer_output()`)
		return func(c *call) sl.Value {
			obj, cp := newObject[ecosystem.Capture](c.spec)
			cp.Kind = ecosystem.TransformerOutput
			cp.Ingestion = ecosystem.IngestStore
			cp.Meta = c.meta()
			cp.Source = c.src
			return obj
		}
	})

var _ = define("cron", catProducers,
	"Triggers a capture or transformer on a cron schedule (five fields: minute hour day-of-month month day-of-week).",
	func(d *definer) func(*call) sl.Value {
		schedule := d.required("schedule", "string", "the cron schedule, such as \"*/5 * * * *\"")
		d.positional(1)
		d.meta()
		d.example(`cron("0,15,30,45 * * * *")`)
		return func(c *call) sl.Value {
			obj, t := newObject[ecosystem.Trigger](c.spec)
			t.Kind = ecosystem.CronTrigger
			t.Cron = c.str(schedule)
			t.Meta = c.meta()
			t.Source = c.src
			return obj
		}
	})

var _ = define("external", catProducers,
	"Triggers a capture or transformer when a named external event arrives.",
	func(d *definer) func(*call) sl.Value {
		event := d.required("event", "string", "the event's name")
		d.positional(1)
		d.meta()
		d.example(`external("crm_nightly_export_done")`)
		return func(c *call) sl.Value {
			obj, t := newObject[ecosystem.Trigger](c.spec)
			t.Kind = ecosystem.ExternalTrigger
			t.Event = c.str(event)
			t.Meta = c.meta()
			t.Source = c.src
			return obj
		}
	})

var credentialKinds = []string{"user_password", "api_token", "certificate", "iam_role", "kerberos"}

var _ = define("credential", catProducers,
	"A reference to a secret held outside the model (a vault path or a platform secret name). "+
		"The model never holds secret values: arguments such as password or token are refused.",
	func(d *definer) func(*call) sl.Value {
		name := d.required("name", "string", "the secret's name in the secret store")
		kind := d.optional("kind", "string", `"user_password"`, "user_password, api_token, certificate, iam_role or kerberos")
		d.positional(1)
		d.meta()
		d.example(`credential("crm_reader", kind = "user_password")`)
		return func(c *call) sl.Value {
			obj, cr := newObject[ecosystem.Credential](c.spec)
			cr.Name = c.str(name)
			cr.Kind = c.enum(kind, "user_password", credentialKinds)
			cr.Meta = c.meta()
			cr.Source = c.src
			return obj
		}
	})
