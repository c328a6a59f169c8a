package starlark

import (
	sl "go.starlark.net/starlark"

	"github.com/datasurface/datasurface-go/ecosystem"
)

// call is the state of one builtin call: the bound arguments, where the call
// is in the source, and the first error. One call value per thread is reused
// for every builtin call on it, so a call costs no allocation of its own.
type call struct {
	thread *sl.Thread
	st     *threadState
	spec   *builtinSpec
	file   *fileSites
	site   *callSite
	src    ecosystem.Source
	args   [maxParams]sl.Value
	err    error
	busy   bool
}

func (c *call) begin(thread *sl.Thread, st *threadState, spec *builtinSpec) {
	c.thread, c.st, c.spec = thread, st, spec
	c.file, c.site, c.err, c.busy = nil, nil, nil, true
}

func (c *call) end() {
	clear(c.args[:len(c.spec.params)])
	c.thread, c.busy = nil, false
}

// locate finds the call site of the builtin being called (the caller's
// current position is the call's opening parenthesis) and sets the source
// the built object records. A builtin called from Go, or through another
// builtin, gets the position of the innermost Starlark frame and no argument
// positions.
func (c *call) locate() {
	if c.thread.CallStackDepth() < 2 {
		c.src = ecosystem.Source{}
		return
	}
	at := c.thread.DebugFrame(1).Position()
	if fs := c.st.sitesFor(at.Filename()); fs != nil {
		if site := c.st.lookup(fs, at.Line, at.Col); site != nil {
			c.file, c.site = fs, site
			c.src = c.st.source(fs, site, c.spec)
			return
		}
	}
	c.src = ecosystem.Source{Pos: c.st.ev.innermostPos(c.thread.CallStack())}
}

// argPos returns the position of an argument's value, or the call's.
func (c *call) argPos(p param) ecosystem.Pos { return c.src.ArgPos(c.spec.params[p].Name) }

// keywordPos returns the position of the value of the keyword argument k.
func (c *call) keywordPos(k string) ecosystem.Pos {
	if c.site != nil {
		args, argPos := c.file.argsOf(c.site)
		for i, a := range args {
			if c.file.keyword(a) == k {
				return argPos[i]
			}
		}
	}
	return c.src.Pos
}

// positionalPos returns the position of the n-th positional argument (from 0).
func (c *call) positionalPos(n int) ecosystem.Pos {
	if c.site != nil {
		k := 0
		args, argPos := c.file.argsOf(c.site)
		for i, a := range args {
			if a.kw == argPositional {
				if k == n {
					return argPos[i]
				}
				k++
			}
		}
	}
	return c.src.Pos
}
