package k8sdisallowdefaultnamespace

_obj(kind, name, namespace) := {"kind": kind, "metadata": {"name": name, "namespace": namespace}}

_unplaced(kind, name) := {"kind": kind, "metadata": {"name": name}}

# Audit, gator and conftest: the review carries only the object.
_audit(obj) := {"review": {"object": obj}}

# Admission: the request's namespace sits beside the object.
_admission(obj, namespace) := {"review": {"object": obj, "namespace": namespace}}

test_default_namespace_denied if {
	count(violation) == 1 with input as _audit(_obj("Pod", "web", "default"))
}

test_dedicated_namespace_allowed if {
	count(violation) == 0 with input as _audit(_obj("Deployment", "web", "shop"))
}

test_missing_namespace_denied if {
	count(violation) == 1 with input as _audit(_unplaced("ConfigMap", "settings"))
}

test_empty_namespace_denied if {
	count(violation) == 1 with input as _audit(_obj("Secret", "token", ""))
}

test_null_namespace_denied if {
	count(violation) == 1 with input as _audit(_obj("Secret", "token", null))
}

test_review_namespace_default_denied if {
	# The API server fills metadata.namespace in; the request namespace is authoritative.
	count(violation) == 1 with input as _admission(_unplaced("Service", "web"), "default")
}

test_review_namespace_dedicated_allowed if {
	count(violation) == 0 with input as _admission(_unplaced("Service", "web"), "shop")
}

test_review_namespace_preferred_over_object if {
	count(violation) == 1 with input as _admission(_obj("Service", "web", "shop"), "default")
	count(violation) == 0 with input as _admission(_obj("Service", "web", "default"), "shop")
}

test_empty_review_namespace_falls_back_to_object if {
	count(violation) == 1 with input as _admission(_obj("Job", "migrate", "default"), "")
	count(violation) == 0 with input as _admission(_obj("Job", "migrate", "batch"), "")
}

test_namespace_named_like_default_allowed if {
	count(violation) == 0 with input as _audit(_obj("Pod", "web", "default-apps"))
	count(violation) == 0 with input as _audit(_obj("Pod", "web", "Default"))
}

test_cluster_scoped_kinds_ignored if {
	count(violation) == 0 with input as _audit(_unplaced("Namespace", "default"))
	count(violation) == 0 with input as _audit(_unplaced("ClusterRole", "viewer"))
	count(violation) == 0 with input as _audit(_unplaced("ClusterRoleBinding", "viewers"))
	count(violation) == 0 with input as _audit(_unplaced("StorageClass", "fast"))
	count(violation) == 0 with input as _audit(_unplaced("PersistentVolume", "pv-1"))
}

test_namespaced_rbac_kinds_checked if {
	count(violation) == 1 with input as _audit(_unplaced("Role", "reader"))
	count(violation) == 1 with input as _audit(_obj("RoleBinding", "readers", "default"))
}

test_custom_resource_checked if {
	count(violation) == 1 with input as _audit(_obj("Certificate", "web-tls", "default"))
}

test_kubernetes_service_exempt if {
	count(violation) == 0 with input as _audit(_obj("Service", "kubernetes", "default"))
	count(violation) == 0 with input as _audit(_obj("EndpointSlice", "kubernetes", "default"))
	count(violation) == 0 with input as _audit(_obj("ConfigMap", "kube-root-ca.crt", "default"))
	count(violation) == 0 with input as _audit(_obj("ServiceAccount", "default", "default"))
}

test_exemption_is_by_kind_and_name if {
	count(violation) == 1 with input as _audit(_obj("Deployment", "kubernetes", "default"))
	count(violation) == 1 with input as _audit(_obj("ServiceAccount", "deployer", "default"))
}

test_default_message if {
	some v in violation with input as _audit(_obj("Deployment", "web", "default"))
	startswith(v.msg, `Deployment web is in the "default" namespace; set metadata.namespace`)
	v.details == {"namespace": "default"}
}

test_missing_namespace_message if {
	some v in violation with input as _audit(_unplaced("Service", "web"))
	startswith(v.msg, "Service web has no metadata.namespace")
	v.details == {"namespace": ""}
}

test_generate_name_used_when_no_name if {
	obj := {"kind": "Pod", "metadata": {"generateName": "web-", "namespace": "default"}}
	some v in violation with input as _audit(obj)
	startswith(v.msg, "Pod web-<generated> is in")
}
