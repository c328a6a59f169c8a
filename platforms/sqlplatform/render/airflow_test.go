package render

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/datasurface/datasurface-go/platforms"
	"github.com/datasurface/datasurface-go/platforms/sqlplatform"
)

// python3 returns the interpreter, or skips the test without one.
func python3(t *testing.T) string {
	t.Helper()
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 is not installed: the DAG file cannot be compiled or executed here")
	}
	return py
}

// The DAGs a DAG file made, as testdata/airflowstub/dump.py prints them.
type dumpedDAGs struct {
	DAGs []dumpedDAG `json:"dags"`
}

type dumpedDAG struct {
	ID            string            `json:"dag_id"`
	Description   string            `json:"description"`
	Schedule      json.RawMessage   `json:"schedule"`
	StartDate     map[string]string `json:"start_date"`
	Catchup       bool              `json:"catchup"`
	MaxActiveRuns int               `json:"max_active_runs"`
	Tasks         []dumpedTask      `json:"tasks"`
	Edges         [][2]string       `json:"edges"`
}

type dumpedTask struct {
	ID        string   `json:"task_id"`
	Name      string   `json:"name"`
	Image     string   `json:"image"`
	Arguments []string `json:"arguments"`
	EnvVars   []struct {
		Name      string `json:"name"`
		Value     string `json:"value"`
		ValueFrom struct {
			SecretKeyRef struct {
				Name     string `json:"name"`
				Key      string `json:"key"`
				Optional bool   `json:"optional"`
			} `json:"secret_key_ref"`
		} `json:"value_from"`
	} `json:"env_vars"`
	Volumes []struct {
		Name      string `json:"name"`
		ConfigMap *struct {
			Name  string `json:"name"`
			Items []struct {
				Key  string `json:"key"`
				Path string `json:"path"`
			} `json:"items"`
		} `json:"config_map"`
	} `json:"volumes"`
	Grace int `json:"termination_grace_period"`
}

// scheduleKey is the DAG's schedule in the form of schedule.key.
func (d dumpedDAG) scheduleKey(t *testing.T) string {
	t.Helper()
	var v any
	if err := json.Unmarshal(d.Schedule, &v); err != nil {
		t.Fatal(err)
	}
	switch s := v.(type) {
	case nil:
		return "manual"
	case string:
		return d.StartDate["tz"] + " " + s
	case map[string]any:
		return fmt.Sprintf("every %v", s["seconds"])
	}
	t.Fatalf("DAG %s: schedule %s", d.ID, d.Schedule)
	return ""
}

// dagFileOf returns the DAG file of a render.
func dagFileOf(t *testing.T, arts []platforms.Artifact, platform string) []byte {
	t.Helper()
	for _, a := range arts {
		if a.Name == NamesOf(platform).DAGFile {
			return a.Data
		}
	}
	t.Fatalf("no %s among %d files", NamesOf(platform).DAGFile, len(arts))
	return nil
}

// runDAGFile compiles the DAG file and executes it with the stand-in
// Airflow of testdata/airflowstub, returning the DAGs it made.
func runDAGFile(t *testing.T, data []byte) dumpedDAGs {
	t.Helper()
	py := python3(t)
	file := filepath.Join(t.TempDir(), "dag.py")
	if err := os.WriteFile(file, data, 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(py, "-m", "py_compile", file).CombinedOutput(); err != nil {
		t.Fatalf("the DAG file does not compile: %v\n%s", err, out)
	}
	stub, err := filepath.Abs(filepath.Join("testdata", "airflowstub"))
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(py, filepath.Join(stub, "dump.py"), file)
	cmd.Env = append(os.Environ(), "PYTHONPATH="+stub, "PYTHONDONTWRITEBYTECODE=1")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("executing the DAG file: %v\n%s", err, stderr.String())
	}
	var dump dumpedDAGs
	if err := json.Unmarshal(out, &dump); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	return dump
}

func renderAirflow(t *testing.T, tm testModel) []platforms.Artifact {
	t.Helper()
	arts, err := Airflow(tm.pipeline, tm.decl, tm.fsys, AirflowOptions{Options: testOptions()})
	if err != nil {
		t.Fatal(err)
	}
	return arts
}

