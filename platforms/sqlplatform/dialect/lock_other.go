//go:build !unix && !windows

package dialect

import (
	"errors"
	"os"
)

// tryLockFile fails: this system has no file locks the dialect knows.
func tryLockFile(*os.File) (bool, error) {
	return false, errors.New("file locks are not supported on this system: use a PostgreSQL store")
}

func unlockFile(*os.File) error { return nil }
