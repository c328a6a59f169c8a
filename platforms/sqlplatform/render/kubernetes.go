package render

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"strconv"
	"strings"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/datasurface/datasurface-go/ecosystem"
	"github.com/datasurface/datasurface-go/graph"
	"github.com/datasurface/datasurface-go/platforms"
)

// The files of Kubernetes, in Names.Dir. Their numbers give the order
// kubectl apply -f DIR applies them in: the ServiceAccount and the model
// before the pods that use them, the migration before the workers.
const (
	fileServiceAccount = "00-serviceaccount.yaml"
	fileModel          = "10-model-configmap.yaml"
	fileMigrate        = "20-migrate-job.yaml"
	fileWorker         = "30-worker-deployment.yaml"
	fileMetrics        = "40-metrics-service.yaml"
)

// The labels every rendered object carries (the Kubernetes recommended
// labels). A ServiceMonitor selects the metrics Services by
// app.kubernetes.io/name=dsl (and instance, for one platform).
const (
	labelName      = "app.kubernetes.io/name"
	labelInstance  = "app.kubernetes.io/instance"
	labelComponent = "app.kubernetes.io/component"
	labelPartOf    = "app.kubernetes.io/part-of"
	labelManagedBy = "app.kubernetes.io/managed-by"
	// annotationPlatform holds the platform's name as the model spells it.
	annotationPlatform = "datasurface.io/platform"
	// annotationModel holds the model files' checksum on the pod templates.
	annotationModel = "datasurface.io/model-checksum"
)

// runAsID is the user and group every container runs as: not root, and
// the same in every pod, so that the model's files are readable to all.
const runAsID = 65532

// metricsPortName names the container port of /metrics, /healthz and
// /readyz; the probes and the Service refer to it by this name.
const metricsPortName = "metrics"

// migrateTTL is how long a finished migration Job stays for its logs
// before Kubernetes deletes it (a day).
const migrateTTL = 24 * 60 * 60

// Kubernetes renders the manifests that run platform decl's pipeline pl
// on Kubernetes, into Names.Dir: a ServiceAccount without an API token, the
// model's .star files (read from model) as a ConfigMap unless the workers
// follow git, a Job that runs dsl migrate, a Deployment of dsl worker
// processes, and a Service in front of their metrics port. Containers read
// the merge store's address and the credentials the pipeline uses from
// Secrets by name (SecretRefs), never a value. The same input gives the
// same files, byte for byte, sorted by name.
func Kubernetes(pl *graph.Pipeline, decl *ecosystem.Platform, model fs.FS, opts KubernetesOptions) ([]platforms.Artifact, error) {
	if err := opts.check(); err != nil {
		return nil, err
	}
	t, err := newTarget(pl, decl)
	if err != nil {
		return nil, err
	}
	var files []modelFile
	if opts.Model == ModelConfigMap {
		if files, err = modelFiles(model, opts.Entry); err != nil {
			return nil, fmt.Errorf("platform %s: %w", t.platform, err)
		}
	}
	k := kube{t: t, opts: opts, files: files}
	job, err := k.migrateJob()
	if err != nil {
		return nil, fmt.Errorf("platform %s: %w", t.platform, err)
	}
	objects := []object{
		{fileServiceAccount, "The identity of the platform's pods, without a Kubernetes API token: dsl needs none.", k.serviceAccount()},
		{fileMigrate, "Creates the queue's and the platform's tables (dsl migrate): a deploy runs it first.\n" +
			"Its name ends in a hash of its pod template: a changed Job is a new Job, as a Job cannot be changed in place.", job},
		{fileWorker, "The workers (dsl worker) sharing the platform's batches through the job queue in the merge store.\n" +
			"Secrets to create before it starts (name: keys):\n  " + strings.Join(describeSecrets(t.secrets), "\n  "), k.deployment()},
		{fileMetrics, "The workers' /metrics, /healthz and /readyz, on the port named metrics, for Prometheus.", k.service()},
	}
	if files != nil {
		objects = append(objects, object{fileModel, "The model's .star files, mounted at " + ModelMount + " in every pod.", modelConfigMap(t, files, opts.Namespace)})
	}
	arts := make([]platforms.Artifact, 0, len(objects))
	for _, o := range objects {
		data, err := manifest(o.about, o.obj)
		if err != nil {
			return nil, fmt.Errorf("platform %s: %s: %w", t.platform, o.file, err)
		}
		arts = append(arts, platforms.Artifact{Name: t.names.Dir + "/" + o.file, Data: data})
	}
	return sortArtifacts(arts)
}

