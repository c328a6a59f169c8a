package sqlplatform

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/datasurface/datasurface-go/ecosystem"
	"github.com/datasurface/datasurface-go/graph"
	"github.com/datasurface/datasurface-go/platforms/sqlplatform/dialect"
)

// The rules of the platform's acceptance check, beyond the capability
// checks (graph) and the name collisions (RuleNameCollision).
var (
	RuleStoreInvalid = ecosystem.Rule{
		ID:         "SQL_STORE_INVALID",
		Severity:   ecosystem.Error,
		Purpose:    "A sql platform's merge store must be an address it can open: \"sqlite:PATH\" or \"postgres://...\", from the --store option, the DSL_STORE_<PLATFORM> environment variable or the declaration's store option.",
		Categories: []string{ecosystem.CategoryPlatform},
		Hint:       `set the store to "sqlite:PATH" or "postgres://USER@HOST:PORT/DATABASE"`,
	}
	RuleSourceUnsupported = ecosystem.Rule{
		ID:         "SQL_SOURCE_UNSUPPORTED",
		Severity:   ecosystem.Error,
		Purpose:    "A datastore a sql platform ingests must be captured from a database it reads: SQLite, PostgreSQL, or MySQL/MariaDB.",
		Categories: []string{ecosystem.CategoryPlatform, ecosystem.CategoryCapture},
		Hint:       "capture the store from sqlite(...), postgres(...) or mysql(...), or assign its consumers' groups to another platform",
	}
	RuleTypeUnsupported = ecosystem.Rule{
		ID:         "SQL_TYPE_UNSUPPORTED",
		Severity:   ecosystem.Error,
		Purpose:    "Every column of a dataset a sql platform ingests must have a type its merge store can hold exactly.",
		Categories: []string{ecosystem.CategoryPlatform, ecosystem.CategorySchema},
		Hint:       "change the column's type to one the merge store holds (docs/SQL_TYPES.md lists the mapping), or use another store",
	}
	RuleColumnReserved = ecosystem.Rule{
		ID:         "SQL_COLUMN_RESERVED",
		Severity:   ecosystem.Error,
		Purpose:    "Column names starting with \"dsl_\" are the sql platform's own (hashes, batches) in its merge tables and views.",
		Categories: []string{ecosystem.CategoryPlatform, ecosystem.CategoryNaming},
		Hint:       "rename the column so that it does not start with \"dsl_\"",
	}
	RuleWatermarkUnsupported = ecosystem.Rule{
		ID:         "SQL_WATERMARK_UNSUPPORTED",
		Severity:   ecosystem.Error,
		Purpose:    "A watermark capture the sql platform runs needs a watermark column whose order the source and the platform agree on (an integer, a date or a timestamp) and key columns to upsert by.",
		Categories: []string{ecosystem.CategoryPlatform, ecosystem.CategoryCapture},
		Hint:       "make the watermark column an integer, date or timestamp and give the dataset key columns, or capture the store with sql_snapshot",
	}
	RuleCDCUnsupported = ecosystem.Rule{
		ID:         "SQL_CDC_UNSUPPORTED",
		Severity:   ecosystem.Error,
		Purpose:    "A change data capture the sql platform runs applies each key's last change, so every dataset it captures needs key columns.",
		Categories: []string{ecosystem.CategoryPlatform, ecosystem.CategoryCapture},
		Hint:       "give the dataset key columns, or capture the store with sql_snapshot",
	}
	RuleTransformerUnsupported = ecosystem.Rule{
		ID:         "SQL_TRANSFORMER_UNSUPPORTED",
		Severity:   ecosystem.Error,
		Purpose:    "The sql platform runs go_code transformers (a Go function the host program registers) and sql_code transformers whose output store has one dataset; git code does not run on it.",
		Categories: []string{ecosystem.CategoryPlatform},
		Hint:       "give the transformer go_code(\"NAME\") (registered with Platform.RegisterTransformer) or sql_code(\"SELECT ...\") writing one dataset",
	}
	RuleTriggerExternal = ecosystem.Rule{
		ID:         "SQL_TRIGGER_EXTERNAL",
		Severity:   ecosystem.Warning,
		Purpose:    "A capture started by an external event runs on the sql platform only when the event is recorded in its merge store (dsl trigger, or Trigger in Go), which a running dsl run picks up; nothing fires it by itself.",
		Categories: []string{ecosystem.CategoryPlatform},
		Hint:       "have the event's producer run dsl trigger MODEL_DIR --platform PLATFORM EVENT (or add --run to run the streams at once), or use a cron trigger",
	}
)

