package lint

import (
	"strconv"
	"strings"

	"github.com/datasurface/datasurface-go/ecosystem"
)

// checkValues implements VALUE_INVALID: every enumerated field holds one of
// its values and every code reference is complete. The Starlark builtins
// refuse bad values when the model is evaluated; a model built in Go has only
// this rule between it and the platforms.
func checkValues(p *pass, r *reporter) {
	m := p.m
	bad := func(path string, pos ecosystem.Pos, what, value, want string) {
		d := r.diag(path, pos, "%s is %q, which is not a known value", what, value)
		d.Hint = "use one of " + want
		r.add(d)
	}
	compat := func(path string, src ecosystem.Source, what string, mode ecosystem.CompatibilityMode) {
		switch mode {
		case "", ecosystem.Backward, ecosystem.Forward, ecosystem.Full, ecosystem.NoCheck:
		default:
			bad(path, src.ArgPos("compatibility"), what+" compatibility", string(mode), "BACKWARD, FORWARD, FULL, NONE")
		}
	}
	compat("", m.Source, "the ecosystem's", m.Compatibility)
	for _, pl := range m.Platforms {
		if strings.TrimSpace(pl.Kind) == "" {
			d := r.diag(ecosystem.PlatformPath(pl.Name), pl.ArgPos("kind"), "platform %q has no kind", pl.Name)
			d.Hint = `name the platform implementation registered by the host program, for example kind = "legacy"`
			r.add(d)
		}
	}
	for _, a := range m.Assignments {
		switch a.Status {
		case "", ecosystem.AssignmentActive, ecosystem.AssignmentMigrating, ecosystem.AssignmentRetiring:
		default:
			bad(assignmentPath(a), a.ArgPos("status"), "the status of the assignment of "+quote(a.Workspace+"/"+a.Group)+" to "+quote(a.Platform), string(a.Status), "active, migrating, retiring")
		}
	}
	for _, z := range m.Zones {
		for _, pol := range z.Policies {
			switch pol.Kind {
			case ecosystem.VendorPolicy, ecosystem.CloudPolicy, ecosystem.LocationPolicy, ecosystem.PlatformPolicy, ecosystem.ClassificationPolicy, ecosystem.StoragePolicy:
			default:
				bad(ecosystem.ZonePath(z.Name), pol.Pos, "the kind of policy "+quote(pol.Name)+" of zone "+quote(z.Name), string(pol.Kind), "vendor, cloud, location, platform, classification, storage")
			}
		}
	}
	for _, s := range p.stores {
		if c := s.Store.Capture; c != nil {
			checkCaptureValues(s, c, bad)
		}
		for _, ds := range s.Store.Datasets {
			if ds.Compatibility != "" {
				compat(datasetPath(s, ds), ds.Source, "dataset "+quote(ds.Name)+"'s", ds.Compatibility)
			}
		}
	}
	for _, w := range p.workspaces {
		checkWorkspaceValues(w, r, bad)
	}
}

type badValue func(path string, pos ecosystem.Pos, what, value, want string)

func checkCaptureValues(s ecosystem.StoreRef, c *ecosystem.Capture, bad badValue) {
	switch c.Kind {
	case ecosystem.SQLSnapshot, ecosystem.SQLWatermark, ecosystem.CDC, ecosystem.StreamingTopic, ecosystem.TransformerOutput:
	default:
		bad(s.Path(), c.Pos, "the capture kind of datastore "+quote(s.Store.Name), string(c.Kind), "sql_snapshot, sql_watermark, cdc, streaming, transformer_output")
	}
	switch c.Ingestion {
	case "", ecosystem.IngestStore, ecosystem.IngestDataset:
	default:
		bad(s.Path(), c.ArgPos("ingestion"), "the ingestion of datastore "+quote(s.Store.Name), string(c.Ingestion), "store, dataset")
	}
	if c.Trigger != nil {
		checkTriggerValues(c.Trigger, bad, func() (string, string) { return s.Path(), "datastore " + quote(s.Store.Name) })
	}
	if f := c.From; f != nil {
		switch f.Kind {
		case "", ecosystem.DatabaseContainer, ecosystem.PlatformManagedContainer, ecosystem.TopicContainer:
		default:
			bad(s.Path(), f.Pos, "the kind of capture source "+quote(f.Name), string(f.Kind), "database, platform, topic_broker")
		}
	}
}

// checkTriggerValues checks a trigger's kind and event; where describes the
// trigger's owner and runs only on failure.
func checkTriggerValues(t *ecosystem.Trigger, bad badValue, where func() (path, owner string)) {
	switch t.Kind {
	case ecosystem.CronTrigger:
	case ecosystem.ExternalTrigger:
		if strings.TrimSpace(t.Event) == "" {
			path, owner := where()
			bad(path, t.ArgPos("event"), "the external trigger event of "+owner, t.Event, "a non-empty event name")
		}
	default:
		path, owner := where()
		bad(path, t.Pos, "the trigger kind of "+owner, string(t.Kind), "cron, external")
	}
}

func checkWorkspaceValues(w ecosystem.WorkspaceRef, r *reporter, bad badValue) {
	ws := w.Workspace
	if ws.Priority < 0 || ws.Priority > ecosystem.PriorityCritical {
		bad(w.Path(), ws.ArgPos("priority"), "the priority of workspace "+quote(ws.Name), strconv.Itoa(int(ws.Priority)), "low, normal, high, critical")
	}
	if c := ws.Container; c != nil {
		switch c.Kind {
		case "", ecosystem.DatabaseContainer, ecosystem.PlatformManagedContainer, ecosystem.TopicContainer:
		default:
			bad(w.Path(), c.Pos, "the kind of container "+quote(c.Name)+" of workspace "+quote(ws.Name), string(c.Kind), "database, platform, topic_broker")
		}
	}
	for _, g := range ws.Groups {
		q := g.Requirements
		if q == nil {
			continue
		}
		switch q.Milestoning {
		case "", ecosystem.Live, ecosystem.Forensic:
		default:
			bad(ecosystem.GroupPath(w.Zone.Name, w.Team.Name, ws.Name, g.Name), q.ArgPos("milestoning"), "the milestoning of dataset group "+quote(g.Name), string(q.Milestoning), "live, forensic")
		}
		if q.Latency < 0 || q.Latency > ecosystem.LatencyDays {
			bad(ecosystem.GroupPath(w.Zone.Name, w.Team.Name, ws.Name, g.Name), q.ArgPos("latency"), "the latency of dataset group "+quote(g.Name), strconv.Itoa(int(q.Latency)), "seconds, minutes, hours, days")
		}
	}
	t := ws.Transformer
	if t == nil {
		return
	}
	if t.Trigger != nil {
		checkTriggerValues(t.Trigger, bad, func() (string, string) { return w.Path(), "transformer " + quote(t.Name) })
	}
	code := t.Code
	pos := t.ArgPos("code")
	var missing string
	switch code.Kind {
	case "git":
		if code.Path == "" {
			missing = "a git code reference needs the path of the code in the repository"
		}
	case "sql":
		if strings.TrimSpace(code.SQL) == "" {
			missing = "an sql code reference needs the SQL text"
		}
	case "go":
		if code.Func == "" {
			missing = "a go code reference needs the name of the function the host program registers"
		}
	default:
		bad(w.Path(), pos, "the code kind of transformer "+quote(t.Name), code.Kind, "git, sql, go")
		return
	}
	if missing != "" {
		d := r.diag(w.Path(), pos, "the code of transformer %q is incomplete: %s", t.Name, missing)
		d.Hint = "complete the code reference of the transformer"
		r.add(d)
	}
}
