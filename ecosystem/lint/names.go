package lint

import (
	"fmt"
	"strings"

	"github.com/datasurface/datasurface-go/ecosystem"
)

// maxIdentifierLen is the longest name allowed: SQL:2016 lets
// implementations cap identifiers at 128 characters, and most do.
const maxIdentifierLen = 128

// identProblem says why a name is not an SQL identifier; identOK when it is.
type identProblem int8

const (
	identOK identProblem = iota
	identEmpty
	identTooLong
	identBadStart
	identBadChar
	identReserved
)

// checkIdentifier reports whether name is an unquoted SQL identifier in the
// portable subset: an ASCII letter, then ASCII letters, digits or '_', at
// most 128 bytes, not a reserved word. bad is the byte offset of the first
// offending character. It is hand-written (no regexp) because it runs on
// every name of the model, over a hundred thousand in a large one.
func checkIdentifier(name string) (p identProblem, bad int) {
	switch {
	case name == "":
		return identEmpty, 0
	case len(name) > maxIdentifierLen:
		return identTooLong, 0
	case !isLetter(name[0]):
		return identBadStart, 0
	}
	for i := 1; i < len(name); i++ {
		c := name[i]
		if !isLetter(c) && !('0' <= c && c <= '9') && c != '_' {
			return identBadChar, i
		}
	}
	if isReserved(name) {
		return identReserved, 0
	}
	return identOK, 0
}

func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

// describe says what is wrong with name, for the message.
func (p identProblem) describe(name string, bad int) string {
	switch p {
	case identEmpty:
		return "it is empty"
	case identTooLong:
		return fmt.Sprintf("it is %d characters long, more than the %d allowed", len(name), maxIdentifierLen)
	case identBadStart:
		return fmt.Sprintf("it starts with %q, which is not an ASCII letter (A-Z, a-z)", firstRune(name))
	case identBadChar:
		return fmt.Sprintf("it contains %q at offset %d, which is not an ASCII letter, digit or '_'", firstRune(name[bad:]), bad)
	case identReserved:
		return fmt.Sprintf("%s is a reserved word in SQL", strings.ToUpper(name))
	}
	return ""
}

func firstRune(s string) string {
	for _, r := range s {
		return string(r)
	}
	return ""
}

// suggestIdentifier turns name into a valid identifier for the hint:
// offending characters become '_', a leading non-letter gets an 'x' prefix,
// a reserved word gets a '_' suffix, and the result is cut to the limit.
func suggestIdentifier(name string) string {
	var b strings.Builder
	for _, r := range name {
		switch {
		case r < 128 && (isLetter(byte(r)) || '0' <= r && r <= '9' || r == '_'):
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	s := b.String()
	if s == "" || !isLetter(s[0]) {
		s = "x" + s
	}
	if len(s) > maxIdentifierLen {
		s = s[:maxIdentifierLen]
	}
	if isReserved(s) {
		s += "_"
	}
	return s
}

// checkNames implements NAME_INVALID: every named object whose name becomes
// part of SQL or of a model path is an identifier; locations, which follow
// cloud region names (us-east-1), only need to be non-empty and free of the
// key separators '/' and ':'.
func checkNames(p *pass, r *reporter) {
	ident := func(kind, name, path string, src ecosystem.Source) {
		prob, bad := checkIdentifier(name)
		if prob == identOK {
			return
		}
		d := r.diag(path, src.ArgPos("name"), "%s name %q is not a valid SQL identifier: %s", kind, name, prob.describe(name, bad))
		if prob != identEmpty {
			d.Hint = fmt.Sprintf("rename the %s, for example to %q: an ASCII letter first, then ASCII letters, digits or _, at most %d characters, not an SQL reserved word", kind, suggestIdentifier(name), maxIdentifierLen)
		}
		r.add(d)
	}
	// Each name is checked before its model path is built, so that a clean
	// model costs no allocation per object here.
	m := p.m
	if !isIdentifier(m.Name) {
		ident("ecosystem", m.Name, "", m.Source)
	}
	for _, v := range m.Vendors {
		if !isIdentifier(v.Name) {
			ident("vendor", v.Name, ecosystem.VendorPath(v.Name), v.Source)
		}
		walkLocations(v, func(key, path string, l *ecosystem.Location) {
			if l.Name == "" || strings.ContainsAny(l.Name, "/:") {
				d := r.diag(path, l.ArgPos("name"), "location name %q under vendor %q is invalid: a location name must be non-empty and must not contain '/' or ':', which separate location keys (Vendor:A/B)", l.Name, v.Name)
				d.Hint = "name the location without '/' or ':', for example us-east-1; nest locations with locations = [...] instead of writing a path"
				r.add(d)
			}
		})
	}
	for _, pl := range m.Platforms {
		if !isIdentifier(pl.Name) {
			ident("platform", pl.Name, ecosystem.PlatformPath(pl.Name), pl.Source)
		}
	}
	for _, z := range m.Zones {
		if !isIdentifier(z.Name) {
			ident("zone", z.Name, ecosystem.ZonePath(z.Name), z.Source)
		}
		for _, t := range z.Teams {
			if !isIdentifier(t.Name) {
				ident("team", t.Name, ecosystem.TeamPath(z.Name, t.Name), t.Source)
			}
			for _, s := range t.Datastores {
				if !isIdentifier(s.Name) {
					ident("datastore", s.Name, ecosystem.StorePath(z.Name, t.Name, s.Name), s.Source)
				}
				for _, ds := range s.Datasets {
					if !isIdentifier(ds.Name) {
						ident("dataset", ds.Name, ecosystem.DatasetPath(z.Name, t.Name, s.Name, ds.Name), ds.Source)
					}
					for _, c := range ds.Columns {
						if !isIdentifier(c.Name) {
							ident("column", c.Name, ecosystem.ColumnPath(z.Name, t.Name, s.Name, ds.Name, c.Name), c.Source)
						}
					}
				}
			}
			for _, w := range t.Workspaces {
				if !isIdentifier(w.Name) {
					ident("workspace", w.Name, ecosystem.WorkspacePath(z.Name, t.Name, w.Name), w.Source)
				}
				for _, g := range w.Groups {
					if !isIdentifier(g.Name) {
						ident("dataset group", g.Name, ecosystem.GroupPath(z.Name, t.Name, w.Name, g.Name), g.Source)
					}
				}
			}
		}
	}
}

// isIdentifier reports whether name passes checkIdentifier.
func isIdentifier(name string) bool {
	p, _ := checkIdentifier(name)
	return p == identOK
}

// walkLocations calls fn for every location of a vendor, depth first in
// model order, with its key (Vendor:A/B) and model path (vendors/Vendor/A/B).
func walkLocations(v *ecosystem.Vendor, fn func(key, path string, l *ecosystem.Location)) {
	var walk func(keyPrefix, pathPrefix string, locs []*ecosystem.Location)
	walk = func(keyPrefix, pathPrefix string, locs []*ecosystem.Location) {
		for _, l := range locs {
			key, path := keyPrefix+l.Name, pathPrefix+"/"+l.Name
			fn(key, path, l)
			walk(key+"/", path, l.Locations)
		}
	}
	walk(v.Name+":", ecosystem.VendorPath(v.Name), v.Locations)
}
