package lint

import (
	"bytes"
	"fmt"
	"path/filepath"
	"strings"
)

// rulesDocPath is the rule reference, generated from the registry.
var rulesDocPath = filepath.Join("..", "..", "docs", "RULES.md")

const rulesDocIntro = `# Lint rules

<!-- Generated from the rules (lint's in ecosystem/lint/registry.go, the
     other packages' in their rules.go files) by
     go test ./ecosystem/lint -run TestRulesDoc -update
     Edit the rules or the prose in ecosystem/lint/docs_test.go and
     docs_index_test.go, not this file. -->

Lint checks that one model is self-consistent. It runs
every rule below over the whole model and reports every finding in one run:
rules are independent, so one broken reference never hides another problem.

    dsl lint DIR                                  # the CLI
    diags := lint.Lint(model)                     # the library (ecosystem/lint)
    diags := lint.Lint(model, lint.WithoutRules("VENDOR_UNDOCUMENTED"))

Each finding is an ` + "`ecosystem.Diagnostic`" + ` with:

- **rule**: the stable ID below. IDs never change meaning; a rule that is no
  longer wanted is retired, not renamed, so waivers and CI settings keep working.
- **severity**: ` + "`error`" + ` fails ` + "`dsl lint`" + ` (exit code 1); ` + "`warning`" + ` is reported
  but passes unless ` + "`--fail-on warning`" + ` is given.
- **path**: the model path of the object concerned (` + "`zone/team/store/dataset/column`" + `,
  ` + "`zone/team/workspace/group`" + `, ` + "`vendors/V/...`" + `, ` + "`platforms/P`" + `,
  ` + "`assignments/workspace/group/platform`" + `; the ecosystem itself has the empty path).
  Findings about a sink carry its dataset group's path; about a policy, its zone's.
- **pos**: file:line:col of the offending argument where one is to blame
  (the ` + "`nullable = True`" + ` of a key column, the ` + "`schedule`" + ` of a cron), else of the
  constructor call; **related** positions show the other side (the first
  declaration of a duplicate, the deprecation, each step of a cycle).
- **message** with the values involved, and a **hint** with the fix
  (a did-you-mean where a declared name is close).

Every rule of every package (evaluation, lint, the change check, the broker,
platforms) is in one registry, ` + "`ecosystem.AllRules()`" + ` (the [index](#every-rule) at the
end lists them), with one [category vocabulary](#categories)
(` + "`ecosystem.Categories()`" + `: lower-case words such as ` + "`naming`" + `, ` + "`schema`" + `, ` + "`policy`" + `),
which SARIF shows as tags. A host program adds its own lint rules with
` + "`lint.Register(rule, check)`" + `: they run wherever the built-in rules do (` + "`lint.Lint`" + `,
` + "`governance.CheckModel`" + `, ` + "`governance.Check`" + `), appear in reports and can be waived.

Lint does not compare two models and does not apply waivers: the change check
(` + "`governance`" + `) does both, and reports waivers that are expired, unused or
outside their owner's part of the model. Lint only checks that each waiver is
well formed (WAIVER_INVALID).

## Decisions where the design is silent

- **Identifiers** are ASCII: a letter, then letters, digits or ` + "`_`" + `, at most 128
  characters, not one of the reserved words of SQL:2016 (ISO/IEC 9075-2, listed
  in ` + "`ecosystem/lint/reserved.go`" + `; non-reserved key words such as NAME or KEY are
  fine). Location names follow cloud region names (` + "`us-east-1`" + `), so they only
  must be non-empty and free of ` + "`/`" + ` and ` + "`:`" + `, the location key separators.
- **Duplicates** of SQL names are found ignoring letter case, because databases
  fold unquoted identifiers: ` + "`Customers`" + ` and ` + "`customers`" + ` would collide. Policy
  and location names are compared exactly. The first declaration in model order
  is kept; the later one is reported.
- **Classification**: a dataset is classified as a whole, or on every one of
  its columns. A dataset with some columns classified and others not counts as
  unclassified, since the others hold data nobody has assessed.
- **live_repo** is optional; when given it must differ from ` + "`repo`" + `.
- **Approvals**: ` + "`approved_workspaces`" + ` (even empty) limits a store to the listed
  workspaces, including the producing team's own. Approving a workspace that
  does not exist yet is fine: producers approve before consumers add sinks.
- **Containers** are optional on workspaces (the platform then manages the
  storage), so there is no rule requiring one.
- **Policies**: vendor and location policy entries must resolve; cloud,
  classification and storage policies name open-ended values and are not
  checked against the model. An allow entry that the same policy's deny list
  covers is an error (POLICY_CONTRADICTORY): deny wins, so the policy is
  safe but does not say what its author meant, and only the author can tell
  which list is wrong. A deny inside an allowed location is a carve-out.
- **Cron** schedules use the standard five fields; the ` + "`@hourly`" + `-style descriptors
  and a ` + "`CRON_TZ=`" + ` prefix are accepted (github.com/robfig/cron/v3). A step of
  zero, or wider than the range it divides (` + "`*/61`" + ` or ` + "`*/60`" + ` minutes, ` + "`0 */24 * * *`" + `,
  ` + "`59/10`" + ` minutes), is refused although the library accepts it, since it would
  fire only at the range's start.
- **Repositories** are ` + "`owner/repo`" + ` or ` + "`host/owner/repo`" + ` in ASCII letters, digits,
  ` + "`-`" + `, ` + "`_`" + ` and ` + "`.`" + ` (without the clone URL's ` + "`.git`" + `), with a branch git accepts:
  ownership is exact identity, so a look-alike letter or a trailing space
  would make a part nobody can change.
- **Classifications** are compared by policies in canonical form (lower-case
  ASCII without blanks, look-alike letters mapped); a label written otherwise
  is a warning. The model declares no list of labels, so a label is unknown
  only relative to the policies: one a typo (or a ` + "`_`" + ` or ` + "`-`" + `) away from a
  label a policy names is a warning with a did-you-mean, since the policy
  would not apply to it; numbered levels (` + "`tier1`" + `, ` + "`tier2`" + `) and labels under
  four letters are not guessed at.
- Rules about values the language already refuses (COLUMN_TYPE_MISSING,
  CAPTURE_SOURCE_MISSING, most of VALUE_INVALID) guard models built in Go.

`

// renderRulesDoc writes the rule reference from the registry.
func renderRulesDoc() []byte {
	var b bytes.Buffer
	b.WriteString(rulesDocIntro)
	b.WriteString("## Summary\n\n| ID | Severity | Categories | Purpose |\n|---|---|---|---|\n")
	for _, r := range Rules() {
		fmt.Fprintf(&b, "| [%s](#%s) | %s | %s | %s |\n", r.ID, strings.ToLower(r.ID), r.Severity, strings.Join(r.Categories, ", "), r.Purpose)
	}
	b.WriteString("\n## Rules\n")
	for _, r := range Rules() {
		var e entry
		for _, x := range registry {
			if x.rule.ID == r.ID {
				e = x
			}
		}
		lang := "python"
		if strings.HasPrefix(e.example, "// Go") {
			lang = "go"
		}
		fmt.Fprintf(&b, "\n### %s\n\n**%s** · %s\n\n%s\n\nExample:\n\n```%s\n%s\n```\n\nFix: %s.\n\n```%s\n%s\n```\n",
			r.ID, r.Severity, strings.Join(r.Categories, ", "), r.Purpose, lang, e.example, r.Hint, lang, e.fix)
	}
	return b.Bytes()
}

// TestRulesDoc, in docs_index_test.go, compares docs/RULES.md with this
// and the index of every rule.
