package telemetry

import (
	"context"
	"log/slog"
)

// AtLeast returns a logger that writes what l writes, but only the records
// at or above level: for a component whose routine records another one
// already logs with more context (River's own, the platform's batch lines
// under a worker).
func AtLeast(l *slog.Logger, level slog.Level) *slog.Logger {
	return slog.New(minLevel{h: l.Handler(), min: level})
}

// minLevel is a handler that passes on only the records at or above min.
type minLevel struct {
	h   slog.Handler
	min slog.Level
}

func (m minLevel) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= m.min && m.h.Enabled(ctx, l)
}

func (m minLevel) Handle(ctx context.Context, r slog.Record) error { return m.h.Handle(ctx, r) }

func (m minLevel) WithAttrs(a []slog.Attr) slog.Handler {
	return minLevel{h: m.h.WithAttrs(a), min: m.min}
}

func (m minLevel) WithGroup(name string) slog.Handler {
	return minLevel{h: m.h.WithGroup(name), min: m.min}
}
