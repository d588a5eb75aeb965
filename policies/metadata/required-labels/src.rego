package k8srequiredlabels

import data.lib.objects

# Each entry of parameters.labels names a label the object must carry. When the entry has
# a non-empty allowedRegex, the label's value must match it as a whole: the pattern is
# anchored here so that "prod|staging" cannot pass "prod-old" or "my-staging".

violation contains {"msg": msg, "details": {"key": item.key, "missing": true}} if {
	obj := input.review.object
	some item in _required
	not _has_label(obj, item.key)
	msg := sprintf(
		"%s %s: required label %q is missing; add it under metadata.labels",
		[obj.kind, objects.name(obj), item.key],
	)
}

violation contains {"msg": msg, "details": details} if {
	obj := input.review.object
	some item in _required
	pattern := _pattern(item)
	regex.is_valid(_anchored(pattern))
	value := _label_value(obj, item.key)
	not regex.match(_anchored(pattern), value)
	details := {"key": item.key, "value": value, "allowedRegex": pattern}
	msg := sprintf(
		"%s %s: label %q has value %q, which does not fully match %q; set metadata.labels[%q] to a matching value",
		[obj.kind, objects.name(obj), item.key, value, pattern, item.key],
	)
}

# A broken pattern is a constraint mistake; saying so beats a silent evaluation error that
# would admit every object.
violation contains {"msg": msg, "details": {"key": item.key, "allowedRegex": pattern}} if {
	obj := input.review.object
	some item in _required
	pattern := _pattern(item)
	not regex.is_valid(_anchored(pattern))
	_has_label(obj, item.key)
	msg := sprintf(
		"%s %s: the constraint's allowedRegex %q for label %q is not a valid regular expression; fix the constraint",
		[obj.kind, objects.name(obj), pattern, item.key],
	)
}

_required := [item | some item in object.get(input, ["parameters", "labels"], []); is_string(item.key)]

# An empty or absent allowedRegex means any value is fine, so it yields no pattern.
_pattern(item) := pattern if {
	pattern := object.get(item, "allowedRegex", "")
	pattern != ""
}

_anchored(pattern) := sprintf("^(?:%s)$", [pattern])

# metadata.labels may be absent or null (an empty "labels:" in YAML); both mean "no labels".
_labels(obj) := labels if {
	labels := object.get(obj, ["metadata", "labels"], {})
	is_object(labels)
} else := {}

_has_label(obj, key) if key in object.keys(_labels(obj))

# Label values are strings in the API; a raw manifest checked by conftest may carry an
# unquoted number or boolean, which is compared in its printed form.
_label_value(obj, key) := sprintf("%v", [_labels(obj)[key]])
