package lint

import "github.com/datasurface/datasurface-go/ecosystem"

// entry is a registered rule: its description and its check, which walks
// the whole model and reports every finding of this rule only.
//
// example and fix are short model fragments, shown in docs/RULES.md (which
// a test generates from this table): one that fires the rule and the same
// one corrected.
type entry struct {
	rule    ecosystem.Rule
	check   func(p *pass, r *reporter)
	example string
	fix     string
}

// The categories lint rules belong to: short names for the ecosystem's
// vocabulary (see ecosystem.Categories).
const (
	catNaming         = ecosystem.CategoryNaming
	catReferences     = ecosystem.CategoryReferences
	catSchema         = ecosystem.CategorySchema
	catClassification = ecosystem.CategoryClassification
	catCapture        = ecosystem.CategoryCapture
	catLifecycle      = ecosystem.CategoryLifecycle
	catSecurity       = ecosystem.CategorySecurity
	catTransformers   = ecosystem.CategoryTransformers
	catOwnership      = ecosystem.CategoryOwnership
	catDocumentation  = ecosystem.CategoryDocumentation
	catWaivers        = ecosystem.CategoryWaivers
)

// registry lists every lint rule. IDs are stable: tools, waivers and CI
// configurations refer to them, so a rule is never renamed, only retired.
// Order here is irrelevant; Rules sorts by ID.
var registry = []entry{
	{
		rule: ecosystem.Rule{
			ID: "NAME_INVALID", Severity: ecosystem.Error, Categories: []string{catNaming},
			Purpose: "Names of the ecosystem, zones, teams, datastores, datasets, columns, workspaces, dataset groups, platforms and vendors are SQL identifiers; location names contain no '/' or ':'.",
			Hint:    "use an ASCII letter first, then ASCII letters, digits or _, at most 128 characters, and no SQL reserved word",
		},
		check: checkNames,
		example: `column("first-name", "varchar(50)")
dataset("order", columns = [...])   # ORDER is reserved`,
		fix: `column("first_name", "varchar(50)")
dataset("orders", columns = [...])`,
	},
	{
		rule: ecosystem.Rule{
			ID: "REPO_INVALID", Severity: ecosystem.Error, Categories: []string{catNaming, catOwnership},
			Purpose: "Every owning repository (ecosystem, zone, team) and every git code reference names a repository and a branch.",
			Hint:    `give the repository and branch, for example repo("github.com/acme/sales", branch = "main")`,
		},
		check:   checkRepos,
		example: `team("Sales", repo = repo("github.com/acme/sales", branch = ""))`,
		fix:     `team("Sales", repo = repo("github.com/acme/sales", branch = "main"))`,
	},
	{
		rule: ecosystem.Rule{
			ID: "DUPLICATE_NAME", Severity: ecosystem.Error, Categories: []string{catNaming},
			Purpose: "Datastore and workspace names are unique in the ecosystem; other names are unique among their siblings (ignoring letter case for SQL names); a group lists a dataset once and an assignment is not repeated.",
			Hint:    "rename one of the two or remove the repeated declaration",
		},
		check: checkDuplicates,
		example: `# team Sales
datastore("Customers", ...)
# team Marketing
datastore("customers", ...)`,
		fix: `# team Marketing
datastore("MarketingCustomers", ...)`,
	},
	{
		rule: ecosystem.Rule{
			ID: "SINK_UNRESOLVED", Severity: ecosystem.Error, Categories: []string{catReferences},
			Purpose: "Each sink names a declared datastore and one of its datasets.",
			Hint:    "name a declared datastore and one of its datasets",
		},
		check:   checkSinks,
		example: `sink("Custmers", "customers")`,
		fix:     `sink("Customers", "customers")`,
	},
	{
		rule: ecosystem.Rule{
			ID: "LOCATION_UNRESOLVED", Severity: ecosystem.Error, Categories: []string{catReferences},
			Purpose: "Location keys of containers and requirements are Vendor:Path and resolve to a declared location.",
			Hint:    `write Vendor:Path naming a declared location, for example "AWS:USA/us-east-1"`,
		},
		check:   checkLocations,
		example: `postgres("crm", locations = ["AWS:USA/us-east-9"])`,
		fix:     `postgres("crm", locations = ["AWS:USA/us-east-1"])`,
	},
	{
		rule: ecosystem.Rule{
			ID: "PLATFORM_UNRESOLVED", Severity: ecosystem.Error, Categories: []string{catReferences},
			Purpose: "Dataset groups, explicit assignments and platform policies name declared platforms.",
			Hint:    "name a platform declared in the ecosystem's platforms",
		},
		check:   checkPlatforms,
		example: `dataset_group("live", platform = "Lvie", sinks = [...])`,
		fix:     `dataset_group("live", platform = "Live", sinks = [...])`,
	},
	{
		rule: ecosystem.Rule{
			ID: "ASSIGNMENT_UNRESOLVED", Severity: ecosystem.Error, Categories: []string{catReferences},
			Purpose: "Each explicit platform assignment names a declared workspace and one of its dataset groups.",
			Hint:    "name a declared workspace and one of its dataset groups",
		},
		check:   checkAssignments,
		example: `assignment(workspace = "Chrun", group = "live", platform = "Live")`,
		fix:     `assignment(workspace = "Churn", group = "live", platform = "Live")`,
	},
	{
		rule: ecosystem.Rule{
			ID: "POLICY_REFERENCE_UNRESOLVED", Severity: ecosystem.Error, Categories: []string{catReferences, catSecurity},
			Purpose: "Vendor policies name declared vendors and location policies declared locations, so that no policy silently allows or denies nothing.",
			Hint:    "name a declared vendor or location",
		},
		check:   checkPolicyReferences,
		example: `vendor_policy("Clouds", allow = ["AWS", "Azure"])   # no vendor Azure is declared`,
		fix: `# declare vendor("Azure", ...) in the ecosystem, or:
vendor_policy("Clouds", allow = ["AWS"])`,
	},
	{
		rule: ecosystem.Rule{
			ID: "POLICY_CONTRADICTORY", Severity: ecosystem.Error, Categories: []string{catSecurity},
			Purpose: "No entry a policy allows is also covered by what it denies: deny wins, so the allow entry would allow nothing while reading as if it did.",
			Hint:    "remove the entry from allow or from deny, whichever is the mistake",
		},
		check:   checkPolicyContradictions,
		example: `location_policy("US", allow = ["AWS:USA/us-east-1"], deny = ["AWS:USA"])`,
		fix:     `location_policy("US", allow = ["AWS:USA"], deny = ["AWS:USA/us-west-2"])   # a carve-out is fine`,
	},
	{
		rule: ecosystem.Rule{
			ID: "CLASSIFICATION_NONCANONICAL", Severity: ecosystem.Warning, Categories: []string{catClassification, catSecurity},
			Purpose: "Classifications are written in canonical form (lower-case ASCII, no blanks), the form policies compare them in, so that \"MNPI\", \"mnpi \" or a look-alike letter from another script does not read as another label.",
			Hint:    "write the classification in lower-case ASCII without blanks",
		},
		check:   checkClassificationLabels,
		example: `dataset("trades", classification = "MNPI", columns = [...])`,
		fix:     `dataset("trades", classification = "mnpi", columns = [...])`,
	},
	{
		rule: ecosystem.Rule{
			ID: "CLASSIFICATION_UNMATCHED", Severity: ecosystem.Warning, Categories: []string{catClassification, catSecurity},
			Purpose: "No classification is one typo (or one '_' or '-') away from a label a classification policy names, and no policy names a label no data carries but one typo from a carried one: policies match labels exactly, so a near miss escapes them.",
			Hint:    "write the label the policy names, or fix the policy entry",
		},
		check: checkClassificationUnmatched,
		example: `classification_policy("No MNPI", deny = ["mnpi"])
dataset("trades", classification = "mnip", columns = [...])   # escapes the policy`,
		fix: `dataset("trades", classification = "mnpi", columns = [...])`,
	},
	{
		rule: ecosystem.Rule{
			ID: "TRANSFORMER_OUTPUT_UNRESOLVED", Severity: ecosystem.Error, Categories: []string{catReferences, catTransformers},
			Purpose: "Each transformer names the datastore it writes, and that datastore is declared.",
			Hint:    `declare the output datastore in the transformer's team and set output = "ThatStore"`,
		},
		check:   checkTransformerOutputs,
		example: `transformer("enrich", code = sql_code("..."), output = "Enrichd")`,
		fix:     `transformer("enrich", code = sql_code("..."), output = "Enriched")`,
	},
	{
		rule: ecosystem.Rule{
			ID: "DATASET_NO_COLUMNS", Severity: ecosystem.Error, Categories: []string{catSchema},
			Purpose: "A dataset has at least one column.",
			Hint:    "declare the dataset's columns",
		},
		check:   checkNoColumns,
		example: `dataset("customers", classification = "public")`,
		fix:     `dataset("customers", classification = "public", columns = [column("id", "integer", key = True)])`,
	},
	{
		rule: ecosystem.Rule{
			ID: "DATASET_NO_PRIMARY_KEY", Severity: ecosystem.Error, Categories: []string{catSchema},
			Purpose: "A dataset has a primary key: merging, live and history milestoning identify records by key; the reference let keyless tables pass.",
			Hint:    "mark the column(s) that identify a record with key = True",
		},
		check:   checkPrimaryKey,
		example: `dataset("customers", columns = [column("id", "integer"), column("name", "varchar(50)")])`,
		fix:     `dataset("customers", columns = [column("id", "integer", key = True), column("name", "varchar(50)")])`,
	},
	{
		rule: ecosystem.Rule{
			ID: "KEY_COLUMN_NULLABLE", Severity: ecosystem.Error, Categories: []string{catSchema},
			Purpose: "Primary key columns are not nullable.",
			Hint:    "drop nullable = True from the key column, or take it out of the key",
		},
		check:   checkKeyNullable,
		example: `column("id", "integer", key = True, nullable = True)`,
		fix:     `column("id", "integer", key = True)`,
	},
	{
		rule: ecosystem.Rule{
			ID: "PARTITION_COLUMN_UNKNOWN", Severity: ecosystem.Error, Categories: []string{catSchema},
			Purpose: "partition_by names columns of the dataset.",
			Hint:    "partition by columns of the dataset",
		},
		check:   checkPartitions,
		example: `dataset("sales", columns = [..., column("region", "varchar(2)")], partition_by = ["regoin"])`,
		fix:     `dataset("sales", columns = [..., column("region", "varchar(2)")], partition_by = ["region"])`,
	},
	{
		rule: ecosystem.Rule{
			ID: "COLUMN_TYPE_MISSING", Severity: ecosystem.Error, Categories: []string{catSchema},
			Purpose: "Every column has a data type (models built in Go can omit it).",
			Hint:    `give the column a type, for example column("id", "integer")`,
		},
		check: checkColumnTypes,
		example: `// Go
&ecosystem.Column{Name: "id", Key: true}`,
		fix: `&ecosystem.Column{Name: "id", Type: types.MustParse("integer"), Key: true}`,
	},
	{
		rule: ecosystem.Rule{
			ID: "DATASET_UNCLASSIFIED", Severity: ecosystem.Warning, Categories: []string{catClassification},
			Purpose: "A dataset of a non-production store is classified, as a whole or on every column.",
			Hint:    `classify the dataset (classification = "public") or every column`,
		},
		check:   checkUnclassified,
		example: `dataset("customers", columns = [...])`,
		fix:     `dataset("customers", classification = "pc1", columns = [...])`,
	},
	{
		rule: ecosystem.Rule{
			ID: "PRODUCTION_UNCLASSIFIED", Severity: ecosystem.Error, Categories: []string{catClassification, catSecurity},
			Purpose: "Every dataset of a production store is classified, as a whole or on every column.",
			Hint:    `classify the dataset (classification = "public") or every column`,
		},
		check:   checkProductionUnclassified,
		example: `datastore("Customers", production = True, datasets = [dataset("customers", columns = [...])])`,
		fix:     `datastore("Customers", production = True, datasets = [dataset("customers", classification = "pc1", columns = [...])])`,
	},
	{
		rule: ecosystem.Rule{
			ID: "CLASSIFICATION_BOTH_LEVELS", Severity: ecosystem.Error, Categories: []string{catClassification},
			Purpose: "A dataset is classified as a whole or column by column, not both.",
			Hint:    "keep either the dataset's classification or the columns' classifications",
		},
		check: checkBothLevels,
		example: `dataset("customers", classification = "pc1", columns = [
    column("id", "integer", key = True),
    column("email", "varchar(50)", classification = "pc2"),
])`,
		fix: `dataset("customers", columns = [
    column("id", "integer", key = True, classification = "pc1"),
    column("email", "varchar(50)", classification = "pc2"),
])`,
	},
	{
		rule: ecosystem.Rule{
			ID: "CAPTURE_MISSING", Severity: ecosystem.Error, Categories: []string{catCapture},
			Purpose: "Every datastore says how it is captured.",
			Hint:    `add a capture, for example capture = sql_snapshot(source = postgres(...), trigger = cron("*/15 * * * *"), credential = credential(...))`,
		},
		check:   checkCaptureMissing,
		example: `datastore("Customers", datasets = [...])`,
		fix:     `datastore("Customers", datasets = [...], capture = sql_snapshot(source = postgres("crm", ...), trigger = cron("*/15 * * * *")))`,
	},
	{
		rule: ecosystem.Rule{
			ID: "CAPTURE_SOURCE_MISSING", Severity: ecosystem.Error, Categories: []string{catCapture},
			Purpose: "SQL snapshot, SQL watermark, CDC and streaming captures name the container they read.",
			Hint:    "give the capture a source container",
		},
		check: checkCaptureSource,
		example: `// Go
&ecosystem.Capture{Kind: ecosystem.SQLSnapshot}`,
		fix: `&ecosystem.Capture{Kind: ecosystem.SQLSnapshot, From: &ecosystem.Container{Kind: ecosystem.DatabaseContainer, Name: "crm", Engine: "postgres"}}`,
	},
	{
		rule: ecosystem.Rule{
			ID: "CRON_INVALID", Severity: ecosystem.Error, Categories: []string{catCapture, catTransformers},
			Purpose: "Cron schedules of capture and transformer triggers are valid five-field cron expressions, with no step of zero or wider than the range it divides (\"*/61\" minutes would fire only at minute 0).",
			Hint:    `write minute hour day-of-month month day-of-week, for example "*/15 * * * *"`,
		},
		check:   checkCron,
		example: `trigger = cron("*/5 * * *")`,
		fix:     `trigger = cron("*/5 * * * *")`,
	},
	{
		rule: ecosystem.Rule{
			ID: "WATERMARK_COLUMN_MISSING", Severity: ecosystem.Error, Categories: []string{catCapture, catSchema},
			Purpose: "An sql_watermark capture names its watermark column and every dataset of the store has that column.",
			Hint:    "add the watermark column to every dataset of the store",
		},
		check: checkWatermarkColumn,
		example: `datastore("Orders", capture = sql_watermark(source = postgres("shop"), watermark = "updated_at"), datasets = [
    dataset("lines", columns = [column("id", "integer", key = True)]),
])`,
		fix: `dataset("lines", columns = [column("id", "integer", key = True), column("updated_at", "timestamp")])`,
	},
	{
		rule: ecosystem.Rule{
			ID: "WATERMARK_TYPE_MISMATCH", Severity: ecosystem.Error, Categories: []string{catCapture, catSchema},
			Purpose: "The watermark column has the same type in every dataset of the store.",
			Hint:    "give the watermark column one type in every dataset",
		},
		check: checkWatermarkType,
		example: `dataset("orders", columns = [..., column("updated_at", "timestamp")])
dataset("lines", columns = [..., column("updated_at", "date")])`,
		fix: `dataset("lines", columns = [..., column("updated_at", "timestamp")])`,
	},
	{
		rule: ecosystem.Rule{
			ID: "LIVE_REPO_SAME_AS_OWNER", Severity: ecosystem.Error, Categories: []string{catOwnership},
			Purpose: "The live repository differs (name or branch) from the repositories that own the ecosystem, its zones and its teams.",
			Hint:    `point live_repo at the branch that holds the merged model, for example repo("github.com/acme/eco", branch = "live")`,
		},
		check: checkLiveRepo,
		example: `repo = repo("github.com/acme/eco", branch = "main"),
live_repo = repo("github.com/acme/eco", branch = "main"),`,
		fix: `repo = repo("github.com/acme/eco", branch = "main"),
live_repo = repo("github.com/acme/eco", branch = "live"),`,
	},
	{
		rule: ecosystem.Rule{
			ID: "VENDOR_UNDOCUMENTED", Severity: ecosystem.Warning, Categories: []string{catDocumentation},
			Purpose: "Every vendor has documentation.",
			Hint:    `add doc = "..." to the vendor`,
		},
		check:   checkVendorDocs,
		example: `vendor("MyCorp", cloud = "private", locations = [...])`,
		fix:     `vendor("MyCorp", cloud = "private", doc = "Our own data centres in New York", locations = [...])`,
	},
	{
		rule: ecosystem.Rule{
			ID: "TRANSFORMER_OUTPUT_FOREIGN", Severity: ecosystem.Error, Categories: []string{catTransformers, catOwnership},
			Purpose: "A transformer writes a datastore of its own team.",
			Hint:    "declare the output datastore in the transformer's team",
		},
		check: checkOutputForeign,
		example: `# team Analytics; Enriched is declared in team Sales
transformer("enrich", code = sql_code("..."), output = "Enriched")`,
		fix: `# declare datastore("Enriched", capture = transformer_output(), ...) in team Analytics`,
	},
	{
		rule: ecosystem.Rule{
			ID: "TRANSFORMER_OUTPUT_CAPTURE", Severity: ecosystem.Error, Categories: []string{catTransformers, catCapture},
			Purpose: "A transformer's output store is captured as transformer output, and a store captured so is some transformer's output.",
			Hint:    "capture a transformer's output store as transformer output, and only such stores",
		},
		check: checkOutputCapture,
		example: `# written by transformer("enrich", ..., output = "Enriched")
datastore("Enriched", capture = sql_snapshot(...), datasets = [...])`,
		fix: `datastore("Enriched", capture = transformer_output(), datasets = [...])`,
	},
	{
		rule: ecosystem.Rule{
			ID: "TRANSFORMER_OUTPUT_SHARED", Severity: ecosystem.Error, Categories: []string{catTransformers},
			Purpose: "No two transformers write the same datastore.",
			Hint:    "give each transformer its own output datastore",
		},
		check: checkOutputShared,
		example: `transformer("enrich", code = sql_code("..."), output = "Enriched")
transformer("enrich2", code = sql_code("..."), output = "Enriched")`,
		fix: `transformer("enrich2", code = sql_code("..."), output = "Enriched2")`,
	},
	{
		rule: ecosystem.Rule{
			ID: "TRANSFORMER_CYCLE", Severity: ecosystem.Error, Categories: []string{catTransformers},
			Purpose: "No transformer consumes its own output, directly or through other transformers.",
			Hint:    "break the cycle: a transformer must not consume, even indirectly, the datastore it writes",
		},
		check: checkCycles,
		example: `workspace("WS_A", groups = [dataset_group("inputs", sinks = [sink("StoreB", "items")])],
          transformer = transformer("a", code = sql_code("..."), output = "StoreA"))
workspace("WS_B", groups = [dataset_group("inputs", sinks = [sink("StoreA", "items")])],
          transformer = transformer("b", code = sql_code("..."), output = "StoreB"))`,
		fix: `# WS_A reads the source data instead of WS_B's output
workspace("WS_A", groups = [dataset_group("inputs", sinks = [sink("Raw", "items")])], ...)`,
	},
	{
		rule: ecosystem.Rule{
			ID: "DEPRECATED_DATA_USED", Severity: ecosystem.Warning, Categories: []string{catLifecycle},
			Purpose: "A sink that uses a deprecated datastore or dataset, and allows it, is reported so the consumer moves on.",
			Hint:    "move to the data that replaces it",
		},
		check:   checkDeprecatedUsed,
		example: `sink("Legacy", "items", allow_deprecated = True)   # Legacy has deprecation = deprecated("use Customers")`,
		fix:     `sink("Customers", "items")`,
	},
	{
		rule: ecosystem.Rule{
			ID: "DEPRECATED_DATA_REFUSED", Severity: ecosystem.Error, Categories: []string{catLifecycle},
			Purpose: "A sink uses a deprecated datastore or dataset only if it allows deprecated data.",
			Hint:    "use the replacement, or set allow_deprecated = True on the sink for now",
		},
		check:   checkDeprecatedRefused,
		example: `sink("Legacy", "items")   # Legacy has deprecation = deprecated("use Customers")`,
		fix: `sink("Customers", "items")
# or, for now:
sink("Legacy", "items", allow_deprecated = True)`,
	},
	{
		rule: ecosystem.Rule{
			ID: "APPROVAL_MISSING", Severity: ecosystem.Error, Categories: []string{catSecurity, catLifecycle},
			Purpose: "A datastore that lists approved workspaces is used only by those workspaces.",
			Hint:    "ask the producing team to approve the workspace",
		},
		check: checkApprovals,
		example: `datastore("Customers", ..., approved_workspaces = ["Churn"])
workspace("Upsell", groups = [dataset_group("main", sinks = [sink("Customers", "items")])])`,
		fix: `datastore("Customers", ..., approved_workspaces = ["Churn", "Upsell"])`,
	},
	{
		rule: ecosystem.Rule{
			ID: "GROUP_NO_SINKS", Severity: ecosystem.Warning, Categories: []string{catReferences},
			Purpose: "A dataset group has at least one sink.",
			Hint:    "add the datasets the group needs, or remove the group",
		},
		check:   checkGroupSinks,
		example: `dataset_group("later", platform = "Live")`,
		fix:     `dataset_group("later", platform = "Live", sinks = [sink("Customers", "customers")])`,
	},
	{
		rule: ecosystem.Rule{
			ID: "WAIVER_INVALID", Severity: ecosystem.Error, Categories: []string{catWaivers},
			Purpose: "A waiver names a rule ID, a reason and an expiry date (its scope, expiry and use are checked by governance).",
			Hint:    "give the waiver a rule ID, a reason and an expiry date",
		},
		check:   checkWaivers,
		example: `waiver(rule = "GROUP_NO_SINKS", path = "USA/Sales", reason = "", expires = "2030-01-01")`,
		fix:     `waiver(rule = "GROUP_NO_SINKS", path = "USA/Sales", reason = "groups are filled in PROJ-42", expires = "2030-01-01")`,
	},
	{
		rule: ecosystem.Rule{
			ID: "VALUE_INVALID", Severity: ecosystem.Error, Categories: []string{catSchema},
			Purpose: "Enumerated fields (kinds, modes, statuses, priorities) hold known values and code references are complete; guards models built in Go.",
			Hint:    "use one of the documented values",
		},
		check:   checkValues,
		example: `transformer("enrich", code = sql_code(""), output = "Enriched", trigger = external(""))`,
		fix:     `transformer("enrich", code = sql_code("insert into ..."), output = "Enriched", trigger = external("orders_loaded"))`,
	},
}
