package governance

import (
	"slices"
	"strings"

	"github.com/datasurface/datasurface-go/ecosystem"
	"github.com/datasurface/datasurface-go/types"
)

// The compatibility rules. Their IDs are stable: waivers, SARIF reports and CI
// configurations name them, so a rule may be added or retired but never
// renamed. docs/COMPATIBILITY.md documents each one; its table is generated
// from this registry (see TestCompatibilityDocIsCurrent).
var (
	ruleStoreRemovedInUse = compatRule{modes: allModes, note: "every mode, NONE included", Rule: ecosystem.Rule{
		ID: "COMPAT_DATASTORE_REMOVED_IN_USE", Severity: ecosystem.Error, Categories: []string{ecosystem.CategoryCompatibility, ecosystem.CategoryLifecycle},
		Purpose: "A datastore was removed while workspaces still consume its datasets.",
		Hint:    "Keep the datastore until no workspace sinks its datasets: deprecate it, let the consumers remove their sinks, then remove it.",
	}}
	ruleDatasetRemovedInUse = compatRule{modes: allModes, note: "every mode, NONE included", Rule: ecosystem.Rule{
		ID: "COMPAT_DATASET_REMOVED_IN_USE", Severity: ecosystem.Error, Categories: []string{ecosystem.CategoryCompatibility, ecosystem.CategoryLifecycle},
		Purpose: "A dataset was removed while workspaces still consume it.",
		Hint:    "Keep the dataset until no workspace sinks it: deprecate it, let the consumers remove their sinks, then remove it.",
	}}
	ruleRemovedWithoutDeprecation = compatRule{modes: schemaModes, note: "the live model must deprecate the dataset or its store (a store: the store, or every dataset in it)", Rule: ecosystem.Rule{
		ID: "COMPAT_REMOVED_WITHOUT_DEPRECATION", Severity: ecosystem.Error, Categories: []string{ecosystem.CategoryCompatibility, ecosystem.CategoryLifecycle},
		Purpose: "A datastore or dataset was removed without being deprecated in the live model first.",
		Hint:    "Deprecate it first (deprecation = deprecated(reason = \"...\")), merge that, and remove it in a later change.",
	}}
	ruleColumnRemoved = compatRule{modes: schemaModes, note: "FORWARD: only a NOT NULL column (old readers need a value)", Rule: ecosystem.Rule{
		ID: "COMPAT_COLUMN_REMOVED", Severity: ecosystem.Error, Categories: []string{ecosystem.CategoryCompatibility, ecosystem.CategorySchema},
		Purpose: "A column was removed from a dataset.",
		Hint:    "Keep the column; if it must go, deprecate the dataset and publish a new one without it.",
	}}
	ruleColumnRenamed = compatRule{modes: schemaModes, note: "a column removed and one added at the same position with the same type", Rule: ecosystem.Rule{
		ID: "COMPAT_COLUMN_RENAMED", Severity: ecosystem.Error, Categories: []string{ecosystem.CategoryCompatibility, ecosystem.CategorySchema},
		Purpose: "A column was renamed, which breaks every consumer that selects it by name.",
		Hint:    "Keep the old name; add the new column as nullable next to it if both are needed.",
	}}
	ruleColumnAddedNotNullable = compatRule{modes: backwardModes, note: "rows written before the change have no value for it", Rule: ecosystem.Rule{
		ID: "COMPAT_COLUMN_ADDED_NOT_NULLABLE", Severity: ecosystem.Error, Categories: []string{ecosystem.CategoryCompatibility, ecosystem.CategorySchema},
		Purpose: "A column was added that is not nullable.",
		Hint:    "Add the column as nullable (nullable = True).",
	}}
	ruleColumnAddedKey = compatRule{modes: schemaModes, note: "a new key column changes the identity of every record", Rule: ecosystem.Rule{
		ID: "COMPAT_COLUMN_ADDED_KEY", Severity: ecosystem.Error, Categories: []string{ecosystem.CategoryCompatibility, ecosystem.CategorySchema},
		Purpose: "A column was added as part of the primary key.",
		Hint:    "Add the column as a nullable non-key column; changing the key needs a new dataset.",
	}}
	rulePrimaryKeyChanged = compatRule{modes: schemaModes, note: "existing columns added to, removed from or reordered in the key", Rule: ecosystem.Rule{
		ID: "COMPAT_PRIMARY_KEY_CHANGED", Severity: ecosystem.Error, Categories: []string{ecosystem.CategoryCompatibility, ecosystem.CategorySchema},
		Purpose: "The primary key columns were added, removed or reordered.",
		Hint:    "Keep the primary key as it is; a different key needs a new dataset.",
	}}
	rulePartitionChanged = compatRule{modes: schemaModes, note: "partition columns added, removed or reordered", Rule: ecosystem.Rule{
		ID: "COMPAT_PARTITION_CHANGED", Severity: ecosystem.Error, Categories: []string{ecosystem.CategoryCompatibility, ecosystem.CategorySchema},
		Purpose: "The partition columns were added, removed or reordered.",
		Hint:    "Keep partition_by as it is; a different partitioning needs a new dataset.",
	}}
	ruleNullabilityTightened = compatRule{modes: backwardModes, note: "data already written may hold nulls", Rule: ecosystem.Rule{
		ID: "COMPAT_NULLABILITY_TIGHTENED", Severity: ecosystem.Error, Categories: []string{ecosystem.CategoryCompatibility, ecosystem.CategorySchema},
		Purpose: "A nullable column became NOT NULL.",
		Hint:    "Keep the column nullable.",
	}}
	ruleNullabilityLoosened = compatRule{modes: forwardModes, note: "readers on the old schema do not expect nulls", Rule: ecosystem.Rule{
		ID: "COMPAT_NULLABILITY_LOOSENED", Severity: ecosystem.Error, Categories: []string{ecosystem.CategoryCompatibility, ecosystem.CategorySchema},
		Purpose: "A NOT NULL column became nullable.",
		Hint:    "Keep the column NOT NULL, or set the dataset's compatibility to BACKWARD if its consumers accept nulls.",
	}}
	ruleTypeChanged = compatRule{modes: schemaModes, note: "BACKWARD and FULL: the new type must hold every old value (widening allowed); FORWARD: the old type must hold every new value (narrowing allowed). The message names the types package's rule, such as TYPE_NARROWED", Rule: ecosystem.Rule{
		ID: "COMPAT_TYPE_CHANGED", Severity: ecosystem.Error, Categories: []string{ecosystem.CategoryCompatibility, ecosystem.CategorySchema},
		Purpose: "A column's type changed in a way the dataset's compatibility mode does not allow.",
		Hint:    "Keep the old type, or change it only in the direction the dataset's compatibility mode allows (in FULL and BACKWARD: widen).",
	}}
	ruleClassificationChanged = compatRule{modes: allModes, note: "either way, every mode: a classification change needs the governance path (review and a waiver)", Rule: ecosystem.Rule{
		ID: "COMPAT_CLASSIFICATION_CHANGED", Severity: ecosystem.Error, Categories: []string{ecosystem.CategoryCompatibility, ecosystem.CategoryClassification},
		Purpose: "The classification of a dataset or column changed.",
		Hint:    "Have the zone review the new classification and record the decision as a waiver of COMPAT_CLASSIFICATION_CHANGED for this path.",
	}}
)

