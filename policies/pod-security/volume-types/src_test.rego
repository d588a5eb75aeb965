package k8svolumetypes

_review(obj, params) := {"review": {"object": obj}, "parameters": params}

_app := {"name": "app", "image": "nginx:1.25"}

_pod(volumes) := {"kind": "Pod", "metadata": {"name": "p"}, "spec": {"containers": [_app], "volumes": volumes}}

_template(kind, volumes) := {
	"kind": kind,
	"metadata": {"name": "w"},
	"spec": {"template": {"spec": {"containers": [_app], "volumes": volumes}}},
}

_host_path(name) := {"name": name, "hostPath": {"path": "/var/log", "type": "Directory"}}

_nfs(name) := {"name": name, "nfs": {"server": "nfs.example.com", "path": "/exports"}}

_config_map(name) := {"name": name, "configMap": {"name": "settings"}}

_empty_dir(name) := {"name": name, "emptyDir": {}}

test_restricted_types_allowed_by_default if {
	volumes := [
		_config_map("a"),
		{"name": "b", "csi": {"driver": "secrets-store.csi.k8s.io"}},
		{"name": "c", "downwardAPI": {"items": []}},
		_empty_dir("d"),
		{"name": "e", "ephemeral": {"volumeClaimTemplate": {"spec": {}}}},
		{"name": "f", "persistentVolumeClaim": {"claimName": "data"}},
		{"name": "g", "projected": {"sources": []}},
		{"name": "h", "secret": {"secretName": "tls"}},
	]
	count(violation) == 0 with input as _review(_pod(volumes), {})
}

test_host_path_denied if {
	some v in violation with input as _review(_pod([_host_path("logs")]), {})
	v.details.type == "hostPath"
	v.details.volume == "logs"
	v.details.path == "spec.volumes[0]"
}

test_other_non_restricted_types_denied if {
	volumes := [
		_nfs("a"),
		{"name": "b", "iscsi": {"targetPortal": "10.0.0.1:3260", "iqn": "iqn.x", "lun": 0}},
		{"name": "c", "gitRepo": {"repository": "https://example.com/repo.git"}},
		{"name": "d", "cephfs": {"monitors": ["10.0.0.2:6789"]}},
	]
	count(violation) == 4 with input as _review(_pod(volumes), {})
}

test_no_volumes_allowed if {
	obj := {"kind": "Pod", "metadata": {"name": "p"}, "spec": {"containers": [_app]}}
	count(violation) == 0 with input as _review(obj, {})
}

test_only_bad_volumes_reported if {
	violations := violation with input as _review(_pod([_config_map("cfg"), _nfs("share")]), {})
	count(violations) == 1
	some v in violations
	v.details.path == "spec.volumes[1]"
}

test_volume_without_source_is_empty_dir if {
	count(violation) == 0 with input as _review(_pod([{"name": "scratch"}]), {})
	some v in violation with input as _review(_pod([{"name": "scratch"}]), {"allowedTypes": ["configMap"]})
	v.details.type == "emptyDir"
}

test_volume_without_name if {
	some v in violation with input as _review(_pod([{"hostPath": {"path": "/"}}]), {})
	v.details.volume == "#0"
}

test_custom_allow_list if {
	params := {"allowedTypes": ["configMap", "secret", "hostPath"]}
	count(violation) == 0 with input as _review(_pod([_host_path("logs"), _config_map("cfg")]), params)
	count(violation) == 1 with input as _review(_pod([_empty_dir("tmp")]), params)
}

test_allow_list_case_insensitive if {
	params := {"allowedTypes": ["HostPath", "persistentvolumeclaim"]}
	volumes := [_host_path("logs"), {"name": "data", "persistentVolumeClaim": {"claimName": "data"}}]
	count(violation) == 0 with input as _review(_pod(volumes), params)
}

test_wildcard_allows_everything if {
	count(violation) == 0 with input as _review(_pod([_host_path("logs"), _nfs("share")]), {"allowedTypes": ["*"]})
}

test_empty_allow_list_denies_everything if {
	count(violation) == 1 with input as _review(_pod([_config_map("cfg")]), {"allowedTypes": []})
}

test_mounting_containers_named if {
	obj := {"kind": "Pod", "metadata": {"name": "p"}, "spec": {
		"initContainers": [{"name": "init", "image": "busybox", "volumeMounts": [{"name": "host", "mountPath": "/h"}]}],
		"containers": [
			{"name": "app", "image": "nginx", "volumeMounts": [{"name": "cfg", "mountPath": "/etc/app"}]},
			{"name": "agent", "image": "agent", "volumeMounts": [{"name": "host", "mountPath": "/h"}]},
		],
		"volumes": [_config_map("cfg"), _host_path("host")],
	}}
	some v in violation with input as _review(obj, {})
	v.details.containers == ["agent", "init"]
	contains(v.msg, `volume "host" (spec.volumes[1], mounted by agent, init) has type hostPath`)
}

test_template_workloads_denied if {
	every kind in ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "ReplicationController"] {
		count(violation) == 1 with input as _review(_template(kind, [_host_path("h")]), {})
	}
}

test_template_workload_allowed if {
	count(violation) == 0 with input as _review(_template("Deployment", [_config_map("cfg")]), {})
}

test_cronjob_denied if {
	spec := {"containers": [_app], "volumes": [_nfs("share")]}
	obj := {"kind": "CronJob", "metadata": {"name": "c"}, "spec": {"jobTemplate": {"spec": {"template": {"spec": spec}}}}}
	some v in violation with input as _review(obj, {})
	v.details.path == "spec.jobTemplate.spec.template.spec.volumes[0]"
}

test_no_parameters_key if {
	count(violation) == 1 with input as {"review": {"object": _pod([_host_path("logs")])}}
}

test_non_workload_ignored if {
	obj := {"kind": "PersistentVolume", "metadata": {"name": "pv"}, "spec": {"hostPath": {"path": "/data"}}}
	count(violation) == 0 with input as _review(obj, {})
}

test_message if {
	some v in violation with input as _review(_template("DaemonSet", [_host_path("logs")]), {"allowedTypes": ["secret"]})
	v.msg == concat("", [
		`DaemonSet w: volume "logs" (spec.template.spec.volumes[0]) has type hostPath, which is not allowed; `,
		"use one of [secret] instead",
	])
}

test_generate_name_still_denied if {
	obj := {"kind": "Pod", "metadata": {"generateName": "inspector-"}, "spec": {
		"containers": [_app],
		"volumes": [_host_path("root")],
	}}
	some v in violation with input as _review(obj, {})
	startswith(v.msg, "Pod inspector-<generated>: ")
}

test_missing_metadata_still_denied if {
	obj := {"kind": "Pod", "spec": {"containers": [_app], "volumes": [_nfs("share")]}}
	count(violation) == 1 with input as _review(obj, {})
}
