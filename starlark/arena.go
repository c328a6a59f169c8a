package starlark

import (
	"fmt"
	"io"
	"io/fs"

	"go.starlark.net/syntax"
)

// astArena holds the memory the fast parser builds a syntax tree in, reused
// from file to file. A tree lives only from parsing to compiling: the
// compiled program copies the names, positions and constant values it keeps
// (go.starlark.net's compiler retains no syntax node;
// TestArenaReuseKeepsPrograms checks it), so once a file is compiled its
// nodes can hold the next file's tree. An evaluation keeps an arena per
// file being compiled at once, which saves most of the garbage parsing makes.
type astArena struct {
	idents slab[syntax.Ident]
	lits   slab[syntax.Literal]
	calls  slab[syntax.CallExpr]
	bins   slab[syntax.BinaryExpr]
	lists  slab[syntax.ListExpr]
	exprs  exprSlab
	stack  []syntax.Expr // arguments and elements being parsed

	// intern holds the names and literals of every file parsed in the
	// arena (see interned): a model repeats them across files too.
	intern map[string]interned
	slots  *[internSlots]internSlot // a cache in front of intern

	sites sitesBuilder

	src []byte // memory for the source of the file being compiled
}

func newASTArena() *astArena {
	return &astArena{intern: make(map[string]interned, 256), slots: new([internSlots]internSlot),
		stack: make([]syntax.Expr, 0, 64)}
}

// reset makes the arena's memory available to the next file, zeroing the
// nodes so that nothing they pointed to stays reachable.
func (a *astArena) reset() {
	a.idents.reset()
	a.lits.reset()
	a.calls.reset()
	a.bins.reset()
	a.lists.reset()
	a.exprs.reset()
	clear(a.stack[:cap(a.stack)])
	a.stack = a.stack[:0]
	a.sites.reset()
}

// slab hands out values of one node type from chunks that are kept and
// zeroed for reuse.
type slab[T any] struct {
	chunks [][]T
	ci     int // the chunk in use
	off    int // the next free value in it
}

func (s *slab[T]) new() *T {
	if s.ci < len(s.chunks) && s.off < len(s.chunks[s.ci]) {
		p := &s.chunks[s.ci][s.off]
		s.off++
		return p
	}
	return s.grow()
}

func (s *slab[T]) grow() *T {
	if s.ci < len(s.chunks) {
		s.ci++
	}
	if s.ci == len(s.chunks) {
		s.chunks = append(s.chunks, make([]T, 256<<min(s.ci, 4)))
	}
	s.off = 1
	return &s.chunks[s.ci][0]
}

func (s *slab[T]) reset() {
	for i := 0; i <= s.ci && i < len(s.chunks); i++ {
		if i < s.ci {
			clear(s.chunks[i])
		} else {
			clear(s.chunks[i][:s.off])
		}
	}
	s.ci, s.off = 0, 0
}

// exprSlab hands out expression lists (call arguments, list elements) cut
// from chunks that are kept and zeroed for reuse.
type exprSlab struct {
	chunks [][]syntax.Expr
	ci     int
	off    int
}

// take returns a list of n expressions, with no spare capacity, so that an
// append to it copies rather than overwrites the next list.
func (s *exprSlab) take(n int) []syntax.Expr {
	for {
		if s.ci < len(s.chunks) {
			if c := s.chunks[s.ci]; len(c)-s.off >= n {
				out := c[s.off : s.off+n : s.off+n]
				s.off += n
				return out
			}
			s.ci++
			s.off = 0
			if s.ci < len(s.chunks) && len(s.chunks[s.ci]) < n {
				s.chunks[s.ci] = make([]syntax.Expr, max(n, len(s.chunks[s.ci])))
			}
			continue
		}
		s.chunks = append(s.chunks, make([]syntax.Expr, max(n, 4096)))
	}
}

func (s *exprSlab) reset() {
	for i := 0; i <= s.ci && i < len(s.chunks); i++ {
		if i < s.ci {
			clear(s.chunks[i])
		} else {
			clear(s.chunks[i][:s.off])
		}
	}
	s.ci, s.off = 0, 0
}

// arenas keeps the arenas of one evaluation.
type arenas chan *astArena

func (as arenas) get() *astArena {
	select {
	case a := <-as:
		return a
	default:
		return newASTArena()
	}
}

func (as arenas) put(a *astArena) {
	a.reset()
	select {
	case as <- a:
	default:
	}
}

// readSource reads a model file into the arena's source buffer: the source is
// garbage once the file is compiled (the tree and the program copy what they
// keep). The file was checked before (see checkFile), but may have changed
// since: what is opened must still be a regular file, and no more than limit
// bytes are read, so that a file swapped for a FIFO or growing while it is
// read cannot hang or exhaust the evaluation. A read that fails otherwise is
// done again by fs.ReadFile, whose error is the one returned, so that errors
// read the same whatever the file system.
func (a *astArena) readSource(fsys fs.FS, name string, limit int64) ([]byte, error) {
	data, err := readInto(fsys, name, a.src[:0], limit)
	if err == nil {
		a.src = data
		return data, nil
	}
	if _, unreadable := err.(unreadableError); unreadable {
		return nil, err
	}
	return fs.ReadFile(fsys, name)
}

// readInto reads a regular file of at most limit bytes into buf, growing it
// as needed.
func readInto(fsys fs.FS, name string, buf []byte, limit int64) ([]byte, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, unreadableError("it is not a regular file (it changed while the model was read)")
	}
	if size := info.Size() + 1; size > int64(cap(buf)) && size <= limit+1 {
		buf = make([]byte, 0, size) // one more byte, to see EOF in one read
	}
	for {
		if int64(len(buf)) > limit {
			return nil, unreadableError(fmt.Sprintf("it is more than the %d-byte limit on one model file (WithMaxFileSize, dsl --max-file-size); it grew while the model was read", limit))
		}
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := f.Read(buf[len(buf):min(cap(buf), int(min(limit+1, int64(len(buf))+1<<20)))])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return nil, err
		}
	}
}
