package sqlplatform

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/datasurface/datasurface-go/ecosystem"
	"github.com/datasurface/datasurface-go/internal/safetext"
	"github.com/datasurface/datasurface-go/platforms/sqlplatform/dialect"
)

// Source is an open connection to a model container the platform reads
// from (docs/SQL_PLATFORM.md, "Sources").
type Source struct {
	DB      *sql.DB
	Dialect dialect.Dialect
	// Name is the container's name in the model.
	Name string
	// Where describes the container for messages, safe to print: its name,
	// engine and address, such as `container "crm" (postgres
	// db.internal:5432/crm)`. It never holds a secret.
	Where string
}

// Close closes the connection pool.
func (s *Source) Close() error { return s.DB.Close() }

// The engines OpenSource reads, as a container's engine names them.
const (
	engineSQLite   = "sqlite"
	enginePostgres = "postgres"
	engineMySQL    = "mysql"
)

// sourceEngines lists the supported engines for messages.
var sourceEngines = []string{engineMySQL + " (MySQL and MariaDB)", enginePostgres, engineSQLite}

// engineAliases maps other spellings of a supported engine to its name.
var engineAliases = map[string]string{
	"postgresql": enginePostgres,
	"pgsql":      enginePostgres,
	"mariadb":    engineMySQL,
	"sqlite3":    engineSQLite,
}

// Default ports of the server engines, used when the container says 0.
const (
	defaultPostgresPort = 5432
	defaultMySQLPort    = 3306
)

// sourceConnectTimeout bounds connecting to and pinging a source, so an
// unreachable host fails in seconds rather than at the operating system's
// TCP timeout. A variable so tests can shorten it.
var sourceConnectTimeout = 15 * time.Second

// OpenSource opens container c as a source, read-only where the engine
// allows, and pings it. credRef is the capture's credential (nil when the
// model names none) and creds resolves it; root is the model's root
// directory, against which a relative SQLite database path is resolved.
//
// Engines: sqlite (database is a file path that must exist; opened
// read-only), postgres (host, port, default 5432, database; user and
// password from the credential) and mysql, which covers MariaDB (the same
// fields, default port 3306). Every error names the container (its name,
// engine and address, and where the model declares it) and what to do;
// no error, and nothing the returned Source prints, contains the secret.
func OpenSource(ctx context.Context, c *ecosystem.Container, creds CredentialStore, credRef *ecosystem.Credential, root string) (*Source, error) {
	if c == nil {
		return nil, errors.New("the capture names no source container: give it source = postgres(...), mysql(...) or sqlite(...)")
	}
	engine := strings.ToLower(c.Engine)
	if alias, ok := engineAliases[engine]; ok {
		engine = alias
	}
	fail := sourceFail{c: c, where: describeSource(c, engine)}
	if c.Kind != "" && c.Kind != ecosystem.DatabaseContainer {
		return nil, fail.at("", nil, "a %s container cannot be read as an SQL source: capture from a database container (postgres, mysql or sqlite)", c.Kind)
	}
	d, err := dialect.ForEngine(engine)
	if err != nil || !isSourceEngine(engine) {
		shown := c.Engine
		if shown == "" {
			shown = "(none)"
		}
		return nil, fail.at("engine", nil, "engine %q cannot be read by the sql platform: use one of %s", shown, strings.Join(sourceEngines, ", "))
	}

	var secret Secret
	if credRef != nil && engine != engineSQLite {
		if creds == nil {
			creds = EnvCredentials{}
		}
		secret, err = creds.Resolve(ctx, credRef)
		if err != nil {
			// The store's error holds no secret (CredentialStore's contract);
			// it is kept whole so errors.Is sees ErrCredentialNotSet.
			return nil, fail.at("", err, "resolving its credential: %s", err.Error())
		}
	}

	var db *sql.DB
	switch engine {
	case engineSQLite:
		db, err = openSQLiteSource(c, root, fail)
	case enginePostgres:
		db, err = openPostgresSource(c, secret, fail)
	case engineMySQL:
		db, err = openMySQLSource(c, secret, fail)
	}
	if err != nil {
		return nil, err
	}
	pctx, cancel := context.WithTimeout(ctx, sourceConnectTimeout)
	defer cancel()
	if err := db.PingContext(pctx); err != nil {
		_ = db.Close()
		return nil, connectError(ctx, pctx, c, engine, credRef, secret, err, fail)
	}
	return &Source{DB: db, Dialect: d, Name: c.Name, Where: fail.where}, nil
}

