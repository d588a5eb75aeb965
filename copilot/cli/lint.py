"""`kpc lint PATH...`: Regal plus the Kubernetes-aware rules of docs/lint-rules.md."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from copilot.cli.common import echo_json, format_option

_LEVEL_MARK = {"error": "error", "warning": "warn ", "info": "info "}


def render_text(report: Any) -> str:
    """One line per finding (`file:row:col: level id: message`), its source line, then a summary."""
    lines = []
    for f in report.findings:
        lines.append(f"{f.location()}: {_LEVEL_MARK.get(f.level, f.level)} {f.id}: {f.message}")
        if f.snippet:
            lines.append(f"    {f.snippet}")
    lines.append(report.summary())
    return "\n".join(lines)


def render_rules(rules: list[Any]) -> str:
    """The rule catalogue: id, default level and title."""
    return "\n".join(f"{r.id:<28} {r.level:<8} {r.title}" for r in rules)


def _sarif(report: Any, rules: list[Any]) -> Any:
    """The findings as a SARIF 2.1.0 log; our rules carry their titles and docs, Regal's their ids."""
    from tools.report import SarifRule, findings_to_sarif

    described = [
        SarifRule(
            id=r.id, name=r.name, title=r.title, description=r.description, help_uri=r.help_uri, level=r.level
        )
        for r in rules
    ]
    return findings_to_sarif(report.findings, "kpc-lint", described)


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@format_option("text", "json", "sarif")
@click.option(
    "--fail-on",
    type=click.Choice(["error", "warning", "never"]),
    default="error",
    show_default=True,
    help="Exit 2 when a finding at this level (or above) exists.",
)
@click.option(
    "--disable", "disabled", multiple=True, metavar="RULE", help="Leave out a rule (kpc/... or regal/...)."
)
@click.option("--no-regal", is_flag=True, help="Run only the kpc/ rules (no Regal).")
@click.option("--list-rules", is_flag=True, help="List the kpc/ rules and exit.")
def lint(
    paths: tuple[Path, ...],
    fmt: str,
    fail_on: str,
    disabled: tuple[str, ...],
    no_regal: bool,
    list_rules: bool,
) -> None:
    """Lint Rego for Kubernetes admission: Regal's rules plus kpc/ rules.

    PATH may be a .rego file, a policy bundle folder (src.rego with template.yaml,
    constraint.yaml or meta.yaml beside it), a ConstraintTemplate YAML file (its Rego is
    read from the code block and findings point at the template's lines), or a folder
    of any of these. Silence one finding with `# kpc ignore:<rule>` on its line or the
    line above.

    \b
    Exit codes: 0 no finding at the --fail-on level (warnings pass by default),
                2 findings at that level, 1 usage or environment error.
    """
    from tools.errors import InputError
    from tools.lint import lint_paths, rule_infos

    rules = rule_infos()
    if list_rules:
        if fmt == "json":
            echo_json(rules)
        else:
            click.echo(render_rules(rules))
        return
    if not paths:
        raise InputError("no PATH given", hint="e.g. `kpc lint policies/` or `kpc lint template.yaml`")
    report = lint_paths(list(paths), regal=not no_regal, disable=disabled)
    if fmt == "json":
        payload = report.model_dump(mode="json")
        payload.update(errors=report.errors, warnings=report.warnings, ok=report.ok)
        echo_json(payload)
    elif fmt == "sarif":
        echo_json(_sarif(report, rules))
    else:
        click.echo(render_text(report))
    sys.exit(report.exit_code(fail_on))  # type: ignore[arg-type]
