// Package legacy is the governance-only reference platform, kind "legacy".
// It stands for pipelines that something outside the library runs (hand
// written jobs, an existing scheduler): the broker still assigns groups to
// it and builds its pipeline graph, and the change check still checks that
// graph, but realising it produces nothing.
//
// It declares every capture kind, every container kind, any latency and
// anywhere, and both milestoning kinds unless the declaration restricts it
// to one:
//
//	platform("Legacy", kind = "legacy")
//	platform("LegacyLive", kind = "legacy", options = {"milestoning": "live"})
//
// Any other option is an error. Its acceptance check reports exactly what
// its pipeline needs beyond what it declares (graph.CheckCapabilities).
//
// The package depends on graph and ecosystem only, not on platforms, so that
// platforms.Builtin can register it; it satisfies platforms.Platform.
package legacy

import (
	"context"
	"slices"

	"github.com/datasurface/datasurface-go/ecosystem"
	"github.com/datasurface/datasurface-go/graph"
	"github.com/datasurface/datasurface-go/platforms/options"
)

// Kind is the kind name the platform registers under.
const Kind = "legacy"

// Platform is a bound legacy platform.
type Platform struct {
	caps graph.Capabilities
}

// New binds a declaration of kind legacy, reading its one option,
// "milestoning" ("live" or "forensic").
func New(decl *ecosystem.Platform) (*Platform, error) {
	r := options.New(decl)
	caps := graph.Capabilities{
		CaptureKinds:   slices.Clone(graph.AllCaptureKinds),
		ContainerKinds: slices.Clone(graph.AllContainerKinds),
		Milestoning:    slices.Clone(graph.AllMilestoning),
	}
	if m, ok := r.String("milestoning", string(ecosystem.Live), string(ecosystem.Forensic)); ok {
		caps.Milestoning = []ecosystem.Milestoning{ecosystem.Milestoning(m)}
	}
	if err := r.Err(); err != nil {
		return nil, err
	}
	return &Platform{caps: caps}, nil
}

// Capabilities returns what the declaration supports.
func (p *Platform) Capabilities() graph.Capabilities { return p.caps }

// Accept reports what the pipeline needs that the declaration does not
// support, such as a forensic group on a platform restricted to live.
func (p *Platform) Accept(_ context.Context, pl *graph.Pipeline) ecosystem.Diagnostics {
	return graph.CheckCapabilities(pl, p.caps)
}
