package render

import (
	"fmt"
	"io/fs"
	"maps"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/datasurface/datasurface-go/ecosystem"
	"github.com/datasurface/datasurface-go/graph"
	"github.com/datasurface/datasurface-go/platforms"
)

// Airflow renders platform decl's pipeline pl as Airflow DAGs, in one
// Python file (airflow/dsl_PLATFORM.py): every stream is a task running
// dsl run --once --stream in a pod (the cncf.kubernetes provider's
// KubernetesPodOperator), in the pipeline's order, on the model's
// schedules (see planDAGs for the mapping). The pods mount the model from
// a ConfigMap written beside it (airflow/dsl_PLATFORM_model.yaml, the one
// Kubernetes renders) and read the merge store's address and the
// credentials from Secrets by name (SecretRefs). The same input gives the
// same files, byte for byte.
func Airflow(pl *graph.Pipeline, decl *ecosystem.Platform, model fs.FS, opts AirflowOptions) ([]platforms.Artifact, error) {
	if err := opts.check(); err != nil {
		return nil, err
	}
	t, err := newTarget(pl, decl)
	if err != nil {
		return nil, err
	}
	files, err := modelFiles(model, opts.Entry)
	if err != nil {
		return nil, fmt.Errorf("platform %s: %w", t.platform, err)
	}
	if err := checkNoTemplates(t, opts, files); err != nil {
		return nil, err
	}
	dags, err := planDAGs(t)
	if err != nil {
		return nil, err
	}
	cm, err := manifest("The model's .star files, which the pods of the Airflow tasks mount at "+ModelMount+":\n"+
		"apply it to the namespace the pods run in.", modelConfigMap(t, files, opts.Namespace))
	if err != nil {
		return nil, fmt.Errorf("platform %s: the model's ConfigMap: %w", t.platform, err)
	}
	return sortArtifacts([]platforms.Artifact{
		{Name: t.names.DAGFile, Data: []byte(dagFile(t, opts, files, dags))},
		{Name: t.names.DAGModel, Data: cm},
	})
}

// checkNoTemplates refuses names that Airflow would take for Jinja
// templates: the operator renders its arguments, pod name and volumes as
// templates, so a stream named "{{ ... }}" would run something else.
// Names that pass dsl lint (SQL identifiers) never hold one.
func checkNoTemplates(t *target, opts AirflowOptions, files []modelFile) error {
	values := []string{t.platform, opts.Image, opts.Entry}
	for _, s := range t.streams {
		values = append(values, s.Name)
	}
	for _, f := range files {
		values = append(values, f.path)
	}
	for _, v := range values {
		for _, mark := range []string{"{{", "{%", "{#"} {
			if strings.Contains(v, mark) {
				return fmt.Errorf("platform %s: %q holds %q, which Airflow would render as a Jinja template: rename it", t.platform, v, mark)
			}
		}
	}
	return nil
}

// airflowStart is every DAG's start date: fixed, so the file is the same on
// every render; with catchup off, Airflow runs only the latest interval.
var airflowStart = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

