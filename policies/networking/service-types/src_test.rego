package k8sdisallowedservicetypes

_service(spec) := {"kind": "Service", "metadata": {"name": "web"}, "spec": spec}

_typed(type) := _service({"type": type, "ports": [{"port": 80}]})

_review(obj, params) := {"review": {"object": obj}, "parameters": params}

_defaults(obj) := {"review": {"object": obj}}

test_load_balancer_denied_by_default if {
	count(violation) == 1 with input as _defaults(_typed("LoadBalancer"))
}

test_node_port_denied_by_default if {
	count(violation) == 1 with input as _defaults(_typed("NodePort"))
}

test_cluster_ip_allowed_by_default if {
	count(violation) == 0 with input as _defaults(_typed("ClusterIP"))
}

test_external_name_allowed_by_default if {
	count(violation) == 0 with input as _defaults(_service({"type": "ExternalName", "externalName": "db.example.com"}))
}

test_missing_type_is_cluster_ip if {
	count(violation) == 0 with input as _defaults(_service({"ports": [{"port": 80}]}))
	count(violation) == 1 with input as _review(_service({}), {"disallowedTypes": ["ClusterIP"]})
}

test_missing_spec_is_cluster_ip if {
	obj := {"kind": "Service", "metadata": {"name": "web"}}
	count(violation) == 0 with input as _defaults(obj)
}

test_parameters_replace_defaults if {
	params := {"disallowedTypes": ["ExternalName"]}
	count(violation) == 1 with input as _review(_service({"type": "ExternalName", "externalName": "x.io"}), params)
	count(violation) == 0 with input as _review(_typed("LoadBalancer"), params)
	count(violation) == 0 with input as _review(_typed("NodePort"), params)
}

test_empty_list_allows_every_type if {
	count(violation) == 0 with input as _review(_typed("LoadBalancer"), {"disallowedTypes": []})
}

test_null_list_allows_every_type if {
	count(violation) == 0 with input as _review(_typed("NodePort"), {"disallowedTypes": null})
}

test_parameter_case_ignored if {
	count(violation) == 1 with input as _review(_typed("NodePort"), {"disallowedTypes": ["nodeport"]})
	count(violation) == 1 with input as _review(_typed("LoadBalancer"), {"disallowedTypes": ["LOADBALANCER"]})
}

test_duplicate_parameter_entries_one_violation if {
	count(violation) == 1 with input as _review(_typed("NodePort"), {"disallowedTypes": ["NodePort", "nodeport"]})
}

test_only_services_checked if {
	obj := {"kind": "Deployment", "metadata": {"name": "web"}, "spec": {"type": "NodePort"}}
	count(violation) == 0 with input as _defaults(obj)
}

test_message_names_service_type_and_fix if {
	some v in violation with input as _defaults(_typed("NodePort"))
	v.msg == concat("", [
		"Service web: spec.type NodePort is not allowed (disallowed types: LoadBalancer, NodePort); ",
		"use type ClusterIP and expose the workload through an Ingress or Gateway",
	])
	v.details == {"type": "NodePort"}
}

test_message_when_cluster_ip_disallowed if {
	some v in violation with input as _review(_service({}), {"disallowedTypes": ["ClusterIP"]})
	endswith(v.msg, "change spec.type to a type the constraint allows")
	v.details == {"type": "ClusterIP"}
}

test_generate_name_used_when_no_name if {
	obj := {"kind": "Service", "metadata": {"generateName": "lb-"}, "spec": {"type": "LoadBalancer"}}
	some v in violation with input as _defaults(obj)
	startswith(v.msg, "Service lb-<generated>: ")
}
