package ecosystem

import "strings"

// StoreRef is a datastore with the zone and team that hold it.
type StoreRef struct {
	Zone  *Zone
	Team  *Team
	Store *Datastore
}

// Path returns the store's model path.
func (r StoreRef) Path() string { return StorePath(r.Zone.Name, r.Team.Name, r.Store.Name) }

// DatasetRef is a dataset with the store, team and zone that hold it.
type DatasetRef struct {
	StoreRef
	Dataset *Dataset
}

// Path returns the dataset's model path.
func (r DatasetRef) Path() string {
	return DatasetPath(r.Zone.Name, r.Team.Name, r.Store.Name, r.Dataset.Name)
}

// WorkspaceRef is a workspace with the zone and team that hold it.
type WorkspaceRef struct {
	Zone      *Zone
	Team      *Team
	Workspace *Workspace
}

// Path returns the workspace's model path.
func (r WorkspaceRef) Path() string { return WorkspacePath(r.Zone.Name, r.Team.Name, r.Workspace.Name) }

// SinkRef is a sink with the group and workspace that hold it.
type SinkRef struct {
	WorkspaceRef
	Group *DatasetGroup
	Sink  *Sink
}

// index holds the lookup tables, built once. Where names repeat (which lint
// reports) the first object in model order wins, so lookups stay deterministic.
type index struct {
	zones        map[string]*Zone
	teams        map[[2]string]*Team
	stores       map[string]StoreRef
	storeList    []StoreRef
	workspaces   map[string]WorkspaceRef
	wsList       []WorkspaceRef
	vendors      map[string]*Vendor
	locations    map[string]*Location
	platforms    map[string]*Platform
	transformers map[string]WorkspaceRef // output store -> transformer workspace
	consumers    map[[2]string][]SinkRef // store, dataset -> sinks naming it
}

// New indexes the model for lookups and returns it. Call it once the model is
// complete (the Starlark evaluator does); lookups on an Ecosystem that was not
// passed to New index it on first use. The model must not change afterwards,
// and its slices must not hold nil elements (the evaluator never makes them;
// a model built in Go must not either).
func New(e *Ecosystem) *Ecosystem {
	e.index()
	return e
}

func (e *Ecosystem) index() *index {
	e.once.Do(func() { e.idx = buildIndex(e) })
	return e.idx
}

func buildIndex(e *Ecosystem) *index {
	x := &index{
		zones:        map[string]*Zone{},
		teams:        map[[2]string]*Team{},
		stores:       map[string]StoreRef{},
		workspaces:   map[string]WorkspaceRef{},
		vendors:      map[string]*Vendor{},
		locations:    map[string]*Location{},
		platforms:    map[string]*Platform{},
		transformers: map[string]WorkspaceRef{},
		consumers:    map[[2]string][]SinkRef{},
	}
	for _, v := range e.Vendors {
		if _, dup := x.vendors[v.Name]; !dup {
			x.vendors[v.Name] = v
		}
		var walk func(prefix string, locs []*Location)
		walk = func(prefix string, locs []*Location) {
			for _, l := range locs {
				key := prefix + l.Name
				if _, dup := x.locations[key]; !dup {
					x.locations[key] = l
				}
				walk(key+"/", l.Locations)
			}
		}
		walk(v.Name+":", v.Locations)
	}
	for _, p := range e.Platforms {
		if _, dup := x.platforms[p.Name]; !dup {
			x.platforms[p.Name] = p
		}
	}
	for _, z := range e.Zones {
		if _, dup := x.zones[z.Name]; !dup {
			x.zones[z.Name] = z
		}
		for _, t := range z.Teams {
			if _, dup := x.teams[[2]string{z.Name, t.Name}]; !dup {
				x.teams[[2]string{z.Name, t.Name}] = t
			}
			for _, s := range t.Datastores {
				r := StoreRef{Zone: z, Team: t, Store: s}
				x.storeList = append(x.storeList, r)
				if _, dup := x.stores[s.Name]; !dup {
					x.stores[s.Name] = r
				}
			}
			for _, w := range t.Workspaces {
				r := WorkspaceRef{Zone: z, Team: t, Workspace: w}
				x.wsList = append(x.wsList, r)
				if _, dup := x.workspaces[w.Name]; !dup {
					x.workspaces[w.Name] = r
				}
				if w.Transformer != nil && w.Transformer.Output != "" {
					if _, dup := x.transformers[w.Transformer.Output]; !dup {
						x.transformers[w.Transformer.Output] = r
					}
				}
				for _, g := range w.Groups {
					for _, s := range g.Sinks {
						k := [2]string{s.Store, s.Dataset}
						x.consumers[k] = append(x.consumers[k], SinkRef{WorkspaceRef: r, Group: g, Sink: s})
					}
				}
			}
		}
	}
	return x
}

