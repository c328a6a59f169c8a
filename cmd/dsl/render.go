package main

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/datasurface/datasurface-go/platforms"
	"github.com/datasurface/datasurface-go/platforms/sqlplatform/render"
)

func init() {
	register(&command{
		name:  "render",
		usage: "[flags] --target kubernetes|airflow --out DIR MODEL_DIR",
		summary: "Render what runs a sql platform at scale into --out: Kubernetes manifests for its workers and migration job, " +
			"or an Airflow DAG file whose tasks run its streams.",
		exitHelp: "Exit codes: 0 rendered, 1 the model has errors (nothing is written), " +
			"2 usage or load failure, or the files could not be written (a file dsl render did not write is never replaced without --force).",
		dirArgs: 1,
		setup:   runRender,
	})
}

// The targets of dsl render.
var renderTargets = []string{"kubernetes", "airflow"}

// renderFlags are dsl render's flags.
type renderFlags struct {
	eval                   evalFlags
	platform, target, out  string
	force                  bool
	image, namespace       string
	replicas               int32
	listenPort             int32
	modelSource            string
	repo, branch, gitPath  string
	poll                   time.Duration
	cpuRequest, memRequest string
	cpuLimit, memLimit     string
	grace                  time.Duration
}

// kubernetesOnly are the flags that only --target kubernetes takes.
var kubernetesOnly = []string{"replicas", "listen-port", "model-source", "repo", "branch", "path", "poll"}

func runRender(fs *pflag.FlagSet) runFunc {
	var f renderFlags
	f.eval.register(fs)
	fs.StringVar(&f.platform, "platform", "", "the platform of kind sql to render (may be left out when the model declares only one)")
	fs.StringVar(&f.target, "target", "", "what to render: kubernetes (manifests of workers, migration job, model and metrics) or airflow (a DAG file running the streams)")
	flagValues(fs, "target", renderTargets...)
	fs.StringVar(&f.out, "out", "", "the folder to write into, created when missing; only dsl render's own file names are written (kubernetes/PLATFORM/*.yaml, airflow/dsl_PLATFORM*)")
	flagDir(fs, "out")
	fs.BoolVar(&f.force, "force", false, "write over files in --out that dsl render did not write (default: refuse and write nothing)")
	fs.StringVar(&f.image, "image", defaultImage(), "the container image; its entrypoint must be dsl")
	fs.StringVar(&f.namespace, "namespace", "", "the namespace of the objects and pods (default: none in the files, so kubectl apply -n or the Airflow connection decides)")
	fs.Int32Var(&f.replicas, "replicas", render.DefaultReplicas, "kubernetes: the number of workers")
	fs.Int32Var(&f.listenPort, "listen-port", render.DefaultListenPort, "kubernetes: the port of the workers' /metrics, /healthz and /readyz")
	fs.StringVar(&f.modelSource, "model-source", string(render.ModelConfigMap), "kubernetes: where workers find the model: configmap (the model's .star files, rendered) or git (--repo, --branch, --path; followed as it moves)")
	flagValues(fs, "model-source", render.ModelSources...)
	fs.StringVar(&f.repo, "repo", "", "kubernetes with --model-source git: the model's git repository (a URL without a password)")
	fs.StringVar(&f.branch, "branch", "", "kubernetes with --model-source git: the branch the workers follow")
	fs.StringVar(&f.gitPath, "path", "", "kubernetes with --model-source git: the model's folder in the repository (default its root)")
	fs.DurationVar(&f.poll, "poll", 0, "kubernetes with --model-source git: how often workers look at the branch (default: dsl worker's)")
	fs.StringVar(&f.cpuRequest, "cpu-request", render.DefaultResources.CPURequest, "each container's CPU request (\"\" for none)")
	fs.StringVar(&f.memRequest, "memory-request", render.DefaultResources.MemoryRequest, "each container's memory request (\"\" for none)")
	fs.StringVar(&f.cpuLimit, "cpu-limit", render.DefaultResources.CPULimit, "each container's CPU limit (default none: a limit throttles batches)")
	fs.StringVar(&f.memLimit, "memory-limit", render.DefaultResources.MemoryLimit, "each container's memory limit (\"\" for none)")
	fs.DurationVar(&f.grace, "grace-period", render.DefaultGracePeriod, "how long a stopped worker or task may take to finish its batch after SIGTERM")
	return func(ctx context.Context, e *env, args []string) int {
		return f.run(ctx, e, fs, args)
	}
}

