package starlark

import (
	sl "go.starlark.net/starlark"

	"github.com/datasurface/datasurface-go/ecosystem"
)

var _ = define("zone", catGovernance,
	"A governance zone: its policies and its teams. The ecosystem repository owns the zone's name and repo; the zone's repo owns the rest.",
	func(d *definer) func(*call) sl.Value {
		name := d.required("name", "string", "the zone's name, the first element of its model paths")
		repo := d.required("repo", "repo", "the repository that owns the zone's contents")
		policies := d.optional("policies", "list of policy", "[]", "the zone's policies (vendor_policy, location_policy, ...)")
		teams := d.optional("teams", "list of team", "[]", "the teams in the zone")
		waivers := d.optional("waivers", "list of waiver", "[]", "waivers of findings in the zone")
		d.positional(1)
		d.meta()
		d.example(`zone("USA", repo = repo("github.com/acme/usa"), teams = [team("Sales", repo = repo("github.com/acme/sales"))])`)
		return func(c *call) sl.Value {
			obj, z := newObject[ecosystem.Zone](c.spec)
			z.Name = c.str(name)
			z.Repo = derefRepo(objectArg[ecosystem.Repo](c, repo, "repo"))
			z.Policies = objectList[ecosystem.Policy](c, policies, policyWant)
			z.Teams = objectList[ecosystem.Team](c, teams, "team")
			z.Waivers = objectList[ecosystem.Waiver](c, waivers, "waiver")
			z.Meta = c.meta()
			z.Source = c.src
			return obj
		}
	})

const policyWant = "policy (vendor_policy, cloud_policy, location_policy, platform_policy, classification_policy or storage_policy)"

// definePolicy defines one of the policy builtins, which differ only in kind
// and in what their entries name.
func definePolicy(kind ecosystem.PolicyKind, entries, example string) {
	define(string(kind)+"_policy", catGovernance,
		"A zone policy on "+entries+": a value is allowed when allow is empty or lists it, and deny does not list it.",
		func(d *definer) func(*call) sl.Value {
			name := d.required("name", "string", "the policy's name, shown in findings")
			allow := d.optional("allow", "list of string", "[]", "the "+entries+" allowed; empty allows all")
			deny := d.optional("deny", "list of string", "[]", "the "+entries+" refused")
			d.positional(1)
			d.meta()
			d.example(example)
			return func(c *call) sl.Value {
				obj, p := newObject[ecosystem.Policy](c.spec)
				p.Kind = kind
				p.Name = c.str(name)
				p.Allow = c.strings(allow)
				p.Deny = c.strings(deny)
				p.Meta = c.meta()
				p.Source = c.src
				return obj
			}
		})
}

var _ = func() bool {
	definePolicy(ecosystem.VendorPolicy, "vendor names", `vendor_policy("AWS only", allow = ["AWS"])`)
	definePolicy(ecosystem.CloudPolicy, "hard cloud vendors (\"aws\", \"azure\", ...)", `cloud_policy("No GCP", deny = ["gcp"])`)
	definePolicy(ecosystem.LocationPolicy, "location keys (\"AWS:USA\" covers everything under it)", `location_policy("US only", allow = ["AWS:USA"])`)
	definePolicy(ecosystem.PlatformPolicy, "platform names", `platform_policy("Approved", allow = ["Live", "History"])`)
	definePolicy(ecosystem.ClassificationPolicy, "classifications of consumed data", `classification_policy("No MNPI", deny = ["mnpi"])`)
	definePolicy(ecosystem.StoragePolicy, "storage engines (\"postgres\", \"snowflake\", or \"platform\" for platform-managed storage)", `storage_policy("No SQLite", deny = ["sqlite"])`)
	return true
}()

var _ = define("team", catGovernance,
	"A team in a zone: the datastores it produces and the workspaces it consumes through. "+
		"The zone's repo owns the team's name and repo; the team's repo owns everything inside.",
	func(d *definer) func(*call) sl.Value {
		name := d.required("name", "string", "the team's name")
		repo := d.required("repo", "repo", "the repository that owns the team's contents")
		stores := d.optional("datastores", "list of datastore", "[]", "the datastores the team produces")
		workspaces := d.optional("workspaces", "list of workspace", "[]", "the team's workspaces")
		waivers := d.optional("waivers", "list of waiver", "[]", "waivers of findings in the team")
		d.positional(1)
		d.meta()
		d.example(`team("Sales", repo = repo("github.com/acme/sales"), datastores = [datastore("Customers")])`)
		return func(c *call) sl.Value {
			obj, t := newObject[ecosystem.Team](c.spec)
			t.Name = c.str(name)
			t.Repo = derefRepo(objectArg[ecosystem.Repo](c, repo, "repo"))
			t.Datastores = objectList[ecosystem.Datastore](c, stores, "datastore")
			t.Workspaces = objectList[ecosystem.Workspace](c, workspaces, "workspace")
			t.Waivers = objectList[ecosystem.Waiver](c, waivers, "waiver")
			t.Meta = c.meta()
			t.Source = c.src
			return obj
		}
	})

var _ = define("waiver", catGovernance,
	"Accepts the findings of one rule under one model path, for a reason, until an expiry date (UTC). "+
		"It lives in the part of the model it waives, so that part's owner reviews it.",
	func(d *definer) func(*call) sl.Value {
		ruleID := d.required("rule", "string", "the rule ID, such as \"DATASET_NO_PRIMARY_KEY\"")
		path := d.required("path", "string", "the model path it covers, with everything under it, such as \"USA/Sales/Customers\"")
		reason := d.required("reason", "string", "why the finding is accepted")
		expires := d.required("expires", "string", "the last day it applies, \"YYYY-MM-DD\" (UTC)")
		d.example(`waiver(rule = "DATASET_NO_PRIMARY_KEY", path = "USA/Sales/Customers/events", reason = "append-only log", expires = "2026-06-30")`)
		return func(c *call) sl.Value {
			obj, w := newObject[ecosystem.Waiver](c.spec)
			w.Rule = c.str(ruleID)
			w.Path = c.str(path)
			w.Reason = c.str(reason)
			w.Expires = c.date(expires)
			w.Source = c.src
			return obj
		}
	})
