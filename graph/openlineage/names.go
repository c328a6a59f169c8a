package openlineage

import (
	"net"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/datasurface/datasurface-go/ecosystem"
	"github.com/datasurface/datasurface-go/types"
)

// DatasetNamespace is the namespace of an ecosystem's model datasets, the
// datasets producers publish: "datasurface://" and the ecosystem's name.
// Names are escaped as URI path segments, so any name gives a valid URI.
func DatasetNamespace(ecosystem string) string {
	return "datasurface://" + url.PathEscape(ecosystem)
}

// PlatformNamespace is the namespace of a platform's jobs and of the
// datasets it holds (its copies of model datasets and the views it gives
// workspace groups): the ecosystem's namespace, "/" and the platform's name.
func PlatformNamespace(ecosystem, platform string) string {
	return DatasetNamespace(ecosystem) + "/" + url.PathEscape(platform)
}

// StoreDatasetName names a dataset by its store: "Store.dataset". Store and
// dataset names are SQL identifiers (lint checks it), so the name is
// unambiguous.
func StoreDatasetName(store, dataset string) string { return store + "." + dataset }

// ViewName names what a workspace group receives of a dataset:
// "Workspace.group.Store.dataset".
func ViewName(workspace, group, store, dataset string) string {
	return workspace + "." + group + "." + store + "." + dataset
}

// Facets builds facets with one producer URI. The zero value uses
// DefaultProducer.
type Facets struct {
	// Producer is the URI that identifies the software making the events.
	Producer string
}

func (f Facets) base(schemaURL string) BaseFacet {
	p := f.Producer
	if p == "" {
		p = DefaultProducer
	}
	return BaseFacet{Producer: p, SchemaURL: schemaURL}
}

// ModelDataset returns a model dataset (namespace DatasetNamespace, name
// "Store.dataset") with its schema, documentation (when it has some),
// ownership (the team, as "team:NAME") and data source (the store's capture
// source, when it has one) facets.
func (f Facets) ModelDataset(ecosystemName string, d ecosystem.DatasetRef) Dataset {
	facets := &DatasetFacets{Schema: f.Schema(d.Dataset)}
	if doc := d.Dataset.Doc; doc != "" {
		facets.Documentation = &DocumentationDatasetFacet{BaseFacet: f.base(documentationFacetURL), Description: doc}
	}
	if d.Team != nil {
		facets.Ownership = &OwnershipDatasetFacet{BaseFacet: f.base(ownershipFacetURL), Owners: []Owner{{Name: "team:" + d.Team.Name, Type: "MAINTAINER"}}}
	}
	if d.Store != nil && d.Store.Capture != nil && d.Store.Capture.From != nil {
		c := d.Store.Capture.From
		facets.DataSource = &DataSourceDatasetFacet{BaseFacet: f.base(dataSourceFacetURL), Name: c.Name, URI: ContainerURI(c)}
	}
	return Dataset{Namespace: DatasetNamespace(ecosystemName), Name: StoreDatasetName(d.Store.Name, d.Dataset.Name), Facets: facets}
}

// PlatformDataset returns a platform's copy of a model dataset: namespace
// PlatformNamespace, name "Store.dataset", with the schema facet.
func (f Facets) PlatformDataset(ecosystemName, platform, store string, d *ecosystem.Dataset) Dataset {
	return Dataset{Namespace: PlatformNamespace(ecosystemName, platform), Name: StoreDatasetName(store, d.Name), Facets: &DatasetFacets{Schema: f.Schema(d)}}
}

// ViewDataset returns what a workspace group receives of a dataset on a
// platform: namespace PlatformNamespace, name ViewName, with the schema facet.
func (f Facets) ViewDataset(ecosystemName, platform, workspace, group, store string, d *ecosystem.Dataset) Dataset {
	return Dataset{Namespace: PlatformNamespace(ecosystemName, platform), Name: ViewName(workspace, group, store, d.Name), Facets: &DatasetFacets{Schema: f.Schema(d)}}
}

// Schema returns the schema facet of a dataset: one field per column in
// column order, with its canonical type, its documentation and its 1-based
// position; a struct column (or an array of structs) lists its fields.
func (f Facets) Schema(d *ecosystem.Dataset) *SchemaDatasetFacet {
	fields := make([]SchemaField, len(d.Columns))
	for i, c := range d.Columns {
		fields[i] = SchemaField{Name: c.Name, Description: c.Doc, OrdinalPosition: i + 1}
		if c.Type != nil {
			fields[i].Type = c.Type.String()
			fields[i].Fields = structFields(c.Type)
		}
	}
	return &SchemaDatasetFacet{BaseFacet: f.base(schemaFacetURL), Fields: fields}
}

// structFields lists the fields of a struct type, or of the struct an array
// holds; nil for other types.
func structFields(t types.Type) []SchemaField {
	if a, ok := t.(types.ArrayType); ok {
		t = a.Elem()
	}
	s, ok := t.(types.StructType)
	if !ok {
		return nil
	}
	out := make([]SchemaField, 0, s.NumFields())
	for _, fd := range s.Fields() {
		sf := SchemaField{Name: fd.Name}
		if fd.Type != nil {
			sf.Type = fd.Type.String()
			sf.Fields = structFields(fd.Type)
		}
		out = append(out, sf)
	}
	return out
}

// ContainerURI returns a URI for a source container: ENGINE://HOST[:PORT]/DATABASE
// when it has a host, ENGINE:DATABASE (a file, as for SQLite) when it has
// only a database, and "" when it names no engine. It never holds a
// credential: the model has none.
func ContainerURI(c *ecosystem.Container) string {
	if c == nil || c.Engine == "" {
		return ""
	}
	u := url.URL{Scheme: strings.ToLower(c.Engine)}
	if c.Host == "" {
		if c.Database == "" {
			return ""
		}
		u.Opaque = url.PathEscape(c.Database)
		return u.String()
	}
	u.Host = c.Host
	if c.Port != 0 {
		u.Host = net.JoinHostPort(c.Host, strconv.Itoa(c.Port))
	}
	if c.Database != "" {
		u.Path = "/" + c.Database
	}
	return u.String()
}

// sortedDatasets returns ds sorted by name, leaving ds alone.
func sortedDatasets(ds []*ecosystem.Dataset) []*ecosystem.Dataset {
	out := slices.Clone(ds)
	slices.SortFunc(out, func(a, b *ecosystem.Dataset) int { return strings.Compare(a.Name, b.Name) })
	return out
}
