package k8sseccomprestricted

import data.lib.objects
import data.lib.pods
import data.lib.security

default_profiles := ["RuntimeDefault", "Localhost"]

allowed_profiles := object.get(input, ["parameters", "allowedProfiles"], default_profiles)

violation contains {"msg": msg, "details": details} if {
	obj := input.review.object
	not windows_pod(obj)
	some entry in pods.containers(obj)
	not security.effective(obj, entry.container, "seccompProfile")
	msg := sprintf(
		"%s %s: container %q (%s) has no seccomp profile (set on neither the container nor the pod); %s",
		[obj.kind, objects.name(obj), entry.name, entry.path, fix(obj)],
	)
	details := {"container": entry.name, "path": entry.path, "source": "unset", "profile": null}
}

violation contains {"msg": msg, "details": details} if {
	obj := input.review.object
	not windows_pod(obj)
	some entry in pods.containers(obj)
	profile := security.effective(obj, entry.container, "seccompProfile")
	not allowed(profile)
	source := origin(entry.container)
	msg := sprintf(
		"%s %s: container %q (%s) uses seccomp profile %s (%s), which is not allowed; %s",
		[obj.kind, objects.name(obj), entry.name, entry.path, describe(profile), where[source], fix(obj)],
	)
	details := {"container": entry.name, "path": entry.path, "source": source, "profile": describe(profile)}
}

# allowed(profile) matches the profile type, or "Localhost/<file>" for one specific local
# profile; "*" accepts any explicitly set profile.
allowed(_) if "*" in allowed_profiles

allowed(profile) if profile.type in normalised_allowed

allowed(profile) if describe(profile) in normalised_allowed

# Parameters may use the API spelling (RuntimeDefault) or the older annotation spelling
# (runtime/default, docker/default, localhost/<file>).
normalised_allowed contains normalise(name) if some name in allowed_profiles

normalise(name) := "RuntimeDefault" if lower(name) in {"runtimedefault", "runtime/default", "docker/default"}

normalise(name) := "Localhost" if lower(name) == "localhost"

normalise(name) := "Unconfined" if lower(name) == "unconfined"

normalise(name) := concat("/", ["Localhost", substring(name, 10, -1)]) if startswith(lower(name), "localhost/")

# describe(profile) is the profile type, or "Localhost/<file>" for a local profile.
describe(profile) := concat("/", ["Localhost", profile.localhostProfile]) if local_file(profile)

describe(profile) := profile.type if not local_file(profile)

local_file(profile) if {
	profile.type == "Localhost"
	is_string(profile.localhostProfile)
}

origin(container) := "container" if container.securityContext.seccompProfile

origin(container) := "pod" if not container.securityContext.seccompProfile

where := {"container": "set on the container", "pod": "inherited from the pod securityContext"}

fix(obj) := sprintf(
	"set securityContext.seccompProfile.type (allowed: %s) on the container or in %s.securityContext",
	[concat(", ", allowed_profiles), pods.spec_path(obj)],
)

# Seccomp is Linux-only: the API server rejects seccompProfile on Windows pods
# (spec.os.name: windows), and the Pod Security Standards exempt them from this control.
windows_pod(obj) if pods.pod_spec(obj).os.name == "windows"
