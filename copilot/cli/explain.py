"""`kpc explain MANIFEST`: why each object is denied, the smallest fix, re-verified; as text, JSON or a patch."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING

import click

from copilot.cli.common import format_option, policies_option, to_jsonable

if TYPE_CHECKING:
    from tools.explain.patch import Patch

EPILOG = """\b
Examples:
  kpc explain deploy.yaml                        # why, which field, the fix, re-verified
  kpc explain deploy.yaml --format patch > fix.patch && git apply fix.patch
  kpc explain deploy.yaml --write                # apply the re-verified fixes in place
  kpc explain deploy.yaml -p policy/ --format json
  kpc explain deploy.yaml --format jsonpatch     # RFC 6902 operations per object
  kpc explain deploy.yaml --counterexamples      # which single mutations flip deny to allow
  kpc explain deploy.yaml --policy-side          # or: how the constraint could admit it
  helm template chart/ | kpc explain -

\b
--format patch and --write apply only the fixes that re-verified (gator admits the
fixed copy, or at least no new policy trips). Each change is edited into the YAML
text, so comments and formatting are kept; a document that cannot be edited in place
is re-emitted whole, which normalises its formatting and drops its comments (the
command names it), and a JSON file is re-emitted with 2-space indentation. The file
is replaced atomically: never half-written. Placeholder values (flagged PLACEHOLDER)
are part of the patch: replace them before applying. Tags, digests, registries and
namespaces are never made up: those fixes stay manual. --format jsonpatch prints
the same re-verified changes as RFC 6902 operations (JSON pointers, relative to each
object, as `kubectl patch --type json` takes them), per object with its file:line.

\b
--policy-side never edits a policy: it prints each constraint change (an excluded
namespace, an exempt image prefix, a registry, a capability, a raised limit) as a
diff of the constraint file, re-verified with gator: whether the object is then
admitted and which of the policy's samples change verdict. An exemption weakens the
policy for everything in that namespace; the output says so.

\b
Exit status: 0 nothing denied, 2 some object denied (even when every fix
re-verified), 1 bad input (missing file, not YAML, no Kubernetes objects).
"""


@click.command(epilog=EPILOG)
@click.argument("manifest", metavar="MANIFEST")
@policies_option
@format_option("text", "json", "patch", "jsonpatch")
@click.option(
    "--write",
    "-w",
    is_flag=True,
    help="Rewrite MANIFEST in place (atomically) with the re-verified fixes; comments and "
    "formatting are kept except in documents that must be re-emitted whole (named on stderr).",
)
@click.option(
    "--rounds",
    type=click.IntRange(1, 10),
    default=3,
    show_default=True,
    help="Fix-and-re-verify rounds at most (a fix can trip another policy).",
)
@click.option(
    "--counterexamples",
    is_flag=True,
    help="Per violation, mutate the object around the offending field (remove it, flip a boolean, "
    "the fix's value alone, an excluded namespace) and show which single mutations flip deny to allow "
    "(one extra gator run).",
)
@click.option(
    "--policy-side",
    is_flag=True,
    help="Also suggest how the constraint could admit the objects instead (an excluded namespace, a "
    "parameter), as a diff of the constraint file, re-verified with gator on the object and the policy's samples.",
)
@click.option("--quiet", "-q", is_flag=True, help="No progress or notes on stderr.")
def explain(
    manifest: str,
    policy_paths: tuple[str, ...],
    fmt: str,
    write: bool,
    rounds: int,
    counterexamples: bool,
    policy_side: bool,
    quiet: bool,
) -> None:
    """Explain why the objects in MANIFEST are denied, and fix what can be fixed.

    MANIFEST is one YAML or JSON file (multi-document and `kind: List` are read) or -
    for stdin. For every denied object: the policy (id, title, constraint), the rule's
    message, the offending field path, the smallest fix as a YAML diff, and the fix
    re-verified: applied to a copy and evaluated again by the same policies with gator,
    one batch per round, until the object is admitted or the rounds run out.
    """
    from tools.errors import InputError
    from tools.explain import explain as run_explain
    from tools.explain.patch import build_patch, read_text, write_file
    from tools.explain.render import render_text

    if write and manifest == "-":
        raise InputError("--write needs a manifest file, not stdin", hint="use --format patch instead")
    say = (lambda msg: None) if quiet else (lambda msg: click.echo(f"… {msg}", err=True))
    stdin_text = sys.stdin.read() if manifest == "-" else None
    result = run_explain(
        manifest,
        policies=list(policy_paths) or None,
        max_rounds=rounds,
        stdin_text=stdin_text,
        progress=say,
        counterexamples=counterexamples,
        policy_side=policy_side,
    )
    patch: Patch | None = None
    bom = False
    if fmt == "patch" or write:
        text, bom = (stdin_text or "", False) if stdin_text is not None else read_text(manifest)
        patch = build_patch(result, text)
    if fmt == "json":
        payload = to_jsonable(result)
        if patch is not None:
            payload["patch"] = to_jsonable(patch)
        click.echo(json.dumps(payload, indent=2, ensure_ascii=False))
    elif fmt == "patch":
        assert patch is not None
        click.echo(patch.diff, nl=False)
    elif fmt == "jsonpatch":
        from tools.explain.jsonpatch import by_object

        click.echo(json.dumps(by_object(result), indent=2, ensure_ascii=False))
    else:
        click.echo(render_text(result))
    if write and patch is not None and patch.diff:
        write_file(manifest, patch.text, bom=bom)
    if patch is not None and not quiet:
        _report_patch(patch, wrote=write)
    sys.exit(2 if result.denied else 0)


def _report_patch(patch: Patch, *, wrote: bool) -> None:
    """What the patch holds, on stderr: counts, placeholders to replace, documents re-emitted whole."""
    if not patch.diff:
        click.echo("kpc: nothing to patch: no fix re-verified for this manifest", err=True)
        return
    verb = "wrote" if wrote else "patch:"
    click.echo(
        f"kpc: {verb} {patch.changes} re-verified change{'s' if patch.changes != 1 else ''} "
        f"in {patch.objects} object{'s' if patch.objects != 1 else ''} of {patch.file}",
        err=True,
    )
    for line in patch.placeholders:
        click.echo(f"kpc: placeholder to replace: {line}", err=True)
    for line in patch.normalised:
        click.echo(f"kpc: {line}", err=True)
