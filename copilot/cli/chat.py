"""`kpc chat`: the interactive terminal copilot (Textual loads only when this command runs)."""

from __future__ import annotations

from pathlib import Path

import click


@click.command()
@click.option(
    "--provider",
    default=None,
    help="Model provider: offline (default, no network), openai (any OpenAI-compatible endpoint), mock.",
)
@click.option(
    "--target",
    type=click.Choice(["gatekeeper", "conftest", "both"]),
    default="both",
    show_default=True,
    help="What requests draft: a Gatekeeper ConstraintTemplate + Constraint, a conftest policy, or both.",
)
@click.option(
    "--mock-script",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="Scripted replies for --provider mock (YAML or JSON, or a recorded cassette).",
)
@click.option(
    "--model", default=None, help="Model name for --provider openai (else KPC_MODEL or the config)."
)
@click.option(
    "--max-rounds",
    type=click.IntRange(0, 10),
    default=None,
    help="Repair rounds after the first verification.",
)
def chat(
    provider: str | None, target: str, mock_script: Path | None, model: str | None, max_rounds: int | None
) -> None:
    """Open the interactive copilot: ask for policies, watch them verified, refine, save, scan.

    Keys: enter sends, esc cancels the running request, ctrl+s saves, ctrl+n starts a
    new conversation, f1 shows help, ctrl+q quits. Type /help for the commands.
    """
    from copilot.llm import get_model
    from copilot.llm.config import load_settings
    from copilot.tui.app import make_app

    settings = load_settings(
        provider=provider, model=model, mock_script=str(mock_script) if mock_script else None
    )
    app = make_app(
        provider=settings.provider,
        target=target,
        mock_script=settings.mock_script,
        model=get_model(settings=settings),
        max_rounds=max_rounds,
    )
    app.run()