// compatRules lists the registry in the order the documentation shows it.
var compatRules = []*compatRule{
	&ruleStoreRemovedInUse, &ruleDatasetRemovedInUse, &ruleRemovedWithoutDeprecation,
	&ruleColumnRemoved, &ruleColumnRenamed, &ruleColumnAddedNotNullable, &ruleColumnAddedKey,
	&rulePrimaryKeyChanged, &rulePartitionChanged,
	&ruleNullabilityTightened, &ruleNullabilityLoosened,
	&ruleTypeChanged, &ruleClassificationChanged,
}

// compatRule is a compatibility rule with the modes it is enforced in. The
// differ asks the rule, not a mode switch, so the registry is the single
// source of truth for both behaviour and documentation.
type compatRule struct {
	ecosystem.Rule
	modes compatModeSet
	// note qualifies the rule for the documentation table.
	note string
}

// compatModeSet is a set of compatibility modes.
type compatModeSet uint8

const (
	inBackward compatModeSet = 1 << iota
	inForward
	inFull
	inNone
)

// The mode sets the rules use.
const (
	allModes      = inBackward | inForward | inFull | inNone
	schemaModes   = inBackward | inForward | inFull
	backwardModes = inBackward | inFull
	forwardModes  = inForward | inFull
)

// compatModeBit maps a mode to its set bit. An unknown mode (only possible in a
// model built from Go code, as the language validates the value) is treated
// as FULL, the strictest, rather than silently skipping the check.
func compatModeBit(m ecosystem.CompatibilityMode) compatModeSet {
	switch m {
	case ecosystem.Backward:
		return inBackward
	case ecosystem.Forward:
		return inForward
	case ecosystem.NoCheck:
		return inNone
	}
	return inFull
}

