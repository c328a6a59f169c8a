package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	"sigs.k8s.io/yaml"

	"github.com/datasurface/datasurface-go/platforms/sqlplatform/render"
)

var quickstartDir = filepath.Join("..", "..", "examples", "quickstart")

// listFiles returns the files under dir, as slash paths relative to it.
func listFiles(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		data, err := os.ReadFile(p)
		out[filepath.ToSlash(rel)] = data
		return err
	})
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	return out
}

// TestRenderKubernetes renders the quickstart's platform: the files land
// in kubernetes/laptop/, stdout lists them, the workers run this dsl's
// image on platform Laptop, and a second render writes the same bytes
// over the first.
func TestRenderKubernetes(t *testing.T) {
	out := filepath.Join(t.TempDir(), "deploy")
	code, stdout, stderr := runCLI("render", quickstartDir, "--target", "kubernetes", "--out", out)
	if code != exitClean {
		t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
	}
	files := listFiles(t, out)
	want := []string{"kubernetes/laptop/00-serviceaccount.yaml", "kubernetes/laptop/10-model-configmap.yaml", "kubernetes/laptop/20-migrate-job.yaml",
		"kubernetes/laptop/30-worker-deployment.yaml", "kubernetes/laptop/40-metrics-service.yaml"}
	if got := mapKeys(files); !slices.Equal(got, want) {
		t.Fatalf("files %v, want %v", got, want)
	}
	for _, name := range want {
		if !strings.Contains(stdout, filepath.Join(out, filepath.FromSlash(name))+"\n") {
			t.Errorf("stdout does not list %s:\n%s", name, stdout)
		}
	}
	if !strings.Contains(stderr, "wrote 5 files for platform Laptop") || !strings.Contains(stderr, "kubectl apply -f "+filepath.Join(out, "kubernetes", "laptop")) {
		t.Errorf("stderr:\n%s", stderr)
	}
	j, err := yaml.YAMLToJSONStrict(files["kubernetes/laptop/30-worker-deployment.yaml"])
	if err != nil {
		t.Fatal(err)
	}
	var d appsv1.Deployment
	dec := json.NewDecoder(bytes.NewReader(j))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&d); err != nil {
		t.Fatal(err)
	}
	c := d.Spec.Template.Spec.Containers[0]
	if c.Image != defaultImage() || !strings.HasPrefix(c.Image, "ghcr.io/datasurface/dsl:") || !slices.Contains(c.Args, "Laptop") || *d.Spec.Replicas != 2 {
		t.Errorf("image %q, args %q, replicas %d", c.Image, c.Args, *d.Spec.Replicas)
	}

	code, _, stderr = runCLI("render", quickstartDir, "--target", "kubernetes", "--out", out)
	if code != exitClean {
		t.Fatalf("second render: exit %d\n%s", code, stderr)
	}
	again := listFiles(t, out)
	for name, data := range files {
		if !bytes.Equal(again[name], data) {
			t.Errorf("%s changed between two renders", name)
		}
	}
}

