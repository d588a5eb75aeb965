"""`kpc extract PATH...`: the policy-relevant features of every object in some manifests."""

from __future__ import annotations

import click

from copilot.cli.common import echo_json, format_option
from tools.extract.models import ExtractResult, ObjectFeatures


def _container_line(obj: ObjectFeatures) -> list[str]:
    lines = []
    for c in obj.containers:
        image = c.image.raw if c.image else "(no image)"
        extras = [f"{c.field}[{c.index}]"]
        if c.privileged:
            extras.append("privileged")
        if c.capabilities_add:
            extras.append("add " + ",".join(c.capabilities_add))
        lines.append(f"    {c.name}: {image} ({', '.join(extras)})")
    return lines


def render_extract_text(result: ExtractResult) -> str:
    """Per object: `file:line  Kind namespace/name`, its containers, then its features."""
    lines: list[str] = []
    for obj in result.objects:
        where = f"{obj.namespace}/{obj.name}" if obj.namespace else obj.name
        lines.append(f"{obj.location()}  {obj.kind} {where}")
        if obj.containers:
            lines.append("  containers:")
            lines += _container_line(obj)
        if obj.features:
            lines.append("  features:")
            lines += [f"    {f}" for f in obj.features]
        lines.append("")
    lines.append(f"{len(result.objects)} objects")
    return "\n".join(lines)


@click.command()
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@format_option("text", "json")
@click.option("--quiet", "-q", is_flag=True, help="No notes on stderr.")
def extract(paths: tuple[str, ...], fmt: str, quiet: bool) -> None:
    """Show the policy-relevant features of the Kubernetes objects in PATH...

    PATH is a file, a folder (searched recursively for *.yaml, *.yml, *.json), a glob
    or - for stdin. For every object: its file:line, containers (with their paths and
    images), and the "key=value" features retrieval and explanations use, such as
    securityContext.privileged=true or image.tag=latest. With --format json, the full
    typed details (effective securityContext, images split into registry, repository,
    tag and digest, resources, probes, volumes, Service/Ingress/RBAC/PDB settings).
    Exit 1 when some input could not be read.
    """
    import sys

    from tools.errors import InputError
    from tools.extract import extract_paths
    from tools.report import render_notes

    stdin_text = sys.stdin.read() if "-" in paths else None
    result = extract_paths(list(paths), stdin_text=stdin_text)
    if fmt == "json":
        echo_json(result)
    else:
        click.echo(render_extract_text(result))
    if result.notes and not quiet:
        click.echo(render_notes(result.notes), err=True)
    errors = [n for n in result.notes if n.level == "error"]
    if errors:
        raise InputError(
            f"{len(errors)} input{'s' if len(errors) > 1 else ''} could not be read "
            f"(first: {errors[0].location()}: {errors[0].message})"
        )
