"""The assistant's answer in the chat, as Markdown, from an AgentResult (no UI, tested alone)."""

from __future__ import annotations

from typing import Any

FAILURE_LINES = 12


def _rounds(rounds: int) -> str:
    if rounds <= 0:
        return ""
    return f" after {rounds} repair round{'s' if rounds != 1 else ''}"


def _notes(result: Any) -> list[str]:
    notes = list(result.draft.notes) if result.draft is not None else []
    return ["", "Assumptions:", *[f"- {n}" for n in notes]] if notes else []


def answer_markdown(result: Any) -> str:
    """What the copilot says for `result` (copilot.agent AgentResult). Never calls a failed policy verified."""
    status = result.status
    title = result.draft.title if result.draft is not None else ""
    name = f"`{result.policy_id}`" + (f" — {title}" if title else "") if result.policy_id else "the policy"
    if result.verified:
        lines = [f"**Verified** {name}", "", f"{result.report.summary()}{_rounds(result.rounds - 1)}."]
        # The agent's own answer starts with the policy and its summary, shown above already.
        details = result.explanation.splitlines()[2:] if result.explanation.startswith("Verified") else []
        details = [f"- {line.strip()}" for line in details if line.strip()]
        lines += ["", *details] if details else _notes(result)
        lines += ["", "`/save DIR` writes the bundle · `/scan PATH` previews what it would deny."]
        return "\n".join(lines)
    if status == "not_verified":
        summary = result.report.summary() if result.report is not None else "verification did not run"
        lines = [
            f"**Not verified** — the best attempt at {name} failed: {summary}{_rounds(result.rounds - 1)}."
        ]
        if result.report is not None:
            failures = result.report.failure_text(limit=4).splitlines()[:FAILURE_LINES]
            if failures:
                lines += ["", "```text", *failures, "```"]
        if result.reason:
            lines += ["", result.reason]
        lines += [
            "",
            "The attempt is in the policy pane for inspection; it is **not** a policy. "
            "Refine the request, or try another provider (`/provider openai`).",
        ]
        return "\n".join(lines)
    if status == "declined":
        return f"**Declined** — {result.reason or 'no policy could be drafted for this request'}"
    if status == "cancelled":
        return "**Cancelled.** Nothing was changed; the previous policy (if any) is still current."
    return result.explanation or result.reason or "(no answer)"


def explain_markdown(report: Any, policy_id: str, target: str) -> str:
    """Why each object in `target` is denied (or allowed) by the policy, as Markdown."""
    if not report.results:
        return f"`{target}` holds no Kubernetes object to evaluate."
    lines = [f"**{policy_id}** on `{target}`:", ""]
    for result in report.results:
        lines.append(f"- `{result.ref}` ({result.location()}): **{result.verdict}**")
        lines += [f"  - {v.message}" for v in result.violations]
        lines += [f"  - note: {n}" for n in result.notes]
    return "\n".join(lines)
