package openlineage

import (
	"encoding/json"
	"time"
)

// The spec this package follows, and the URLs events and facets name as
// their schemas. The facet URLs are the versions whose schemas the tests
// validate against.
const (
	// SpecURL is the $id of the OpenLineage 2-0-2 event schema.
	SpecURL = "https://openlineage.io/spec/2-0-2/OpenLineage.json"
	// RunEventSchemaURL, JobEventSchemaURL and DatasetEventSchemaURL are the
	// schemaURL of each event kind: the spec's definition of that kind.
	RunEventSchemaURL     = SpecURL + "#/$defs/RunEvent"
	JobEventSchemaURL     = SpecURL + "#/$defs/JobEvent"
	DatasetEventSchemaURL = SpecURL + "#/$defs/DatasetEvent"

	schemaFacetURL           = "https://openlineage.io/spec/facets/1-2-0/SchemaDatasetFacet.json#/$defs/SchemaDatasetFacet"
	dataSourceFacetURL       = "https://openlineage.io/spec/facets/1-0-1/DatasourceDatasetFacet.json#/$defs/DatasourceDatasetFacet"
	documentationFacetURL    = "https://openlineage.io/spec/facets/1-1-0/DocumentationDatasetFacet.json#/$defs/DocumentationDatasetFacet"
	ownershipFacetURL        = "https://openlineage.io/spec/facets/1-0-1/OwnershipDatasetFacet.json#/$defs/OwnershipDatasetFacet"
	outputStatisticsFacetURL = "https://openlineage.io/spec/facets/1-0-2/OutputStatisticsOutputDatasetFacet.json#/$defs/OutputStatisticsOutputDatasetFacet"
	errorMessageFacetURL     = "https://openlineage.io/spec/facets/1-0-1/ErrorMessageRunFacet.json#/$defs/ErrorMessageRunFacet"
	jobTypeFacetURL          = "https://openlineage.io/spec/facets/2-0-4/JobTypeJobFacet.json#/$defs/JobTypeJobFacet"
	sqlFacetURL              = "https://openlineage.io/spec/facets/1-1-0/SQLJobFacet.json#/$defs/SQLJobFacet"
	jobDocumentationFacetURL = "https://openlineage.io/spec/facets/1-1-0/DocumentationJobFacet.json#/$defs/DocumentationJobFacet"
)

// DefaultProducer is the producer URI events and facets carry when the
// caller names none: the project's repository.
const DefaultProducer = "https://github.com/datasurface/datasurface-go"

// Integration is the integration name the jobType facet of every job carries.
const Integration = "DATASURFACE"

// EventType is the run state transition a RunEvent reports.
type EventType string

// The event types of the spec. A run has one START and one of COMPLETE,
// ABORT or FAIL; RUNNING and OTHER may come in between or after.
const (
	Start    EventType = "START"
	Running  EventType = "RUNNING"
	Complete EventType = "COMPLETE"
	Abort    EventType = "ABORT"
	Fail     EventType = "FAIL"
	Other    EventType = "OTHER"
)

// Event is an OpenLineage event an Emitter sends: a RunEvent or a JobEvent.
type Event interface {
	// Kind names the event's kind ("RunEvent", "JobEvent") for messages.
	Kind() string
	event()
}

// RunEvent reports a transition of one run of a job: it started, completed
// or failed, with the datasets it read and wrote.
type RunEvent struct {
	EventTime time.Time `json:"eventTime"`
	Producer  string    `json:"producer"`
	SchemaURL string    `json:"schemaURL"`
	EventType EventType `json:"eventType"`
	Run       Run       `json:"run"`
	Job       Job       `json:"job"`
	// Inputs and Outputs are always written, empty as [], so that a
	// consumer never has to tell a missing list from an empty one.
	Inputs  []InputDataset  `json:"inputs"`
	Outputs []OutputDataset `json:"outputs"`
}

// JobEvent describes a job with its inputs and outputs outside any run: the
// spec's static metadata event.
type JobEvent struct {
	EventTime time.Time       `json:"eventTime"`
	Producer  string          `json:"producer"`
	SchemaURL string          `json:"schemaURL"`
	Job       Job             `json:"job"`
	Inputs    []InputDataset  `json:"inputs"`
	Outputs   []OutputDataset `json:"outputs"`
}

// Kind returns "RunEvent".
func (RunEvent) Kind() string { return "RunEvent" }

// Kind returns "JobEvent".
func (JobEvent) Kind() string { return "JobEvent" }

func (RunEvent) event() {}
func (JobEvent) event() {}

// MarshalJSON writes the event with its time in UTC, so that the same
// instant always gives the same bytes whatever the caller's time zone.
func (e RunEvent) MarshalJSON() ([]byte, error) {
	type plain RunEvent // drops this method, keeps the field tags
	p := plain(e)
	p.EventTime = p.EventTime.UTC()
	p.Inputs, p.Outputs = nonNil(p.Inputs), nonNil(p.Outputs)
	return json.Marshal(p)
}

