package k8sautomountserviceaccounttoken

_review(obj) := {"review": {"object": obj}, "parameters": {}}

_containers := [{"name": "app", "image": "nginx:1.25"}]

_pod(extra) := {"kind": "Pod", "metadata": {"name": "p"}, "spec": object.union({"containers": _containers}, extra)}

_template(kind, extra) := {
	"kind": kind,
	"metadata": {"name": "w"},
	"spec": {"template": {"spec": object.union({"containers": _containers}, extra)}},
}

_cronjob(extra) := {
	"kind": "CronJob",
	"metadata": {"name": "c"},
	"spec": {"jobTemplate": {"spec": {"template": {"spec": object.union({"containers": _containers}, extra)}}}},
}

_off := {"automountServiceAccountToken": false}

_on := {"automountServiceAccountToken": true}

test_disabled_allowed if {
	count(violation) == 0 with input as _review(_pod(_off))
}

test_enabled_denied if {
	some v in violation with input as _review(_pod(_on))
	v.details.value == true
	v.details.path == "spec.automountServiceAccountToken"
}

test_unset_denied if {
	some v in violation with input as _review(_pod({}))
	v.details.value == null
}

test_one_violation_per_pod_not_per_container if {
	obj := _pod({"initContainers": [{"name": "init", "image": "busybox"}], "containers": [
		{"name": "a", "image": "a"},
		{"name": "b", "image": "b"},
	]})
	count(violation) == 1 with input as _review(obj)
}

test_projected_token_with_automount_off_allowed if {
	projected := {"name": "api-token", "projected": {"sources": [{"serviceAccountToken": {"path": "token"}}]}}
	count(violation) == 0 with input as _review(_pod(object.union(_off, {"volumes": [projected]})))
}

test_service_account_reported if {
	some v in violation with input as _review(_pod({"serviceAccountName": "ci-runner"}))
	v.details.serviceAccountName == "ci-runner"
}

test_default_service_account_reported if {
	some v in violation with input as _review(_pod(_on))
	v.details.serviceAccountName == "default"
}

test_template_workloads_denied if {
	every kind in ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "ReplicationController"] {
		count(violation) == 1 with input as _review(_template(kind, {}))
		count(violation) == 1 with input as _review(_template(kind, _on))
	}
}

test_template_workloads_allowed if {
	every kind in ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "ReplicationController"] {
		count(violation) == 0 with input as _review(_template(kind, _off))
	}
}

test_cronjob_denied if {
	some v in violation with input as _review(_cronjob({}))
	v.details.path == "spec.jobTemplate.spec.template.spec.automountServiceAccountToken"
}

test_cronjob_allowed if {
	count(violation) == 0 with input as _review(_cronjob(_off))
}

test_setting_on_the_wrong_level_does_not_count if {
	# The field belongs to the pod spec; on the Deployment spec it is ignored.
	obj := object.union(_template("Deployment", {}), {"spec": {"automountServiceAccountToken": false}})
	count(violation) == 1 with input as _review(obj)
}

test_service_account_object_ignored if {
	obj := {"kind": "ServiceAccount", "metadata": {"name": "default"}, "automountServiceAccountToken": true}
	count(violation) == 0 with input as _review(obj)
}

test_no_parameters_key if {
	count(violation) == 1 with input as {"review": {"object": _pod({})}}
}

test_message_unset if {
	some v in violation with input as _review(_template("Deployment", {}))
	v.msg == concat("", [
		"Deployment w: spec.template.spec.automountServiceAccountToken is unset ",
		"(the ServiceAccount decides, and it defaults to true), so every container gets an API token; ",
		"set it to false (mount a projected serviceAccountToken volume where one is needed)",
	])
}

test_message_true if {
	some v in violation with input as _review(_pod(_on))
	startswith(v.msg, "Pod p: spec.automountServiceAccountToken is true, so every container gets an API token;")
}

test_generate_name_still_denied if {
	obj := {
		"kind": "Job",
		"metadata": {"generateName": "export-"},
		"spec": {"template": {"spec": {"containers": _containers}}},
	}
	some v in violation with input as _review(obj)
	startswith(v.msg, "Job export-<generated>: ")
}

test_missing_metadata_still_denied if {
	count(violation) == 1 with input as _review({"kind": "Pod", "spec": {"containers": _containers}})
}
