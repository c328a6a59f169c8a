package graph

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/datasurface/datasurface-go/ecosystem"
)

// reqFixture declares three platforms with different capabilities and one
// store; tests add the workspaces.
func reqFixture() (*fixture, *ecosystem.Team, map[string]Capabilities) {
	f := newFixture("Slow", "Hist", "Live")
	tm := f.team(f.zone("USA"), "Sales")
	f.store(tm, "S", f.capture(ecosystem.SQLSnapshot, ecosystem.IngestStore, ""), "d")
	caps := map[string]Capabilities{
		"Live": {CaptureKinds: AllCaptureKinds, ContainerKinds: AllContainerKinds, Milestoning: []ecosystem.Milestoning{ecosystem.Live}, Latency: ecosystem.LatencySeconds},
		"Hist": {CaptureKinds: AllCaptureKinds, ContainerKinds: AllContainerKinds, Milestoning: []ecosystem.Milestoning{ecosystem.Forensic}, Latency: ecosystem.LatencyMinutes},
		"Slow": {CaptureKinds: AllCaptureKinds, ContainerKinds: AllContainerKinds, Milestoning: AllMilestoning, Latency: ecosystem.LatencyHours},
	}
	return f, tm, caps
}

func chosen(ga *GroupAssignment) []string {
	var out []string
	for _, s := range ga.Served {
		out = append(out, s.Platform)
	}
	return out
}

func TestAssignByRequirements(t *testing.T) {
	f, tm, caps := reqFixture()
	cases := []struct {
		ws   string
		req  *ecosystem.Requirements
		want string
	}{
		{"LiveMinutes", f.req(ecosystem.Live, ecosystem.LatencyMinutes), "Live"}, // Slow is too slow, Hist keeps no live
		{"LiveDays", f.req(ecosystem.Live, ecosystem.LatencyDays), "Slow"},       // both fit; Slow (hours) is the closer fit
		{"ForensicAny", f.req(ecosystem.Forensic, 0), "Slow"},                    // Slow (hours) fits "any" more closely than Hist (minutes)
		{"ForensicMinutes", f.req(ecosystem.Forensic, ecosystem.LatencyMinutes), "Hist"},
		{"NoRequirements", nil, "Slow"},
	}
	for _, c := range cases {
		f.group(f.workspace(tm, c.ws, 0), "g", "", c.req, "S.d")
	}
	a := Assign(f.model(), caps)
	if len(a.Diagnostics) > 0 {
		t.Fatalf("unexpected diagnostics:\n%v", ecosystem.DiagnosticsError(a.Diagnostics))
	}
	for _, c := range cases {
		ga := a.Group(c.ws, "g")
		if ga.Basis != BasisRequirements || !cmp.Equal(chosen(ga), []string{c.want}) {
			t.Errorf("%s: basis %s, chose %v; want requirements, [%s]", c.ws, ga.Basis, chosen(ga), c.want)
		}
	}
	// The explanation says why each platform was or was not chosen.
	ga := a.Group("LiveDays", "g")
	want := []Candidate{
		{Platform: "Hist", Why: "not suitable", Unmet: []string{"milestoning live not supported (supports forensic)"}},
		{Platform: "Live", Why: "meets every requirement, but Slow fits the latency more closely (hours against seconds at best)"},
		{Platform: "Slow", Chosen: true, Why: "meets every requirement; ranked first of 2 suitable (closest latency fit, then name)"},
	}
	if diff := cmp.Diff(want, ga.Candidates); diff != "" {
		t.Errorf("candidates (-want +got):\n%s", diff)
	}
	ga = a.Group("LiveMinutes", "g")
	if got := ga.Candidates[2].Unmet; !cmp.Equal(got, []string{"latency minutes not supported (delivers hours at best)"}) {
		t.Errorf("Slow for LiveMinutes: unmet %q", got)
	}
}

func TestAssignTieBreaksByName(t *testing.T) {
	f := newFixture("Zeta", "Alpha", "Mid")
	tm := f.team(f.zone("Z"), "T")
	f.store(tm, "S", f.capture(ecosystem.SQLSnapshot, ecosystem.IngestStore, ""), "d")
	f.group(f.workspace(tm, "W", 0), "g", "", f.req(ecosystem.Live, 0), "S.d")
	a := Assign(f.model(), capsFor("Zeta", "Alpha", "Mid"))
	ga := a.Group("W", "g")
	if !cmp.Equal(chosen(ga), []string{"Alpha"}) {
		t.Fatalf("chose %v, want Alpha (equal fit, first by name)", chosen(ga))
	}
	if got := ga.Candidates[2].Why; got != "meets every requirement, but Alpha fits as well and sorts first by name" {
		t.Errorf("Zeta: %q", got)
	}
}