// object is one manifest: its file in Names.Dir, the comment that says
// what it is for, and the Kubernetes object.
type object struct {
	file, about string
	obj         any
}

// kube builds the objects of one platform.
type kube struct {
	t     *target
	opts  KubernetesOptions
	files []modelFile
}

// labels are the labels of the platform's objects of one component.
func labels(t *target, component string) map[string]string {
	return map[string]string{
		labelName:      "dsl",
		labelInstance:  t.names.Instance,
		labelComponent: component,
		labelPartOf:    "datasurface",
		labelManagedBy: "dsl-render",
	}
}

// selector is the subset of labels that picks a component's pods.
func selector(t *target, component string) map[string]string {
	return map[string]string{labelName: "dsl", labelInstance: t.names.Instance, labelComponent: component}
}

func objectMeta(t *target, name, namespace, component string) metav1.ObjectMeta {
	return metav1.ObjectMeta{Name: name, Namespace: namespace, Labels: labels(t, component),
		Annotations: map[string]string{annotationPlatform: t.platform}}
}

func (k kube) serviceAccount() *corev1.ServiceAccount {
	return &corev1.ServiceAccount{
		TypeMeta:                     metav1.TypeMeta{APIVersion: "v1", Kind: "ServiceAccount"},
		ObjectMeta:                   objectMeta(k.t, k.t.names.Instance, k.opts.Namespace, "worker"),
		AutomountServiceAccountToken: new(false),
	}
}

// modelConfigMap is the ConfigMap of the model's files: each file under
// its key, text in data and anything else in binaryData.
func modelConfigMap(t *target, files []modelFile, namespace string) *corev1.ConfigMap {
	cm := &corev1.ConfigMap{
		TypeMeta:   metav1.TypeMeta{APIVersion: "v1", Kind: "ConfigMap"},
		ObjectMeta: objectMeta(t, t.names.Model, namespace, "model"),
	}
	for _, f := range files {
		if isText(f.data) {
			if cm.Data == nil {
				cm.Data = map[string]string{}
			}
			cm.Data[f.key] = string(f.data)
		} else {
			if cm.BinaryData == nil {
				cm.BinaryData = map[string][]byte{}
			}
			cm.BinaryData[f.key] = f.data
		}
	}
	return cm
}

// modelVolume is the volume of the model's ConfigMap, its files back at
// their paths.
func modelVolume(t *target, files []modelFile) corev1.Volume {
	items := make([]corev1.KeyToPath, len(files))
	for i, f := range files {
		items[i] = corev1.KeyToPath{Key: f.key, Path: f.path}
	}
	return corev1.Volume{Name: "model", VolumeSource: corev1.VolumeSource{ConfigMap: &corev1.ConfigMapVolumeSource{
		LocalObjectReference: corev1.LocalObjectReference{Name: t.names.Model}, Items: items}}}
}

// dslArgs are the arguments of a dsl command on the platform's model in
// ModelMount.
func dslArgs(t *target, entry, command string) []string {
	return append([]string{command, ModelMount}, platformArgs(t, entry)...)
}

// platformArgs name the platform, and the model's entry file when it is
// not the default.
func platformArgs(t *target, entry string) []string {
	args := []string{"--platform", t.platform}
	if entry != "" && entry != defaultEntry {
		args = append(args, "--entry", entry)
	}
	return args
}

// modelArgs are the arguments of a dsl command that say where the model
// is: the ConfigMap's folder, or the git branch (read in memory, so with
// no folder).
func (k kube) modelArgs(command string, withPoll bool) []string {
	if k.opts.Model != ModelGit {
		return dslArgs(k.t, k.opts.Entry, command)
	}
	g := k.opts.Git
	args := append([]string{command}, platformArgs(k.t, k.opts.Entry)...)
	args = append(args, "--repo", g.Repo, "--branch", g.Branch)
	if g.Path != "" {
		args = append(args, "--path", g.Path)
	}
	if withPoll && g.Poll > 0 {
		args = append(args, "--poll", g.Poll.String())
	}
	return args
}

