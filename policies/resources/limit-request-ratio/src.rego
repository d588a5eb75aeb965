package k8slimitrequestratio

import data.lib.objects
import data.lib.pods
import data.lib.quantity

# limit / request above maxRatio. A resource with only a limit or only a request is not
# compared: limits-required and requests-required ask for those.
violation contains {"msg": msg, "details": details} if {
	obj := input.review.object
	some entry in pods.containers(obj)
	some name in resources
	pair := limit_and_request(entry.container, name)
	ratio := limit_ratio(amount(pair.limit), amount(pair.request))
	exceeds(ratio)
	msg := sprintf(
		"%s %s: container %q (%s) has a %s limit of %v %s, above the maximum %vx; %s",
		[
			obj.kind, objects.name(obj), entry.name, entry.path,
			name, pair.limit, relation(ratio, pair), max_ratio, fix(name),
		],
	)
	details := ratio_details(entry, name, pair, ratio)
}

# A limit or request that is not a quantity cannot be shown to keep the ratio.
violation contains {"msg": msg, "details": details} if {
	obj := input.review.object
	some entry in pods.containers(obj)
	some name in resources
	pair := limit_and_request(entry.container, name)
	some field in ["limit", "request"]
	not amount(pair[field])
	msg := sprintf(
		"%s %s: container %q (%s) has a %s %s of %v, which is not a quantity; %s",
		[obj.kind, objects.name(obj), entry.name, entry.path, name, field, pair[field], fix(name)],
	)
	details := ratio_details(entry, name, pair, null)
}

resources := object.get(input, ["parameters", "resources"], ["cpu", "memory"])

max_ratio := to_number(object.get(input, ["parameters", "maxRatio"], 2))

limit_and_request(container, name) := {"limit": limit, "request": request} if {
	limit := container.resources.limits[name]
	request := container.resources.requests[name]
	limit != null
	request != null
}

limit_ratio(limit, request) := limit / request if request != 0

# A zero request with a positive limit is an unbounded ratio: the container may burst from
# nothing it reserved. Both zero is a ratio of 1.
limit_ratio(limit, 0) := "unbounded" if limit > 0

limit_ratio(0, 0) := 1

exceeds("unbounded")

exceeds(ratio) if {
	is_number(ratio)
	ratio > max_ratio
}

relation(ratio, pair) := sprintf("that is %vx its request of %v", [round(ratio * 100) / 100, pair.request]) if {
	is_number(ratio)
}

relation("unbounded", pair) := sprintf("over a request of %v", [pair.request])

fix(name) := sprintf(
	"raise resources.requests.%s or lower resources.limits.%s so the limit is at most %vx the request",
	[name, name, max_ratio],
)

ratio_details(entry, name, pair, ratio) := {
	"container": entry.name,
	"path": entry.path,
	"field": sprintf("%s.resources.limits.%s", [entry.path, name]),
	"limit": pair.limit,
	"request": pair.request,
	"ratio": ratio,
	"maxRatio": max_ratio,
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
