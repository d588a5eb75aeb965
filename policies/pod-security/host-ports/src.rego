package k8shostports

import data.lib.images
import data.lib.objects
import data.lib.pods

violation contains {"msg": msg, "details": details} if {
	obj := input.review.object
	spec := pods.pod_spec(obj)
	some entry in pods.containers(obj)
	not exempt(entry.container)
	some i, port in object.get(entry.container, "ports", [])
	bound := host_port(spec, port)
	bound != 0
	not bound in allowed_ports
	path := sprintf("%s.ports[%d]", [entry.path, i])
	details := {"container": entry.name, "path": path, "hostPort": bound, "allowedPorts": allowed_ports}
	msg := sprintf(
		"%s %s: container %q (%s) binds host port %v%s; %s",
		[obj.kind, objects.name(obj), entry.name, path, bound, origin(port), remedy],
	)
}

allowed_ports := object.get(input, ["parameters", "allowedPorts"], [])

# host_port(spec, port) is the node port a container port is bound to. With
# hostNetwork the API server defaults an unset hostPort to the containerPort,
# and the container listens on the node's interfaces either way.
host_port(_, port) := port.hostPort if explicit(port)

host_port(spec, port) := port.containerPort if {
	not explicit(port)
	spec.hostNetwork == true
}

explicit(port) if is_number(port.hostPort)

origin(port) := "" if explicit(port)

origin(port) := " (containerPort under hostNetwork)" if not explicit(port)

remedy := "remove hostPort and expose the container through a Service" if count(allowed_ports) == 0

remedy := msg if {
	count(allowed_ports) > 0
	msg := sprintf("use one of the allowed host ports %v or expose the container through a Service", [allowed_ports])
}

exempt(container) if images.matches_prefix(container.image, object.get(input, ["parameters", "exemptImages"], []))
