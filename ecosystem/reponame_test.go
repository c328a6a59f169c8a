package ecosystem

import (
	"strings"
	"testing"
)

func TestValidateRepoName(t *testing.T) {
	good := []string{"acme/sales", "github.com/acme/sales", "github.com/acme/.github", "gitlab.example.com/group/sub/project", "a/b_c.d-e"}
	for _, n := range good {
		if err := ValidateRepoName(n); err != nil {
			t.Errorf("ValidateRepoName(%q) = %v, want nil", n, err)
		}
	}
	bad := map[string]string{
		"":                           "empty",
		"owner/":                     "part 2",
		"/repo":                      "part 1",
		"no-slash":                   "at least two",
		"github.com//y":              "part 2",
		"a b/c":                      "space",
		"acme/sales ":                "trailing",
		" acme/sales":                "leading",
		"github.com/acme/s\u0430les": "non-ASCII",
		"acme/-x":                    "starts with '-'",
		"acme/../x":                  `".."`,
		"acme/x\ny":                  "control",
		"acme/x:y":                   `":"`,
		"acme/sa\\les":               `"\\"`,
	}
	for n, want := range bad {
		err := ValidateRepoName(n)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ValidateRepoName(%q) = %v, want an error containing %q", n, err, want)
		}
	}
}

func TestValidateBranchName(t *testing.T) {
	for _, b := range []string{"main", "release/2026.1", "Z0_T0_main", "feature-x", "v1.2", "x.locked", "a.b/c.d", "head", "@a", "a@b"} {
		if err := ValidateBranchName(b); err != nil {
			t.Errorf("ValidateBranchName(%q) = %v, want nil", b, err)
		}
	}
	for _, b := range []string{"", "@", "-x", "/x", "x/", "x.", "x.lock", "a..b", "a//b", "a@{u}", "a/.b", "a b", "a~1", "a^", "a:b", "a?", "a*", "a[", `a\b`, "ma\u0456n", "a\tb", "HEAD", ".x", "x/.y", "x.lock/y", "x/y.lock", "a\x7fb"} {
		if err := ValidateBranchName(b); err == nil {
			t.Errorf("ValidateBranchName(%q) = nil, want an error", b)
		}
	}
}

func TestValidateRepo(t *testing.T) {
	if err := ValidateRepo(Repo{Name: "acme/x", Branch: "main"}); err != nil {
		t.Fatal(err)
	}
	if err := ValidateRepo(Repo{Name: "acme/x", Branch: "a..b"}); err == nil {
		t.Fatal("a malformed branch passed")
	}
	if err := ValidateRepo(Repo{Name: "acme/", Branch: "main"}); err == nil {
		t.Fatal("a malformed name passed")
	}
}
