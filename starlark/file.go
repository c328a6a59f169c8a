package starlark

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"
)

// unreadableError says why a path cannot be a model file. It is a finding
// about the model (LOAD_UNREADABLE at the load() naming the path), not an
// I/O failure of the file system as a whole.
type unreadableError string

func (e unreadableError) Error() string { return string(e) }

// checkFile refuses, before anything opens it, a path that is not a
// regular file of at most the size limit. Opening is what would hang on a
// FIFO or a device, and reading what would exhaust memory on a huge file,
// so both are decided from Stat alone. A Stat failure is an I/O error of
// the file system, except for a symbolic link that cannot be followed.
func (ev *evaluation) checkFile(path string) error {
	info, err := fs.Stat(ev.fsys, path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return err // LOAD_NOT_FOUND
	case err != nil:
		// Stat follows links; a link it cannot follow (one leaving an
		// os.Root) is the model's problem, anything else the file system's.
		if li, lerr := fs.Lstat(ev.fsys, path); lerr == nil && li.Mode()&fs.ModeSymlink != 0 {
			return unreadableError("it is a symbolic link that cannot be followed (" + pathErrorText(err) + "); links may not lead outside the model root")
		}
		return err
	}
	switch mode := info.Mode(); {
	case mode.IsRegular():
	case mode&fs.ModeSymlink != 0:
		return unreadableError("it is a symbolic link; links are not followed (commit or copy the file itself)")
	case mode.IsDir():
		return unreadableError("it is a directory")
	case mode&fs.ModeNamedPipe != 0:
		return unreadableError("it is a FIFO (named pipe), not a regular file")
	case mode&(fs.ModeDevice|fs.ModeCharDevice) != 0:
		return unreadableError("it is a device, not a regular file")
	case mode&fs.ModeSocket != 0:
		return unreadableError("it is a socket, not a regular file")
	default:
		return unreadableError(fmt.Sprintf("it is not a regular file (mode %v)", mode))
	}
	if info.Size() > ev.cfg.maxFileSize {
		return unreadableError(fmt.Sprintf("it is %d bytes, more than the %d-byte limit on one model file (WithMaxFileSize, dsl --max-file-size)", info.Size(), ev.cfg.maxFileSize))
	}
	return nil
}

// pathErrorText is the reason of a *fs.PathError without its operation and
// path, which the diagnostic already names.
func pathErrorText(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return strings.TrimSpace(pe.Err.Error())
	}
	return err.Error()
}
