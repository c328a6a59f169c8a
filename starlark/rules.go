package starlark

import (
	"slices"
	"strings"

	"github.com/datasurface/datasurface-go/ecosystem"
)

// The rule IDs of evaluation diagnostics. They are stable: tools and waivers
// may refer to them.
const (
	RuleSyntax              = "EVAL_SYNTAX"
	RuleUnknownName         = "EVAL_UNKNOWN_NAME"
	RuleError               = "EVAL_ERROR"
	RuleUnknownArgument     = "EVAL_UNKNOWN_ARGUMENT"
	RuleMissingArgument     = "EVAL_MISSING_ARGUMENT"
	RuleDuplicateArgument   = "EVAL_DUPLICATE_ARGUMENT"
	RulePositionalArgument  = "EVAL_POSITIONAL_ARGUMENT"
	RuleArgumentType        = "EVAL_ARGUMENT_TYPE"
	RuleBadValue            = "EVAL_BAD_VALUE"
	RuleSecret              = "EVAL_SECRET"
	RuleNoEcosystem         = "EVAL_NO_ECOSYSTEM"
	RuleDuplicateEcosystem  = "EVAL_DUPLICATE_ECOSYSTEM"
	RuleEcosystemNotInEntry = "EVAL_ECOSYSTEM_NOT_IN_ENTRY"
	RuleStepLimit           = "EVAL_STEP_LIMIT"
	RuleTimeout             = "EVAL_TIMEOUT"
	RuleMemoryLimit         = "EVAL_MEMORY_LIMIT"
	RuleLoadNotFound        = "LOAD_NOT_FOUND"
	RuleLoadCycle           = "LOAD_CYCLE"
	RuleLoadOutsideRoot     = "LOAD_OUTSIDE_ROOT"
	RuleLoadBadPath         = "LOAD_BAD_PATH"
	RuleLoadUnreadable      = "LOAD_UNREADABLE"
)

var rules = []ecosystem.Rule{
	newRule(RuleSyntax, "The file is not valid Starlark, or uses a feature the model language turns off (while loops, reassigned globals).",
		"fix the syntax at the position shown"),
	newRule(RuleUnknownName, "A name is used that is neither a builtin, a Starlark built-in, a global of the file nor a loaded name.",
		"check the spelling, or load() the name from the file that defines it"),
	newRule(RuleError, "Model code failed while running: a Starlark error such as a bad operand, a missing attribute, recursion, or a fail() call.",
		"fix the expression at the position shown"),
	newRule(RuleUnknownArgument, "A builtin was given a keyword argument it does not take.",
		"use one of the parameters listed in docs/LANGUAGE.md"),
	newRule(RuleMissingArgument, "A builtin was called without a required argument.",
		"add the argument"),
	newRule(RuleDuplicateArgument, "A builtin was given the same argument twice (positionally and by keyword).",
		"pass each argument once"),
	newRule(RulePositionalArgument, "A builtin was given more positional arguments than it takes.",
		"pass the other arguments by keyword (name = value)"),
	newRule(RuleArgumentType, "An argument has the wrong type (a string where a bool is wanted, a list element that is not a column, ...).",
		"pass a value of the wanted type"),
	newRule(RuleBadValue, "An argument has the right type but a value outside what is allowed (an unknown enum value, a bad data type string, a bad date).",
		"use one of the allowed values"),
	newRule(RuleSecret, "A secret (password, token, key) was written into the model; the model holds references to secrets only.",
		"store the secret in your secret store and refer to it with credential(name = ...)"),
	newRule(RuleNoEcosystem, "The entry file finished without calling ecosystem().",
		"call ecosystem(name = ..., repo = ..., live_repo = ...) once in the entry file"),
	newRule(RuleDuplicateEcosystem, "ecosystem() was called more than once.",
		"call ecosystem() exactly once, in the entry file"),
	newRule(RuleEcosystemNotInEntry, "ecosystem() was called while executing a file other than the entry file.",
		"call ecosystem() in the entry file and load() the parts it needs from the other files"),
	newRule(RuleStepLimit, "A file's execution took more steps than the step limit (a runaway loop, or a model larger than the limit allows).",
		"raise the limit with WithMaxSteps (dsl --max-steps) if the model is really that large"),
	newRule(RuleTimeout, "The evaluation took longer than the wall-time limit.",
		"raise the limit with WithTimeout (dsl --timeout) if the model is really that large"),
	newRule(RuleMemoryLimit, "An operation would build values past the file's memory budget (a string or list repeated, joined or concatenated to a huge size, or grown in a loop), or traverse a value that reaches more elements than the budget holds; or all the files together passed the evaluation's total budget.",
		"model files never need large values; if the model really does, raise the budget with WithMaxMemory (dsl --max-memory) or WithMaxTotalMemory (dsl --max-total-memory)"),
	newRule(RuleLoadNotFound, "A load() names a file that does not exist (or the entry file is missing).",
		"check the path: \"//x.star\" is relative to the model root, \"x.star\" to the loading file"),
	newRule(RuleLoadCycle, "Files load each other in a cycle; the message shows the cycle.",
		"move what both files need into a third file that both load"),
	newRule(RuleLoadOutsideRoot, "A load() path leaves the model root (.. past the root, or an absolute path).",
		"keep every model file under the model root and load it with \"//path/from/root.star\""),
	newRule(RuleLoadUnreadable, "A load() (or the entry) names something that is not a regular model file: a symbolic link, a submodule, a directory, a FIFO or device, a file the sandbox may not open, or a file larger than the size limit.",
		"commit the file itself as a regular file under the model root, or split a file that is too large (the limit is WithMaxFileSize, dsl --max-file-size)"),
	newRule(RuleLoadBadPath, "A load() path is malformed: empty, not a .star file, with backslashes or a repository label.",
		"write a slash-separated path to a .star file, such as \"//teams/sales.star\""),
}

// newRule registers an evaluation rule. Every evaluation diagnostic is an
// error: the model cannot be built. Load rules are in the "load" category as
// well, so a report can tell a broken file tree from broken model code.
func newRule(id, purpose, hint string) ecosystem.Rule {
	cats := []string{ecosystem.CategoryEvaluation}
	if strings.HasPrefix(id, "LOAD_") {
		cats = append(cats, ecosystem.CategoryLoad)
	}
	return ecosystem.Rule{ID: id, Severity: ecosystem.Error, Purpose: purpose, Categories: cats, Hint: hint}
}

// Every evaluation rule is in the ecosystem's one rule registry.
func init() { ecosystem.MustRegisterRules(rules...) }

// Rules returns the evaluation rules, sorted by ID.
func Rules() []ecosystem.Rule {
	out := make([]ecosystem.Rule, len(rules))
	copy(out, rules)
	slices.SortFunc(out, func(a, b ecosystem.Rule) int { return strings.Compare(a.ID, b.ID) })
	return out
}

var ruleByID = func() map[string]ecosystem.Rule {
	m := make(map[string]ecosystem.Rule, len(rules))
	for _, r := range rules {
		m[r.ID] = r
	}
	return m
}()

// rule returns the registered rule with the given ID. Every ID used in this
// package is registered (TestRulesUsed checks it).
func rule(id string) ecosystem.Rule { return ruleByID[id] }
