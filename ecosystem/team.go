package ecosystem

// Team is a team in a zone. The zone's repository owns its name and
// repository; the team's repository owns everything inside it.
type Team struct {
	Name       string       `json:"name"`
	Repo       Repo         `json:"repo"`
	Datastores []*Datastore `json:"datastores,omitempty"`
	Workspaces []*Workspace `json:"workspaces,omitempty"`
	Waivers    []*Waiver    `json:"waivers,omitempty"`
	Meta
	Source
}

// IsEmpty reports whether the team is only declared: it has no documentation,
// tags, datastores, workspaces or waivers.
func (t *Team) IsEmpty() bool {
	return t.Doc == "" && len(t.Tags) == 0 && len(t.Datastores) == 0 && len(t.Workspaces) == 0 && len(t.Waivers) == 0
}

// Deprecation marks a datastore, dataset or workspace as deprecated.
type Deprecation struct {
	Deprecated bool   `json:"deprecated"`
	Reason     string `json:"reason,omitempty"`
	Source
}

// Datastore is a set of datasets captured together from one source.
type Datastore struct {
	Name       string     `json:"name"`
	Capture    *Capture   `json:"capture,omitempty"`
	Datasets   []*Dataset `json:"datasets,omitempty"`
	Production bool       `json:"production"`
	// Deprecation, when set, deprecates the whole store.
	Deprecation *Deprecation `json:"deprecation,omitempty"`
	// ApprovedWorkspaces, when not nil, means the producer must approve each
	// consumer: only the named workspaces may use the store.
	ApprovedWorkspaces []string `json:"approved_workspaces"`
	Meta
	Source
}

// IsDeprecated reports whether the store is deprecated.
func (s *Datastore) IsDeprecated() bool { return s.Deprecation != nil && s.Deprecation.Deprecated }

// CaptureKind is how a datastore's data is captured.
type CaptureKind string

// The capture kinds.
const (
	SQLSnapshot       CaptureKind = "sql_snapshot"       // the whole table each time
	SQLWatermark      CaptureKind = "sql_watermark"      // rows whose watermark column moved since the last batch
	CDC               CaptureKind = "cdc"                // the database's change data capture log
	StreamingTopic    CaptureKind = "streaming"          // records on a topic
	TransformerOutput CaptureKind = "transformer_output" // written by a transformer of the same team
)

// IngestionMode says whether a store's datasets are ingested as one unit or
// one by one.
type IngestionMode string

// The ingestion modes.
const (
	IngestStore   IngestionMode = "store"   // all datasets in one batch
	IngestDataset IngestionMode = "dataset" // each dataset in its own batch
)

// Capture says how a store's data is captured.
type Capture struct {
	Kind CaptureKind `json:"kind"`
	// From is the container captured from (the `source` argument); nil for
	// transformer output.
	From       *Container    `json:"source,omitempty"`
	Trigger    *Trigger      `json:"trigger,omitempty"`
	Credential *Credential   `json:"credential,omitempty"`
	Ingestion  IngestionMode `json:"ingestion"`
	// WatermarkColumn is the column an SQLWatermark capture compares.
	WatermarkColumn string `json:"watermark_column,omitempty"`
	// Topic is the topic a StreamingTopic capture reads (with the dataset
	// name appended when one topic per dataset is used).
	Topic string `json:"topic,omitempty"`
	Meta
	Source
}

// ContainerKind says whether a container is a named database or storage a
// platform manages.
type ContainerKind string

// The container kinds.
const (
	DatabaseContainer        ContainerKind = "database"
	PlatformManagedContainer ContainerKind = "platform"
	TopicContainer           ContainerKind = "topic_broker"
)

// Container is somewhere data is held: a source database, a consumer's
// database, a streaming broker, or storage managed by the platform.
type Container struct {
	Kind ContainerKind `json:"kind"`
	Name string        `json:"name"`
	// Engine names the product: postgres, mysql, sqlite, snowflake, kafka, ...
	Engine   string `json:"engine,omitempty"`
	Host     string `json:"host,omitempty"`
	Port     int    `json:"port,omitempty"`
	Database string `json:"database,omitempty"`
	// Locations are location keys, "Vendor:Path/To/Location".
	Locations []string `json:"locations,omitempty"`
	Meta
	Source
}

// TriggerKind says what starts a capture or a transformer.
type TriggerKind string

// The trigger kinds.
const (
	CronTrigger     TriggerKind = "cron"
	ExternalTrigger TriggerKind = "external"
)

// Trigger starts a capture or a transformer: on a cron schedule or on a named
// external event.
type Trigger struct {
	Kind  TriggerKind `json:"kind"`
	Cron  string      `json:"cron,omitempty"`
	Event string      `json:"event,omitempty"`
	Meta
	Source
}

// Credential is a reference to a secret held outside the model (a vault path
// or a platform secret name). The model never holds secret values.
type Credential struct {
	Name string `json:"name"`
	// Kind is the credential type: user_password, api_token, certificate, ...
	Kind string `json:"kind"`
	Meta
	Source
}