// envFrom turns secret references into environment variables read from
// Secrets by name and key.
func envFrom(refs []SecretRef) []corev1.EnvVar {
	env := make([]corev1.EnvVar, len(refs))
	for i, r := range refs {
		sel := &corev1.SecretKeySelector{LocalObjectReference: corev1.LocalObjectReference{Name: r.Secret}, Key: r.Key}
		if r.Optional {
			sel.Optional = new(true)
		}
		env[i] = corev1.EnvVar{Name: r.Var, ValueFrom: &corev1.EnvVarSource{SecretKeyRef: sel}}
	}
	return env
}

// storeRefs are the references to the merge stores, without credentials:
// what dsl migrate reads.
func storeRefs(refs []SecretRef) []SecretRef {
	var out []SecretRef
	for _, r := range refs {
		if r.Key == StoreSecretKey {
			out = append(out, r)
		}
	}
	return out
}

// resources turns the options' quantities into requirements; they were
// checked by Options.check.
func resources(r Resources) corev1.ResourceRequirements {
	var out corev1.ResourceRequirements
	set := func(list *corev1.ResourceList, name corev1.ResourceName, q string) {
		if q == "" {
			return
		}
		if *list == nil {
			*list = corev1.ResourceList{}
		}
		(*list)[name] = resource.MustParse(q)
	}
	set(&out.Requests, corev1.ResourceCPU, r.CPURequest)
	set(&out.Requests, corev1.ResourceMemory, r.MemoryRequest)
	set(&out.Limits, corev1.ResourceCPU, r.CPULimit)
	set(&out.Limits, corev1.ResourceMemory, r.MemoryLimit)
	return out
}

// podSecurity runs every container as an unprivileged user with the
// runtime's default seccomp profile.
func podSecurity() *corev1.PodSecurityContext {
	return &corev1.PodSecurityContext{
		RunAsNonRoot: new(true), RunAsUser: new(int64(runAsID)), RunAsGroup: new(int64(runAsID)), FSGroup: new(int64(runAsID)),
		SeccompProfile: &corev1.SeccompProfile{Type: corev1.SeccompProfileTypeRuntimeDefault},
	}
}

// containerSecurity drops every capability and keeps the image read-only:
// dsl writes only to /tmp (a model from git is read in memory).
func containerSecurity() *corev1.SecurityContext {
	return &corev1.SecurityContext{
		AllowPrivilegeEscalation: new(false), ReadOnlyRootFilesystem: new(true),
		Capabilities: &corev1.Capabilities{Drop: []corev1.Capability{"ALL"}},
	}
}

// podSpec is what the migration's and the workers' pods share.
func (k kube) podSpec(c corev1.Container) corev1.PodSpec {
	c.Image = k.opts.Image
	c.Resources = resources(k.opts.Resources)
	c.SecurityContext = containerSecurity()
	c.VolumeMounts = []corev1.VolumeMount{{Name: "tmp", MountPath: "/tmp"}}
	volumes := []corev1.Volume{{Name: "tmp", VolumeSource: corev1.VolumeSource{EmptyDir: &corev1.EmptyDirVolumeSource{}}}}
	if k.files != nil {
		c.VolumeMounts = append([]corev1.VolumeMount{{Name: "model", MountPath: ModelMount, ReadOnly: true}}, c.VolumeMounts...)
		volumes = append([]corev1.Volume{modelVolume(k.t, k.files)}, volumes...)
	}
	return corev1.PodSpec{
		ServiceAccountName:           k.t.names.Instance,
		AutomountServiceAccountToken: new(false),
		// dsl stops its batches within the grace period it is given
		// (--grace); the pod's adds a margin to close the store and the
		// queue before it is killed.
		TerminationGracePeriodSeconds: new(int64((k.opts.GracePeriod + shutdownMargin) / time.Second)),
		SecurityContext:               podSecurity(),
		Containers:                    []corev1.Container{c},
		Volumes:                       volumes,
	}
}

// shutdownMargin is what a pod's grace period adds to the worker's, for
// closing its connections after the batches stopped.
const shutdownMargin = 30 * time.Second

// podAnnotations are the pod templates' annotations: the model's checksum,
// so that a changed model rolls the workers, when it comes from the
// ConfigMap.
func (k kube) podAnnotations(extra map[string]string) map[string]string {
	out := map[string]string{annotationPlatform: k.t.platform}
	if k.files != nil {
		out[annotationModel] = modelChecksum(k.files)
	}
	for key, v := range extra {
		out[key] = v
	}
	return out
}

