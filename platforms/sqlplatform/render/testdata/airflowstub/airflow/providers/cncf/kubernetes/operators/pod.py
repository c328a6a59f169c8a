"""Stand-in for the cncf.kubernetes provider's KubernetesPodOperator."""


class KubernetesPodOperator:
    def __init__(self, *, task_id, dag, name=None, namespace=None, image=None, cmds=None, arguments=None,
                 env_vars=None, labels=None, volumes=None, volume_mounts=None, container_resources=None,
                 security_context=None, container_security_context=None, termination_grace_period=None,
                 get_logs=True, on_finish_action="delete_pod"):
        self.task_id = task_id
        self.dag = dag
        self.kwargs = dict(name=name, namespace=namespace, image=image, cmds=cmds, arguments=arguments,
                           env_vars=env_vars, labels=labels, volumes=volumes, volume_mounts=volume_mounts,
                           container_resources=container_resources, security_context=security_context,
                           container_security_context=container_security_context,
                           termination_grace_period=termination_grace_period, get_logs=get_logs,
                           on_finish_action=on_finish_action)
        dag.add_task(self)

    def __rshift__(self, other):
        if other.dag is not self.dag:
            raise ValueError("an edge between DAGs: %s >> %s" % (self.task_id, other.task_id))
        self.dag.edges.append([self.task_id, other.task_id])
        return other
