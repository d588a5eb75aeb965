package k8shostpathvolumes

_host_path(name, path) := {"name": name, "hostPath": {"path": path, "type": "Directory"}}

_app := {"name": "app", "image": "nginx:1.25", "volumeMounts": [{"name": "logs", "mountPath": "/logs"}]}

_pod(volumes) := {"kind": "Pod", "metadata": {"name": "web"}, "spec": {"containers": [_app], "volumes": volumes}}

_review(obj, params) := {"review": {"object": obj}, "parameters": params}

_prefixes(list) := {"allowedPathPrefixes": list}

test_host_path_denied_by_default if {
	v := violation with input as _review(_pod([_host_path("logs", "/var/log")]), {})
	count(v) == 1
	some found in v
	found.details.volume == "logs"
	found.details.path == "spec.volumes[0]"
	found.details.hostPath == "/var/log"
	found.details.containers == ["app"]
}

test_other_volume_types_allowed if {
	volumes := [
		{"name": "logs", "emptyDir": {}},
		{"name": "config", "configMap": {"name": "web-config"}},
		{"name": "data", "persistentVolumeClaim": {"claimName": "data"}},
	]
	count(violation) == 0 with input as _review(_pod(volumes), {})
}

test_no_volumes_allowed if {
	obj := {"kind": "Pod", "metadata": {"name": "web"}, "spec": {"containers": [_app]}}
	count(violation) == 0 with input as _review(obj, {})
}

test_null_host_path_ignored if {
	count(violation) == 0 with input as _review(_pod([{"name": "logs", "hostPath": null, "emptyDir": {}}]), {})
}

test_host_path_without_path_denied if {
	some found in violation with input as _review(_pod([{"name": "logs", "hostPath": {}}]), _prefixes(["/var/log"]))
	found.details.hostPath == ""
}

test_every_host_path_volume_reported if {
	volumes := [_host_path("logs", "/var/log"), {"name": "tmp", "emptyDir": {}}, _host_path("sock", "/run/containerd")]
	count(violation) == 2 with input as _review(_pod(volumes), {})
}

test_exact_prefix_allowed if {
	count(violation) == 0 with input as _review(_pod([_host_path("logs", "/var/log")]), _prefixes(["/var/log"]))
}

test_path_below_prefix_allowed if {
	count(violation) == 0 with input as _review(_pod([_host_path("logs", "/var/log/pods")]), _prefixes(["/var/log"]))
}

test_prefix_with_trailing_slash if {
	count(violation) == 0 with input as _review(_pod([_host_path("logs", "/var/log/pods")]), _prefixes(["/var/log/"]))
	count(violation) == 0 with input as _review(_pod([_host_path("logs", "/var/log")]), _prefixes(["/var/log/"]))
}

test_path_with_trailing_slash if {
	count(violation) == 0 with input as _review(_pod([_host_path("logs", "/var/log/")]), _prefixes(["/var/log"]))
}

test_prefix_matches_whole_segments_only if {
	count(violation) == 1 with input as _review(_pod([_host_path("logs", "/var/logs")]), _prefixes(["/var/log"]))
	count(violation) == 1 with input as _review(_pod([_host_path("logs", "/var/log-evil")]), _prefixes(["/var/log"]))
}

test_parent_of_prefix_denied if {
	count(violation) == 1 with input as _review(_pod([_host_path("var", "/var")]), _prefixes(["/var/log"]))
}

test_root_prefix_allows_everything if {
	volumes := [_host_path("root", "/"), _host_path("etc", "/etc")]
	count(violation) == 0 with input as _review(_pod(volumes), _prefixes(["/"]))
}

test_empty_prefix_ignored if {
	count(violation) == 1 with input as _review(_pod([_host_path("etc", "/etc")]), _prefixes([""]))
}

test_dot_dot_never_allowed if {
	count(violation) == 1 with input as _review(_pod([_host_path("x", "/var/log/../../etc")]), _prefixes(["/var/log"]))
}

