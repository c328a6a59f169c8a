"""Executes a DAG file with the stand-ins and prints its DAGs as JSON.

Usage: python3 dump.py DAG_FILE (with this folder on PYTHONPATH).
"""

import datetime
import json
import runpy
import sys

import airflow

module = runpy.run_path(sys.argv[1])


def schedule(value):
    if isinstance(value, datetime.timedelta):
        return {"seconds": int(value.total_seconds())}
    return value


def task(t):
    out = {"task_id": t.task_id}
    for key, value in t.kwargs.items():
        out[key] = [v.to_dict() for v in value] if isinstance(value, list) and value and hasattr(value[0], "to_dict") else (
            value.to_dict() if hasattr(value, "to_dict") else value)
    return out


dags = []
for dag in airflow.DAGS:
    if module.get(dag.dag_id) is not dag:
        raise SystemExit("DAG %s is not a global of the file under its id" % dag.dag_id)
    dags.append({
        "dag_id": dag.dag_id,
        "description": dag.description,
        "schedule": schedule(dag.schedule),
        "start_date": dag.start_date,
        "catchup": dag.catchup,
        "max_active_runs": dag.max_active_runs,
        "tags": dag.tags,
        "retries": dag.default_args.get("retries"),
        "tasks": [task(t) for t in dag.tasks],
        "edges": dag.edges,
    })
json.dump({"dags": dags}, sys.stdout, indent=1, sort_keys=True)
