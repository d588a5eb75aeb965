package k8srequiredannotations

import data.lib.objects

# Each entry of parameters.annotations names an annotation the object must carry. When the
# entry has a non-empty allowedRegex, the annotation's value must match it as a whole: the
# pattern is anchored here so that "https://.+" cannot pass "see https://wiki" and
# "team-a|team-b" cannot pass "team-abc".

violation contains {"msg": msg, "details": {"key": item.key, "missing": true}} if {
	obj := input.review.object
	some item in _required
	not _has_annotation(obj, item.key)
	msg := sprintf(
		"%s %s: required annotation %q is missing; add it under metadata.annotations",
		[obj.kind, objects.name(obj), item.key],
	)
}

violation contains {"msg": msg, "details": details} if {
	obj := input.review.object
	some item in _required
	pattern := _pattern(item)
	regex.is_valid(_anchored(pattern))
	value := _annotation_value(obj, item.key)
	not regex.match(_anchored(pattern), value)
	details := {"key": item.key, "value": value, "allowedRegex": pattern}
	msg := sprintf(
		"%s %s: annotation %q has value %q, which does not fully match %q; set it to a matching value",
		[obj.kind, objects.name(obj), item.key, value, pattern],
	)
}

# A broken pattern is a constraint mistake; saying so beats a silent evaluation error that
# would admit every object.
violation contains {"msg": msg, "details": {"key": item.key, "allowedRegex": pattern}} if {
	obj := input.review.object
	some item in _required
	pattern := _pattern(item)
	not regex.is_valid(_anchored(pattern))
	_has_annotation(obj, item.key)
	msg := sprintf(
		"%s %s: the constraint's allowedRegex %q for annotation %q is not a valid regular expression; fix the constraint",
		[obj.kind, objects.name(obj), pattern, item.key],
	)
}

_required := [item | some item in object.get(input, ["parameters", "annotations"], []); is_string(item.key)]

# An empty or absent allowedRegex means any value is fine, so it yields no pattern.
_pattern(item) := pattern if {
	pattern := object.get(item, "allowedRegex", "")
	pattern != ""
}

_anchored(pattern) := sprintf("^(?:%s)$", [pattern])

# metadata.annotations may be absent or null (an empty "annotations:" in YAML); both mean none.
_annotations(obj) := annotations if {
	annotations := object.get(obj, ["metadata", "annotations"], {})
	is_object(annotations)
} else := {}

_has_annotation(obj, key) if key in object.keys(_annotations(obj))

# Annotation values are strings in the API; a raw manifest checked by conftest may carry an
# unquoted number or boolean, which is compared in its printed form.
_annotation_value(obj, key) := sprintf("%v", [_annotations(obj)[key]])
