package graph

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/datasurface/datasurface-go/ecosystem"
)

// Basis says how a group's platforms were decided.
type Basis string

// The bases, in the order the broker tries them.
const (
	// BasisAssignment: the ecosystem assigns the group explicitly, possibly
	// to several platforms during a migration.
	BasisAssignment Basis = "assignment"
	// BasisNamed: the group names its platform.
	BasisNamed Basis = "named"
	// BasisRequirements: the broker chose the best platform for the group's
	// requirements among those its data's zones allow.
	BasisRequirements Basis = "requirements"
)

// Served is one platform serving a group.
type Served struct {
	Platform string                     `json:"platform"`
	Status   ecosystem.AssignmentStatus `json:"status"`
	// Pos is where the choice is stated: the assignment, the group's platform
	// argument, or the group itself when the broker chose.
	Pos ecosystem.Pos `json:"pos"`
}

// Candidate is one declared platform considered for a group, with why it was
// or was not chosen.
type Candidate struct {
	Platform string `json:"platform"`
	Chosen   bool   `json:"chosen"`
	// Why is one sentence saying why the platform was or was not chosen.
	Why string `json:"why"`
	// Unmet lists the requirements, pipeline features and zone policies the
	// platform does not meet; empty when it meets them all.
	Unmet []string `json:"unmet,omitempty"`
}

// GroupAssignment is the broker's decision for one dataset group.
type GroupAssignment struct {
	Workspace string        `json:"workspace"`
	Group     string        `json:"group"`
	Path      string        `json:"path"`
	Pos       ecosystem.Pos `json:"pos"`
	Basis     Basis         `json:"basis"`
	// Zones are the zones whose data the group consumes, directly or through
	// transformers; their platform policies filter the candidates.
	Zones []string `json:"zones,omitempty"`
	// Served lists the platforms serving the group, sorted by name; empty
	// when none could (a diagnostic says why).
	Served []Served `json:"served"`
	// Candidates holds every declared platform, sorted by name.
	Candidates []Candidate `json:"candidates"`

	// Ref and DatasetGroup are the model objects, for callers in Go.
	Ref          ecosystem.WorkspaceRef  `json:"-"`
	DatasetGroup *ecosystem.DatasetGroup `json:"-"`
}

// ServedBy returns how the named platform serves the group, if it does.
func (g *GroupAssignment) ServedBy(platform string) (Served, bool) {
	for _, s := range g.Served {
		if s.Platform == platform {
			return s, true
		}
	}
	return Served{}, false
}

// Assignments holds the broker's decision for every dataset group of a model.
type Assignments struct {
	// Groups is sorted by workspace, then group name.
	Groups []*GroupAssignment
	// Diagnostics holds the assignment problems, sorted.
	Diagnostics ecosystem.Diagnostics

	model      *ecosystem.Ecosystem
	byKey      map[[2]string]*GroupAssignment
	byPlatform map[string][]*GroupAssignment
}

// Group returns the decision for a workspace's group, or nil.
func (a *Assignments) Group(workspace, group string) *GroupAssignment {
	return a.byKey[[2]string{workspace, group}]
}

// ForPlatform returns the groups the named platform serves, sorted by
// workspace and group.
func (a *Assignments) ForPlatform(platform string) []*GroupAssignment {
	return a.byPlatform[platform]
}

// Platforms returns the names of the platforms that serve at least one group, sorted.
func (a *Assignments) Platforms() []string {
	out := make([]string, 0, len(a.byPlatform))
	for p := range a.byPlatform {
		out = append(out, p)
	}
	slices.Sort(out)
	return out
}

// Model returns the model the assignments were made for.
func (a *Assignments) Model() *ecosystem.Ecosystem { return a.model }

