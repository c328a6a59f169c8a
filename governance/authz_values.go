package governance

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/datasurface/datasurface-go/ecosystem"
	"github.com/datasurface/datasurface-go/types"
)

// This file holds the helpers of the authorization comparison: matching
// lists by key, comparing small values, and printing values for messages.

// keyedPair is one object present in both versions, matched by key.
type keyedPair[T any] struct{ base, head T }

// matchKeyed pairs the elements of two lists by key. Repeated keys (a lint
// error) are told apart by their occurrence, so that the n-th "x" of base
// meets the n-th "x" of head. removed keeps base order; added and both keep
// head order.
func matchKeyed[T any](base, head []T, key func(T) string) (removed, added []T, both []keyedPair[T]) {
	if len(base) == 0 && len(head) == 0 {
		return nil, nil, nil
	}
	if sameKeyOrder(base, head, key) {
		// The common case, an unchanged or edited list: pair in place,
		// without building an index.
		both = make([]keyedPair[T], len(head))
		for i := range head {
			both[i] = keyedPair[T]{base[i], head[i]}
		}
		return nil, nil, both
	}
	index := make(map[string]int, len(base))
	seen := make(map[string]int, len(base))
	occurrence := func(k string) string {
		n := seen[k]
		seen[k] = n + 1
		if n == 0 {
			return k
		}
		return k + "\x00" + strconv.Itoa(n)
	}
	for i, b := range base {
		index[occurrence(key(b))] = i
	}
	clear(seen)
	matched := make([]bool, len(base))
	for _, h := range head {
		if i, ok := index[occurrence(key(h))]; ok {
			matched[i] = true
			both = append(both, keyedPair[T]{base[i], h})
		} else {
			added = append(added, h)
		}
	}
	for i, b := range base {
		if !matched[i] {
			removed = append(removed, b)
		}
	}
	return removed, added, both
}

// sameKeyOrder reports whether two lists have the same keys in the same order.
func sameKeyOrder[T any](base, head []T, key func(T) string) bool {
	if len(base) != len(head) {
		return false
	}
	for i := range base {
		if key(base[i]) != key(head[i]) {
			return false
		}
	}
	return true
}

// commonOrder returns the keys present in both lists, each in its list's
// order; they differ exactly when the shared elements were reordered.
func commonOrder[T any](base, head []T, key func(T) string) (b, h []string) {
	inBase := make(map[string]bool, len(base))
	for _, x := range base {
		inBase[key(x)] = true
	}
	inHead := make(map[string]bool, len(head))
	for _, x := range head {
		k := key(x)
		inHead[k] = true
		if inBase[k] {
			h = append(h, k)
		}
	}
	for _, x := range base {
		if k := key(x); inHead[k] {
			b = append(b, k)
		}
	}
	return b, h
}

// sameStringSet reports whether two string lists hold the same elements,
// ignoring order and repeats.
func sameStringSet(a, b []string) bool {
	if slices.Equal(a, b) {
		return true
	}
	as, bs := slices.Clone(a), slices.Clone(b)
	slices.Sort(as)
	slices.Sort(bs)
	return slices.Equal(slices.Compact(as), slices.Compact(bs))
}

func sameColumnType(b, h *ecosystem.Column) bool {
	if b.Type == nil || h.Type == nil {
		return b.Type == nil && h.Type == nil
	}
	return types.Equal(b.Type, h.Type)
}

func columnTypeString(c *ecosystem.Column) string {
	if c.Type == nil {
		return "(none)"
	}
	return c.Type.String()
}

// maxQuoted bounds quoted values (long documentation) in messages.
const maxQuoted = 60

// quoted quotes a value for a message, shortening long ones.
func quoted(s string) string {
	if utf8.RuneCountInString(s) > maxQuoted {
		r := []rune(s)
		s = string(r[:maxQuoted]) + "…"
	}
	return strconv.Quote(s)
}

func formatWhat(format string, args ...any) string {
	if len(args) == 0 {
		return format
	}
	return fmt.Sprintf(format, args...)
}

// listText prints a string list as [a, b]; [] when empty.
func listText(xs []string) string { return "[" + strings.Join(xs, ", ") + "]" }

func approvalsText(xs []string) string {
	if xs == nil {
		return "None (no approval needed)"
	}
	return listText(xs)
}

func repoText(r ecosystem.Repo) string {
	if r.IsZero() {
		return "(none)"
	}
	return r.String()
}

func modeText(m ecosystem.CompatibilityMode) string {
	if m == "" {
		return "(inherited)"
	}
	return string(m)
}

func dateText(t time.Time) string {
	if t.IsZero() {
		return "(none)"
	}
	return t.UTC().Format(time.DateOnly)
}

func emptyAsNil(m map[string]any) map[string]any {
	if len(m) == 0 {
		return nil
	}
	return m
}

// jsonText prints a JSON-like value deterministically (maps sorted by key).
func jsonText(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	if s := string(b); s != "null" {
		return s
	}
	return "{}"
}

func sameCredential(b, h *ecosystem.Credential) bool {
	if b == nil || h == nil {
		return b == h
	}
	return b.Name == h.Name && b.Kind == h.Kind && b.Doc == h.Doc && maps.Equal(b.Tags, h.Tags)
}

func sameCode(b, h ecosystem.CodeRef) bool {
	return b.Kind == h.Kind && b.Repo.Same(h.Repo) && b.Path == h.Path && b.SQL == h.SQL && b.Func == h.Func
}

func captureKindText(c *ecosystem.Capture) string {
	if c == nil {
		return "(none)"
	}
	return string(c.Kind)
}

func credentialText(c *ecosystem.Credential) string {
	if c == nil {
		return "(none)"
	}
	return fmt.Sprintf("%s (%s)", quoted(c.Name), c.Kind)
}

func containerText(c *ecosystem.Container) string {
	if c == nil {
		return "(none)"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s", c.Kind, quoted(c.Name))
	if c.Engine != "" {
		fmt.Fprintf(&b, " engine=%s", c.Engine)
	}
	if c.Host != "" {
		fmt.Fprintf(&b, " host=%s", c.Host)
	}
	if c.Port != 0 {
		fmt.Fprintf(&b, " port=%d", c.Port)
	}
	if c.Database != "" {
		fmt.Fprintf(&b, " database=%s", c.Database)
	}
	return b.String()
}

func triggerText(t *ecosystem.Trigger) string {
	switch {
	case t == nil:
		return "(none)"
	case t.Kind == ecosystem.CronTrigger:
		return "cron(" + quoted(t.Cron) + ")"
	case t.Kind == ecosystem.ExternalTrigger:
		return "external(" + quoted(t.Event) + ")"
	}
	return fmt.Sprintf("%s(%s%s)", t.Kind, t.Cron, t.Event)
}

func codeText(c ecosystem.CodeRef) string {
	switch c.Kind {
	case "git":
		return fmt.Sprintf("git_code(%s, %s)", c.Repo, quoted(c.Path))
	case "sql":
		return "sql_code(" + quoted(c.SQL) + ")"
	case "go":
		return "go_code(" + quoted(c.Func) + ")"
	}
	return fmt.Sprintf("%s code %s%s%s%s", quoted(c.Kind), c.Repo, c.Path, c.SQL, c.Func)
}

func requirementsText(r *ecosystem.Requirements) string {
	if r == nil {
		return "(none)"
	}
	locs := slices.Clone(r.Locations)
	slices.Sort(locs)
	return fmt.Sprintf("milestoning=%s latency=%s locations=%s", r.Milestoning, r.Latency, listText(slices.Compact(locs)))
}
