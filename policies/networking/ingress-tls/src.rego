package k8singresstls

import data.lib.objects

# An Ingress must terminate TLS for everything it routes: it needs spec.tls, and every rule
# host must appear in some spec.tls[].hosts. A TLS host "*.example.com" covers exactly one
# more DNS label ("shop.example.com", not "a.shop.example.com" nor "example.com"), as
# certificates do. A rule without a host answers for every host; only a TLS entry without
# hosts (the controller's default certificate) covers it.

violation contains {"msg": msg, "details": {"tls": "missing"}} if {
	obj := input.review.object
	obj.kind == "Ingress"
	count(_tls(obj)) == 0
	msg := sprintf(
		"Ingress %s has no spec.tls, so it serves plain HTTP; add spec.tls with a secretName and every rule host",
		[objects.name(obj)],
	)
}

violation contains {"msg": msg, "details": {"rule": i, "host": host}} if {
	obj := input.review.object
	obj.kind == "Ingress"
	count(_tls(obj)) > 0
	some i, rule in _rules(obj)
	host := object.get(rule, "host", "")
	host != ""
	not _covered(obj, lower(host))
	msg := sprintf(
		"Ingress %s: host %q of spec.rules[%d] is not listed in any spec.tls[].hosts; add it to a TLS entry",
		[objects.name(obj), host, i],
	)
}

violation contains {"msg": msg, "details": {"rule": i, "host": ""}} if {
	obj := input.review.object
	obj.kind == "Ingress"
	count(_tls(obj)) > 0
	not _default_certificate(obj)
	some i, rule in _rules(obj)
	object.get(rule, "host", "") == ""
	msg := sprintf(
		"Ingress %s: spec.rules[%d] has no host and answers for every host without TLS; %s",
		[objects.name(obj), i, "set a host listed in spec.tls[].hosts, or add a spec.tls entry without hosts"],
	)
}

# spec.tls and spec.rules may be absent or null.
_tls(obj) := _list(object.get(obj, ["spec", "tls"], []))

_rules(obj) := _list(object.get(obj, ["spec", "rules"], []))

_list(value) := value if is_array(value)

_list(value) := [] if not is_array(value)

# DNS names compare case-insensitively.
_tls_hosts(obj) := {lower(host) | some entry in _tls(obj); some host in _list(object.get(entry, "hosts", []))}

_covered(obj, host) if host in _tls_hosts(obj)

_covered(obj, host) if {
	some pattern in _tls_hosts(obj)
	_wildcard_covers(pattern, host)
}

_wildcard_covers(pattern, host) if {
	startswith(pattern, "*.")
	suffix := substring(pattern, 1, -1)
	endswith(host, suffix)
	label := trim_suffix(host, suffix)
	label != ""
	not contains(label, ".")
}

_default_certificate(obj) if {
	some entry in _tls(obj)
	count(_list(object.get(entry, "hosts", []))) == 0
}
