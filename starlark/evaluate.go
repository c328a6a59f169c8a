package starlark

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"

	"github.com/datasurface/datasurface-go/ecosystem"
)

// Evaluate evaluates the model in fsys, starting from the entry file
// (eco.star at the root unless WithEntry says otherwise), and returns the
// typed model, already passed to ecosystem.New.
//
// Problems with the model — syntax, unknown names or arguments, bad values,
// loads that are missing, cyclic or leave the root, the step, time and
// memory limits, an entry that does not call ecosystem() — are returned
// together as an ecosystem.DiagnosticsError, sorted, each with the file:line:col of
// the offending argument and, in Related, the call stack and the chain of
// loads that reached the file. Errors reading fsys (other than a missing
// file) and a cancelled ctx are returned as plain errors.
func Evaluate(ctx context.Context, fsys fs.FS, opts ...Option) (*ecosystem.Ecosystem, error) {
	cfg := newConfig(opts)
	if !fs.ValidPath(cfg.entry) || cfg.entry == "." {
		return nil, fmt.Errorf("starlark: entry %q is not a slash-separated path inside the model root", cfg.entry)
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("starlark: evaluation cancelled: %w", err)
	}
	limited, cancel := context.WithTimeout(ctx, cfg.timeout)
	defer cancel()
	ev := &evaluation{
		ctx:     limited,
		cancel:  cancel,
		cfg:     cfg,
		fsys:    fsys,
		modules: map[string]*module{},
		sites:   map[string]*fileSites{},
		sem:     make(chan struct{}, runtime.GOMAXPROCS(0)),
		arenas:  make(arenas, runtime.GOMAXPROCS(0)),
	}
	root, diags, err := ev.run()
	if err != nil {
		return nil, err
	}
	if ev.overTotal.Load() {
		return nil, ecosystem.DiagnosticsError{ev.totalMemoryDiag()}
	}
	if root != nil {
		return root, nil // finished, even if the limit ran out just after
	}
	if limited.Err() != nil {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("starlark: evaluation cancelled: %w", err)
		}
		return nil, ecosystem.DiagnosticsError{ev.timeoutDiag()}
	}
	if len(diags) == 0 {
		// Every path that ends without a model records why; this guards
		// callers against an empty DiagnosticsError should one not.
		return nil, errors.New("starlark: internal error: evaluation ended without a model or a diagnostic")
	}
	ecosystem.Diagnostics(diags).Sort()
	return nil, ecosystem.DiagnosticsError(diags)
}

// evaluation is the state of one Evaluate call.
type evaluation struct {
	ctx    context.Context
	cancel context.CancelFunc // stops the evaluation (see overTotal)
	cfg    *config
	fsys   fs.FS
	sem    chan struct{} // bounds the files compiled or executed at once

	arenas arenas // memory for the files being compiled

	mu      sync.Mutex
	modules map[string]*module
	sites   map[string]*fileSites // by path, as files are compiled
	wg      sync.WaitGroup        // discovery
	running sync.WaitGroup        // executions

	order []*module

	// memTotal is what the files have charged to the memory budget, in
	// steps of flushBytes per file; overTotal is set once it passes
	// cfg.maxTotal (see threadState.flush).
	memTotal  atomic.Int64
	overTotal atomic.Bool
}

// run discovers, compiles and executes the model. It returns the root, or
// the model's diagnostics, or an I/O error.
func (ev *evaluation) run() (*ecosystem.Ecosystem, []ecosystem.Diagnostic, error) {
	defer ev.running.Wait() // no execution outlives Evaluate
	entry := ev.add(ev.cfg.entry, true)
	ev.wg.Wait()
	if ev.ctx.Err() != nil {
		return nil, nil, nil
	}
	if entry.missing {
		return nil, []ecosystem.Diagnostic{newDiag(RuleLoadNotFound, ecosystem.Pos{File: ev.cfg.entry},
			"the model's entry file "+quote(ev.cfg.entry)+" was not found at the model root")}, nil
	}
	if entry.unreadable != "" {
		return nil, []ecosystem.Diagnostic{newDiag(RuleLoadUnreadable, ecosystem.Pos{File: ev.cfg.entry},
			"the model's entry file "+quote(ev.cfg.entry)+" cannot be read: "+entry.unreadable)}, nil
	}
	order, diags := walk(entry)
	ev.order = order
	for _, m := range order {
		if m.ioErr != nil {
			return nil, nil, fmt.Errorf("starlark: reading %s: %w", m.path, m.ioErr)
		}
	}
	ev.execute()
	for _, m := range order {
		chain := m.loadChain()
		if m.file != nil {
			for _, d := range m.file.diags {
				diags = append(diags, withRelated(d, chain))
			}
		}
		for _, d := range m.loadDiags {
			diags = append(diags, withRelated(d, chain))
		}
		for _, d := range m.diags {
			diags = append(diags, withRelated(d, chain))
		}
	}
	if ev.cfg.print != nil {
		for _, m := range order {
			if m.result != nil {
				for _, p := range m.result.prints {
					ev.cfg.print(p.pos, p.msg)
				}
			}
		}
	}
	if len(diags) > 0 || entry.result == nil {
		return nil, diags, nil
	}
	return entry.result.root, nil, nil
}

// withRelated returns d with extra related positions, without touching the
// Related slice d shares with a cached file.
func withRelated(d ecosystem.Diagnostic, extra []ecosystem.Related) ecosystem.Diagnostic {
	if len(extra) > 0 {
		d.Related = slices.Concat(d.Related, extra)
	}
	return d
}

