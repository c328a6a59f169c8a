package starlark

import (
	"io/fs"
	"path"
	"strings"
)

// resolveLoad turns the module string of a load statement in the file from
// into a path relative to the model root. "//a/b.star" is relative to the
// root; "b.star", "./b.star" and "../b.star" are relative to the directory of
// the loading file. On failure it returns the rule and a message.
func resolveLoad(from, module string) (resolved, ruleID, msg string) {
	switch {
	case module == "":
		return "", RuleLoadBadPath, "load: the path is empty"
	case strings.ContainsRune(module, '\\'):
		return "", RuleLoadBadPath, "load: " + quote(module) + " contains a backslash; write paths with forward slashes"
	case strings.HasPrefix(module, "@") || strings.ContainsRune(module, ':'):
		return "", RuleLoadBadPath, "load: " + quote(module) + " is a label, not a path; write a path such as \"//teams/sales.star\""
	}
	var joined string
	switch {
	case strings.HasPrefix(module, "//"):
		rest := module[2:]
		if strings.HasPrefix(rest, "/") {
			return "", RuleLoadBadPath, "load: " + quote(module) + " has more than two leading slashes"
		}
		joined = path.Clean(rest)
	case strings.HasPrefix(module, "/"):
		return "", RuleLoadOutsideRoot, "load: " + quote(module) + " is an absolute path; only files under the model root can be loaded"
	default:
		joined = path.Join(path.Dir(from), module)
	}
	if joined == ".." || strings.HasPrefix(joined, "../") {
		return "", RuleLoadOutsideRoot, "load: " + quote(module) + " (from " + from + ") leaves the model root"
	}
	if !strings.HasSuffix(joined, ".star") {
		return "", RuleLoadBadPath, "load: " + quote(module) + " is not a .star file"
	}
	if !fs.ValidPath(joined) {
		return "", RuleLoadBadPath, "load: " + quote(module) + " is not a valid path"
	}
	return joined, "", ""
}
