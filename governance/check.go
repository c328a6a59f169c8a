package governance

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/datasurface/datasurface-go/ecosystem"
	"github.com/datasurface/datasurface-go/ecosystem/lint"
	"github.com/datasurface/datasurface-go/starlark"
)

// AcceptanceFunc is a platform acceptance hook: it is handed the head model
// and returns the findings of the platforms that will realise it (for
// example, a platform that cannot serve a dataset group assigned to it).
//
// It is the extension point through which the broker plugs platforms into
// the check: once pipeline graphs exist, the broker supplies a function that
// builds each declared platform's graph and calls that platform's
// acceptance. Until a caller passes one with WithAcceptance, the check calls
// nothing.
type AcceptanceFunc func(ctx context.Context, head *ecosystem.Ecosystem) ecosystem.Diagnostics

// Option configures Check and CheckFS.
type Option func(*options)

type options struct {
	now        time.Time
	acceptance AcceptanceFunc
	evalOpts   []starlark.Option
}

// WithNow sets the clock the waivers' expiry dates are compared with; the
// default is the time Check is called. Tests and reproducible reports pass a
// fixed time.
func WithNow(t time.Time) Option { return func(o *options) { o.now = t } }

// WithAcceptance sets the platform acceptance hook (see AcceptanceFunc).
func WithAcceptance(f AcceptanceFunc) Option { return func(o *options) { o.acceptance = f } }

// WithEvalOptions passes options to the evaluation of both revisions in
// CheckFS (entry file, step and time limits, print). CheckFS already shares
// one starlark.Cache between the two evaluations; a WithCache given here
// replaces it, for example to keep compiled files across many checks.
func WithEvalOptions(opts ...starlark.Option) Option {
	return func(o *options) { o.evalOpts = append(o.evalOpts, opts...) }
}

// Result is the outcome of a check.
type Result struct {
	// Base is the model the pull request is checked against; nil for the
	// first model of an empty repository.
	Base *ecosystem.Ecosystem
	// Head is the proposed model; nil when it does not evaluate, and then
	// Diagnostics holds the evaluation errors.
	Head *ecosystem.Ecosystem
	// Source is the repository and branch the pull request comes from.
	Source ecosystem.Repo
	// Diagnostics holds every finding in report order (Diagnostics.Sort):
	// lint of the head model, authorization, compatibility, policies and
	// platform acceptance, with the head model's waivers applied and their
	// own findings added.
	Diagnostics ecosystem.Diagnostics
}

// Failed reports whether the result holds a finding that is not waived at
// or above the given severity, which is what `dsl check --fail-on` decides.
func (r *Result) Failed(threshold ecosystem.Severity) bool {
	return r.Diagnostics.Max() >= threshold
}

// Check runs the change check of a pull request from source that turns base
// into head. base is nil for the first model of an empty repository; head
// must not be nil.
//
// Findings that concern the head model alone (lint and policies) and that
// base already has, with the same rule, path and message, are reported at
// severity info with a hint saying so: they do not fail a pull request that
// did not cause them, yet stay visible. New ones keep their severity.
// Authorization and compatibility compare the two models, so every finding
// of theirs is new by construction.
//
// Check returns an error only when head is nil or ctx is cancelled; every
// problem with the models is a finding in the Result.
func Check(ctx context.Context, base, head *ecosystem.Ecosystem, source ecosystem.Repo, opts ...Option) (*Result, error) {
	o := newOptions(opts)
	if head == nil {
		return nil, errors.New("governance: Check needs a head model (got nil)")
	}
	// The stages read the models and never change them, so they run
	// concurrently; each writes its own slot, and the slots are joined in a
	// fixed order, so the result does not depend on scheduling.
	var (
		headLint, baseLint, authz, compat ecosystem.Diagnostics
		headPolicies, basePolicies        ecosystem.Diagnostics
		wg                                sync.WaitGroup
	)
	wg.Go(func() { headLint = lint.Lint(head) })
	wg.Go(func() { headPolicies = Policies(head) })
	wg.Go(func() { authz = Authorization(base, head, source) })
	if base != nil {
		wg.Go(func() { baseLint = lint.Lint(base) })
		wg.Go(func() { basePolicies = Policies(base) })
		wg.Go(func() { compat = Compatibility(base, head) })
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("governance: check cancelled: %w", err)
	}
	var ds ecosystem.Diagnostics
	ds = append(ds, demotePreexisting(headLint, baseLint)...)
	ds = append(ds, authz...)
	ds = append(ds, compat...)
	ds = append(ds, demotePreexisting(headPolicies, basePolicies)...)
	if o.acceptance != nil {
		ds = append(ds, o.acceptance(ctx, head)...)
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("governance: check cancelled: %w", err)
		}
	}
	stages := waiverStages{compared: base != nil, base: base, platforms: o.acceptance != nil}
	return &Result{Base: base, Head: head, Source: source, Diagnostics: applyWaivers(head, ds, o.now, stages)}, nil
}

