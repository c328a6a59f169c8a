package render

import (
	"fmt"
	"net/url"
	"path"
	"strings"
	"time"

	"k8s.io/apimachinery/pkg/api/resource"
)

// ModelSource says where the rendered containers find the model.
type ModelSource string

// The model sources.
const (
	// ModelConfigMap mounts the model's .star files from a ConfigMap the
	// render writes: the model deployed is the model rendered.
	ModelConfigMap ModelSource = "configmap"
	// ModelGit has each worker clone the model from a git branch and follow
	// it (dsl worker --repo --branch --path --poll): a merge to the branch
	// reaches the workers without a new deploy.
	ModelGit ModelSource = "git"
)

// ModelSources lists the model sources, for flags and messages.
var ModelSources = []string{string(ModelConfigMap), string(ModelGit)}

// Resources are a container's requests and limits, as Kubernetes
// quantities ("250m", "512Mi"); "" leaves one unset.
type Resources struct {
	CPURequest, MemoryRequest string
	CPULimit, MemoryLimit     string
}

// DefaultResources request a quarter of a core and 256 MiB, and limit the
// memory to 1 GiB. CPU is not limited: a limit throttles a batch that
// could use an idle core, and the request already decides the placement.
var DefaultResources = Resources{CPURequest: "250m", MemoryRequest: "256Mi", MemoryLimit: "1Gi"}

// Options are the settings both renderers take.
type Options struct {
	// Image is the container image; its entrypoint must be the dsl
	// binary. Required.
	Image string
	// Namespace is the namespace of every object and pod; "" leaves it to
	// whoever applies the files (kubectl apply -n, the DAG's connection).
	Namespace string
	// Entry is the model's entry file when it is not eco.star, passed to
	// every dsl command as --entry; "" for the default.
	Entry string
	// Resources are each container's requests and limits.
	Resources Resources
	// GracePeriod is how long a stopped container may take to finish its
	// batch after SIGTERM before it is killed (whole seconds).
	GracePeriod time.Duration
}

// DefaultGracePeriod lets a batch of a few minutes finish when a worker is
// stopped; a batch cut short is resumed by the next one, so a longer batch
// loses time, not data.
const DefaultGracePeriod = 5 * time.Minute

// KubernetesOptions are the settings of Kubernetes.
type KubernetesOptions struct {
	Options
	// Replicas is the number of workers (zero or more).
	Replicas int32
	// ListenPort is the port of the workers' /metrics, /healthz and
	// /readyz (dsl worker --listen).
	ListenPort int32
	// Model says where workers find the model.
	Model ModelSource
	// Git is the branch workers follow, with Model set to ModelGit.
	Git GitSource
}

// GitSource is a branch of a git repository holding the model.
type GitSource struct {
	// Repo is the repository's URL (or a path in the image).
	Repo string
	// Branch is the branch followed.
	Branch string
	// Path is the model's folder inside the repository, "" for its root.
	Path string
	// Poll is how often a worker fetches the branch (0 leaves the
	// worker's default).
	Poll time.Duration
}

// Default values of KubernetesOptions.
const (
	DefaultReplicas   = 2
	DefaultListenPort = 9090
)

// AirflowOptions are the settings of Airflow. Its pods mount the model
// from the same ConfigMap Kubernetes renders.
type AirflowOptions struct {
	Options
}

