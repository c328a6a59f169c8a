package platforms

import (
	"context"
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/datasurface/datasurface-go/ecosystem"
	"github.com/datasurface/datasurface-go/graph"
)

// Platform is a bound platform: one declaration of the model, made by the
// factory of its kind.
type Platform interface {
	// Capabilities declares what the platform supports. The broker matches
	// groups against it when it chooses a platform by requirements.
	Capabilities() graph.Capabilities
	// Accept checks the pipeline the broker built for this platform and
	// reports each problem as a diagnostic with a rule ID, the model path and
	// the position of what to change (graph.CheckCapabilities is a good
	// start). It must not modify the pipeline, and should honour ctx.
	Accept(ctx context.Context, p *graph.Pipeline) ecosystem.Diagnostics
}

// Renderer is a platform that realises a pipeline by rendering artifacts for
// an engine that runs them (SQL scripts, scheduler definitions, manifests).
type Renderer interface {
	Platform
	// Render returns the artifacts for the pipeline. The same pipeline must
	// give the same artifacts, byte for byte. Names are slash-separated
	// relative paths (see ValidArtifactName); their order does not matter.
	Render(ctx context.Context, p *graph.Pipeline) ([]Artifact, error)
}

// Runner is a platform that realises a pipeline by running it: moving data
// from the sources into its own storage and on to the consumers.
type Runner interface {
	Platform
	// Run brings the platform's state in line with the pipeline (creating
	// what is new, retiring what is gone) and runs its nodes as their
	// triggers fire, in dependency order (graph.Pipeline.Order) and by
	// priority, until ctx is cancelled. Run must be safe to stop at any
	// moment and start again with the same or a newer pipeline: no batch is
	// lost or applied twice.
	Run(ctx context.Context, p *graph.Pipeline) error
}

// RuleSource is implemented by platforms whose Accept emits rule IDs of
// their own, so that reports (SARIF) and documentation can describe them.
// Bind registers them in the ecosystem's one rule registry
// (ecosystem.AllRules), so waivers may name them too; every platform of a
// kind must declare the same rules, under IDs no other rule has.
type RuleSource interface {
	Rules() []ecosystem.Rule
}

// Artifact is one rendered file.
type Artifact struct {
	// Name is a slash-separated relative path, such as "ingest/Customers.sql".
	Name string
	Data []byte
}

// ErrRunsOnly is returned by Render for a platform that runs pipelines
// itself and has nothing to render.
var ErrRunsOnly = fmt.Errorf("the platform runs its pipelines itself: it renders no artifacts")

// Render realises a pipeline by rendering it: a Renderer's artifacts, sorted
// by name and checked (valid, unique names); nothing for a governance-only
// platform, which realises nothing; ErrRunsOnly for a Runner.
func Render(ctx context.Context, pl Platform, p *graph.Pipeline) ([]Artifact, error) {
	r, ok := pl.(Renderer)
	if !ok {
		if _, runs := pl.(Runner); runs {
			return nil, fmt.Errorf("platform %s: %w", p.Platform, ErrRunsOnly)
		}
		return nil, nil
	}
	arts, err := r.Render(ctx, p)
	if err != nil {
		return nil, fmt.Errorf("platform %s: rendering: %w", p.Platform, err)
	}
	arts = slices.Clone(arts)
	slices.SortStableFunc(arts, func(a, b Artifact) int { return strings.Compare(a.Name, b.Name) })
	for i, a := range arts {
		if !ValidArtifactName(a.Name) {
			return nil, fmt.Errorf("platform %s: artifact name %q: want a clean relative slash-separated path without \"..\"", p.Platform, a.Name)
		}
		if i > 0 && arts[i-1].Name == a.Name {
			return nil, fmt.Errorf("platform %s: two artifacts are named %q", p.Platform, a.Name)
		}
	}
	return arts, nil
}

// ValidArtifactName reports whether name is a clean, relative,
// slash-separated path that stays inside the output directory.
func ValidArtifactName(name string) bool {
	return name != "" && name != "." && path.Clean(name) == name && !path.IsAbs(name) &&
		name != ".." && !strings.HasPrefix(name, "../") && !strings.Contains(name, `\`)
}
