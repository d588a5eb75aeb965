package k8srequiredprobes

import data.lib.objects
import data.lib.pods

default_probes := ["livenessProbe", "readinessProbe"]

# required_probes are container field names; "liveness" or "Readiness" in the
# parameters mean livenessProbe and readinessProbe.
required_probes contains probe_field(name) if {
	some name in object.get(input, ["parameters", "probes"], default_probes)
}

violation contains {"msg": msg, "details": details} if {
	obj := input.review.object
	not batch_workload(obj)
	some entry in pods.containers(obj)
	entry.field == "containers"
	some probe in required_probes
	object.get(entry.container, probe, null) == null
	msg := sprintf(
		"%s %s: container %q (%s) has no %s; add %s.%s with an httpGet, tcpSocket, grpc or exec check",
		[obj.kind, objects.name(obj), entry.name, entry.path, probe, entry.path, probe],
	)
	details := {"container": entry.name, "path": entry.path, "probe": probe}
}

probe_kinds := {"liveness", "readiness", "startup"}

probe_field(name) := concat("", [short, "Probe"]) if {
	short := trim_suffix(lower(name), "probe")
	short in probe_kinds
}

probe_field(name) := name if not trim_suffix(lower(name), "probe") in probe_kinds

# Jobs run to completion: readiness means nothing for them and a liveness probe is optional,
# so batch workloads and the pods a Job creates are not checked.
batch_workload(obj) if obj.kind in {"Job", "CronJob"}

batch_workload(obj) if {
	obj.kind == "Pod"
	some owner in object.get(obj, ["metadata", "ownerReferences"], [])
	owner.kind == "Job"
}
