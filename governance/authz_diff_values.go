package governance

import (
	"maps"
	"reflect"

	"github.com/datasurface/datasurface-go/ecosystem"
)

// This file holds the comparisons of the smaller values of the model:
// vendors, platforms, assignments, policies, captures, containers,
// triggers, deprecations and metadata.

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
