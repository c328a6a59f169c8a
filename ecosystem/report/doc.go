// Package report renders diagnostics for people and for CI systems.
//
// Every command of the dsl CLI (eval, lint, check) ends with a list of
// ecosystem.Diagnostic values. This package turns such a list, wrapped in a
// Report that says which tool and command produced it and which rules it
// knows, into one of six formats:
//
//   - text: compiler-style lines, file:line:col: error[RULE]: message, with
//     the source line, a caret under the column, the hint and related notes;
//   - json: a documented, versioned shape (see docs/REPORTS.md);
//   - sarif: SARIF 2.1.0 for code-scanning services, one ruleId per rule and
//     waived findings as suppressions;
//   - github: GitHub Actions workflow commands, which annotate the pull request;
//   - junit: JUnit XML, one test suite per rule, for CI test dashboards;
//   - markdown: a pull-request comment with a verdict, counts and tables.
//
// Output is deterministic: the same report renders to the same bytes whatever
// the order of its diagnostics and rules, and nothing in it depends on the
// clock or the machine. Write never modifies the Report it is given.
//
// The package also holds the CLI's exit-code policy (ExitCode), so that the
// verdict printed in a Markdown comment and the process's exit status agree.
package report
