package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/datasurface/datasurface-go/ecosystem"
	"github.com/datasurface/datasurface-go/internal/safetext"
	"github.com/datasurface/datasurface-go/internal/telemetry"
	"github.com/datasurface/datasurface-go/platforms/sqlplatform/worker"
	"github.com/datasurface/datasurface-go/starlark"
)

func init() {
	register(&command{
		name:  "worker",
		usage: "[flags] MODEL_DIR  |  --repo URL_OR_PATH --branch B [--path DIR] [flags] [SOURCES_DIR]",
		summary: "Run a sql platform's batches from the job queue in its merge store, as one of any number of workers: " +
			"serves /metrics, /healthz and /readyz, and with --repo follows the model's branch and reloads it when it moves.",
		exitHelp: "Exit codes: 0 stopped by Ctrl-C or SIGTERM after the running batches finished or were left resumable, " +
			"1 the model has errors, 2 usage or load failure (the store or the queue unreachable).",
		dirArgs: 1,
		setup:   runWorker,
	})
	register(&command{
		name:     "migrate",
		usage:    "[flags] MODEL_DIR  |  --repo URL_OR_PATH --branch B [--path DIR] [flags]",
		summary:  "Create or update a sql platform's job queue and bookkeeping tables in its merge store, as a deployment does once before its workers start.",
		exitHelp: "Exit codes: 0 the store is ready, 1 the model has errors, 2 usage or load failure.",
		dirArgs:  1,
		setup:    runMigrate,
	})
}

// workerFlags are dsl worker's own flags.
type workerFlags struct {
	repo, branch, path string
	poll               time.Duration
	listen             string
	logFormat          string
	logLevel           string
	maxConns           int
	opts               worker.Options
}

func runWorker(fs *pflag.FlagSet) runFunc {
	var pf platformFlags
	pf.register(fs)
	var wf workerFlags
	fs.StringVar(&wf.repo, "repo", "", "follow the model in this git repository (a local path or a URL) instead of MODEL_DIR")
	fs.StringVar(&wf.branch, "branch", "", "with --repo: the branch whose model to run; the worker reloads it when the branch moves")
	fs.StringVar(&wf.path, "path", ".", "with --repo: the model's folder inside the repository")
	fs.DurationVar(&wf.poll, "poll", 30*time.Second, "with --repo: how often to look at the branch")
	fs.StringVar(&wf.listen, "listen", ":9090", "address of the /metrics, /healthz and /readyz endpoints")
	fs.StringVar(&wf.logFormat, "log-format", "text", "log records as text or json, on stderr")
	flagValues(fs, "log-format", "text", "json")
	fs.StringVar(&wf.logLevel, "log-level", "info", "the lowest level logged: debug, info, warn or error")
	flagValues(fs, "log-level", "debug", "info", "warn", "error")
	fs.IntVar(&wf.opts.Concurrency, "concurrency", 4, "batches this worker runs at once")
	fs.IntVar(&wf.maxConns, "max-conns", 0, "refuse to start if the worker could open more PostgreSQL connections than this (0: no check); it opens at most 3×concurrency+7")
	fs.DurationVar(&wf.opts.Interval, "interval", time.Minute, "how often a stream without a trigger runs")
	fs.DurationVar(&wf.opts.JobTimeout, "job-timeout", time.Hour, "cancel a batch that runs longer (it stays resumable and is retried)")
	fs.DurationVar(&wf.opts.RescueAfter, "rescue-after", 0, "run again a job still marked running after this long, taking its worker for dead (default: --job-timeout plus one minute)")
	fs.IntVar(&wf.opts.MaxAttempts, "max-attempts", 10, "how many times a failing batch is tried before its job is dead (dsl status shows it)")
	fs.DurationVar(&wf.opts.Grace, "grace", 30*time.Second, "on SIGTERM, how long running batches may take to finish before they are cancelled (left resumable)")
	fs.BoolVar(&wf.opts.NoMigrate, "no-migrate", false, "do not create or update the queue's tables at start (dsl migrate did)")
	return func(ctx context.Context, e *env, args []string) int {
		c := lookup("worker")
		return wf.run(ctx, e, c, &pf, args)
	}
}

