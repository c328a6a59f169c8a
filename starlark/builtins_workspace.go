package starlark

import (
	sl "go.starlark.net/starlark"

	"github.com/datasurface/datasurface-go/ecosystem"
)

var (
	priorityNames    = []string{"low", "normal", "high", "critical"}
	milestoningNames = []string{string(ecosystem.Live), string(ecosystem.Forensic)}
	latencyNames     = []string{"seconds", "minutes", "hours", "days"}
)

var _ = define("workspace", catConsumers,
	"A consumer's view of the ecosystem: the datasets it needs, in dataset groups, delivered into a container. "+
		"A workspace with a transformer is that transformer's input.",
	func(d *definer) func(*call) sl.Value {
		name := d.required("name", "string", "the workspace's name, unique in the ecosystem")
		groups := d.optional("groups", "list of dataset_group", "[]", "the dataset groups")
		container := d.optional("container", "container", "None", "where the data is delivered")
		priority := d.optional("priority", "string", `"normal"`, "low, normal, high or critical; pipelines take the highest priority of the workspaces they feed")
		transformer := d.optional("transformer", "transformer", "None", "the transformer that consumes this workspace")
		deprecation := d.optional("deprecation", "deprecated", "None", "deprecates the workspace")
		d.positional(1)
		d.meta()
		d.example(`workspace("Churn", groups = [dataset_group("live", sinks = [sink("Customers", "customers")])], priority = "high")`)
		return func(c *call) sl.Value {
			obj, w := newObject[ecosystem.Workspace](c.spec)
			w.Name = c.str(name)
			w.Groups = objectList[ecosystem.DatasetGroup](c, groups, "dataset_group")
			w.Container = objectArg[ecosystem.Container](c, container, containerWant)
			w.Priority, _ = ecosystem.ParsePriority(c.enum(priority, "normal", priorityNames))
			w.Transformer = objectArg[ecosystem.Transformer](c, transformer, "transformer")
			w.Deprecation = objectArg[ecosystem.Deprecation](c, deprecation, "deprecated")
			w.Meta = c.meta()
			w.Source = c.src
			return obj
		}
	})

var _ = define("dataset_group", catConsumers,
	"Datasets a workspace needs with the same delivery requirements. It names a platform, states requirements "+
		"from which the broker picks one, or neither (an assignment then decides).",
	func(d *definer) func(*call) sl.Value {
		name := d.required("name", "string", "the group's name, unique in its workspace")
		sinks := d.optional("sinks", "list of sink", "[]", "the datasets needed")
		platform := d.optional("platform", "string", "None", "the platform's name, to choose it explicitly")
		reqs := d.optional("requirements", "requirements", "None", "what the platform must offer")
		d.positional(1)
		d.meta()
		d.example(`dataset_group("live", sinks = [sink("Customers", "customers")], requirements = requirements(latency = "minutes"))`)
		return func(c *call) sl.Value {
			obj, g := newObject[ecosystem.DatasetGroup](c.spec)
			g.Name = c.str(name)
			g.Sinks = objectList[ecosystem.Sink](c, sinks, "sink")
			g.Platform = c.str(platform)
			g.Requirements = objectArg[ecosystem.Requirements](c, reqs, "requirements")
			g.Meta = c.meta()
			g.Source = c.src
			return obj
		}
	})

var _ = define("sink", catConsumers,
	"One dataset a dataset group needs, named by store and dataset.",
	func(d *definer) func(*call) sl.Value {
		store := d.required("store", "string", "the datastore's name")
		dataset := d.required("dataset", "string", "the dataset's name in that store")
		allowDep := d.optional("allow_deprecated", "bool", "False", "accept the dataset while it or its store is deprecated (a warning instead of an error)")
		d.positional(2)
		d.example(`sink("Customers", "customers", allow_deprecated = True)`)
		return func(c *call) sl.Value {
			obj, s := newObject[ecosystem.Sink](c.spec)
			s.Store = c.str(store)
			s.Dataset = c.str(dataset)
			s.AllowDeprecated = c.boolean(allowDep, false)
			s.Source = c.src
			return obj
		}
	})

