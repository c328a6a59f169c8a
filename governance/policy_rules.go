package governance

import (
	"slices"
	"strings"

	"github.com/datasurface/datasurface-go/ecosystem"
)

// The policy rules, one per policy kind. Their IDs are stable (waivers and
// reports name them). Each is an error: a zone's policy is a hard boundary.
var (
	rulePolicyVendor = ecosystem.Rule{
		ID: "POLICY_VENDOR", Severity: ecosystem.Error, Categories: []string{ecosystem.CategoryPolicy, ecosystem.CategorySecurity},
		Purpose: "A container holding a zone's data is at a vendor the zone's vendor policy does not allow.",
		Hint:    "Move the container to a location of an allowed vendor, stop consuming the zone's data, or ask the zone to allow the vendor.",
	}
	rulePolicyCloud = ecosystem.Rule{
		ID: "POLICY_CLOUD", Severity: ecosystem.Error, Categories: []string{ecosystem.CategoryPolicy, ecosystem.CategorySecurity},
		Purpose: "A container holding a zone's data runs on a cloud (the vendor's hard cloud vendor) the zone's cloud policy does not allow.",
		Hint:    "Move the container to a vendor on an allowed cloud, stop consuming the zone's data, or ask the zone to allow the cloud.",
	}
	rulePolicyLocation = ecosystem.Rule{
		ID: "POLICY_LOCATION", Severity: ecosystem.Error, Categories: []string{ecosystem.CategoryPolicy, ecosystem.CategorySecurity},
		Purpose: "A container holding a zone's data is at a location the zone's location policy does not cover.",
		Hint:    "Move the container to a location under an allowed one, stop consuming the zone's data, or ask the zone to allow the location.",
	}
	rulePolicyPlatform = ecosystem.Rule{
		ID: "POLICY_PLATFORM", Severity: ecosystem.Error, Categories: []string{ecosystem.CategoryPolicy, ecosystem.CategoryPlatform},
		Purpose: "A dataset group that receives a zone's data names, or is assigned to, a platform the zone's platform policy does not allow.",
		Hint:    "Name an allowed platform in the dataset group (or its assignment), or ask the zone to allow the platform.",
	}
	rulePolicyClassification = ecosystem.Rule{
		ID: "POLICY_CLASSIFICATION", Severity: ecosystem.Error, Categories: []string{ecosystem.CategoryPolicy, ecosystem.CategoryClassification},
		Purpose: "A workspace of a zone consumes a dataset whose classification the zone's classification policy does not allow.",
		Hint:    "Remove the sink, or ask the zone to allow the classification.",
	}
	rulePolicyStorage = ecosystem.Rule{
		ID: "POLICY_STORAGE", Severity: ecosystem.Error, Categories: []string{ecosystem.CategoryPolicy, ecosystem.CategorySecurity},
		Purpose: "A container holding a zone's data uses a storage engine the zone's storage policy does not allow.",
		Hint:    "Hold the data in an allowed engine (\"platform\" means platform-managed storage), or ask the zone to allow the engine.",
	}
)

// policyRuleOf maps each policy kind to its rule.
var policyRuleOf = map[ecosystem.PolicyKind]*ecosystem.Rule{
	ecosystem.VendorPolicy:         &rulePolicyVendor,
	ecosystem.CloudPolicy:          &rulePolicyCloud,
	ecosystem.LocationPolicy:       &rulePolicyLocation,
	ecosystem.PlatformPolicy:       &rulePolicyPlatform,
	ecosystem.ClassificationPolicy: &rulePolicyClassification,
	ecosystem.StoragePolicy:        &rulePolicyStorage,
}

// PolicyRules returns every rule Policies can report, sorted by ID. Each
// rule's categories are policy and what the policy protects.
func PolicyRules() []ecosystem.Rule {
	out := make([]ecosystem.Rule, 0, len(policyRuleOf))
	for _, r := range policyRuleOf {
		out = append(out, *r)
	}
	slices.SortFunc(out, func(a, b ecosystem.Rule) int { return strings.Compare(a.ID, b.ID) })
	return out
}
