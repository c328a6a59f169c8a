package main

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"github.com/datasurface/datasurface-go/ecosystem"
)

// checkSource returns the pull request's source repository: the --source
// flag, else the head repository and branch of the GitHub Actions pull
// request event (GITHUB_EVENT_PATH), on the host of GITHUB_SERVER_URL.
//
// It never falls back to GITHUB_REPOSITORY: on pull request events that is
// the base repository, so a fork's branch named like an owner's branch would
// pass as the owner. Without a trustworthy head repository it refuses.
func checkSource(flagValue string, getenv func(string) string) (ecosystem.Repo, error) {
	if flagValue != "" {
		return ecosystem.ParseRepo(flagValue)
	}
	refuse := func(why string) (ecosystem.Repo, error) {
		return ecosystem.Repo{}, fmt.Errorf("no --source, and %s: pass --source NAME@BRANCH, the repository and branch the pull request comes from", why)
	}
	p := getenv("GITHUB_EVENT_PATH")
	if p == "" {
		return refuse("no GitHub Actions pull request event to read it from (GITHUB_EVENT_PATH is not set)")
	}
	b, err := os.ReadFile(p)
	if err != nil {
		return refuse(fmt.Sprintf("the GitHub Actions event file cannot be read (%v)", err))
	}
	var ev struct {
		PullRequest *struct {
			Head struct {
				Ref  string `json:"ref"`
				Repo *struct {
					FullName string `json:"full_name"`
				} `json:"repo"`
			} `json:"head"`
		} `json:"pull_request"`
	}
	if err := json.Unmarshal(b, &ev); err != nil {
		return refuse(fmt.Sprintf("the GitHub Actions event file %s is not valid JSON (%v)", p, err))
	}
	switch {
	case ev.PullRequest == nil:
		return refuse("the GitHub Actions event is not a pull request event")
	case ev.PullRequest.Head.Repo == nil || ev.PullRequest.Head.Repo.FullName == "":
		return refuse("the pull request event names no head repository (head.repo is null: the fork may have been deleted)")
	case ev.PullRequest.Head.Ref == "":
		return refuse("the pull request event names no head branch")
	}
	host := "github.com"
	if u := getenv("GITHUB_SERVER_URL"); u != "" {
		host = strings.TrimSuffix(strings.TrimPrefix(strings.TrimPrefix(u, "https://"), "http://"), "/")
	}
	src := ecosystem.Repo{Name: host + "/" + ev.PullRequest.Head.Repo.FullName, Branch: ev.PullRequest.Head.Ref}
	if err := ecosystem.ValidateRepo(src); err != nil {
		return refuse(fmt.Sprintf("the pull request event's head %q is malformed (%v)", src.String(), err))
	}
	return src, nil
}
