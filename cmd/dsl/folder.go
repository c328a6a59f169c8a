package main

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/datasurface/datasurface-go/governance/gitfs"
	"github.com/datasurface/datasurface-go/internal/safetext"
)

// cleanDir checks a --dir flag, the model's folder inside a git
// repository, and returns it as a clean slash-separated path ("." for the
// repository's root). An absolute path is refused rather than read as
// relative to the repository's root, and so is a path that climbs out of
// the repository with "..".
func cleanDir(dir string) (string, error) {
	slashed := strings.ReplaceAll(dir, "\\", "/")
	switch {
	case dir == "":
		return "", errors.New("--dir is empty: want the model's folder relative to the repository's root, such as models/acme, or . for the root")
	case strings.HasPrefix(slashed, "/") || filepath.IsAbs(dir) || filepath.VolumeName(dir) != "":
		return "", fmt.Errorf("--dir %s: want the model's folder relative to the repository's root, such as models/acme, not an absolute path", safetext.Line(dir))
	case slices.Contains(strings.Split(slashed, "/"), ".."):
		return "", fmt.Errorf("--dir %s: the model's folder must be inside the repository; \"..\" leaves it", safetext.Line(dir))
	}
	return path.Clean(slashed), nil
}

// revisionFolder is the model folder of one revision, or why the revision
// has none.
type revisionFolder struct {
	fsys fs.FS
	// absent says why the revision has no model folder at --dir (no such
	// path, or a file, link or submodule there); empty when fsys is set.
	absent string
	// notFolder is set when something other than a folder is at --dir.
	notFolder bool
}

// modelFolder resolves rev and finds the model folder dir (clean, from
// cleanDir) in it. An unknown revision or an unreadable repository is an
// error; a revision without a folder at dir is not, since the pull
// request may add or remove the model.
func modelFolder(repo *gitfs.Repository, rev, dir string) (revisionFolder, error) {
	root, err := repo.FS(rev)
	if err != nil {
		return revisionFolder{}, err
	}
	if dir == "." {
		return revisionFolder{fsys: root}, nil
	}
	info, err := root.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return revisionFolder{absent: fmt.Sprintf("has no folder %s", dir)}, nil
	case err != nil:
		return revisionFolder{}, err
	case info.Mode()&fs.ModeSymlink != 0:
		return revisionFolder{absent: fmt.Sprintf("has %s as a symbolic link, not a folder; links are not followed (commit the folder itself)", dir), notFolder: true}, nil
	case info.Mode()&fs.ModeIrregular != 0:
		return revisionFolder{absent: fmt.Sprintf("has %s as a git submodule, not a folder; submodules are not read (commit the folder itself)", dir), notFolder: true}, nil
	case !info.IsDir():
		return revisionFolder{absent: fmt.Sprintf("has %s as a file, not a folder", dir), notFolder: true}, nil
	}
	sub, err := root.Sub(dir)
	if err != nil {
		return revisionFolder{}, err
	}
	return revisionFolder{fsys: sub}, nil
}

// revisionFS returns the model folder of one revision, or an error naming
// the revision and saying what it has at dir instead.
func revisionFS(repo *gitfs.Repository, rev, dir string) (fs.FS, error) {
	f, err := modelFolder(repo, rev, dir)
	if err != nil {
		return nil, err
	}
	if f.fsys == nil {
		return nil, fmt.Errorf("revision %s %s (--dir)", safetext.Line(rev), f.absent)
	}
	return f.fsys, nil
}

// slashRel returns a clean --dir as the prefix of file names in reports:
// empty for the repository's root.
func slashRel(dir string) string {
	if dir == "." {
		return ""
	}
	return dir
}
