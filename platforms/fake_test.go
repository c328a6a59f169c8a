package platforms_test

import (
	"context"

	"github.com/datasurface/datasurface-go/ecosystem"
	"github.com/datasurface/datasurface-go/graph"
	"github.com/datasurface/datasurface-go/platforms"
)

// fake is a configurable platform for the tests.
type fake struct {
	caps     graph.Capabilities
	rules    []ecosystem.Rule
	accept   func(p *graph.Pipeline) ecosystem.Diagnostics
	accepted []string // the pipelines Accept was handed, by platform
}

func (f *fake) Capabilities() graph.Capabilities { return f.caps }

func (f *fake) Accept(_ context.Context, p *graph.Pipeline) ecosystem.Diagnostics {
	f.accepted = append(f.accepted, p.Platform)
	if f.accept != nil {
		return f.accept(p)
	}
	return nil
}

func (f *fake) Rules() []ecosystem.Rule { return f.rules }

// renderer renders one artifact per node, plus whatever extra it is given.
type renderer struct {
	fake
	extra []platforms.Artifact
}

func (r *renderer) Render(_ context.Context, p *graph.Pipeline) ([]platforms.Artifact, error) {
	out := append([]platforms.Artifact(nil), r.extra...)
	for i := len(p.Nodes) - 1; i >= 0; i-- { // deliberately unsorted
		out = append(out, platforms.Artifact{Name: "nodes/" + p.Nodes[i].ID + ".txt", Data: []byte(p.Nodes[i].Kind)})
	}
	return out, nil
}

type runner struct{ fake }

func (r *runner) Run(context.Context, *graph.Pipeline) error { return nil }

// everything supports every feature.
var everything = graph.Capabilities{CaptureKinds: graph.AllCaptureKinds, ContainerKinds: graph.AllContainerKinds, Milestoning: graph.AllMilestoning}
