"""Start-up of the agent in a fresh process: langgraph loads on the first graph build, and the
garbage collector is left running afterwards (it is only paused while langgraph is imported)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

PROBE = """
import gc, json, sys
from copilot.agent.graph import build_graph
before = "langgraph" in sys.modules
graph = build_graph()
print(json.dumps({
    "langgraph_before_build": before,
    "nodes": sorted(graph.get_graph().nodes),
    "collector_enabled": gc.isenabled(),
    "frozen": gc.get_freeze_count(),
}))
"""


def test_first_build_imports_langgraph_and_leaves_the_collector_on() -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, cwd=REPO, check=False, timeout=120
    )
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["langgraph_before_build"] is False  # importing the graph module stays cheap
    assert {"classify", "retrieve", "draft", "verify", "answer"} <= set(seen["nodes"])
    assert seen["collector_enabled"] is True
    assert seen["frozen"] > 0  # the import's long-lived objects are out of later collections