var _ = define("requirements", catConsumers,
	"A dataset group's delivery needs, matched against what each platform supports.",
	func(d *definer) func(*call) sl.Value {
		ms := d.optional("milestoning", "string", `"live"`, "live (latest version of each record) or forensic (every version, with validity)")
		latency := d.optional("latency", "string", "None", "seconds, minutes, hours or days; None accepts any")
		locations := d.optional("locations", "list of string", "[]", "location keys the platform must run in")
		d.example(`requirements(milestoning = "forensic", latency = "hours", locations = ["AWS:USA"])`)
		return func(c *call) sl.Value {
			obj, r := newObject[ecosystem.Requirements](c.spec)
			r.Milestoning = ecosystem.Milestoning(c.enum(ms, string(ecosystem.Live), milestoningNames))
			if l := c.enum(latency, "", latencyNames); l != "" {
				r.Latency, _ = ecosystem.ParseLatency(l)
			}
			r.Locations = c.strings(locations)
			r.Source = c.src
			return obj
		}
	})

var _ = define("transformer", catTransform,
	"Derives a datastore from the datasets its workspace consumes: the code, when it runs, and the store it writes "+
		"(which must belong to the same team and be captured with transformer_output()).",
	func(d *definer) func(*call) sl.Value {
		name := d.required("name", "string", "the transformer's name")
		code := d.required("code", "code", "the code: git_code, sql_code or go_code")
		output := d.required("output", "string", "the name of the datastore it writes")
		trigger := d.optional("trigger", "trigger", "None", "when it runs (cron or external); None runs it when its inputs change")
		d.positional(1)
		d.meta()
		d.example(`transformer("Enrich", code = sql_code("select * from customers"), output = "EnrichedCustomers")`)
		return func(c *call) sl.Value {
			obj, t := newObject[ecosystem.Transformer](c.spec)
			t.Name = c.str(name)
			if cr := objectArg[ecosystem.CodeRef](c, code, "code (git_code, sql_code or go_code)"); cr != nil {
				t.Code = *cr
			}
			t.Output = c.str(output)
			t.Trigger = objectArg[ecosystem.Trigger](c, trigger, triggerWant)
			t.Meta = c.meta()
			t.Source = c.src
			return obj
		}
	})

var _ = define("git_code", catTransform,
	"Transformer code at a path in a git repository.",
	func(d *definer) func(*call) sl.Value {
		repo := d.required("repo", "repo", "the repository holding the code")
		path := d.required("path", "string", "the path of the code in the repository")
		d.example(`git_code(repo = repo("github.com/acme/transforms"), path = "enrich/customers.sql")`)
		return func(c *call) sl.Value {
			obj, cr := newObject[ecosystem.CodeRef](c.spec)
			cr.Kind = "git"
			cr.Repo = derefRepo(objectArg[ecosystem.Repo](c, repo, "repo"))
			cr.Path = c.str(path)
			cr.Source = c.src
			return obj
		}
	})

var _ = define("sql_code", catTransform,
	"Transformer code given as SQL text.",
	func(d *definer) func(*call) sl.Value {
		sql := d.required("sql", "string", "the SQL query")
		d.positional(1)
		d.example(`sql_code("select id, upper(name) as name from customers")`)
		return func(c *call) sl.Value {
			obj, cr := newObject[ecosystem.CodeRef](c.spec)
			cr.Kind = "sql"
			cr.SQL = c.str(sql)
			cr.Source = c.src
			return obj
		}
	})

var _ = define("go_code", catTransform,
	"Transformer code in a Go function the host program registers under a name.",
	func(d *definer) func(*call) sl.Value {
		fn := d.required("func", "string", "the registered function's name")
		d.positional(1)
		d.example(`go_code("acme.EnrichCustomers")`)
		return func(c *call) sl.Value {
			obj, cr := newObject[ecosystem.CodeRef](c.spec)
			cr.Kind = "go"
			cr.Func = c.str(fn)
			cr.Source = c.src
			return obj
		}
	})