// Zone returns the named zone, or nil.
func (e *Ecosystem) Zone(name string) *Zone { return e.index().zones[name] }

// Team returns the named team of the named zone, or nil.
func (e *Ecosystem) Team(zone, team string) *Team { return e.index().teams[[2]string{zone, team}] }

// Datastore returns the named datastore and where it is held.
func (e *Ecosystem) Datastore(name string) (StoreRef, bool) {
	r, ok := e.index().stores[name]
	return r, ok
}

// Dataset returns the named dataset of the named store and where it is held.
func (e *Ecosystem) Dataset(store, dataset string) (DatasetRef, bool) {
	r, ok := e.index().stores[store]
	if !ok {
		return DatasetRef{}, false
	}
	for _, d := range r.Store.Datasets {
		if d.Name == dataset {
			return DatasetRef{StoreRef: r, Dataset: d}, true
		}
	}
	return DatasetRef{}, false
}

// Datastores returns every datastore in model order (zones, teams, stores as written).
func (e *Ecosystem) Datastores() []StoreRef { return e.index().storeList }

// Workspace returns the named workspace and where it is held.
func (e *Ecosystem) Workspace(name string) (WorkspaceRef, bool) {
	r, ok := e.index().workspaces[name]
	return r, ok
}

// Workspaces returns every workspace in model order.
func (e *Ecosystem) Workspaces() []WorkspaceRef { return e.index().wsList }

// Vendor returns the named vendor, or nil.
func (e *Ecosystem) Vendor(name string) *Vendor { return e.index().vendors[name] }

// Location returns the location with the given key ("Vendor:A/B/C"), or nil.
func (e *Ecosystem) Location(key string) *Location { return e.index().locations[key] }

// Platform returns the named platform declaration, or nil.
func (e *Ecosystem) Platform(name string) *Platform { return e.index().platforms[name] }

// TransformerOf returns the workspace whose transformer writes the named store.
func (e *Ecosystem) TransformerOf(store string) (WorkspaceRef, bool) {
	r, ok := e.index().transformers[store]
	return r, ok
}

// ConsumersOf returns the sinks that name a dataset, in model order.
func (e *Ecosystem) ConsumersOf(store, dataset string) []SinkRef {
	return e.index().consumers[[2]string{store, dataset}]
}

// SplitLocationKey splits "Vendor:A/B/C" into the vendor and the path
// elements. ok is false when the key has no vendor or no path.
func SplitLocationKey(key string) (vendor string, path []string, ok bool) {
	v, rest, found := strings.Cut(key, ":")
	if !found || v == "" || rest == "" {
		return "", nil, false
	}
	return v, strings.Split(rest, "/"), true
}

// LocationCovers reports whether the location key outer covers inner: they
// are equal, or inner lies under outer ("AWS:USA" covers "AWS:USA/us-east-1").
// A bare vendor name ("AWS") covers every location of that vendor.
func LocationCovers(outer, inner string) bool {
	if outer == inner {
		return true
	}
	if !strings.Contains(outer, ":") {
		return strings.HasPrefix(inner, outer+":")
	}
	return strings.HasPrefix(inner, outer) && inner[len(outer)] == '/'
}
