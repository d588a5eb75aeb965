package k8sclusteradminbindings

import data.lib.objects

# Binding the cluster-admin ClusterRole hands over full control: of the whole cluster from a
# ClusterRoleBinding, of the namespace from a RoleBinding. Every subject of such a binding
# must be listed in allowedSubjects as "Kind:name", e.g. "Group:system:masters" or
# "User:alice@example.com". Service accounts are "ServiceAccount:<namespace>:<name>"; a
# RoleBinding subject without a namespace means the binding's own namespace, as in RBAC.
# An entry containing "*" is a glob ("ServiceAccount:argocd:*").

violation contains {"msg": msg, "details": {"subject": key, "roleRef": "cluster-admin"}} if {
	obj := input.review.object
	obj.kind in {"RoleBinding", "ClusterRoleBinding"}
	obj.roleRef.kind == "ClusterRole"
	obj.roleRef.name == "cluster-admin"
	some subject in _list(object.get(obj, "subjects", []))
	key := _subject_key(subject)
	not _allowed(key)
	msg := sprintf(
		"%s %s binds ClusterRole cluster-admin to %s, which is not in allowedSubjects [%s]; %s",
		[obj.kind, objects.name(obj), key, concat(", ", _allowed_subjects), "bind a narrower role or add the subject"],
	)
}

# The API server keeps its own cluster-admin binding for this group, so it is allowed
# when a constraint gives no list.
default _allowed_subjects := ["Group:system:masters"]

_allowed_subjects := subjects if {
	subjects := object.get(input, ["parameters", "allowedSubjects"], ["Group:system:masters"])
	is_array(subjects)
}

_allowed(key) if key in _allowed_subjects

_allowed(key) if {
	some entry in _allowed_subjects
	contains(entry, "*")
	glob.match(entry, [], key)
}

_subject_key(subject) := sprintf("%s:%s", [subject.kind, subject.name]) if subject.kind != "ServiceAccount"

_subject_key(subject) := sprintf("ServiceAccount:%s:%s", [_namespace_of(subject), subject.name]) if {
	subject.kind == "ServiceAccount"
}

_namespace_of(subject) := subject.namespace if subject.namespace != ""

_namespace_of(subject) := _binding_namespace if object.get(subject, "namespace", "") == ""

# At admission the request's namespace is authoritative; elsewhere only the object is known.
_binding_namespace := ns if {
	ns := object.get(input, ["review", "namespace"], "")
	ns != ""
} else := object.get(input.review.object, ["metadata", "namespace"], "")

_list(value) := value if is_array(value)

_list(value) := [] if not is_array(value)
