package starlark

import (
	"strings"

	"github.com/datasurface/datasurface-go/ecosystem"
)

// module is one file of an evaluation: found by following load statements
// from the entry, compiled (or taken from the cache), then executed once
// after the modules it loads.
type module struct {
	path  string
	entry bool

	// Discovery (written by the goroutine that prepares the module).
	file    *compiledFile
	missing bool // the file does not exist
	// unreadable says why the path cannot be a model file (not a regular
	// file, too large, refused by the file system), when it cannot.
	unreadable string
	ioErr      error // the file could not be read
	loadDiags  []ecosystem.Diagnostic
	edges      []loadEdge         // resolved load statements, in source order
	byModule   map[string]*module // module string as written -> module
	deps       []*module          // distinct loaded modules, in first-load order

	// Under evaluation.mu.
	prepared  bool      // discovery is done with it
	waiters   []*module // the modules that load it
	started   bool      // its execution has started (or it was skipped)
	succeeded bool      // it ran and produced a result

	// The walk from the entry (single-threaded).
	via     *loadEdge // the load that first reached this module; nil for the entry
	inCycle bool
	broken  bool   // it, or a module it loads, cannot run
	key     string // Merkle key, with a cache

	// Execution (written by the module's goroutine before done is closed).
	done        chan struct{}
	result      *moduleResult
	failed      bool
	interrupted bool          // stopped by the time limit or cancellation
	stoppedAt   ecosystem.Pos // where it was when interrupted
	diags       []ecosystem.Diagnostic
}

// loadEdge is a load statement resolved to the module it loads.
type loadEdge struct {
	from   *module
	module string
	pos    ecosystem.Pos
	to     *module
}

// loadChain returns how the module was reached from the entry, as related
// positions: the load statement in its loader, then the loader's, and so on.
func (m *module) loadChain() []ecosystem.Related {
	var out []ecosystem.Related
	for e := m.via; e != nil; e = e.from.via {
		out = append(out, ecosystem.Related{Pos: e.pos, Message: "loads " + e.to.path})
	}
	return out
}

// cycleMessage formats a load cycle as a.star -> b.star -> a.star.
func cycleMessage(cycle []*module) string {
	names := make([]string, len(cycle))
	for i, m := range cycle {
		names[i] = m.path
	}
	return "load cycle: " + strings.Join(names, " -> ")
}

// walk visits the load graph depth-first from the entry, following load
// statements in source order. It returns the modules in post-order (each
// after the modules it loads), records for each module the load that first
// reached it, and reports cycles and loads of missing files. The order and
// the reports depend only on the files, never on the parallel discovery.
func walk(entry *module) (order []*module, diags []ecosystem.Diagnostic) {
	const (
		unseen = iota
		onStack
		finished
	)
	state := map[*module]int{}
	var stack []*module
	var visit func(m *module)
	visit = func(m *module) {
		state[m] = onStack
		stack = append(stack, m)
		for i := range m.edges {
			e := &m.edges[i]
			switch state[e.to] {
			case unseen:
				e.to.via = e
				visit(e.to)
			case onStack:
				start := len(stack) - 1
				for stack[start] != e.to {
					start--
				}
				cycle := append(append([]*module(nil), stack[start:]...), e.to)
				for _, c := range cycle {
					c.inCycle = true
				}
				d := newDiag(RuleLoadCycle, e.pos, cycleMessage(cycle))
				d.Related = m.loadChain()
				diags = append(diags, d)
			}
			if e.to.missing {
				d := newDiag(RuleLoadNotFound, e.pos, "load: "+quote(e.module)+" not found (looked for "+e.to.path+" under the model root)")
				d.Related = m.loadChain()
				diags = append(diags, d)
			}
			if e.to.unreadable != "" {
				d := newDiag(RuleLoadUnreadable, e.pos, "load: "+quote(e.module)+" cannot be read: "+e.to.unreadable)
				d.Related = m.loadChain()
				diags = append(diags, d)
			}
		}
		stack = stack[:len(stack)-1]
		state[m] = finished
		order = append(order, m)
	}
	visit(entry)
	for _, m := range order {
		m.broken = m.missing || m.unreadable != "" || m.ioErr != nil || m.file == nil || !m.file.compiled || len(m.loadDiags) > 0 || m.inCycle
		for _, d := range m.deps {
			if d.broken {
				m.broken = true
			}
		}
	}
	return order, diags
}

func containsModule(list []*module, m *module) bool {
	for _, x := range list {
		if x == m {
			return true
		}
	}
	return false
}
