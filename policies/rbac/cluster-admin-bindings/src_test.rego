package k8sclusteradminbindings

_binding(kind, role, subjects) := {
	"kind": kind,
	"metadata": {"name": "admins"},
	"roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": role},
	"subjects": subjects,
}

_crb(subjects) := _binding("ClusterRoleBinding", "cluster-admin", subjects)

_user(name) := {"kind": "User", "apiGroup": "rbac.authorization.k8s.io", "name": name}

_group(name) := {"kind": "Group", "apiGroup": "rbac.authorization.k8s.io", "name": name}

_sa(namespace, name) := {"kind": "ServiceAccount", "namespace": namespace, "name": name}

_review(obj, params) := {"review": {"object": obj}, "parameters": params}

_allow(subjects) := {"allowedSubjects": subjects}

test_unlisted_user_denied if {
	count(violation) == 1 with input as _review(_crb([_user("alice")]), _allow(["User:bob"]))
}

test_listed_user_allowed if {
	count(violation) == 0 with input as _review(_crb([_user("alice")]), _allow(["User:alice"]))
}

test_system_masters_allowed_by_default if {
	count(violation) == 0 with input as {"review": {"object": _crb([_group("system:masters")])}}
}

test_other_group_denied_by_default if {
	count(violation) == 1 with input as {"review": {"object": _crb([_group("system:authenticated")])}}
}

test_explicit_list_replaces_default if {
	count(violation) == 1 with input as _review(_crb([_group("system:masters")]), _allow(["User:alice"]))
}

test_empty_list_denies_every_subject if {
	count(violation) == 1 with input as _review(_crb([_group("system:masters")]), _allow([]))
}

test_null_list_uses_default if {
	count(violation) == 0 with input as _review(_crb([_group("system:masters")]), _allow(null))
}

test_every_subject_must_be_allowed if {
	subjects := [_group("system:masters"), _user("alice"), _group("developers")]
	count(violation) == 2 with input as _review(_crb(subjects), _allow(["Group:system:masters"]))
}

test_kind_is_part_of_the_match if {
	count(violation) == 1 with input as _review(_crb([_user("admins")]), _allow(["Group:admins"]))
}

test_names_with_colons_match_exactly if {
	params := _allow(["Group:system:masters"])
	count(violation) == 1 with input as _review(_crb([_group("system:master")]), params)
	count(violation) == 1 with input as _review(_crb([_group("system:masters:evil")]), params)
}

test_service_account_with_namespace if {
	params := _allow(["ServiceAccount:argocd:argocd-application-controller"])
	count(violation) == 0 with input as _review(_crb([_sa("argocd", "argocd-application-controller")]), params)
	count(violation) == 1 with input as _review(_crb([_sa("default", "argocd-application-controller")]), params)
}

test_service_account_name_alone_is_not_enough if {
	params := _allow(["ServiceAccount:argocd-application-controller"])
	count(violation) == 1 with input as _review(_crb([_sa("argocd", "argocd-application-controller")]), params)
}

test_glob_entry if {
	params := _allow(["ServiceAccount:argocd:*"])
	count(violation) == 0 with input as _review(_crb([_sa("argocd", "server"), _sa("argocd", "repo")]), params)
	count(violation) == 1 with input as _review(_crb([_sa("argocd-dev", "server")]), params)
}

test_role_binding_subject_defaults_to_binding_namespace if {
	obj := object.union(_binding("RoleBinding", "cluster-admin", [{"kind": "ServiceAccount", "name": "ci"}]), {
		"metadata": {"name": "ci-admin", "namespace": "build"},
	})
	count(violation) == 0 with input as _review(obj, _allow(["ServiceAccount:build:ci"]))
	count(violation) == 1 with input as _review(obj, _allow(["ServiceAccount:other:ci"]))
}

test_empty_subject_namespace_defaults_to_binding_namespace if {
	obj := object.union(_binding("RoleBinding", "cluster-admin", [_sa("", "ci")]), {
		"metadata": {"name": "ci-admin", "namespace": "build"},
	})
	count(violation) == 0 with input as _review(obj, _allow(["ServiceAccount:build:ci"]))
}

test_request_namespace_preferred_for_role_binding if {
	obj := _binding("RoleBinding", "cluster-admin", [{"kind": "ServiceAccount", "name": "ci"}])
	review := {"review": {"object": obj, "namespace": "build"}, "parameters": _allow(["ServiceAccount:build:ci"])}
	count(violation) == 0 with input as review
}

test_role_binding_to_cluster_admin_denied if {
	obj := _binding("RoleBinding", "cluster-admin", [_user("alice")])
	count(violation) == 1 with input as _review(obj, {})
}

test_other_cluster_roles_allowed if {
	count(violation) == 0 with input as _review(_binding("ClusterRoleBinding", "view", [_user("alice")]), {})
	count(violation) == 0 with input as _review(_binding("ClusterRoleBinding", "admin", [_user("alice")]), {})
}

test_namespaced_role_named_cluster_admin_allowed if {
	obj := object.union(_binding("RoleBinding", "cluster-admin", [_user("alice")]), {
		"roleRef": {"kind": "Role", "name": "cluster-admin"},
	})
	count(violation) == 0 with input as _review(obj, {})
}

test_binding_without_subjects_allowed if {
	obj := {
		"kind": "ClusterRoleBinding",
		"metadata": {"name": "empty"},
		"roleRef": {"kind": "ClusterRole", "name": "cluster-admin"},
	}
	count(violation) == 0 with input as _review(obj, {})
	count(violation) == 0 with input as _review(_crb(null), {})
}

test_other_kinds_ignored if {
	obj := object.union(_crb([_user("alice")]), {"kind": "ClusterRole"})
	count(violation) == 0 with input as _review(obj, {})
}

test_message_names_binding_subject_and_list if {
	some v in violation with input as _review(_crb([_group("system:authenticated")]), {})
	v.msg == concat("", [
		"ClusterRoleBinding admins binds ClusterRole cluster-admin to Group:system:authenticated, ",
		"which is not in allowedSubjects [Group:system:masters]; bind a narrower role or add the subject",
	])
	v.details == {"subject": "Group:system:authenticated", "roleRef": "cluster-admin"}
}

test_message_shows_service_account_key if {
	some v in violation with input as _review(_crb([_sa("kube-system", "tiller")]), {})
	v.details.subject == "ServiceAccount:kube-system:tiller"
}

test_generate_name_used_when_no_name if {
	obj := object.union(_crb([_user("alice")]), {"metadata": {"generateName": "tmp-"}})
	some v in violation with input as _review(json.remove(obj, ["metadata/name"]), {})
	startswith(v.msg, "ClusterRoleBinding tmp-<generated> binds")
}

test_placeholder_when_no_name_at_all if {
	some v in violation with input as _review(object.remove(_crb([_user("alice")]), ["metadata"]), {})
	startswith(v.msg, "ClusterRoleBinding <unnamed> binds")
}