// dagFile writes the DAG file: the platform's settings and DAGs as data,
// then the few lines that turn them into operators.
func dagFile(t *target, opts AirflowOptions, files []modelFile, dags []dagPlan) string {
	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	w("%s\n", GeneratedHeader)
	w(`"""Airflow DAGs that run the streams of one DataSurface platform of kind sql.

Each task runs one stream in a pod: dsl run MODEL --platform P --once --stream S,
which runs the stream's transformer first when it has one (the tasks named
transform_*). Tasks follow the pipeline's order; the DAGs follow the model's
schedules: one per cron schedule, and one without a schedule (manual) for the
streams triggered from outside. See docs/RENDER.md.
"""

import datetime

import pendulum
from airflow import DAG
from airflow.providers.cncf.kubernetes.operators.pod import KubernetesPodOperator
from kubernetes.client import models as k8s

`)
	w("PLATFORM = %s\n", pyStr(t.platform))
	w("IMAGE = %s\n", pyStr(opts.Image))
	w("# The pods' namespace; None leaves it to the Kubernetes connection.\n")
	if opts.Namespace == "" {
		w("NAMESPACE = None\n")
	} else {
		w("NAMESPACE = %s\n", pyStr(opts.Namespace))
	}
	w("\n# The model: the files of the ConfigMap %s (in %s beside this file),\n", t.names.Model, path.Base(t.names.DAGModel))
	w("# back at their paths under MODEL_MOUNT: (key in the ConfigMap, path).\n")
	w("MODEL_CONFIG_MAP = %s\n", pyStr(t.names.Model))
	w("MODEL_MOUNT = %s\n", pyStr(ModelMount))
	w("MODEL_FILES = [\n")
	for _, f := range files {
		w("    (%s, %s),\n", pyStr(f.key), pyStr(f.path))
	}
	w("]\n\n")
	w("# What every task runs, followed by its stream's name.\n")
	w("COMMAND = %s\n\n", pyStrList(append(dslArgs(t, opts.Entry, "run"), "--once", "--stream")))
	w("# Environment variables read from Kubernetes Secrets by name, never values:\n")
	w("# (variable, Secret, key, optional).\n")
	w("SECRET_ENV = [\n")
	for _, r := range t.secrets {
		w("    (%s, %s, %s, %s),\n", pyStr(r.Var), pyStr(r.Secret), pyStr(r.Key), pyBool(r.Optional))
	}
	w("]\n\n")
	req, lim := resourceMaps(opts.Resources)
	w("RESOURCE_REQUESTS = %s\n", pyStrDict(slices.Sorted(maps.Keys(req)), req))
	w("RESOURCE_LIMITS = %s\n", pyStrDict(slices.Sorted(maps.Keys(lim)), lim))
	w("# Seconds a pod has to finish its batch after SIGTERM.\n")
	w("GRACE_PERIOD_SECONDS = %d\n", int64(opts.GracePeriod/time.Second))
	lbl := labels(t, "airflow-task")
	w("LABELS = %s\n\n", pyStrDict(slices.Sorted(maps.Keys(lbl)), lbl))
	w("# The DAGs. Each task is (task id, pod name, stream, upstream task ids),\n")
	w("# in the pipeline's order.\n")
	w("DAGS = [\n")
	for _, d := range dags {
		w("    {\n")
		w("        \"dag_id\": %s,\n", pyStr(d.id))
		w("        \"description\": %s,\n", pyStr(d.description))
		switch {
		case d.schedule.every > 0:
			w("        \"schedule\": datetime.timedelta(seconds=%d),\n", int64(d.schedule.every/time.Second))
		case d.schedule.cron != "":
			w("        \"schedule\": %s,\n", pyStr(d.schedule.cron))
		default:
			w("        \"schedule\": None,\n")
		}
		w("        \"timezone\": %s,\n", pyStr(d.schedule.timezone))
		w("        \"tasks\": [\n")
		for _, tk := range d.tasks {
			w("            (%s, %s, %s, %s),\n", pyStr(tk.id), pyStr(tk.pod), pyStr(tk.stream), pyStrList(tk.upstream))
		}
		w("        ],\n")
		w("    },\n")
	}
	w("]\n")
	b.WriteString(`

def _secret_env():
    return [
        k8s.V1EnvVar(
            name=variable,
            value_from=k8s.V1EnvVarSource(
                secret_key_ref=k8s.V1SecretKeySelector(name=secret, key=key, optional=optional or None)
            ),
        )
        for variable, secret, key, optional in SECRET_ENV
    ]


def _stream_task(dag, task_id, pod_name, stream):
    return KubernetesPodOperator(
        dag=dag,
        task_id=task_id,
        name=pod_name,
        namespace=NAMESPACE,
        image=IMAGE,
        arguments=COMMAND + [stream],
        env_vars=_secret_env(),
        labels=LABELS,
        volumes=[
            k8s.V1Volume(
                name="model",
                config_map=k8s.V1ConfigMapVolumeSource(
                    name=MODEL_CONFIG_MAP,
                    items=[k8s.V1KeyToPath(key=key, path=path) for key, path in MODEL_FILES],
                ),
            ),
            k8s.V1Volume(name="tmp", empty_dir=k8s.V1EmptyDirVolumeSource()),
        ],
        volume_mounts=[
            k8s.V1VolumeMount(name="model", mount_path=MODEL_MOUNT, read_only=True),
            k8s.V1VolumeMount(name="tmp", mount_path="/tmp"),
        ],
        container_resources=k8s.V1ResourceRequirements(
            requests=RESOURCE_REQUESTS or None, limits=RESOURCE_LIMITS or None
        ),
        security_context={
            "runAsNonRoot": True,
            "runAsUser": ` + strconv.Itoa(runAsID) + `,
            "runAsGroup": ` + strconv.Itoa(runAsID) + `,
            "fsGroup": ` + strconv.Itoa(runAsID) + `,
            "seccompProfile": {"type": "RuntimeDefault"},
        },
        container_security_context={
            "allowPrivilegeEscalation": False,
            "readOnlyRootFilesystem": True,
            "capabilities": {"drop": ["ALL"]},
        },
        termination_grace_period=GRACE_PERIOD_SECONDS,
        get_logs=True,
        on_finish_action="delete_pod",
    )


def _build(spec):
    dag = DAG(
        dag_id=spec["dag_id"],
        description=spec["description"],
        schedule=spec["schedule"],
        start_date=pendulum.datetime(` + airflowStart.Format("2006, 1, 2") + `, tz=spec["timezone"]),
        catchup=False,
        max_active_runs=1,
        default_args={"retries": 2, "retry_delay": datetime.timedelta(minutes=1)},
        tags=["datasurface", ` + pyStr(t.names.Instance) + `],
    )
    tasks = {}
    for task_id, pod_name, stream, upstream in spec["tasks"]:
        tasks[task_id] = _stream_task(dag, task_id, pod_name, stream)
        for up in upstream:
            tasks[up] >> tasks[task_id]
    return dag


for _spec in DAGS:
    globals()[_spec["dag_id"]] = _build(_spec)
`)
	return b.String()
}

// resourceMaps are the requests and limits as Kubernetes spells them.
func resourceMaps(r Resources) (requests, limits map[string]string) {
	requests, limits = map[string]string{}, map[string]string{}
	put := func(m map[string]string, k, v string) {
		if v != "" {
			m[k] = v
		}
	}
	put(requests, "cpu", r.CPURequest)
	put(requests, "memory", r.MemoryRequest)
	put(limits, "cpu", r.CPULimit)
	put(limits, "memory", r.MemoryLimit)
	return requests, limits
}
