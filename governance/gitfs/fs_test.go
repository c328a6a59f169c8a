package gitfs_test

import (
	"errors"
	"io"
	"io/fs"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"

	"github.com/datasurface/datasurface-go/governance/gitfs"
	"github.com/datasurface/datasurface-go/governance/gitfs/gittest"
)

// first and second are the two commits on main of the fixture repository.
var (
	first = map[string][]byte{
		"eco.star":          []byte("# ecosystem v1\n"),
		"zones/usa.star":    []byte("# zone usa\n"),
		"teams/sales.star":  []byte("# sales v1\n"),
		"teams/a.b":         []byte("sorts after the folder teams/a in io/fs order, before it in git order\n"),
		"teams/a/deep.star": []byte("# deep\n"),
		"model/eco.star":    []byte("# a model in a folder\n"),
	}
	second = with(first, "teams/sales.star", "# sales v2\n")
)

func with(files map[string][]byte, name, content string) map[string][]byte {
	out := make(map[string][]byte, len(files)+1)
	for k, v := range files {
		out[k] = v
	}
	out[name] = []byte(content)
	return out
}

// fixture builds main with two commits, a feature branch from the first,
// and tags on the first commit.
func fixture(t *testing.T) (*gittest.Builder, plumbing.Hash, plumbing.Hash) {
	t.Helper()
	b := gittest.InMemory()
	c1, err := b.Commit("main", first)
	if err != nil {
		t.Fatal(err)
	}
	c2, err := b.Commit("main", second)
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Branch("feature", c1.String()); err != nil {
		t.Fatal(err)
	}
	if err := b.Tag("v1", "main~1", false); err != nil {
		t.Fatal(err)
	}
	if err := b.Tag("v1-annotated", "main~1", true); err != nil {
		t.Fatal(err)
	}
	return b, c1, c2
}

func TestRevisions(t *testing.T) {
	b, c1, c2 := fixture(t)
	repo := gitfs.New(b.Repo)
	for _, tc := range []struct {
		rev    string
		commit plumbing.Hash
	}{
		{"main", c2},
		{"HEAD", c2},
		{"refs/heads/main", c2},
		{"main~1", c1},
		{"HEAD~1", c1},
		{"main^", c1},
		{"main^1", c1},
		{"main~1^0", c1},
		{"feature", c1},
		{"v1", c1},
		{"v1-annotated", c1},
		{c1.String(), c1},
		{c2.String()[:8], c2},
	} {
		f, err := repo.FS(tc.rev)
		if err != nil {
			t.Errorf("FS(%q): %v", tc.rev, err)
			continue
		}
		if f.Commit() != tc.commit.String() {
			t.Errorf("FS(%q) resolved to %s, want %s", tc.rev, f.Commit(), tc.commit)
		}
		want := first["teams/sales.star"]
		if tc.commit == c2 {
			want = second["teams/sales.star"]
		}
		got, err := f.ReadFile("teams/sales.star")
		if err != nil || string(got) != string(want) {
			t.Errorf("FS(%q).ReadFile(teams/sales.star) = %q, %v; want %q", tc.rev, got, err, want)
		}
	}
}

// TestFSConformance runs the standard library's file system checker, which
// exercises Open, ReadDir (whole and in chunks), Stat, ReadFile, Sub and
// the listing order on both revisions.
func TestFSConformance(t *testing.T) {
	b, _, _ := fixture(t)
	repo := gitfs.New(b.Repo)
	for _, rev := range []string{"main", "v1"} {
		f, err := repo.FS(rev)
		if err != nil {
			t.Fatal(err)
		}
		if err := fstest.TestFS(f, "eco.star", "zones/usa.star", "teams/sales.star", "teams/a.b", "teams/a/deep.star", "model/eco.star"); err != nil {
			t.Errorf("revision %s: %v", rev, err)
		}
	}
}

func TestContentHash(t *testing.T) {
	b, _, _ := fixture(t)
	repo := gitfs.New(b.Repo)
	head, err := repo.FS("main")
	if err != nil {
		t.Fatal(err)
	}
	base, err := repo.FS("main~1")
	if err != nil {
		t.Fatal(err)
	}
	hash := func(f *gitfs.FS, name string) string {
		t.Helper()
		h, err := f.ContentHash(name)
		if err != nil {
			t.Fatalf("ContentHash(%s): %v", name, err)
		}
		return h
	}
	// The hash is git's blob hash of the content, computed here independently.
	for name, data := range second {
		if got, want := hash(head, name), plumbing.ComputeHash(plumbing.BlobObject, data).String(); got != want {
			t.Errorf("ContentHash(%s) = %s, want the blob hash %s", name, got, want)
		}
	}
	if hash(head, "eco.star") != hash(base, "eco.star") {
		t.Error("an unchanged file has different hashes in two revisions")
	}
	if hash(head, "teams/sales.star") == hash(base, "teams/sales.star") {
		t.Error("a changed file has the same hash in two revisions")
	}
	sub, err := head.Sub("model")
	if err != nil {
		t.Fatal(err)
	}
	hasher, ok := sub.(interface{ ContentHash(string) (string, error) })
	if !ok {
		t.Fatalf("Sub returned %T, which has no ContentHash", sub)
	}
	if h, err := hasher.ContentHash("eco.star"); err != nil || h != hash(head, "model/eco.star") {
		t.Errorf("Sub(model).ContentHash(eco.star) = %s, %v; want %s", h, err, hash(head, "model/eco.star"))
	}
	if _, err := head.ContentHash("teams"); err == nil || !strings.Contains(err.Error(), "is a directory") {
		t.Errorf("ContentHash of a folder: got %v, want an error saying it is a directory", err)
	}
	if _, err := head.ContentHash("nope.star"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("ContentHash of a missing file: got %v, want fs.ErrNotExist", err)
	}
}

