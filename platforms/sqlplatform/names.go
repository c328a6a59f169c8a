package sqlplatform

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/datasurface/datasurface-go/ecosystem"
	"github.com/datasurface/datasurface-go/graph"
	"github.com/datasurface/datasurface-go/platforms/sqlplatform/dialect"
)

// Physical names (docs/SQL_PLATFORM.md, "Naming"). Every table and view the
// platform creates in the merge store is named from the model by one rule,
// so the same model always gives the same names:
//
//	merge table     <store>__<dataset>
//	staging table   <store>__<dataset>__staging
//	live view       <workspace>__<group>__<dataset>
//	history view    <workspace>__<group>__<dataset>__history
//
// The model's names are lower-cased (consumers of PostgreSQL can then write
// them unquoted) and joined with "__". A name longer than the dialect's
// MaxIdentLen bytes is cut at a character boundary and ends in "_" and a
// hash suffix of the full lower-cased name; the "__staging" and "__history"
// suffixes are kept whole, so a table's merge and staging names, and a
// view's live and history names, share their readable part and their hash.
// Characters other than letters, digits and '_' (which lint already refuses
// in model names) become '_', and then the hash suffix is added too, so two
// names that differ only there stay apart.

// The parts of the naming rule.
const (
	nameSep       = "__"
	stagingSuffix = "__staging"
	historySuffix = "__history"
	// hashDigits is the length of the hash suffix: 32 bits of SHA-256, in
	// hex. CheckNames catches the rare collision that remains.
	hashDigits = 8
)

// MergeTableName returns the name of the merge table that holds a store's
// dataset: <store>__<dataset>, cut to d.MaxIdentLen().
func MergeTableName(d dialect.Dialect, store, dataset string) string {
	return physicalName(d.MaxIdentLen(), "", store, dataset)
}

// StagingTableName returns the name of the staging table a batch of a
// store's dataset loads into: <store>__<dataset>__staging, cut to
// d.MaxIdentLen() with the suffix kept.
func StagingTableName(d dialect.Dialect, store, dataset string) string {
	return physicalName(d.MaxIdentLen(), stagingSuffix, store, dataset)
}

// LiveViewName returns the name of the view showing a group's dataset as it
// is now: <workspace>__<group>__<dataset>, cut to d.MaxIdentLen().
func LiveViewName(d dialect.Dialect, workspace, group, dataset string) string {
	return physicalName(d.MaxIdentLen(), "", workspace, group, dataset)
}

// HistoryViewName returns the name of the view showing every version of a
// group's dataset on a forensic platform:
// <workspace>__<group>__<dataset>__history, cut to d.MaxIdentLen() with the
// suffix kept.
func HistoryViewName(d dialect.Dialect, workspace, group, dataset string) string {
	return physicalName(d.MaxIdentLen(), historySuffix, workspace, group, dataset)
}

// physicalName applies the naming rule: the lower-cased parts joined with
// "__", then suffix, at most maxLen bytes (no limit when maxLen <= 0).
func physicalName(maxLen int, suffix string, parts ...string) string {
	full := strings.ToLower(strings.Join(parts, nameSep))
	base, changed := sanitizeName(full)
	if !changed && (maxLen <= 0 || len(base)+len(suffix) <= maxLen) {
		return base + suffix
	}
	sum := sha256.Sum256([]byte(full))
	hash := hex.EncodeToString(sum[:])[:hashDigits]
	room := len(base)
	if maxLen > 0 {
		room = maxLen - len(suffix) - 1 - len(hash)
	}
	prefix := strings.TrimRight(cutAtRune(base, room), "_")
	name := hash + suffix
	if prefix != "" {
		name = prefix + "_" + name
	}
	if maxLen > 0 && len(name) > maxLen {
		// Only for a limit too small to hold the suffix and the hash, which
		// no supported database has: the tail is ASCII, so a byte cut is safe.
		name = name[:maxLen]
	}
	return name
}

