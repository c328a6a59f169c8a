package starlark

import (
	sl "go.starlark.net/starlark"

	"github.com/datasurface/datasurface-go/ecosystem"
)

// The builtin categories, in the order the reference lists them.
const (
	catEcosystem  = "ecosystem"
	catGovernance = "governance"
	catProducers  = "producers"
	catContainers = "containers"
	catData       = "data"
	catConsumers  = "consumers"
	catTransform  = "transformers"
)

var categoryOrder = []string{catEcosystem, catGovernance, catProducers, catContainers, catData, catConsumers, catTransform}

var compatibilityModes = []string{string(ecosystem.Full), string(ecosystem.Backward), string(ecosystem.Forward), string(ecosystem.NoCheck)}

var _ = define("ecosystem", catEcosystem,
	"The root of the model: the ecosystem's name, the repository that owns its top level, the live repository, "+
		"and the vendors, platforms, zones, assignments and waivers it holds. The entry file calls it exactly once.",
	func(d *definer) func(*call) sl.Value {
		name := d.required("name", "string", "the ecosystem's name")
		repo := d.required("repo", "repo", "the repository (and branch) that owns the top level of the model")
		live := d.required("live_repo", "repo", "the repository (and branch) that holds the live model; it must differ from repo")
		vendors := d.optional("vendors", "list of vendor", "[]", "the infrastructure vendors and their locations")
		platforms := d.optional("platforms", "list of platform", "[]", "the data platforms on offer")
		zones := d.optional("zones", "list of zone", "[]", "the governance zones")
		assignments := d.optional("assignments", "list of assignment", "[]", "explicit platform assignments of dataset groups")
		waivers := d.optional("waivers", "list of waiver", "[]", "waivers of findings on the top level")
		compat := d.optional("compatibility", "string", `"FULL"`, "the default schema compatibility mode: FULL, BACKWARD, FORWARD or NONE")
		d.positional(1)
		d.meta()
		d.example(`ecosystem("Acme", repo = repo("github.com/acme/eco"), live_repo = repo("github.com/acme/eco", branch = "live"), zones = [zone("USA", repo = repo("github.com/acme/usa"))])`)
		return func(c *call) sl.Value {
			obj, e := newObject[ecosystem.Ecosystem](c.spec)
			e.Name = c.str(name)
			e.Repo = derefRepo(objectArg[ecosystem.Repo](c, repo, "repo"))
			e.LiveRepo = derefRepo(objectArg[ecosystem.Repo](c, live, "repo"))
			e.Vendors = objectList[ecosystem.Vendor](c, vendors, "vendor")
			e.Platforms = objectList[ecosystem.Platform](c, platforms, "platform")
			e.Zones = objectList[ecosystem.Zone](c, zones, "zone")
			e.Assignments = objectList[ecosystem.Assignment](c, assignments, "assignment")
			e.Waivers = objectList[ecosystem.Waiver](c, waivers, "waiver")
			e.Compatibility = ecosystem.CompatibilityMode(c.enum(compat, string(ecosystem.Full), compatibilityModes))
			e.Meta = c.meta()
			e.Source = c.src
			if c.err != nil {
				return nil
			}
			c.st.registerRoot(c, e)
			return obj
		}
	})

func derefRepo(r *ecosystem.Repo) ecosystem.Repo {
	if r == nil {
		return ecosystem.Repo{}
	}
	return *r
}

var _ = define("repo", catEcosystem,
	"A git repository and branch. Every part of the model is owned by one; identity is exact (name and branch, case-sensitive).",
	func(d *definer) func(*call) sl.Value {
		name := d.required("name", "string", "the repository, such as \"github.com/acme/eco\"")
		branch := d.optional("branch", "string", `"main"`, "the branch")
		d.positional(1)
		d.example(`repo("github.com/acme/sales", branch = "main")`)
		return func(c *call) sl.Value {
			obj, r := newObject[ecosystem.Repo](c.spec)
			r.Name = c.str(name)
			r.Branch = c.str(branch)
			if c.absent(branch) {
				r.Branch = ecosystem.DefaultBranch
			}
			r.Source = c.src
			return obj
		}
	})

