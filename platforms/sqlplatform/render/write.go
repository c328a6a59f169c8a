package render

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"slices"
	"strings"

	"github.com/datasurface/datasurface-go/platforms"
)

// WriteOptions say how Write treats what the folder holds already.
type WriteOptions struct {
	// Force writes over files that do not start with GeneratedHeader
	// (files people wrote); without it Write refuses them and writes
	// nothing.
	Force bool
	// Owned is a folder inside the output folder that holds only what one
	// render writes (Names.Dir of a Kubernetes render): files in it that an
	// earlier render wrote and this one does not are removed, so that
	// kubectl apply -f on the folder applies exactly this render. "" for
	// none.
	Owned string
}

// Written says what Write did, each as a slash-separated path inside the
// output folder, sorted.
type Written struct {
	Files   []string
	Removed []string
}

// Write writes artifacts into dir, creating it and its folders as needed,
// and nothing outside it: names are checked (platforms.ValidArtifactName)
// and every file is opened through an os.Root, which follows no link out
// of dir. It writes only the artifacts' own names. A file already there is
// written over when a render wrote it (it starts with GeneratedHeader) or
// with opts.Force; otherwise nothing is written and the error names the
// files. Each file is written to a temporary file beside it, synced, and
// renamed into place, so that none is ever half-written.
func Write(dir string, arts []platforms.Artifact, opts WriteOptions) (Written, error) {
	var out Written
	names := map[string]bool{}
	for _, a := range arts {
		if !platforms.ValidArtifactName(a.Name) {
			return out, fmt.Errorf("%q cannot be written: not a clean path inside the output folder", a.Name)
		}
		names[a.Name] = true
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return out, fmt.Errorf("the output folder: %w", err)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return out, fmt.Errorf("the output folder: %w", err)
	}
	defer root.Close()
	var foreign []string
	for _, a := range arts {
		gen, exists, err := generated(root, a.Name)
		if err != nil {
			return out, err
		}
		if exists && !gen && !opts.Force {
			foreign = append(foreign, a.Name)
		}
	}
	if len(foreign) > 0 {
		return out, fmt.Errorf("%s in %s did not come from dsl render (%s); nothing was written: move them away, choose another output folder, or write over them with --force",
			plural(len(foreign), "file"), dir, strings.Join(foreign, ", "))
	}
	for _, a := range arts {
		if err := writeFile(root, a.Name, a.Data); err != nil {
			return out, fmt.Errorf("%d of %d files written into %s; writing %s: %w", len(out.Files), len(arts), dir, a.Name, err)
		}
		out.Files = append(out.Files, a.Name)
	}
	if opts.Owned != "" {
		if out.Removed, err = removeStale(root, opts.Owned, names); err != nil {
			return out, err
		}
	}
	slices.Sort(out.Files)
	return out, nil
}

// generated reports whether the file name exists in root and whether it
// starts with GeneratedHeader. Anything but a regular file is an error.
func generated(root *os.Root, name string) (gen, exists bool, err error) {
	info, err := root.Lstat(name)
	if errors.Is(err, fs.ErrNotExist) {
		return false, false, nil
	}
	if err != nil {
		return false, false, err
	}
	if !info.Mode().IsRegular() {
		return false, true, fmt.Errorf("%s is in the way: it is not a regular file (%s); remove it or choose another output folder", name, info.Mode().Type())
	}
	f, err := root.Open(name)
	if err != nil {
		return false, true, err
	}
	defer f.Close()
	head := make([]byte, len(GeneratedHeader)+1)
	n, err := io.ReadFull(f, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return false, true, err
	}
	head = head[:n]
	return bytes.Equal(head, []byte(GeneratedHeader+"\n")), true, nil
}

// writeFile writes data to name through a synced temporary file renamed
// into place.
func writeFile(root *os.Root, name string, data []byte) error {
	if err := root.MkdirAll(path.Dir(name), 0o755); err != nil {
		return err
	}
	tmp := path.Join(path.Dir(name), ".dsl-render-"+path.Base(name)+".tmp")
	f, err := root.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		_ = root.Remove(tmp)
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		_ = root.Remove(tmp)
		return err
	}
	if err := f.Close(); err != nil {
		_ = root.Remove(tmp)
		return err
	}
	if err := root.Rename(tmp, name); err != nil {
		_ = root.Remove(tmp)
		return err
	}
	return nil
}

// removeStale removes the files of folder dir that a render wrote and that
// are not in keep, and returns their names, sorted.
func removeStale(root *os.Root, dir string, keep map[string]bool) ([]string, error) {
	f, err := root.Open(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	entries, err := f.ReadDir(-1)
	f.Close()
	if err != nil {
		return nil, err
	}
	var removed []string
	for _, e := range entries {
		name := path.Join(dir, e.Name())
		if keep[name] || !e.Type().IsRegular() || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		gen, _, err := generated(root, name)
		if err != nil {
			return removed, err
		}
		if !gen {
			continue
		}
		if err := root.Remove(name); err != nil {
			return removed, err
		}
		removed = append(removed, name)
	}
	slices.Sort(removed)
	return removed, nil
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
