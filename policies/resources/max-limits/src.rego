package k8smaxlimits

import data.lib.objects
import data.lib.pods
import data.lib.quantity

# A container limit above the constraint's maximum. A missing limit is not this policy's
# business (limits-required asks for one), so only limits that are set are compared.
violation contains {"msg": msg, "details": details} if {
	obj := input.review.object
	some entry in pods.containers(obj)
	some name, maximum in maxima
	limit := entry.container.resources.limits[name]
	amount(limit) > amount(maximum)
	msg := sprintf(
		"%s %s: container %q (%s) has a %s limit of %v, above the maximum %v; lower resources.limits.%s to %v or less",
		[obj.kind, objects.name(obj), entry.name, entry.path, name, limit, maximum, name, maximum],
	)
	details := limit_details(entry, name, limit, maximum)
}

# A limit that is not a quantity cannot be shown to be under the maximum.
violation contains {"msg": msg, "details": details} if {
	obj := input.review.object
	some entry in pods.containers(obj)
	some name, maximum in maxima
	limit := entry.container.resources.limits[name]
	limit != null
	not amount(limit)
	msg := sprintf(
		"%s %s: container %q (%s) has a %s limit of %v, which is not a quantity; set resources.limits.%s to %v or less",
		[obj.kind, objects.name(obj), entry.name, entry.path, name, limit, name, maximum],
	)
	details := limit_details(entry, name, limit, maximum)
}

# A maximum that is not a quantity would silently admit everything; say so instead.
violation contains {"msg": msg, "details": {"parameter": name, "value": maximum}} if {
	obj := input.review.object
	pods.is_workload(obj)
	some name, maximum in maxima
	not amount(maximum)
	msg := sprintf(
		"%s %s: the constraint's maximum %s limit %v is not a Kubernetes quantity such as 2, 500m or 4Gi; fix it",
		[obj.kind, objects.name(obj), name, maximum],
	)
}

# maxima holds the maxima the constraint sets; an empty or missing parameter is no maximum.
maxima[name] := maximum if {
	some name in ["cpu", "memory"]
	maximum := object.get(input, ["parameters", name], "")
	not maximum in {"", null}
}

limit_details(entry, name, limit, maximum) := {
	"container": entry.name,
	"path": entry.path,
	"field": sprintf("%s.resources.limits.%s", [entry.path, name]),
	"value": limit,
	"maximum": maximum,
}

# amount(q) is a quantity in base units: cores for cpu, bytes for memory.
amount(q) := quantity.parse(q)

# Kubernetes also accepts the nano and micro suffixes, which lib.quantity does not parse.
amount(q) := to_number(trim_suffix(q, "n")) / 1000000000 if small_unit(q, "n")

amount(q) := to_number(trim_suffix(q, "u")) / 1000000 if small_unit(q, "u")

small_unit(q, suffix) if {
	is_string(q)
	regex.match(sprintf(`^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)%s$`, [suffix]), q)
}
