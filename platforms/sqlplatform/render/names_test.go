package render

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/util/validation"

	"github.com/datasurface/datasurface-go/platforms/sqlplatform"
)

// strangeNames are platform and credential names from the plain to the
// awkward: long, punctuated, non-ASCII, ending in punctuation, empty.
var strangeNames = []string{
	"Lake", "Warehouse2", "ware_house", "ware__house", "prod/crm-reader", "Café", "x_", "_x", "",
	strings.Repeat("VeryLongPlatformName", 6) + "A", strings.Repeat("VeryLongPlatformName", 6) + "B",
	"a.b", `quote"d`, "--", "ä",
}

// TestNamesAreValid: every object name is a DNS label (the Service's a
// DNS-1035 one too), whatever the model's name.
func TestRenderNamesAreValid(t *testing.T) {
	for _, name := range strangeNames {
		n := NamesOf(name)
		for what, v := range map[string]string{
			"instance": n.Instance, "worker": n.Worker, "migrate": n.Migrate, "model": n.Model, "metrics": n.Metrics,
			"store secret": n.StoreSecret, "credential secret": CredentialSecretName(name),
			"migrate job": objectName("dsl-", name, "-migrate-"+shortHash("template")),
			"folder":      strings.TrimPrefix(n.Dir, "kubernetes/"),
		} {
			if errs := validation.IsDNS1123Label(v); len(errs) > 0 {
				t.Errorf("%q: %s name %q: %v", name, what, v, errs)
			}
		}
		if errs := validation.IsDNS1035Label(n.Metrics); len(errs) > 0 {
			t.Errorf("%q: Service name %q: %v", name, n.Metrics, errs)
		}
		if id := strings.TrimSuffix(strings.TrimPrefix(n.DAGFile, "airflow/"), ".py"); !regexp.MustCompile(`^[a-z][a-z0-9_]*$`).MatchString(id) {
			t.Errorf("%q: DAG file %q is not a Python module name", name, n.DAGFile)
		}
		if NamesOf(name) != n {
			t.Errorf("%q: names differ between two calls", name)
		}
	}
}

// TestNamesFollowTheEnvironmentRule: a name short enough to need no cut is
// the platform's environment variable in DNS form, so Secret names and
// variables correspond one to one.
func TestRenderNamesFollowTheEnvironmentRule(t *testing.T) {
	for _, name := range []string{"Lake", "ware_house", "prod/crm-reader", "Caféteria", "a.b"} {
		env := strings.TrimPrefix(sqlplatform.StoreEnvVar(name), sqlplatform.StoreEnvPrefix)
		want := "dsl-store-" + strings.ToLower(strings.ReplaceAll(env, "_", "-"))
		if got := StoreSecretName(name); got != want {
			t.Errorf("%q: store Secret %q, want %q (from %s)", name, got, want, sqlplatform.StoreEnvVar(name))
		}
		cred := strings.TrimPrefix(sqlplatform.CredentialEnvPrefix(name), "DSL_CREDENTIAL_")
		if got, want := CredentialSecretName(name), "dsl-credential-"+strings.ToLower(strings.ReplaceAll(cred, "_", "-")); got != want {
			t.Errorf("%q: credential Secret %q, want %q", name, got, want)
		}
	}
}

// TestNamesDistinct: names whose environment variables differ get
// different objects, also when they had to be cut.
func TestRenderNamesDistinct(t *testing.T) {
	seen := map[string]string{}
	for _, name := range strangeNames {
		env := sqlplatform.StoreEnvVar(name)
		for _, v := range []string{NamesOf(name).Worker, CredentialSecretName(name)} {
			if other, ok := seen[v]; ok && sqlplatform.StoreEnvVar(other) != env {
				t.Errorf("%q and %q both give %s", other, name, v)
			}
			seen[v] = name
		}
	}
}

// TestTaskIDs: task ids are valid Airflow ids, distinct for distinct
// names, and keep plain names as they are.
func TestRenderTaskIDs(t *testing.T) {
	valid := regexp.MustCompile(`^[A-Za-z0-9_-]{1,250}$`)
	seen := map[string]string{}
	for _, name := range append(strangeNames, "Crm.accounts", "Crm_accounts", strings.Repeat("x", 300), strings.Repeat("x", 300)+"y") {
		id := taskID("ingest_", name)
		if !valid.MatchString(id) {
			t.Errorf("%q: task id %q", name, id)
		}
		if other, ok := seen[id]; ok {
			t.Errorf("%q and %q both give %s", other, name, id)
		}
		seen[id] = name
	}
	if got := taskID("ingest_", "Orders"); got != "ingest_Orders" {
		t.Errorf("a plain name became %q", got)
	}
}

// TestPyStr: Python reads every literal back as the string written.
func TestRenderPyStr(t *testing.T) {
	py := python3(t)
	values := []string{"", "plain", `a"b`, `a'b`, `back\slash`, "new\nline", "tab\t", "nul\x00", "bell\x07", "del\x7f",
		"é", "ä'''", `"""`, "中文", "emoji 😀", "\u2028", "{{ not a template here }}", "# not a comment", `\N{BULLET}`, `\x41`}
	var b strings.Builder
	b.WriteString("import json, sys\nvalues = [\n")
	for _, v := range values {
		b.WriteString("    " + pyStr(v) + ",\n")
	}
	b.WriteString("]\njson.dump(values, sys.stdout)\n")
	file := filepath.Join(t.TempDir(), "strings.py")
	if err := os.WriteFile(file, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(py, file).Output()
	if err != nil {
		t.Fatalf("%v\n%s", err, b.String())
	}
	var got []string
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatal(err)
	}
	if len(got) != len(values) {
		t.Fatalf("%d values back, want %d", len(got), len(values))
	}
	for i := range values {
		if got[i] != values[i] {
			t.Errorf("%q came back as %q (literal %s)", values[i], got[i], pyStr(values[i]))
		}
	}
}
