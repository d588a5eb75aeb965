"""kpc/containers-only: the policy checks `containers` but not init or ephemeral containers."""

from __future__ import annotations

from tools.lint.context import RuleContext
from tools.lint.models import RuleInfo
from tools.lint.rego_ast import imports, module_paths, strings
from tools.models import Finding

RULE = RuleInfo(
    id="kpc/containers-only",
    level="error",
    title="Only regular containers are checked",
    description=(
        "The policy reads spec.containers but never initContainers or ephemeralContainers, so the "
        "same setting on an init or ephemeral container passes admission."
    ),
)

OTHER_CONTAINER_FIELDS = frozenset({"initContainers", "ephemeralContainers"})


def _uses_pods_lib(ctx: RuleContext) -> bool:
    if any(imp.startswith("data.lib.pods") for imp in imports(ctx.ast)):
        return True
    return any(path[:3] == ["data", "lib", "pods"] for path, _ in module_paths(ctx.ast))


def check(ctx: RuleContext) -> list[Finding]:
    """One finding at the first read of `containers` when no other container field is read."""
    if _uses_pods_lib(ctx):
        return []
    reads = [(path, term) for path, term in module_paths(ctx.ast) if "containers" in path[1:]]
    if not reads:
        return []
    mentioned = {seg for path, _ in module_paths(ctx.ast) for seg in path} | strings(ctx.ast)
    if mentioned & OTHER_CONTAINER_FIELDS:
        return []
    path, term = reads[0]
    shown = ".".join(path[: path.index("containers", 1) + 1])
    return [
        ctx.finding(
            RULE,
            f"reads {shown} but never initContainers or ephemeralContainers: the same setting on an "
            "init or ephemeral container is admitted; iterate all three fields "
            "(data.lib.pods.containers(obj) does)",
            term,
        )
    ]
