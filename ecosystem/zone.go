package ecosystem

// Zone is a governance zone. The ecosystem repository owns its name and
// repository; the zone's repository owns its contents: documentation,
// policies, waivers, and each team's name and repository.
type Zone struct {
	Name     string    `json:"name"`
	Repo     Repo      `json:"repo"`
	Policies []*Policy `json:"policies,omitempty"`
	Teams    []*Team   `json:"teams,omitempty"`
	Waivers  []*Waiver `json:"waivers,omitempty"`
	Meta
	Source
}

// IsEmpty reports whether the zone is only declared: it has no documentation,
// tags, policies, teams or waivers.
func (z *Zone) IsEmpty() bool {
	return z.Doc == "" && len(z.Tags) == 0 && len(z.Policies) == 0 && len(z.Teams) == 0 && len(z.Waivers) == 0
}

// PolicyKind is the kind of a zone policy.
type PolicyKind string

// The policy kinds. Each restricts where or by whom the zone's data may be
// held or used; see docs/CHECK.md.
const (
	// VendorPolicy restricts the vendors of every container that holds the
	// zone's data; entries are vendor names.
	VendorPolicy PolicyKind = "vendor"
	// CloudPolicy (hard cloud vendor) restricts the cloud behind those
	// vendors; entries are cloud names such as "aws".
	CloudPolicy PolicyKind = "cloud"
	// LocationPolicy restricts the locations of those containers; entries are
	// location keys ("AWS:USA"), each covering every location under it.
	LocationPolicy PolicyKind = "location"
	// PlatformPolicy restricts the platforms that may carry the zone's data;
	// entries are platform names.
	PlatformPolicy PolicyKind = "platform"
	// ClassificationPolicy restricts the classifications of data the zone's
	// workspaces may consume; entries are classification names.
	ClassificationPolicy PolicyKind = "classification"
	// StoragePolicy restricts where the zone's datasets may be stored;
	// entries are container engines ("postgres", "snowflake") or "platform"
	// for platform-managed storage.
	StoragePolicy PolicyKind = "storage"
)

// Policy is one rule of a zone: values of its kind are allowed only if in
// Allow (when Allow is not empty) and never if in Deny.
type Policy struct {
	Kind  PolicyKind `json:"kind"`
	Name  string     `json:"name"`
	Allow []string   `json:"allow,omitempty"`
	Deny  []string   `json:"deny,omitempty"`
	Meta
	Source
}