test_one_of_several_prefixes if {
	params := _prefixes(["/var/log", "/data/cache"])
	count(violation) == 0 with input as _review(_pod([_host_path("c", "/data/cache/app")]), params)
	count(violation) == 1 with input as _review(_pod([_host_path("s", "/data/secrets")]), params)
}

test_empty_prefix_list_denies_all if {
	count(violation) == 1 with input as _review(_pod([_host_path("logs", "/var/log")]), _prefixes([]))
}

test_volume_mounted_only_by_init_container if {
	spec := {
		"initContainers": [{"name": "seed", "image": "busybox:1.36", "volumeMounts": [{"name": "certs", "mountPath": "/c"}]}],
		"containers": [{"name": "app", "image": "nginx:1.25"}],
		"volumes": [_host_path("certs", "/etc/ssl/certs")],
	}
	some found in violation with input as _review({"kind": "Pod", "metadata": {"name": "web"}, "spec": spec}, {})
	found.details.containers == ["seed"]
}

test_unmounted_volume_still_denied if {
	obj := {"kind": "Pod", "metadata": {"name": "web"}, "spec": {
		"containers": [{"name": "app", "image": "nginx:1.25"}],
		"volumes": [_host_path("unused", "/")],
	}}
	some found in violation with input as _review(obj, {})
	found.details.containers == []
}

test_unnamed_volume_reported if {
	some found in violation with input as _review(_pod([{"hostPath": {"path": "/etc"}}]), {})
	found.details.volume == "#0"
}

test_template_workloads_denied if {
	every kind in ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "ReplicationController"] {
		obj := {"kind": kind, "metadata": {"name": "w"}, "spec": {"template": {"spec": {
			"containers": [_app],
			"volumes": [_host_path("logs", "/var/log")],
		}}}}
		some found in violation with input as _review(obj, {})
		found.details.path == "spec.template.spec.volumes[0]"
	}
}

test_cronjob_denied if {
	spec := {"containers": [_app], "volumes": [_host_path("logs", "/var/log")]}
	obj := {"kind": "CronJob", "metadata": {"name": "c"}, "spec": {"jobTemplate": {"spec": {"template": {"spec": spec}}}}}
	some found in violation with input as _review(obj, {})
	found.details.path == "spec.jobTemplate.spec.template.spec.volumes[0]"
}

test_kind_without_pod_spec_ignored if {
	pv := {"kind": "Service", "metadata": {"name": "s"}, "spec": {"volumes": [_host_path("x", "/")]}}
	count(violation) == 0 with input as _review(pv, {})
}

test_missing_parameters_use_defaults if {
	count(violation) == 1 with input as {"review": {"object": _pod([_host_path("logs", "/var/log")])}}
}

test_message_without_prefixes if {
	some found in violation with input as _review(_pod([_host_path("sock", "/var/run/docker.sock")]), {})
	found.msg == concat("", [
		`Pod web: volume "sock" (spec.volumes[0]) mounts host path "/var/run/docker.sock"; `,
		"hostPath volumes are not allowed; use an emptyDir, configMap, secret or persistentVolumeClaim volume",
	])
}

test_message_names_mounting_containers if {
	some found in violation with input as _review(_pod([_host_path("logs", "/var/log")]), {})
	contains(found.msg, `mounts host path "/var/log" into containers ["app"];`)
}

test_message_with_prefixes if {
	some found in violation with input as _review(_pod([_host_path("etc", "/etc")]), _prefixes(["/var/log"]))
	contains(found.msg, `only host paths under ["/var/log"] are allowed`)
}

test_generate_name_reported if {
	obj := {"kind": "Pod", "metadata": {"generateName": "web-"}, "spec": {"volumes": [_host_path("x", "/")]}}
	some found in violation with input as _review(obj, {})
	startswith(found.msg, "Pod web-<generated>:")
}

