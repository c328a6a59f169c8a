package graph

import (
	"fmt"
	"slices"
	"strings"

	"github.com/datasurface/datasurface-go/ecosystem"
)

// Capabilities is what a platform declares it supports. The broker matches
// dataset groups against it when it chooses a platform by requirements, and
// CheckCapabilities checks a pipeline against it during acceptance.
//
// A list that is empty supports nothing of its kind, so a platform never
// claims a feature by omission; Locations is the exception, where empty means
// the platform can run anywhere.
type Capabilities struct {
	// CaptureKinds are the ways of capturing a datastore the platform can ingest.
	CaptureKinds []ecosystem.CaptureKind `json:"capture_kinds"`
	// ContainerKinds are the kinds of consumer container it can export into.
	ContainerKinds []ecosystem.ContainerKind `json:"container_kinds"`
	// Milestoning lists the kinds of history it can keep (live, forensic).
	Milestoning []ecosystem.Milestoning `json:"milestoning"`
	// Latency is the most demanding latency it delivers: a platform with
	// LatencyMinutes serves groups that need minutes, hours or days. Zero
	// means any latency, seconds included.
	Latency ecosystem.Latency `json:"latency"`
	// Locations are the location keys ("Vendor:Path") the platform runs in;
	// each covers every location under it. Empty means anywhere.
	Locations []string `json:"locations,omitempty"`
}

// The full lists of each feature, for platforms that support everything of a kind.
var (
	AllCaptureKinds = []ecosystem.CaptureKind{
		ecosystem.SQLSnapshot, ecosystem.SQLWatermark, ecosystem.CDC,
		ecosystem.StreamingTopic, ecosystem.TransformerOutput,
	}
	AllContainerKinds = []ecosystem.ContainerKind{
		ecosystem.DatabaseContainer, ecosystem.PlatformManagedContainer, ecosystem.TopicContainer,
	}
	AllMilestoning = []ecosystem.Milestoning{ecosystem.Live, ecosystem.Forensic}
)

// SupportsCapture reports whether the platform ingests stores captured with
// kind k. An empty kind (a store without a capture, which lint reports) needs
// nothing.
func (c Capabilities) SupportsCapture(k ecosystem.CaptureKind) bool {
	return k == "" || slices.Contains(c.CaptureKinds, k)
}

// SupportsContainer reports whether the platform exports into containers of
// kind k. An empty kind needs nothing.
func (c Capabilities) SupportsContainer(k ecosystem.ContainerKind) bool {
	return k == "" || slices.Contains(c.ContainerKinds, k)
}

// SupportsMilestoning reports whether the platform keeps history of kind m.
// An empty milestoning needs nothing.
func (c Capabilities) SupportsMilestoning(m ecosystem.Milestoning) bool {
	return m == "" || slices.Contains(c.Milestoning, m)
}

// SupportsLatency reports whether the platform delivers at least as fast as
// l. A zero l (any latency) is always met.
func (c Capabilities) SupportsLatency(l ecosystem.Latency) bool {
	return l == 0 || c.Latency == 0 || c.Latency <= l
}

// RunsIn reports whether the platform runs in at least one of the required
// locations: one of its locations lies under a required one, or covers it. No
// required locations, or a platform that runs anywhere, always match.
func (c Capabilities) RunsIn(required []string) bool {
	if len(required) == 0 || len(c.Locations) == 0 {
		return true
	}
	for _, r := range required {
		for _, l := range c.Locations {
			if ecosystem.LocationCovers(r, l) || ecosystem.LocationCovers(l, r) {
				return true
			}
		}
	}
	return false
}

// bestLatency is the platform's most demanding latency with "any" made
// concrete, for ranking.
func (c Capabilities) bestLatency() ecosystem.Latency {
	if c.Latency == 0 {
		return ecosystem.LatencySeconds
	}
	return c.Latency
}

// The reasons below are shared by the assignment's explanations and by the
// acceptance diagnostics, so that both say the same thing the same way.

func milestoningReason(c Capabilities, m ecosystem.Milestoning) string {
	return fmt.Sprintf("milestoning %s not supported (supports %s)", m, listOrNone(c.Milestoning))
}

func latencyReason(c Capabilities, l ecosystem.Latency) string {
	return fmt.Sprintf("latency %s not supported (delivers %s at best)", l, c.Latency)
}

func locationReason(c Capabilities, required []string) string {
	return fmt.Sprintf("does not run in %s (runs in %s)", strings.Join(required, " or "), strings.Join(c.Locations, ", "))
}

func captureReason(c Capabilities, store string, k ecosystem.CaptureKind) string {
	return fmt.Sprintf("capture kind %s of datastore %s not supported (supports %s)", k, store, listOrNone(c.CaptureKinds))
}

func containerReason(c Capabilities, workspace string, k ecosystem.ContainerKind) string {
	return fmt.Sprintf("container kind %s of workspace %s not supported (supports %s)", k, workspace, listOrNone(c.ContainerKinds))
}

// listOrNone joins values with ", ", or says "none".
func listOrNone[T ~string](vs []T) string {
	if len(vs) == 0 {
		return "none"
	}
	ss := make([]string, len(vs))
	for i, v := range vs {
		ss[i] = string(v)
	}
	return strings.Join(ss, ", ")
}