// MarshalJSON writes the event with its time in UTC (see RunEvent.MarshalJSON).
func (e JobEvent) MarshalJSON() ([]byte, error) {
	type plain JobEvent
	p := plain(e)
	p.EventTime = p.EventTime.UTC()
	p.Inputs, p.Outputs = nonNil(p.Inputs), nonNil(p.Outputs)
	return json.Marshal(p)
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// Run identifies one run of a job.
type Run struct {
	// RunID is a UUID, the same in every event of the run.
	RunID  string     `json:"runId"`
	Facets *RunFacets `json:"facets,omitempty"`
}

// RunFacets are the run facets DataSurface fills.
type RunFacets struct {
	ErrorMessage *ErrorMessageRunFacet `json:"errorMessage,omitempty"`
}

// Job identifies a job: a pipeline node of one platform.
type Job struct {
	Namespace string     `json:"namespace"`
	Name      string     `json:"name"`
	Facets    *JobFacets `json:"facets,omitempty"`
}

// JobFacets are the job facets DataSurface fills.
type JobFacets struct {
	Documentation *DocumentationJobFacet `json:"documentation,omitempty"`
	JobType       *JobTypeJobFacet       `json:"jobType,omitempty"`
	SQL           *SQLJobFacet           `json:"sql,omitempty"`
}

// Dataset identifies a dataset and carries its facets.
type Dataset struct {
	Namespace string         `json:"namespace"`
	Name      string         `json:"name"`
	Facets    *DatasetFacets `json:"facets,omitempty"`
}

// InputDataset is a dataset a job reads.
type InputDataset struct {
	Dataset
}

// OutputDataset is a dataset a job writes, with what one run wrote to it.
type OutputDataset struct {
	Dataset
	OutputFacets *OutputDatasetFacets `json:"outputFacets,omitempty"`
}

// DatasetFacets are the dataset facets DataSurface fills.
type DatasetFacets struct {
	DataSource    *DataSourceDatasetFacet    `json:"dataSource,omitempty"`
	Documentation *DocumentationDatasetFacet `json:"documentation,omitempty"`
	Ownership     *OwnershipDatasetFacet     `json:"ownership,omitempty"`
	Schema        *SchemaDatasetFacet        `json:"schema,omitempty"`
}

// OutputDatasetFacets are the output dataset facets DataSurface fills.
type OutputDatasetFacets struct {
	OutputStatistics *OutputStatisticsOutputDatasetFacet `json:"outputStatistics,omitempty"`
}

// BaseFacet is what every facet carries: who produced it and the schema
// of its kind.
type BaseFacet struct {
	Producer  string `json:"_producer"`
	SchemaURL string `json:"_schemaURL"`
}

// SchemaDatasetFacet lists a dataset's columns.
type SchemaDatasetFacet struct {
	BaseFacet
	Fields []SchemaField `json:"fields"`
}

// SchemaField is one column, or one field of a struct column.
type SchemaField struct {
	Name string `json:"name"`
	// Type is the column's type in DataSurface's canonical syntax
	// (docs/TYPES.md), such as "decimal(10,2)".
	Type        string `json:"type,omitempty"`
	Description string `json:"description,omitempty"`
	// OrdinalPosition is the column's 1-based position; zero (left out)
	// for the fields of a struct.
	OrdinalPosition int           `json:"ordinal_position,omitempty"`
	Fields          []SchemaField `json:"fields,omitempty"`
}

// DataSourceDatasetFacet names the system a dataset is read from.
type DataSourceDatasetFacet struct {
	BaseFacet
	Name string `json:"name,omitempty"`
	URI  string `json:"uri,omitempty"`
}

// DocumentationDatasetFacet is a dataset's documentation.
type DocumentationDatasetFacet struct {
	BaseFacet
	Description string `json:"description"`
}

// OwnershipDatasetFacet names a dataset's owners.
type OwnershipDatasetFacet struct {
	BaseFacet
	Owners []Owner `json:"owners"`
}

// Owner is one owner: Name is a URN such as "team:Sales".
type Owner struct {
	Name string `json:"name"`
	Type string `json:"type,omitempty"`
}

// OutputStatisticsOutputDatasetFacet says what a run wrote to a dataset.
type OutputStatisticsOutputDatasetFacet struct {
	BaseFacet
	RowCount int64 `json:"rowCount"`
	// Size is in bytes; left out when unknown.
	Size int64 `json:"size,omitempty"`
}

// ErrorMessageRunFacet says why a run failed.
type ErrorMessageRunFacet struct {
	BaseFacet
	Message             string `json:"message"`
	ProgrammingLanguage string `json:"programmingLanguage"`
}

// DocumentationJobFacet is a job's documentation.
type DocumentationJobFacet struct {
	BaseFacet
	Description string `json:"description"`
}

// JobTypeJobFacet says what kind of job a job is.
type JobTypeJobFacet struct {
	BaseFacet
	// ProcessingType is BATCH or STREAMING.
	ProcessingType string `json:"processingType"`
	Integration    string `json:"integration"`
	// JobType is INGEST, EXPORT or TRANSFORM: the pipeline node's kind.
	JobType string `json:"jobType,omitempty"`
}

// SQLJobFacet is the SQL a job runs.
type SQLJobFacet struct {
	BaseFacet
	Query   string `json:"query"`
	Dialect string `json:"dialect,omitempty"`
}