// TestAirflowTaskGraph executes the chain model's DAG file and checks its
// DAGs against the platform's streams: each stream with a cron runs in the
// DAG of that schedule, each stream with an event or no trigger in the
// manual DAG, each transformer following its inputs in every DAG that
// holds one of them; every task runs its stream with dsl run; the edges
// are exactly the streams' After edges inside each DAG.
func TestRenderAirflowTaskGraph(t *testing.T) {
	tm := loadModel(t, os.DirFS(chainDir), "Lake")
	arts := renderAirflow(t, tm)
	dump := runDAGFile(t, dagFileOf(t, arts, "Lake"))
	streams, err := sqlplatform.Streams(tm.pipeline)
	if err != nil {
		t.Fatal(err)
	}

	// What the mapping says, derived from the streams alone.
	wantIn := map[string][]string{}
	for _, s := range streams {
		var keys []string
		switch {
		case s.Cron != "":
			sched, err := parseSchedule(s.Cron)
			if err != nil {
				t.Fatal(err)
			}
			keys = []string{sched.key()}
		case s.Event == "" && s.Transformer != "":
			for _, a := range s.After {
				keys = append(keys, wantIn[a]...)
			}
		}
		if len(keys) == 0 {
			keys = []string{"manual"}
		}
		slices.Sort(keys)
		wantIn[s.Name] = slices.Compact(keys)
	}

	gotIn := map[string][]string{}
	taskOf := map[string]string{}
	ids := map[string]bool{}
	wantEnv := expectedRefs(t, tm)
	for _, d := range dump.DAGs {
		key := d.scheduleKey(t)
		if ids[d.ID] {
			t.Errorf("DAG id %s twice", d.ID)
		}
		ids[d.ID] = true
		if d.Catchup || d.MaxActiveRuns != 1 {
			t.Errorf("DAG %s: catchup %v, max_active_runs %d", d.ID, d.Catchup, d.MaxActiveRuns)
		}
		streamOf := map[string]string{}
		var order []string
		for _, task := range d.Tasks {
			args := task.Arguments
			if len(args) != 7 || !slices.Equal(args[:6], []string{"run", ModelMount, "--platform", "Lake", "--once", "--stream"}) {
				t.Errorf("DAG %s task %s: arguments %q", d.ID, task.ID, args)
				continue
			}
			stream := args[6]
			streamOf[task.ID] = stream
			order = append(order, stream)
			gotIn[stream] = append(gotIn[stream], key)
			if prev, ok := taskOf[stream]; ok && prev != task.ID {
				t.Errorf("stream %s is task %s in one DAG and %s in another", stream, prev, task.ID)
			}
			taskOf[stream] = task.ID
			if task.Image != testOptions().Image || task.Grace != int(testOptions().GracePeriod.Seconds()) {
				t.Errorf("task %s: image %q, grace %d", task.ID, task.Image, task.Grace)
			}
			gotEnv := map[string]SecretRef{}
			for _, e := range task.EnvVars {
				r := e.ValueFrom.SecretKeyRef
				if e.Value != "" || r.Name == "" {
					t.Errorf("task %s: variable %s is not read from a Secret", task.ID, e.Name)
				}
				gotEnv[e.Name] = SecretRef{Secret: r.Name, Key: r.Key, Optional: r.Optional}
			}
			if !maps.Equal(gotEnv, wantEnv) {
				t.Errorf("task %s: environment %v, want %v", task.ID, gotEnv, wantEnv)
			}
			if len(task.Volumes) == 0 || task.Volumes[0].ConfigMap == nil || task.Volumes[0].ConfigMap.Name != NamesOf("Lake").Model {
				t.Errorf("task %s: volumes %+v", task.ID, task.Volumes)
			}
		}
		// Tasks come in run order, so every task's upstream exists first.
		var runOrder []string
		for _, s := range streams {
			if slices.Contains(order, s.Name) {
				runOrder = append(runOrder, s.Name)
			}
		}
		if !slices.Equal(order, runOrder) {
			t.Errorf("DAG %s: tasks in the order %v, want %v", d.ID, order, runOrder)
		}
		var gotEdges, wantEdges []string
		for _, e := range d.Edges {
			gotEdges = append(gotEdges, streamOf[e[0]]+" >> "+streamOf[e[1]])
		}
		for _, s := range streams {
			if !slices.Contains(order, s.Name) {
				continue
			}
			for _, a := range s.After {
				if slices.Contains(order, a) {
					wantEdges = append(wantEdges, a+" >> "+s.Name)
				}
			}
		}
		slices.Sort(gotEdges)
		slices.Sort(wantEdges)
		if !slices.Equal(gotEdges, wantEdges) {
			t.Errorf("DAG %s: edges %v, want %v", d.ID, gotEdges, wantEdges)
		}
	}
	for _, s := range streams {
		got := slices.Clone(gotIn[s.Name])
		slices.Sort(got)
		if !slices.Equal(got, wantIn[s.Name]) {
			t.Errorf("stream %s runs in DAGs %v, want %v", s.Name, got, wantIn[s.Name])
		}
		if id := taskOf[s.Name]; strings.HasPrefix(id, "transform_") != (s.Transformer != "") {
			t.Errorf("stream %s (transformer %q) is task %s", s.Name, s.Transformer, id)
		}
	}
	// The test model exercises every rule: several cron DAGs, the manual
	// DAG, and a transformer in more than one DAG.
	if len(dump.DAGs) < 4 || !slices.Contains(gotIn["Clicks"], "manual") || len(gotIn["Joined"]) < 2 {
		t.Errorf("the test model no longer exercises the mapping: %d DAGs, Clicks in %v, Joined in %v", len(dump.DAGs), gotIn["Clicks"], gotIn["Joined"])
	}
}