// CheckFS evaluates the base and head revisions of a model and checks them
// (see Check). Both evaluations share one starlark.Cache, so files whose
// content is the same in both revisions are compiled once, and modules whose
// files and loads are unchanged are executed once and shared by both models;
// with a file system that knows content hashes (governance/gitfs), unchanged
// files are not even read twice.
//
// baseFS is nil for the first model of an empty repository. A head model
// that does not evaluate is not an error: its evaluation findings are the
// Result's Diagnostics (Head is nil). A base model that does not evaluate is
// an error wrapping the ecosystem.DiagnosticsError, since nothing can be
// authorized or compared against it; so are I/O errors and cancellation.
func CheckFS(ctx context.Context, baseFS, headFS fs.FS, source ecosystem.Repo, opts ...Option) (*Result, error) {
	o := newOptions(opts)
	if headFS == nil {
		return nil, errors.New("governance: CheckFS needs a head file system (got nil)")
	}
	evalOpts := append([]starlark.Option{starlark.WithCache(starlark.NewCache())}, o.evalOpts...)
	var base *ecosystem.Ecosystem
	if baseFS != nil {
		var err error
		base, err = starlark.Evaluate(ctx, baseFS, evalOpts...)
		if err != nil {
			var diags ecosystem.DiagnosticsError
			if errors.As(err, &diags) {
				return nil, fmt.Errorf("governance: the base model does not evaluate, so the change cannot be checked against it (fix the base branch first):\n%w", err)
			}
			return nil, fmt.Errorf("governance: reading the base model: %w", err)
		}
	}
	head, err := starlark.Evaluate(ctx, headFS, evalOpts...)
	if err != nil {
		var diags ecosystem.DiagnosticsError
		if !errors.As(err, &diags) {
			return nil, fmt.Errorf("governance: reading the head model: %w", err)
		}
		ds := slices.Clone(ecosystem.Diagnostics(diags))
		ds.Sort()
		return &Result{Base: base, Source: source, Diagnostics: ds}, nil
	}
	return Check(ctx, base, head, source, opts...)
}

// CheckModel checks one model on its own: lint, policies and platform
// acceptance (WithAcceptance), with the model's waivers applied. Waivers of
// rules that need two models (compatibility) cannot be used here and are
// not reported as unused, nor is their path checked, since it may name what
// the change removes; without WithAcceptance, neither are waivers of the
// broker's and the platforms' rules, and a waiver of a rule this program
// does not know is a warning, not an error, since it may name a rule of a
// platform the program does not link. Only WithNow and WithAcceptance apply.
//
// For exactly what `dsl lint` reports, call platforms.Registry.CheckModel,
// which passes the registry's acceptance.
func CheckModel(ctx context.Context, m *ecosystem.Ecosystem, opts ...Option) (ecosystem.Diagnostics, error) {
	o := newOptions(opts)
	if m == nil {
		return nil, errors.New("governance: CheckModel needs a model (got nil)")
	}
	ds := append(lint.Lint(m), Policies(m)...)
	if o.acceptance != nil {
		ds = append(ds, o.acceptance(ctx, m)...)
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("governance: check cancelled: %w", err)
	}
	return applyWaivers(m, ds, o.now, waiverStages{platforms: o.acceptance != nil}), nil
}