// platformRules are the rules of this file.
var platformRules = []ecosystem.Rule{RuleColumnReserved, RuleSourceUnsupported, RuleStoreInvalid, RuleTriggerExternal, RuleTypeUnsupported, RuleWatermarkUnsupported, RuleCDCUnsupported, RuleTransformerUnsupported}

// The kind ships with the library (platforms.Builtin), so its rules are
// registered with the package, like the other packages' rules: a report's
// rule list then depends on what the program links, not on whether a
// platform of the kind happened to be bound earlier in the process.
// Binding a platform registers the same rules again (EnsureRule), which
// changes nothing.
func init() { ecosystem.MustRegisterRules((*Platform)(nil).Rules()...) }

// Rules returns every rule the platform's Accept emits beyond the
// capability checks, sorted by ID (platforms.RuleSource).
func (p *Platform) Rules() []ecosystem.Rule {
	out := append(slices.Clone(platformRules), Rules()...)
	slices.SortFunc(out, func(a, b ecosystem.Rule) int { return cmp.Compare(a.ID, b.ID) })
	return out
}

// Accept checks the pipeline against the platform: the capability checks
// (capture kinds, containers, milestoning, latency), the merge store's
// address, sources the platform cannot read, column types the store cannot
// hold, reserved column names, external triggers, and tables or views that
// would share a name in the store (CheckNames).
func (p *Platform) Accept(ctx context.Context, pl *graph.Pipeline) ecosystem.Diagnostics {
	out := graph.CheckCapabilities(pl, p.caps)
	who := fmt.Sprintf("platform %s (kind %s)", pl.Platform, Kind)
	declPath := ecosystem.PlatformPath(p.name)
	declPos := p.decl.Pos
	if p.decl.Options != nil {
		declPos = p.decl.ArgPos("options")
	}
	choice, err := p.chooseStore()
	if err != nil {
		out = append(out, RuleStoreInvalid.New(declPath, declPos, "%s: %v", who, err))
		out.Sort()
		return out
	}
	d, err := dialect.ForEngine(choice.dsn.Engine)
	if err != nil {
		out = append(out, RuleStoreInvalid.New(declPath, declPos, "%s: the merge store %s: %v", who, choice.dsn, err))
		out.Sort()
		return out
	}
	for _, n := range pl.Nodes {
		if ctx.Err() != nil {
			break
		}
		switch n.Kind {
		case graph.KindIngest:
			out = append(out, p.acceptIngest(n, d, who)...)
		case graph.KindTransform:
			out = append(out, acceptTransform(n, who)...)
		case graph.KindTrigger:
			if t := n.Model.Trigger; t != nil && t.Kind == ecosystem.ExternalTrigger && n.Store != "" {
				out = append(out, RuleTriggerExternal.New(n.Path, n.Pos, "%s runs %s (%s) when the event is recorded with dsl trigger MODEL_DIR --platform %s %s, which a running dsl run picks up (or --run runs at once); it also runs when asked, with dsl run --once --stream %s",
					who, n.ID, n.Trigger, p.name, t.Event, strings.TrimPrefix(strings.TrimPrefix(n.ID, "trigger:"), "ingest:")))
			}
		}
	}
	out = append(out, CheckNames(pl, d)...)
	out = dedupe(out)
	out.Sort()
	return out
}

