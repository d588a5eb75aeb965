"""Fixes for Linux capability policies: drop ALL, and take disallowed capabilities out of `add`."""

from __future__ import annotations

from typing import Any

from tools.explain import paths
from tools.explain.fixes.base import FixContext, Proposal, automatic, strategy, unshaped


def normalise(cap: Any) -> str:
    """'cap_net_raw' and 'NET_RAW' name the same capability."""
    text = str(cap).upper()
    return text[4:] if text.startswith("CAP_") else text


def _remove_added(ctx: FixContext, unwanted: list[Any]) -> Proposal:
    tokens = ctx.container_tokens()
    if tokens is None:
        return unshaped(ctx)
    add_path = [*tokens, "securityContext", "capabilities", "add"]
    added = paths.get(ctx.obj, add_path)
    names = {normalise(c) for c in unwanted}
    if not names:
        return unshaped(ctx)
    if not isinstance(added, list):
        added = []  # already removed by another policy's fix this round
    kept = [c for c in added if normalise(c) not in names]
    if kept and len(kept) < len(added):
        paths.set_value(ctx.obj, add_path, kept)
    elif not kept and added:
        paths.remove(ctx.obj, add_path)
    shown = ", ".join(sorted(names))
    return automatic(
        f"remove {shown} from securityContext.capabilities.add of {ctx.container_label}",
        paths.format_path(add_path),
        "if the app really needs them, that is an exception for the policy's owner to grant",
    )


@strategy("capabilities-drop-all")
def drop_all(ctx: FixContext) -> Proposal:
    """Adds ALL to capabilities.drop; takes capabilities outside the allowed list out of `add`."""
    if "added" in ctx.details:
        return _remove_added(ctx, list(ctx.details.get("added") or []))
    tokens = ctx.container_tokens()
    if tokens is None or ctx.container() is None:
        return unshaped(ctx)
    drop_path = [*tokens, "securityContext", "capabilities", "drop"]
    dropped = paths.get(ctx.obj, drop_path)
    # ALL already covers every named capability, so the list becomes just [ALL].
    if not paths.set_value(ctx.obj, drop_path, ["ALL"]):
        return unshaped(ctx)
    notes = []
    if isinstance(dropped, list) and dropped:
        notes.append(f"ALL replaces the capabilities it dropped before ({', '.join(map(str, dropped))})")
    return automatic(f"drop ALL capabilities in {ctx.container_label}", paths.format_path(drop_path), *notes)


@strategy("capabilities-allowed", "capabilities-disallowed")
def remove_capabilities(ctx: FixContext) -> Proposal:
    """Removes the capabilities the policy names from securityContext.capabilities.add."""
    return _remove_added(ctx, list(ctx.details.get("capabilities") or []))