// migrateJob is the Job that runs dsl migrate, named after a hash of its
// pod template.
func (k kube) migrateJob() (*batchv1.Job, error) {
	args := k.modelArgs("migrate", false)
	template := corev1.PodTemplateSpec{
		ObjectMeta: metav1.ObjectMeta{Labels: labels(k.t, "migrate"), Annotations: k.podAnnotations(nil)},
		Spec:       k.podSpec(corev1.Container{Name: "migrate", Args: args, Env: envFrom(storeRefs(k.t.secrets))}),
	}
	template.Spec.RestartPolicy = corev1.RestartPolicyNever
	spec, err := json.Marshal(template)
	if err != nil {
		return nil, err
	}
	name := objectName("dsl-", k.t.platform, "-migrate-"+shortHash(string(spec)))
	return &batchv1.Job{
		TypeMeta:   metav1.TypeMeta{APIVersion: "batch/v1", Kind: "Job"},
		ObjectMeta: objectMeta(k.t, name, k.opts.Namespace, "migrate"),
		Spec: batchv1.JobSpec{
			BackoffLimit:            new(int32(3)),
			TTLSecondsAfterFinished: new(int32(migrateTTL)),
			Template:                template,
		},
	}, nil
}

func (k kube) deployment() *appsv1.Deployment {
	args := append(k.modelArgs("worker", true), "--listen", ":"+strconv.Itoa(int(k.opts.ListenPort)), "--log-format", "json",
		"--grace", k.opts.GracePeriod.String())
	probe := func(path string, period, failures int32) *corev1.Probe {
		return &corev1.Probe{
			ProbeHandler:     corev1.ProbeHandler{HTTPGet: &corev1.HTTPGetAction{Path: path, Port: intstr.FromString(metricsPortName)}},
			PeriodSeconds:    period,
			TimeoutSeconds:   5,
			FailureThreshold: failures,
		}
	}
	c := corev1.Container{
		Name:  "worker",
		Args:  args,
		Env:   envFrom(k.t.secrets),
		Ports: []corev1.ContainerPort{{Name: metricsPortName, ContainerPort: k.opts.ListenPort, Protocol: corev1.ProtocolTCP}},
		// Loading the model, migrating and a first clone may take a while:
		// the startup probe gives them five minutes before liveness counts.
		StartupProbe:   probe("/healthz", 5, 60),
		LivenessProbe:  probe("/healthz", 10, 6),
		ReadinessProbe: probe("/readyz", 5, 3),
	}
	port := strconv.Itoa(int(k.opts.ListenPort))
	return &appsv1.Deployment{
		TypeMeta:   metav1.TypeMeta{APIVersion: "apps/v1", Kind: "Deployment"},
		ObjectMeta: objectMeta(k.t, k.t.names.Worker, k.opts.Namespace, "worker"),
		Spec: appsv1.DeploymentSpec{
			Replicas: new(k.opts.Replicas),
			Selector: &metav1.LabelSelector{MatchLabels: selector(k.t, "worker")},
			// A new worker starts before an old one stops: the old one
			// finishes its batch in its grace period while the new one
			// takes the next.
			Strategy: appsv1.DeploymentStrategy{Type: appsv1.RollingUpdateDeploymentStrategyType, RollingUpdate: &appsv1.RollingUpdateDeployment{
				MaxUnavailable: new(intstr.FromInt32(0)), MaxSurge: new(intstr.FromInt32(1)),
			}},
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: labels(k.t, "worker"), Annotations: k.podAnnotations(map[string]string{
					"prometheus.io/scrape": "true", "prometheus.io/port": port, "prometheus.io/path": "/metrics",
				})},
				Spec: k.podSpec(c),
			},
		},
	}
}

func (k kube) service() *corev1.Service {
	return &corev1.Service{
		TypeMeta:   metav1.TypeMeta{APIVersion: "v1", Kind: "Service"},
		ObjectMeta: objectMeta(k.t, k.t.names.Metrics, k.opts.Namespace, "worker"),
		Spec: corev1.ServiceSpec{
			Type:     corev1.ServiceTypeClusterIP,
			Selector: selector(k.t, "worker"),
			Ports: []corev1.ServicePort{{Name: metricsPortName, Port: k.opts.ListenPort, TargetPort: intstr.FromString(metricsPortName),
				Protocol: corev1.ProtocolTCP}},
		},
	}
}
