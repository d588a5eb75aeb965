"""Agent progress events as chat lines and activity text (no UI, tested alone).

Events are copilot.agent AgentEvent objects: a stable `kind`, a `message` for people and
some `data`. Most kinds become one line in the request's progress block; the frequent
ones (streamed model text, each engine step) only update the activity line, so the
conversation stays readable.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from tools.draft.models import PolicyDraft
from tools.verify.models import VerificationReport

ACTIVITY_ONLY = {"text", "check", "verifying", "intent"}
FINAL = {"verified", "not_verified", "declined", "answered", "cancelled"}
# The lines that stay once the request is over: what was verified, what was repaired, how it ended.
MILESTONES = {"verify_round", "repairing", "tool", *FINAL}


@dataclass(frozen=True)
class ProgressUpdate:
    """What one event changes on screen: a new line (or None), the activity text, and
    whether the line is a milestone (kept when the request's progress settles)."""

    line: str | None
    activity: str
    milestone: bool = False


def describe(kind: str, message: str) -> str:
    """The text of an event: its own message, or the kind in words."""
    return message.strip() or kind.replace("_", " ")


class ProgressFormatter:
    """Turns the events of one request into updates; counts streamed text between steps."""

    def __init__(self) -> None:
        self.streamed = 0
        self.step = "starting"

    def update(self, event: Any) -> ProgressUpdate:
        kind = str(getattr(event, "kind", "event"))
        text = describe(kind, str(getattr(event, "message", "") or ""))
        if kind == "text":
            delta = (getattr(event, "data", None) or {}).get("delta", "")
            self.streamed += len(str(delta))
            return ProgressUpdate(None, f"{self.step} · model wrote {self.streamed} characters")
        if kind in ACTIVITY_ONLY or (kind == "tool" and (getattr(event, "data", None) or {}).get("ok", True)):
            # A failed tool call is worth a line: the model got an error back and will retry.
            return ProgressUpdate(None, text)
        self.streamed = 0
        self.step = text
        mark = (
            "✔" if kind == "verified" else ("✘" if kind in ("not_verified", "declined", "cancelled") else "…")
        )
        return ProgressUpdate(f"{mark} {text}", text, kind in MILESTONES)


def event_draft(event: Any) -> PolicyDraft | None:
    """The draft an event carries (a submitted or repaired draft), if any."""
    value = (getattr(event, "data", None) or {}).get("draft")
    if isinstance(value, PolicyDraft):
        return value
    if isinstance(value, dict):
        try:
            return PolicyDraft.model_validate(value)
        except ValidationError:
            return None
    return None


def event_report(event: Any) -> VerificationReport | None:
    """The verification report an event carries (end of a verify round), if any."""
    value = (getattr(event, "data", None) or {}).get("report")
    if isinstance(value, VerificationReport):
        return value
    if isinstance(value, dict):
        try:
            return VerificationReport.model_validate(value)
        except ValidationError:
            return None
    return None
