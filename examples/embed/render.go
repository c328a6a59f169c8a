package main

// This file realises the pipelines: it renders those of the platforms of one
// kind and lists the artifacts or writes them to a folder.

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/datasurface/datasurface-go/platforms"
)

// renderedPlatform is what one platform rendered, its artifacts sorted by
// name.
type renderedPlatform struct {
	name      string
	artifacts []platforms.Artifact
}

// size is the total size of the artifacts, in bytes.
func (r renderedPlatform) size() int {
	n := 0
	for _, a := range r.artifacts {
		n += len(a.Data)
	}
	return n
}

// renderKind renders the pipeline of every platform of the model whose kind
// is kind, in model order. It stops at the first platform that does not
// render. Bound.Render goes through platforms.Render, which sorts the
// artifacts and rejects unsafe or repeated names.
func renderKind(ctx context.Context, b *platforms.Bound, kind string) ([]renderedPlatform, error) {
	var out []renderedPlatform
	for _, decl := range b.Model.Platforms {
		if decl.Kind != kind {
			continue
		}
		arts, err := b.Render(ctx, decl.Name)
		if err != nil {
			return nil, err
		}
		out = append(out, renderedPlatform{name: decl.Name, artifacts: arts})
	}
	return out, nil
}

// writeArtifacts writes the artifacts of each platform P to dir/P/, creating
// the folders it needs. It checks every name before it writes anything, and
// writes through an os.Root, which refuses any path (symbolic links
// included) that leads outside dir. Each file is written to a temporary name
// in its folder and renamed into place, so a reader never sees a partial
// file. Files already in dir that are not artifacts are left alone.
func writeArtifacts(dir string, rendered []renderedPlatform) error {
	if err := checkNames(rendered); err != nil {
		return err
	}
	if len(rendered) == 0 {
		return nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return err
	}
	defer root.Close()
	for _, r := range rendered {
		for _, a := range r.artifacts {
			name := filepath.Join(r.name, filepath.FromSlash(a.Name))
			if err := root.MkdirAll(filepath.Dir(name), 0o755); err != nil {
				return err
			}
			if err := writeFile(root, name, a.Data); err != nil {
				return err
			}
		}
	}
	return nil
}

// checkNames makes sure every file lands inside the output folder: each
// platform name is one folder name, and each artifact name a path inside
// it. platforms.Render has already rejected unsafe artifact names
// (platforms.ValidArtifactName: clean, relative, slash-separated, no ".."),
// but a program writing files checks again, with the operating system's
// rules too (filepath.IsLocal also rejects names such as "NUL" or "C:x" on
// Windows). It also rejects a name that is both a file and a folder.
func checkNames(rendered []renderedPlatform) error {
	platformSeen := map[string]bool{}
	for _, r := range rendered {
		if !platforms.ValidArtifactName(r.name) || strings.Contains(r.name, "/") || !filepath.IsLocal(r.name) {
			return fmt.Errorf("platform %q: the name cannot be a folder inside the output folder", r.name)
		}
		if platformSeen[r.name] {
			return fmt.Errorf("two platforms are named %q", r.name)
		}
		platformSeen[r.name] = true
		files := map[string]bool{}
		for _, a := range r.artifacts {
			if !platforms.ValidArtifactName(a.Name) || !filepath.IsLocal(filepath.FromSlash(a.Name)) {
				return fmt.Errorf("platform %s: artifact name %q would be written outside the output folder", r.name, a.Name)
			}
			if files[a.Name] {
				return fmt.Errorf("platform %s: two artifacts are named %q", r.name, a.Name)
			}
			files[a.Name] = true
		}
		for _, a := range r.artifacts {
			for d := path.Dir(a.Name); d != "."; d = path.Dir(d) {
				if files[d] {
					return fmt.Errorf("platform %s: %q is an artifact and the folder of artifact %q", r.name, d, a.Name)
				}
			}
		}
	}
	return nil
}

// writeFile writes data to name under root: to a new temporary file in the
// same folder first, then renamed over name.
func writeFile(root *os.Root, name string, data []byte) (err error) {
	tmp := filepath.Join(filepath.Dir(name), fmt.Sprintf(".%s.%016x.tmp", filepath.Base(name), rand.Uint64()))
	f, err := root.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			_ = root.Remove(tmp)
		}
	}()
	if _, err = f.Write(data); err != nil {
		_ = f.Close()
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	return root.Rename(tmp, name)
}

// printRendered lists each platform's artifacts with their sizes, and the
// folder they were written to when outDir is set.
func printRendered(w io.Writer, kind string, rendered []renderedPlatform, outDir string) {
	if len(rendered) == 0 {
		fmt.Fprintf(w, "render: no platform of kind %s\n", kind)
		return
	}
	for _, r := range rendered {
		where := ""
		if outDir != "" && len(r.artifacts) > 0 {
			where = ", written to " + filepath.Join(outDir, r.name)
		}
		fmt.Fprintf(w, "render: platform %s (kind %s): %s, %s%s\n", r.name, kind,
			plural(len(r.artifacts), "artifact"), plural(r.size(), "byte"), where)
		for _, a := range r.artifacts {
			fmt.Fprintf(w, "  %s (%s)\n", a.Name, plural(len(a.Data), "byte"))
		}
	}
}
