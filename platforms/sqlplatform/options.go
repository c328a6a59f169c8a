package sqlplatform

import (
	"cmp"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/datasurface/datasurface-go/ecosystem"
	"github.com/datasurface/datasurface-go/internal/safetext"
	"github.com/datasurface/datasurface-go/platforms/options"
)

// The options of a platform("...", kind = "sql", options = {...})
// declaration (docs/SQL_PLATFORM.md, "The platform").
const (
	optionMilestoning        = "milestoning"
	optionStore              = "store"
	optionWatermarkLag       = "watermark_lag"
	optionWatermarkLagValues = "watermark_lag_values"
)

// The default lags of watermark captures (docs/SQL_PLATFORM.md,
// "Watermarks"): how far behind the highest watermark a batch has seen the
// next batch reads again, for rows that commit late at the source.
const (
	defaultWatermarkLag       = 5 * time.Minute
	defaultWatermarkLagValues = 0
)

// StoreEnvPrefix starts the environment variable that points a platform at
// another merge store: DSL_STORE_ then the platform's name with ASCII letters
// upper-cased, ASCII digits kept and every other character turned into '_'
// (the rule of CredentialEnvPrefix).
const StoreEnvPrefix = "DSL_STORE_"

// StoreEnvVar returns the environment variable that overrides the merge
// store of the named platform: "Warehouse" gives DSL_STORE_WAREHOUSE.
func StoreEnvVar(platform string) string {
	return StoreEnvPrefix + strings.TrimPrefix(CredentialEnvPrefix(platform), credentialEnvPrefix)
}

// DefaultStore returns the store of a platform whose declaration names
// none: an SQLite file .dsl/<platform>.db under the working directory.
func DefaultStore(platform string) string { return "sqlite:.dsl/" + platform + ".db" }

// Store engines.
const (
	storeSQLite   = "sqlite"
	storePostgres = "postgres"
)

// StoreDSN is a parsed merge store address: "sqlite:PATH" or a PostgreSQL
// URL "postgres://USER@HOST:PORT/DB?sslmode=...".
type StoreDSN struct {
	// Engine is "sqlite" or "postgres".
	Engine string
	// Path is the SQLite file, as given (relative paths are resolved against
	// the working directory when the store is opened).
	Path string
	// url is the PostgreSQL URL; it may hold a password, so it is kept
	// unexported and printed only through String, which redacts it.
	url *url.URL
}

// String returns the DSN as people may see it: a PostgreSQL password is
// shown as "xxxxx".
func (s StoreDSN) String() string {
	switch s.Engine {
	case storeSQLite:
		return "sqlite:" + s.Path
	case storePostgres:
		return s.url.Redacted()
	}
	return ""
}

// GoString redacts like String, so %#v never shows a password.
func (s StoreDSN) GoString() string { return "sqlplatform.StoreDSN(" + s.String() + ")" }

// LogValue redacts like String for log/slog.
func (s StoreDSN) LogValue() slog.Value { return slog.StringValue(s.String()) }

// password returns the URL's password, for scrubbing driver errors.
func (s StoreDSN) password() string {
	if s.url == nil || s.url.User == nil {
		return ""
	}
	p, _ := s.url.User.Password()
	return p
}

// driverDSN is what the dialect opens: the absolute SQLite path, or the
// full PostgreSQL URL (with its password: never print it).
func (s StoreDSN) driverDSN() (string, error) {
	switch s.Engine {
	case storeSQLite:
		abs, err := filepath.Abs(s.Path)
		if err != nil {
			return "", fmt.Errorf("store %s: %w", safetext.Line(s.String()), err)
		}
		return abs, nil
	case storePostgres:
		return s.url.String(), nil
	}
	return "", errors.New("store: no engine")
}

// ConnString returns what a driver opens: the absolute SQLite path, or the
// full PostgreSQL URL. It holds the password: never print it or put it in
// an error; Scrub removes it from a driver's message.
func (s StoreDSN) ConnString() (string, error) { return s.driverDSN() }

// Scrub removes the store's password from text, such as a driver's error
// message, as written and URL-escaped.
func (s StoreDSN) Scrub(text string) string { return s.scrub(text) }

