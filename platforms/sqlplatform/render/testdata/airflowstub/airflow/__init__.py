"""Stand-in for airflow: DAG records its arguments, tasks and edges."""

DAGS = []


class DAG:
    def __init__(self, dag_id, description=None, schedule=None, start_date=None, catchup=True,
                 max_active_runs=16, default_args=None, tags=None):
        self.dag_id = dag_id
        self.description = description
        self.schedule = schedule
        self.start_date = start_date
        self.catchup = catchup
        self.max_active_runs = max_active_runs
        self.default_args = default_args or {}
        self.tags = tags or []
        self.tasks = []
        self.edges = []
        DAGS.append(self)

    def add_task(self, task):
        if any(t.task_id == task.task_id for t in self.tasks):
            raise ValueError("DAG %s has task %s twice" % (self.dag_id, task.task_id))
        self.tasks.append(task)