func TestAssignNamedAndExplicit(t *testing.T) {
	f, tm, caps := reqFixture()
	// Named: the group's platform wins even though it lacks forensic
	// milestoning; the explanation shows what it lacks (acceptance reports it).
	f.group(f.workspace(tm, "Named", 0), "g", "Live", f.req(ecosystem.Forensic, 0), "S.d")
	f.group(f.workspace(tm, "Explicit", 0), "g", "Live", nil, "S.d")
	f.assign("Explicit", "g", "Hist", "")
	a := Assign(f.model(), caps)
	if len(a.Diagnostics) > 0 {
		t.Fatalf("unexpected diagnostics:\n%v", ecosystem.DiagnosticsError(a.Diagnostics))
	}
	named := a.Group("Named", "g")
	if named.Basis != BasisNamed || !cmp.Equal(chosen(named), []string{"Live"}) {
		t.Errorf("named: basis %s, served %v", named.Basis, chosen(named))
	}
	live := named.Candidates[1]
	if !live.Chosen || live.Why != "named by the group" || !cmp.Equal(live.Unmet, []string{"milestoning forensic not supported (supports live)"}) {
		t.Errorf("named candidate = %+v", live)
	}
	if got := named.Served[0].Pos; got != named.DatasetGroup.ArgPos("platform") {
		t.Errorf("named served at %v, want the platform argument %v", got, named.DatasetGroup.ArgPos("platform"))
	}
	ex := a.Group("Explicit", "g")
	if ex.Basis != BasisAssignment || !cmp.Equal(chosen(ex), []string{"Hist"}) || ex.Served[0].Status != ecosystem.AssignmentActive {
		t.Errorf("explicit: basis %s, served %+v", ex.Basis, ex.Served)
	}
	if got := ex.Candidates[1].Why; got != "not assigned: the ecosystem assigns the group explicitly to Hist" {
		t.Errorf("Live for the explicit group: %q", got)
	}
}

// TestAssignForbiddenByZonePolicy: the group consumes USA data through a
// transformer in another zone, so USA's platform policy applies.
func TestAssignForbiddenByZonePolicy(t *testing.T) {
	f := newFixture("Cheap", "Approved")
	usa := f.zone("USA", f.platformPolicy("OnlyApproved", []string{"Approved"}, nil))
	f.store(f.team(usa, "Sales"), "S", f.capture(ecosystem.SQLSnapshot, ecosystem.IngestStore, ""), "d")
	eu := f.team(f.zone("EU"), "Analytics")
	f.store(eu, "Derived", f.capture(ecosystem.TransformerOutput, ecosystem.IngestStore, ""), "x")
	tw := f.workspace(eu, "TW", 0)
	f.group(tw, "in", "Approved", nil, "S.d")
	f.transformer(tw, "Derived", "")
	f.group(f.workspace(eu, "C", 0), "g", "", nil, "Derived.x")
	caps := map[string]Capabilities{"Cheap": everything, "Approved": {CaptureKinds: AllCaptureKinds, ContainerKinds: AllContainerKinds, Milestoning: AllMilestoning, Latency: ecosystem.LatencySeconds}}
	a := Assign(f.model(), caps)
	ga := a.Group("C", "g")
	if !cmp.Equal(ga.Zones, []string{"EU", "USA"}) {
		t.Errorf("zones = %v, want [EU USA]", ga.Zones)
	}
	if !cmp.Equal(chosen(ga), []string{"Approved"}) {
		t.Fatalf("chose %v, want Approved", chosen(ga))
	}
	if got := ga.Candidates[1]; got.Platform != "Cheap" || !cmp.Equal(got.Unmet, []string{"forbidden by zone USA policy OnlyApproved (allows Approved)"}) {
		t.Errorf("Cheap = %+v", got)
	}
}

func TestAssignDenyPolicy(t *testing.T) {
	f := newFixture("A", "B")
	z := f.zone("Z", f.platformPolicy("NoA", nil, []string{"A"}))
	tm := f.team(z, "T")
	f.store(tm, "S", f.capture(ecosystem.SQLSnapshot, ecosystem.IngestStore, ""), "d")
	f.group(f.workspace(tm, "W", 0), "g", "", nil, "S.d")
	ga := Assign(f.model(), capsFor("A", "B")).Group("W", "g")
	if !cmp.Equal(chosen(ga), []string{"B"}) || !cmp.Equal(ga.Candidates[0].Unmet, []string{"forbidden by zone Z policy NoA (denies A)"}) {
		t.Errorf("chose %v, candidates %+v", chosen(ga), ga.Candidates)
	}
}