// strangeModel is a model whose platform and stream names hold quotes,
// backslashes, a newline and non-ASCII letters: dsl lint refuses them, but
// a render must still write a file that says them exactly.
func strangeModel(t *testing.T) testModel {
	t.Helper()
	const platform = `La"ke'\ x`
	files := chainFiles(t,
		`platform("Lake", kind = "sql", options = {"milestoning": "live"}),`, `platform("La\"ke'\\ x", kind = "sql"),`,
		`"Orders",
            capture`, `"Or\"\"\"ders\nä'''",
            capture`)
	text := string(files["teams/shop.star"].Data)
	text = strings.ReplaceAll(text, `platform = "Lake"`, `platform = "La\"ke'\\ x"`)
	text = strings.ReplaceAll(text, `sink("Orders"`, `sink("Or\"\"\"ders\nä'''"`)
	files["teams/shop.star"] = &fstest.MapFile{Data: []byte(text)}
	return loadUnchecked(t, files, platform)
}

// TestAirflowEscapesNames: names with quotes and backslashes reach the
// DAGs exactly, as the arguments of the tasks, without breaking the file.
func TestRenderAirflowEscapesNames(t *testing.T) {
	tm := strangeModel(t)
	platform := tm.decl.Name
	arts := renderAirflow(t, tm)
	dump := runDAGFile(t, dagFileOf(t, arts, platform))
	var streams []string
	for _, d := range dump.DAGs {
		for _, task := range d.Tasks {
			if len(task.Arguments) != 7 || task.Arguments[3] != platform {
				t.Errorf("task %s: arguments %q, want the platform %q", task.ID, task.Arguments, platform)
				continue
			}
			streams = append(streams, task.Arguments[6])
		}
	}
	if !slices.Contains(streams, "Or\"\"\"ders\nä'''") {
		t.Errorf("the strange stream is not run: %q", streams)
	}
	// The Kubernetes manifests of the same model hold valid names and
	// decode strictly.
	k, err := Kubernetes(tm.pipeline, tm.decl, tm.fsys, kubeOptions())
	if err != nil {
		t.Fatal(err)
	}
	m := decodeAll(t, k, NamesOf(platform))
	if got := m.workers.Annotations[annotationPlatform]; got != platform {
		t.Errorf("platform annotation %q, want %q", got, platform)
	}
	if args := m.workers.Spec.Template.Spec.Containers[0].Args; args[3] != platform {
		t.Errorf("worker args %q", args)
	}
}

