"""Helpers shared by the benchmark scripts: percentiles, result files and the load of the machine."""

from __future__ import annotations

import json
import os
import statistics
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else 0.0


def p90(values: Sequence[float]) -> float:
    """The 90th percentile (nearest rank), so p90 is always one of the measured values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * 9 // 10))
    return ordered[rank - 1]


def cpu_seconds() -> float:
    """CPU time of this process and of the children it has waited for (user + system)."""
    own = os.times()
    return own.user + own.system + own.children_user + own.children_system


def write_result(name: str, payload: dict[str, Any], out: Path | None = None) -> Path:
    """Writes bench/results/<name>.json (or `out`) with the time and the load average of the run."""
    target = out or RESULTS / f"{name}.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    record = {
        "benchmark": name,
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "cpus": os.cpu_count(),
        **payload,
    }
    target.write_text(json.dumps(record, indent=2) + "\n")
    print(f"wrote {target.relative_to(ROOT) if target.is_relative_to(ROOT) else target}")
    return target


def ms(seconds: float) -> str:
    return f"{seconds * 1000:8.1f}"