// TestRenderFlags: the flags reach the manifests.
func TestRenderFlags(t *testing.T) {
	out := t.TempDir()
	code, _, stderr := runCLI("render", quickstartDir, "--target", "kubernetes", "--out", out, "--image", "registry.local/dsl:1.0", "--replicas", "7",
		"--namespace", "data", "--listen-port", "9300", "--memory-limit", "2Gi", "--grace-period", "2m")
	if code != exitClean {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	text := string(listFiles(t, out)["kubernetes/laptop/30-worker-deployment.yaml"])
	for _, want := range []string{"image: registry.local/dsl:1.0", "replicas: 7", "namespace: data", "containerPort: 9300", "memory: 2Gi", "- 2m0s"} {
		if !strings.Contains(text, want) {
			t.Errorf("the Deployment lacks %q:\n%s", want, text)
		}
	}
}

// TestRenderGitRemovesTheConfigMap: rendering again with the model from
// git removes the ConfigMap the first render wrote, and says so.
func TestRenderGitRemovesTheConfigMap(t *testing.T) {
	out := t.TempDir()
	if code, _, stderr := runCLI("render", quickstartDir, "--target", "kubernetes", "--out", out); code != exitClean {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	code, _, stderr := runCLI("render", quickstartDir, "--target", "kubernetes", "--out", out,
		"--model-source", "git", "--repo", "https://github.com/example/quickstart.git", "--branch", "main")
	if code != exitClean {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	files := listFiles(t, out)
	if _, ok := files["kubernetes/laptop/10-model-configmap.yaml"]; ok || !strings.Contains(stderr, "removed "+filepath.Join(out, "kubernetes", "laptop", "10-model-configmap.yaml")) {
		t.Errorf("the ConfigMap is still there (%v) or its removal not told:\n%s", ok, stderr)
	}
	if !strings.Contains(string(files["kubernetes/laptop/30-worker-deployment.yaml"]), "https://github.com/example/quickstart.git") {
		t.Error("the workers do not follow the repository")
	}
}

// TestRenderRefusesForeignFiles: a file people wrote is not replaced
// without --force, and nothing is written.
func TestRenderRefusesForeignFiles(t *testing.T) {
	out := t.TempDir()
	mine := filepath.Join(out, "kubernetes", "laptop", "30-worker-deployment.yaml")
	if err := os.MkdirAll(filepath.Dir(mine), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(mine, []byte("kind: Deployment # mine\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := runCLI("render", quickstartDir, "--target", "kubernetes", "--out", out)
	if code != exitUsage || !strings.Contains(stderr, "did not come from dsl render") || !strings.Contains(stderr, "--force") {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	if files := listFiles(t, out); len(files) != 1 {
		t.Errorf("files were written although the render was refused: %v", len(files))
	}
	if code, _, stderr := runCLI("render", quickstartDir, "--target", "kubernetes", "--out", out, "--force"); code != exitClean {
		t.Fatalf("--force: exit %d\n%s", code, stderr)
	}
	if data, _ := os.ReadFile(mine); !bytes.HasPrefix(data, []byte(render.GeneratedHeader)) {
		t.Errorf("--force did not write over the file: %q", data)
	}
}

// TestRenderAirflow renders the quickstart's DAG file, which Python
// compiles, and the model's ConfigMap beside it.
func TestRenderAirflow(t *testing.T) {
	out := t.TempDir()
	code, stdout, stderr := runCLI("render", quickstartDir, "--target", "airflow", "--out", out)
	if code != exitClean {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	files := listFiles(t, out)
	dag := files["airflow/dsl_laptop.py"]
	if dag == nil || files["airflow/dsl_laptop_model.yaml"] == nil || len(files) != 2 || !strings.Contains(stdout, "dsl_laptop.py") {
		t.Fatalf("files %d, stdout %s", len(files), stdout)
	}
	if !bytes.Contains(dag, []byte(`COMMAND = ["run", "/model", "--platform", "Laptop", "--once", "--stream"]`)) {
		t.Errorf("the DAG file does not run the platform's streams:\n%s", dag)
	}
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 is not installed: the DAG file is not compiled")
	}
	if out, err := exec.Command(py, "-m", "py_compile", filepath.Join(out, "airflow", "dsl_laptop.py")).CombinedOutput(); err != nil {
		t.Errorf("the DAG file does not compile: %v\n%s", err, out)
	}
}

// TestRenderModelErrors: a model with errors is not rendered (exit 1).
func TestRenderModelErrors(t *testing.T) {
	dir, _ := quickstart(t)
	data, err := os.ReadFile(filepath.Join(dir, "eco.star"))
	if err != nil {
		t.Fatal(err)
	}
	broken := strings.Replace(string(data), `dataset(
                                    "orders",`, `dataset(
                                    "select",`, 1)
	if broken == string(data) {
		t.Fatal("the test's edit did not apply")
	}
	if err := os.WriteFile(filepath.Join(dir, "eco.star"), []byte(broken), 0o644); err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	code, _, stderr := runCLI("render", dir, "--target", "kubernetes", "--out", out)
	if code != exitFindings || !strings.Contains(stderr, "nothing is rendered") {
		t.Errorf("exit %d\n%s", code, stderr)
	}
	if files := listFiles(t, out); len(files) != 0 {
		t.Errorf("%d files written for a model with errors", len(files))
	}
}

// TestRenderUsage: each mistake is exit 2 with what is wrong, a
// did-you-mean where one fits, and no file written.
func TestRenderUsage(t *testing.T) {
	acme := filepath.Join("..", "..", "examples", "acme")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{quickstartDir, "--out", "OUT"}, "--target is missing: want kubernetes or airflow"},
		{[]string{quickstartDir, "--target", "kubernets", "--out", "OUT"}, `--target "kubernets": want kubernetes or airflow (did you mean "kubernetes"?)`},
		{[]string{quickstartDir, "--target", "airflow"}, "--out is missing"},
		{[]string{quickstartDir, quickstartDir, "--target", "airflow", "--out", "OUT"}, "want one model folder, got 2 arguments"},
		{[]string{quickstartDir, "--target", "kubernetes", "--out", "OUT", "--platform", "Laptp"}, `--platform "Laptp": the model declares no such platform (did you mean "Laptop"?)`},
		{[]string{acme, "--target", "kubernetes", "--out", "OUT", "--platform", "Legacy"}, "platform Legacy is of kind legacy, which does not move data: dsl render works on platforms of kind sql"},
		{[]string{quickstartDir, "--target", "kubernetes", "--out", "OUT", "--model-source", "gti"}, `--model-source "gti": want configmap or git (did you mean "git"?)`},
		{[]string{quickstartDir, "--target", "kubernetes", "--out", "OUT", "--model-source", "git"}, "--model-source git needs --repo and --branch"},
		{[]string{quickstartDir, "--target", "kubernetes", "--out", "OUT", "--repo", "https://x/y"}, "--repo applies to --model-source git"},
		{[]string{quickstartDir, "--target", "airflow", "--out", "OUT", "--replicas", "3"}, "--replicas applies to --target kubernetes"},
		{[]string{quickstartDir, "--target", "kubernetes", "--out", "OUT", "--memory-request", "lots"}, `memory request "lots"`},
		{[]string{quickstartDir, "--target", "kubernetes", "--out", "OUT", "--image", ""}, "no image"},
	} {
		out := filepath.Join(t.TempDir(), "out")
		args := append([]string{"render"}, tc.args...)
		for i, a := range args {
			if a == "OUT" {
				args[i] = out
			}
		}
		code, stdout, stderr := runCLI(args...)
		if code != exitUsage || !strings.Contains(stderr, tc.want) || stdout != "" {
			t.Errorf("dsl %s: exit %d, stdout %q, stderr %q; want exit 2 and %q", strings.Join(tc.args, " "), code, stdout, stderr, tc.want)
		}
		if _, err := os.Stat(out); !os.IsNotExist(err) {
			t.Errorf("dsl %s: the output folder was created", strings.Join(tc.args, " "))
		}
	}
}