func TestRevisionErrors(t *testing.T) {
	b, _, _ := fixture(t)
	repo := gitfs.New(b.Repo)
	for _, tc := range []struct {
		rev  string
		want []string
	}{
		{"Main", []string{`unknown revision "Main"`, "branches: feature, main"}},
		{"nope", []string{`unknown revision "nope"`, "branches: feature, main"}},
		{"main~5", []string{`"main~5"`, "past the first commit"}},
		{"main^2", []string{`"main^2"`, "asks for parent 2", "which has 1"}},
		{"", []string{"empty revision", "feature, main"}},
		{"main^{tree", []string{`"main^{tree"`, "no closing brace", "^{commit}"}},
		// Forms go-git parses but ignores: each would silently read main.
		{"main@{upstream}", []string{`"main@{upstream}"`, "@{...}", "not supported"}},
		{"main@{5}", []string{`"main@{5}"`, "@{...}", "not supported"}},
		{"@{5}", []string{`"@{5}"`, "not supported"}},
		{"@{-1}", []string{`"@{-1}"`, "not supported"}},
		{"main:eco.star", []string{`"main:eco.star"`, "REV:PATH", "not supported"}},
		{"main^{tree}", []string{`"main^{tree}"`, "^{tree}", "not supported"}},
		{"main^{blob}", []string{`"main^{blob}"`, "^{blob}", "not supported"}},
		{"main^{bogus}", []string{`unknown peel ^{bogus}`}},
		{"main~1^{/fix}", []string{"^{/text}", "not supported"}},
		{"feature..main", []string{"range", "not supported"}},
		{"~1", []string{"no branch, tag or commit"}},
		{"main~x", []string{`unexpected "x"`}},
		{"main~99999999999999999999", []string{"too large"}},
		{"ma in", []string{`contains ' '`}},
		{"main/", []string{"empty component"}},
		{"refs/heads/.hidden", []string{"starting with a dot"}},
		{"main.lock", []string{".lock"}},
		{"c", []string{`unknown revision "c"`}},
	} {
		_, err := repo.FS(tc.rev)
		if err == nil {
			t.Errorf("FS(%q): no error", tc.rev)
			continue
		}
		for _, w := range tc.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("FS(%q) error %q does not contain %q", tc.rev, err, w)
			}
		}
	}
}

func TestBranchListIsBounded(t *testing.T) {
	b := gittest.InMemory()
	if _, err := b.Commit("b0", first); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"b1", "b2", "b3", "b4", "b5", "b6"} {
		if err := b.Branch(name, "b0"); err != nil {
			t.Fatal(err)
		}
	}
	_, err := gitfs.New(b.Repo).FS("b7")
	if err == nil || !strings.Contains(err.Error(), "branches: b0, b1, b2, b3, b4 (and 2 more)") {
		t.Errorf("got %v, want the first five branches and a count of the rest", err)
	}
}

func TestEmptyRepository(t *testing.T) {
	_, err := gitfs.New(gittest.InMemory().Repo).FS("main")
	if err == nil || !strings.Contains(err.Error(), "no branches yet") {
		t.Errorf("got %v, want an error saying the repository has no branches yet", err)
	}
}

func TestOpenOnDisk(t *testing.T) {
	for _, bare := range []bool{true, false} {
		dir := t.TempDir()
		b, err := gittest.Init(dir, bare)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := b.Commit("eco_main", first); err != nil {
			t.Fatal(err)
		}
		if err := b.Repack(); err != nil {
			t.Fatal(err)
		}
		paths := []string{dir}
		if !bare {
			// A folder inside a worktree finds the .git above it, like git does.
			sub := filepath.Join(dir, "deeper")
			if err := mkdir(sub); err != nil {
				t.Fatal(err)
			}
			paths = append(paths, sub)
		}
		for _, p := range paths {
			repo, err := gitfs.Open(p)
			if err != nil {
				t.Fatalf("bare=%v Open(%s): %v", bare, p, err)
			}
			f, err := repo.FS("eco_main")
			if err != nil {
				t.Fatal(err)
			}
			if got, err := f.ReadFile("eco.star"); err != nil || string(got) != string(first["eco.star"]) {
				t.Errorf("bare=%v: ReadFile(eco.star) = %q, %v", bare, got, err)
			}
		}
	}
}

