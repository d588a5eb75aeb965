package k8singresshostwildcards

import data.lib.objects

# On a shared ingress controller, a rule host decides which traffic an Ingress receives. A
# wildcard host ("*.example.com") claims every subdomain, including ones other teams own,
# and a rule without a host claims every host name the controller serves. Both are denied
# so each Ingress names exactly the hosts it answers for.

violation contains {"msg": msg, "details": {"rule": i, "host": host, "reason": "wildcard"}} if {
	obj := input.review.object
	obj.kind == "Ingress"
	some i, rule in _rules(obj)
	host := object.get(rule, "host", "")
	contains(host, "*")
	msg := sprintf(
		"Ingress %s: spec.rules[%d] has the wildcard host %q, which claims every matching subdomain; %s",
		[objects.name(obj), i, host, "list each host name explicitly"],
	)
}

violation contains {"msg": msg, "details": {"rule": i, "host": "", "reason": "missing"}} if {
	obj := input.review.object
	obj.kind == "Ingress"
	some i, rule in _rules(obj)
	object.get(rule, "host", "") in {"", null}
	msg := sprintf(
		"Ingress %s: spec.rules[%d] has no host, so it receives traffic for every host name; set spec.rules[%d].host",
		[objects.name(obj), i, i],
	)
}

# spec.rules may be absent (an Ingress with only a defaultBackend) or null.
_rules(obj) := rules if {
	rules := object.get(obj, ["spec", "rules"], [])
	is_array(rules)
} else := []
