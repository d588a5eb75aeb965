package k8simagepullpolicy

import data.lib.images
import data.lib.objects
import data.lib.pods

violation contains {"msg": msg, "details": details} if {
	obj := input.review.object
	some entry in pods.containers(obj)
	policy := effective_policy(entry.container)
	not lower(policy) in {lower(p) | some p in allowed_policies}
	msg := sprintf(
		"%s %s: container %q (%s) %s; set imagePullPolicy to %s",
		[obj.kind, objects.name(obj), entry.name, entry.path, describe(entry.container, policy), allowed_text],
	)
	details := {
		"container": entry.name,
		"path": entry.path,
		"field": sprintf("%s.imagePullPolicy", [entry.path]),
		"value": policy,
		"defaulted": defaulted(entry.container),
	}
}

allowed_policies := object.get(input, ["parameters", "allowedPolicies"], ["Always"])

allowed_text := concat(" or ", allowed_policies) if count(allowed_policies) > 0

allowed_text := "an allowed value (the allowedPolicies parameter is empty)" if count(allowed_policies) == 0

effective_policy(container) := container.imagePullPolicy if has_policy(container)

# An unset imagePullPolicy is judged by the value the API server will give it, for Pods
# and pod templates alike: Always when the image's tag is latest (written or implied by
# a missing tag), IfNotPresent otherwise, including digest-only references.
effective_policy(container) := default_policy(container.image) if not has_policy(container)

default_policy(image) := "Always" if images.parse(image).tag == "latest"

default_policy(image) := "IfNotPresent" if images.parse(image).tag != "latest"

# An empty string is unset to the API server, which then applies its default.
has_policy(container) if container.imagePullPolicy != ""

defaulted(container) := false if has_policy(container)

defaulted(container) if not has_policy(container)

describe(container, policy) := sprintf("has imagePullPolicy %q", [policy]) if has_policy(container)

describe(container, policy) := sprintf(
	"has no imagePullPolicy, so Kubernetes defaults it to %q for image %q (%s)",
	[policy, container.image, default_reason(container.image)],
) if {
	not has_policy(container)
}

default_reason(image) := "no tag, which means latest" if images.parse(image).implicit_tag

default_reason(image) := "pinned by digest" if images.parse(image).tag == ""

default_reason(image) := sprintf("tag %s", [ref.tag]) if {
	ref := images.parse(image)
	not ref.implicit_tag
	ref.tag != ""
}
