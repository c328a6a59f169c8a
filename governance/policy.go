package governance

import (
	"fmt"

	"github.com/datasurface/datasurface-go/ecosystem"
)

// Policies reports every policyViolation of every zone's policies in the model m
// (the head of a change), sorted in report order.
//
// Vendor, cloud, location and storage policies apply to every container that
// holds the zone's data: the capture source of each of its datastores and
// the container of every workspace, in any zone, that consumes its data
// directly or through transformers (see policyHoldersOf). Platform policies apply
// to the platforms that carry that data to those workspaces. Classification
// policies apply to the zone's own workspaces: every dataset they sink must
// carry only allowed classifications.
//
// A policy allows a value unless a Deny entry covers it or a non-empty Allow
// list does not; Deny always wins. Location entries cover every location
// under them, and a bare vendor name covers all of the vendor's locations.
// Platform-managed containers have no location of their own, so vendor,
// cloud and location policies skip them; storage policies see them as
// "platform". A database container that declares no location cannot be
// shown to comply with an Allow list and is reported (fail closed).
//
// Each finding names the zone, the policy, the object, its value and the
// allowed set; it points at the offending argument (a container's
// locations, a group's platform, a sink) and its Related position is the
// policy's. A sink to an unknown dataset is lint's finding and is skipped
// here; a container at an undeclared vendor has no known cloud, which a
// cloud policy's Allow list refuses.
func Policies(m *ecosystem.Ecosystem) ecosystem.Diagnostics {
	if m == nil {
		return nil
	}
	var out ecosystem.Diagnostics
	var assignments groupAssignments
	labels := datasetLabels{}
	for _, z := range m.Zones {
		if len(z.Policies) == 0 {
			continue
		}
		if assignments == nil {
			assignments = indexGroupAssignments(m)
		}
		h := policyHoldersOf(m, z, assignments)
		for _, p := range z.Policies {
			switch p.Kind {
			case ecosystem.VendorPolicy, ecosystem.CloudPolicy, ecosystem.LocationPolicy:
				for _, c := range h.containers {
					out = append(out, checkPolicyPlacement(m, z, p, c)...)
				}
			case ecosystem.StoragePolicy:
				for _, c := range h.containers {
					out = append(out, checkPolicyStorage(z, p, c)...)
				}
			case ecosystem.PlatformPolicy:
				for _, c := range h.platforms {
					if ok, why := policyVerdict(p, c.platform, exactEntry); !ok {
						out = append(out, policyViolation(z, p, c.path(), c.pos(), c.object(z), fmt.Sprintf("is carried by platform %q", c.platform), why))
					}
				}
			case ecosystem.ClassificationPolicy:
				out = append(out, checkPolicyClassification(m, z, p, labels)...)
			}
			// Any other kind can only come from a model built in Go; it
			// states no rule this check knows how to enforce.
		}
	}
	out.Sort()
	return out
}

// checkPolicyPlacement applies a vendor, cloud or location policy to one container.
func checkPolicyPlacement(m *ecosystem.Ecosystem, z *ecosystem.Zone, p *ecosystem.Policy, h policyHolder) ecosystem.Diagnostics {
	c := h.container
	if c.Kind == ecosystem.PlatformManagedContainer {
		return nil // no location of its own: the platform's policy governs it
	}
	pos := c.ArgPos("locations")
	if len(c.Locations) == 0 {
		if len(p.Allow) == 0 {
			return nil // nothing can be denied of a container with no location
		}
		return ecosystem.Diagnostics{policyViolation(z, p, h.path(), pos, h.object(z), "declares no location", policyAllowedSet(p))}
	}
	var out ecosystem.Diagnostics
	if p.Kind == ecosystem.LocationPolicy {
		for _, loc := range c.Locations {
			if ok, why := policyVerdict(p, loc, locationEntry); !ok {
				out = append(out, policyViolation(z, p, h.path(), pos, h.object(z), fmt.Sprintf("is at %q", loc), why))
			}
		}
		return out
	}
	for _, v := range containerVendors(c) {
		if p.Kind == ecosystem.VendorPolicy {
			if ok, why := policyVerdict(p, v, exactEntry); !ok {
				out = append(out, policyViolation(z, p, h.path(), pos, h.object(z), fmt.Sprintf("is at vendor %q", v), why))
			}
			continue
		}
		cloud := ""
		if vd := m.Vendor(v); vd != nil {
			cloud = vd.Cloud
		}
		if ok, why := policyVerdict(p, cloud, exactEntry); !ok {
			state := fmt.Sprintf("is on cloud %q (vendor %q)", cloud, v)
			if cloud == "" {
				state = fmt.Sprintf("is at vendor %q, which declares no cloud", v)
			}
			out = append(out, policyViolation(z, p, h.path(), pos, h.object(z), state, why))
		}
	}
	return out
}

