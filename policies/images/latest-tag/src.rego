package k8slatesttag

import data.lib.images
import data.lib.objects
import data.lib.pods

violation contains {"msg": msg, "details": details} if {
	obj := input.review.object
	some entry in pods.containers(obj)
	image := entry.container.image
	ref := images.parse(image)
	mutable_latest(ref)
	not exempt(image)
	msg := sprintf(
		"%s %s: container %q (%s) image %q %s; pin an explicit version tag (e.g. %s:1.2.3) or a digest (@sha256:...)",
		[obj.kind, objects.name(obj), entry.name, entry.path, image, reason(ref), without_tag(image)],
	)
	details := {
		"container": entry.name,
		"path": entry.path,
		"field": sprintf("%s.image", [entry.path]),
		"value": image,
	}
}

# A reference resolves to "latest" when it says so or names no tag at all. A digest pins the
# image whatever the tag says (the runtime pulls by digest), so "app@sha256:..." and even
# "app:latest@sha256:..." are immutable and allowed.
mutable_latest(ref) if {
	ref.tag == "latest"
	ref.digest == ""
}

reason(ref) := "has no tag, so it resolves to the mutable tag latest" if ref.implicit_tag

reason(ref) := "uses the mutable tag latest" if not ref.implicit_tag

# The reference without ":latest", for the suggested fix; a registry port is kept because
# the tag is only ever after the last "/".
without_tag(image) := trim_suffix(image, ":latest")

exempt(image) if images.matches_prefix(image, object.get(input, ["parameters", "exemptImages"], []))
