package k8sautomountserviceaccounttoken

import data.lib.objects
import data.lib.pods

violation contains {"msg": msg, "details": details} if {
	obj := input.review.object
	spec := pods.pod_spec(obj)
	not token_disabled(spec)
	value := object.get(spec, "automountServiceAccountToken", null)
	path := sprintf("%s.automountServiceAccountToken", [pods.spec_path(obj)])
	msg := sprintf(
		"%s %s: %s is %s, so every container gets an API token; set it to false %s",
		[obj.kind, objects.name(obj), path, describe(value), hint],
	)
	details := {"path": path, "value": value, "serviceAccountName": object.get(spec, "serviceAccountName", "default")}
}

# Only an explicit false on the pod counts: when it is unset the ServiceAccount's own
# setting decides, which admission cannot see and which defaults to mounting the token.
token_disabled(spec) if spec.automountServiceAccountToken == false

hint := "(mount a projected serviceAccountToken volume where one is needed)"

describe(null) := "unset (the ServiceAccount decides, and it defaults to true)"

describe(value) := sprintf("%v", [value]) if value != null
