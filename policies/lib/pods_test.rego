package lib.pods

_pod_spec := {"containers": [{"name": "app"}], "initContainers": [{"name": "init"}]}

test_pod_spec_of_pod if {
	pod_spec({"kind": "Pod", "spec": _pod_spec}) == _pod_spec
}

test_pod_spec_of_template_kinds if {
	every kind in template_kinds {
		pod_spec({"kind": kind, "spec": {"template": {"spec": _pod_spec}}}) == _pod_spec
	}
}

test_pod_spec_of_cronjob if {
	obj := {"kind": "CronJob", "spec": {"jobTemplate": {"spec": {"template": {"spec": _pod_spec}}}}}
	pod_spec(obj) == _pod_spec
	spec_path(obj) == "spec.jobTemplate.spec.template.spec"
}

test_no_pod_spec_for_service if {
	not is_workload({"kind": "Service", "spec": {}})
}

test_containers_lists_every_kind_with_paths if {
	spec := {
		"containers": [{"name": "a"}, {"name": "b"}],
		"initContainers": [{"name": "i"}],
		"ephemeralContainers": [{"name": "e"}],
	}
	got := {[c.name, c.field, c.path] | some c in containers({"kind": "Deployment", "spec": {"template": {"spec": spec}}})}
	got == {
		["a", "containers", "spec.template.spec.containers[0]"],
		["b", "containers", "spec.template.spec.containers[1]"],
		["i", "initContainers", "spec.template.spec.initContainers[0]"],
		["e", "ephemeralContainers", "spec.template.spec.ephemeralContainers[0]"],
	}
}

test_unnamed_container_gets_index_name if {
	some c in containers({"kind": "Pod", "spec": {"containers": [{"image": "x"}]}})
	c.name == "#0"
}

test_volumes if {
	volumes({"kind": "Pod", "spec": {"volumes": [{"name": "v"}]}}) == [{"name": "v"}]
	volumes({"kind": "Pod", "spec": {}}) == []
}
