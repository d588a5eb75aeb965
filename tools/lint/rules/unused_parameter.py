"""kpc/unused-parameter: a declared constraint parameter the Rego never reads."""

from __future__ import annotations

from tools.lint.context import RuleContext
from tools.lint.models import RuleInfo
from tools.lint.rego_ast import aliases, calls, module_paths, resolve, rules, strings
from tools.models import Finding

RULE = RuleInfo(
    id="kpc/unused-parameter",
    level="warning",
    title="Declared parameter never read",
    description=(
        "A parameter declared in the template's openAPIV3Schema (or meta.yaml parameters) is never "
        "read as input.parameters.<name>: a constraint that sets it silently changes nothing."
    ),
)

# Calls that read one field of the parameters object rather than handing it on whole.
_FIELD_READS = frozenset({"object.get", "assign", "eq", "internal.member_2", "internal.member_3"})


def _read_parameters(ctx: RuleContext) -> tuple[set[str], bool]:
    """The parameter names read, and whether the parameters object is used in ways we cannot follow."""
    used: set[str] = set()
    dynamic = False
    for path, _ in module_paths(ctx.ast):
        if path[:2] == ["input", "parameters"] and len(path) > 2:
            if path[2] == "*":
                dynamic = True
            else:
                used.add(path[2])
    for rule in rules(ctx.ast):
        bound = aliases(rule)
        for name, args, _ in calls(rule):
            if name in _FIELD_READS:
                continue
            # The whole object passed to a function: its fields are read out of our sight.
            if any(resolve(arg, bound) in (["input", "parameters"], ["input"]) for arg in args):
                dynamic = True
    return used, dynamic


def check(ctx: RuleContext) -> list[Finding]:
    """A finding per declared parameter that is never read, at its declaration."""
    declared = ctx.target.parameters
    if not declared:
        return []
    used, dynamic = _read_parameters(ctx)
    if dynamic:
        return []
    # A name spelled as a string anywhere (object.get(params, "name", ...)) counts as read.
    literals = strings(ctx.ast)
    found = []
    for decl in declared:
        if decl.name in used or decl.name in literals:
            continue
        finding = ctx.finding(
            RULE,
            f"parameter {decl.name!r} is declared but the Rego never reads input.parameters.{decl.name}: "
            "a constraint setting it changes nothing; use it or remove it from the schema",
        )
        found.append(
            finding.model_copy(update={"file": decl.file, "row": decl.row, "col": None, "snippet": None})
        )
    return found