// scrub removes the store's password from a driver message, as written and
// URL-escaped.
func (s StoreDSN) scrub(text string) string {
	p := s.password()
	if p == "" {
		return text
	}
	text = strings.ReplaceAll(text, p, "xxxxx")
	if q := url.QueryEscape(p); q != p {
		text = strings.ReplaceAll(text, q, "xxxxx")
	}
	if q := url.PathEscape(p); q != p {
		text = strings.ReplaceAll(text, q, "xxxxx")
	}
	return text
}

// storeForms says which store addresses exist, for error messages.
const storeForms = `want "sqlite:PATH" (an SQLite file, created when missing) or "postgres://USER@HOST:PORT/DATABASE"`

// ParseStore parses a merge store address. Its errors never contain the
// address's password.
func ParseStore(dsn string) (StoreDSN, error) {
	switch {
	case strings.HasPrefix(dsn, "sqlite:"):
		path := strings.TrimPrefix(dsn, "sqlite:")
		switch {
		case path == "":
			return StoreDSN{}, errors.New(`"sqlite:" names no file: ` + storeForms)
		case path == ":memory:" || strings.Contains(path, "mode=memory"):
			return StoreDSN{}, errors.New("an in-memory SQLite store loses every batch when the process ends: name a file, such as \"sqlite:.dsl/store.db\"")
		case strings.HasPrefix(path, "file:") || strings.ContainsAny(path, "?\x00"):
			return StoreDSN{}, fmt.Errorf("%q: give a plain file path after \"sqlite:\", without URI syntax or options", safetext.Line(dsn))
		}
		return StoreDSN{Engine: storeSQLite, Path: path}, nil
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"):
		u, err := url.Parse(dsn)
		if err != nil {
			// url.Error repeats the input; say only what is wrong.
			var ue *url.Error
			if errors.As(err, &ue) {
				err = ue.Err
			}
			return StoreDSN{}, fmt.Errorf("the PostgreSQL URL does not parse (%s): %s", safetext.Line(scrubUserinfo(dsn, err.Error())), storeForms)
		}
		if u.Host == "" || strings.Trim(u.Path, "/") == "" {
			return StoreDSN{}, fmt.Errorf("the PostgreSQL URL %s names no host or no database: %s", safetext.Line(u.Redacted()), storeForms)
		}
		return StoreDSN{Engine: storePostgres, url: u}, nil
	}
	shown, _, _ := strings.Cut(dsn, "://")
	if len(shown) > 40 {
		shown = shown[:40] + "..."
	}
	return StoreDSN{}, fmt.Errorf("unknown store %q: %s", safetext.Line(shown), storeForms)
}

// scrubUserinfo removes from a message the part between "://" and "@" of
// a URL that did not parse, where a password may sit.
func scrubUserinfo(dsn, msg string) string {
	_, rest, ok := strings.Cut(dsn, "://")
	if !ok {
		return msg
	}
	if userinfo, _, ok := strings.Cut(rest, "@"); ok && userinfo != "" {
		msg = strings.ReplaceAll(msg, userinfo, "xxxxx")
	}
	return msg
}

// settings are what New reads from the declaration and the Go options.
type settings struct {
	milestoning ecosystem.Milestoning
	// declStore is the declaration's "store" option, "" when not set.
	declStore string
	// store, when set by the Store option, overrides everything else;
	// storeFrom names where it came from ("" for "the store option").
	store     string
	storeFrom string
	creds     CredentialStore
	modelRoot string
	logger    *slog.Logger
	interval  time.Duration
	getenv    func(string) string
	// mirrorOf is the declaration's "mirror_of": the platform this one
	// copies, "" for none; primary is that platform, bound (WithPrimary).
	mirrorOf string
	primary  *Platform
	// lineage is WithLineage's emitter, nil for none.
	lineage *lineageSettings
	// watermarkLag is how far a watermark capture reads back behind the
	// highest date or timestamp it has seen, watermarkLagValues behind the
	// highest integer.
	watermarkLag       time.Duration
	watermarkLagValues int64
}

// Option configures a Platform beyond its model declaration: what a host
// program or the command line decides at run time.
type Option func(*settings)

