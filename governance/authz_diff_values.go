package governance

import (
	"encoding/json"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/datasurface/datasurface-go/ecosystem"
	"github.com/datasurface/datasurface-go/types"
)

// This file holds the comparisons of the smaller values of the model
// (vendors, platforms, policies, captures, containers, metadata) and the
// helpers that match lists by key and print values for messages.

func (d *differ) vendors(b, h []*ecosystem.Vendor) {
	removed, added, both := matchKeyed(b, h, func(v *ecosystem.Vendor) string { return v.Name })
	for _, v := range removed {
		d.add("vendor", ecosystem.VendorPath(v.Name), v.Pos, "removed")
	}
	for _, v := range added {
		d.add("vendor", ecosystem.VendorPath(v.Name), v.Pos, "added")
	}
	for _, p := range both {
		bv, hv := p.base, p.head
		if bv == hv {
			continue
		}
		path := ecosystem.VendorPath(hv.Name)
		obj := "vendor"
		if bv.Cloud != hv.Cloud {
			d.add(obj, path, hv.ArgPos("cloud"), "cloud changed from %s to %s", quoted(bv.Cloud), quoted(hv.Cloud))
		}
		d.meta(obj, path, hv.Source, bv.Meta, hv.Meta)
		d.locations(obj, path, hv.Name+":", bv.Locations, hv.Locations)
	}
}

// locations compares nested locations by name; key is the location key
// prefix ("AWS:" then "AWS:USA/") used to name each location in messages.
func (d *differ) locations(obj, path, key string, b, h []*ecosystem.Location) {
	removed, added, both := matchKeyed(b, h, func(l *ecosystem.Location) string { return l.Name })
	for _, l := range removed {
		d.add(obj, path, l.Pos, "location %s removed", quoted(key+l.Name))
	}
	for _, l := range added {
		d.add(obj, path, l.Pos, "location %s added", quoted(key+l.Name))
	}
	for _, p := range both {
		if p.base == p.head {
			continue
		}
		lk := key + p.head.Name
		if p.base.Doc != p.head.Doc || !maps.Equal(p.base.Tags, p.head.Tags) {
			d.add(obj, path, p.head.Pos, "location %s: documentation or tags changed", quoted(lk))
		}
		d.locations(obj, path, lk+"/", p.base.Locations, p.head.Locations)
	}
}

func (d *differ) platforms(b, h []*ecosystem.Platform) {
	removed, added, both := matchKeyed(b, h, func(p *ecosystem.Platform) string { return p.Name })
	for _, p := range removed {
		d.add("platform", ecosystem.PlatformPath(p.Name), p.Pos, "removed")
	}
	for _, p := range added {
		d.add("platform", ecosystem.PlatformPath(p.Name), p.Pos, "added")
	}
	for _, p := range both {
		bp, hp := p.base, p.head
		if bp == hp {
			continue
		}
		path := ecosystem.PlatformPath(hp.Name)
		obj := "platform"
		if bp.Kind != hp.Kind {
			d.add(obj, path, hp.ArgPos("kind"), "kind changed from %s to %s", quoted(bp.Kind), quoted(hp.Kind))
		}
		// Options hold JSON-like values only (strings, numbers, booleans,
		// lists, string-keyed maps), for which reflect.DeepEqual is value
		// equality.
		if !reflect.DeepEqual(emptyAsNil(bp.Options), emptyAsNil(hp.Options)) {
			d.add(obj, path, hp.ArgPos("options"), "options changed from %s to %s", jsonText(bp.Options), jsonText(hp.Options))
		}
		d.meta(obj, path, hp.Source, bp.Meta, hp.Meta)
	}
}

func (d *differ) assignments(b, h []*ecosystem.Assignment) {
	key := func(a *ecosystem.Assignment) string { return a.Workspace + "/" + a.Group + " on " + a.Platform }
	path := func(a *ecosystem.Assignment) string {
		return ecosystem.JoinPath("assignments", a.Workspace, a.Group, a.Platform)
	}
	removed, added, both := matchKeyed(b, h, key)
	for _, a := range removed {
		d.add("assignment", path(a), a.Pos, "removed")
	}
	for _, a := range added {
		d.add("assignment", path(a), a.Pos, "added")
	}
	for _, p := range both {
		ba, ha := p.base, p.head
		if ba == ha {
			continue
		}
		obj := "assignment"
		if ba.Status != ha.Status {
			d.add(obj, path(ha), ha.ArgPos("status"), "status changed from %s to %s", quoted(string(ba.Status)), quoted(string(ha.Status)))
		}
		d.meta(obj, path(ha), ha.Source, ba.Meta, ha.Meta)
	}
}

