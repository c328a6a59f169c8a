package gitfs

import (
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/plumbing/storer"
)

// Revisions are resolved here rather than by go-git's ResolveRevision,
// which differs from git where it matters for a check: it tries a name as
// an abbreviated hash before trying it as a branch (so a branch named
// "cafe" or "add" reads whichever commit's hash starts with those letters),
// accepts a single hex digit as a hash, takes the first of several
// commits an abbreviated hash matches, refuses ^3 (an octopus merge's third
// parent), cannot peel a tag of a tag, and ignores the suffixes it does not
// implement. The order below is git's (get_oid_basic and get_oid_1 in
// git's object-name.c), in the commit-wanted context of
// `git rev-parse REV^{commit}`.

// minAbbrev is the shortest abbreviated hash git accepts.
const minAbbrev = 4

// hexLen is the length of a full hash in hex.
var hexLen = len(plumbing.ZeroHash) * 2

// resolveLocked resolves a parsed revision to a commit, exactly as
// `git rev-parse --verify REV^{commit}` does.
func (r *Repository) resolveLocked(rv revision) (*object.Commit, error) {
	h, err := r.resolveNameLocked(rv)
	if err != nil {
		return nil, err
	}
	c, err := r.peelLocked(rv, h)
	if err != nil {
		return nil, err
	}
	var shallow map[plumbing.Hash]bool
	if hashes, err := r.repo.Storer.Shallow(); err == nil && len(hashes) > 0 {
		shallow = make(map[plumbing.Hash]bool, len(hashes))
		for _, h := range hashes {
			shallow[h] = true
		}
	}
	for _, s := range rv.steps {
		switch s.kind {
		case stepAncestor:
			for range s.n {
				if c, err = r.parentLocked(rv, c, 1, shallow); err != nil {
					return nil, err
				}
			}
		case stepParent:
			if s.n > 0 {
				if c, err = r.parentLocked(rv, c, s.n, shallow); err != nil {
					return nil, err
				}
			}
		case stepPeel:
			// c is already a commit: tags were peeled when the name was.
		}
	}
	return c, nil
}

// resolveNameLocked returns the object the revision's name stands for: a
// full hash as is, then a ref by git's lookup rules (the name, refs/NAME,
// refs/tags/NAME, refs/heads/NAME, refs/remotes/NAME,
// refs/remotes/NAME/HEAD), then git describe output (...-gHASH), then an
// abbreviated hash of at least four digits naming exactly one commit.
func (r *Repository) resolveNameLocked(rv revision) (plumbing.Hash, error) {
	name := rv.name
	if name == "@" {
		name = "HEAD"
	}
	if len(name) == hexLen && isHex(name) {
		return plumbing.NewHash(strings.ToLower(name)), nil
	}
	if ref, ok := r.refLocked(name); ok {
		return ref.Hash(), nil
	}
	if short, ok := describedHash(name); ok {
		return r.abbreviatedLocked(rv, short, true)
	}
	if len(name) >= minAbbrev && len(name) < hexLen && isHex(name) {
		return r.abbreviatedLocked(rv, name, false)
	}
	return plumbing.ZeroHash, fmt.Errorf("gitfs: unknown revision %q in %s; %s%s", rv.text, r.where, r.someBranchesLocked(), r.shallowNoteLocked())
}

// refLocked looks name up as a ref by git's rules, in git's order. Like
// recent git, a name outside refs/ is looked up as is only when it is
// HEAD or a pseudo-ref (FETCH_HEAD, ORIG_HEAD), never as another file of
// the git folder.
func (r *Repository) refLocked(name string) (*plumbing.Reference, bool) {
	for _, rule := range plumbing.RefRevParseRules {
		if rule == "%s" && !strings.HasPrefix(name, "refs/") && !isPseudoRef(name) {
			continue
		}
		// Any failure (no such ref, a dangling symbolic ref, a path through
		// a file) means this rule does not name a ref, as in git.
		if ref, err := storer.ResolveReference(r.repo.Storer, plumbing.ReferenceName(fmt.Sprintf(rule, name))); err == nil && ref != nil {
			return ref, true
		}
	}
	return nil, false
}

// isPseudoRef reports whether name has the form of HEAD and the other refs
// git keeps at the top of its folder: upper-case letters, '_' and '-'.
func isPseudoRef(name string) bool {
	for _, c := range name {
		if !(c >= 'A' && c <= 'Z' || c == '_' || c == '-') {
			return false
		}
	}
	return name != ""
}

// describedHash returns the abbreviated hash of git describe output
// ("v1.2-3-gabc1234"): the hex digits after the last "-g", if there are at
// least four of them and nothing else.
func describedHash(name string) (string, bool) {
	i := strings.LastIndex(name, "-g")
	if i < 1 {
		return "", false
	}
	short := name[i+2:]
	return short, len(short) >= minAbbrev && len(short) < hexLen && isHex(short)
}

