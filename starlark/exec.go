package starlark

import (
	"context"
	"slices"

	sl "go.starlark.net/starlark"

	"github.com/datasurface/datasurface-go/ecosystem"
	"github.com/datasurface/datasurface-go/types"
)

// stateKey is the thread-local key of a thread's *threadState.
const stateKey = "datasurface.state"

// threadState is what builtins need while a module executes: the
// evaluation, the module, caches, and what the module registered.
type threadState struct {
	ev  *evaluation
	mod *module

	call  call
	types map[string]types.Type
	names map[namesKey][]string
	// lastNamesKey and lastNames are the last entry of names used.
	lastNamesKey namesKey
	lastNames    []string
	lastFile     string
	lastSites    *fileSites
	lastSite     int // index of the last call site looked up in lastSites

	prints      []printed
	stepLimited bool
	memUsed     int64      // bytes charged to the memory budget (see charge)
	flushed     int64      // the part of memUsed added to the evaluation's total
	held        []sl.Value // targets of augmented assignments (see guardHoldFn)
	root        *ecosystem.Ecosystem
	rootPos     ecosystem.Pos
}

func newThreadState(ev *evaluation, m *module) *threadState {
	return &threadState{ev: ev, mod: m, types: map[string]types.Type{}, names: map[namesKey][]string{}}
}

// sitesFor returns the call-site table of the named file. Consecutive calls
// are almost always in the same file, so the last table is kept at hand.
func (st *threadState) sitesFor(name string) *fileSites {
	if st.lastSites != nil && name == st.lastFile {
		return st.lastSites
	}
	if st.ev == nil {
		return nil
	}
	fs := st.ev.sitesOf(name)
	st.lastFile, st.lastSites, st.lastSite = name, fs, -1
	return fs
}

// lookup returns the call of fs whose opening parenthesis is at line:col.
// Sibling calls (the columns of a dataset) run one after the other, so the
// site after the last one found is tried first.
func (st *threadState) lookup(fs *fileSites, line, col int32) *callSite {
	if fs == st.lastSites {
		if next := st.lastSite + 1; next > 0 && next < len(fs.keys) && fs.keys[next] == siteKey(line, col) {
			st.lastSite = next
			return &fs.sites[next]
		}
	}
	i, ok := slices.BinarySearch(fs.keys, siteKey(line, col))
	if !ok {
		return nil
	}
	if fs == st.lastSites {
		st.lastSite = i
	}
	return &fs.sites[i]
}

// registerRoot records the ecosystem built by the entry file.
func (st *threadState) registerRoot(c *call, e *ecosystem.Ecosystem) {
	if st.mod != nil && !st.mod.entry {
		c.fail(newDiag(RuleEcosystemNotInEntry, c.src.Pos, "ecosystem() called while executing "+st.mod.path+
			"; only the entry file "+st.ev.cfg.entry+" may call it"))
		return
	}
	if st.root != nil {
		d := newDiag(RuleDuplicateEcosystem, c.src.Pos, "ecosystem() called a second time; the first call made ecosystem "+quote(st.root.Name))
		d.Related = []ecosystem.Related{{Pos: st.rootPos, Message: "first called here"}}
		c.fail(d)
		return
	}
	st.root = ecosystem.New(e)
	st.rootPos = c.src.Pos
}

// execute runs every module that has not started yet (see startLocked),
// each once the modules it loads are done, independent modules in parallel,
// and waits for every module. A module whose dependency failed is skipped:
// the dependency's error explains it.
func (ev *evaluation) execute() {
	var rest []*module
	ev.mu.Lock()
	for _, m := range ev.order {
		if !m.started {
			m.started = true
			rest = append(rest, m)
		}
	}
	ev.mu.Unlock()
	for _, m := range rest {
		if m.broken {
			m.failed = true
			close(m.done)
			continue
		}
		if ev.cfg.cache != nil {
			m.key = moduleKey(m.path, m.file.hash, m.entry, m.deps)
		}
		ev.running.Add(1)
		go func() {
			defer ev.running.Done()
			defer close(m.done)
			ev.runModule(m)
		}()
	}
	ev.running.Wait()
}

