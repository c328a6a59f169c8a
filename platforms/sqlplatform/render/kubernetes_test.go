package render

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"maps"
	"os"
	"path"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/validation"
	"sigs.k8s.io/yaml"

	"github.com/datasurface/datasurface-go/platforms"
	"github.com/datasurface/datasurface-go/platforms/sqlplatform"
)

// manifests are a Kubernetes render decoded into the API types.
type manifests struct {
	serviceAccount *corev1.ServiceAccount
	model          *corev1.ConfigMap
	migrate        *batchv1.Job
	workers        *appsv1.Deployment
	metrics        *corev1.Service
}

// decodeStrict decodes one YAML manifest into T, refusing duplicate keys
// and any field the type does not have.
func decodeStrict[T any](t *testing.T, name string, data []byte) *T {
	t.Helper()
	j, err := yaml.YAMLToJSONStrict(data)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	dec := json.NewDecoder(bytes.NewReader(j))
	dec.DisallowUnknownFields()
	v := new(T)
	if err := dec.Decode(v); err != nil {
		t.Fatalf("%s does not decode strictly: %v", name, err)
	}
	return v
}

// decodeAll decodes every artifact by its kind, failing on a kind that is
// not expected or comes twice, and checks what every manifest shares: the
// generated header, a valid name, the platform's labels.
func decodeAll(t *testing.T, arts []platforms.Artifact, names Names) manifests {
	t.Helper()
	var m manifests
	seen := map[string]bool{}
	for _, a := range arts {
		if !bytes.HasPrefix(a.Data, []byte(GeneratedHeader+"\n")) {
			t.Errorf("%s does not start with the generated header", a.Name)
		}
		if path.Dir(a.Name) != names.Dir {
			t.Errorf("%s is not in %s", a.Name, names.Dir)
		}
		var tm metav1.TypeMeta
		if err := yaml.Unmarshal(a.Data, &tm); err != nil {
			t.Fatalf("%s: %v", a.Name, err)
		}
		if seen[tm.Kind] {
			t.Fatalf("two manifests of kind %s", tm.Kind)
		}
		seen[tm.Kind] = true
		var meta metav1.ObjectMeta
		switch tm.APIVersion + " " + tm.Kind {
		case "v1 ServiceAccount":
			m.serviceAccount = decodeStrict[corev1.ServiceAccount](t, a.Name, a.Data)
			meta = m.serviceAccount.ObjectMeta
		case "v1 ConfigMap":
			m.model = decodeStrict[corev1.ConfigMap](t, a.Name, a.Data)
			meta = m.model.ObjectMeta
		case "batch/v1 Job":
			m.migrate = decodeStrict[batchv1.Job](t, a.Name, a.Data)
			meta = m.migrate.ObjectMeta
		case "apps/v1 Deployment":
			m.workers = decodeStrict[appsv1.Deployment](t, a.Name, a.Data)
			meta = m.workers.ObjectMeta
		case "v1 Service":
			m.metrics = decodeStrict[corev1.Service](t, a.Name, a.Data)
			meta = m.metrics.ObjectMeta
			if errs := validation.IsDNS1035Label(meta.Name); len(errs) > 0 {
				t.Errorf("Service name %q: %v", meta.Name, errs)
			}
		default:
			t.Fatalf("%s: unexpected %s %s", a.Name, tm.APIVersion, tm.Kind)
		}
		if errs := validation.IsDNS1123Label(meta.Name); len(errs) > 0 {
			t.Errorf("%s: name %q: %v", a.Name, meta.Name, errs)
		}
		if meta.Labels[labelInstance] != names.Instance || meta.Labels[labelName] != "dsl" {
			t.Errorf("%s: labels %v", a.Name, meta.Labels)
		}
		for k, v := range meta.Labels {
			if errs := validation.IsValidLabelValue(v); len(errs) > 0 {
				t.Errorf("%s: label %s=%q: %v", a.Name, k, v, errs)
			}
		}
	}
	return m
}