var _ = define("vendor", catEcosystem,
	"An infrastructure vendor (a cloud or a private data centre) and the locations it offers.",
	func(d *definer) func(*call) sl.Value {
		name := d.required("name", "string", "the vendor's name, used in location keys (\"AWS:USA/us-east-1\")")
		cloud := d.optional("cloud", "string", `""`, "the hard cloud vendor behind it (\"aws\", \"azure\", \"gcp\", \"private\"), matched by cloud policies")
		locations := d.optional("locations", "list of location", "[]", "the top-level locations")
		d.positional(1)
		d.meta()
		d.example(`vendor("AWS", cloud = "aws", doc = "Amazon Web Services", locations = [location("USA")])`)
		return func(c *call) sl.Value {
			obj, v := newObject[ecosystem.Vendor](c.spec)
			v.Name = c.str(name)
			v.Cloud = c.str(cloud)
			v.Locations = objectList[ecosystem.Location](c, locations, "location")
			v.Meta = c.meta()
			v.Source = c.src
			return obj
		}
	})

var _ = define("location", catEcosystem,
	"A place a vendor offers (a country, a region, a zone), nested to any depth. A location covers every location under it.",
	func(d *definer) func(*call) sl.Value {
		name := d.required("name", "string", "the location's name")
		locations := d.optional("locations", "list of location", "[]", "the locations inside this one")
		d.positional(1)
		d.meta()
		d.example(`location("USA", locations = [location("us-east-1"), location("us-west-2")])`)
		return func(c *call) sl.Value {
			obj, l := newObject[ecosystem.Location](c.spec)
			l.Name = c.str(name)
			l.Locations = objectList[ecosystem.Location](c, locations, "location")
			l.Meta = c.meta()
			l.Source = c.src
			return obj
		}
	})

var _ = define("platform", catEcosystem,
	"A data platform the ecosystem offers: a name, the kind of implementation the host program registers, and its options.",
	func(d *definer) func(*call) sl.Value {
		name := d.required("name", "string", "the platform's name, which dataset groups, assignments and policies refer to")
		kind := d.required("kind", "string", "the registered platform implementation, such as \"local\"")
		options := d.optional("options", "dict", "{}", "options for the implementation: strings, ints, floats, bools, and lists and dicts of them")
		d.positional(1)
		d.meta()
		d.example(`platform("Live", kind = "legacy", options = {"milestoning": "live"})`)
		return func(c *call) sl.Value {
			obj, p := newObject[ecosystem.Platform](c.spec)
			p.Name = c.str(name)
			p.Kind = c.str(kind)
			p.Options = c.options(options)
			p.Meta = c.meta()
			p.Source = c.src
			return obj
		}
	})

var assignmentStatuses = []string{string(ecosystem.AssignmentActive), string(ecosystem.AssignmentMigrating), string(ecosystem.AssignmentRetiring)}

var _ = define("assignment", catEcosystem,
	"An explicit assignment of a workspace's dataset group to a platform, overriding the broker's choice; a group may have several during a migration.",
	func(d *definer) func(*call) sl.Value {
		ws := d.required("workspace", "string", "the workspace's name")
		group := d.required("group", "string", "the dataset group's name in that workspace")
		platform := d.required("platform", "string", "the platform's name")
		status := d.optional("status", "string", `"active"`, "active, migrating or retiring")
		d.meta()
		d.example(`assignment(workspace = "Churn", group = "live", platform = "Live", status = "migrating")`)
		return func(c *call) sl.Value {
			obj, a := newObject[ecosystem.Assignment](c.spec)
			a.Workspace = c.str(ws)
			a.Group = c.str(group)
			a.Platform = c.str(platform)
			a.Status = ecosystem.AssignmentStatus(c.enum(status, string(ecosystem.AssignmentActive), assignmentStatuses))
			a.Meta = c.meta()
			a.Source = c.src
			return obj
		}
	})
