package dialect_test

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/datasurface/datasurface-go/internal/dbtest"
	"github.com/datasurface/datasurface-go/platforms/sqlplatform/dialect"
)

// TestLockExclusive takes a lock through one connection pool and requires
// a second pool on the same database to get ErrLocked at once for the same
// name, to get another name, and to get the name after release.
func TestLockExclusive(t *testing.T) {
	ctx := context.Background()
	dbtest.Each(t, func(t *testing.T, d dialect.Dialect, db *sql.DB, dsn string) {
		other, _, err := dialect.Open(d.Name(), dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer other.Close()

		release, err := d.Lock(ctx, db, "stream/orders")
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		if _, err := d.Lock(ctx, other, "stream/orders"); !errors.Is(err, dialect.ErrLocked) {
			t.Fatalf("second Lock of a held name = %v, want ErrLocked", err)
		}
		if time.Since(start) > 5*time.Second {
			t.Error("Lock waited instead of failing at once")
		}
		if _, err := d.Lock(ctx, db, "stream/orders"); !errors.Is(err, dialect.ErrLocked) {
			t.Fatalf("Lock of a held name through the same pool = %v, want ErrLocked", err)
		}
		releaseB, err := d.Lock(ctx, other, "stream/customers")
		if err != nil {
			t.Fatalf("Lock of another name: %v", err)
		}
		if err := release(); err != nil {
			t.Fatalf("release: %v", err)
		}
		if err := release(); err != nil {
			t.Fatalf("second release: %v", err)
		}
		releaseA, err := d.Lock(ctx, other, "stream/orders")
		if err != nil {
			t.Fatalf("Lock after release: %v", err)
		}
		for _, r := range []func() error{releaseA, releaseB} {
			if err := r(); err != nil {
				t.Fatal(err)
			}
		}
	})
}

// TestLockReleasedWhenSessionEnds checks that the end of the holder's
// server session (what the death of its process brings) frees the lock.
func TestLockReleasedWhenSessionEnds(t *testing.T) {
	ctx := context.Background()
	dbtest.Each(t, func(t *testing.T, d dialect.Dialect, db *sql.DB, dsn string) {
		if d.Name() == "sqlite" {
			t.Skip("the SQLite lock is a file lock of the process, tested by TestSQLiteLockReleasedOnProcessDeath")
		}
		holderDSN := dsn
		if d.Name() == "postgres" {
			// The holder's sessions are told apart by their
			// application name, so that no other test's session dies.
			holderDSN += "&application_name=" + holderApp
		}
		holder, _, err := dialect.Open(d.Name(), holderDSN)
		if err != nil {
			t.Fatal(err)
		}
		defer holder.Close()
		if _, err := d.Lock(ctx, holder, "s"); err != nil {
			t.Fatal(err)
		}
		if _, err := d.Lock(ctx, db, "s"); !errors.Is(err, dialect.ErrLocked) {
			t.Fatalf("Lock while held = %v, want ErrLocked", err)
		}
		if err := killSessions(ctx, d, db); err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(10 * time.Second)
		for {
			release, err := d.Lock(ctx, db, "s")
			if err == nil {
				release()
				return
			}
			if !errors.Is(err, dialect.ErrLocked) || time.Now().After(deadline) {
				t.Fatalf("the lock of a dead session is still held: %v", err)
			}
			time.Sleep(50 * time.Millisecond)
		}
	})
}

// holderApp names the PostgreSQL sessions TestLockReleasedWhenSessionEnds
// kills.
const holderApp = "dsl_lock_test_holder"

// killSessions ends the holder's server sessions from db, as the server
// does when the holding process dies: on PostgreSQL those with the
// holder's application name, on MySQL every other session on the test's
// own database.
func killSessions(ctx context.Context, d dialect.Dialect, db *sql.DB) error {
	if d.Name() == "postgres" {
		_, err := db.ExecContext(ctx, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1", holderApp)
		return err
	}
	rows, err := db.QueryContext(ctx, "SELECT id FROM information_schema.processlist WHERE id <> CONNECTION_ID() AND db = DATABASE()")
	if err != nil {
		return err
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return err
		}
		ids = append(ids, id)
	}
	rows.Close()
	for _, id := range ids {
		if _, err := db.ExecContext(ctx, "KILL ?", id); err != nil {
			return err
		}
	}
	return nil
}

// TestSQLiteLockReleasedOnProcessDeath takes the lock in a child process,
// kills it with SIGKILL and requires the lock to be free.
func TestSQLiteLockReleasedOnProcessDeath(t *testing.T) {
	if os.Getenv("DSL_LOCK_CHILD") != "" {
		db, d, err := dialect.Open("sqlite", os.Getenv("DSL_LOCK_CHILD"))
		if err != nil {
			os.Exit(3)
		}
		if _, err := d.Lock(context.Background(), db, "s"); err != nil {
			os.Exit(4)
		}
		os.Stdout.WriteString("locked\n")
		time.Sleep(time.Minute)
		os.Exit(0)
	}
	path := filepath.Join(t.TempDir(), "store.db")
	db, d, err := dialect.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	cmd := exec.Command(os.Args[0], "-test.run=^TestSQLiteLockReleasedOnProcessDeath$")
	cmd.Env = append(os.Environ(), "DSL_LOCK_CHILD="+path)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 7)
	if _, err := out.Read(buf); err != nil || string(buf[:6]) != "locked" {
		cmd.Process.Kill()
		t.Fatalf("the child did not take the lock: %q, %v", buf, err)
	}
	if _, err := d.Lock(context.Background(), db, "s"); !errors.Is(err, dialect.ErrLocked) {
		cmd.Process.Kill()
		t.Fatalf("Lock while the child holds it = %v, want ErrLocked", err)
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	release, err := d.Lock(context.Background(), db, "s")
	if err != nil {
		t.Fatalf("Lock after the holder died: %v", err)
	}
	release()
}

// TestSQLiteLockInMemory checks the in-process lock of a database that
// has no file.
func TestSQLiteLockInMemory(t *testing.T) {
	db, err := sql.Open("sqlite", ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	d := dialect.SQLite{}
	release, err := d.Lock(context.Background(), db, "s")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.Lock(context.Background(), db, "s"); !errors.Is(err, dialect.ErrLocked) {
		t.Fatalf("second Lock = %v, want ErrLocked", err)
	}
	release()
	if r, err := d.Lock(context.Background(), db, "s"); err != nil {
		t.Fatalf("Lock after release: %v", err)
	} else {
		r()
	}
}