test_unnamed_object_reported if {
	obj := {"kind": "Pod", "metadata": {}, "spec": {"volumes": [_host_path("x", "/")]}}
	some found in violation with input as _review(obj, {})
	startswith(found.msg, "Pod <unnamed>:")
}

# more edge cases

test_root_path_denied_under_narrow_prefix if {
	count(violation) == 1 with input as _review(_pod([_host_path("root", "/")]), _prefixes(["/var"]))
}

test_null_volumes_allowed if {
	obj := {"kind": "Pod", "metadata": {"name": "web"}, "spec": {"containers": [_app], "volumes": null}}
	count(violation) == 0 with input as _review(obj, {})
}

test_file_below_prefix_allowed if {
	params := _prefixes(["/var/run/app"])
	count(violation) == 0 with input as _review(_pod([_host_path("sock", "/var/run/app/app.sock")]), params)
}

test_volume_mounted_by_several_containers if {
	sidecar := {"name": "shipper", "image": "fluent/fluent-bit:3.0", "volumeMounts": [{"name": "logs", "mountPath": "/l"}]}
	obj := {"kind": "Pod", "metadata": {"name": "web"}, "spec": {
		"containers": [_app, sidecar],
		"volumes": [_host_path("logs", "/var/log")],
	}}
	some found in violation with input as _review(obj, {})
	found.details.containers == ["app", "shipper"]
}

# deniedPathPrefixes: a blocklist instead of an allowlist

_denied(list) := {"deniedPathPrefixes": list}

_sockets := _denied(["/var/run/docker.sock", "/run/containerd"])

test_blocklist_denies_listed_path if {
	some found in violation with input as _review(_pod([_host_path("sock", "/var/run/docker.sock")]), _sockets)
	found.details.hostPath == "/var/run/docker.sock"
	contains(found.msg, `host paths under ["/var/run/docker.sock", "/run/containerd"] are not allowed`)
}

test_blocklist_denies_path_below_listed_prefix if {
	count(violation) == 1 with input as _review(_pod([_host_path("sock", "/run/containerd/containerd.sock")]), _sockets)
}

test_blocklist_admits_other_host_paths if {
	count(violation) == 0 with input as _review(_pod([_host_path("logs", "/var/log")]), _sockets)
}

test_blocklist_matches_whole_segments_only if {
	count(violation) == 0 with input as _review(_pod([_host_path("sock", "/run/containerd-extra")]), _sockets)
}

test_blocklist_sees_through_doubled_and_dot_segments if {
	volumes := [_host_path("a", "/var//run/./docker.sock"), _host_path("b", "/run/containerd/")]
	count(violation) == 2 with input as _review(_pod(volumes), _sockets)
}

test_blocklist_denies_climbing_paths if {
	some found in violation with input as _review(_pod([_host_path("up", "/tmp/../var/run/docker.sock")]), _sockets)
	contains(found.msg, `host paths with ".." are not allowed`)
}

test_blocklist_with_allowed_exception if {
	params := {"deniedPathPrefixes": ["/var"], "allowedPathPrefixes": ["/var/log"]}
	count(violation) == 0 with input as _review(_pod([_host_path("logs", "/var/log/pods")]), params)
	count(violation) == 1 with input as _review(_pod([_host_path("lib", "/var/lib/kubelet")]), params)
}

test_blocklist_root_denies_everything if {
	count(violation) == 1 with input as _review(_pod([_host_path("logs", "/var/log")]), _denied(["/"]))
}

test_blocklist_ignores_empty_prefix if {
	count(violation) == 0 with input as _review(_pod([_host_path("logs", "/var/log")]), _denied([""]))
}

test_blocklist_reported_in_details if {
	some found in violation with input as _review(_pod([_host_path("sock", "/run/containerd")]), _sockets)
	found.details.deniedPathPrefixes == ["/var/run/docker.sock", "/run/containerd"]
}
