package gitfs_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/datasurface/datasurface-go/governance/gitfs"
	"github.com/datasurface/datasurface-go/governance/gitfs/gittest"
)

// gitCLI runs the git command line in dir with no user or system
// configuration, or skips the test when git is not installed.
func gitCLI(t *testing.T, dir string, args ...string) (string, error) {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	cmd := exec.Command("git", append([]string{"-C", dir}, args...)...)
	cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null", "HOME="+t.TempDir())
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		err = fmt.Errorf("git %s: %w: %s", strings.Join(args, " "), err, stderr.String())
	}
	return strings.TrimSpace(string(out)), err
}

// history is a repository with the shapes revisions walk: an octopus
// merge, annotated tags and a tag of a tag, remote-tracking branches, and
// a branch whose name is also the start of another commit's hash.
type history struct {
	dir                string
	c1, c2, a1, b1, m  plumbing.Hash
	hexBranch, nowhere string
}

func buildHistory(t *testing.T) history {
	t.Helper()
	h := history{dir: t.TempDir()}
	b, err := gittest.Init(h.dir, true)
	if err != nil {
		t.Fatal(err)
	}
	must := func(hash plumbing.Hash, err error) plumbing.Hash {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return hash
	}
	h.c1 = must(b.Commit("main", first))
	h.c2 = must(b.Commit("main", second))
	for _, br := range []string{"a", "b"} {
		if err := b.Branch(br, h.c1.String()); err != nil {
			t.Fatal(err)
		}
	}
	h.a1 = must(b.Commit("a", with(first, "a.star", "# a\n")))
	h.b1 = must(b.Commit("b", with(first, "b.star", "# b\n")))
	h.m = must(b.Merge("main", []string{"a", "b"}, with(with(second, "a.star", "# a\n"), "b.star", "# b\n")))
	if err := b.Tag("v1", h.c2.String(), true); err != nil {
		t.Fatal(err)
	}
	v1, err := b.Repo.Tag("v1")
	if err != nil {
		t.Fatal(err)
	}
	// A tag of the v1 tag object: peeling it takes two steps.
	if _, err := b.Repo.CreateTag("nested", v1.Hash(), &git.CreateTagOptions{Tagger: &object.Signature{Name: gittest.AuthorName, Email: gittest.AuthorEmail, When: gittest.Epoch}, Message: "tag of a tag"}); err != nil {
		t.Fatal(err)
	}
	if err := b.Tag("light", h.a1.String(), false); err != nil {
		t.Fatal(err)
	}
	// A branch named like the start of c1's hash but pointing at b1: git
	// reads the name as the branch.
	h.hexBranch = h.c1.String()[:6]
	if err := b.Branch(h.hexBranch, h.b1.String()); err != nil {
		t.Fatal(err)
	}
	// A hex name that is neither a ref nor the start of a commit's hash.
	for _, cand := range []string{"abcd", "bcde", "cdef", "dcba", "fedc"} {
		if !strings.HasPrefix(h.c1.String(), cand) && !strings.HasPrefix(h.c2.String(), cand) && !strings.HasPrefix(h.a1.String(), cand) &&
			!strings.HasPrefix(h.b1.String(), cand) && !strings.HasPrefix(h.m.String(), cand) {
			h.nowhere = cand
			break
		}
	}
	st := b.Repo.Storer
	for _, ref := range []*plumbing.Reference{
		plumbing.NewHashReference("refs/remotes/origin/main", h.c2),
		plumbing.NewSymbolicReference("refs/remotes/origin/HEAD", "refs/remotes/origin/main"),
	} {
		if err := st.SetReference(ref); err != nil {
			t.Fatal(err)
		}
	}
	if err := b.Repack(); err != nil {
		t.Fatal(err)
	}
	return h
}

