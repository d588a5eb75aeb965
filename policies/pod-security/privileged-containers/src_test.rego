package k8sprivilegedcontainers

_pod(containers) := {"kind": "Pod", "metadata": {"name": "p"}, "spec": {"containers": containers}}

_review(obj, params) := {"review": {"object": obj}, "parameters": params}

_privileged(name) := {"name": name, "image": "nginx:1.25", "securityContext": {"privileged": true}}

test_privileged_container_denied if {
	count(violation) == 1 with input as _review(_pod([_privileged("app")]), {})
}

test_unprivileged_container_allowed if {
	c := {"name": "app", "image": "nginx:1.25", "securityContext": {"privileged": false}}
	count(violation) == 0 with input as _review(_pod([c]), {})
}

test_no_security_context_allowed if {
	count(violation) == 0 with input as _review(_pod([{"name": "app", "image": "nginx:1.25"}]), {})
}

test_privileged_init_container_denied if {
	obj := {"kind": "Pod", "metadata": {"name": "p"}, "spec": {
		"containers": [{"name": "app", "image": "nginx:1.25"}],
		"initContainers": [_privileged("init")],
	}}
	some v in violation with input as _review(obj, {})
	v.details.path == "spec.initContainers[0]"
}

test_privileged_ephemeral_container_denied if {
	obj := {"kind": "Pod", "metadata": {"name": "p"}, "spec": {
		"containers": [{"name": "app", "image": "nginx:1.25"}],
		"ephemeralContainers": [_privileged("debug")],
	}}
	count(violation) == 1 with input as _review(obj, {})
}

test_deployment_denied if {
	spec := {"containers": [_privileged("app")]}
	obj := {"kind": "Deployment", "metadata": {"name": "d"}, "spec": {"template": {"spec": spec}}}
	count(violation) == 1 with input as _review(obj, {})
}

test_cronjob_denied if {
	spec := {"containers": [_privileged("app")]}
	obj := {"kind": "CronJob", "metadata": {"name": "c"}, "spec": {"jobTemplate": {"spec": {"template": {"spec": spec}}}}}
	count(violation) == 1 with input as _review(obj, {})
}

test_two_privileged_containers_two_violations if {
	count(violation) == 2 with input as _review(_pod([_privileged("a"), _privileged("b")]), {})
}

test_exempt_image_allowed if {
	c := object.union(_privileged("agent"), {"image": "registry.example.com/node-agent:2"})
	count(violation) == 0 with input as _review(_pod([c]), {"exemptImages": ["registry.example.com/node-agent"]})
}

test_message_names_container_and_path if {
	some v in violation with input as _review(_pod([_privileged("app")]), {})
	contains(v.msg, `"app"`)
	contains(v.msg, "spec.containers[0]")
}

test_generate_name_object_still_denied if {
	obj := {"kind": "Pod", "metadata": {"generateName": "job-"}, "spec": {"containers": [_privileged("app")]}}
	some v in violation with input as _review(obj, {})
	contains(v.msg, "Pod job-<generated>:")
}
