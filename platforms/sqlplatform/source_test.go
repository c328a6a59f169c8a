package sqlplatform

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5"

	"github.com/datasurface/datasurface-go/ecosystem"
)

// fakeCreds is a CredentialStore returning one secret for every credential.
type fakeCreds struct{ secret Secret }

func (f fakeCreds) Resolve(context.Context, *ecosystem.Credential) (Secret, error) {
	return f.secret, nil
}

var modelPos = ecosystem.Source{Pos: ecosystem.Pos{File: "eco.star", Line: 4, Col: 20}}

// makeSQLite creates an SQLite database at path with one table of one row,
// through the same driver the sources use.
func makeSQLite(t *testing.T, path string) {
	t.Helper()
	u := url.URL{Scheme: "file", Path: filepath.ToSlash(path), RawQuery: "mode=rwc"}
	db, err := sql.Open(dialectDriver(engineSQLite), u.String())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO customers VALUES (1, 'ann')`); err != nil {
		t.Fatal(err)
	}
}

func sqliteContainer(database string) *ecosystem.Container {
	return &ecosystem.Container{Kind: ecosystem.DatabaseContainer, Name: "local", Engine: "sqlite", Database: database, Source: modelPos}
}

func TestOpenSourceSQLiteRelativeToRoot(t *testing.T) {
	root := t.TempDir()
	if err := os.Mkdir(filepath.Join(root, "data"), 0o755); err != nil {
		t.Fatal(err)
	}
	// A file name with URI syntax in it must still be a file name.
	name := "odd name?#%.db"
	makeSQLite(t, filepath.Join(root, "data", name))
	src, err := OpenSource(context.Background(), sqliteContainer("data/"+name), nil, nil, root)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	if src.Name != "local" || src.Dialect.Name() != "sqlite" {
		t.Errorf("source = %q, dialect %q", src.Name, src.Dialect.Name())
	}
	var got string
	if err := src.DB.QueryRow(`SELECT name FROM customers WHERE id = 1`).Scan(&got); err != nil || got != "ann" {
		t.Fatalf("read %q, %v", got, err)
	}
	// Read-only: a source is never written.
	if _, err := src.DB.Exec(`INSERT INTO customers VALUES (2, 'bob')`); err == nil {
		t.Error("writing to a SQLite source succeeded")
	}
	if !strings.Contains(src.Where, `container "local" (sqlite data/`+name+`)`) {
		t.Errorf("Where = %q", src.Where)
	}
}

func TestOpenSourceSQLiteAbsolutePathIgnoresRoot(t *testing.T) {
	path := filepath.Join(t.TempDir(), "abs.db")
	makeSQLite(t, path)
	src, err := OpenSource(context.Background(), sqliteContainer(path), nil, nil, "/nonexistent/root")
	if err != nil {
		t.Fatal(err)
	}
	src.Close()
}

func TestOpenSourceSQLiteMissingFileIsNotCreated(t *testing.T) {
	root := t.TempDir()
	_, err := OpenSource(context.Background(), sqliteContainer("missing.db"), nil, nil, root)
	if err == nil {
		t.Fatal("opened a missing database")
	}
	want := []string{"eco.star:4:20: source container \"local\" (sqlite missing.db)", filepath.Join(root, "missing.db") + " does not exist",
		"fix database = \"missing.db\"", "resolved against the model's root directory " + root}
	for _, w := range want {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error %q does not contain %q", err, w)
		}
	}
	if _, serr := os.Stat(filepath.Join(root, "missing.db")); !errors.Is(serr, os.ErrNotExist) {
		t.Errorf("opening a missing source created it: %v", serr)
	}

	if _, err := OpenSource(context.Background(), sqliteContainer("."), nil, nil, root); err == nil || !strings.Contains(err.Error(), "not a regular file (it is a directory)") {
		t.Errorf("directory: %v", err)
	}
	if _, err := OpenSource(context.Background(), sqliteContainer(""), nil, nil, root); err == nil || !strings.Contains(err.Error(), "no database file") {
		t.Errorf("no database: %v", err)
	}
	notDB := filepath.Join(root, "text.db")
	if err := os.WriteFile(notDB, []byte("this is not a database, just some text that is long enough to have a header"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := OpenSource(context.Background(), sqliteContainer("text.db"), nil, nil, root); err == nil || !strings.Contains(err.Error(), "check that it is an SQLite database") {
		t.Errorf("not a database: %v", err)
	}
}

func TestOpenSourceRefusesUnknownEngines(t *testing.T) {
	for _, engine := range []string{"oracle", "", "snowflake"} {
		c := &ecosystem.Container{Kind: ecosystem.DatabaseContainer, Name: "wh", Engine: engine, Host: "h", Database: "d", Source: modelPos}
		_, err := OpenSource(context.Background(), c, nil, nil, "")
		if err == nil {
			t.Fatalf("engine %q opened", engine)
		}
		for _, w := range []string{`container "wh"`, "cannot be read by the sql platform", "mysql (MySQL and MariaDB), postgres, sqlite"} {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("engine %q: error %q does not contain %q", engine, err, w)
			}
		}
	}
	c := &ecosystem.Container{Kind: ecosystem.TopicContainer, Name: "bus", Engine: "kafka"}
	if _, err := OpenSource(context.Background(), c, nil, nil, ""); err == nil || !strings.Contains(err.Error(), "cannot be read as an SQL source") {
		t.Errorf("topic container: %v", err)
	}
	if _, err := OpenSource(context.Background(), nil, nil, nil, ""); err == nil {
		t.Error("nil container opened")
	}
}

func TestOpenSourceRequiresHostDatabaseAndPort(t *testing.T) {
	for _, c := range []struct {
		c    ecosystem.Container
		want string
	}{
		{ecosystem.Container{Name: "a", Engine: "postgres", Database: "d"}, "no host"},
		{ecosystem.Container{Name: "a", Engine: "mysql", Host: "h"}, "no database"},
		{ecosystem.Container{Name: "a", Engine: "postgres", Host: "h", Database: "d", Port: 70000}, "port 70000 is not a TCP port"},
	} {
		if _, err := OpenSource(context.Background(), &c.c, nil, nil, ""); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: error %v, want %q", c.c, err, c.want)
		}
	}
}

func TestOpenSourceMissingCredentialNamesVariables(t *testing.T) {
	c := &ecosystem.Container{Kind: ecosystem.DatabaseContainer, Name: "crm", Engine: "postgres", Host: "127.0.0.1", Database: "crm", Source: modelPos}
	store := EnvCredentials{LookupEnv: fakeEnv{}.lookup}
	_, err := OpenSource(context.Background(), c, store, cred("crm_reader", ""), "")
	if !errors.Is(err, ErrCredentialNotSet) {
		t.Fatalf("error %v does not wrap ErrCredentialNotSet", err)
	}
	for _, w := range []string{`container "crm" (postgres 127.0.0.1:5432/crm)`, "DSL_CREDENTIAL_CRM_READER_USER and DSL_CREDENTIAL_CRM_READER_PASSWORD"} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error %q does not contain %q", err, w)
		}
	}
}

// closedPort returns a local TCP port nothing listens on.
func closedPort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	return port
}

// assertNoSecret fails when any rendering of err, or the source, shows a
// value of the secret.
func assertNoSecret(t *testing.T, err error, values ...string) {
	t.Helper()
	if err == nil {
		t.Fatal("no error")
	}
	texts := []string{err.Error(), fmt.Sprintf("%v", err), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err), fmt.Sprintf("%s", err)}
	for e := errors.Unwrap(err); e != nil; e = errors.Unwrap(e) {
		texts = append(texts, fmt.Sprintf("%+v", e), fmt.Sprintf("%#v", e))
	}
	for _, text := range texts {
		for _, v := range values {
			if strings.Contains(text, v) {
				t.Errorf("error text shows the secret %q:\n%s", v, text)
			}
		}
	}
}

// TestOpenSourceUnreachableHidesSecret connects to a port nothing listens on,
// with a credential, on both server engines: the error says what to check and
// shows no part of the secret.
func TestOpenSourceUnreachableHidesSecret(t *testing.T) {
	port := closedPort(t)
	const user, password = "user-VvX3kq", "pw-Zt9!x@y%z"
	secret := NewSecret(user, password, "")
	for _, engine := range []string{"postgres", "mysql"} {
		c := &ecosystem.Container{Kind: ecosystem.DatabaseContainer, Name: "crm", Engine: engine, Host: "127.0.0.1", Port: port, Database: "crm", Source: modelPos}
		_, err := OpenSource(context.Background(), c, fakeCreds{secret}, cred("crm_reader", ""), "")
		assertNoSecret(t, err, user, password, "Zt9")
		for _, w := range []string{fmt.Sprintf(`container "crm" (%s 127.0.0.1:%d/crm)`, engine, port), "cannot connect",
			fmt.Sprintf("reachable at 127.0.0.1:%d", port), "DSL_CREDENTIAL_CRM_READER_PASSWORD"} {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: error %q does not contain %q", engine, err, w)
			}
		}
	}
}

func TestOpenSourceTimesOut(t *testing.T) {
	// A listener that accepts and never answers.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			defer c.Close()
		}
	}()
	old := sourceConnectTimeout
	sourceConnectTimeout = 300 * time.Millisecond
	defer func() { sourceConnectTimeout = old }()
	port := l.Addr().(*net.TCPAddr).Port
	c := &ecosystem.Container{Kind: ecosystem.DatabaseContainer, Name: "slow", Engine: "mysql", Host: "127.0.0.1", Port: port, Database: "d"}
	start := time.Now()
	_, err = OpenSource(context.Background(), c, fakeCreds{NewSecret("u", "p-secret-123", "")}, cred("x", ""), "")
	if err == nil || !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "no answer within 300ms") {
		t.Errorf("error = %v", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %s", d)
	}
	assertNoSecret(t, err, "p-secret-123")

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := OpenSource(ctx, c, fakeCreds{NewSecret("u", "p", "")}, cred("x", ""), ""); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
}

// postgresContainer turns DSL_TEST_POSTGRES into a container, or skips.
func postgresContainer(t *testing.T) (*ecosystem.Container, *pgx.ConnConfig) {
	t.Helper()
	dsn := os.Getenv("DSL_TEST_POSTGRES")
	if dsn == "" {
		t.Skip("DSL_TEST_POSTGRES not set: set it to a PostgreSQL URL (postgres://postgres@127.0.0.1:5432/test?sslmode=disable) to run this test")
	}
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		t.Fatalf("DSL_TEST_POSTGRES: %v", err)
	}
	return &ecosystem.Container{Kind: ecosystem.DatabaseContainer, Name: "crm", Engine: "postgres", Host: cfg.Host, Port: int(cfg.Port), Database: cfg.Database, Source: modelPos}, cfg
}

func TestOpenSourcePostgres(t *testing.T) {
	c, cfg := postgresContainer(t)
	t.Setenv("PGSSLMODE", "disable")
	src, err := OpenSource(context.Background(), c, fakeCreds{NewSecret(cfg.User, cfg.Password, "")}, cred("pg", ""), "")
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	if src.Dialect.Name() != "postgres" {
		t.Errorf("dialect %q", src.Dialect.Name())
	}
	var one int
	if err := src.DB.QueryRow(`SELECT 1`).Scan(&one); err != nil || one != 1 {
		t.Fatalf("SELECT 1 = %d, %v", one, err)
	}
	// Sessions are read-only: the source is never written.
	if _, err := src.DB.Exec(`CREATE TEMPORARY TABLE dsl_source_probe (x int)`); err == nil || !strings.Contains(err.Error(), "read-only") {
		t.Errorf("creating a table on a source: %v", err)
	}
	want := fmt.Sprintf(`container "crm" (postgres %s/%s)`, net.JoinHostPort(cfg.Host, strconv.Itoa(int(cfg.Port))), cfg.Database)
	if src.Where != want {
		t.Errorf("Where = %q, want %q", src.Where, want)
	}
	// Nothing printable about the source shows the password.
	for _, s := range []string{fmt.Sprintf("%+v", src), fmt.Sprintf("%#v", *src)} {
		if cfg.Password != "" && strings.Contains(s, cfg.Password) {
			t.Errorf("source prints the password: %s", s)
		}
	}
}

// TestOpenSourcePostgresRefusedLoginHidesSecret logs in as a role that does
// not exist (the test server trusts every existing role, so a wrong password
// would be accepted): the server and pgx both echo the user name, which is
// part of the secret and must be scrubbed.
func TestOpenSourcePostgresRefusedLoginHidesSecret(t *testing.T) {
	c, _ := postgresContainer(t)
	t.Setenv("PGSSLMODE", "disable")
	user := fmt.Sprintf("dsl_secret_user_%d", time.Now().UnixNano())
	const password = "pw-Q7!secret"
	_, err := OpenSource(context.Background(), c, fakeCreds{NewSecret(user, password, "")}, cred("crm_reader", ""), "")
	assertNoSecret(t, err, user, password)
	if err != nil && !strings.Contains(err.Error(), "[redacted]") {
		t.Errorf("error %q: the driver's message should show where the user name was removed", err)
	}
	if err != nil && !strings.Contains(err.Error(), "DSL_CREDENTIAL_CRM_READER_USER") {
		t.Errorf("error %q does not say which variables to check", err)
	}

	c.Database = fmt.Sprintf("dsl_missing_db_%d", time.Now().UnixNano())
	cfgUser := "postgres"
	if u := os.Getenv("PGUSER"); u != "" {
		cfgUser = u
	}
	_, err = OpenSource(context.Background(), c, fakeCreds{NewSecret(cfgUser, "", "")}, cred("crm_reader", ""), "")
	if err == nil || !strings.Contains(err.Error(), "does not exist on the server") {
		t.Errorf("missing database: %v", err)
	}
}

// mysqlContainer turns DSL_TEST_MYSQL into a container, or skips.
func mysqlContainer(t *testing.T) (*ecosystem.Container, *mysql.Config) {
	t.Helper()
	dsn := os.Getenv("DSL_TEST_MYSQL")
	if dsn == "" {
		t.Skip("DSL_TEST_MYSQL not set: set it to a MySQL DSN (root@tcp(127.0.0.1:3306)/test) to run this test")
	}
	cfg, err := mysql.ParseDSN(dsn)
	if err != nil {
		t.Fatalf("DSL_TEST_MYSQL: %v", err)
	}
	host, port, err := net.SplitHostPort(cfg.Addr)
	if err != nil {
		t.Fatalf("DSL_TEST_MYSQL address %q: %v", cfg.Addr, err)
	}
	p, _ := strconv.Atoi(port)
	return &ecosystem.Container{Kind: ecosystem.DatabaseContainer, Name: "shop", Engine: "mariadb", Host: host, Port: p, Database: cfg.DBName, Source: modelPos}, cfg
}

func TestOpenSourceMySQL(t *testing.T) {
	c, cfg := mysqlContainer(t)
	src, err := OpenSource(context.Background(), c, fakeCreds{NewSecret(cfg.User, cfg.Passwd, "")}, cred("my", ""), "")
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	if src.Dialect.Name() != "mysql" {
		t.Errorf("dialect %q", src.Dialect.Name())
	}
	var database string
	if err := src.DB.QueryRow(`SELECT DATABASE()`).Scan(&database); err != nil || database != cfg.DBName {
		t.Errorf("connected to database %q (%v), want %q", database, err, cfg.DBName)
	}
	if want := fmt.Sprintf(`container "shop" (mysql %s/%s)`, cfg.Addr, cfg.DBName); src.Where != want {
		t.Errorf("Where = %q, want %q", src.Where, want)
	}
}

// TestOpenSourceMySQLWrongPasswordHidesSecret logs in with a wrong password:
// the server refuses it and the error shows neither the password nor the
// user name.
func TestOpenSourceMySQLWrongPasswordHidesSecret(t *testing.T) {
	c, cfg := mysqlContainer(t)
	const password = "wrong-pw-K8#secret"
	_, err := OpenSource(context.Background(), c, fakeCreds{NewSecret(cfg.User, password, "")}, cred("shop_reader", ""), "")
	assertNoSecret(t, err, password, "K8#")
	if err == nil {
		return
	}
	for _, w := range []string{"server refused the login", "DSL_CREDENTIAL_SHOP_READER_PASSWORD", `container "shop" (mysql `} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error %q does not contain %q", err, w)
		}
	}
	// The user name is part of the secret too.
	if cfg.User != "" && strings.Contains(err.Error(), "'"+cfg.User+"'@") {
		t.Errorf("error %q shows the user name", err)
	}
}

// TestMySQLConfigHoldsNoSecretInDSN: the DSN the driver configuration would
// print, as drivers put it in errors, is scrubbed by the secret.
func TestMySQLConfigScrubbedDSN(t *testing.T) {
	secret := NewSecret("app", "p@ss:w/rd", "")
	cfg := mysqlSourceConfig(&ecosystem.Container{Host: "db", Database: "shop"}, 3306, secret)
	dsn := cfg.FormatDSN()
	if !strings.Contains(dsn, "p@ss:w/rd") {
		t.Fatalf("test premise: FormatDSN %q does not hold the password", dsn)
	}
	if got := secret.scrub(dsn); strings.Contains(got, "p@ss") || strings.Contains(got, "app:") {
		t.Errorf("scrubbed DSN %q still shows the secret", got)
	}
}