// CheckModelFS evaluates the model in fsys and checks it with CheckModel:
// what `dsl lint` does for a folder. A model that does not evaluate is not
// an error: the evaluation findings are returned as the diagnostics, with a
// nil model. The error is for what is no finding about the model: reading
// fsys failed, or ctx was cancelled. WithEvalOptions passes options to the
// evaluation (entry file, limits).
func CheckModelFS(ctx context.Context, fsys fs.FS, opts ...Option) (*ecosystem.Ecosystem, ecosystem.Diagnostics, error) {
	o := newOptions(opts)
	m, err := starlark.Evaluate(ctx, fsys, o.evalOpts...)
	if err != nil {
		var diags ecosystem.DiagnosticsError
		if !errors.As(err, &diags) {
			return nil, nil, fmt.Errorf("governance: reading the model: %w", err)
		}
		ds := slices.Clone(ecosystem.Diagnostics(diags))
		ds.Sort()
		return nil, ds, nil
	}
	ds, err := CheckModel(ctx, m, opts...)
	if err != nil {
		return nil, nil, err
	}
	return m, ds, nil
}

// Every rule of the check's own stages is in the ecosystem's one rule
// registry (evaluation and lint rules are registered by their packages).
func init() {
	ecosystem.MustRegisterRules(AuthorizationRules()...)
	ecosystem.MustRegisterRules(WaiverRules()...)
	ecosystem.MustRegisterRules(CompatibilityRules()...)
	ecosystem.MustRegisterRules(typeReasonRules()...)
	ecosystem.MustRegisterRules(PolicyRules()...)
}

// Rules returns the rules of the check's stages (evaluation, lint with the
// host's registered rules, authorization, waivers, compatibility with the
// types package's reasons its type findings quote, and policies), sorted by
// ID: a subset of ecosystem.AllRules, which also holds the broker's and the
// platforms' rules.
func Rules() []ecosystem.Rule {
	all := slices.Concat(starlark.Rules(), lint.Rules(), AuthorizationRules(), WaiverRules(), CompatibilityRules(), typeReasonRules(), PolicyRules())
	slices.SortFunc(all, func(a, b ecosystem.Rule) int { return strings.Compare(a.ID, b.ID) })
	return all
}

func newOptions(opts []Option) *options {
	o := &options{}
	for _, f := range opts {
		f(o)
	}
	if o.now.IsZero() {
		o.now = time.Now()
	}
	return o
}

// preexistingHint prefixes the hint of a finding the base model already has.
const preexistingHint = "the base model has this finding too, so it is reported as info and does not fail this change; "

// demotePreexisting lowers to info the findings of head that base has too
// (same rule, path and message). Both lists come from the same stage, so
// equal findings mean the problem was there before this change.
func demotePreexisting(head, base ecosystem.Diagnostics) ecosystem.Diagnostics {
	if len(base) == 0 || len(head) == 0 {
		return head
	}
	type key struct{ rule, path, message string }
	before := make(map[key]int, len(base))
	for _, d := range base {
		before[key{d.Rule, d.Path, d.Message}]++
	}
	out := slices.Clone(head)
	for i := range out {
		d := &out[i]
		k := key{d.Rule, d.Path, d.Message}
		if before[k] == 0 || d.Severity <= ecosystem.Info {
			continue
		}
		before[k]--
		d.Severity = ecosystem.Info
		d.Hint = preexistingHint + d.Hint
	}
	return out
}
