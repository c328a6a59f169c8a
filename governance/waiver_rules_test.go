package governance_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/datasurface/datasurface-go/ecosystem"
	"github.com/datasurface/datasurface-go/governance"
	"github.com/datasurface/datasurface-go/starlark"
)

// waiverRulesModel is a small model whose team Sales holds the waivers
// given, one a line, each line starting with "waiver(".
func waiverRulesModel(t *testing.T, waivers ...string) (*ecosystem.Ecosystem, string) {
	t.Helper()
	src := `ecosystem(
    name = "Acme",
    repo = repo("github.com/acme/eco"),
    live_repo = repo("github.com/acme/eco", branch = "live"),
    zones = [zone("USA", repo = repo("github.com/acme/usa"),
        teams = [team("Sales", repo = repo("github.com/acme/sales"),
            datastores = [datastore("Customers", capture = sql_snapshot(source = postgres("crm")),
                datasets = [dataset("people", classification = "public", columns = [column("id", "integer", key = True)])])],
            waivers = [
` + "                " + strings.Join(waivers, ",\n                ") + `,
            ])],
    )],
)
`
	m, err := starlark.Evaluate(context.Background(), fstest.MapFS{"eco.star": {Data: []byte(src)}})
	if err != nil {
		t.Fatal(err)
	}
	return m, src
}

// argPos returns the position of the value of argument arg in the first
// line of src that contains line.
func argPos(t *testing.T, src, line, arg string) ecosystem.Pos {
	t.Helper()
	for i, l := range strings.Split(src, "\n") {
		if strings.Contains(l, line) {
			col := strings.Index(l, arg+" = ")
			if col < 0 {
				t.Fatalf("no argument %s in %q", arg, l)
			}
			return ecosystem.Pos{File: "eco.star", Line: i + 1, Col: col + len(arg+" = ") + 1}
		}
	}
	t.Fatalf("no line contains %q", line)
	return ecosystem.Pos{}
}

func waiverLine(rule, path string) string {
	return fmt.Sprintf(`waiver(rule = %q, path = %q, reason = "reviewed", expires = "2027-01-31")`, rule, path)
}

var waiverRulesNow = governance.WithNow(time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC))

// withPlatforms stands for the platform acceptance, which finds nothing
// here: the check then knows it ran every stage.
var withPlatforms = governance.WithAcceptance(func(context.Context, *ecosystem.Ecosystem) ecosystem.Diagnostics { return nil })

func onlyRule(t *testing.T, ds ecosystem.Diagnostics, rule string) ecosystem.Diagnostic {
	t.Helper()
	var found []ecosystem.Diagnostic
	for _, d := range ds {
		if d.Rule == rule {
			found = append(found, d)
		}
	}
	if len(found) != 1 {
		t.Fatalf("want one %s finding, got %d in:\n%v", rule, len(found), ecosystem.DiagnosticsError(ds))
	}
	return found[0]
}

// TestWaiverUnknownRuleAndPath: a waiver of an unknown rule ID is an error
// at its rule argument, a waiver of a path no object has a warning at its
// path argument, each with a did-you-mean.
func TestWaiverUnknownRuleAndPath(t *testing.T) {
	badRule := waiverLine("DATASET_UNCLASIFIED", "USA/Sales/Customers")
	badPath := waiverLine("DATASET_UNCLASSIFIED", "USA/Sales/Custmers")
	m, src := waiverRulesModel(t, badRule, badPath)
	ds, err := governance.CheckModel(context.Background(), m, waiverRulesNow, withPlatforms)
	if err != nil {
		t.Fatal(err)
	}

	d := onlyRule(t, ds, "WAIVER_UNKNOWN_RULE")
	if d.Severity != ecosystem.Error || d.Pos != argPos(t, src, badRule, "rule") || d.Path != "USA/Sales" ||
		!strings.Contains(d.Message, "no rule has the ID DATASET_UNCLASIFIED") || !strings.HasPrefix(d.Hint, "did you mean DATASET_UNCLASSIFIED? ") {
		t.Errorf("unknown rule: %v (hint %q), want an error at the rule argument with a did-you-mean", d, d.Hint)
	}

	d = onlyRule(t, ds, "WAIVER_UNKNOWN_PATH")
	if d.Severity != ecosystem.Warning || d.Pos != argPos(t, src, badPath, "path") ||
		!strings.Contains(d.Message, `no object of the model has the path "USA/Sales/Custmers"`) || !strings.HasPrefix(d.Hint, `did you mean "USA/Sales/Customers"? `) {
		t.Errorf("unknown path: %v (hint %q), want a warning at the path argument with a did-you-mean", d, d.Hint)
	}
	for _, d := range ds {
		if d.Rule == "WAIVER_UNUSED" {
			t.Errorf("a waiver is reported twice: %v", d)
		}
	}
}

// TestWaiverUnknownRuleWithoutPlatforms: a check that did not run the
// platforms may not know their rules, so an unknown ID is only a warning
// there, and a waiver of a platform rule is not called unused.
func TestWaiverUnknownRuleWithoutPlatforms(t *testing.T) {
	w := waiverLine("SQLSCRIPT_CODE_NOT_SQL", "USA/Sales")
	m, src := waiverRulesModel(t, w)
	ds, err := governance.CheckModel(context.Background(), m, waiverRulesNow)
	if err != nil {
		t.Fatal(err)
	}
	d := onlyRule(t, ds, "WAIVER_UNKNOWN_RULE")
	if d.Severity != ecosystem.Warning || d.Pos != argPos(t, src, w, "rule") || !strings.Contains(d.Message, "the platform checks did not run") {
		t.Errorf("without platforms: %v, want a warning that says the platforms did not run", d)
	}
	ds, err = governance.CheckModel(context.Background(), m, waiverRulesNow, withPlatforms)
	if err != nil {
		t.Fatal(err)
	}
	if d := onlyRule(t, ds, "WAIVER_UNKNOWN_RULE"); d.Severity != ecosystem.Error {
		t.Errorf("with platforms: %v, want an error", d)
	}
}