// renderChain renders the chain model for Kubernetes.
func renderChain(t *testing.T, opts KubernetesOptions) (testModel, []platforms.Artifact) {
	t.Helper()
	tm := loadModel(t, os.DirFS(chainDir), "Lake")
	arts, err := Kubernetes(tm.pipeline, tm.decl, tm.fsys, opts)
	if err != nil {
		t.Fatal(err)
	}
	return tm, arts
}

// TestKubernetesDecodesStrictly: every manifest of either model source
// decodes into its Kubernetes type with no unknown field; the git source
// renders no ConfigMap.
func TestRenderKubernetesDecodesStrictly(t *testing.T) {
	for _, opts := range []KubernetesOptions{kubeOptions(), gitOptions()} {
		_, arts := renderChain(t, opts)
		m := decodeAll(t, arts, NamesOf("Lake"))
		if m.serviceAccount == nil || m.migrate == nil || m.workers == nil || m.metrics == nil {
			t.Fatalf("model source %s: missing manifests: %+v", opts.Model, m)
		}
		if (m.model != nil) != (opts.Model == ModelConfigMap) {
			t.Errorf("model source %s: ConfigMap rendered: %v", opts.Model, m.model != nil)
		}
	}
}

// TestKubernetesWorkers: the Deployment runs dsl worker on the platform
// with the replicas, probes on the metrics port, a grace period longer
// than the worker's own, and the Service selects its pods by that port's
// name.
func TestRenderKubernetesWorkers(t *testing.T) {
	opts := kubeOptions()
	opts.Replicas, opts.ListenPort = 5, 9191
	_, arts := renderChain(t, opts)
	m := decodeAll(t, arts, NamesOf("Lake"))
	d := m.workers
	if d.Spec.Replicas == nil || *d.Spec.Replicas != 5 {
		t.Errorf("replicas %v, want 5", d.Spec.Replicas)
	}
	pod := d.Spec.Template
	sel, err := metav1.LabelSelectorAsMap(d.Spec.Selector)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range sel {
		if pod.Labels[k] != v {
			t.Errorf("the selector's %s=%s is not on the pod template (%v)", k, v, pod.Labels)
		}
	}
	if len(pod.Spec.Containers) != 1 {
		t.Fatalf("%d containers", len(pod.Spec.Containers))
	}
	c := pod.Spec.Containers[0]
	if c.Image != opts.Image {
		t.Errorf("image %q", c.Image)
	}
	want := []string{"worker", ModelMount, "--platform", "Lake", "--listen", ":9191", "--log-format", "json", "--grace", "5m0s"}
	if !slices.Equal(c.Args, want) {
		t.Errorf("args %q, want %q", c.Args, want)
	}
	if len(c.Ports) != 1 || c.Ports[0].Name != metricsPortName || c.Ports[0].ContainerPort != 9191 {
		t.Errorf("ports %+v", c.Ports)
	}
	for _, p := range []struct {
		what  string
		probe *corev1.Probe
		path  string
	}{{"startup", c.StartupProbe, "/healthz"}, {"liveness", c.LivenessProbe, "/healthz"}, {"readiness", c.ReadinessProbe, "/readyz"}} {
		if p.probe == nil || p.probe.HTTPGet == nil {
			t.Errorf("%s probe: %+v", p.what, p.probe)
			continue
		}
		if p.probe.HTTPGet.Path != p.path || p.probe.HTTPGet.Port.String() != metricsPortName {
			t.Errorf("%s probe: GET %s on port %s, want %s on %s", p.what, p.probe.HTTPGet.Path, p.probe.HTTPGet.Port.String(), p.path, metricsPortName)
		}
	}
	if g := pod.Spec.TerminationGracePeriodSeconds; g == nil || *g <= int64(opts.GracePeriod.Seconds()) {
		t.Errorf("terminationGracePeriodSeconds %v: want more than the worker's --grace %s", g, opts.GracePeriod)
	}
	if pod.Spec.AutomountServiceAccountToken == nil || *pod.Spec.AutomountServiceAccountToken || pod.Spec.ServiceAccountName != m.serviceAccount.Name {
		t.Errorf("service account %q, token %v", pod.Spec.ServiceAccountName, pod.Spec.AutomountServiceAccountToken)
	}
	if c.SecurityContext == nil || c.SecurityContext.ReadOnlyRootFilesystem == nil || !*c.SecurityContext.ReadOnlyRootFilesystem {
		t.Errorf("container security %+v", c.SecurityContext)
	}
	svc := m.metrics
	if len(svc.Spec.Ports) != 1 || svc.Spec.Ports[0].Name != "metrics" || svc.Spec.Ports[0].Port != 9191 || svc.Spec.Ports[0].TargetPort.String() != metricsPortName {
		t.Errorf("service ports %+v", svc.Spec.Ports)
	}
	if !maps.Equal(svc.Spec.Selector, sel) {
		t.Errorf("service selector %v, deployment selector %v", svc.Spec.Selector, sel)
	}
}