func TestAssignNoSuitablePlatform(t *testing.T) {
	f := newFixture("Live", "Unbound")
	z := f.zone("Z", f.platformPolicy("Approved", []string{"Live", "Unbound"}, nil))
	tm := f.team(z, "T")
	f.store(tm, "Events", f.capture(ecosystem.CDC, ecosystem.IngestDataset, ""), "e")
	g := f.group(f.workspace(tm, "W", 0), "g", "", f.req(ecosystem.Forensic, ecosystem.LatencySeconds, "AWS:EU"), "Events.e")
	caps := map[string]Capabilities{"Live": {
		CaptureKinds: []ecosystem.CaptureKind{ecosystem.SQLSnapshot}, ContainerKinds: AllContainerKinds,
		Milestoning: []ecosystem.Milestoning{ecosystem.Live}, Latency: ecosystem.LatencyMinutes, Locations: []string{"AWS:USA"},
	}}
	a := Assign(f.model(), caps)
	want := ecosystem.Diagnostics{{
		Rule: "ASSIGNMENT_NO_PLATFORM", Severity: ecosystem.Error, Path: "Z/T/W/g", Pos: g.Pos, Hint: RuleNoPlatform.Hint,
		Message: "dataset group W.g: no platform can serve it: " +
			"Live: milestoning forensic not supported (supports live); latency seconds not supported (delivers minutes at best); " +
			"does not run in AWS:EU (runs in AWS:USA); capture kind cdc of datastore Events not supported (supports sql_snapshot) | " +
			"Unbound: its kind is not bound to an implementation, so what it supports is unknown",
	}}
	if diff := cmp.Diff(want, a.Diagnostics); diff != "" {
		t.Errorf("diagnostics (-want +got):\n%s", diff)
	}
	if ga := a.Group("W", "g"); len(ga.Served) != 0 || len(a.ForPlatform("Live")) != 0 {
		t.Errorf("served %v, want none", ga.Served)
	}
}

func TestAssignNoPlatformDeclared(t *testing.T) {
	f := newFixture()
	tm := f.team(f.zone("Z"), "T")
	f.store(tm, "S", f.capture(ecosystem.SQLSnapshot, ecosystem.IngestStore, ""), "d")
	f.group(f.workspace(tm, "W", 0), "g", "", nil, "S.d")
	a := Assign(f.model(), nil)
	if len(a.Diagnostics) != 1 || !strings.HasSuffix(a.Diagnostics[0].Message, "the ecosystem declares no platform") {
		t.Errorf("diagnostics = %v", a.Diagnostics)
	}
}

// TestAssignSkipsUnresolvedReferences: references lint reports
// (PLATFORM_UNRESOLVED, ASSIGNMENT_UNRESOLVED) are skipped without a second
// diagnostic; the valid assignment among them still applies.
func TestAssignSkipsUnresolvedReferences(t *testing.T) {
	f := newFixture("P", "Q")
	tm := f.team(f.zone("Z"), "T")
	f.store(tm, "S", f.capture(ecosystem.SQLSnapshot, ecosystem.IngestStore, ""), "d")
	f.group(f.workspace(tm, "Named", 0), "g", "Nope", nil, "S.d")
	f.group(f.workspace(tm, "W", 0), "g", "", nil, "S.d")
	f.assign("Ghost", "g", "P", "")
	f.assign("W", "h", "P", "")
	f.assign("W", "g", "Gone", "")
	f.assign("W", "g", "Q", "")
	a := Assign(f.model(), capsFor("P", "Q"))
	if len(a.Diagnostics) != 0 {
		t.Errorf("diagnostics = %v, want none (lint reports unresolved references)", a.Diagnostics)
	}
	if ga := a.Group("Named", "g"); ga.Basis != BasisNamed || len(ga.Served) != 0 {
		t.Errorf("group naming an undeclared platform: basis %s, served %v; want named, none", ga.Basis, ga.Served)
	}
	if ga := a.Group("W", "g"); ga.Basis != BasisAssignment || !cmp.Equal(chosen(ga), []string{"Q"}) {
		t.Errorf("W.g: basis %s, served %v; want assignment to Q only", ga.Basis, chosen(ga))
	}
	if got := a.Platforms(); !cmp.Equal(got, []string{"Q"}) {
		t.Errorf("serving platforms = %v, want [Q]", got)
	}
}

func TestExplainText(t *testing.T) {
	f, tm, caps := reqFixture()
	f.group(f.workspace(tm, "W", 0), "g", "", f.req(ecosystem.Live, ecosystem.LatencyDays), "S.d")
	a := Assign(f.model(), caps)
	ga, err := a.Explain("W", "g")
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	if err := ga.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	want := `dataset group W.g (USA/Sales/W/g) at model.star:` + ga.Pos.String()[len("model.star:"):] + `
  requirements: milestoning live, latency days
  consumes data of zones: USA
  decided by: requirements, among the platforms its zones allow
  served by: Slow (active)
  platforms:
    Hist  not chosen  not suitable
                      - milestoning live not supported (supports forensic)
    Live  not chosen  meets every requirement, but Slow fits the latency more closely (hours against seconds at best)
    Slow  chosen      meets every requirement; ranked first of 2 suitable (closest latency fit, then name)
`
	if diff := cmp.Diff(want, b.String()); diff != "" {
		t.Errorf("explanation (-want +got):\n%s", diff)
	}
	if _, err := a.Explain("W", "nope"); err == nil || err.Error() != `explain: workspace W has no dataset group "nope" (it has g)` {
		t.Errorf("unknown group: %v", err)
	}
	if _, err := a.Explain("Nope", "g"); err == nil || err.Error() != `explain: workspace "Nope" does not exist` {
		t.Errorf("unknown workspace: %v", err)
	}
}