func (d *differ) policies(zonePath string, owner ecosystem.Source, b, h []*ecosystem.Policy) {
	removed, added, both := matchKeyed(b, h, func(p *ecosystem.Policy) string { return p.Name })
	obj := "zone"
	for _, p := range removed {
		d.add(obj, zonePath, p.Pos, "%s policy %s removed", p.Kind, quoted(p.Name))
	}
	for _, p := range added {
		d.add(obj, zonePath, p.Pos, "%s policy %s added", p.Kind, quoted(p.Name))
	}
	for _, p := range both {
		bp, hp := p.base, p.head
		if bp == hp {
			continue
		}
		what := "policy " + quoted(hp.Name)
		if bp.Kind != hp.Kind {
			d.add(obj, zonePath, hp.Pos, "%s: kind changed from %s to %s", what, bp.Kind, hp.Kind)
		}
		if !sameStringSet(bp.Allow, hp.Allow) {
			d.add(obj, zonePath, hp.ArgPos("allow"), "%s: allow changed from %s to %s", what, listText(bp.Allow), listText(hp.Allow))
		}
		if !sameStringSet(bp.Deny, hp.Deny) {
			d.add(obj, zonePath, hp.ArgPos("deny"), "%s: deny changed from %s to %s", what, listText(bp.Deny), listText(hp.Deny))
		}
		if bp.Doc != hp.Doc || !maps.Equal(bp.Tags, hp.Tags) {
			d.add(obj, zonePath, hp.Pos, "%s: documentation or tags changed", what)
		}
	}
}

// meta compares documentation and tags.
func (d *differ) meta(obj, path string, h ecosystem.Source, b, n ecosystem.Meta) {
	if b.Doc != n.Doc {
		d.add(obj, path, h.ArgPos("doc"), "doc changed from %s to %s", quoted(b.Doc), quoted(n.Doc))
	}
	if !maps.Equal(b.Tags, n.Tags) {
		d.add(obj, path, h.ArgPos("tags"), "tags changed from %s to %s", jsonText(b.Tags), jsonText(n.Tags))
	}
}

func (d *differ) capture(obj, path string, pos ecosystem.Pos, b, h *ecosystem.Capture) {
	switch {
	case b == h:
		return
	case b == nil || h == nil:
		d.add(obj, path, pos, "capture changed from %s to %s", captureKindText(b), captureKindText(h))
		return
	}
	if b.Kind != h.Kind {
		d.add(obj, path, pos, "capture changed from %s to %s", b.Kind, h.Kind)
	}
	d.container(obj, path, h.ArgPos("source"), "capture source", b.From, h.From)
	d.trigger(obj, path, h.ArgPos("trigger"), "capture trigger", b.Trigger, h.Trigger)
	if !sameCredential(b.Credential, h.Credential) {
		d.add(obj, path, h.ArgPos("credential"), "capture credential changed from %s to %s", credentialText(b.Credential), credentialText(h.Credential))
	}
	if b.Ingestion != h.Ingestion {
		d.add(obj, path, h.ArgPos("ingestion"), "capture ingestion changed from %s to %s", quoted(string(b.Ingestion)), quoted(string(h.Ingestion)))
	}
	if b.WatermarkColumn != h.WatermarkColumn {
		d.add(obj, path, h.ArgPos("watermark"), "capture watermark changed from %s to %s", quoted(b.WatermarkColumn), quoted(h.WatermarkColumn))
	}
	if b.Topic != h.Topic {
		d.add(obj, path, h.ArgPos("topic"), "capture topic changed from %s to %s", quoted(b.Topic), quoted(h.Topic))
	}
	d.meta(obj, path, h.Source, b.Meta, h.Meta)
}

// container compares a container; what says which one ("capture source",
// "container") in messages.
func (d *differ) container(obj, path string, pos ecosystem.Pos, what string, b, h *ecosystem.Container) {
	switch {
	case b == h:
		return
	case b == nil:
		d.add(obj, path, pos, "%s %s added", what, containerText(h))
		return
	case h == nil:
		d.add(obj, path, pos, "%s %s removed", what, containerText(b))
		return
	}
	if b.Kind != h.Kind || b.Name != h.Name || b.Engine != h.Engine || b.Host != h.Host || b.Port != h.Port || b.Database != h.Database {
		d.add(obj, path, pos, "%s changed from %s to %s", what, containerText(b), containerText(h))
	}
	if !sameStringSet(b.Locations, h.Locations) {
		d.add(obj, path, h.ArgPos("locations"), "%s locations changed from %s to %s", what, listText(b.Locations), listText(h.Locations))
	}
	if b.Doc != h.Doc || !maps.Equal(b.Tags, h.Tags) {
		d.add(obj, path, pos, "%s: documentation or tags changed", what)
	}
}

func (d *differ) trigger(obj, path string, pos ecosystem.Pos, what string, b, h *ecosystem.Trigger) {
	if b == h {
		return
	}
	if b == nil || h == nil || b.Kind != h.Kind || b.Cron != h.Cron || b.Event != h.Event || b.Doc != h.Doc || !maps.Equal(b.Tags, h.Tags) {
		d.add(obj, path, pos, "%s changed from %s to %s", what, triggerText(b), triggerText(h))
	}
}

func (d *differ) deprecation(obj, path string, pos ecosystem.Pos, b, h *ecosystem.Deprecation) {
	bd, hd := b != nil && b.Deprecated, h != nil && h.Deprecated
	br, hr := "", ""
	if b != nil {
		br = b.Reason
	}
	if h != nil {
		hr = h.Reason
	}
	switch {
	case bd != hd && hd:
		d.add(obj, path, pos, "deprecated (reason %s)", quoted(hr))
	case bd != hd:
		d.add(obj, path, pos, "no longer deprecated")
	case br != hr:
		d.add(obj, path, pos, "deprecation reason changed from %s to %s", quoted(br), quoted(hr))
	}
}

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