// TestWaiverNotWaivableSaysWhy: a waiver of a type reason or of an
// evaluation rule can never apply, and the finding says what to do.
func TestWaiverNotWaivableSaysWhy(t *testing.T) {
	typeReason := waiverLine("TYPE_NARROWED", "USA/Sales/Customers/people/id")
	eval := waiverLine("EVAL_SYNTAX", "USA/Sales")
	authz := waiverLine("AUTHZ_UNAUTHORISED_CHANGE", "USA/Sales")
	m, src := waiverRulesModel(t, typeReason, eval, authz)
	ds, err := governance.CheckModel(context.Background(), m, waiverRulesNow, withPlatforms)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]struct {
		line, message string
	}{
		"TYPE_NARROWED": {typeReason, "waive COMPAT_TYPE_CHANGED at the column's path instead"},
		"EVAL_SYNTAX":   {eval, "no model whose waivers could apply"},
	}
	n := 0
	for _, d := range ds {
		switch d.Rule {
		case "WAIVER_NOT_WAIVABLE":
			n++
			for id, w := range want {
				if strings.Contains(d.Message, "waiver of "+id+" ") {
					if d.Severity != ecosystem.Error || d.Pos != argPos(t, src, w.line, "rule") || !strings.Contains(d.Message, w.message) {
						t.Errorf("%s: %v, want an error at the rule argument saying %q", id, d, w.message)
					}
					delete(want, id)
				}
			}
		case "WAIVER_UNKNOWN_RULE":
			if !strings.HasPrefix(d.Hint, "did you mean AUTHZ_UNAUTHORIZED_CHANGE? But findings of AUTHZ_UNAUTHORIZED_CHANGE cannot be waived") {
				t.Errorf("a did-you-mean of a rule that cannot be waived must say so: %q", d.Hint)
			}
		case "WAIVER_UNUSED", "WAIVER_UNKNOWN_PATH":
			t.Errorf("a waiver that can never apply is also reported as %v", d)
		}
	}
	if n != 2 || len(want) != 0 {
		t.Errorf("%d WAIVER_NOT_WAIVABLE findings, missing %v:\n%v", n, want, ecosystem.DiagnosticsError(ds))
	}
	for _, id := range []string{"TYPE_NARROWED", "EVAL_SYNTAX"} {
		if governance.Waivable(id) {
			t.Errorf("Waivable(%s) = true", id)
		}
	}
	if !governance.Waivable("COMPAT_TYPE_CHANGED") || !governance.Waivable("DATASET_UNCLASSIFIED") {
		t.Error("a waivable rule is refused")
	}
}

// TestWaiverOfARemovalInOneModel: dsl lint sees one model, so a waiver of a
// compatibility rule, whose path may be that of the object the change
// removes, is judged only by the change check.
func TestWaiverOfARemovalInOneModel(t *testing.T) {
	m, _ := waiverRulesModel(t, waiverLine("COMPAT_DATASET_REMOVED_IN_USE", "USA/Sales/Customers/orders"))
	ds, err := governance.CheckModel(context.Background(), m, waiverRulesNow, withPlatforms)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range ds {
		if strings.HasPrefix(d.Rule, "WAIVER_") {
			t.Errorf("a one-model check judges a compatibility waiver: %v", d)
		}
	}
}

// TestWaiverOfAPathTheChangeRemoves: in the change check, a waiver whose
// path only the base model has names a real object, so if it covers
// nothing it is unused, not an unknown path.
func TestWaiverOfAPathTheChangeRemoves(t *testing.T) {
	base, _ := waiverRulesModel(t, waiverLine("DATASET_UNCLASSIFIED", "USA/Sales/Customers/people"))
	head, _ := waiverRulesModel(t, waiverLine("DATASET_UNCLASSIFIED", "USA/Sales/Customers/people"),
		waiverLine("DATASET_UNCLASSIFIED", "USA/Sales/Customers/peple"))
	head.Zones[0].Teams[0].Datastores[0].Datasets = nil // the change removes the dataset
	head = ecosystem.New(head)
	res, err := governance.Check(context.Background(), base, head, ecosystem.Repo{Name: "github.com/acme/sales", Branch: "main"}, waiverRulesNow, withPlatforms)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, d := range res.Diagnostics {
		if strings.HasPrefix(d.Rule, "WAIVER_") {
			got = append(got, d.Rule+": "+d.Message)
		}
	}
	if len(got) != 2 || !strings.HasPrefix(got[0], "WAIVER_UNUSED") || !strings.Contains(got[0], `"USA/Sales/Customers/people"`) ||
		!strings.HasPrefix(got[1], "WAIVER_UNKNOWN_PATH") || !strings.Contains(got[1], `"USA/Sales/Customers/peple"`) {
		t.Errorf("got %q, want the misspelt path unknown and the removed one unused", got)
	}
}
