package synthetic

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
)

// The fixed names of the synthetic model (docs/PERFORMANCE.md).
const (
	// RepoName is the one repository that owns every part of the model; the
	// parts differ by branch (see the package documentation).
	RepoName = "github.com/synth/model"
	// EcosystemName is the name of the ecosystem.
	EcosystemName = "SynthEco"
	// VendorName is the one vendor, a private cloud.
	VendorName = "MyCorp"
	// Location is the key of the one location every container is at.
	Location = "MyCorp:USA/NY_1"
	// PlatformName is the one platform, a governance-only (legacy) platform
	// that every dataset group names.
	PlatformName = "Legacy"
	// Cron is the trigger of every capture.
	Cron = "0,15,30,45 * * * *"
	// GroupName is the name of every workspace's one dataset group.
	GroupName = "dsg"
	// PRTeam is the team the pull-request variants change, and PRStore the
	// store they change and PRNewStore the store they add.
	PRTeam, PRStore, PRNewStore = "Z0_T0", "Z0_T0_S0", "Z0_T0_SPR"
)

// The branches of a synthetic pull request repository (gen -git): the base
// model on the ecosystem's branch, the pull request on the changed team's
// branch (the branch that owns what it changes), and the incompatible
// variant on a branch of its own.
const (
	BaseBranch         = "eco_main"
	PullRequestBranch  = "Z0_T0_main"
	IncompatibleBranch = "Z0_T0_incompatible"
)

// The multipliers of the sink formula: sink k of workspace g points at dataset
// (g·sinkWorkspaceStep + k·sinkStep) mod (Z·T·S·D). Both are primes, so the
// sinks spread over the whole model rather than clustering in one team.
const (
	sinkWorkspaceStep = 7919
	sinkStep          = 104729
)

// EcoFile is the entry file of the model.
const EcoFile = "eco.star"

// ZoneFile returns the path of zone z's file.
func ZoneFile(z int) string { return "zones/" + zoneName(z) + ".star" }

// TeamFile returns the path of team t of zone z's file.
func TeamFile(z, t int) string { return "teams/" + teamName(z, t) + ".star" }

func zoneName(z int) string    { return "Z" + strconv.Itoa(z) }
func teamName(z, t int) string { return zoneName(z) + "_T" + strconv.Itoa(t) }

// Files returns the model of shape s in variant v as file contents keyed by
// slash-separated path relative to the model root: eco.star, zones/Z{z}.star
// and teams/Z{z}_T{t}.star. The same arguments always give the same bytes.
func Files(s Shape, v Variant) (map[string][]byte, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	if v < Base || v > PullRequestIncompatible {
		return nil, fmt.Errorf("synthetic: unknown variant %d: want Base, PullRequest or PullRequestIncompatible", int(v))
	}
	if v == PullRequestIncompatible && s.Columns < 2 {
		return nil, fmt.Errorf("synthetic shape %v: the incompatible pull request drops the last column of %s.ds0, which needs at least 2 columns (C), not %d", s, PRStore, s.Columns)
	}
	g := newGenerator(s)
	files := make(map[string][]byte, 1+s.Zones+s.TeamCount())
	files[EcoFile] = g.eco()
	for z := range s.Zones {
		files[ZoneFile(z)] = g.zone(z)
		for t := range s.Teams {
			tv := Base
			if z == 0 && t == 0 {
				tv = v
			}
			files[TeamFile(z, t)] = g.team(z, t, tv)
		}
	}
	return files, nil
}

// Write generates the model of shape s in variant v (see Files) into the
// directory dir, creating it and its zones/ and teams/ folders as needed and
// overwriting files of the same names. Other files in dir are left alone: the
// model is what eco.star loads, so they do not change it.
func Write(dir string, s Shape, v Variant) error {
	files, err := Files(s, v)
	if err != nil {
		return err
	}
	paths := make([]string, 0, len(files))
	for p := range files {
		paths = append(paths, p)
	}
	slices.Sort(paths)
	made := map[string]bool{}
	for _, p := range paths {
		full := filepath.Join(dir, filepath.FromSlash(p))
		if d := filepath.Dir(full); !made[d] {
			if err := os.MkdirAll(d, 0o755); err != nil {
				return fmt.Errorf("synthetic: %w", err)
			}
			made[d] = true
		}
		if err := os.WriteFile(full, files[p], 0o644); err != nil {
			return fmt.Errorf("synthetic: %w", err)
		}
	}
	return nil
}

// sinkTarget returns the number of the dataset that sink k of the workspace
// numbered g points at. Datasets are numbered n = ((z·T + t)·S + s)·D + d.
func (s Shape) sinkTarget(g, k int) int {
	return (g*sinkWorkspaceStep + k*sinkStep) % s.DatasetCount()
}
