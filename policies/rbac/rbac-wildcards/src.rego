package k8srbacwildcards

import data.lib.objects

# "*" in a rule's verbs, resources or apiGroups grants far more than anyone reviews: every
# verb includes escalate, bind and impersonate, which get around RBAC's own escalation
# checks; every resource includes secrets; every API group includes the groups CRDs add
# later. A resource such as "*/scale" is a wildcard too (that subresource of every
# resource). One violation is reported per rule and field, naming the wildcard values.

violation contains {"msg": msg, "details": {"rule": i, "field": field, "values": wildcards}} if {
	obj := input.review.object
	obj.kind in {"Role", "ClusterRole"}
	some i, rule in _list(object.get(obj, "rules", []))
	some field in ["apiGroups", "resources", "verbs"]
	wildcards := [value | some value in _list(object.get(rule, field, [])); contains(value, "*")]
	count(wildcards) > 0
	msg := sprintf(
		"%s %s: rules[%d] has wildcard %s %v, which grants %s; list the exact %s it needs",
		[obj.kind, objects.name(obj), i, field, wildcards, _grants[field], field],
	)
}

_grants := {
	"apiGroups": "every API group, including ones added later by CRDs",
	"resources": "every resource, including secrets",
	"verbs": "every verb, including escalate, bind, impersonate and delete",
}

# rules and its lists may be absent or null.
_list(value) := value if is_array(value)

_list(value) := [] if not is_array(value)