// Assign decides which platforms serve each dataset group of m. caps holds
// what each bound platform supports, keyed by platform name; a declared
// platform missing from caps can still be named or assigned explicitly but is
// never chosen by requirements.
//
// References that do not resolve (an assignment or a group naming an
// undeclared platform, an assignment naming an unknown group) are skipped,
// since lint reports them; the group is then served by what remains.
//
// For each group, in order: explicit assignments in the ecosystem win (all of
// them, each with its status); else the platform the group names; else the
// broker picks one platform among those that meet the group's requirements
// (milestoning, latency, locations), support the capture kinds of every store
// and the containers of every workspace in the group's pipeline, and are
// allowed by the platform policies of every zone whose data the group
// consumes (directly or through transformers). The ranking among suitable
// platforms is: the closest latency fit first (the platform whose best
// latency is the least demanding that still meets the group's, a group
// without a latency counting as needing days), so that fast platforms stay
// free for the groups that need them; then the platform name.
func Assign(m *ecosystem.Ecosystem, caps map[string]Capabilities) *Assignments {
	a := &Assignments{
		model:      m,
		byKey:      map[[2]string]*GroupAssignment{},
		byPlatform: map[string][]*GroupAssignment{},
	}
	declared := declaredPlatforms(m)
	explicit := explicitAssignments(m)
	for _, w := range m.Workspaces() {
		for _, g := range w.Workspace.Groups {
			key := [2]string{w.Workspace.Name, g.Name}
			if a.byKey[key] != nil {
				continue // a repeated workspace or group name, which lint reports
			}
			ga := &GroupAssignment{
				Workspace:    w.Workspace.Name,
				Group:        g.Name,
				Path:         ecosystem.GroupPath(w.Zone.Name, w.Team.Name, w.Workspace.Name, g.Name),
				Pos:          g.Pos,
				Ref:          w,
				DatasetGroup: g,
			}
			a.byKey[key] = ga
			a.Groups = append(a.Groups, ga)
			a.decide(m, ga, declared, caps, explicit[key])
		}
	}
	slices.SortFunc(a.Groups, func(x, y *GroupAssignment) int {
		return cmp.Or(cmp.Compare(x.Workspace, y.Workspace), cmp.Compare(x.Group, y.Group))
	})
	for _, ga := range a.Groups {
		for _, s := range ga.Served {
			a.byPlatform[s.Platform] = append(a.byPlatform[s.Platform], ga)
		}
	}
	a.Diagnostics.Sort()
	return a
}

// declaredPlatforms returns the names of the declared platforms, sorted and
// without repeats.
func declaredPlatforms(m *ecosystem.Ecosystem) []string {
	var names []string
	for _, p := range m.Platforms {
		names = append(names, p.Name)
	}
	slices.Sort(names)
	return slices.Compact(names)
}

// explicitAssignments groups the ecosystem's assignments by workspace and
// group. Assignments naming an unknown workspace, group or platform are
// skipped: lint reports them (ASSIGNMENT_UNRESOLVED, PLATFORM_UNRESOLVED).
func explicitAssignments(m *ecosystem.Ecosystem) map[[2]string][]*ecosystem.Assignment {
	out := map[[2]string][]*ecosystem.Assignment{}
	for _, x := range m.Assignments {
		w, ok := m.Workspace(x.Workspace)
		if !ok || w.Workspace.Group(x.Group) == nil || m.Platform(x.Platform) == nil {
			continue
		}
		key := [2]string{x.Workspace, x.Group}
		out[key] = append(out[key], x)
	}
	return out
}

