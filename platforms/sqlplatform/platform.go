package sqlplatform

import (
	"errors"
	"io"
	"log/slog"

	"github.com/datasurface/datasurface-go/ecosystem"
	"github.com/datasurface/datasurface-go/graph"
)

// Kind is the kind name the platform registers under.
const Kind = "sql"

// Platform is a bound sql platform: one declaration of the model with the
// run-time settings of the program that runs it. It is safe for concurrent
// use; the batches of one stream never overlap, whatever the number of
// Platforms and processes sharing a store (a lock in the store).
type Platform struct {
	name string
	decl *ecosystem.Platform
	set  settings
	caps graph.Capabilities
	// tf holds the Go transformers the host registered.
	tf transformers
}

// New binds a declaration of kind sql. It reads the options "milestoning"
// ("live", the default, or "forensic") and "store" (the merge store,
// "sqlite:PATH" or "postgres://..."; default DefaultStore); an option error
// is returned as the options package's errors, which the registry reports
// as PLATFORM_OPTION_INVALID. opts are the host's run-time settings.
func New(decl *ecosystem.Platform, opts ...Option) (*Platform, error) {
	if decl == nil {
		return nil, errors.New("sqlplatform: no platform declaration")
	}
	set := defaultSettings()
	if err := readDeclaration(decl, &set); err != nil {
		return nil, err
	}
	for _, o := range opts {
		o(&set)
	}
	if set.creds == nil {
		set.creds = EnvCredentials{}
	}
	if set.logger == nil {
		set.logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if set.modelRoot == "" {
		set.modelRoot = "."
	}
	if set.interval <= 0 {
		set.interval = defaultSettings().interval
	}
	p := &Platform{name: decl.Name, decl: decl, set: set}
	p.caps = graph.Capabilities{
		CaptureKinds:   []ecosystem.CaptureKind{ecosystem.SQLSnapshot, ecosystem.SQLWatermark, ecosystem.CDC, ecosystem.TransformerOutput},
		ContainerKinds: []ecosystem.ContainerKind{ecosystem.PlatformManagedContainer},
		Milestoning:    []ecosystem.Milestoning{ecosystem.Live},
		Latency:        ecosystem.LatencyMinutes,
	}
	if set.milestoning == ecosystem.Forensic {
		// A forensic store also has every live view, so it serves both.
		p.caps.Milestoning = []ecosystem.Milestoning{ecosystem.Live, ecosystem.Forensic}
	}
	return p, nil
}

// Name returns the platform's name in the model.
func (p *Platform) Name() string { return p.name }

// Milestoning returns what the merge tables keep: ecosystem.Live (the
// current rows) or ecosystem.Forensic (every version).
func (p *Platform) Milestoning() ecosystem.Milestoning { return p.set.milestoning }

// Store returns the merge store the platform uses, chosen from, in order,
// the WithStore option, the environment variable StoreEnvVar(name), the
// model's "store" option and DefaultStore; and a description of where the
// choice came from. The DSN prints redacted.
func (p *Platform) Store() (StoreDSN, string, error) {
	c, err := p.chooseStore()
	return c.dsn, c.from, err
}

// Capabilities declares snapshot, watermark and change data captures from
// SQL sources, views in the
// merge store (platform-managed containers), live milestoning, and
// forensic too when the declaration says "forensic", at a latency of
// minutes.
func (p *Platform) Capabilities() graph.Capabilities { return p.caps }
