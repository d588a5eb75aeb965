package k8shostports

_port(container_port, host_port) := {"containerPort": container_port, "hostPort": host_port}

_container(name, ports) := {"name": name, "image": "nginx:1.25", "ports": ports}

_pod(spec) := {"kind": "Pod", "metadata": {"name": "web"}, "spec": spec}

_review(obj, params) := {"review": {"object": obj}, "parameters": params}

_with_host_port(port) := _pod({"containers": [_container("app", [_port(80, port)])]})

test_host_port_denied_by_default if {
	v := violation with input as _review(_with_host_port(8080), {})
	count(v) == 1
	some found in v
	found.details.hostPort == 8080
	found.details.path == "spec.containers[0].ports[0]"
	found.details.container == "app"
}

test_host_port_zero_allowed if {
	count(violation) == 0 with input as _review(_with_host_port(0), {})
}

test_no_host_port_allowed if {
	c := _container("app", [{"containerPort": 80}])
	count(violation) == 0 with input as _review(_pod({"containers": [c]}), {})
}

test_no_ports_allowed if {
	count(violation) == 0 with input as _review(_pod({"containers": [{"name": "app", "image": "nginx:1.25"}]}), {})
}

test_allowed_port_admitted if {
	count(violation) == 0 with input as _review(_with_host_port(443), {"allowedPorts": [80, 443]})
}

test_port_outside_allowed_list_denied if {
	v := violation with input as _review(_with_host_port(8443), {"allowedPorts": [80, 443]})
	count(v) == 1
	some found in v
	contains(found.msg, "use one of the allowed host ports [80, 443]")
}

test_empty_allowed_list_denies_all if {
	count(violation) == 1 with input as _review(_with_host_port(80), {"allowedPorts": []})
}

test_each_offending_port_reported if {
	c := _container("dns", [_port(53, 53), _port(9153, 9153), _port(8080, 0)])
	v := violation with input as _review(_pod({"containers": [c]}), {"allowedPorts": [53]})
	count(v) == 1
	some found in v
	found.details.path == "spec.containers[0].ports[1]"
}

test_init_container_denied if {
	spec := {
		"containers": [_container("app", [_port(80, 0)])],
		"initContainers": [_container("probe", [_port(9000, 9000)])],
	}
	some found in violation with input as _review(_pod(spec), {})
	found.details.path == "spec.initContainers[0].ports[0]"
}

test_ephemeral_container_denied if {
	spec := {
		"containers": [_container("app", [])],
		"ephemeralContainers": [_container("debug", [_port(2345, 2345)])],
	}
	some found in violation with input as _review(_pod(spec), {})
	found.details.path == "spec.ephemeralContainers[0].ports[0]"
}

test_host_network_binds_container_port if {
	spec := {"hostNetwork": true, "containers": [_container("exporter", [{"containerPort": 9100}])]}
	v := violation with input as _review(_pod(spec), {})
	count(v) == 1
	some found in v
	found.details.hostPort == 9100
	contains(found.msg, "containerPort under hostNetwork")
}

test_host_network_container_port_in_allowed_list if {
	spec := {"hostNetwork": true, "containers": [_container("exporter", [{"containerPort": 9100}])]}
	count(violation) == 0 with input as _review(_pod(spec), {"allowedPorts": [9100]})
}

test_host_network_explicit_host_port_wins if {
	spec := {"hostNetwork": true, "containers": [_container("exporter", [_port(9100, 19100)])]}
	some found in violation with input as _review(_pod(spec), {"allowedPorts": [9100]})
	found.details.hostPort == 19100
}

test_host_network_false_container_port_allowed if {
	spec := {"hostNetwork": false, "containers": [_container("app", [{"containerPort": 9100}])]}
	count(violation) == 0 with input as _review(_pod(spec), {})
}

test_exempt_image_allowed if {
	c := object.union(_container("lb", [_port(443, 443)]), {"image": "registry.example.com/edge/lb:2.1"})
	params := {"exemptImages": ["registry.example.com/edge/*"]}
	count(violation) == 0 with input as _review(_pod({"containers": [c]}), params)
}

test_exemption_is_per_container if {
	exempted := object.union(_container("lb", [_port(443, 443)]), {"image": "registry.example.com/edge/lb:2.1"})
	spec := {"containers": [exempted, _container("sidecar", [_port(9090, 9090)])]}
	v := violation with input as _review(_pod(spec), {"exemptImages": ["registry.example.com/edge/"]})
	count(v) == 1
	some found in v
	found.details.container == "sidecar"
}

test_template_workloads_denied if {
	every kind in ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "ReplicationController"] {
		obj := {"kind": kind, "metadata": {"name": "w"}, "spec": {"template": {"spec": {
			"containers": [_container("app", [_port(80, 80)])],
		}}}}
		some found in violation with input as _review(obj, {})
		found.details.path == "spec.template.spec.containers[0].ports[0]"
	}
}

test_cronjob_denied if {
	spec := {"containers": [_container("app", [_port(80, 8080)])]}
	obj := {"kind": "CronJob", "metadata": {"name": "c"}, "spec": {"jobTemplate": {"spec": {"template": {"spec": spec}}}}}
	some found in violation with input as _review(obj, {})
	found.details.path == "spec.jobTemplate.spec.template.spec.containers[0].ports[0]"
}

test_missing_parameters_use_defaults if {
	count(violation) == 1 with input as {"review": {"object": _with_host_port(8080)}}
}

test_message_names_object_container_port_and_fix if {
	some found in violation with input as _review(_with_host_port(8080), {})
	found.msg == concat("", [
		`Pod web: container "app" (spec.containers[0].ports[0]) binds host port 8080; `,
		"remove hostPort and expose the container through a Service",
	])
}

test_generate_name_reported if {
	spec := {"containers": [_container("app", [_port(1, 1)])]}
	obj := {"kind": "Pod", "metadata": {"generateName": "web-"}, "spec": spec}
	some found in violation with input as _review(obj, {})
	startswith(found.msg, "Pod web-<generated>:")
}

test_unnamed_object_reported if {
	obj := {"kind": "Pod", "metadata": {}, "spec": {"containers": [_container("app", [_port(1, 1)])]}}
	some found in violation with input as _review(obj, {})
	startswith(found.msg, "Pod <unnamed>:")
}
