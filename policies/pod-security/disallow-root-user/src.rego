package k8sdisallowrootuser

import data.lib.images
import data.lib.objects
import data.lib.pods
import data.lib.security

violation contains {"msg": msg, "details": details} if {
	obj := input.review.object
	some entry in pods.containers(obj)
	security.effective(obj, entry.container, "runAsUser") == 0
	not exempt(entry.container)
	source := origin(entry.container)
	msg := sprintf(
		"%s %s: container %q (%s) runs as uid 0 (runAsUser %s); %s",
		[obj.kind, objects.name(obj), entry.name, entry.path, where[source], fix(obj, source)],
	)
	details := {"container": entry.name, "path": entry.path, "source": source, "value": 0}
}

# origin(container) says which securityContext the effective runAsUser comes from;
# the container's value overrides the pod's, so a non-zero container uid wins over a pod-level 0.
origin(container) := "container" if sets(container)

origin(container) := "pod" if not sets(container)

sets(container) if _ = container.securityContext.runAsUser

where := {"container": "set on the container", "pod": "inherited from the pod securityContext"}

fix(_, "container") := "set securityContext.runAsUser to a non-zero uid or remove it"

fix(obj, "pod") := sprintf(
	"set %s.securityContext.runAsUser to a non-zero uid or override it on the container",
	[pods.spec_path(obj)],
)

exempt(container) if images.matches_prefix(container.image, object.get(input, ["parameters", "exemptImages"], []))
