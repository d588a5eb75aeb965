"""`kpc index build|query|status`: the exemplar index behind retrieval."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from copilot.cli.common import echo_json, format_option

_LOCATION_HELP = (
    "The index lives in --index-dir (or $KPC_INDEX_DIR, default: the state folder's index/), "
    "or on a shared Chroma server given by --chroma-url (or $KPC_CHROMA_URL)."
)


def location_options(func: Any) -> Any:
    """--index-dir and --chroma-url, shared by every index subcommand."""
    func = click.option(
        "--chroma-url",
        metavar="URL",
        help="Use the Chroma server at URL (e.g. http://127.0.0.1:8000) instead of a local folder.",
    )(func)
    func = click.option(
        "--index-dir",
        type=click.Path(file_okay=False, path_type=Path),
        help="Keep the index in this folder (default: $KPC_INDEX_DIR or <state dir>/index).",
    )(func)
    return func


@click.group(help=f"Build, query or inspect the exemplar index. {_LOCATION_HELP}")
def index() -> None:
    """The `kpc index` group."""


@contextmanager
def build_progress() -> Iterator[Callable[[str, int, int], None]]:
    """A rich progress bar on stderr, fed by build_index's progress callback.

    The bar appears only once a build reports progress, so a query against an existing
    index prints nothing extra.
    """
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    bar = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    )
    task: list[Any] = []

    def update(stage: str, done: int, total: int) -> None:
        if not task:
            bar.start()
            task.append(bar.add_task("scanning the corpus", total=None))
        if stage == "embedding":
            bar.update(task[0], description="embedding documents", completed=done, total=total or None)
        elif stage == "done":
            bar.update(task[0], completed=total, total=total or 1)

    try:
        yield update
    finally:
        if task:
            bar.stop()


@index.command()
@location_options
@click.option("--rebuild", is_flag=True, help="Drop the collection and embed every exemplar again.")
@click.option(
    "--policies",
    type=click.Path(path_type=Path),
    help="Index this corpus folder (policies/<category>/<id>/meta.yaml + src.rego) instead of the built-in one.",
)
@format_option("text", "json")
def build(
    index_dir: Path | None, chroma_url: str | None, rebuild: bool, policies: Path | None, fmt: str
) -> None:
    """Build or update the exemplar index from the policy corpus.

    Incremental: only new or changed exemplars are embedded, removed ones are deleted.
    Progress goes to stderr; with --format json stdout is one JSON document.
    """
    from tools.corpus.load import POLICIES_DIR
    from tools.errors import InputError
    from tools.retrieve import build_index

    if policies is not None and not policies.is_dir():
        raise InputError(f"no such corpus folder: {policies}")
    with build_progress() as progress:
        report = build_index(
            index_dir=index_dir,
            chroma_url=chroma_url,
            rebuild=rebuild,
            progress=progress,
            root=policies or POLICIES_DIR,
        )
    if fmt == "json":
        echo_json(report)
        return
    click.echo(f"{report.summary()}\n  at {report.location.describe()}")
    for label, ids in (("added", report.added), ("updated", report.updated), ("removed", report.removed)):
        if ids:
            click.echo(f"  {label}: {', '.join(ids)}")


def render_hits(hits: list[Any], features: list[str]) -> str:
    """The hits as an aligned table with their component scores."""
    if not hits:
        return "no exemplars found"
    lines = [f"{'#':>2}  {'score':>5}  {'vector':>6}  {'bm25':>5}  {'feat':>5}  {'kind':>4}  id (category)"]
    for n, hit in enumerate(hits, 1):
        lines.append(
            f"{n:>2}  {hit.score:5.3f}  {hit.vector:6.3f}  {hit.bm25:5.3f}  {hit.feature:5.3f}  "
            f"{hit.kind_match:4.2f}  {hit.id} ({hit.category}) {hit.kind}"
        )
        if hit.matched_features:
            lines.append(f"{'':>8}features: {', '.join(hit.matched_features)}")
        elif hit.matched_text:
            text = " ".join(hit.matched_text.split())
            lines.append(f"{'':>8}matched: {text[:100]}{'…' if len(text) > 100 else ''}")
    if features:
        lines.append(f"manifest features: {', '.join(features)}")
    return "\n".join(lines)


@index.command()
@click.argument("text", required=False)
@click.option(
    "--manifest",
    "manifests",
    multiple=True,
    type=click.Path(path_type=Path),
    help="Rank by the features and kinds of this manifest file or folder (repeatable).",
)
@click.option("-k", "k", type=click.IntRange(1, 100), default=5, show_default=True, help="How many hits.")
@click.option("--kind", "kinds", multiple=True, help="Prefer exemplars for this resource kind (repeatable).")
@click.option("--category", help="Only exemplars of this category (e.g. pod-security).")
@location_options
@format_option("text", "json")
def query(
    text: str | None,
    manifests: tuple[Path, ...],
    k: int,
    kinds: tuple[str, ...],
    category: str | None,
    index_dir: Path | None,
    chroma_url: str | None,
    fmt: str,
) -> None:
    """Find the exemplars closest to TEXT, to a --manifest's features, or to both.

    \b
    kpc index query "deny privileged containers"
    kpc index query --manifest deploy.yaml
    kpc index query "only our registry" --manifest deploy.yaml -k 3 --format json
    """
    from tools.errors import InputError
    from tools.retrieve import manifest_signals, search

    if not (text and text.strip()) and not manifests and not kinds:
        raise InputError(
            "nothing to search for", hint='give a TEXT, --manifest FILE or --kind, e.g. "deny hostPath"'
        )
    features: list[str] = []
    wanted = list(kinds)
    if manifests:
        signals = manifest_signals(list(manifests))
        features = signals.features
        wanted += [kd for kd in signals.kinds if kd not in wanted]
        for note in signals.notes:
            click.echo(f"kpc: note: {note}", err=True)
    with build_progress() as progress:
        result = search(
            text,
            manifest_features=features,
            kinds=wanted,
            k=k,
            category=category,
            index_dir=index_dir,
            chroma_url=chroma_url,
            progress=progress,
        )
    for note in result.notes:
        click.echo(f"kpc: note: {note}", err=True)
    if fmt == "json":
        echo_json(
            {
                "query": text,
                "manifest_features": features,
                "kinds": wanted,
                "hits": result.hits,
                "notes": result.notes,
                "location": result.location,
            }
        )
        return
    click.echo(render_hits(result.hits, features))


@index.command()
@location_options
@format_option("text", "json")
def status(index_dir: Path | None, chroma_url: str | None, fmt: str) -> None:
    """Show where the index is, what it holds and whether it is stale (exit 1 when unreachable)."""
    import sys

    from tools.retrieve import index_status

    report = index_status(index_dir=index_dir, chroma_url=chroma_url)
    if fmt == "json":
        echo_json(report)
    else:
        click.echo(report.summary())
        if report.exists:
            click.echo(f"  built {report.built_at or 'at an unknown time'} with {report.embedding_model}")
            click.echo(f"  corpus on disk: {report.corpus_exemplars} exemplars")
    if not report.reachable:
        sys.exit(1)