// acceptIngest checks one ingest node: its source and its datasets' columns.
func (p *Platform) acceptIngest(n *graph.Node, d dialect.Dialect, who string) ecosystem.Diagnostics {
	var out ecosystem.Diagnostics
	r := n.Model.Store
	if r.Store == nil {
		return nil
	}
	c := r.Store.Capture
	// A mirror reads the primary's store, not the source.
	if c != nil && p.set.mirrorOf == "" && (c.Kind == ecosystem.SQLSnapshot || c.Kind == ecosystem.SQLWatermark || c.Kind == ecosystem.CDC) {
		engine := ""
		pos := c.ArgPos("source")
		if c.From != nil {
			engine = strings.ToLower(c.From.Engine)
			if alias, ok := engineAliases[engine]; ok {
				engine = alias
			}
		}
		if c.From == nil || !isSourceEngine(engine) || c.From.Kind != ecosystem.DatabaseContainer {
			what := "no source"
			if c.From != nil {
				what = fmt.Sprintf("source %q (%s, engine %q)", c.From.Name, c.From.Kind, c.From.Engine)
			}
			out = append(out, RuleSourceUnsupported.New(r.Path(), pos, "%s cannot read datastore %s: its capture has %s; it reads sqlite, postgres and mysql (MariaDB) databases",
				who, r.Store.Name, what))
		}
	}
	for _, ds := range n.Model.Datasets {
		if c != nil && c.Kind == ecosystem.SQLWatermark {
			out = append(out, acceptWatermark(r, ds, c, who)...)
		}
		if c != nil && c.Kind == ecosystem.CDC && !slices.ContainsFunc(ds.Columns, func(col *ecosystem.Column) bool { return col.Key }) {
			out = append(out, RuleCDCUnsupported.New(ecosystem.DatasetPath(r.Zone.Name, r.Team.Name, r.Store.Name, ds.Name), ds.ArgPos("columns"),
				"%s: dataset %s.%s has no key columns, and a change data capture applies the last change of each key", who, r.Store.Name, ds.Name))
		}
		for _, col := range ds.Columns {
			path := ecosystem.ColumnPath(r.Zone.Name, r.Team.Name, r.Store.Name, ds.Name, col.Name)
			if strings.HasPrefix(strings.ToLower(col.Name), reservedPrefix) {
				out = append(out, RuleColumnReserved.New(path, col.Pos, "%s: column %s of dataset %s.%s starts with %q, which the platform's own columns use",
					who, col.Name, r.Store.Name, ds.Name, reservedPrefix))
			}
			if col.Type == nil {
				continue
			}
			if _, err := d.ColumnType(col.Type); err != nil {
				out = append(out, RuleTypeUnsupported.New(path, col.ArgPos("type"), "%s: column %s of dataset %s.%s has type %s, which its %s merge store cannot hold: %v",
					who, col.Name, r.Store.Name, ds.Name, col.Type, d.Name(), err))
			}
		}
	}
	return out
}

// acceptWatermark checks a dataset of a watermark capture: its watermark
// column's type (its presence is lint's WATERMARK_COLUMN_MISSING) and its
// keys.
func acceptWatermark(r ecosystem.StoreRef, ds *ecosystem.Dataset, c *ecosystem.Capture, who string) ecosystem.Diagnostics {
	var out ecosystem.Diagnostics
	path := ecosystem.DatasetPath(r.Zone.Name, r.Team.Name, r.Store.Name, ds.Name)
	if col := ds.Column(c.WatermarkColumn); col != nil && col.Type != nil && !watermarkTypeOK(col.Type) {
		out = append(out, RuleWatermarkUnsupported.New(ecosystem.ColumnPath(r.Zone.Name, r.Team.Name, r.Store.Name, ds.Name, col.Name), col.ArgPos("type"),
			"%s: column %s of dataset %s.%s is the watermark of its capture, but its type %s is not an integer, a date or a timestamp, whose order the source and the platform agree on",
			who, col.Name, r.Store.Name, ds.Name, col.Type))
	}
	keyed := false
	for _, col := range ds.Columns {
		keyed = keyed || col.Key
	}
	if !keyed {
		out = append(out, RuleWatermarkUnsupported.New(path, ds.ArgPos("columns"),
			"%s: dataset %s.%s has no key columns, and a watermark capture upserts its changed rows by key: a keyless row read again could not be told from a duplicate",
			who, r.Store.Name, ds.Name))
	}
	return out
}

// acceptTransform checks a transform node: go_code, or sql_code writing an
// output store of one dataset.
func acceptTransform(n *graph.Node, who string) ecosystem.Diagnostics {
	w := n.Model.Workspace.Workspace
	if w == nil || w.Transformer == nil {
		return nil
	}
	t := w.Transformer
	switch t.Code.Kind {
	case "go":
		return nil
	case "sql":
		if out := n.Model.Output.Store; out != nil && len(out.Datasets) != 1 {
			return ecosystem.Diagnostics{RuleTransformerUnsupported.New(n.Path, t.Code.Pos,
				"%s: the sql_code query of transformer %s of workspace %s fills one dataset, but its output store %s has %d: give each dataset its own transformer, or use go_code",
				who, t.Name, n.Workspace, out.Name, len(out.Datasets))}
		}
		return nil
	}
	return ecosystem.Diagnostics{RuleTransformerUnsupported.New(n.Path, t.Code.Pos, "%s runs go_code and sql_code transformers: transformer %s of workspace %s has %s code",
		who, t.Name, n.Workspace, t.Code.Kind)}
}

// dedupe drops repeated diagnostics: a store ingested dataset by dataset
// has one ingest node per dataset, each reporting the store's source.
func dedupe(ds ecosystem.Diagnostics) ecosystem.Diagnostics {
	seen := map[string]bool{}
	out := ds[:0]
	for _, d := range ds {
		k := d.Rule + "\x00" + d.Path + "\x00" + d.Pos.String() + "\x00" + d.Message
		if !seen[k] {
			seen[k] = true
			out = append(out, d)
		}
	}
	return out
}
