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
