"""What a rule sees of one module: its AST, its source, its Kubernetes context; and how it reports."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tools.lint.models import RuleInfo
from tools.lint.rego_ast import location
from tools.lint.targets import LintTarget
from tools.models import Finding


@dataclass
class RuleContext:
    """One parsed module and the target it came from."""

    ast: dict[str, Any]
    target: LintTarget
    rego_version: str = "v1"

    @property
    def source_lines(self) -> list[str]:
        return self.target.source.splitlines()

    def row(self, rego_row: int | None) -> int | None:
        """A Rego line as a line of the file shown to the user (templates shift it)."""
        if rego_row is None or self.target.row_offset is None:
            return None
        return rego_row + self.target.row_offset

    def snippet(self, rego_row: int | None) -> str | None:
        lines = self.source_lines
        if rego_row and 0 < rego_row <= len(lines):
            return lines[rego_row - 1].strip()
        return None

    def finding(self, rule: RuleInfo, message: str, node: dict[str, Any] | None = None) -> Finding:
        """A finding of `rule` at `node` (or at the package line when no node is given)."""
        row, col = location(node) if node else location(self.ast.get("package"))
        return Finding(
            id=rule.id,
            level=rule.level,
            message=message,
            file=self.target.display,
            row=self.row(row),
            col=col + self.target.col_offset if col and self.target.row_offset is not None else None,
            snippet=self.snippet(row),
            tool="kpc-lint",
        )
