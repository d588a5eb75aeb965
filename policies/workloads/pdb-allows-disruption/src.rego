package k8spdballowsdisruption

import data.lib.objects

violation contains {"msg": msg, "details": {"field": "spec.maxUnavailable", "value": value}} if {
	obj := input.review.object
	obj.kind == "PodDisruptionBudget"
	value := obj.spec.maxUnavailable
	no_pods(value)
	msg := sprintf(
		"%s %s: spec.maxUnavailable is %s, so no selected pod can ever be evicted and node drains hang; %s",
		[obj.kind, objects.name(obj), text(value), fix],
	)
}

violation contains {"msg": msg, "details": {"field": "spec.minAvailable", "value": value}} if {
	obj := input.review.object
	obj.kind == "PodDisruptionBudget"
	value := obj.spec.minAvailable
	percent(value) >= 100
	msg := sprintf(
		"%s %s: spec.minAvailable is %s, so no selected pod can ever be evicted and node drains hang; %s",
		[obj.kind, objects.name(obj), text(value), fix],
	)
}

fix := "allow at least one disruption, e.g. maxUnavailable: 1 or a minAvailable below the replica count"

# maxUnavailable is an int-or-string: 0, "0" and "0%" all forbid every eviction.
no_pods(0)

no_pods(value) if percent(value) == 0

no_pods(value) if {
	is_string(value)
	regex.match(`^\s*0+\s*$`, value)
}

# percent(value) is the number in a percentage string such as "100%".
percent(value) := to_number(trim_suffix(trim_space(value), "%")) if {
	is_string(value)
	regex.match(`^\s*[0-9]+(\.[0-9]+)?%\s*$`, value)
}

text(value) := sprintf("%q", [value]) if is_string(value)

text(value) := sprintf("%v", [value]) if not is_string(value)