// add returns the module for a path, starting its preparation the first
// time the path is seen.
func (ev *evaluation) add(path string, entry bool) *module {
	ev.mu.Lock()
	defer ev.mu.Unlock()
	m := ev.modules[path]
	if m == nil {
		m = &module{path: path, entry: entry, done: make(chan struct{})}
		ev.modules[path] = m
		ev.wg.Add(1)
		go ev.prepare(m)
	}
	return m
}

// prepare compiles a module and starts the preparation of the modules it
// loads, so that files are read and compiled in parallel as they are found,
// and starts executing it as soon as the modules it loads have run.
func (ev *evaluation) prepare(m *module) {
	defer ev.wg.Done()
	select {
	case ev.sem <- struct{}{}:
	case <-ev.ctx.Done():
		return
	}
	f, err := ev.compile(m.path)
	<-ev.sem
	if err != nil {
		var unreadable unreadableError
		switch {
		case errors.Is(err, fs.ErrNotExist):
			m.missing = true
		case errors.As(err, &unreadable):
			m.unreadable = string(unreadable)
		default:
			m.ioErr = err
		}
		return
	}
	m.file = f
	m.byModule = make(map[string]*module, len(f.loads))
	for _, ls := range f.loads {
		resolved, ruleID, msg := resolveLoad(m.path, ls.module)
		if ruleID != "" {
			m.loadDiags = append(m.loadDiags, newDiag(ruleID, ls.pos, msg))
			continue
		}
		to := ev.add(resolved, false)
		m.edges = append(m.edges, loadEdge{from: m, module: ls.module, pos: ls.pos, to: to})
		m.byModule[ls.module] = to
		if !containsModule(m.deps, to) {
			m.deps = append(m.deps, to)
		}
	}
	ev.mu.Lock()
	defer ev.mu.Unlock()
	if f.sites != nil {
		ev.sites[m.path] = f.sites
	}
	m.prepared = true
	for _, d := range m.deps {
		d.waiters = append(d.waiters, m)
	}
	ev.startLocked(m)
}

// startLocked starts executing a module ahead of the rest of discovery when
// it compiled and every module it loads has already run successfully (a
// team's file, which loads nothing, as soon as it is compiled). Such a module
// cannot be in a load cycle, nor be broken. The other modules run after
// discovery (see execute). ev.mu is held.
func (ev *evaluation) startLocked(m *module) {
	if m.started || !m.prepared || !m.file.compiled || len(m.loadDiags) > 0 {
		return
	}
	for _, d := range m.deps {
		if !d.succeeded {
			return
		}
	}
	m.started = true
	if ev.cfg.cache != nil {
		m.key = moduleKey(m.path, m.file.hash, m.entry, m.deps)
	}
	ev.running.Add(1)
	go func() {
		defer ev.running.Done()
		ev.runModule(m)
		close(m.done)
		ev.mu.Lock()
		defer ev.mu.Unlock()
		m.succeeded = m.result != nil
		if m.succeeded {
			for _, w := range m.waiters {
				ev.startLocked(w)
			}
		}
	}()
}

// sitesOf returns the call-site table of the named file, or nil.
func (ev *evaluation) sitesOf(name string) *fileSites {
	ev.mu.Lock()
	defer ev.mu.Unlock()
	return ev.sites[name]
}

// compile returns the compiled file at path, from the cache when its
// content was seen before.
func (ev *evaluation) compile(path string) (*compiledFile, error) {
	if err := ev.checkFile(path); err != nil {
		return nil, err
	}
	a := ev.arenas.get()
	defer ev.arenas.put(a)
	cache := ev.cfg.cache
	var src []byte
	var hash string
	var err error
	if cache != nil {
		if h, ok := ev.fsys.(ContentHasher); ok {
			if hash, err = h.ContentHash(path); err != nil {
				return nil, err
			}
		} else {
			if src, err = a.readSource(ev.fsys, path, ev.cfg.maxFileSize); err != nil {
				return nil, err
			}
			hash = hashContent(src)
		}
		if f := cache.file(path, hash); f != nil {
			return f, nil
		}
	}
	if src == nil {
		if _, hashes := ev.fsys.(ContentHasher); hashes {
			// A file system that knows content hashes (a git tree)
			// reads whole files best.
			src, err = fs.ReadFile(ev.fsys, path)
		} else {
			src, err = a.readSource(ev.fsys, path, ev.cfg.maxFileSize)
		}
		if err != nil {
			return nil, err
		}
	}
	if ev.cfg.onCompile != nil {
		ev.cfg.onCompile(path)
	}
	f := compileFile(path, src, a)
	f.hash = hash
	if cache != nil {
		f = cache.putFile(f)
	}
	return f, nil
}

// timeoutDiag reports the time limit, at the place the first interrupted
// module had reached.
func (ev *evaluation) timeoutDiag() ecosystem.Diagnostic {
	pos := ecosystem.Pos{File: ev.cfg.entry}
	var related []ecosystem.Related
	for _, m := range ev.order {
		if m.interrupted && m.stoppedAt.IsValid() {
			pos = m.stoppedAt
			related = m.loadChain()
			break
		}
	}
	d := newDiag(RuleTimeout, pos, "evaluation exceeded the time limit of "+ev.cfg.timeout.String()+
		" (raise it with WithTimeout / dsl --timeout)")
	d.Related = related
	return d
}

// stepLimitMessage is the message of EVAL_STEP_LIMIT.
func stepLimitMessage(n uint64) string {
	return "evaluation exceeded the step limit of " + strconv.FormatUint(n, 10) +
		" (raise it with WithMaxSteps / dsl --max-steps)"
}
