package sqlplatform

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/datasurface/datasurface-go/platforms/sqlplatform/dialect"
)

// ErrStreamBusy is returned (wrapped) when another runner, in this process
// or another one sharing the merge store, is running a batch of the stream.
var ErrStreamBusy = errors.New("another runner is running a batch of this stream")

// streamLockName is the name of the store lock that keeps the batches of
// one stream from overlapping.
func streamLockName(stream string) string { return "dsl/stream/" + stream }

// lockStream takes the stream's lock in the merge store. It fails at once,
// with ErrStreamBusy, when another runner holds it; the lock is also freed
// when the holder's process dies, so a killed runner never blocks the next.
func lockStream(ctx context.Context, db *sql.DB, d dialect.Dialect, stream string) (release func() error, err error) {
	release, err = d.Lock(ctx, db, streamLockName(stream))
	if errors.Is(err, dialect.ErrLocked) {
		return nil, fmt.Errorf("stream %s: %w: it runs one batch at a time; try again when that batch is done", stream, ErrStreamBusy)
	}
	if err != nil {
		return nil, fmt.Errorf("stream %s: taking its lock in the merge store: %w", stream, err)
	}
	return release, nil
}