// expectedRefs derives, from the pipeline's credentials, the environment
// the workers must get: the store's address, then per credential its
// variables by kind, each from the credential's Secret.
func expectedRefs(t *testing.T, tm testModel) map[string]SecretRef {
	t.Helper()
	want := map[string]SecretRef{
		sqlplatform.StoreEnvVar("Lake"): {Secret: "dsl-store-lake", Key: "dsn"},
	}
	kinds := map[string]bool{}
	for _, c := range sqlplatform.PipelineCredentials(tm.pipeline) {
		p, s := sqlplatform.CredentialEnvPrefix(c.Name), CredentialSecretName(c.Name)
		kinds[c.Kind] = true
		if c.Kind == "api_token" {
			want[p+"_TOKEN"] = SecretRef{Secret: s, Key: "token"}
			want[p+"_USER"] = SecretRef{Secret: s, Key: "user", Optional: true}
		} else {
			want[p+"_USER"] = SecretRef{Secret: s, Key: "user"}
			want[p+"_PASSWORD"] = SecretRef{Secret: s, Key: "password"}
			want[p+"_TOKEN"] = SecretRef{Secret: s, Key: "token", Optional: true}
		}
	}
	if !kinds["api_token"] || !kinds["user_password"] {
		t.Fatalf("the test model should use credentials of both kinds, it has %v", kinds)
	}
	return want
}

// envRefs reads a container's environment as secret references, failing
// on any variable with a value of its own.
func envRefs(t *testing.T, what string, env []corev1.EnvVar) map[string]SecretRef {
	t.Helper()
	got := map[string]SecretRef{}
	for _, e := range env {
		if e.Value != "" || e.ValueFrom == nil || e.ValueFrom.SecretKeyRef == nil {
			t.Errorf("%s: variable %s is not read from a Secret: %+v", what, e.Name, e)
			continue
		}
		r := e.ValueFrom.SecretKeyRef
		if _, dup := got[e.Name]; dup {
			t.Errorf("%s: variable %s twice", what, e.Name)
		}
		if errs := validation.IsDNS1123Subdomain(r.Name); len(errs) > 0 {
			t.Errorf("%s: Secret name %q: %v", what, r.Name, errs)
		}
		got[e.Name] = SecretRef{Secret: r.Name, Key: r.Key, Optional: r.Optional != nil && *r.Optional}
	}
	return got
}

// TestKubernetesSecretRefs: the workers read exactly the store's address
// and the variables of the credentials the pipeline uses, from Secrets by
// name; the migration reads only the store; and no value set in the
// environment of the render reaches a file.
func TestRenderKubernetesSecretRefs(t *testing.T) {
	const secret = "s3cr3t-value-that-must-not-leak"
	t.Setenv(sqlplatform.StoreEnvVar("Lake"), "postgres://dsl:"+secret+"@db/lake")
	for _, name := range []string{"shop_reader", "crm/api", "ledger"} {
		for _, suffix := range []string{"_USER", "_PASSWORD", "_TOKEN"} {
			t.Setenv(sqlplatform.CredentialEnvPrefix(name)+suffix, secret)
		}
	}
	for _, opts := range []KubernetesOptions{kubeOptions(), gitOptions()} {
		tm, arts := renderChain(t, opts)
		for _, a := range arts {
			if bytes.Contains(a.Data, []byte(secret)) {
				t.Errorf("%s holds a secret value", a.Name)
			}
		}
		m := decodeAll(t, arts, NamesOf("Lake"))
		want := expectedRefs(t, tm)
		if got := envRefs(t, "worker", m.workers.Spec.Template.Spec.Containers[0].Env); !maps.Equal(got, want) {
			t.Errorf("worker environment:\n got %v\nwant %v", got, want)
		}
		wantStore := map[string]SecretRef{"DSL_STORE_LAKE": want["DSL_STORE_LAKE"]}
		if got := envRefs(t, "migrate", m.migrate.Spec.Template.Spec.Containers[0].Env); !maps.Equal(got, wantStore) {
			t.Errorf("migrate environment: got %v, want %v", got, wantStore)
		}
	}
}

