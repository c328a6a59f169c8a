package sqlplatform

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/datasurface/datasurface-go/internal/safetext"
	"github.com/datasurface/datasurface-go/platforms/sqlplatform/dialect"
)

// storeConnectTimeout bounds connecting to the merge store.
var storeConnectTimeout = 15 * time.Second

// store is an open merge store.
type store struct {
	db     *sql.DB
	d      dialect.Dialect
	choice storeChoice
}

// errNoStore is returned by openStore(create=false) for an SQLite store
// whose file does not exist yet: nothing ever ran.
var errNoStore = errors.New("the merge store does not exist yet")

// openStore opens the platform's merge store and checks that it answers.
// With create, a missing SQLite file (and its directory) is created;
// without, it is errNoStore. Errors name the store without its password
// and say where the address came from.
func (p *Platform) openStore(ctx context.Context, create bool) (*store, error) {
	choice, err := p.chooseStore()
	if err != nil {
		return nil, err
	}
	dsn := choice.dsn
	fail := func(format string, args ...any) error {
		return fmt.Errorf("platform %s: merge store %s (from %s): %s", p.name, safetext.Line(dsn.String()), choice.from, dsn.scrub(fmt.Sprintf(format, args...)))
	}
	raw, err := dsn.driverDSN()
	if err != nil {
		return nil, fail("%v", err)
	}
	if dsn.Engine == storeSQLite {
		_, statErr := os.Stat(raw)
		switch {
		case errors.Is(statErr, fs.ErrNotExist) && !create:
			return nil, errNoStore
		case errors.Is(statErr, fs.ErrNotExist):
			if err := os.MkdirAll(filepath.Dir(raw), 0o755); err != nil {
				return nil, fail("creating its directory: %v", err)
			}
		case statErr != nil:
			return nil, fail("%v", statErr)
		}
	}
	db, d, err := dialect.Open(dsn.Engine, raw)
	if err != nil {
		return nil, fail("%v: check that the store is running and reachable from here, and its address", err)
	}
	pctx, cancel := context.WithTimeout(ctx, storeConnectTimeout)
	defer cancel()
	if err := db.PingContext(pctx); err != nil {
		_ = db.Close()
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, fail("%v: check that the store is running and reachable from here, and its address", err)
	}
	return &store{db: db, d: d, choice: choice}, nil
}
