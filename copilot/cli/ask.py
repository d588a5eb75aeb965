"""`kpc ask "REQUEST"`: draft a policy, verify it with the real engines, write it only when it passed.

Exit codes: 0 verified (or an explain/scan question answered), 2 declined or not
verified, 1 usage or environment errors (bad option, unreachable provider, ...).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from copilot.cli.common import echo_json, format_option
from tools.errors import InputError, KpcError

EXIT = {"verified": 0, "answered": 0, "declined": 2, "not_verified": 2, "cancelled": 130}


class _AskCommand(click.Command):
    """Bad options are usage errors, exit 1 (click's own usage exit code, 2, means "not verified" here)."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)
        except click.UsageError as exc:
            raise InputError(exc.format_message().replace("\n", " "), hint="see `kpc ask --help`") from exc


def _free_dir(base: Path) -> Path:
    """base, or base-2, base-3, ... : the default folder never overwrites an earlier answer."""
    candidate, n = base, 2
    while candidate.exists() and (not candidate.is_dir() or any(candidate.iterdir())):
        candidate, n = base.with_name(f"{base.name}-{n}"), n + 1
    return candidate


def _progress(event: Any) -> None:
    shown = {
        "note",
        "retrieved",
        "drafting",
        "submitted",
        "verify_round",
        "repairing",
        "not_verified",
        "declined",
    }
    if event.kind in shown or (event.kind == "tool" and not event.data.get("ok", True)):
        click.echo(f"… {event.message}", err=True)


def _files(folder: str | None) -> list[str]:
    if not folder:
        return []
    root = Path(folder)
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def _json(result: Any) -> dict[str, Any]:
    draft = result.draft
    return {
        "status": result.status,
        "out_dir": result.bundle_dir,
        "unverified_dir": result.unverified_dir,
        "policy_id": result.policy_id if result.status == "verified" else None,
        "best_attempt_id": result.policy_id if result.best_attempt else None,
        "report": result.report.model_dump(mode="json") if result.report else None,
        "summary": result.report.summary() if result.report else None,
        "kind": draft.kind if draft else None,
        "title": draft.title if draft else None,
        "enforcement_action": draft.enforcement_action if draft else None,
        "target": draft.target if draft else None,
        "files": _files(result.bundle_dir or result.unverified_dir),
        "intent": result.intent,
        "thread_id": result.thread_id,
        "provider": result.provider,
        "model": result.model,
        "rounds": result.rounds,
        "model_calls": result.model_calls,
        "tokens": result.tokens,
        "seconds": result.seconds,
        "exemplars": [e.get("id") for e in result.exemplars],
        "reason": result.reason,
        "explanation": result.explanation,
    }


def _text(result: Any) -> None:
    from copilot.cli.verify import render_report_text

    if result.status == "verified":
        click.echo(result.draft.src_rego.rstrip())
        click.echo("")
        click.echo(render_report_text(result.report))
        click.echo("")
        click.echo(result.explanation)
        entries = sorted(p.name + ("/" if p.is_dir() else "") for p in Path(result.bundle_dir).iterdir())
        click.echo(f"\nWrote {result.bundle_dir}/: {' '.join(entries)}")
    elif result.status == "not_verified":
        click.echo(result.explanation)
        if result.unverified_dir:
            click.echo(f"\nBest attempt (NOT verified, do not apply) saved to {result.unverified_dir}/")
    else:
        click.echo(result.explanation)
    click.echo(f'\nthread {result.thread_id}: continue with `kpc ask --thread {result.thread_id} "..."`')


@click.command(cls=_AskCommand)
@click.argument("request", nargs=-1, required=True)
@click.option(
    "--provider",
    help="offline (default), openai, mock, or a plugin; default from KPC_PROVIDER or the config file.",
)
@click.option("--model", help="Model name for the provider (e.g. gpt-4o-mini, qwen2.5-coder:14b).")
@click.option(
    "--target",
    type=click.Choice(["gatekeeper", "conftest", "both"]),
    default="both",
    show_default=True,
    help="Which engine the policy is for.",
)
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    help="Output folder (default: ./out/<policy-id>, never overwriting an earlier one).",
)
@click.option(
    "--overwrite",
    "--force",
    "overwrite",
    is_flag=True,
    help="Replace the contents of an existing --out folder.",
)
@click.option(
    "--rego-version",
    type=click.Choice(["v1", "v0"]),
    default="v1",
    show_default=True,
    help="v1: the template's code: block with Rego v1; v0: legacy rego:/libs: fields for older Gatekeeper.",
)
@click.option(
    "--max-rounds",
    type=click.IntRange(0, 20),
    default=4,
    show_default=True,
    help="Repair rounds after the first verification.",
)
@click.option("--thread", help='Conversation id: continue it ("also exempt monitoring"); default: a new one.')
@click.option(
    "--mock-script",
    type=click.Path(path_type=Path),
    envvar="KPC_MOCK_SCRIPT",
    help="Scripted replies for the mock provider (YAML/JSON; implies --provider mock).",
)
@click.option(
    "--manifest",
    "manifests",
    multiple=True,
    type=click.Path(path_type=Path),
    help="An example manifest (data only, secrets redacted); repeatable.",
)
@format_option("text", "json")
def ask(
    request: tuple[str, ...],
    provider: str | None,
    model: str | None,
    target: str,
    out: Path | None,
    overwrite: bool,
    rego_version: str,
    max_rounds: int,
    thread: str | None,
    mock_script: Path | None,
    manifests: tuple[Path, ...],
    fmt: str,
) -> None:
    """Draft a policy for REQUEST, verify it with opa, regal, gator and conftest, and write it.

    Only a verified policy is written to --out (template.yaml, constraint.yaml, src.rego,
    src_test.rego, suite.yaml, samples/, conftest/, report.json). A policy that could not
    be verified is never presented as one: its best attempt goes to OUT.unverified/.
    Exit 0 when verified, 2 when declined or not verified, 1 on usage or environment errors.
    """
    from copilot.agent.api import run_request
    from copilot.agent.output import check_out_dir, write_result

    text = " ".join(request).strip()
    try:
        if mock_script is not None and not mock_script.is_file():
            raise InputError(f"mock script {mock_script} does not exist")
        if out is not None:
            check_out_dir(out, overwrite=overwrite)
        result = run_request(
            text,
            provider=provider,
            model=model,
            target=target,
            thread_id=thread,
            max_rounds=max_rounds,
            on_event=None if fmt == "json" else _progress,
            manifests=list(manifests),
            mock_script=str(mock_script) if mock_script else None,
            rego_version=rego_version,
        )
        if result.draft is not None and result.status in ("verified", "not_verified"):
            base = Path("out") / result.draft.policy_id
            if out is not None:
                folder = out
            elif result.status == "verified" and not overwrite:
                folder = _free_dir(base)
            else:
                folder = base  # OUT.unverified/ is replaced on every run anyway
            result = write_result(result, folder, overwrite=overwrite or out is None)
    except KpcError as exc:
        if fmt == "json":
            echo_json({"status": "error", "error": str(exc)})
        raise
    if fmt == "json":
        echo_json(_json(result))
    else:
        _text(result)
    sys.exit(EXIT.get(result.status, 2))
