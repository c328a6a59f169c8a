package main

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/datasurface/datasurface-go/ecosystem"
)

// counts totals the objects under one part of the model.
type counts struct{ teams, stores, datasets, columns, workspaces int }

func (c *counts) addTeam(t *ecosystem.Team) {
	c.teams++
	c.stores += len(t.Datastores)
	c.workspaces += len(t.Workspaces)
	for _, s := range t.Datastores {
		c.datasets += len(s.Datasets)
		for _, d := range s.Datasets {
			c.columns += len(d.Columns)
		}
	}
}

// plural formats n and noun, in the plural unless n is 1: nouns ending in y
// take -ies, the others -s.
func plural(n int, noun string) string {
	s := strconv.Itoa(n) + " "
	switch {
	case n == 1:
		return s + noun
	case strings.HasSuffix(noun, "y"):
		return s + noun[:len(noun)-1] + "ies"
	}
	return s + noun + "s"
}

// walk prints the model as an indented outline: the totals, then each zone,
// team, datastore and dataset in model order, with each dataset's consumers
// as Ecosystem.Consumers finds them (transformer chains included), and each
// team's workspaces.
func walk(w io.Writer, m *ecosystem.Ecosystem) {
	var total counts
	for _, z := range m.Zones {
		for _, t := range z.Teams {
			total.addTeam(t)
		}
	}
	fmt.Fprintf(w, "ecosystem %s: %s, %s, %s, %s, %s, %s\n", m.Name,
		plural(len(m.Zones), "zone"), plural(total.teams, "team"), plural(total.stores, "datastore"),
		plural(total.datasets, "dataset"), plural(total.columns, "column"), plural(total.workspaces, "workspace"))
	for _, z := range m.Zones {
		var zc counts
		for _, t := range z.Teams {
			zc.addTeam(t)
		}
		fmt.Fprintf(w, "zone %s: %s, %s\n", z.Name, plural(zc.teams, "team"), plural(len(z.Policies), "policy"))
		for _, t := range z.Teams {
			if t.IsEmpty() {
				fmt.Fprintf(w, "  team %s: declared, not yet filled\n", t.Name)
				continue
			}
			fmt.Fprintf(w, "  team %s: %s, %s\n", t.Name, plural(len(t.Datastores), "datastore"), plural(len(t.Workspaces), "workspace"))
			for _, s := range t.Datastores {
				kind := "no capture"
				if s.Capture != nil {
					kind = string(s.Capture.Kind)
				}
				fmt.Fprintf(w, "    datastore %s (%s): %s\n", s.Name, kind, plural(len(s.Datasets), "dataset"))
				for _, d := range s.Datasets {
					fmt.Fprintf(w, "      dataset %s: %s; consumers: %s\n", d.Name, plural(len(d.Columns), "column"), consumerNames(m, s.Name, d.Name))
				}
			}
			for _, ws := range t.Workspaces {
				sinks := 0
				for _, g := range ws.Groups {
					sinks += len(g.Sinks)
				}
				fmt.Fprintf(w, "    workspace %s (%s priority): %s, %s\n", ws.Name, ws.Priority, plural(len(ws.Groups), "dataset group"), plural(sinks, "sink"))
			}
		}
	}
}

// consumerNames lists the workspaces consuming store.dataset, or "none".
func consumerNames(m *ecosystem.Ecosystem, store, dataset string) string {
	refs := m.Consumers(store, dataset)
	if len(refs) == 0 {
		return "none"
	}
	names := make([]string, len(refs))
	for i, r := range refs {
		names[i] = r.Workspace.Name
	}
	return strings.Join(names, ", ")
}

// printDiagnostics prints the summary of one stage's findings ("lint",
// "platforms") and then each finding as file:line:col: severity[RULE]:
// message, with its hint.
func printDiagnostics(w io.Writer, stage string, diags ecosystem.Diagnostics) {
	fmt.Fprintf(w, "%s: %s, %s\n", stage, plural(diags.Count(ecosystem.Error), "error"), plural(diags.Count(ecosystem.Warning), "warning"))
	for _, d := range diags {
		fmt.Fprintln(w, d.Error())
		if d.Hint != "" {
			fmt.Fprintf(w, "  hint: %s\n", d.Hint)
		}
	}
}