func TestOpenErrors(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "file")
	if err := writeFile(file, "x"); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ path, want string }{
		{dir, "is not a git repository"},
		{filepath.Join(dir, "missing"), "no such folder"},
		{file, "is a file, not a git repository"},
	} {
		_, err := gitfs.Open(tc.path)
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), tc.path) {
			t.Errorf("Open(%s) = %v, want an error naming the path and saying %q", tc.path, err, tc.want)
		}
	}
}

func TestFileErrors(t *testing.T) {
	b := gittest.InMemory()
	dangling := plumbing.ComputeHash(plumbing.BlobObject, []byte("never written"))
	_, err := b.CommitEntries("main", map[string]gittest.File{
		"eco.star":     {Data: []byte("x")},
		"link.star":    {Data: []byte("eco.star"), Mode: filemode.Symlink},
		"vendored":     {Mode: filemode.Submodule, Hash: plumbing.ComputeHash(plumbing.CommitObject, []byte("elsewhere"))},
		"lost.star":    {Hash: dangling},
		"run.sh":       {Data: []byte("#!/bin/sh\n"), Mode: filemode.Executable},
		"dir/one.star": {Data: []byte("1")},
	})
	if err != nil {
		t.Fatal(err)
	}
	f, err := gitfs.New(b.Repo).FS("main")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, want string
		is         error
	}{
		{"missing.star", "", fs.ErrNotExist},
		{"eco.star/inside", "", fs.ErrNotExist},
		{"/eco.star", "", fs.ErrInvalid},
		{"../eco.star", "", fs.ErrInvalid},
		{"dir", "is a directory", nil},
		{"link.star", "symbolic link", nil},
		{"vendored", "submodule", nil},
		{"lost.star", "unreadable git object " + dangling.String(), nil},
		{"lost.star", "the object is missing; the repository is incomplete or damaged", nil},
	} {
		_, err := f.ReadFile(tc.name)
		switch {
		case err == nil:
			t.Errorf("ReadFile(%s): no error", tc.name)
		case tc.is != nil && !errors.Is(err, tc.is):
			t.Errorf("ReadFile(%s) = %v, want %v", tc.name, err, tc.is)
		case tc.want != "" && !strings.Contains(err.Error(), tc.want):
			t.Errorf("ReadFile(%s) = %v, want it to say %q", tc.name, err, tc.want)
		case err != nil && !strings.Contains(err.Error(), tc.name):
			t.Errorf("ReadFile(%s) = %v, want it to name the file", tc.name, err)
		}
	}
	if _, err := f.Open("lost.star"); err == nil || !strings.Contains(err.Error(), "unreadable git object") {
		t.Errorf("Open of a dangling entry: %v", err)
	}
	// Listing a folder never reads blobs, so it works despite the dangling entry.
	entries, err := f.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name()+":"+e.Type().String())
	}
	if got, want := strings.Join(names, " "), "dir:d--------- eco.star:---------- link.star:L--------- lost.star:---------- run.sh:---------- vendored:?---------"; got != want {
		t.Errorf("ReadDir(.) = %s, want %s", got, want)
	}
	if st, err := f.Stat("run.sh"); err != nil || st.Mode() != 0o555 || st.Size() != 10 {
		t.Errorf("Stat(run.sh) = %v, %v; want an executable of 10 bytes", st, err)
	}
	if st, err := f.Stat("eco.star"); err != nil || !st.ModTime().Equal(gittest.Epoch) {
		t.Errorf("Stat(eco.star).ModTime = %v, %v; want the commit time %v", st, err, gittest.Epoch)
	}
}

// TestConcurrentReads reads every file from many goroutines at once; run
// with -race it checks that the FS and the repository serialise correctly.
func TestConcurrentReads(t *testing.T) {
	b, _, _ := fixture(t)
	repo := gitfs.New(b.Repo)
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for i := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rev := []string{"main", "v1"}[i%2]
			f, err := repo.FS(rev)
			if err != nil {
				errs <- err
				return
			}
			for name := range first {
				fh, err := f.Open(name)
				if err != nil {
					errs <- err
					return
				}
				if _, err := io.ReadAll(fh); err != nil {
					errs <- err
				}
				fh.Close()
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// TestShallowCloneSaysSo keeps a revision that reaches past a shallow
// clone's history from reading like a wrong revision name.
func TestShallowCloneSaysSo(t *testing.T) {
	b, _, c2 := fixture(t)
	if err := b.Repo.Storer.SetShallow([]plumbing.Hash{c2}); err != nil {
		t.Fatal(err)
	}
	repo := gitfs.New(b.Repo)
	for _, rev := range []string{"main~5", "no-such-branch"} {
		_, err := repo.FS(rev)
		if err == nil || !strings.Contains(err.Error(), "the clone is shallow") || !strings.Contains(err.Error(), "fetch-depth: 0") {
			t.Errorf("FS(%q) in a shallow clone: %v; want it to say the clone is shallow and how to fetch the history", rev, err)
		}
	}
	// A complete clone does not mention it.
	b2, _, _ := fixture(t)
	if _, err := gitfs.New(b2.Repo).FS("main~5"); err == nil || strings.Contains(err.Error(), "shallow") {
		t.Errorf("complete clone: %v", err)
	}
}
