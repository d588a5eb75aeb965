package k8simagedigests

import data.lib.images
import data.lib.objects
import data.lib.pods

violation contains {"msg": msg, "details": details} if {
	obj := input.review.object
	some entry in pods.containers(obj)
	image := entry.container.image
	not pinned(image)
	not exempt(image)
	msg := sprintf(
		"%s %s: container %q (%s) image %q %s; pin it by digest, e.g. %s@sha256:<64 hex digits>",
		[obj.kind, objects.name(obj), entry.name, entry.path, image, problem(image), split(image, "@")[0]],
	)
	details := {
		"container": entry.name,
		"path": entry.path,
		"field": sprintf("%s.image", [entry.path]),
		"value": image,
	}
}

# A sha256 digest is 64 lower-case hex digits; anything else does not pin the image (and
# fails to pull). A tag next to the digest ("app:1.2@sha256:...") is fine: the runtime
# pulls by digest and the tag only documents the version.
pinned(image) if regex.match(`^sha256:[a-f0-9]{64}$`, images.parse(image).digest)

problem(image) := "has no digest" if images.parse(image).digest == ""

problem(image) := sprintf("has the digest %q, which is not sha256 with 64 hex digits", [digest]) if {
	digest := images.parse(image).digest
	digest != ""
}

exempt(image) if images.matches_prefix(image, object.get(input, ["parameters", "exemptImages"], []))
