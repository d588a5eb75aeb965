"""The policy agent: a LangGraph StateGraph that drafts, verifies and repairs admission policies.

Programmatic API (used by `kpc ask`, the TUI and the eval runner):

    from copilot.agent import run_request

    result = run_request(
        "deny privileged containers except in kube-system",
        provider="offline",          # "offline" | "openai" | "mock" | a plugin name | a ChatModel instance
        model=None,                  # model name for the provider (openai: any served model)
        target="both",               # "gatekeeper" | "conftest" | "both"
        thread_id="t1",              # continue a conversation ("also exempt monitoring"); default: a new one
        max_rounds=4,                # repair rounds after the first verification (0 = no repair)
        on_event=print,              # AgentEvent(kind, message, data) as progress happens
        cancel=threading.Event(),    # set it to stop between steps (result status "cancelled")
        manifests=["pod.yaml"],      # optional example manifests (data, redacted before any model sees them)
        out_dir="out/no-privileged", # optional: write the bundle (or OUT.unverified/ for a failed attempt)
        overwrite=False,
        retrieval=None,              # "auto" (index, else keywords) | "index" | "keyword"; default $KPC_RETRIEVAL or auto
        mock_script=None,            # script file for the mock provider
        checkpoint=None,             # conversation store: default $KPC_HOME/conversations.sqlite; "memory"
        record=None,                 # cassette file: record every model call for offline replay
    )

`arun_request` is the same as a coroutine. The AgentResult carries:
    status        "verified" | "not_verified" | "declined" | "answered" (explain/scan) | "cancelled"
    policy_id, draft (PolicyDraft), report (VerificationReport)
    best_attempt  True when draft/report are the best failed attempt, not a policy
    bundle_dir / unverified_dir (when out_dir was given), rounds, model_calls,
    tokens ({"prompt", "completion"} when the provider reports them), seconds,
    exemplars, reason (decline or failure reason), explanation (the answer text),
    thread_id, provider, model, intent.
`result.verified` is true only when status is "verified" and the report is green.

Event kinds, in order of a typical run: intent, retrieving, retrieved, drafting, text
(streamed model text in data["delta"]), tool, submitted, check ("fixtures: ...", "opa
test", ...), verifying, verify_round ("verify round 1: 3/5 fixtures pass, 7/9 checks"),
repairing, and one of verified / not_verified / declined / answered / cancelled.

The gate: a policy is presented as verified only when its latest VerificationReport is
green, which the graph's routing, its answer node and AgentResult.verified each enforce.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from copilot.agent.api import arun_request, run_request
    from copilot.agent.state import AgentEvent, AgentResult

__all__ = ["AgentEvent", "AgentResult", "arun_request", "run_request"]


def __getattr__(name: str) -> Any:
    # Lazy, so importing copilot.agent for a type or a constant stays cheap.
    if name in ("run_request", "arun_request"):
        from copilot.agent import api

        return getattr(api, name)
    if name in ("AgentEvent", "AgentResult"):
        from copilot.agent import state

        return getattr(state, name)
    raise AttributeError(name)
