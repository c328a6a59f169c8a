package starlark

import (
	"errors"
	"strings"

	sl "go.starlark.net/starlark"
	"go.starlark.net/syntax"

	"github.com/datasurface/datasurface-go/ecosystem"
)

// diagError is a model error raised by a builtin. It carries the finished
// diagnostic through the interpreter, which wraps it in an *sl.EvalError;
// the evaluator unwraps it and adds the call stack.
type diagError struct{ d ecosystem.Diagnostic }

func (e *diagError) Error() string { return e.d.Message }

// newDiag returns a diagnostic of the rule with the given ID at pos, with the
// rule's generic hint. Messages are built only on the error path, so their
// cost never touches a valid model's evaluation.
func newDiag(id string, pos ecosystem.Pos, msg string) ecosystem.Diagnostic {
	r := rule(id)
	return ecosystem.Diagnostic{Rule: r.ID, Severity: r.Severity, Pos: pos, Message: msg, Hint: r.Hint}
}

// withHint replaces the rule's generic hint with a specific one.
func withHint(d ecosystem.Diagnostic, hint string) ecosystem.Diagnostic {
	if hint != "" {
		d.Hint = hint
	}
	return d
}

// toPos converts an interpreter position. Positions in the "<builtin>"
// pseudo-file are not source positions and become the zero Pos.
func toPos(p syntax.Position) ecosystem.Pos {
	name := p.Filename()
	if name == "" || name == builtinFile || !p.IsValid() {
		return ecosystem.Pos{}
	}
	return ecosystem.Pos{File: name, Line: int(p.Line), Col: int(p.Col)}
}

// builtinFile is the file name the interpreter gives frames of Go builtins.
const builtinFile = "<builtin>"

// callPos converts the position of a frame. A frame that is calling a
// function is at the call's opening parenthesis; the call-site table maps
// that to the start of the call, the callee's name, where a reader looks.
func (ev *evaluation) callPos(p syntax.Position) ecosystem.Pos {
	if ev != nil {
		if fs := ev.sitesOf(p.Filename()); fs != nil {
			if site := fs.lookup(p.Line, p.Col); site != nil {
				return ecosystem.Pos{File: fs.name, Line: int(site.line), Col: int(site.col)}
			}
		}
	}
	return toPos(p)
}

// stackRelated lists the Starlark frames of a call stack, innermost first, as
// related positions; frames of Go builtins are left out.
func (ev *evaluation) stackRelated(stack sl.CallStack) []ecosystem.Related {
	var out []ecosystem.Related
	for i := len(stack) - 1; i >= 0; i-- {
		fr := stack[i]
		pos := ev.callPos(fr.Pos)
		if !pos.IsValid() {
			continue
		}
		out = append(out, ecosystem.Related{Pos: pos, Message: "in " + fr.Name})
	}
	return out
}

// innermostPos returns the position of the innermost Starlark frame.
func (ev *evaluation) innermostPos(stack sl.CallStack) ecosystem.Pos {
	for i := len(stack) - 1; i >= 0; i-- {
		if p := ev.callPos(stack[i].Pos); p.IsValid() {
			return p
		}
	}
	return ecosystem.Pos{}
}

// runtimeDiag converts an error returned by executing a module into a
// diagnostic. Builtin errors keep their own rule and position; Starlark
// errors become EVAL_ERROR (or EVAL_UNKNOWN_NAME for a load of a missing
// name) at the innermost Starlark frame. The call stack goes into Related,
// except for the frame the diagnostic already points at.
func (ev *evaluation) runtimeDiag(err error, globalsOf func(module string) []string) ecosystem.Diagnostic {
	var ee *sl.EvalError
	var stack sl.CallStack
	if errors.As(err, &ee) {
		stack = ee.CallStack
	}
	var de *diagError
	if errors.As(err, &de) {
		d := de.d
		d.Related = append(ev.stackRelated(stack), d.Related...)
		return d
	}
	msg := err.Error()
	if ee != nil {
		msg = ee.Msg
	}
	msg = cutMessage(msg)
	pos := ev.innermostPos(stack)
	related := ev.stackRelated(stack)
	if len(related) > 0 && related[0].Pos == pos {
		related = related[1:]
	}
	id := RuleError
	if name, module, ok := parseMissingLoadName(msg); ok {
		id = RuleUnknownName
		msg = "load: " + module + " does not define " + quote(name)
		if s := nearest(name, globalsOf(module)); s != "" {
			msg += ": did you mean " + quote(s) + "?"
		}
	}
	d := newDiag(id, pos, msg)
	d.Related = related
	return d
}

// maxMessageBytes is the most of an error's message a diagnostic keeps: a
// fail() of a huge string, or a missing dict key of a huge value, would
// otherwise flood every report.
const maxMessageBytes = 4096

// cutMessage cuts a message to maxMessageBytes, saying how much was left out.
func cutMessage(msg string) string {
	if len(msg) <= maxMessageBytes {
		return msg
	}
	kept := prefix(msg, maxMessageBytes)
	return kept + "... (" + byteText(int64(len(msg)-len(kept))) + " more)"
}

// parseMissingLoadName recognises the interpreter's error for loading a name
// a module does not define ("load: name X not found in module M ..."), whose
// own suggestion we replace with one in our style.
func parseMissingLoadName(msg string) (name, module string, ok bool) {
	rest, found := strings.CutPrefix(msg, "load: name ")
	if !found {
		return "", "", false
	}
	name, rest, found = strings.Cut(rest, " not found in module ")
	if !found {
		return "", "", false
	}
	module, _, _ = strings.Cut(rest, " (did you mean")
	return name, module, true
}