// TestRevisionsLikeGit resolves each revision with gitfs and with `git
// rev-parse REV^{commit}` on the same repository: where git resolves a
// revision, gitfs must name the same commit; where git refuses, so must
// gitfs.
func TestRevisionsLikeGit(t *testing.T) {
	h := buildHistory(t)
	if _, err := gitCLI(t, h.dir, "version"); err != nil {
		t.Skipf("git does not run: %v", err)
	}
	repo, err := gitfs.Open(h.dir)
	if err != nil {
		t.Fatal(err)
	}
	revs := []string{
		"main", "HEAD", "@", "@~1", "refs/heads/main", "heads/main",
		"main~", "main~1", "main~2", "main~3", "main^", "main^0", "main^1", "main^2", "main^3", "main^4",
		"main^^", "main^3~1", "main^2^", "main~1^2",
		"main^{}", "main^{commit}", "main^{}~1", "main~1^{commit}",
		"v1", "v1^{}", "v1^{commit}", "v1~1", "nested", "nested^{}", "nested~1", "light",
		"origin/main", "origin", "remotes/origin/main",
		h.hexBranch, h.hexBranch + "~1",
		h.c1.String(), strings.ToUpper(h.c1.String()), h.c2.String()[:7], h.m.String()[:12], h.b1.String()[:4],
		h.c1.String()[:3], h.nowhere,
		"v1-1-g" + h.m.String()[:7], "anything-g" + h.a1.String()[:8],
		"nope", "main/x", "a~1", "b^2",
	}
	for _, rev := range revs {
		want, gitErr := gitCLI(t, h.dir, "rev-parse", "--verify", "--quiet", rev+"^{commit}")
		f, err := repo.FS(rev)
		switch {
		case gitErr != nil && err == nil:
			t.Errorf("FS(%q) resolved to %s, but git does not resolve it", rev, f.Commit())
		case gitErr == nil && err != nil:
			t.Errorf("FS(%q): %v; git resolves it to %s", rev, err, want)
		case gitErr == nil && f.Commit() != want:
			t.Errorf("FS(%q) = %s, git says %s", rev, f.Commit(), want)
		}
	}
}

// TestRefusedRevisionsAreRealGit: every form gitfs refuses is one git
// accepts, so refusing (rather than reading the named branch) is what
// keeps a check from reading another commit than the one meant.
func TestRefusedRevisionsAreRealGit(t *testing.T) {
	h := buildHistory(t)
	repo, err := gitfs.Open(h.dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ rev, want string }{
		{"main^{tree}", "^{tree}"},
		{"main:eco.star", "REV:PATH"},
		{"main~1^{/commit}", "^{/text}"},
		{"main^{object}", "^{object}"},
		{"v1^{tag}", "^{tag}"},
		{"main..a", "range"},
		{"main...a", "range"},
		{"^main", "leading ^"},
		{"main^!", "^!"},
		{"main^@", "^@"},
		{"main^-1", "^-"},
		{":/commit", ":/text"},
	} {
		_, err := repo.FS(tc.rev)
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "is not supported") ||
			!strings.Contains(err.Error(), fmt.Sprintf("%q", tc.rev)) || !strings.Contains(err.Error(), "~N, ^N, ^{} or ^{commit}") {
			t.Errorf("FS(%q) = %v; want a refusal naming the revision, %q and the supported forms", tc.rev, err, tc.want)
		}
		if _, gitErr := gitCLI(t, h.dir, "rev-parse", tc.rev); gitErr != nil {
			t.Errorf("git rev-parse %s fails, so the refusal test proves nothing", tc.rev)
		}
	}
}

// TestAmbiguousAbbreviation: an abbreviated hash that starts two commits'
// hashes is refused with both, as git refuses it, instead of taking
// whichever commit the object store lists first.
func TestAmbiguousAbbreviation(t *testing.T) {
	b := gittest.InMemory()
	seen := map[string]plumbing.Hash{}
	var prefix string
	var pair [2]plumbing.Hash
	for i := 0; prefix == "" && i < 5000; i++ {
		h, err := b.Commit(fmt.Sprintf("b%d", i), map[string][]byte{"eco.star": []byte(fmt.Sprintf("# %d\n", i))})
		if err != nil {
			t.Fatal(err)
		}
		p := h.String()[:4]
		if other, ok := seen[p]; ok {
			prefix, pair = p, [2]plumbing.Hash{other, h}
		}
		seen[p] = h
	}
	if prefix == "" {
		t.Fatal("no two commits share four hex digits")
	}
	repo := gitfs.New(b.Repo)
	_, err := repo.FS(prefix)
	if err == nil || !strings.Contains(err.Error(), "is ambiguous") || !strings.Contains(err.Error(), pair[0].String()[:12]) || !strings.Contains(err.Error(), pair[1].String()[:12]) {
		t.Errorf("FS(%s) = %v; want an ambiguity error naming %s and %s", prefix, err, pair[0], pair[1])
	}
	for _, h := range pair {
		f, err := repo.FS(h.String()[:12])
		if err != nil || f.Commit() != h.String() {
			t.Errorf("FS(%s) = %v; want commit %s", h.String()[:12], err, h)
		}
	}
}

