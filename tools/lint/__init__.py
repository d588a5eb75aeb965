"""The Kubernetes-aware Rego linter: Regal's rules plus ours (see docs/lint-rules.md)."""

from tools.lint.models import FailOn, LintReport, RuleInfo
from tools.lint.rules import rule_infos
from tools.lint.run import lint_paths

__all__ = ["FailOn", "LintReport", "RuleInfo", "lint_paths", "rule_infos"]