func (wf *workerFlags) run(ctx context.Context, e *env, c *command, pf *platformFlags, args []string) int {
	root := "."
	switch {
	case wf.repo == "" && len(args) != 1:
		return usageError(e, c, "want one model folder (or --repo and --branch), got %d arguments", len(args))
	case wf.repo != "" && len(args) > 1:
		return usageError(e, c, "with --repo, want at most one folder (where relative SQLite sources are read), got %d arguments", len(args))
	case wf.repo != "" && len(args) == 1:
		root = args[0]
	case wf.repo == "":
		root = args[0]
	}
	if wf.repo != "" && wf.poll <= 0 {
		return usageError(e, c, "--poll %s: want a positive duration, such as 30s", wf.poll)
	}
	if wf.opts.Concurrency < 1 {
		return usageError(e, c, "--concurrency %d: want at least 1", wf.opts.Concurrency)
	}
	if wf.maxConns > 0 && worker.ConnectionBound(wf.opts) > wf.maxConns {
		return usageError(e, c, "--max-conns %d: a worker with --concurrency %d opens up to %d connections; raise --max-conns or lower --concurrency",
			wf.maxConns, wf.opts.Concurrency, worker.ConnectionBound(wf.opts))
	}
	log, err := telemetry.NewLogger(e.stderr, wf.logFormat, wf.logLevel)
	if err != nil {
		return usageError(e, c, "%v", err)
	}
	var follow *modelFollower
	var fsys fs.FS
	revision := ""
	if wf.repo != "" {
		if follow, err = newModelFollower(ctx, wf.repo, wf.branch, wf.path); err != nil {
			return usageError(e, c, "%v", err)
		}
		if revision, fsys, err = follow.look(ctx); err != nil {
			errorf(e, "dsl worker: %v\n", err)
			return exitUsage
		}
	} else if fsys, err = modelRoot(root); err != nil {
		errorf(e, "dsl worker: %v\n", err)
		return exitUsage
	}
	model, diags, err := loadWorkerModel(ctx, c.name, fsys, pf, root, revision, log)
	if len(diags) > 0 {
		errorf(e, "dsl worker: the model has %s; nothing runs until they are fixed (dsl lint shows the same):\n", plural(len(diags), "error"))
		printDiagnostics(e, c, root, fsys, diags)
		return exitFindings
	}
	if err != nil {
		errorf(e, "dsl worker: %v\n", err)
		return exitUsage
	}
	metrics := telemetry.NewMetrics(model.Platform.Name())
	wf.opts.Logger, wf.opts.Metrics = log, metrics
	w, err := worker.New(ctx, model, wf.opts)
	if err != nil {
		errorf(e, "dsl worker: %v\n", err)
		return exitUsage
	}
	defer func() {
		if err := w.Close(); err != nil {
			log.Warn("closing the worker", "err", err)
		}
	}()
	srv := telemetry.NewServer(wf.listen, metrics, w.Ready)
	srv.SetLogger(log)
	addr, err := srv.Start()
	if err != nil {
		errorf(e, "dsl worker: --listen %s: %v\n", safetext.Line(wf.listen), err)
		return exitUsage
	}
	defer func() {
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(sctx)
	}()
	log.Info("serving /metrics, /healthz and /readyz", "addr", addr.String())
	if follow != nil {
		go wf.followLoop(ctx, follow, w, pf, root, revision, log, metrics)
	}
	if err := w.Run(ctx); err != nil {
		errorf(e, "dsl worker: %v\n", err)
		return exitUsage
	}
	return exitClean
}

// followLoop looks at the model's branch every --poll and reloads the
// worker when it moved. A revision whose model does not load (errors,
// unreadable) is logged and counted in the metrics, and the worker keeps
// the model it runs; that revision is not tried again.
func (wf *workerFlags) followLoop(ctx context.Context, f *modelFollower, w *worker.Worker, pf *platformFlags, root, current string, log *slog.Logger, metrics *telemetry.Metrics) {
	tried := current
	t := time.NewTicker(wf.poll)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		rev, fsys, err := f.look(ctx)
		if err != nil {
			if ctx.Err() == nil {
				log.Error("reading the model's branch; the worker keeps its model", "err", safetext.Line(err.Error()), "revision", w.Revision())
			}
			continue
		}
		if rev == tried {
			continue
		}
		tried = rev
		model, diags, err := loadWorkerModel(ctx, "worker", fsys, pf, root, rev, log)
		if len(diags) > 0 {
			err = fmt.Errorf("the model has %s (dsl lint shows them): %s", plural(len(diags), "error"), safetext.Line(firstLines(ecosystem.DiagnosticsError(diags).Error(), 3)))
		}
		if err != nil {
			metrics.ModelLoaded(rev, false)
		} else {
			// Reload records its own outcome in the metrics.
			err = w.Reload(ctx, model)
		}
		if err != nil {
			log.Error("the branch moved to a model that does not load; the worker keeps running the previous one",
				"revision", rev, "running", w.Revision(), "err", safetext.Line(err.Error()))
		}
	}
}