// TestPartialCloneSaysSo clones with --filter as actions/checkout can, and
// checks that what the clone lacks is reported as a partial clone, with
// the fix, rather than as a missing or corrupt object.
func TestPartialCloneSaysSo(t *testing.T) {
	src := filepath.Join(t.TempDir(), "src")
	if err := gittest.WritePullRequest(src, "main", first, "pr", second); err != nil {
		t.Fatal(err)
	}
	if _, err := gitCLI(t, src, "config", "uploadpack.allowFilter", "true"); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ filter, failsAt string }{{"blob:none", "read"}, {"tree:0", "revision"}} {
		dst := filepath.Join(t.TempDir(), "clone")
		if _, err := gitCLI(t, ".", "clone", "-q", "--bare", "--filter="+tc.filter, "file://"+src, dst); err != nil {
			t.Skipf("git clone --filter: %v", err)
		}
		repo, err := gitfs.Open(dst)
		if err != nil {
			t.Fatal(err)
		}
		f, err := repo.FS("pr")
		if tc.failsAt == "read" {
			if err != nil {
				t.Fatal(err)
			}
			_, err = f.ReadFile("teams/sales.star")
		}
		if err == nil || !strings.Contains(err.Error(), "the clone is partial") || !strings.Contains(err.Error(), "leave filter unset") {
			t.Errorf("--filter=%s: %v; want it to say the clone is partial and how to clone", tc.filter, err)
		}
	}
}

// TestShallowParent: a revision that steps past a shallow clone's cut is
// reported as the cut, and a merge's missing parent as a count.
func TestShallowParent(t *testing.T) {
	h := buildHistory(t)
	repo, err := gitfs.Open(h.dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := repo.FS("main^5"); err == nil || !strings.Contains(err.Error(), "asks for parent 5") || !strings.Contains(err.Error(), "which has 3") {
		t.Errorf("main^5: %v", err)
	}
	if err := os.WriteFile(filepath.Join(h.dir, "shallow"), []byte(h.c2.String()+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	repo, err = gitfs.Open(h.dir)
	if err != nil {
		t.Fatal(err)
	}
	if f, err := repo.FS("main~1"); err != nil || f.Commit() != h.c2.String() {
		t.Errorf("main~1 in the shallow clone: %v", err)
	}
	if _, err := repo.FS("main~2"); err == nil || !strings.Contains(err.Error(), "the clone is shallow") || !strings.Contains(err.Error(), "fetch-depth: 0") {
		t.Errorf("main~2 past the shallow cut: %v; want it to say the clone is shallow", err)
	}
}

// TestOpenRefusedExtension: a clone go-git cannot open says which git
// option made it so.
func TestOpenRefusedExtension(t *testing.T) {
	dir := t.TempDir()
	if _, err := gittest.Init(dir, true); err != nil {
		t.Fatal(err)
	}
	cfg, err := os.ReadFile(filepath.Join(dir, "config"))
	if err != nil {
		t.Fatal(err)
	}
	cfg = append(cfg, "[extensions]\n\tworktreeConfig = true\n"...)
	if err := os.WriteFile(filepath.Join(dir, "config"), cfg, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := gitfs.Open(dir); err == nil || !strings.Contains(err.Error(), "sparse-checkout") {
		t.Errorf("Open of a repository with extensions.worktreeConfig: %v; want it to name sparse checkout", err)
	}
}
