package telemetry

import (
	"fmt"
	"io"
	"log/slog"
	"strings"
)

// Log formats accepted by NewLogger.
const (
	// FormatAuto picks the format for the caller; today it is always text, the
	// format meant for a person at a terminal.
	FormatAuto = "auto"
	// FormatText writes key=value records (slog.TextHandler).
	FormatText = "text"
	// FormatJSON writes one JSON object per record (slog.JSONHandler), for log
	// collectors.
	FormatJSON = "json"
)

// Attribute keys a worker's records carry, so that every package names the same
// thing the same way and log queries can rely on them.
const (
	// AttrPlatform is the data platform's name.
	AttrPlatform = "platform"
	// AttrStream is the ingestion stream's name.
	AttrStream = "stream"
	// AttrBatch is the batch's number within its stream.
	AttrBatch = "batch"
	// AttrRevision is the model revision (git commit) being loaded or run.
	AttrRevision = "revision"
	// AttrComponent names the part of the worker that logged (e.g. "metrics").
	AttrComponent = "component"
)

// logLevels maps the level names NewLogger accepts to slog levels.
var logLevels = map[string]slog.Level{
	"debug": slog.LevelDebug,
	"info":  slog.LevelInfo,
	"warn":  slog.LevelWarn,
	"error": slog.LevelError,
}

// NewLogger returns a structured logger writing to w. format is FormatText,
// FormatJSON or FormatAuto (text); level is "debug", "info", "warn" or "error" and
// drops records below it. Both are matched without regard to case. Any other value
// is an error naming the value and the choices, for the caller to report as a flag
// error. Callers add platform, stream and batch with the Attr keys, for example
// logger.With(telemetry.AttrPlatform, name).
func NewLogger(w io.Writer, format, level string) (*slog.Logger, error) {
	if w == nil {
		return nil, fmt.Errorf("telemetry: the log writer is nil; pass os.Stderr or another io.Writer")
	}
	minLevel, err := ParseLevel(level)
	if err != nil {
		return nil, err
	}
	options := &slog.HandlerOptions{Level: minLevel}
	switch strings.ToLower(format) {
	case FormatAuto, FormatText:
		return slog.New(slog.NewTextHandler(w, options)), nil
	case FormatJSON:
		return slog.New(slog.NewJSONHandler(w, options)), nil
	default:
		return nil, fmt.Errorf("telemetry: log format %q is not supported; choose one of %s, %s, %s",
			format, FormatAuto, FormatText, FormatJSON)
	}
}

// ParseLevel returns the slog level named by level ("debug", "info", "warn" or
// "error", any case), or an error naming the value and the choices.
func ParseLevel(level string) (slog.Level, error) {
	if parsed, ok := logLevels[strings.ToLower(level)]; ok {
		return parsed, nil
	}
	return 0, fmt.Errorf("telemetry: log level %q is not supported; choose one of debug, info, warn, error", level)
}
