# Pod specs and containers of every workload kind, with stable paths for messages.
package lib.pods

# Kinds whose pod spec sits at spec.template.spec.
template_kinds := {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "ReplicationController"}

container_fields := ["containers", "initContainers", "ephemeralContainers"]

# pod_spec(obj) is the pod spec of a Pod, a pod template workload or a CronJob.
pod_spec(obj) := obj.spec if obj.kind == "Pod"

pod_spec(obj) := obj.spec.template.spec if obj.kind in template_kinds

pod_spec(obj) := obj.spec.jobTemplate.spec.template.spec if obj.kind == "CronJob"

# spec_path(obj) is the dotted path of the pod spec, for messages.
spec_path(obj) := "spec" if obj.kind == "Pod"

spec_path(obj) := "spec.template.spec" if obj.kind in template_kinds

spec_path(obj) := "spec.jobTemplate.spec.template.spec" if obj.kind == "CronJob"

# containers(obj) lists every container of every kind as
# {"container": c, "field": "initContainers", "index": 0, "path": "spec.initContainers[0]", "name": c.name}.
containers(obj) := [entry |
	spec := pod_spec(obj)
	prefix := spec_path(obj)
	some field in container_fields
	some i, c in object.get(spec, field, [])
	entry := {
		"container": c,
		"field": field,
		"index": i,
		"name": object.get(c, "name", sprintf("#%d", [i])),
		"path": sprintf("%s.%s[%d]", [prefix, field, i]),
	}
]

# is_workload(obj) holds for every kind that carries a pod spec.
is_workload(obj) if pod_spec(obj)

# volumes(obj) lists the pod's volumes (empty when none).
volumes(obj) := object.get(pod_spec(obj), "volumes", [])
