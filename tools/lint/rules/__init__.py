"""Our Kubernetes-aware Rego rules, one module each; documented in docs/lint-rules.md."""

from __future__ import annotations

from collections.abc import Callable

from tools.lint.context import RuleContext
from tools.lint.models import RuleInfo
from tools.lint.rules import (
    containers_only,
    kind_path_mismatch,
    message_without_value,
    naive_image_split,
    unused_parameter,
)
from tools.models import Finding

Check = Callable[[RuleContext], list[Finding]]

RULES: list[tuple[RuleInfo, Check]] = [
    (module.RULE, module.check)
    for module in (
        containers_only,
        kind_path_mismatch,
        naive_image_split,
        message_without_value,
        unused_parameter,
    )
]


def rule_infos() -> list[RuleInfo]:
    """Every rule's id, level, title and description."""
    return [info for info, _ in RULES]
