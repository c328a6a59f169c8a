package worker

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
	"github.com/riverqueue/river/rivertype"

	"github.com/datasurface/datasurface-go/internal/safetext"
	"github.com/datasurface/datasurface-go/platforms/sqlplatform"
	"github.com/datasurface/datasurface-go/platforms/sqlplatform/dialect"
)

// queueClient is what the worker uses of a River client; *river.Client of
// either driver has these methods, whatever its transaction type.
type queueClient interface {
	Start(ctx context.Context) error
	Stop(ctx context.Context) error
	StopAndCancel(ctx context.Context) error
	Insert(ctx context.Context, args river.JobArgs, opts *river.InsertOpts) (*rivertype.JobInsertResult, error)
	PeriodicJobs() *river.PeriodicJobBundle
	JobList(ctx context.Context, params *river.JobListParams) (*river.JobListResult, error)
	JobGet(ctx context.Context, id int64) (*rivertype.JobRow, error)
}

// queue is the job queue of one platform's store: a River client over the
// store's engine, and the plain SQL the worker runs beside it.
type queue struct {
	client queueClient
	// engine is "postgres" or "sqlite".
	engine string
	// db runs the worker's own queries on the queue's tables (counts).
	db *sql.DB
	// migrate creates or updates River's tables.
	migrate func(ctx context.Context) error
	// closeAll releases the pools.
	closeAll func()
}

// queueLocation says where a platform's queue lives: the PostgreSQL store
// itself, or an SQLite file beside the SQLite store.
type queueLocation struct {
	engine string
	// conn is what the driver opens: it may hold a password.
	conn string
	// shown is the location as people may see it.
	shown string
	scrub func(string) string
}

// locate finds platform p's queue.
func locate(p *sqlplatform.Platform) (queueLocation, error) {
	dsn, _, err := p.Store()
	if err != nil {
		return queueLocation{}, err
	}
	conn, err := dsn.ConnString()
	if err != nil {
		return queueLocation{}, err
	}
	loc := queueLocation{engine: dsn.Engine, conn: conn, shown: dsn.String(), scrub: dsn.Scrub}
	if dsn.Engine == "sqlite" {
		// A long merge holds the store file's write lock; River's own
		// writes (fetching, completing, electing a leader) must not wait
		// for it, so the queue is a file of its own.
		loc.conn += ".queue"
		loc.shown += ".queue"
	}
	return loc, nil
}

// openQueue opens platform p's queue with the River configuration cfg
// (nil workers for a client that only inserts and lists). conns bounds the
// queue's PostgreSQL connections; SQLite uses one, as River's SQLite driver
// asks.
func openQueue(ctx context.Context, p *sqlplatform.Platform, cfg *river.Config, conns int) (*queue, error) {
	loc, err := locate(p)
	if err != nil {
		return nil, err
	}
	fail := func(what string, err error) error {
		return fmt.Errorf("platform %s: job queue in %s: %s: %s", p.Name(), safetext.Line(loc.shown), what, loc.scrub(err.Error()))
	}
	switch loc.engine {
	case "postgres":
		pc, err := pgxpool.ParseConfig(loc.conn)
		if err != nil {
			return nil, fail("reading its address", err)
		}
		pc.MaxConns = int32(max(conns, 2))
		pool, err := pgxpool.NewWithConfig(ctx, pc)
		if err != nil {
			return nil, fail("connecting", err)
		}
		driver := riverpgxv5.New(pool)
		client, err := river.NewClient(driver, cfg)
		if err != nil {
			pool.Close()
			return nil, fail("starting River", err)
		}
		db, _, err := dialect.Open("postgres", loc.conn)
		if err != nil {
			pool.Close()
			return nil, fail("connecting", err)
		}
		db.SetMaxOpenConns(1)
		q := &queue{client: client, engine: loc.engine, db: db, closeAll: func() { _ = db.Close(); pool.Close() }}
		q.migrate = func(ctx context.Context) error {
			m, err := rivermigrate.New(driver, nil)
			if err != nil {
				return err
			}
			return migrateLocked(ctx, db, func(ctx context.Context) error {
				_, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil)
				return err
			})
		}
		return q, nil
	case "sqlite":
		// The store's folder may not exist yet: the store is opened after
		// the queue.
		if err := os.MkdirAll(filepath.Dir(loc.conn), 0o755); err != nil {
			return nil, fail("creating its folder", err)
		}
		db, _, err := dialect.Open("sqlite", loc.conn)
		if err != nil {
			return nil, fail("opening", err)
		}
		db.SetMaxOpenConns(1)
		driver := riversqlite.New(db)
		client, err := river.NewClient(driver, cfg)
		if err != nil {
			_ = db.Close()
			return nil, fail("starting River", err)
		}
		q := &queue{client: client, engine: loc.engine, db: db, closeAll: func() { _ = db.Close() }}
		q.migrate = func(ctx context.Context) error {
			m, err := rivermigrate.New(driver, nil)
			if err != nil {
				return err
			}
			_, err = m.Migrate(ctx, rivermigrate.DirectionUp, nil)
			return err
		}
		return q, nil
	}
	return nil, fmt.Errorf("platform %s: a job queue needs a PostgreSQL or SQLite merge store, not %s", p.Name(), loc.engine)
}

