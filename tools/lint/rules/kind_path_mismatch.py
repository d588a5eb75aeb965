"""kpc/kind-path-mismatch: the pod spec is read at a path the matched kinds do not have."""

from __future__ import annotations

from tools.lint.context import RuleContext
from tools.lint.models import RuleInfo
from tools.lint.rego_ast import Node, Path, imports, module_paths, strings
from tools.models import Finding

RULE = RuleInfo(
    id="kpc/kind-path-mismatch",
    level="error",
    title="Pod spec path does not fit the matched kinds",
    description=(
        "The policy reads the pod spec at one layout (spec.containers on a Pod, spec.template.spec "
        "on a Deployment, spec.jobTemplate.spec.template.spec on a CronJob) while its constraint "
        "matches kinds that keep it elsewhere, so those objects are never checked."
    ),
)

# Fields that only exist in a pod spec: reading object.spec.<field> means "a Pod".
POD_SPEC_FIELDS = frozenset(
    "containers initContainers ephemeralContainers volumes hostNetwork hostPID hostIPC hostUsers "
    "securityContext serviceAccountName serviceAccount automountServiceAccountToken nodeSelector "
    "nodeName tolerations affinity hostAliases runtimeClassName priorityClassName dnsPolicy dnsConfig "
    "shareProcessNamespace os imagePullSecrets restartPolicy topologySpreadConstraints schedulerName "
    "readinessGates resourceClaims schedulingGates setHostnameAsFQDN enableServiceLinks".split()
)
LAYOUTS = {
    "pod": ("spec",),
    "template": ("spec", "template", "spec"),
    "cronjob": ("spec", "jobTemplate", "spec", "template", "spec"),
}
SHOWN = {"pod": "spec", "template": "spec.template.spec", "cronjob": "spec.jobTemplate.spec.template.spec"}
KIND_LAYOUT = {
    "Pod": "pod",
    "Deployment": "template",
    "StatefulSet": "template",
    "DaemonSet": "template",
    "ReplicaSet": "template",
    "Job": "template",
    "ReplicationController": "template",
    "PodTemplate": "template",
    "CronJob": "cronjob",
}


def _object_path(path: Path, gatekeeper: bool) -> Path | None:
    """The part of a path below the admitted object (input.review.object, or input for conftest)."""
    if path[:3] == ["input", "review", "object"]:
        return path[3:]
    if not gatekeeper and path[:1] == ["input"]:
        return path[1:]
    return None


def _layout(rest: Path, pod_fields_named: bool) -> str | None:
    """Which pod-spec layout a path below the object reads, if any.

    `spec[field]` with a dynamic key counts as the Pod layout when the module spells a
    pod-spec field name somewhere (`some field in ["containers", "initContainers"]`).
    """
    for name in ("cronjob", "template"):
        prefix = LAYOUTS[name]
        if tuple(rest[: len(prefix)]) == prefix and len(rest) > len(prefix):
            return name
    pod_field = len(rest) > 1 and (rest[1] in POD_SPEC_FIELDS or (rest[1] == "*" and pod_fields_named))
    return "pod" if pod_field and rest[0] == "spec" else None


def check(ctx: RuleContext) -> list[Finding]:
    """One finding when a matched kind's pod-spec layout is never read while another layout is."""
    kinds = ctx.target.match_kinds
    if not kinds or any(imp.startswith("data.lib.pods") for imp in imports(ctx.ast)):
        return []
    paths = list(module_paths(ctx.ast))
    if any(path[:3] == ["data", "lib", "pods"] for path, _ in paths):
        return []
    gatekeeper = any(path[:2] == ["input", "review"] for path, _ in paths)
    pod_fields_named = bool(strings(ctx.ast) & POD_SPEC_FIELDS)
    read: dict[str, Node] = {}
    for path, term in paths:
        rest = _object_path(path, gatekeeper)
        layout = _layout(rest, pod_fields_named) if rest is not None else None
        if layout:
            read.setdefault(layout, term)
    if not read:
        return []
    missing = [k for k in kinds if KIND_LAYOUT.get(k) and KIND_LAYOUT[k] not in read]
    if not missing:
        return []
    layout, term = next(iter(read.items()))
    wanted = sorted({SHOWN[KIND_LAYOUT[k]] for k in missing})
    return [
        ctx.finding(
            RULE,
            f"reads the pod spec at {SHOWN[layout]} only, but {ctx.target.kinds_from or 'the constraint'} "
            f"matches {', '.join(missing)}, whose pod spec is at {' / '.join(wanted)}: those objects are "
            "never checked; read the spec through data.lib.pods.pod_spec(obj) or narrow the match kinds",
            term,
        )
    ]
