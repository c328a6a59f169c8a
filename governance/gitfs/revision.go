package gitfs

import (
	"fmt"
	"strconv"
	"strings"
)

// supportedForms is what an error about an unsupported revision offers
// instead.
const supportedForms = "give a branch, tag or commit (a remote-tracking branch such as origin/main, a full or abbreviated hash, git describe output), optionally followed by ~N, ^N, ^{} or ^{commit} (for example main~1, HEAD^2, v1.2^{commit})"

// maxStep bounds the N of one ~N or ^N step: no history or merge is that
// long, and the bound keeps the number from overflowing.
const maxStep = 1 << 24

// revision is a parsed revision: the name of an object, then the steps
// that walk from it to the commit wanted.
type revision struct {
	text  string // as given, for messages
	name  string // a ref name, hash, abbreviated hash or describe output
	steps []step
}

// stepKind is one kind of revision suffix.
type stepKind byte

const (
	stepAncestor stepKind = '~' // ~N: the N-th first-parent ancestor
	stepParent   stepKind = '^' // ^N: the N-th parent (^0: the commit itself)
	stepPeel     stepKind = '{' // ^{} or ^{commit}: peel tags down to the commit
)

// step is one suffix of a revision.
type step struct {
	kind stepKind
	n    int
}

// parseRevision parses rev the way `git rev-parse` reads a revision naming
// one commit, and refuses every form it would otherwise have to guess at or
// half-resolve: the reflog and upstream forms (@{upstream}, @{5}, @{-1},
// @{yesterday}), REV:PATH and :/text (files and searches), peels to
// non-commits (^{tree}, ^{blob}, ^{tag}, ^{object}), message searches
// (^{/text}), ranges (A..B, A...B) and revision sets (^A, A^!, A^@, A^-N).
// Each refusal names the revision and the forms that are supported.
func parseRevision(rev string) (revision, error) {
	unsupported := func(what string) (revision, error) {
		return revision{}, fmt.Errorf("%s is not supported; %s", what, supportedForms)
	}
	if rev == "" {
		return revision{}, fmt.Errorf("empty revision; %s", supportedForms)
	}
	switch {
	case strings.HasPrefix(rev, "^"):
		return unsupported("a leading ^ (it excludes commits from a revision set)")
	case strings.HasPrefix(rev, ":"):
		return unsupported("the :PATH and :/text forms (an index entry or a message search)")
	}
	end := strings.IndexAny(rev, "~^:")
	if at := strings.Index(rev, "@{"); at >= 0 && (end < 0 || at < end) {
		return unsupported("the @{...} suffix (reflog entry, upstream, push or date)")
	}
	if end < 0 {
		end = len(rev)
	}
	rv := revision{text: rev, name: rev[:end]}
	if strings.Contains(rv.name, "..") {
		return unsupported("a range (A..B or A...B)")
	}
	if rv.name == "" {
		return revision{}, fmt.Errorf("no branch, tag or commit before %q; %s", rev[end:], supportedForms)
	}
	if err := checkName(rv.name); err != nil {
		return revision{}, fmt.Errorf("%v; %s", err, supportedForms)
	}
	for i := end; i < len(rev); {
		c := rev[i]
		i++
		switch c {
		case '~', '^':
			if c == '^' && i < len(rev) {
				switch rev[i] {
				case '{':
					rbrace := strings.IndexByte(rev[i:], '}')
					if rbrace < 0 {
						return revision{}, fmt.Errorf("%q has no closing brace; %s", rev[i-1:], supportedForms)
					}
					inner := rev[i+1 : i+rbrace]
					switch {
					case inner == "" || inner == "commit":
						rv.steps = append(rv.steps, step{kind: stepPeel})
						i += rbrace + 1
						continue
					case strings.HasPrefix(inner, "/"):
						return unsupported("the ^{/text} message search")
					case inner == "tree" || inner == "blob" || inner == "tag" || inner == "object":
						return unsupported(fmt.Sprintf("^{%s} (it names a %s, and a model is read from a commit)", inner, peelNoun(inner)))
					}
					return revision{}, fmt.Errorf("unknown peel ^{%s}; %s", inner, supportedForms)
				case '!', '@', '-':
					return unsupported(fmt.Sprintf("the ^%c suffix (it names a set of commits, not one)", rev[i]))
				}
			}
			j := i
			for j < len(rev) && rev[j] >= '0' && rev[j] <= '9' {
				j++
			}
			n := 1
			if j > i {
				var err error
				if n, err = strconv.Atoi(rev[i:j]); err != nil || n > maxStep {
					return revision{}, fmt.Errorf("the step %q is too large; %s", rev[i-1:j], supportedForms)
				}
			}
			rv.steps = append(rv.steps, step{kind: stepKind(c), n: n})
			i = j
		case ':':
			return unsupported("the REV:PATH form (it names a file or folder, not a commit)")
		case '@':
			if i < len(rev) && rev[i] == '{' {
				return unsupported("the @{...} suffix (reflog entry, upstream, push or date)")
			}
			return revision{}, fmt.Errorf("unexpected %q after %q; %s", "@", rev[:i-1], supportedForms)
		case '.':
			if i < len(rev) && rev[i] == '.' {
				return unsupported("a range (A..B or A...B)")
			}
			fallthrough
		default:
			return revision{}, fmt.Errorf("unexpected %q after %q; %s", string(c), rev[:i-1], supportedForms)
		}
	}
	return rv, nil
}

// peelNoun names the kind of object a ^{type} peel yields.
func peelNoun(t string) string {
	if t == "object" {
		return "object of any type"
	}
	return t
}

// checkName refuses a name that no ref, hash or describe output can have,
// by git's rules for ref names (git check-ref-format): control characters,
// blanks, non-ASCII letters, \ ? * [, empty components or ones starting
// with a dot, and a trailing ".lock" or dot. A ref lookup of such a name
// would at best fail, at worst read a file that is not a ref.
func checkName(name string) error {
	for _, c := range name {
		if c <= ' ' || c == 0x7f || c > 0x7e || strings.ContainsRune(`\?*[`, c) {
			return fmt.Errorf("the name contains %q, which no branch, tag or commit has", c)
		}
	}
	if name == "@" {
		return nil // HEAD
	}
	for _, part := range strings.Split(name, "/") {
		switch {
		case part == "":
			return fmt.Errorf("the name %q has an empty component (a leading, trailing or doubled /)", name)
		case strings.HasPrefix(part, "."):
			return fmt.Errorf("the name %q has a component starting with a dot", name)
		case strings.HasSuffix(part, ".lock"):
			return fmt.Errorf("the name %q has a component ending in .lock", name)
		}
	}
	if strings.HasSuffix(name, ".") {
		return fmt.Errorf("the name %q ends with a dot", name)
	}
	return nil
}
