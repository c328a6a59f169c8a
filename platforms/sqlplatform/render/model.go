package render

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// ModelMount is where the rendered containers see the model's folder.
const ModelMount = "/model"

// maxModelBytes bounds the model files a ConfigMap holds. Kubernetes takes
// objects up to 1 MiB; what is left is for the object's other fields.
const maxModelBytes = 1000 * 1000

// defaultEntry is the model's entry file when Options.Entry is empty
// (starlark.DefaultEntry).
const defaultEntry = "eco.star"

// modelFile is one file of the model, as the ConfigMap holds it and the
// volume puts it back.
type modelFile struct {
	// path is the file's slash-separated path in the model's folder.
	path string
	// key is its key in the ConfigMap, which cannot hold '/'.
	key  string
	data []byte
}

// configMapKey is the form of a ConfigMap key.
var configMapKey = regexp.MustCompile(`^[-._a-zA-Z0-9]+$`)

// modelFiles reads the model's .star files from fsys, sorted by path.
// Hidden files and folders (.git, .dsl, where dsl run keeps its SQLite
// store) are skipped: they are not the model. Each file's key is its path
// with "__" for each '/', or, when that is not a valid key or is taken,
// "file-" and a hash of the path. entry ("" for eco.star) must be among
// the files.
func modelFiles(fsys fs.FS, entry string) ([]modelFile, error) {
	if fsys == nil {
		return nil, fmt.Errorf("no model folder to read: pass the model's files")
	}
	var files []modelFile
	total := 0
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p != "." && strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() || !strings.HasSuffix(p, ".star") {
			return nil
		}
		data, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		total += len(data)
		files = append(files, modelFile{path: p, data: data})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("reading the model's files: %w", err)
	}
	if total > maxModelBytes {
		return nil, fmt.Errorf("the model's .star files take %d bytes, more than a ConfigMap holds (%d): have the workers read the model from git instead (model source git)", total, maxModelBytes)
	}
	if entry == "" {
		entry = defaultEntry
	}
	if !slices.ContainsFunc(files, func(f modelFile) bool { return f.path == entry }) {
		return nil, fmt.Errorf("the model's entry file %s is not among its .star files: pass the model's folder", strconv.Quote(entry))
	}
	slices.SortFunc(files, func(a, b modelFile) int { return strings.Compare(a.path, b.path) })
	taken := map[string]bool{}
	for i := range files {
		key := strings.ReplaceAll(files[i].path, "/", "__")
		if !configMapKey.MatchString(key) || len(key) > 253 || taken[key] {
			key = "file-" + shortHash(files[i].path) + ".star"
		}
		taken[key] = true
		files[i].key = key
	}
	return files, nil
}

// modelChecksum is a SHA-256 of the files' paths and contents: a pod
// template annotation that changes with the model, so that a new model
// rolls the workers.
func modelChecksum(files []modelFile) string {
	h := sha256.New()
	for _, f := range files {
		fmt.Fprintf(h, "%s\x00%d\x00", f.path, len(f.data))
		h.Write(f.data)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// isText reports whether a file goes in the ConfigMap's data (UTF-8 text)
// rather than its binaryData.
func isText(data []byte) bool { return utf8.Valid(data) }
