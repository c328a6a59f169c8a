package gitfs

import (
	"fmt"
	"strings"
)

// checkRevision refuses the revision forms go-git's ResolveRevision parses
// but then ignores, so that "feat2@{upstream}" or "feat2:eco.star" would
// silently read feat2. Only what it resolves exactly is accepted: a branch,
// tag or (abbreviated) commit hash, followed by any number of ~N and ^N
// ancestry steps (N optional).
func checkRevision(rev string) error {
	name, suffix := rev, ""
	if i := strings.IndexAny(rev, "~^"); i >= 0 {
		name, suffix = rev[:i], rev[i:]
	}
	unsupported := func(what string) error {
		return fmt.Errorf("revision %q: %s is not supported; give a branch, tag or commit, optionally followed by ~N or ^N (for example main~1 or HEAD^2)", rev, what)
	}
	switch {
	case strings.Contains(rev, "@{"):
		return unsupported("the @{...} suffix (reflog, upstream, push or date)")
	case strings.Contains(rev, ":"):
		return unsupported("the REV:PATH form (a file, not a commit)")
	case strings.Contains(suffix, "^{"):
		return unsupported("the ^{type} or ^{/text} peel")
	case strings.Contains(rev, ".."):
		return unsupported("a range (A..B or A...B)")
	case name == "@":
		return unsupported(`"@" for HEAD (write HEAD)`)
	case name == "":
		return fmt.Errorf("revision %q: no branch, tag or commit before the ancestry suffix", rev)
	}
	for _, c := range name {
		if c <= ' ' || c == 0x7f || c > 0x7e || strings.ContainsRune(`\?*[`, c) {
			return fmt.Errorf("revision %q: the name contains %q, which no branch, tag or commit has", rev, c)
		}
	}
	for i := 0; i < len(suffix); i++ {
		if c := suffix[i]; c != '~' && c != '^' && (c < '0' || c > '9') {
			return fmt.Errorf("revision %q: unexpected %q in the ancestry suffix %q; use ~N or ^N steps only", rev, string(c), suffix)
		}
	}
	return nil
}