// abbreviatedLocked resolves an abbreviated hash to the one commit (or,
// unless commitsOnly, annotated tag of a commit) whose hash starts with
// it. Objects of other types do not count, as in git's commit-wanted
// context; two or more candidates are an error listing them.
func (r *Repository) abbreviatedLocked(rv revision, short string, commitsOnly bool) (plumbing.Hash, error) {
	prefix := strings.ToLower(short)
	seen := map[plumbing.Hash]bool{}
	var found []plumbing.Hash
	for _, h := range r.hashesWithPrefixLocked(prefix) {
		if seen[h] {
			continue
		}
		seen[h] = true
		obj, err := r.repo.Storer.EncodedObject(plumbing.AnyObject, h)
		if err != nil {
			continue
		}
		switch obj.Type() {
		case plumbing.CommitObject:
			found = append(found, h)
		case plumbing.TagObject:
			if !commitsOnly {
				if _, err := r.peelLocked(rv, h); err == nil {
					found = append(found, h)
				}
			}
		}
	}
	switch len(found) {
	case 0:
		return plumbing.ZeroHash, fmt.Errorf("gitfs: unknown revision %q in %s: no branch or tag has that name and no commit's hash starts with %s; %s%s", rv.text, r.where, prefix, r.someBranchesLocked(), r.shallowNoteLocked())
	case 1:
		return found[0], nil
	}
	names := make([]string, len(found))
	for i, h := range found {
		names[i] = h.String()[:12]
	}
	return plumbing.ZeroHash, fmt.Errorf("gitfs: revision %q of %s is ambiguous: %d commits have hashes starting with %s (%s); give more digits of the hash", rv.text, r.where, len(found), prefix, strings.Join(names, ", "))
}

// hashesWithPrefixLocked lists the objects whose hashes start with the hex
// digits of prefix (lower case): through the on-disk storage's index when
// it has one, else by walking every object.
func (r *Repository) hashesWithPrefixLocked(prefix string) []plumbing.Hash {
	even, err := hex.DecodeString(prefix[:len(prefix)&^1])
	if err != nil {
		return nil
	}
	var candidates []plumbing.Hash
	type prefixLister interface {
		HashesWithPrefix(prefix []byte) ([]plumbing.Hash, error)
	}
	if pl, ok := r.repo.Storer.(prefixLister); ok {
		candidates, _ = pl.HashesWithPrefix(even)
	} else if iter, err := r.repo.Storer.IterEncodedObjects(plumbing.AnyObject); err == nil {
		_ = iter.ForEach(func(o plumbing.EncodedObject) error {
			if h := o.Hash(); strings.HasPrefix(h.String(), prefix) {
				candidates = append(candidates, h)
			}
			return nil
		})
	}
	var out []plumbing.Hash
	for _, h := range candidates {
		if strings.HasPrefix(h.String(), prefix) {
			out = append(out, h)
		}
	}
	return out
}

// maxPeel bounds a chain of tags of tags.
const maxPeel = 32

// peelLocked follows annotated tags from h down to the commit they name.
func (r *Repository) peelLocked(rv revision, h plumbing.Hash) (*object.Commit, error) {
	for range maxPeel {
		obj, err := r.repo.Object(plumbing.AnyObject, h)
		if errors.Is(err, plumbing.ErrObjectNotFound) {
			if h.String() == strings.ToLower(rv.name) {
				return nil, fmt.Errorf("gitfs: unknown revision %q in %s: no object has that hash%s", rv.text, r.where, r.missingNoteLocked())
			}
			return nil, fmt.Errorf("gitfs: revision %q of %s names object %s, which the repository does not have%s", rv.text, r.where, h, r.missingNoteLocked())
		}
		if err != nil {
			return nil, fmt.Errorf("gitfs: revision %q of %s: reading object %s: %w", rv.text, r.where, h, err)
		}
		switch o := obj.(type) {
		case *object.Commit:
			return o, nil
		case *object.Tag:
			h = o.Target
		default:
			return nil, fmt.Errorf("gitfs: revision %q of %s names a %s (%s), not a commit; %s", rv.text, r.where, obj.Type(), h, supportedForms)
		}
	}
	return nil, fmt.Errorf("gitfs: revision %q of %s: more than %d tags of tags", rv.text, r.where, maxPeel)
}

// parentLocked returns the n-th parent (from 1) of c. A shallow clone's
// boundary commits have no parents, as in git.
func (r *Repository) parentLocked(rv revision, c *object.Commit, n int, shallow map[plumbing.Hash]bool) (*object.Commit, error) {
	if shallow[c.Hash] {
		return nil, fmt.Errorf("gitfs: revision %q of %s reaches past the history the clone has (commit %s is where it was cut)%s", rv.text, r.where, c.Hash.String()[:12], r.shallowNoteLocked())
	}
	switch parents := len(c.ParentHashes); {
	case parents == 0:
		return nil, fmt.Errorf("gitfs: revision %q of %s reaches past the first commit of the history (%s has no parent)", rv.text, r.where, c.Hash.String()[:12])
	case n > parents:
		return nil, fmt.Errorf("gitfs: revision %q of %s asks for parent %d of commit %s, which has %d", rv.text, r.where, n, c.Hash.String()[:12], parents)
	}
	p, err := r.repo.CommitObject(c.ParentHashes[n-1])
	if errors.Is(err, plumbing.ErrObjectNotFound) {
		return nil, fmt.Errorf("gitfs: revision %q of %s needs commit %s, which the repository does not have%s", rv.text, r.where, c.ParentHashes[n-1], r.missingNoteLocked())
	}
	if err != nil {
		return nil, fmt.Errorf("gitfs: revision %q of %s: reading commit %s: %w", rv.text, r.where, c.ParentHashes[n-1], err)
	}
	return p, nil
}

// isHex reports whether s is made of hexadecimal digits only (either case,
// as git accepts).
func isHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return s != ""
}
