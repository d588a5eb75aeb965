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


def failure_lines(report: Any) -> list[str]:
    """What failed, one Markdown bullet per check; the Checks tab holds every finding."""
    lines = [f"- **{check.name}**: {check.summary}" for check in report.failed_checks()]
    wrong = [f for f in report.fixtures if not f.ok]
    if wrong:
        names = ", ".join(f"`{f.file.rsplit('/', 1)[-1]}`" for f in wrong[:4])
        more = f" and {len(wrong) - 4} more" if len(wrong) > 4 else ""
        lines.append(f"- **fixtures** with the wrong verdict: {names}{more}")
    return lines


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
            failures = failure_lines(result.report)[:FAILURE_LINES]
            if failures:
                lines += ["", *failures, "", "Each finding is in the Checks tab."]
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


def explain_markdown(explanation: Any, policy_id: str) -> str:
    """Why the objects of one manifest are denied by the current policy, and the re-verified fixes."""
    manifest = f"`{explanation.manifest}`"
    if not explanation.objects:
        return f"{manifest} holds no Kubernetes object to evaluate."
    denied = [o for o in explanation.objects if o.violations]
    lines = [f"**{policy_id}** on {manifest}: {len(denied)} of {len(explanation.objects)} objects denied", ""]
    for item in explanation.objects:
        if not item.violations:
            lines.append(f"- `{item.ref}` ({item.location()}): admitted")
            continue
        lines.append(f"- `{item.ref}` ({item.location()}): **{item.verdict}**")
        for v in item.violations:
            lines.append(f"  - why: {' '.join(v.message.split())}")
            if v.field:
                lines.append(f"  - field: `{v.field}`")
            lines.append(f"  - fix ({v.fix.kind}): {v.fix.summary}")
            if v.fix.expected:
                lines.append(f"  - needs: {v.fix.expected}")
        if item.reverification is not None:
            lines.append(f"  - re-verified: {item.reverification.summary}")
    return "\n".join(lines)
