package k8sserviceexternalips

import data.lib.objects

# spec.externalIPs makes kube-proxy on every node capture traffic sent to those addresses,
# whoever owns them. Anyone who may create a Service can therefore intercept traffic to
# arbitrary IPs (CVE-2020-8554), so only the addresses a cluster admin lists are allowed.
# An allowedIPs entry is a single address or, when it contains "/", a CIDR range.

violation contains {"msg": msg, "details": {"externalIP": ip, "index": i}} if {
	obj := input.review.object
	obj.kind == "Service"
	some i, ip in _external_ips(obj)
	not _allowed(ip)
	msg := sprintf(
		"Service %s: spec.externalIPs[%d] %q is not allowed (allowedIPs: %s); %s",
		[objects.name(obj), i, ip, _allowed_text, "remove it or expose the Service through a LoadBalancer or Ingress"],
	)
}

default _allowed_ips := []

_allowed_ips := ips if {
	ips := object.get(input, ["parameters", "allowedIPs"], [])
	is_array(ips)
}

# IPv6 addresses may be written in either case.
_allowed(ip) if {
	some entry in _allowed_ips
	not contains(entry, "/")
	lower(entry) == lower(ip)
}

_allowed(ip) if {
	some entry in _allowed_ips
	contains(entry, "/")
	net.cidr_contains(entry, ip)
}

_allowed_text := concat(", ", _allowed_ips) if count(_allowed_ips) > 0

_allowed_text := "none" if count(_allowed_ips) == 0

# spec.externalIPs may be absent or null.
_external_ips(obj) := ips if {
	ips := object.get(obj, ["spec", "externalIPs"], [])
	is_array(ips)
} else := []
