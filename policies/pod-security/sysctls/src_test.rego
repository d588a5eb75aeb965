package k8ssysctls

_app := {"name": "app", "image": "nginx:1.25"}

_sysctl(name) := {"name": name, "value": "1"}

_spec(names) := {"containers": [_app], "securityContext": {"sysctls": [_sysctl(n) | some n in names]}}

_pod(names) := {"kind": "Pod", "metadata": {"name": "web"}, "spec": _spec(names)}

_review(obj, params) := {"review": {"object": obj}, "parameters": params}

_allowing(names) := {"allowedSysctls": names}

test_unsafe_sysctl_denied if {
	v := violation with input as _review(_pod(["kernel.msgmax"]), {})
	count(v) == 1
	some found in v
	found.details.sysctl == "kernel.msgmax"
	found.details.path == "spec.securityContext.sysctls[0]"
}

test_every_safe_sysctl_allowed_by_default if {
	count(violation) == 0 with input as _review(_pod(safe_sysctls), {})
}

test_newer_safe_sysctls_allowed if {
	names := ["net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_rmem", "net.ipv4.tcp_wmem", "net.ipv4.ip_local_reserved_ports"]
	count(violation) == 0 with input as _review(_pod(names), {})
}

test_common_unsafe_sysctls_denied if {
	names := ["net.core.somaxconn", "vm.max_map_count", "kernel.sem", "net.ipv4.ip_forward", "fs.mqueue.msg_max"]
	count(violation) == 5 with input as _review(_pod(names), {})
}

test_each_unsafe_sysctl_reported_with_its_index if {
	names := ["kernel.shm_rmid_forced", "net.core.somaxconn", "net.ipv4.tcp_syncookies", "kernel.msgmax"]
	paths := {found.details.path | some found in violation} with input as _review(_pod(names), {})
	paths == {"spec.securityContext.sysctls[1]", "spec.securityContext.sysctls[3]"}
}

test_no_sysctls_allowed if {
	obj := {"kind": "Pod", "metadata": {"name": "web"}, "spec": {"containers": [_app]}}
	count(violation) == 0 with input as _review(obj, {})
	count(violation) == 0 with input as _review(_pod([]), {})
}

test_null_security_context_allowed if {
	obj := {"kind": "Pod", "metadata": {"name": "web"}, "spec": {"containers": [_app], "securityContext": null}}
	count(violation) == 0 with input as _review(obj, {})
}

test_slash_separated_name_normalised if {
	count(violation) == 0 with input as _review(_pod(["net/ipv4/ip_local_port_range"]), {})
	count(violation) == 1 with input as _review(_pod(["net/core/somaxconn"]), {})
}

test_slash_name_with_dotted_interface if {
	params := _allowing(["net.ipv4.conf.eth0/100.rp_filter"])
	count(violation) == 0 with input as _review(_pod(["net/ipv4/conf/eth0.100/rp_filter"]), params)
}

test_dotted_name_with_slash_in_interface_kept if {
	params := _allowing(["net.ipv4.conf.eth0/100.rp_filter"])
	count(violation) == 0 with input as _review(_pod(["net.ipv4.conf.eth0/100.rp_filter"]), params)
}

test_slash_separated_pattern if {
	count(violation) == 0 with input as _review(_pod(["net.core.somaxconn"]), _allowing(["net/core/somaxconn"]))
}

test_prefix_does_not_match_without_glob if {
	count(violation) == 1 with input as _review(_pod(["net.ipv4.tcp_syncookies_extra"]), {})
}

test_custom_list_replaces_default if {
	params := _allowing(["net.core.somaxconn"])
	count(violation) == 0 with input as _review(_pod(["net.core.somaxconn"]), params)
	count(violation) == 1 with input as _review(_pod(["kernel.shm_rmid_forced"]), params)
}

test_glob_pattern if {
	params := _allowing(["kernel.shm*", "net.ipv4.tcp_*"])
	count(violation) == 0 with input as _review(_pod(["kernel.shmmax", "net.ipv4.tcp_fastopen"]), params)
	count(violation) == 1 with input as _review(_pod(["kernel.msgmax"]), params)
}

test_wildcard_allows_everything if {
	count(violation) == 0 with input as _review(_pod(["vm.swappiness", "kernel.msgmax"]), _allowing(["*"]))
}

