package k8sephemeralstoragelimits

import data.lib.objects
import data.lib.pods
import data.lib.quantity

# No limit: the container may fill the node's disk (logs, emptyDir without sizeLimit,
# writable layer) until the kubelet evicts pods under disk pressure.
violation contains {"msg": msg, "details": details} if {
	obj := input.review.object
	some entry in storage_containers(obj)
	object.get(entry.container, ["resources", "limits", "ephemeral-storage"], null) == null
	msg := sprintf(
		"%s %s: container %q (%s) has no ephemeral-storage limit; set resources.limits.ephemeral-storage%s",
		[obj.kind, objects.name(obj), entry.name, entry.path, at_most],
	)
	details := storage_details(entry, null)
}

violation contains {"msg": msg, "details": details} if {
	obj := input.review.object
	some entry in storage_containers(obj)
	limit := entry.container.resources.limits["ephemeral-storage"]
	amount(limit) > amount(max_limit)
	msg := sprintf(
		"%s %s: container %q (%s) has an ephemeral-storage limit of %v, above the maximum %v; lower it to %v or less",
		[obj.kind, objects.name(obj), entry.name, entry.path, limit, max_limit, max_limit],
	)
	details := storage_details(entry, limit)
}

# A limit that is not a quantity cannot be shown to be a real bound.
violation contains {"msg": msg, "details": details} if {
	obj := input.review.object
	some entry in storage_containers(obj)
	limit := entry.container.resources.limits["ephemeral-storage"]
	limit != null
	not amount(limit)
	msg := sprintf(
		"%s %s: container %q (%s) has an ephemeral-storage limit of %v, which is not a quantity; set it%s",
		[obj.kind, objects.name(obj), entry.name, entry.path, limit, at_most],
	)
	details := storage_details(entry, limit)
}

# A maximum that is not a quantity would silently admit everything; say so instead.
violation contains {"msg": msg, "details": {"parameter": "maxLimit", "value": max_limit}} if {
	obj := input.review.object
	pods.is_workload(obj)
	not amount(max_limit)
	msg := sprintf(
		"%s %s: the constraint's maxLimit %v is not a Kubernetes quantity such as 512Mi, 2Gi or 10G; fix it",
		[obj.kind, objects.name(obj), max_limit],
	)
}

# max_limit is the optional cap; undefined when the constraint sets none.
max_limit := value if {
	value := object.get(input, ["parameters", "maxLimit"], "")
	not value in {"", null}
}

at_most := sprintf(" to at most %v", [max_limit])

at_most := "" if not max_limit

# Ephemeral (debug) containers are left out: the API server forbids resources on them.
storage_containers(obj) := [entry |
	some entry in pods.containers(obj)
	entry.field != "ephemeralContainers"
]

storage_details(entry, limit) := {
	"container": entry.name,
	"path": entry.path,
	"field": sprintf("%s.resources.limits.ephemeral-storage", [entry.path]),
	"value": limit,
}

# amount(q) is a quantity in bytes.
amount(q) := quantity.parse(q)