// TestAirflowRefusesTemplates: a name Airflow would render as a Jinja
// template is refused.
func TestRenderAirflowRefusesTemplates(t *testing.T) {
	files := chainFiles(t, `"Clicks",
            capture`, `"Cl{{ var.value.x }}icks",
            capture`)
	text := strings.ReplaceAll(string(files["teams/shop.star"].Data), `sink("Clicks"`, `sink("Cl{{ var.value.x }}icks"`)
	files["teams/shop.star"] = &fstest.MapFile{Data: []byte(text)}
	tm := loadUnchecked(t, files, "Lake")
	_, err := Airflow(tm.pipeline, tm.decl, tm.fsys, AirflowOptions{Options: testOptions()})
	if err == nil || !strings.Contains(err.Error(), "Jinja template") {
		t.Errorf("error %v, want one about a Jinja template", err)
	}
}

// TestAirflowDeterministic: two renders are byte-identical, as the golden
// file holds them, and the model's ConfigMap is the one Kubernetes writes.
func TestRenderAirflowDeterministic(t *testing.T) {
	tm := loadModel(t, os.DirFS(chainDir), "Lake")
	first, second := renderAirflow(t, tm), renderAirflow(t, tm)
	if len(first) != 2 || len(second) != 2 {
		t.Fatalf("%d then %d files, want 2", len(first), len(second))
	}
	for i := range first {
		if first[i].Name != second[i].Name || !bytes.Equal(first[i].Data, second[i].Data) {
			t.Errorf("%s differs between two renders", first[i].Name)
		}
	}
	k, err := Kubernetes(tm.pipeline, tm.decl, tm.fsys, kubeOptions())
	if err != nil {
		t.Fatal(err)
	}
	var kubeModel, airflowModel []byte
	for _, a := range k {
		if strings.HasSuffix(a.Name, fileModel) {
			kubeModel = a.Data
		}
	}
	for _, a := range first {
		if a.Name == NamesOf("Lake").DAGModel {
			airflowModel = a.Data
		}
	}
	strip := func(b []byte) string {
		var keep []string
		for _, line := range strings.Split(string(b), "\n") {
			if !strings.HasPrefix(line, "#") {
				keep = append(keep, line)
			}
		}
		return strings.Join(keep, "\n")
	}
	if kubeModel == nil || strip(kubeModel) != strip(airflowModel) {
		t.Error("the Airflow render's ConfigMap differs from the Kubernetes one")
	}
	checkGolden(t, "airflow.txtar", first)
}

// TestParseSchedule: the model's cron specs become Airflow's schedules,
// specs that mean the same become one schedule, and what the platform
// would refuse is an error.
func TestRenderParseSchedule(t *testing.T) {
	for _, tc := range []struct {
		spec, key string
	}{
		{"0 * * * *", "UTC 0 * * * *"},
		{"  */5   *  * * 1-5 ", "UTC */5 * * * 1-5"},
		{"@hourly", "UTC 0 * * * *"},
		{"@daily", "UTC 0 0 * * *"},
		{"@midnight", "UTC 0 0 * * *"},
		{"@weekly", "UTC 0 0 * * 0"},
		{"@monthly", "UTC 0 0 1 * *"},
		{"@yearly", "UTC 0 0 1 1 *"},
		{"@annually", "UTC 0 0 1 1 *"},
		{"@every 90s", "every 90"},
		{"@every 1h30m", "every 5400"},
		{"CRON_TZ=Europe/Paris 30 6 * * *", "Europe/Paris 30 6 * * *"},
		{"TZ=America/New_York @daily", "America/New_York 0 0 * * *"},
	} {
		s, err := parseSchedule(tc.spec)
		if err != nil {
			t.Errorf("%q: %v", tc.spec, err)
			continue
		}
		if s.key() != tc.key {
			t.Errorf("%q: schedule %q, want %q", tc.spec, s.key(), tc.key)
		}
	}
	for _, bad := range []string{"", "* * *", "61 * * * *", "@fortnightly", "TZ=Nowhere/Land 0 * * * *"} {
		if _, err := parseSchedule(bad); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}