// containerVendors returns the vendors of a container's location keys, in order,
// without repeats. A key without a vendor part is lint's to report.
func containerVendors(c *ecosystem.Container) []string {
	var out []string
	for _, loc := range c.Locations {
		v, _, ok := ecosystem.SplitLocationKey(loc)
		if !ok {
			continue
		}
		seen := false
		for _, o := range out {
			seen = seen || o == v
		}
		if !seen {
			out = append(out, v)
		}
	}
	return out
}

// checkPolicyStorage applies a storage policy to one container: its engine, or
// "platform" for platform-managed storage.
func checkPolicyStorage(z *ecosystem.Zone, p *ecosystem.Policy, h policyHolder) ecosystem.Diagnostics {
	c := h.container
	engine := c.Engine
	if c.Kind == ecosystem.PlatformManagedContainer {
		engine = "platform"
	}
	if ok, why := policyVerdict(p, engine, exactEntry); !ok {
		state := fmt.Sprintf("is stored in %q", engine)
		if engine == "" {
			state = "declares no storage engine"
		}
		return ecosystem.Diagnostics{policyViolation(z, p, h.path(), c.ArgPos("engine"), h.object(z), state, why)}
	}
	return nil
}

// datasetLabels memoizes Dataset.AllClassifications, which allocates, for
// datasets that many workspaces sink.
type datasetLabels map[*ecosystem.Dataset][]string

func (l datasetLabels) of(d *ecosystem.Dataset) []string {
	labels, ok := l[d]
	if !ok {
		labels = d.AllClassifications()
		l[d] = labels
	}
	return labels
}

// checkPolicyClassification applies a classification policy to the zone's own
// workspaces: each classification of each dataset they sink must be
// allowed. An unclassified dataset cannot be shown to comply with an Allow
// list and is reported (fail closed).
func checkPolicyClassification(m *ecosystem.Ecosystem, z *ecosystem.Zone, p *ecosystem.Policy, memo datasetLabels) ecosystem.Diagnostics {
	var out ecosystem.Diagnostics
	for _, t := range z.Teams {
		for _, w := range t.Workspaces {
			for _, g := range w.Groups {
				refuse := func(s *ecosystem.Sink, state, why string) {
					out = append(out, policyViolation(z, p, ecosystem.GroupPath(z.Name, t.Name, w.Name, g.Name), s.Pos,
						fmt.Sprintf("workspace %q group %q sink %q", w.Name, g.Name, s.String()), state, why))
				}
				for _, s := range g.Sinks {
					d, ok := m.Dataset(s.Store, s.Dataset)
					if !ok {
						continue
					}
					labels := memo.of(d.Dataset)
					if len(labels) == 0 && len(p.Allow) > 0 {
						refuse(s, "consumes a dataset with no classification", policyAllowedSet(p))
					}
					for _, l := range labels {
						if ok, why := policyVerdict(p, l, classificationEntry); !ok {
							refuse(s, fmt.Sprintf("consumes data classified %q", l), why)
						}
					}
				}
			}
		}
	}
	return out
}
