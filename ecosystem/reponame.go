package ecosystem

import (
	"fmt"
	"strings"
)

// ValidateRepoName reports whether name is a well-formed repository name: two
// or more slash-separated segments ("owner/repo" or "host/owner/repo"), each
// made of ASCII letters, digits, '-', '_' and '.', not "." or "..", and not
// starting with '-'. Ownership is decided by exact repository identity, so a
// name that only looks right (a trailing space, a look-alike letter, an empty
// segment) would own nothing anyone can push from; it is refused instead.
// The error says what is wrong with the value; it does not repeat the value.
func ValidateRepoName(name string) error {
	if name == "" {
		return fmt.Errorf("the repository name is empty")
	}
	if err := printableASCII(name); err != nil {
		return err
	}
	segs := strings.Split(name, "/")
	if len(segs) < 2 {
		return fmt.Errorf("a repository name has at least two '/'-separated parts (owner/repo or host/owner/repo)")
	}
	for i, s := range segs {
		switch {
		case s == "":
			return fmt.Errorf("part %d of the repository name is empty", i+1)
		case s == "." || s == "..":
			return fmt.Errorf("part %d of the repository name is %q", i+1, s)
		case s[0] == '-':
			return fmt.Errorf("part %d of the repository name starts with '-'", i+1)
		}
		for _, c := range []byte(s) {
			if !isRepoByte(c) {
				return fmt.Errorf("the repository name contains %q; use only ASCII letters, digits, '-', '_', '.' and '/'", string(c))
			}
		}
	}
	return nil
}

// ValidateBranchName reports whether branch is a branch name git accepts
// (the rules of git check-ref-format, plus those of git branch: not "HEAD",
// not starting with '-') made of printable ASCII only, so that a space or a
// look-alike letter cannot make a branch that only looks like another.
func ValidateBranchName(branch string) error {
	if branch == "" {
		return fmt.Errorf("the branch name is empty")
	}
	if err := printableASCII(branch); err != nil {
		return err
	}
	switch {
	case branch == "@", branch == "HEAD":
		return fmt.Errorf("the branch name %q is reserved by git", branch)
	case strings.HasPrefix(branch, "-"), strings.HasPrefix(branch, "/"):
		return fmt.Errorf("a branch name cannot start with %q", branch[:1])
	case strings.HasSuffix(branch, "/"), strings.HasSuffix(branch, "."):
		return fmt.Errorf("a branch name cannot end with %q", branch[len(branch)-1:])
	}
	for _, bad := range []string{"..", "//", "@{"} {
		if strings.Contains(branch, bad) {
			return fmt.Errorf("a branch name cannot contain %q", bad)
		}
	}
	if i := strings.IndexAny(branch, "~^:?*[\\"); i >= 0 {
		return fmt.Errorf("a branch name cannot contain %q", string(branch[i]))
	}
	for _, part := range strings.Split(branch, "/") {
		if strings.HasPrefix(part, ".") || strings.HasSuffix(part, ".lock") {
			return fmt.Errorf("no '/'-separated part of a branch name can start with '.' or end with \".lock\" (%q does)", part)
		}
	}
	return nil
}

// ValidateRepo validates both the name and the branch of r.
func ValidateRepo(r Repo) error {
	if err := ValidateRepoName(r.Name); err != nil {
		return err
	}
	return ValidateBranchName(r.Branch)
}

func isRepoByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.'
}

// printableASCII refuses whitespace, control characters and anything outside
// ASCII, naming the first offender so look-alike letters are visible.
func printableASCII(s string) error {
	for i, r := range s {
		switch {
		case r == ' ':
			if i == 0 || i == len(s)-1 {
				return fmt.Errorf("it has a leading or trailing space")
			}
			return fmt.Errorf("it contains a space")
		case r < 0x20 || r == 0x7f:
			return fmt.Errorf("it contains the control character %U", r)
		case r > 0x7e:
			return fmt.Errorf("it contains the non-ASCII character %q (%U), which may look like an ASCII one", r, r)
		}
	}
	return nil
}
