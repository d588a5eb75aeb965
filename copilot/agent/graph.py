"""The agent's StateGraph: nodes from nodes.py and answers.py, and the routing between them.

    classify -> retrieve -> draft <-> tools -> fixtures -> verify -> answer
                   \\                                        |-> repair -> draft
                    inform                                  '-> fail
The gate: `route_after_verify` sends a draft to `answer` only when its latest report is
green for that exact draft (state.gate_open); `answer` checks again. Everything else ends
in `fail` (an honest failure with the best attempt) or `declined`.
"""

from __future__ import annotations

import gc
import threading
from typing import Any, Literal

from langchain_core.runnables import RunnableConfig

from copilot.agent import answers, nodes
from copilot.agent.configuration import runtime_of
from copilot.agent.state import AgentState, gate_open
from copilot.llm.base import Message


def route_intent(state: AgentState) -> Literal["retrieve", "inform"]:
    return "inform" if state.get("intent") in ("explain", "scan") else "retrieve"


def route_after_draft(state: AgentState, config: RunnableConfig) -> Literal["tools", "draft", "fail"]:
    last = Message.model_validate(state["messages"][-1])
    if last.role == "assistant" and last.tool_calls:
        return "tools"
    if last.role == "user" and state.get("model_turns", 0) < runtime_of(config).config.max_model_turns:
        return "draft"  # the draft node added a nudge after a text-only reply
    return "fail"


def route_after_tools(
    state: AgentState, config: RunnableConfig
) -> Literal["fixtures", "draft", "declined", "fail"]:
    step = state.get("next_step")
    if step == "verify":
        return "fixtures"
    if step == "declined":
        # A decline after a failed round is giving up on a repair, not a decline of the request.
        return "declined" if not state.get("rounds") else "fail"
    if state.get("model_turns", 0) < runtime_of(config).config.max_model_turns:
        return "draft"
    return "fail"


def route_after_verify(state: AgentState, config: RunnableConfig) -> Literal["answer", "repair", "fail"]:
    if gate_open(state):
        return "answer"
    if state.get("rounds", 0) <= runtime_of(config).config.max_rounds:
        return "repair"
    return "fail"


_import_lock = threading.Lock()
_imported = False


def _import_langgraph() -> None:
    """Imports langgraph once per process, with the garbage collector paused, then freezes the result.

    The import (langchain-core, langsmith, the langgraph SDK, ...) is the largest part of a cold
    `kpc ask` start and leaves ~100k objects (classes, pydantic schemas) that live as long as the
    process. Collecting while they are made only re-scans them, and at exit the interpreter would
    walk them all once more; gc.freeze() takes everything alive now out of every later collection.
    Measured on the offline path: ~0.1 s less during the import, ~0.25 s less at exit.
    """
    global _imported
    if _imported:
        return
    with _import_lock:
        if _imported:
            return
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            import langgraph.graph  # noqa: F401
        finally:
            gc.freeze()
            if was_enabled:
                gc.enable()
        _imported = True


def build_graph(checkpointer: Any = None) -> Any:
    """The compiled graph (langgraph is imported here, not at module import)."""
    _import_langgraph()
    from langgraph.graph import END, START, StateGraph

    graph = StateGraph(AgentState)
    graph.add_node("classify", nodes.classify)
    graph.add_node("retrieve", nodes.retrieve)
    graph.add_node("draft", nodes.draft)
    graph.add_node("tools", nodes.tools)
    graph.add_node("fixtures", nodes.fixtures)
    graph.add_node("verify", nodes.verify)
    graph.add_node("repair", nodes.repair)
    graph.add_node("answer", answers.answer)
    graph.add_node("fail", answers.fail)
    graph.add_node("declined", answers.declined)
    graph.add_node("inform", answers.inform)

    graph.add_edge(START, "classify")
    graph.add_conditional_edges("classify", route_intent, ["retrieve", "inform"])
    graph.add_edge("retrieve", "draft")
    graph.add_conditional_edges("draft", route_after_draft, ["tools", "draft", "fail"])
    graph.add_conditional_edges("tools", route_after_tools, ["fixtures", "draft", "declined", "fail"])
    graph.add_edge("fixtures", "verify")
    graph.add_conditional_edges("verify", route_after_verify, ["answer", "repair", "fail"])
    graph.add_edge("repair", "draft")
    for end in ("answer", "fail", "declined", "inform"):
        graph.add_edge(end, END)
    return graph.compile(checkpointer=checkpointer)


def mermaid() -> str:
    """The graph as a mermaid diagram (snapshot-tested, shown in docs)."""
    return str(build_graph().get_graph().draw_mermaid())
