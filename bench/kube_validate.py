"""Schema validation cost: `tools.kube.validation_error` beside `kubernetes_validate.validate`.

    .venv/bin/python bench/kube_validate.py [--repeat 200] [--quick]

Offline drafting validates the same few fixtures many times. For a Deployment and a Pod,
the two ways alternate call by call (so both see the same machine load): (a)
validation_error(obj), (b) kubernetes_validate.validate(obj, version, strict=True), which
reads and parses the schema files on every call. The first call of (a) is timed apart:
it is the one that builds the validator. Both must agree on every object.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import median, ms, p90, write_result  # noqa: E402

from tools.kube import KUBERNETES_VERSION, validation_error  # noqa: E402

CONTAINER = {
    "name": "app",
    "image": "registry.example.com/shop/app:1.4.2",
    "ports": [{"containerPort": 8080}],
    "resources": {"limits": {"cpu": "500m", "memory": "256Mi"}},
    "securityContext": {"runAsNonRoot": True, "allowPrivilegeEscalation": False},
}
POD_SPEC = {"containers": [CONTAINER], "serviceAccountName": "app"}
OBJECTS: dict[str, dict[str, Any]] = {
    "Deployment": {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "app", "namespace": "shop", "labels": {"app": "app"}},
        "spec": {
            "replicas": 2,
            "selector": {"matchLabels": {"app": "app"}},
            "template": {"metadata": {"labels": {"app": "app"}}, "spec": POD_SPEC},
        },
    },
    "Pod": {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "app", "namespace": "shop"},
        "spec": POD_SPEC,
    },
}


def direct(obj: dict[str, Any]) -> None:
    import kubernetes_validate

    kubernetes_validate.validate(obj, KUBERNETES_VERSION, strict=True)


def measure(kind: str, obj: dict[str, Any], repeat: int) -> dict[str, Any]:
    start = time.perf_counter()
    first = validation_error(obj)
    cold = time.perf_counter() - start
    if first is not None:
        raise SystemExit(f"the bench {kind} is not valid: {first}")
    cached: list[float] = []
    uncached: list[float] = []
    for _ in range(repeat):
        start = time.perf_counter()
        validation_error(obj)
        cached.append(time.perf_counter() - start)
        start = time.perf_counter()
        direct(obj)
        uncached.append(time.perf_counter() - start)
    row = {
        "kind": kind,
        "repeat": repeat,
        "first_call_s": round(cold, 4),
        "validation_error_total_s": round(sum(cached), 3),
        "validation_error_median_ms": round(median(cached) * 1000, 3),
        "validation_error_p90_ms": round(p90(cached) * 1000, 3),
        "kubernetes_validate_total_s": round(sum(uncached), 3),
        "kubernetes_validate_median_ms": round(median(uncached) * 1000, 3),
        "speedup": round(median(uncached) / median(cached), 1) if median(cached) else None,
    }
    print(
        f"{kind:<11} first {ms(cold)} ms | {repeat} calls: validation_error {sum(cached):7.3f} s "
        f"(median {ms(median(cached))} ms), kubernetes_validate {sum(uncached):7.3f} s "
        f"(median {ms(median(uncached))} ms), x{row['speedup']}"
    )
    return row


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--quick", action="store_true", help="20 calls per kind")
    parser.add_argument("--out", type=Path, help="result file (default bench/results/kube_validate.json)")
    args = parser.parse_args(argv)
    repeat = 20 if args.quick else args.repeat
    rows = [measure(kind, obj, repeat) for kind, obj in OBJECTS.items()]
    write_result("kube_validate", {"kubernetes_version": KUBERNETES_VERSION, "rows": rows}, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