// appliesIn reports whether the rule is enforced in mode m.
func (r *compatRule) appliesIn(m ecosystem.CompatibilityMode) bool {
	return r.modes&compatModeBit(m) != 0
}

// modeNames lists the modes the rule is enforced in, in documentation order.
func (r *compatRule) modeNames() []string {
	var out []string
	for _, m := range []ecosystem.CompatibilityMode{ecosystem.Backward, ecosystem.Forward, ecosystem.Full} {
		if r.appliesIn(m) {
			out = append(out, modeCategory[m])
		}
	}
	return out
}

// modeCategory is the category of the rules enforced in a mode; NONE
// enforces nothing and has none.
var modeCategory = map[ecosystem.CompatibilityMode]string{
	ecosystem.Backward: ecosystem.CategoryModeBackward,
	ecosystem.Forward:  ecosystem.CategoryModeForward,
	ecosystem.Full:     ecosystem.CategoryModeFull,
}

// CompatibilityRules returns every rule Compatibility can report, sorted by
// ID. Each rule's categories are compatibility and what it protects
// (lifecycle, schema, classification), followed by the compatibility modes
// it is enforced in (backward, forward, full), so a report or a document can
// select the rules of one mode.
func CompatibilityRules() []ecosystem.Rule {
	out := make([]ecosystem.Rule, 0, len(compatRules))
	for _, r := range compatRules {
		rule := r.Rule
		rule.Categories = append(slices.Clip(rule.Categories), r.modeNames()...)
		out = append(out, rule)
	}
	slices.SortFunc(out, func(a, b ecosystem.Rule) int { return strings.Compare(a.ID, b.ID) })
	return out
}

// typeReasonRules adapts the types package's rules to the one registry
// (package types cannot import ecosystem): each is a reason that
// types.CheckReplace gives and that a COMPAT_TYPE_CHANGED finding quotes in
// its message, never a finding of its own (see typeChange). They are in the
// registry so that every ID a report can show is documented in one place;
// a waiver names COMPAT_TYPE_CHANGED, and one naming a reason is
// WAIVER_NOT_WAIVABLE (see Waivable).
func typeReasonRules() []ecosystem.Rule {
	infos := types.Rules()
	out := make([]ecosystem.Rule, len(infos))
	for i, info := range infos {
		out[i] = ecosystem.Rule{
			ID: info.ID, Severity: ruleTypeChanged.Severity,
			Categories: []string{ecosystem.CategoryCompatibility, ecosystem.CategorySchema},
			Purpose:    info.Purpose + " A reason quoted by COMPAT_TYPE_CHANGED findings, not a finding of its own.",
			Hint:       ruleTypeChanged.Hint + " A waiver names COMPAT_TYPE_CHANGED and the column's path, not this reason.",
		}
	}
	slices.SortFunc(out, func(a, b ecosystem.Rule) int { return strings.Compare(a.ID, b.ID) })
	return out
}

// typeReasonIDs holds the IDs of typeReasonRules.
var typeReasonIDs = func() map[string]bool {
	ids := map[string]bool{}
	for _, r := range types.Rules() {
		ids[r.ID] = true
	}
	return ids
}()
