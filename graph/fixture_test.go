package graph

import (
	"strings"

	"github.com/datasurface/datasurface-go/ecosystem"
	"github.com/datasurface/datasurface-go/types"
)

// fixture builds small models in Go for the tests. Every object gets its own
// line in a pretend file "model.star", so diagnostics have real positions and
// tests can assert them.
type fixture struct {
	e    *ecosystem.Ecosystem
	line int
}

func newFixture(platforms ...string) *fixture {
	f := &fixture{e: &ecosystem.Ecosystem{Name: "Test"}}
	for _, p := range platforms {
		f.platform(p, "test")
	}
	return f
}

// src returns the next source position; argument positions are the call's
// line with the argument's column, so ArgPos is distinguishable.
func (f *fixture) src(args ...string) ecosystem.Source {
	f.line++
	pos := ecosystem.Pos{File: "model.star", Line: f.line, Col: 1}
	s := ecosystem.Source{Pos: pos}
	if len(args) > 0 {
		ps := make([]ecosystem.Pos, len(args))
		for i := range args {
			ps[i] = ecosystem.Pos{File: "model.star", Line: f.line, Col: 10 * (i + 1)}
		}
		s.Args = ecosystem.NewArgPositions(args, ps)
	}
	return s
}

func (f *fixture) platform(name, kind string) *ecosystem.Platform {
	p := &ecosystem.Platform{Name: name, Kind: kind, Source: f.src("kind", "options")}
	f.e.Platforms = append(f.e.Platforms, p)
	return p
}

func (f *fixture) zone(name string, policies ...*ecosystem.Policy) *ecosystem.Zone {
	z := &ecosystem.Zone{Name: name, Policies: policies, Source: f.src()}
	f.e.Zones = append(f.e.Zones, z)
	return z
}

func (f *fixture) platformPolicy(name string, allow, deny []string) *ecosystem.Policy {
	return &ecosystem.Policy{Kind: ecosystem.PlatformPolicy, Name: name, Allow: allow, Deny: deny, Source: f.src()}
}

func (f *fixture) team(z *ecosystem.Zone, name string) *ecosystem.Team {
	t := &ecosystem.Team{Name: name, Source: f.src()}
	z.Teams = append(z.Teams, t)
	return t
}

// capture returns a capture of kind k with the given ingestion mode and, when
// cron is set, a cron trigger.
func (f *fixture) capture(k ecosystem.CaptureKind, mode ecosystem.IngestionMode, cron string) *ecosystem.Capture {
	c := &ecosystem.Capture{Kind: k, Ingestion: mode, Source: f.src()}
	if cron != "" {
		c.Trigger = &ecosystem.Trigger{Kind: ecosystem.CronTrigger, Cron: cron, Source: f.src()}
	}
	return c
}

// store adds a datastore whose datasets each have a key column and a value column.
func (f *fixture) store(t *ecosystem.Team, name string, c *ecosystem.Capture, datasets ...string) *ecosystem.Datastore {
	s := &ecosystem.Datastore{Name: name, Capture: c, Source: f.src()}
	for _, d := range datasets {
		s.Datasets = append(s.Datasets, &ecosystem.Dataset{Name: d, Source: f.src(), Columns: []*ecosystem.Column{
			{Name: "id", Type: types.MustParse("integer"), Key: true, Source: f.src()},
			{Name: "value", Type: types.MustParse("varchar(20)"), Nullable: true, Source: f.src()},
		}})
	}
	t.Datastores = append(t.Datastores, s)
	return s
}

func (f *fixture) workspace(t *ecosystem.Team, name string, p ecosystem.Priority) *ecosystem.Workspace {
	w := &ecosystem.Workspace{Name: name, Priority: p, Source: f.src("container"),
		Container: &ecosystem.Container{Kind: ecosystem.DatabaseContainer, Name: name + "_db", Engine: "postgres", Source: f.src()}}
	t.Workspaces = append(t.Workspaces, w)
	return w
}

// group adds a dataset group; sinks are "Store.dataset".
func (f *fixture) group(w *ecosystem.Workspace, name, platform string, req *ecosystem.Requirements, sinks ...string) *ecosystem.DatasetGroup {
	g := &ecosystem.DatasetGroup{Name: name, Platform: platform, Requirements: req, Source: f.src("platform")}
	for _, s := range sinks {
		store, ds, _ := strings.Cut(s, ".")
		g.Sinks = append(g.Sinks, &ecosystem.Sink{Store: store, Dataset: ds, Source: f.src()})
	}
	w.Groups = append(w.Groups, g)
	return g
}

func (f *fixture) req(m ecosystem.Milestoning, l ecosystem.Latency, locations ...string) *ecosystem.Requirements {
	return &ecosystem.Requirements{Milestoning: m, Latency: l, Locations: locations, Source: f.src("milestoning", "latency", "locations")}
}

// transformer makes w a transformer workspace writing output, which the
// caller adds as a store captured as transformer output.
func (f *fixture) transformer(w *ecosystem.Workspace, output, cron string) {
	w.Transformer = &ecosystem.Transformer{Name: w.Name + "_t", Output: output, Source: f.src(),
		Code: ecosystem.CodeRef{Kind: "sql", SQL: "select * from input"}}
	if cron != "" {
		w.Transformer.Trigger = &ecosystem.Trigger{Kind: ecosystem.CronTrigger, Cron: cron, Source: f.src()}
	}
}

func (f *fixture) assign(workspace, group, platform string, status ecosystem.AssignmentStatus) {
	f.e.Assignments = append(f.e.Assignments, &ecosystem.Assignment{Workspace: workspace, Group: group, Platform: platform,
		Status: status, Source: f.src("workspace", "group", "platform")})
}

func (f *fixture) model() *ecosystem.Ecosystem { return ecosystem.New(f.e) }

// everything supports every feature, at any latency, anywhere.
var everything = Capabilities{CaptureKinds: AllCaptureKinds, ContainerKinds: AllContainerKinds, Milestoning: AllMilestoning}

// capsFor gives each named platform everything.
func capsFor(names ...string) map[string]Capabilities {
	out := map[string]Capabilities{}
	for _, n := range names {
		out[n] = everything
	}
	return out
}