// migrateLocked runs f under a PostgreSQL advisory lock, so that workers
// starting together do not race to create River's tables.
func migrateLocked(ctx context.Context, db *sql.DB, f func(context.Context) error) error {
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	const lock = "SELECT pg_advisory_lock(hashtext('dsl/queue/migrate'))"
	if _, err := conn.ExecContext(ctx, lock); err != nil {
		return err
	}
	defer func() {
		_, _ = conn.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock(hashtext('dsl/queue/migrate'))")
	}()
	return f(ctx)
}

// close releases the queue's connections; stop the client first.
func (q *queue) close() { q.closeAll() }

// counts returns the number of jobs in each state, for the queue depth
// gauge: one query, whatever the number of jobs.
func (q *queue) counts(ctx context.Context) (map[string]int64, error) {
	rows, err := q.db.QueryContext(ctx, "SELECT state, COUNT(*) FROM river_job GROUP BY state")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var state string
		var n int64
		if err := rows.Scan(&state, &n); err != nil {
			return nil, err
		}
		out[state] = n
	}
	return out, rows.Err()
}

// Migrate creates or updates the job queue's tables for platform p (River's
// migrations), as a deployment runs once before its workers start
// (dsl migrate). Workers migrate on start too, so it is optional; running
// it again changes nothing.
func Migrate(ctx context.Context, p *sqlplatform.Platform) error {
	q, err := openQueue(ctx, p, &river.Config{}, 2)
	if err != nil {
		return err
	}
	defer q.close()
	if err := q.migrate(ctx); err != nil {
		return fmt.Errorf("platform %s: migrating the job queue: %w", p.Name(), err)
	}
	return nil
}

// errNoQueue says the store has no job queue yet.
var errNoQueue = errors.New("no job queue")

// queueExists reports whether the queue's tables exist, without creating
// anything (an SQLite queue file that is missing is not created).
func queueExists(ctx context.Context, p *sqlplatform.Platform) (bool, error) {
	loc, err := locate(p)
	if err != nil {
		return false, err
	}
	if loc.engine == "sqlite" {
		if _, err := os.Stat(loc.conn); errors.Is(err, os.ErrNotExist) {
			return false, nil
		}
	}
	db, d, err := dialect.Open(loc.engine, loc.conn)
	if err != nil {
		return false, fmt.Errorf("platform %s: job queue in %s: %s", p.Name(), safetext.Line(loc.shown), loc.scrub(err.Error()))
	}
	defer db.Close()
	cols, err := d.TableColumns(ctx, db, "river_job")
	if err != nil {
		return false, fmt.Errorf("platform %s: job queue in %s: %s", p.Name(), safetext.Line(loc.shown), loc.scrub(err.Error()))
	}
	return cols != nil, nil
}
