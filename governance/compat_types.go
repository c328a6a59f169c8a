package governance

import (
	"fmt"
	"strings"

	"github.com/datasurface/datasurface-go/ecosystem"
	"github.com/datasurface/datasurface-go/types"
)

// typeChange reports a column type change the dataset's mode does not
// allow. The direction is fixed by the mode and never inferred:
//
//   - BACKWARD and FULL: consumers on the new schema read data written under
//     the old one, so the new type must hold every old value:
//     types.CheckReplace(old, new). Widening passes, narrowing fails.
//   - FORWARD: consumers still on the old schema read data written under the
//     new one, so the old type must hold every new value:
//     types.CheckReplace(new, old). Narrowing passes, widening fails.
//   - NONE: no check.
//
// All type reasons of one column make one COMPAT_TYPE_CHANGED finding whose
// message carries each types rule ID (TYPE_NARROWED, TYPE_COLLATION_CHANGED,
// ...). One rule rather than one per types rule keeps this registry stable
// when the types package refines its rules, and in FORWARD mode the types
// rule names the reverse reading (a widening shows as TYPE_NARROWED of the
// new type into the old), which a rule ID of its own would misstate.
func (d *compatDataset) typeChange(path string, old, new *ecosystem.Column) {
	if types.Equal(old.Type, new.Type) || old.Type == nil || new.Type == nil || !ruleTypeChanged.appliesIn(d.mode) {
		return // a missing type is lint's finding, not a change to judge
	}
	var changes []types.Change
	var why string
	if d.mode == ecosystem.Forward {
		changes = types.CheckReplace(new.Type, old.Type)
		why = fmt.Sprintf("readers still on %s cannot read every %s value", old.Type, new.Type)
	} else {
		changes = types.CheckReplace(old.Type, new.Type)
		why = fmt.Sprintf("%s cannot hold every %s value", new.Type, old.Type)
	}
	if len(changes) == 0 {
		return
	}
	reasons := make([]string, len(changes))
	for i, c := range changes {
		reasons[i] = "[" + c.String() + "]"
	}
	d.report(&ruleTypeChanged, path, new.ArgPos("type"),
		"column %q type changed from %s to %s: %s %s", new.Name, old.Type, new.Type, why, strings.Join(reasons, " "))
}