// decide fills in one group's basis, served platforms and candidates.
func (a *Assignments) decide(m *ecosystem.Ecosystem, ga *GroupAssignment, declared []string, caps map[string]Capabilities, explicit []*ecosystem.Assignment) {
	g := ga.DatasetGroup
	f := feedOf(m, ga.Ref, g)
	ga.Zones = f.zones

	// Every declared platform is judged against the group's needs, whatever
	// the basis, so the explanation shows what a named platform lacks too.
	ga.Candidates = make([]Candidate, len(declared))
	for i, p := range declared {
		c := Candidate{Platform: p}
		if pc, ok := caps[p]; ok {
			c.Unmet = unmet(pc, g.Requirements, f)
		} else {
			c.Unmet = []string{"its kind is not bound to an implementation, so what it supports is unknown"}
		}
		c.Unmet = append(c.Unmet, forbidden(m, f.zones, p)...)
		ga.Candidates[i] = c
	}

	switch {
	case len(explicit) > 0:
		ga.Basis = BasisAssignment
		for _, x := range explicit {
			if _, dup := ga.ServedBy(x.Platform); dup {
				continue
			}
			status := x.Status
			if status == "" {
				status = ecosystem.AssignmentActive
			}
			ga.Served = append(ga.Served, Served{Platform: x.Platform, Status: status, Pos: x.Pos})
		}
		slices.SortFunc(ga.Served, func(x, y Served) int { return cmp.Compare(x.Platform, y.Platform) })
		names := servedNames(ga.Served)
		for i := range ga.Candidates {
			c := &ga.Candidates[i]
			if s, ok := ga.ServedBy(c.Platform); ok {
				c.Chosen = true
				c.Why = fmt.Sprintf("assigned explicitly (status %s) at %s", s.Status, s.Pos)
			} else {
				c.Why = "not assigned: the ecosystem assigns the group explicitly to " + names
			}
		}
	case g.Platform != "":
		ga.Basis = BasisNamed
		if m.Platform(g.Platform) != nil { // else lint reports PLATFORM_UNRESOLVED
			ga.Served = []Served{{Platform: g.Platform, Status: ecosystem.AssignmentActive, Pos: g.ArgPos("platform")}}
		}
		for i := range ga.Candidates {
			c := &ga.Candidates[i]
			if c.Platform == g.Platform {
				c.Chosen = true
				c.Why = "named by the group"
			} else {
				c.Why = "not named: the group names " + g.Platform
			}
		}
	default:
		ga.Basis = BasisRequirements
		a.choose(ga, caps)
	}
}

// choose picks the best suitable candidate (see Assign for the ranking) or
// reports that none is suitable.
func (a *Assignments) choose(ga *GroupAssignment, caps map[string]Capabilities) {
	need := ecosystem.LatencyDays
	if r := ga.DatasetGroup.Requirements; r != nil && r.Latency != 0 {
		need = r.Latency
	}
	gap := func(p string) int { return int(need - caps[p].bestLatency()) }
	var suitable []int
	for i, c := range ga.Candidates {
		if len(c.Unmet) == 0 {
			suitable = append(suitable, i)
		}
	}
	slices.SortStableFunc(suitable, func(x, y int) int {
		return cmp.Compare(gap(ga.Candidates[x].Platform), gap(ga.Candidates[y].Platform))
	})
	for i := range ga.Candidates {
		if len(ga.Candidates[i].Unmet) > 0 {
			ga.Candidates[i].Why = "not suitable"
		}
	}
	if len(suitable) == 0 {
		a.Diagnostics = append(a.Diagnostics, RuleNoPlatform.New(ga.Path, ga.Pos,
			"dataset group %s.%s: no platform can serve it: %s", ga.Workspace, ga.Group, noPlatformDetail(ga.Candidates)))
		return
	}
	best := &ga.Candidates[suitable[0]]
	best.Chosen = true
	best.Why = fmt.Sprintf("meets every requirement; ranked first of %d suitable (closest latency fit, then name)", len(suitable))
	ga.Served = []Served{{Platform: best.Platform, Status: ecosystem.AssignmentActive, Pos: ga.Pos}}
	for _, i := range suitable[1:] {
		c := &ga.Candidates[i]
		if gap(c.Platform) > gap(best.Platform) {
			c.Why = fmt.Sprintf("meets every requirement, but %s fits the latency more closely (%s against %s at best)",
				best.Platform, caps[best.Platform].bestLatency(), caps[c.Platform].bestLatency())
		} else {
			c.Why = fmt.Sprintf("meets every requirement, but %s fits as well and sorts first by name", best.Platform)
		}
	}
}

// noPlatformDetail says, platform by platform, what each lacks.
func noPlatformDetail(cands []Candidate) string {
	if len(cands) == 0 {
		return "the ecosystem declares no platform"
	}
	parts := make([]string, len(cands))
	for i, c := range cands {
		parts[i] = c.Platform + ": " + strings.Join(c.Unmet, "; ")
	}
	return strings.Join(parts, " | ")
}

func servedNames(ss []Served) string {
	names := make([]string, len(ss))
	for i, s := range ss {
		names[i] = s.Platform
	}
	return strings.Join(names, ", ")
}

func groupNames(w *ecosystem.Workspace) string {
	names := make([]string, len(w.Groups))
	for i, g := range w.Groups {
		names[i] = g.Name
	}
	return listOrNone(names)
}
