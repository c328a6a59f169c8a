package main

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/datasurface/datasurface-go/ecosystem"
	"github.com/datasurface/datasurface-go/governance/gitfs"
	"github.com/datasurface/datasurface-go/internal/safetext"
	"github.com/datasurface/datasurface-go/starlark"
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

// hasEntry reports whether fsys (nil for no model folder) has an entry at
// the entry file's path: a file, or anything the evaluation will refuse
// with a finding of its own (a link, a folder).
func hasEntry(fsys fs.FS, entry string) bool {
	if fsys == nil {
		return false
	}
	_, err := fs.Stat(fsys, entry)
	return !errors.Is(err, fs.ErrNotExist)
}

// headRemoval returns the finding about a head that removes the model
// base has (its folder or its entry file) or replaces its folder with a
// link, file or submodule, found before anything is evaluated; nil when
// the head has a model to evaluate.
func headRemoval(head revisionFolder, headRev, baseRev, dir, entry string, baseHasModel bool) ecosystem.Diagnostics {
	switch {
	case head.notFolder:
		return ecosystem.Diagnostics{headFinding(starlark.RuleLoadUnreadable,
			fmt.Sprintf("the pull request's head %s %s", headRev, head.absent),
			"keep the model's folder "+dir+" a folder of regular files")}
	case head.fsys == nil:
		return ecosystem.Diagnostics{headFinding(starlark.RuleLoadNotFound,
			fmt.Sprintf("the pull request's head %s removes the model: it %s, which base %s has", headRev, head.absent, baseRev),
			"restore the model's folder "+dir+"; to move the model, change the workflow's --dir in a pull request of its own")}
	case baseHasModel && !hasEntry(head.fsys, entry):
		return ecosystem.Diagnostics{headFinding(starlark.RuleLoadNotFound,
			fmt.Sprintf("the pull request's head %s deletes the model's entry file %s, which base %s has", headRev, entry, baseRev),
			"restore "+entry+": every model starts from its entry file")}
	}
	return nil
}

// headFinding is an error finding about the pull request's head that the
// check finds before evaluating it, with no position: the file or folder
// it is about is not in the head.
func headFinding(rule, message, hint string) ecosystem.Diagnostic {
	return ecosystem.Diagnostic{Rule: rule, Severity: ecosystem.Error, Message: message, Hint: hint}
}
