package starlark

import (
	"crypto/sha256"
	"encoding/hex"
	"sync"

	sl "go.starlark.net/starlark"

	"github.com/datasurface/datasurface-go/ecosystem"
)

// ContentHasher is implemented by file systems that know a hash of each
// file's content without reading it (a git tree knows its blob hashes). With
// a Cache, Evaluate then reads and parses only the files whose hash it has
// not seen.
type ContentHasher interface {
	ContentHash(name string) (string, error)
}

// Cache keeps compiled files and executed modules between evaluations, for
// example of the base and head revisions of a pull request. A compiled file
// is kept by path and content hash. An executed module is kept by a key made
// from its path, its content hash and the keys of the modules it loads, so a
// module is reused only when neither it nor anything it loads (transitively)
// changed; its frozen values, and the model objects in them, are then shared
// by both models, which is safe because models are immutable.
//
// A Cache is safe for concurrent use. It grows with the distinct file
// versions it sees and never evicts: use one per batch of related
// evaluations (one pull request check, one editor session) rather than one
// for a process's lifetime.
type Cache struct {
	mu      sync.Mutex
	files   map[fileKey]*compiledFile
	modules map[string]*moduleResult
}

type fileKey struct{ path, hash string }

// NewCache returns an empty cache.
func NewCache() *Cache {
	return &Cache{files: map[fileKey]*compiledFile{}, modules: map[string]*moduleResult{}}
}

// moduleResult is what executing a module produced, kept for reuse.
type moduleResult struct {
	globals sl.StringDict // frozen
	root    *ecosystem.Ecosystem
	prints  []printed
	steps   uint64
	mem     int64 // bytes charged to the memory budget
}

type printed struct {
	pos ecosystem.Pos
	msg string
}

func (c *Cache) file(path, hash string) *compiledFile {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.files[fileKey{path, hash}]
}

// putFile stores a compiled file and returns the one to use: the first
// stored wins when two evaluations compile the same file at once.
func (c *Cache) putFile(f *compiledFile) *compiledFile {
	c.mu.Lock()
	defer c.mu.Unlock()
	k := fileKey{f.path, f.hash}
	if old, ok := c.files[k]; ok {
		return old
	}
	c.files[k] = f
	return f
}

func (c *Cache) module(key string) *moduleResult {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.modules[key]
}

func (c *Cache) putModule(key string, r *moduleResult) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.modules[key]; !ok {
		c.modules[key] = r
	}
}

// hashContent is the content hash of a file read from a file system that
// does not provide one.
func hashContent(src []byte) string {
	sum := sha256.Sum256(src)
	return "sha256:" + hex.EncodeToString(sum[:])
}

// cacheVersion changes whenever the builtins change what they build, so
// that module results of an older build are never reused by a newer one in
// the same process (a host that swaps the package at run time, in tests).
const cacheVersion = "datasurface-starlark/1"

// moduleKey is the Merkle key of a module: its path, whether it is the
// entry (only the entry may call ecosystem()), its content hash, and the
// keys of the modules it loads, in load order.
func moduleKey(path, hash string, entry bool, deps []*module) string {
	h := sha256.New()
	h.Write([]byte(cacheVersion))
	h.Write([]byte{0})
	h.Write([]byte(path))
	h.Write([]byte{0})
	h.Write([]byte(hash))
	if entry {
		h.Write([]byte{0, 'E'})
	}
	for _, d := range deps {
		h.Write([]byte{0})
		h.Write([]byte(d.path))
		h.Write([]byte{0})
		h.Write([]byte(d.key))
	}
	return hex.EncodeToString(h.Sum(nil))
}
