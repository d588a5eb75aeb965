package k8sselinux

import data.lib.objects
import data.lib.pods

# The SELinux types the Pod Security Standards baseline admits: the container
# runtime's confined domains.
default_types := ["container_t", "container_init_t", "container_kvm_t", "container_engine_t"]

allowed_types := object.get(input, ["parameters", "allowedTypes"], default_types)

violation contains {"msg": msg, "details": details} if {
	obj := input.review.object
	some options in selinux_options(obj)
	some problem in problems(options.value)
	details := {
		"path": options.path,
		"container": options.container,
		"field": problem.field,
		"value": problem.value,
	}
	msg := sprintf(
		"%s %s: %s sets SELinux %s %q; %s",
		[obj.kind, objects.name(obj), options.where, problem.field, problem.value, problem.fix],
	)
}

# selinux_options(obj) lists the pod's and every container's seLinuxOptions. The
# pod-level options are checked on their own: they apply to every container that
# sets none, including ephemeral containers added later.
selinux_options(obj) := pod_options(obj) | container_options(obj)

pod_options(obj) := {options |
	value := pods.pod_spec(obj).securityContext.seLinuxOptions
	is_object(value)
	path := sprintf("%s.securityContext.seLinuxOptions", [pods.spec_path(obj)])
	options := {"path": path, "container": "", "where": path, "value": value}
}

container_options(obj) := {options |
	some entry in pods.containers(obj)
	value := entry.container.securityContext.seLinuxOptions
	is_object(value)
	path := sprintf("%s.securityContext.seLinuxOptions", [entry.path])
	where := sprintf("container %q (%s)", [entry.name, path])
	options := {"path": path, "container": entry.name, "where": where, "value": value}
}

# problems(options) lists what the baseline forbids: a type outside the allowed
# list and any custom user or role. The level is not restricted.
problems(options) := type_problems(options) | identity_problems(options)

type_problems(options) := {problem |
	value := object.get(options, "type", "")
	value != ""
	not type_allowed(value)
	fix := sprintf("allowed types are %v; use one of them or remove seLinuxOptions.type", [allowed_types])
	problem := {"field": "type", "value": value, "fix": fix}
}

identity_problems(options) := {problem |
	some field in ["user", "role"]
	value := object.get(options, field, "")
	value != ""
	fix := sprintf("custom SELinux %ss are not allowed; remove seLinuxOptions.%s", [field, field])
	problem := {"field": field, "value": value, "fix": fix}
}

type_allowed(value) if value in allowed_types

type_allowed(_) if "*" in allowed_types