// firstLines returns the first n lines of s, saying how many more there are.
func firstLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) <= n {
		return strings.Join(lines, "; ")
	}
	return strings.Join(lines[:n], "; ") + fmt.Sprintf("; and %d more lines", len(lines)-n)
}

// loadWorkerModel evaluates the model in fsys, lints it as dsl lint does
// (any error refuses it, returned as diagnostics), and binds its sql
// platform for a worker; cmd is the command its messages name.
func loadWorkerModel(ctx context.Context, cmd string, fsys fs.FS, pf *platformFlags, root, revision string, log *slog.Logger) (worker.Model, ecosystem.Diagnostics, error) {
	m, err := starlark.Evaluate(ctx, fsys, pf.eval.options()...)
	var de ecosystem.DiagnosticsError
	if errors.As(err, &de) {
		return worker.Model{}, ecosystem.Diagnostics(de), nil
	}
	if err != nil {
		return worker.Model{}, nil, err
	}
	errs, err := modelErrors(ctx, m)
	if err != nil {
		return worker.Model{}, nil, err
	}
	if len(errs) > 0 {
		return worker.Model{}, errs, nil
	}
	decl, err := sqlPlatformNamed(m, pf.platform, cmd)
	if err != nil {
		return worker.Model{}, nil, err
	}
	// The worker logs each batch with its job; the platform's own lines
	// would say the same again, apart from its warnings and errors.
	t, err := bindSQLPlatform(m, decl, pf, root, telemetry.AtLeast(log, slog.LevelWarn))
	if err != nil {
		return worker.Model{}, nil, err
	}
	return worker.Model{Platform: t.platform, Pipeline: t.pipeline, Revision: revision}, nil, nil
}

func runMigrate(fs *pflag.FlagSet) runFunc {
	var pf platformFlags
	pf.register(fs)
	var repo, branch, path string
	fs.StringVar(&repo, "repo", "", "read the model from this git repository (a local path or a URL) instead of MODEL_DIR")
	fs.StringVar(&branch, "branch", "", "with --repo: the branch whose model to read")
	fs.StringVar(&path, "path", ".", "with --repo: the model's folder inside the repository")
	return func(ctx context.Context, e *env, args []string) int {
		c := lookup("migrate")
		var model worker.Model
		if repo == "" {
			if len(args) != 1 {
				return usageError(e, c, "want one model folder (or --repo and --branch), got %d arguments", len(args))
			}
			t, code, ok := openSQLPlatform(ctx, e, c, &pf, args[0], true, discardLogger())
			if !ok {
				return code
			}
			model = worker.Model{Platform: t.platform, Pipeline: t.pipeline}
		} else {
			if len(args) > 1 {
				return usageError(e, c, "with --repo, want at most one folder (where relative SQLite sources are read), got %d arguments", len(args))
			}
			root := "."
			if len(args) == 1 {
				root = args[0]
			}
			follow, err := newModelFollower(ctx, repo, branch, path)
			if err != nil {
				return usageError(e, c, "%v", err)
			}
			rev, fsys, err := follow.look(ctx)
			if err != nil {
				errorf(e, "dsl migrate: %v\n", err)
				return exitUsage
			}
			m, diags, err := loadWorkerModel(ctx, c.name, fsys, &pf, root, rev, discardLogger())
			if len(diags) > 0 {
				errorf(e, "dsl migrate: the model at %s has %s; nothing is created until they are fixed (dsl lint shows the same):\n", rev, plural(len(diags), "error"))
				printDiagnostics(e, c, root, fsys, diags)
				return exitFindings
			}
			if err != nil {
				errorf(e, "dsl migrate: %v\n", err)
				return exitUsage
			}
			model = m
		}
		// Opening a session creates the platform's bookkeeping tables.
		s, err := model.Platform.Open(ctx, model.Pipeline, false)
		if err != nil {
			errorf(e, "dsl migrate: %v\n", err)
			return exitUsage
		}
		if err := s.Close(); err != nil {
			errorf(e, "dsl migrate: %v\n", err)
			return exitUsage
		}
		if err := worker.Migrate(ctx, model.Platform); err != nil {
			errorf(e, "dsl migrate: %v\n", err)
			return exitUsage
		}
		store, from, _ := model.Platform.Store()
		fmt.Fprintf(e.stdout, "platform %s: merge store %s (%s): the job queue and the bookkeeping tables are ready\n",
			safetext.Line(model.Platform.Name()), safetext.Line(store.String()), from)
		return exitClean
	}
}