// TestKubernetesModelConfigMap: the ConfigMap holds every .star file of
// the model and nothing else, and the pods mount each back at its path;
// the model's checksum on the pod templates, and so the migration Job's
// name, change with a file.
func TestRenderKubernetesModelConfigMap(t *testing.T) {
	tm, arts := renderChain(t, kubeOptions())
	m := decodeAll(t, arts, NamesOf("Lake"))
	var vol *corev1.Volume
	for i, v := range m.workers.Spec.Template.Spec.Volumes {
		if v.ConfigMap != nil {
			vol = &m.workers.Spec.Template.Spec.Volumes[i]
		}
	}
	if vol == nil || vol.ConfigMap.Name != m.model.Name {
		t.Fatalf("no volume of ConfigMap %s: %+v", m.model.Name, m.workers.Spec.Template.Spec.Volumes)
	}
	mounted := map[string]string{}
	for _, item := range vol.ConfigMap.Items {
		data, ok := m.model.Data[item.Key]
		if !ok {
			t.Errorf("item %s is not in the ConfigMap", item.Key)
		}
		if errs := validation.IsConfigMapKey(item.Key); len(errs) > 0 {
			t.Errorf("key %q: %v", item.Key, errs)
		}
		mounted[item.Path] = data
	}
	if len(vol.ConfigMap.Items) != len(m.model.Data)+len(m.model.BinaryData) {
		t.Errorf("%d items for %d keys", len(vol.ConfigMap.Items), len(m.model.Data))
	}
	onDisk := map[string]string{}
	err := fs.WalkDir(tm.fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".star") {
			data, rerr := fs.ReadFile(tm.fsys, p)
			onDisk[p] = string(data)
			return rerr
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(onDisk) < 2 || !maps.Equal(mounted, onDisk) {
		t.Errorf("mounted files %v, want the model's .star files %v", slices.Sorted(maps.Keys(mounted)), slices.Sorted(maps.Keys(onDisk)))
	}
	sum := m.workers.Spec.Template.Annotations[annotationModel]
	if sum == "" || m.migrate.Spec.Template.Annotations[annotationModel] != sum {
		t.Errorf("model checksums: workers %q, migrate %q", sum, m.migrate.Spec.Template.Annotations[annotationModel])
	}

	edited := chainFiles(t, "# Team Shop", "# The team Shop")
	tm2 := loadModel(t, edited, "Lake")
	arts2, err := Kubernetes(tm2.pipeline, tm2.decl, tm2.fsys, kubeOptions())
	if err != nil {
		t.Fatal(err)
	}
	m2 := decodeAll(t, arts2, NamesOf("Lake"))
	if m2.workers.Spec.Template.Annotations[annotationModel] == sum {
		t.Error("the checksum did not change with the model")
	}
	if m2.migrate.Name == m.migrate.Name {
		t.Errorf("the migration Job kept its name %s with another model", m.migrate.Name)
	}
}

// TestKubernetesMigrateJob: the Job runs dsl migrate on the platform once,
// not restarting in place, and is named after its template.
func TestRenderKubernetesMigrateJob(t *testing.T) {
	for _, tc := range []struct {
		opts KubernetesOptions
		args []string
	}{
		{kubeOptions(), []string{"migrate", ModelMount, "--platform", "Lake"}},
		{gitOptions(), []string{"migrate", "--platform", "Lake", "--repo", "https://github.com/test/render.git", "--branch", "main", "--path", "models/lake"}},
	} {
		_, arts := renderChain(t, tc.opts)
		m := decodeAll(t, arts, NamesOf("Lake"))
		job := m.migrate
		spec := job.Spec.Template.Spec
		if len(spec.Containers) != 1 || !slices.Equal(spec.Containers[0].Args, tc.args) {
			t.Errorf("model source %s: migrate args %q, want %q", tc.opts.Model, spec.Containers[0].Args, tc.args)
		}
		if spec.RestartPolicy != corev1.RestartPolicyNever || job.Spec.BackoffLimit == nil || job.Spec.TTLSecondsAfterFinished == nil {
			t.Errorf("restart %s, backoff %v, ttl %v", spec.RestartPolicy, job.Spec.BackoffLimit, job.Spec.TTLSecondsAfterFinished)
		}
		if !strings.HasPrefix(job.Name, NamesOf("Lake").Migrate+"-") {
			t.Errorf("Job name %q", job.Name)
		}
	}
}

// TestKubernetesGitSource: workers following git get its flags and no
// model volume, and nothing changes with the model's files.
func TestRenderKubernetesGitSource(t *testing.T) {
	_, arts := renderChain(t, gitOptions())
	m := decodeAll(t, arts, NamesOf("Lake"))
	pod := m.workers.Spec.Template
	want := []string{"worker", "--platform", "Lake", "--repo", "https://github.com/test/render.git", "--branch", "main", "--path", "models/lake", "--poll", "1m0s",
		"--listen", ":9090", "--log-format", "json", "--grace", "5m0s"}
	if got := pod.Spec.Containers[0].Args; !slices.Equal(got, want) {
		t.Errorf("args %q, want %q", got, want)
	}
	for _, v := range pod.Spec.Volumes {
		if v.Name == "model" {
			t.Errorf("a model volume with git: %+v", v)
		}
	}
	if _, ok := pod.Annotations[annotationModel]; ok {
		t.Error("a model checksum with git")
	}
}

// TestKubernetesMirror: a mirror's workers read its store and its
// primary's, and no source credential.
func TestRenderKubernetesMirror(t *testing.T) {
	files := chainFiles(t,
		`platform("Gov", kind = "legacy"),`, `platform("Gov", kind = "legacy"), platform("Replica", kind = "sql", options = {"mirror_of": "Lake"}),`,
		`workspace(
            "Reports",`, `workspace("Copies", container = platform_managed(), groups = [dataset_group("copied", platform = "Replica", sinks = [sink("Orders", "items")])]),
        workspace(
            "Reports",`)
	tm := loadModel(t, files, "Replica")
	arts, err := Kubernetes(tm.pipeline, tm.decl, tm.fsys, kubeOptions())
	if err != nil {
		t.Fatal(err)
	}
	m := decodeAll(t, arts, NamesOf("Replica"))
	want := map[string]SecretRef{
		"DSL_STORE_REPLICA": {Secret: "dsl-store-replica", Key: "dsn"},
		"DSL_STORE_LAKE":    {Secret: "dsl-store-lake", Key: "dsn"},
	}
	if got := envRefs(t, "worker", m.workers.Spec.Template.Spec.Containers[0].Env); !maps.Equal(got, want) {
		t.Errorf("mirror environment %v, want %v", got, want)
	}
	if got := envRefs(t, "migrate", m.migrate.Spec.Template.Spec.Containers[0].Env); !maps.Equal(got, want) {
		t.Errorf("mirror migrate environment %v, want %v", got, want)
	}
}

// TestKubernetesDeterministic: the same input renders the same bytes, as
// the golden file holds them.
func TestRenderKubernetesDeterministic(t *testing.T) {
	_, first := renderChain(t, kubeOptions())
	_, second := renderChain(t, kubeOptions())
	if len(first) != len(second) {
		t.Fatalf("%d then %d files", len(first), len(second))
	}
	for i := range first {
		if first[i].Name != second[i].Name || !bytes.Equal(first[i].Data, second[i].Data) {
			t.Errorf("%s differs between two renders", first[i].Name)
		}
	}
	if !slices.IsSortedFunc(first, func(a, b platforms.Artifact) int { return strings.Compare(a.Name, b.Name) }) {
		t.Error("artifacts are not sorted by name")
	}
	checkGolden(t, "kubernetes.txtar", first)
}

// TestKubernetesErrors: settings that cannot be deployed, and platforms
// that cannot be rendered, are errors that name the setting and the fix.
func TestRenderKubernetesErrors(t *testing.T) {
	tm := loadModel(t, os.DirFS(chainDir), "Lake")
	for _, tc := range []struct {
		edit func(*KubernetesOptions)
		want string
	}{
		{func(o *KubernetesOptions) { o.Image = "" }, "no image"},
		{func(o *KubernetesOptions) { o.Image = "dsl latest" }, "no spaces"},
		{func(o *KubernetesOptions) { o.Replicas = -1 }, "replicas -1"},
		{func(o *KubernetesOptions) { o.ListenPort = 70000 }, "listen port 70000"},
		{func(o *KubernetesOptions) { o.Namespace = "Data_Team" }, `namespace "Data_Team"`},
		{func(o *KubernetesOptions) { o.Resources.MemoryRequest = "2Gi"; o.Resources.MemoryLimit = "1Gi" }, "memory request 2Gi is above its limit 1Gi"},
		{func(o *KubernetesOptions) { o.Resources.CPURequest = "lots" }, `cpu request "lots"`},
		{func(o *KubernetesOptions) { o.GracePeriod = 1500 * time.Millisecond }, "whole seconds"},
		{func(o *KubernetesOptions) { o.Model = "s3" }, `model source "s3"`},
		{func(o *KubernetesOptions) { o.Model = ModelGit }, "needs a repository and a branch"},
		{func(o *KubernetesOptions) { o.Git.Repo = "https://x/y" }, "a git repository is given"},
		{func(o *KubernetesOptions) { *o = gitOptions(); o.Git.Path = "../up" }, `git path "../up"`},
		{func(o *KubernetesOptions) { *o = gitOptions(); o.Git.Repo = "https://bot:tok3n@github.com/x/y" }, "holds a password"},
		{func(o *KubernetesOptions) { o.Entry = "/abs.star" }, `entry "/abs.star"`},
		{func(o *KubernetesOptions) { o.Entry = "main.star" }, `entry file "main.star" is not among`},
	} {
		opts := kubeOptions()
		tc.edit(&opts)
		_, err := Kubernetes(tm.pipeline, tm.decl, tm.fsys, opts)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("error %v, want one with %q", err, tc.want)
		}
	}
	gov := loadModel(t, os.DirFS(chainDir), "Gov")
	if _, err := Kubernetes(gov.pipeline, gov.decl, gov.fsys, kubeOptions()); err == nil || !strings.Contains(err.Error(), "platform Gov is of kind legacy") {
		t.Errorf("a legacy platform: %v", err)
	}
	if _, err := Kubernetes(tm.pipeline, gov.decl, tm.fsys, kubeOptions()); err == nil || !strings.Contains(err.Error(), "the declaration is of platform Gov") {
		t.Errorf("another platform's declaration: %v", err)
	}
	cert := loadModel(t, chainFiles(t, `credential("ledger")`, `credential("ledger", kind = "certificate")`), "Lake")
	if _, err := Kubernetes(cert.pipeline, cert.decl, cert.fsys, kubeOptions()); err == nil || !strings.Contains(err.Error(), `credential "ledger"`) || !strings.Contains(err.Error(), `kind "certificate"`) {
		t.Errorf("a certificate credential: %v", err)
	}
	big := chainFiles(t)
	big["padding.star"] = &fstest.MapFile{Data: bytes.Repeat([]byte("# padding\n"), maxModelBytes/10+1)}
	bm := loadModel(t, big, "Lake")
	if _, err := Kubernetes(bm.pipeline, bm.decl, bm.fsys, kubeOptions()); err == nil || !strings.Contains(err.Error(), "more than a ConfigMap holds") {
		t.Errorf("a model too big for a ConfigMap: %v", err)
	}
	if _, err := Kubernetes(bm.pipeline, bm.decl, bm.fsys, gitOptions()); err != nil {
		t.Errorf("a big model from git: %v", err)
	}
}