// sanitizeName turns every character other than a letter, a digit or '_'
// into '_', and reports whether it changed anything. Invalid UTF-8 bytes
// count as such characters.
func sanitizeName(s string) (string, bool) {
	ok := true
	for _, r := range s {
		if !nameRune(r) {
			ok = false
			break
		}
	}
	if ok {
		return s, false
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if nameRune(r) {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	return b.String(), true
}

func nameRune(r rune) bool {
	return r == '_' || r != utf8.RuneError && (unicode.IsLetter(r) || unicode.IsDigit(r))
}

// cutAtRune returns the longest prefix of s of at most n bytes that ends on
// a character boundary.
func cutAtRune(s string, n int) string {
	if n <= 0 {
		return ""
	}
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// RuleNameCollision is the rule CheckNames reports.
var RuleNameCollision = ecosystem.Rule{
	ID:         "SQL_NAME_COLLISION",
	Severity:   ecosystem.Error,
	Purpose:    "Every table and view a sql platform creates for its pipeline (merge and staging tables, live and history views) gets its own name in the merge store.",
	Categories: []string{ecosystem.CategoryNaming, ecosystem.CategoryPlatform},
	Hint:       "rename one of the two objects so that their physical names differ: names are lower-cased and joined with \"__\", so avoid \"__\" inside store, dataset, workspace and group names",
}

// Rules returns the rules of this package's checks, sorted by ID.
func Rules() []ecosystem.Rule { return []ecosystem.Rule{RuleNameCollision} }

// physicalObject is one table or view a pipeline needs.
type physicalObject struct {
	name string
	kind string // "merge table", "staging table", "live view", "history view"
	what string // the model object: "dataset Store.dataset" or "dataset Store.dataset in group Workspace.group"
	path string
	pos  ecosystem.Pos
	// owner identifies the model object behind the table or view: a dataset
	// of a store, or a dataset in a group. One object has two names (merge
	// and staging, live and history), and a collision of two objects is
	// reported once.
	owner string
	// group and dataset identify a view's workspace group and dataset name,
	// to tell the collision of two same-named datasets in one group apart.
	group, dataset string
}

// CheckNames reports every pair of tables or views of pipeline p that would
// get the same physical name in a merge store of dialect d: one diagnostic
// (SQL_NAME_COLLISION) per pair of colliding model objects, at the later
// object, with the first as related position. Objects are ordered by model
// position, so the earlier declaration keeps the name. History view names
// are checked on live platforms too: they are reserved, so switching a
// platform to forensic milestoning never introduces a collision. Names are
// compared after lower-casing, as the rule produces them, so names that
// differ only in letter case collide on every database.
func CheckNames(p *graph.Pipeline, d dialect.Dialect) ecosystem.Diagnostics {
	objs := pipelineObjects(p, d)
	first := map[string]physicalObject{}
	reported := map[[2]string]bool{}
	var out ecosystem.Diagnostics
	for _, o := range objs {
		key := strings.ToLower(o.name)
		f, seen := first[key]
		if !seen {
			first[key] = o
			continue
		}
		if pair := [2]string{f.owner, o.owner}; !reported[pair] {
			reported[pair] = true
		} else {
			continue
		}
		dg := RuleNameCollision.New(o.path, o.pos,
			"the %s of %s and the %s of %s would both be named %q in the %s merge store (names are cut at %d bytes)",
			o.kind, o.what, f.kind, f.what, o.name, d.Name(), d.MaxIdentLen())
		dg.Related = []ecosystem.Related{{Pos: f.pos, Message: fmt.Sprintf("the %s of %s (%s) is also named %q", f.kind, f.what, f.path, o.name)}}
		if o.group != "" && o.group == f.group && strings.EqualFold(o.dataset, f.dataset) {
			dg.Hint = "a dataset group on a sql platform cannot hold two datasets of the same name from different stores: move one sink into another dataset group, or rename one dataset"
		}
		out = append(out, dg)
	}
	out.Sort()
	return out
}

// objectKinds orders the kinds of one model object's names: the main name
// (merge table, live view) before the derived one, so a collision of two
// objects is reported on the main names when both collide.
var objectKinds = []string{"merge table", "staging table", "live view", "history view"}

func kindRank(kind string) int { return slices.Index(objectKinds, kind) }

// pipelineObjects lists the tables and views of p's nodes, each once, in
// model order (position, then path, kind and name).
func pipelineObjects(p *graph.Pipeline, d dialect.Dialect) []physicalObject {
	var objs []physicalObject
	seen := map[[2]string]bool{}
	add := func(o physicalObject, id string) {
		o.owner = id
		k := [2]string{o.kind, id}
		if !seen[k] {
			seen[k] = true
			objs = append(objs, o)
		}
	}
	for _, n := range p.Nodes {
		switch n.Kind {
		case graph.KindIngest:
			for i, name := range n.Datasets {
				what := "dataset " + n.Store + "." + name
				path, pos := n.Path, n.Pos
				if i < len(n.Model.Datasets) && n.Model.Datasets[i] != nil {
					ds := n.Model.Datasets[i]
					pos = ds.Pos
					if r := n.Model.Store; r.Zone != nil && r.Team != nil {
						path = ecosystem.DatasetPath(r.Zone.Name, r.Team.Name, n.Store, ds.Name)
					}
				}
				id := "table\x00" + n.Store + "\x00" + name
				add(physicalObject{name: MergeTableName(d, n.Store, name), kind: "merge table", what: what, path: path, pos: pos}, id)
				add(physicalObject{name: StagingTableName(d, n.Store, name), kind: "staging table", what: what, path: path, pos: pos}, id)
			}
		case graph.KindExport:
			what := fmt.Sprintf("dataset %s.%s in group %s.%s", n.Store, n.Dataset, n.Workspace, n.Group)
			id := "view\x00" + n.Workspace + "\x00" + n.Group + "\x00" + n.Store + "\x00" + n.Dataset
			group := n.Workspace + "." + n.Group
			add(physicalObject{name: LiveViewName(d, n.Workspace, n.Group, n.Dataset), kind: "live view", what: what,
				path: n.Path, pos: n.Pos, group: group, dataset: n.Dataset}, id)
			add(physicalObject{name: HistoryViewName(d, n.Workspace, n.Group, n.Dataset), kind: "history view", what: what,
				path: n.Path, pos: n.Pos, group: group, dataset: n.Dataset}, id)
		}
	}
	slices.SortStableFunc(objs, func(a, b physicalObject) int {
		return cmp.Or(a.pos.Compare(b.pos), cmp.Compare(a.path, b.path), cmp.Compare(kindRank(a.kind), kindRank(b.kind)), cmp.Compare(a.name, b.name))
	})
	return objs
}
