package graph

import "github.com/datasurface/datasurface-go/ecosystem"

// The rule categories of the broker's findings, from the ecosystem's
// vocabulary.
const (
	CategoryAssignment = ecosystem.CategoryAssignment // which platform serves a group
	CategoryPipeline   = ecosystem.CategoryPipeline   // the shape of a platform's pipeline graph
	CategoryPlatform   = ecosystem.CategoryPlatform   // what a platform supports, checked on its pipeline
)

// Every broker rule is in the ecosystem's one rule registry.
func init() { ecosystem.MustRegisterRules(Rules()...) }

// The rules the broker emits. Their IDs are stable: reports, waivers and CI
// configurations refer to them.
var (
	RuleNoPlatform = ecosystem.Rule{
		ID:         "ASSIGNMENT_NO_PLATFORM",
		Severity:   ecosystem.Error,
		Purpose:    "A dataset group with neither an explicit assignment nor a named platform must have at least one platform that meets its requirements and that every zone whose data it consumes allows.",
		Categories: []string{CategoryAssignment},
		Hint:       "relax the group's requirements, name a platform with platform = \"...\", or declare a platform that supports what the group needs",
	}
	RuleCycle = ecosystem.Rule{
		ID:         "GRAPH_CYCLE",
		Severity:   ecosystem.Error,
		Purpose:    "A pipeline must not loop: a transformer may not consume, directly or through other transformers, the data it produces.",
		Categories: []string{CategoryPipeline},
		Hint:       "remove the sink that feeds a transformer's output (or something derived from it) back into its own workspace",
	}
	RuleCaptureUnsupported = ecosystem.Rule{
		ID:         "PLATFORM_CAPTURE_UNSUPPORTED",
		Severity:   ecosystem.Error,
		Purpose:    "A platform must support the capture kind of every datastore its pipeline ingests.",
		Categories: []string{CategoryPlatform},
		Hint:       "assign the consuming groups to a platform that supports this capture kind, or change how the store is captured",
	}
	RuleContainerUnsupported = ecosystem.Rule{
		ID:         "PLATFORM_CONTAINER_UNSUPPORTED",
		Severity:   ecosystem.Error,
		Purpose:    "A platform must support the kind of every consumer container its pipeline exports into.",
		Categories: []string{CategoryPlatform},
		Hint:       "assign the workspace's groups to a platform that supports this container kind, or change the workspace's container",
	}
	RuleMilestoningUnsupported = ecosystem.Rule{
		ID:         "PLATFORM_MILESTONING_UNSUPPORTED",
		Severity:   ecosystem.Error,
		Purpose:    "A platform must support the milestoning every group it serves requires.",
		Categories: []string{CategoryPlatform},
		Hint:       "assign the group to a platform that supports this milestoning, or change the group's requirements",
	}
	RuleLatencyUnsupported = ecosystem.Rule{
		ID:         "PLATFORM_LATENCY_UNSUPPORTED",
		Severity:   ecosystem.Error,
		Purpose:    "A platform must deliver at least as fast as every group it serves requires.",
		Categories: []string{CategoryPlatform},
		Hint:       "assign the group to a faster platform, or relax the group's latency requirement",
	}
	RuleLocationUnsupported = ecosystem.Rule{
		ID:         "PLATFORM_LOCATION_UNSUPPORTED",
		Severity:   ecosystem.Error,
		Purpose:    "A platform must run in one of the locations every group it serves requires.",
		Categories: []string{CategoryPlatform},
		Hint:       "assign the group to a platform that runs in a required location, or change the group's locations",
	}
)

// Rules returns every rule the broker emits, sorted by ID.
func Rules() []ecosystem.Rule {
	return []ecosystem.Rule{
		RuleNoPlatform,
		RuleCycle,
		RuleCaptureUnsupported,
		RuleContainerUnsupported,
		RuleLatencyUnsupported,
		RuleLocationUnsupported,
		RuleMilestoningUnsupported,
	}
}