func isSourceEngine(engine string) bool {
	return engine == engineSQLite || engine == enginePostgres || engine == engineMySQL
}

// openSQLiteSource opens the SQLite file read-only: mode=ro stops SQLite
// from creating a missing file or writing, and query_only refuses writes on
// the connection as well. It does not use dialect.Open, which switches the
// file to write-ahead logging: a write.
func openSQLiteSource(c *ecosystem.Container, root string, fail sourceFail) (*sql.DB, error) {
	if c.Database == "" {
		return nil, fail.at("database", nil, "no database file: set database = \"path/to/file.db\" in the model (a relative path is resolved against the model's root directory)")
	}
	path := c.Database
	if !filepath.IsAbs(path) {
		path = filepath.Join(root, path)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fail.at("database", nil, "database path %q: %v", safetext.Line(path), err)
	}
	info, err := os.Stat(abs)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, fail.at("database", nil, "database file %s does not exist: create it, or fix database = %q in the model (a relative path is resolved against the model's root directory %s)",
			safetext.Line(abs), safetext.Line(c.Database), safetext.Line(rootForMessage(root)))
	case err != nil:
		return nil, fail.at("database", nil, "database file %s cannot be read: %v", safetext.Line(abs), safetext.Line(err.Error()))
	case !info.Mode().IsRegular():
		return nil, fail.at("database", nil, "database path %s is not a regular file (it is a %s): point database = in the model at an SQLite database file", safetext.Line(abs), fileKind(info.Mode()))
	}
	db, err := sql.Open(dialectDriver(engineSQLite), sqliteSourceDSN(abs))
	if err != nil {
		return nil, fail.at("database", nil, "opening %s: %v", safetext.Line(abs), safetext.Line(err.Error()))
	}
	return db, nil
}

// sqliteSourceDSN is the read-only URI of an absolute database path. The
// path is escaped, so '?', '#' and '%' in a file name are file name
// characters, not URI syntax. A busy timeout lets a read wait while the
// application that owns the file writes to it.
func sqliteSourceDSN(abs string) string {
	u := url.URL{Scheme: "file", Path: filepath.ToSlash(abs), RawQuery: "mode=ro&_pragma=query_only(1)&_pragma=busy_timeout(30000)"}
	if !strings.HasPrefix(u.Path, "/") { // a Windows volume path
		u.Path = "/" + u.Path
	}
	return u.String()
}

func rootForMessage(root string) string {
	if abs, err := filepath.Abs(root); err == nil {
		return abs
	}
	return root
}

func fileKind(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "directory"
	case m&fs.ModeSymlink != 0:
		return "symbolic link"
	case m&fs.ModeNamedPipe != 0:
		return "named pipe"
	case m&fs.ModeSocket != 0:
		return "socket"
	case m&fs.ModeDevice != 0:
		return "device"
	}
	return "special file"
}

// openPostgresSource connects with pgx. The connection string carries only
// host, port and database; the user and password are set on the parsed
// config, so no string ever holds the password. Settings the model does not
// give (sslmode, certificates, and user and password when the capture names
// no credential) come from the standard PG* environment variables as pgx
// reads them. Sessions are read-only by default.
func openPostgresSource(c *ecosystem.Container, secret Secret, fail sourceFail) (*sql.DB, error) {
	port, err := checkServerFields(c, defaultPostgresPort, fail)
	if err != nil {
		return nil, err
	}
	conn := "host=" + quoteConnValue(c.Host) + " port=" + strconv.Itoa(port) + " dbname=" + quoteConnValue(c.Database)
	cfg, err := pgx.ParseConfig(conn)
	if err != nil {
		return nil, fail.at("", nil, "%s", safetext.Line(secret.scrub(err.Error())))
	}
	if secret.User() != "" {
		cfg.User = secret.User()
	}
	if secret.Password() != "" || secret.User() != "" {
		cfg.Password = secret.Password()
	}
	if cfg.ConnectTimeout == 0 || cfg.ConnectTimeout > sourceConnectTimeout {
		cfg.ConnectTimeout = sourceConnectTimeout
	}
	if cfg.RuntimeParams == nil {
		cfg.RuntimeParams = map[string]string{}
	}
	cfg.RuntimeParams["default_transaction_read_only"] = "on"
	cfg.RuntimeParams["application_name"] = "dsl"
	return stdlib.OpenDB(*cfg), nil
}