test_empty_list_denies_every_sysctl if {
	count(violation) == 1 with input as _review(_pod(["kernel.shm_rmid_forced"]), _allowing([]))
}

test_missing_name_denied if {
	obj := {"kind": "Pod", "metadata": {"name": "web"}, "spec": {
		"containers": [_app],
		"securityContext": {"sysctls": [{"value": "1"}]},
	}}
	some found in violation with input as _review(obj, {})
	found.details.sysctl == ""
}

test_template_workloads_denied if {
	every kind in ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "ReplicationController"] {
		obj := {"kind": kind, "metadata": {"name": "w"}, "spec": {"template": {"spec": _spec(["kernel.msgmax"])}}}
		some found in violation with input as _review(obj, {})
		found.details.path == "spec.template.spec.securityContext.sysctls[0]"
	}
}

test_template_workload_allowed if {
	obj := {"kind": "StatefulSet", "metadata": {"name": "w"}, "spec": {"template": {"spec": _spec(safe_sysctls)}}}
	count(violation) == 0 with input as _review(obj, {})
}

test_cronjob_denied if {
	spec := _spec(["net.core.somaxconn"])
	obj := {"kind": "CronJob", "metadata": {"name": "c"}, "spec": {"jobTemplate": {"spec": {"template": {"spec": spec}}}}}
	some found in violation with input as _review(obj, {})
	found.details.path == "spec.jobTemplate.spec.template.spec.securityContext.sysctls[0]"
}

test_kind_without_pod_spec_ignored if {
	obj := {"kind": "Service", "metadata": {"name": "s"}, "spec": _spec(["kernel.msgmax"])}
	count(violation) == 0 with input as _review(obj, {})
}

test_missing_parameters_use_safe_set if {
	count(violation) == 0 with input as {"review": {"object": _pod(["net.ipv4.ping_group_range"])}}
	count(violation) == 1 with input as {"review": {"object": _pod(["kernel.msgmax"])}}
}

test_message_names_object_path_sysctl_and_fix if {
	some found in violation with input as _review(_pod(["kernel.msgmax"]), {})
	found.msg == concat("", [
		`Pod web: spec.securityContext.sysctls[0] sets sysctl "kernel.msgmax", which is not an allowed sysctl; `,
		"remove it from securityContext.sysctls",
	])
}

test_generate_name_reported if {
	obj := {"kind": "Pod", "metadata": {"generateName": "web-"}, "spec": _spec(["kernel.msgmax"])}
	some found in violation with input as _review(obj, {})
	startswith(found.msg, "Pod web-<generated>:")
}

test_unnamed_object_reported if {
	obj := {"kind": "Pod", "metadata": {}, "spec": _spec(["kernel.msgmax"])}
	some found in violation with input as _review(obj, {})
	startswith(found.msg, "Pod <unnamed>:")
}

# more edge cases

test_same_unsafe_sysctl_twice_reported_per_entry if {
	count(violation) == 2 with input as _review(_pod(["kernel.msgmax", "kernel.msgmax"]), {})
}

test_custom_list_mixing_names_and_globs if {
	params := _allowing(["kernel.shm_rmid_forced", "net.ipv4.tcp_*", "kernel.msg*"])
	names := ["kernel.shm_rmid_forced", "net.ipv4.tcp_fastopen", "kernel.msgmnb", "kernel.shmall", "net.core.rmem_max"]
	paths := {found.details.path | some found in violation} with input as _review(_pod(names), params)
	paths == {"spec.securityContext.sysctls[3]", "spec.securityContext.sysctls[4]"}
}

test_glob_is_a_plain_prefix if {
	# "net.ipv4.tcp*" also admits "net.ipv4.tcp_mem"; a prefix is not a segment match.
	count(violation) == 0 with input as _review(_pod(["net.ipv4.tcp_mem"]), _allowing(["net.ipv4.tcp*"]))
}

test_names_are_case_sensitive if {
	count(violation) == 1 with input as _review(_pod(["Kernel.Shm_Rmid_Forced"]), {})
}

test_details_carry_allowed_list if {
	some found in violation with input as _review(_pod(["kernel.msgmax"]), _allowing(["kernel.sem"]))
	found.details.allowedSysctls == ["kernel.sem"]
}
