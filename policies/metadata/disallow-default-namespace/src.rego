package k8sdisallowdefaultnamespace

import data.lib.objects

# Which namespace an object lands in:
# - At admission, input.review.namespace is the request's namespace. The API server has
#   already written it into metadata.namespace when the manifest left it out (kubectl sends
#   its context's namespace, "default" unless configured), so both agree.
# - In audit, gator and conftest only the object is known; review.namespace is empty or
#   mirrors metadata.namespace. A manifest without metadata.namespace lands in whatever
#   namespace the applier's context names, usually "default", so it is denied as well.
# review.namespace is therefore preferred when set, then metadata.namespace, else "".

violation contains {"msg": msg, "details": {"namespace": "default"}} if {
	obj := input.review.object
	_namespaced(obj)
	_namespace == "default"
	not _kubernetes_managed(obj)
	msg := sprintf(
		`%s %s is in the "default" namespace; set metadata.namespace to a dedicated namespace for the application`,
		[obj.kind, objects.name(obj)],
	)
}

violation contains {"msg": msg, "details": {"namespace": ""}} if {
	obj := input.review.object
	_namespaced(obj)
	_namespace == ""
	not _kubernetes_managed(obj)
	msg := sprintf(
		`%s %s has no metadata.namespace and would land in the current namespace, usually "default"; %s`,
		[obj.kind, objects.name(obj), "set metadata.namespace to a dedicated namespace for the application"],
	)
}

default _namespace := ""

_namespace := ns if {
	ns := object.get(input, ["review", "namespace"], "")
	is_string(ns)
	ns != ""
} else := ns if {
	ns := object.get(input.review.object, ["metadata", "namespace"], "")
	is_string(ns)
}

# Cluster-scoped kinds have no namespace at all, so a constraint matching every kind must not
# deny them. Custom cluster-scoped kinds should be left out of the constraint's match.
_cluster_scoped_kinds := {
	"APIService", "CertificateSigningRequest", "ClusterRole", "ClusterRoleBinding", "ClusterTrustBundle",
	"ComponentStatus", "ConstraintTemplate", "CSIDriver", "CSINode", "CustomResourceDefinition", "DeviceClass",
	"FlowSchema", "IngressClass", "IPAddress", "MutatingAdmissionPolicy", "MutatingAdmissionPolicyBinding",
	"MutatingWebhookConfiguration", "Namespace", "Node", "PersistentVolume", "PriorityClass",
	"PriorityLevelConfiguration", "RuntimeClass", "SelfSubjectAccessReview", "SelfSubjectReview",
	"SelfSubjectRulesReview", "ServiceCIDR", "StorageClass", "StorageVersionMigration", "SubjectAccessReview",
	"TokenReview", "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding",
	"ValidatingWebhookConfiguration", "VolumeAttachment", "VolumeAttributesClass",
}

_namespaced(obj) if not obj.kind in _cluster_scoped_kinds

# Kubernetes itself keeps these objects in "default" (the API server's own Service and
# endpoints, the namespace's service account and root CA bundle); nobody can move them.
_kubernetes_managed_objects := {
	"Service/kubernetes",
	"Endpoints/kubernetes",
	"EndpointSlice/kubernetes",
	"ServiceAccount/default",
	"ConfigMap/kube-root-ca.crt",
}

_kubernetes_managed(obj) if sprintf("%s/%s", [obj.kind, objects.name(obj)]) in _kubernetes_managed_objects