// quoteConnValue quotes a value for a PostgreSQL keyword/value connection
// string.
func quoteConnValue(v string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(v) + "'"
}

// openMySQLSource connects with go-sql-driver/mysql through a connector
// built from a Config, so the password never sits in a DSN string.
func openMySQLSource(c *ecosystem.Container, secret Secret, fail sourceFail) (*sql.DB, error) {
	port, err := checkServerFields(c, defaultMySQLPort, fail)
	if err != nil {
		return nil, err
	}
	cfg := mysqlSourceConfig(c, port, secret)
	conn, err := mysql.NewConnector(cfg)
	if err != nil {
		return nil, fail.at("", nil, "%s", safetext.Line(secret.scrub(err.Error())))
	}
	return sql.OpenDB(conn), nil
}

// mysqlSourceConfig is the driver configuration of a MySQL or MariaDB
// source: TCP to host:port, the database, the credential's user and
// password, a dial timeout. Everything else keeps the driver's defaults
// (no parseTime: dates and times are scanned as text), the same as
// dialect.Open with a plain DSN, so the MySQL dialect decodes a source's
// values exactly as in its own tests.
func mysqlSourceConfig(c *ecosystem.Container, port int, secret Secret) *mysql.Config {
	cfg := mysql.NewConfig()
	cfg.Net = "tcp"
	cfg.Addr = net.JoinHostPort(c.Host, strconv.Itoa(port))
	cfg.DBName = c.Database
	cfg.User = secret.User()
	cfg.Passwd = secret.Password()
	cfg.Timeout = sourceConnectTimeout
	return cfg
}

// checkServerFields checks the fields a server engine needs and returns
// the port, the engine's default when the model says 0.
func checkServerFields(c *ecosystem.Container, defaultPort int, fail sourceFail) (int, error) {
	switch {
	case c.Host == "":
		return 0, fail.at("host", nil, "no host: set host = \"...\" in the model")
	case c.Database == "":
		return 0, fail.at("database", nil, "no database: set database = \"...\" in the model")
	case c.Port < 0 || c.Port > 65535:
		return 0, fail.at("port", nil, "port %d is not a TCP port: set port = 1..65535 in the model, or leave it out for the default %d", c.Port, defaultPort)
	case c.Port == 0:
		return defaultPort, nil
	}
	return c.Port, nil
}

// connectError explains a failed ping: cancelled, timed out, refused
// credential, missing database or unreachable server, with the driver's
// message scrubbed of the secret.
func connectError(ctx, pctx context.Context, c *ecosystem.Container, engine string, credRef *ecosystem.Credential, secret Secret, err error, fail sourceFail) error {
	detail := safetext.Line(secret.scrub(err.Error()))
	if ctx.Err() != nil {
		return fail.at("", ctx.Err(), "connecting was cancelled: %s", detail)
	}
	if pctx.Err() != nil {
		return fail.at("host", context.DeadlineExceeded, "no answer within %s: check that the server is running and reachable from here (%s)", sourceConnectTimeout, detail)
	}
	var pgErr *pgconn.PgError
	var myErr *mysql.MySQLError
	switch {
	case errors.As(err, &pgErr) && (pgErr.Code == "28P01" || pgErr.Code == "28000"),
		errors.As(err, &myErr) && (myErr.Number == 1045 || myErr.Number == 1698):
		return fail.at("", nil, "the server refused the login: %s: %s", detail, credentialAdvice(credRef, engine))
	case errors.As(err, &pgErr) && pgErr.Code == "3D000",
		errors.As(err, &myErr) && myErr.Number == 1049:
		return fail.at("database", nil, "database %q does not exist on the server: %s: create it, or fix database = in the model", safetext.Line(c.Database), detail)
	case errors.As(err, &myErr) && myErr.Number == 1044:
		return fail.at("database", nil, "the user may not use database %q: %s: grant it access, or %s", safetext.Line(c.Database), detail, credentialAdvice(credRef, engine))
	}
	if engine == engineSQLite {
		return fail.at("database", nil, "cannot read the database file: %s: check that it is an SQLite database and readable", detail)
	}
	return fail.at("host", nil, "cannot connect: %s: check that the server is running and reachable at %s; if it is, %s", detail, safetext.Line(hostPort(c, engine)), credentialAdvice(credRef, engine))
}

