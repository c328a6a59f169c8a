package governance

import (
	"testing"

	"github.com/datasurface/datasurface-go/ecosystem"
	"github.com/datasurface/datasurface-go/examples/synthetic"
)

// withPolicies returns a copy of m in which every zone has one policy of
// each kind, all satisfied by the synthetic model, so that Policies walks
// every holder of every zone's data and reports nothing.
func withPolicies(m *ecosystem.Ecosystem) *ecosystem.Ecosystem {
	zones := make([]*ecosystem.Zone, len(m.Zones))
	for i, z := range m.Zones {
		c := *z
		c.Policies = []*ecosystem.Policy{
			{Kind: ecosystem.VendorPolicy, Name: "vendor", Allow: []string{synthetic.VendorName}},
			{Kind: ecosystem.CloudPolicy, Name: "cloud", Deny: []string{"aws"}},
			{Kind: ecosystem.LocationPolicy, Name: "location", Allow: []string{"MyCorp:USA"}},
			{Kind: ecosystem.PlatformPolicy, Name: "platform", Allow: []string{synthetic.PlatformName}},
			{Kind: ecosystem.ClassificationPolicy, Name: "classification", Deny: []string{"mnpi"}},
			{Kind: ecosystem.StoragePolicy, Name: "storage", Allow: []string{"postgres", "platform"}},
		}
		zones[i] = &c
	}
	return ecosystem.New(&ecosystem.Ecosystem{
		Name: m.Name, Repo: m.Repo, LiveRepo: m.LiveRepo, Compatibility: m.Compatibility,
		Vendors: m.Vendors, Platforms: m.Platforms, Assignments: m.Assignments, Zones: zones, Waivers: m.Waivers,
	})
}

// TestPoliciesSyntheticClean checks that the synthetic model, which keeps
// every container at MyCorp:USA/NY_1 on the one platform, complies with
// policies that allow exactly that, and breaks one that does not.
func TestPoliciesSyntheticClean(t *testing.T) {
	m := withPolicies(evaluateFiles(t, synthesize(t, synthetic.Small, synthetic.Base), nil))
	if got := Policies(m); len(got) != 0 {
		t.Fatalf("compliant synthetic model has %d findings:\n%v", len(got), ecosystem.DiagnosticsError(got))
	}
	// Narrow the location policy of zone Z0 to a location nothing is at:
	// every source and workspace container holding Z0's data is refused.
	m.Zones[0].Policies[2].Allow = []string{"MyCorp:USA/NY_2"}
	got := Policies(m)
	teams := m.Zones[0].Teams
	stores := 0
	for _, tm := range teams {
		stores += len(tm.Datastores)
	}
	if len(got) < stores {
		t.Fatalf("got %d findings, want at least one per source container (%d)", len(got), stores)
	}
	for _, d := range got {
		if d.Rule != rulePolicyLocation.ID {
			t.Errorf("unexpected finding: %s", d.Error())
		}
	}
}

// BenchmarkPolicies times Policies on the large synthetic model with six
// policies in every zone (all satisfied, so the time is the walk, not the
// reporting).
func BenchmarkPolicies(b *testing.B) {
	m := withPolicies(evaluateFiles(b, synthesize(b, synthetic.Large, synthetic.Base), nil))
	b.ReportAllocs()
	for b.Loop() {
		if got := Policies(m); len(got) != 0 {
			b.Fatalf("got %d findings, want none", len(got))
		}
	}
}
