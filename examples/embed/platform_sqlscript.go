package main

// This file is an example of a custom platform: a host program's own kind,
// "sqlscript", registered beside the library's built-in ones. It realises a
// pipeline by rendering it as PostgreSQL scripts (one file per node, in
// dependency order), a shell script that runs them all and a crontab for
// the triggers: the "render artifacts for an existing engine" way of
// realising pipelines, small but real. Its test uses the platformtest kit.

import (
	"context"
	"fmt"
	"regexp"

	"github.com/datasurface/datasurface-go/ecosystem"
	"github.com/datasurface/datasurface-go/graph"
	"github.com/datasurface/datasurface-go/platforms"
	"github.com/datasurface/datasurface-go/platforms/options"
)

// sqlScriptKind is the kind the model names: platform("Scripts", kind = "sqlscript").
const sqlScriptKind = "sqlscript"

// registerPlatforms adds this program's platform kinds to a registry: all a
// host does to extend the library.
func registerPlatforms(r *platforms.Registry) error {
	return r.Register(sqlScriptKind, newSQLScript)
}

// sqlScript renders pipelines as PostgreSQL scripts. Captured data lands in
// tables of one staging schema (option "schema", default "staging"), named
// STORE__DATASET; each export is a view in the workspace's schema; each
// transformer is its SQL, which writes its output store's staging tables.
type sqlScript struct {
	schema string
}

var sqlIdentifier = regexp.MustCompile(`^[a-z_][a-z0-9_]*$`)

// newSQLScript is the kind's factory. Options: "schema", a lower-case SQL
// identifier.
func newSQLScript(decl *ecosystem.Platform) (platforms.Platform, error) {
	r := options.New(decl)
	p := &sqlScript{schema: "staging"}
	if s, ok := r.String("schema"); ok {
		if sqlIdentifier.MatchString(s) {
			p.schema = s
		} else {
			r.Fail("schema", "not a lower-case SQL identifier", `use letters, digits and "_", such as "staging"`)
		}
	}
	if err := r.Err(); err != nil {
		return nil, err
	}
	return p, nil
}

// Capabilities: batch SQL keeps the latest version of each record, from SQL
// sources and from transformers, into databases, within hours.
func (p *sqlScript) Capabilities() graph.Capabilities {
	return graph.Capabilities{
		CaptureKinds:   []ecosystem.CaptureKind{ecosystem.SQLSnapshot, ecosystem.SQLWatermark, ecosystem.TransformerOutput},
		ContainerKinds: []ecosystem.ContainerKind{ecosystem.DatabaseContainer, ecosystem.PlatformManagedContainer},
		Milestoning:    []ecosystem.Milestoning{ecosystem.Live},
		Latency:        ecosystem.LatencyHours,
	}
}

// The platform's own rules, beyond the capability checks.
var (
	ruleCodeNotSQL = ecosystem.Rule{
		ID:         "SQLSCRIPT_CODE_NOT_SQL",
		Severity:   ecosystem.Error,
		Purpose:    "A transformer run by a sqlscript platform must be SQL code.",
		Categories: []string{graph.CategoryPlatform},
		Hint:       "give the transformer sql_code(...), or assign its workspace's groups to a platform that runs this kind of code",
	}
	ruleExternalTrigger = ecosystem.Rule{
		ID:         "SQLSCRIPT_EXTERNAL_TRIGGER",
		Severity:   ecosystem.Warning,
		Purpose:    "A sqlscript platform schedules cron triggers only; an external trigger needs someone to run the script when the event happens.",
		Categories: []string{graph.CategoryPlatform},
		Hint:       "use a cron trigger, or make sure the event's handler runs the rendered script",
	}
)

// Rules declares the platform's own rule IDs, for reports.
func (p *sqlScript) Rules() []ecosystem.Rule {
	return []ecosystem.Rule{ruleCodeNotSQL, ruleExternalTrigger}
}

// Accept reports what the pipeline needs beyond the capabilities, transformers
// whose code is not SQL, and triggers cron cannot fire.
func (p *sqlScript) Accept(_ context.Context, pl *graph.Pipeline) ecosystem.Diagnostics {
	out := graph.CheckCapabilities(pl, p.Capabilities())
	who := fmt.Sprintf("platform %s (kind %s)", pl.Platform, sqlScriptKind)
	for _, n := range pl.Nodes {
		switch n.Kind {
		case graph.KindTransform:
			t := n.Model.Workspace.Workspace.Transformer
			if t.Code.Kind != "sql" {
				out = append(out, ruleCodeNotSQL.New(n.Path, t.Code.Pos, "%s runs transformers as SQL; transformer %s of workspace %s is %s",
					who, t.Name, n.Workspace, n.Code))
			}
		case graph.KindTrigger:
			if n.Model.Trigger.Kind == ecosystem.ExternalTrigger {
				out = append(out, ruleExternalTrigger.New(n.Path, n.Pos, "%s cannot schedule %s (%s): only cron triggers go into its crontab",
					who, n.ID, n.Trigger))
			}
		}
	}
	out.Sort()
	return out
}