// credentialAdvice says how to fix a refused login.
func credentialAdvice(credRef *ecosystem.Credential, engine string) string {
	if credRef == nil {
		s := "the capture names no credential: add credential = credential(\"...\") to it"
		if engine == enginePostgres {
			s += ", or set PGUSER and PGPASSWORD"
		}
		return s
	}
	p := CredentialEnvPrefix(credRef.Name)
	return fmt.Sprintf("check the user and password of %s; the default credential store reads them from %s_USER and %s_PASSWORD", describeCredential(credRef), p, p)
}

// sourceError is an error about a source container. Its text is built
// from scrubbed parts and it keeps no reference to the driver's error,
// which may hold the secret; it unwraps only to causes that hold none (a
// context error, or the credential store's error).
type sourceError struct {
	msg   string
	cause error
}

func (e *sourceError) Error() string { return e.msg }
func (e *sourceError) Unwrap() error { return e.cause }

// sourceFail builds the errors about one container: each starts with the
// model position of the argument to fix (the call's when the argument was
// not given) and the container's description.
type sourceFail struct {
	c     *ecosystem.Container
	where string
}

// at returns an error at argument arg ("" for the call itself), unwrapping
// to cause, which must hold no secret.
func (f sourceFail) at(arg string, cause error, format string, args ...any) error {
	msg := "source " + f.where + ": " + fmt.Sprintf(format, args...)
	pos := f.c.Pos
	if arg != "" {
		pos = f.c.ArgPos(arg)
	}
	if pos.IsValid() {
		msg = safetext.Line(pos.String()) + ": " + msg
	}
	return &sourceError{msg: msg, cause: cause}
}

// describeSource names a container for messages: `container "crm"
// (postgres db.internal:5432/crm)`, `container "local" (sqlite data/x.db)`.
func describeSource(c *ecosystem.Container, engine string) string {
	var addr string
	switch engine {
	case engineSQLite:
		addr = c.Database
	case enginePostgres, engineMySQL:
		addr = hostPort(c, engine) + "/" + c.Database
	default:
		addr = strings.TrimPrefix(hostPortRaw(c)+"/"+c.Database, "/")
	}
	shown := engine
	if shown == "" {
		shown = "no engine"
	}
	if addr != "" {
		shown += " " + addr
	}
	return fmt.Sprintf("container %q (%s)", c.Name, safetext.Line(shown))
}

func hostPort(c *ecosystem.Container, engine string) string {
	port := c.Port
	if port == 0 {
		switch engine {
		case enginePostgres:
			port = defaultPostgresPort
		case engineMySQL:
			port = defaultMySQLPort
		}
	}
	return net.JoinHostPort(c.Host, strconv.Itoa(port))
}

func hostPortRaw(c *ecosystem.Container) string {
	if c.Port == 0 {
		return c.Host
	}
	return net.JoinHostPort(c.Host, strconv.Itoa(c.Port))
}

// dialectDriver is the database/sql driver name of an engine's dialect.
func dialectDriver(engine string) string {
	d, err := dialect.ForEngine(engine)
	if err != nil {
		return engine
	}
	return d.DriverName()
}