// check reports the first setting that cannot be rendered, naming it and
// the fix.
func (o Options) check() error {
	if o.Image == "" {
		return fmt.Errorf("no image: give the image whose entrypoint is dsl, such as ghcr.io/datasurface/dsl:v1.0.0")
	}
	if strings.ContainsFunc(o.Image, func(r rune) bool { return r <= ' ' || r == 0x7f }) {
		return fmt.Errorf("image %q: an image reference has no spaces or control characters", o.Image)
	}
	if o.Namespace != "" {
		if objectName("", o.Namespace, "") != o.Namespace || strings.HasPrefix(o.Namespace, "-") {
			return fmt.Errorf("namespace %q: want a DNS label (lower-case letters, digits and '-', at most 63 characters, starting and ending with a letter or digit)", o.Namespace)
		}
	}
	if e := o.Entry; e != "" && (path.IsAbs(e) || path.Clean(e) != e || e == ".." || strings.HasPrefix(e, "../")) {
		return fmt.Errorf("entry %q: want a clean path relative to the model's folder, such as eco.star", o.Entry)
	}
	if o.GracePeriod < 0 || o.GracePeriod%time.Second != 0 {
		return fmt.Errorf("grace period %s: want whole seconds, zero or more, such as 5m", o.GracePeriod)
	}
	return o.Resources.check()
}

// check parses each quantity and compares each request with its limit,
// which Kubernetes requires to be at least the request.
func (r Resources) check() error {
	for _, pair := range []struct {
		what           string
		request, limit string
	}{{"cpu", r.CPURequest, r.CPULimit}, {"memory", r.MemoryRequest, r.MemoryLimit}} {
		var req, lim resource.Quantity
		var err error
		if pair.request != "" {
			if req, err = resource.ParseQuantity(pair.request); err != nil || req.Sign() < 0 {
				return fmt.Errorf("%s request %q: want a Kubernetes quantity such as %s", pair.what, pair.request, example(pair.what))
			}
		}
		if pair.limit != "" {
			if lim, err = resource.ParseQuantity(pair.limit); err != nil || lim.Sign() <= 0 {
				return fmt.Errorf("%s limit %q: want a Kubernetes quantity above zero such as %s", pair.what, pair.limit, example(pair.what))
			}
		}
		if pair.request != "" && pair.limit != "" && req.Cmp(lim) > 0 {
			return fmt.Errorf("%s request %s is above its limit %s: Kubernetes refuses that; raise the limit or lower the request", pair.what, pair.request, pair.limit)
		}
	}
	return nil
}

func example(what string) string {
	if what == "cpu" {
		return `"500m" or "2"`
	}
	return `"512Mi" or "2Gi"`
}

// check reports the first Kubernetes setting that cannot be rendered.
func (o KubernetesOptions) check() error {
	if err := o.Options.check(); err != nil {
		return err
	}
	if o.Replicas < 0 {
		return fmt.Errorf("replicas %d: want zero or more", o.Replicas)
	}
	if o.ListenPort < 1 || o.ListenPort > 65535 {
		return fmt.Errorf("listen port %d: want a port from 1 to 65535", o.ListenPort)
	}
	switch o.Model {
	case ModelConfigMap:
		if o.Git != (GitSource{}) {
			return fmt.Errorf("a git repository is given, but the model comes from a ConfigMap: choose the git model source, or leave the repository out")
		}
	case ModelGit:
		if o.Git.Repo == "" || o.Git.Branch == "" {
			return fmt.Errorf("the git model source needs a repository and a branch, such as https://github.com/acme/model and main")
		}
		if p := o.Git.Path; p != "" && (path.IsAbs(p) || path.Clean(p) != p || p == ".." || strings.HasPrefix(p, "../")) {
			return fmt.Errorf("git path %q: want a clean folder relative to the repository's root, such as models/sales", p)
		}
		if u, err := url.Parse(o.Git.Repo); err == nil && u.User != nil {
			if _, hasPassword := u.User.Password(); hasPassword {
				return fmt.Errorf("the git repository's URL holds a password, which the manifests would show to anyone who reads them: give the URL without it")
			}
		}
		if o.Git.Poll < 0 || o.Git.Poll%time.Second != 0 {
			return fmt.Errorf("git poll %s: want whole seconds, such as 1m", o.Git.Poll)
		}
	default:
		return fmt.Errorf("model source %q: want %s", o.Model, strings.Join(ModelSources, " or "))
	}
	return nil
}