// WithStore points the platform at another merge store ("sqlite:PATH" or
// "postgres://..."), overriding the environment variable and the model.
func WithStore(dsn string) Option { return func(s *settings) { s.store = dsn } }

// WithStoreFrom is WithStore naming where the address came from, for
// messages ("the merge store from --store: ..."): a command line passes
// its flag, a service its setting.
func WithStoreFrom(dsn, from string) Option {
	return func(s *settings) { s.store, s.storeFrom = dsn, from }
}

// WithCredentials replaces the credential store (default EnvCredentials).
func WithCredentials(c CredentialStore) Option { return func(s *settings) { s.creds = c } }

// WithModelRoot sets the directory against which relative SQLite source
// paths are resolved: the model's root directory (default ".").
func WithModelRoot(dir string) Option { return func(s *settings) { s.modelRoot = dir } }

// WithLogger sets the logger of Run and RunOnce (default: discard). Records
// carry the stream and batch.
func WithLogger(l *slog.Logger) Option { return func(s *settings) { s.logger = l } }

// WithInterval sets how often Run runs a stream whose capture has no
// trigger (default one minute).
func WithInterval(d time.Duration) Option { return func(s *settings) { s.interval = d } }

// readDeclaration reads the declaration's options into s, returning the
// options package's errors.
func readDeclaration(decl *ecosystem.Platform, s *settings) error {
	r := options.New(decl)
	s.milestoning = ecosystem.Live
	if m, ok := r.String(optionMilestoning, string(ecosystem.Live), string(ecosystem.Forensic)); ok {
		s.milestoning = ecosystem.Milestoning(m)
	}
	s.watermarkLag, s.watermarkLagValues = defaultWatermarkLag, defaultWatermarkLagValues
	if text, ok := r.String(optionWatermarkLag); ok {
		if lag, err := time.ParseDuration(text); err != nil || lag < 0 {
			r.Fail(optionWatermarkLag, "want a duration of zero or more, such as \"5m\" or \"1h30m\"", `for example "10m"`)
		} else {
			s.watermarkLag = lag
		}
	}
	if n, ok := r.Int(optionWatermarkLagValues); ok {
		if n < 0 {
			r.Fail(optionWatermarkLagValues, "want zero or more", "for example 1000")
		} else {
			s.watermarkLagValues = n
		}
	}
	if name, ok := r.String(optionMirrorOf); ok {
		if name == "" || name == decl.Name {
			r.Fail(optionMirrorOf, "want the name of another platform of kind sql, the primary this one copies", `for example "Warehouse"`)
		} else {
			s.mirrorOf = name
		}
	}
	if dsn, ok := r.String(optionStore); ok {
		if _, err := ParseStore(dsn); err != nil {
			r.Fail(optionStore, err.Error(), `for example "sqlite:.dsl/`+decl.Name+`.db" or "postgres://dsl@db.internal:5432/warehouse"`)
		} else {
			s.declStore = dsn
		}
	}
	return r.Err()
}

// storeChoice is the merge store a platform uses and where the choice
// came from, for messages.
type storeChoice struct {
	dsn StoreDSN
	// from is "the --store option", "environment variable DSL_STORE_X", "the
	// model's store option" or "the default".
	from string
}

// chooseStore picks the store: the Go option, then the environment
// variable, then the model, then the default.
func (p *Platform) chooseStore() (storeChoice, error) {
	raw, from := DefaultStore(p.name), "the default"
	switch env := p.set.getenv(StoreEnvVar(p.name)); {
	case p.set.store != "":
		raw, from = p.set.store, cmp.Or(p.set.storeFrom, "the store option")
	case env != "":
		raw, from = env, "environment variable "+StoreEnvVar(p.name)
	case p.set.declStore != "":
		raw, from = p.set.declStore, "the model's store option"
	}
	dsn, err := ParseStore(raw)
	if err != nil {
		return storeChoice{}, fmt.Errorf("platform %s: the merge store from %s: %w", p.name, from, err)
	}
	return storeChoice{dsn: dsn, from: from}, nil
}

func defaultSettings() settings {
	return settings{modelRoot: ".", interval: time.Minute, getenv: os.Getenv}
}