func (ev *evaluation) runModule(m *module) {
	for _, d := range m.deps {
		<-d.done
		if d.failed {
			m.failed = true
			return
		}
	}
	cache := ev.cfg.cache
	if cache != nil {
		if r := cache.module(m.key); r != nil && r.steps <= ev.cfg.maxSteps && r.mem <= ev.cfg.maxMemory {
			m.result = r
			_ = ev.addTotal(r.mem) // as if it had run
			return
		}
	}
	select {
	case ev.sem <- struct{}{}:
	case <-ev.ctx.Done():
		m.failed, m.interrupted = true, true
		return
	}
	defer func() { <-ev.sem }()
	if ev.cfg.onExecute != nil {
		ev.cfg.onExecute(m.path)
	}

	st := newThreadState(ev, m)
	thread := &sl.Thread{
		Name: m.path,
		Load: func(_ *sl.Thread, module string) (sl.StringDict, error) {
			// Every loaded module ran before this one (see runModule).
			return m.byModule[module].result.globals, nil
		},
		Print: func(t *sl.Thread, msg string) {
			st.prints = append(st.prints, printed{pos: ev.callPos(t.CallFrame(1).Pos), msg: msg})
		},
		OnMaxSteps: func(t *sl.Thread) {
			st.stepLimited = true
			t.Cancel("step limit")
		},
	}
	thread.SetLocal(stateKey, st)
	thread.SetMaxExecutionSteps(ev.cfg.maxSteps)
	stop := context.AfterFunc(ev.ctx, func() { thread.Cancel("time limit") })
	globals, err := m.file.prog.Init(thread, predeclared())
	stop()
	if st.flush() != nil {
		m.failed = true
		return // Evaluate reports the total
	}

	if err != nil {
		m.failed = true
		var stack sl.CallStack
		if ee, ok := err.(*sl.EvalError); ok {
			stack = ee.CallStack
		}
		switch {
		case st.stepLimited:
			d := newDiag(RuleStepLimit, ev.innermostPos(stack), stepLimitMessage(ev.cfg.maxSteps))
			d.Related = ev.stackRelated(stack)
			if len(d.Related) > 0 && d.Related[0].Pos == d.Pos {
				d.Related = d.Related[1:]
			}
			m.diags = append(m.diags, d)
		case ev.ctx.Err() != nil:
			m.interrupted = true
			m.stoppedAt = ev.innermostPos(stack)
		default:
			m.diags = append(m.diags, ev.runtimeDiag(err, func(module string) []string {
				if t := m.byModule[module]; t != nil && t.result != nil {
					return t.result.globals.Keys()
				}
				return nil
			}))
		}
		return
	}
	if name := deepGlobal(globals); name != "" {
		m.failed = true
		m.diags = append(m.diags, withHint(newDiag(RuleError, m.file.globalPos(name),
			"global "+name+" holds a value nested more than "+formatInt(MaxValueDepth)+" levels deep (MaxValueDepth, a fixed limit)"),
			"model values never nest that deep: build the data flat"))
		return
	}
	globals.Freeze()
	if m.entry && st.root == nil {
		m.failed = true
		m.diags = append(m.diags, newDiag(RuleNoEcosystem, ecosystem.Pos{File: m.path, Line: 1, Col: 1},
			"the entry file "+m.path+" did not call ecosystem()"))
		return
	}
	m.result = &moduleResult{globals: globals, root: st.root, prints: st.prints, steps: thread.ExecutionSteps(), mem: st.memUsed}
	if cache != nil {
		cache.putModule(m.key, m.result)
	} else {
		// The program is not needed again: let it go (with its decoded
		// line table) while the other files run. Nor is the call-site
		// table of a file with no functions, whose code cannot run again
		// (the objects keep their argument positions).
		m.file.prog = nil
		if m.file.noFuncs {
			ev.mu.Lock()
			delete(ev.sites, m.path)
			ev.mu.Unlock()
			m.file.sites = nil
		}
	}
}