func (f *renderFlags) run(ctx context.Context, e *env, fs *pflag.FlagSet, args []string) int {
	c := lookup("render")
	if len(args) != 1 {
		return usageError(e, c, "want one model folder, got %d arguments", len(args))
	}
	switch f.target {
	case "kubernetes", "airflow":
	case "":
		return usageError(e, c, "--target is missing: want %s", strings.Join(renderTargets, " or "))
	default:
		return usageError(e, c, "--target %q: want %s%s", f.target, strings.Join(renderTargets, " or "), didYouMean(f.target, renderTargets))
	}
	if f.out == "" {
		return usageError(e, c, "--out is missing: give the folder to write the files into, such as deploy")
	}
	if f.target == "airflow" {
		for _, name := range kubernetesOnly {
			if fs.Changed(name) {
				return usageError(e, c, "--%s applies to --target kubernetes; Airflow's tasks mount the model from its ConfigMap", name)
			}
		}
	}
	if f.modelSource != string(render.ModelConfigMap) && f.modelSource != string(render.ModelGit) {
		return usageError(e, c, "--model-source %q: want %s%s", f.modelSource, strings.Join(render.ModelSources, " or "), didYouMean(f.modelSource, render.ModelSources))
	}
	if f.modelSource == string(render.ModelGit) && (f.repo == "" || f.branch == "") {
		return usageError(e, c, "--model-source git needs --repo and --branch: the repository and the branch the workers follow")
	}
	if f.modelSource != string(render.ModelGit) {
		for _, name := range []string{"repo", "branch", "path", "poll"} {
			if fs.Changed(name) {
				return usageError(e, c, "--%s applies to --model-source git", name)
			}
		}
	}
	dir := args[0]
	m, evalDiags, fsys, err := loadModel(ctx, dir, &f.eval)
	if err != nil {
		errorf(e, "dsl render: %v\n", err)
		return exitUsage
	}
	if m == nil {
		errorf(e, "dsl render: the model in %s does not evaluate:\n", dir)
		printDiagnostics(e, c, dir, fsys, evalDiags)
		return exitUsage
	}
	// What is deployed runs: a model its owners could not merge is not
	// rendered, as dsl run does not run it.
	errs, err := modelErrors(ctx, m)
	if err != nil {
		errorf(e, "dsl render: %v\n", err)
		return exitUsage
	}
	if len(errs) > 0 {
		errorf(e, "dsl render: the model in %s has %s; nothing is rendered until they are fixed (dsl lint %s shows the same):\n", dir, plural(len(errs), "error"), dir)
		printDiagnostics(e, c, dir, fsys, errs)
		return exitFindings
	}
	decl, code, ok := chooseSQLPlatform(e, c, m, f.platform)
	if !ok {
		return code
	}
	pl := registry().Broker(m).Graph.Pipeline(decl.Name)
	if pl == nil {
		errorf(e, "dsl render: platform %s has no pipeline\n", decl.Name)
		return exitUsage
	}
	common := render.Options{
		Image: f.image, Namespace: f.namespace, Entry: f.eval.entry, GracePeriod: f.grace,
		Resources: render.Resources{CPURequest: f.cpuRequest, MemoryRequest: f.memRequest, CPULimit: f.cpuLimit, MemoryLimit: f.memLimit},
	}
	var arts []platforms.Artifact
	var owned string
	if f.target == "kubernetes" {
		opts := render.KubernetesOptions{Options: common, Replicas: f.replicas, ListenPort: f.listenPort, Model: render.ModelSource(f.modelSource)}
		if opts.Model == render.ModelGit {
			opts.Git = render.GitSource{Repo: f.repo, Branch: f.branch, Path: f.gitPath, Poll: f.poll}
		}
		arts, err = render.Kubernetes(pl, decl, fsys, opts)
		owned = render.NamesOf(decl.Name).Dir
	} else {
		arts, err = render.Airflow(pl, decl, fsys, render.AirflowOptions{Options: common})
	}
	if err != nil {
		errorf(e, "dsl render: %v\n", err)
		return exitUsage
	}
	w, err := render.Write(f.out, arts, render.WriteOptions{Force: f.force, Owned: owned})
	for _, name := range w.Files {
		fmt.Fprintln(e.stdout, filepath.Join(f.out, filepath.FromSlash(name)))
	}
	if err != nil {
		errorf(e, "dsl render: %v\n", err)
		return exitUsage
	}
	for _, name := range w.Removed {
		fmt.Fprintf(e.stderr, "dsl render: removed %s: an earlier render wrote it and this one does not\n", filepath.Join(f.out, filepath.FromSlash(name)))
	}
	fmt.Fprintf(e.stderr, "dsl render: wrote %s for platform %s into %s\n", plural(len(w.Files), "file"), decl.Name, f.out)
	f.printNext(e, decl.Name)
	return exitClean
}

// printNext says how to deploy what was rendered: the Secrets to create
// first, then the command.
func (f *renderFlags) printNext(e *env, platform string) {
	names := render.NamesOf(platform)
	if f.target == "kubernetes" {
		fmt.Fprintf(e.stderr, "Next: create the Secrets listed at the top of %s, then kubectl apply -f %s\n",
			filepath.Join(f.out, filepath.FromSlash(names.WorkerManifest)), filepath.Join(f.out, filepath.FromSlash(names.Dir)))
		return
	}
	fmt.Fprintf(e.stderr, "Next: create the Secrets %s lists in SECRET_ENV, kubectl apply -f %s in the pods' namespace, and copy the DAG file into Airflow's dags folder\n",
		filepath.Join(f.out, filepath.FromSlash(names.DAGFile)), filepath.Join(f.out, filepath.FromSlash(names.DAGModel)))
}

// defaultImage is the image of this dsl's version.
func defaultImage() string {
	tag := strings.Map(func(r rune) rune {
		if 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || r == '_' || r == '.' || r == '-' {
			return r
		}
		return '-'
	}, version())
	return "ghcr.io/datasurface/dsl:" + tag[:min(len(tag), 128)]
}
