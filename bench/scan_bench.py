"""Scan benchmark: `kpc scan` beside a plain `gator test` run on the same inputs and policies.

    .venv/bin/python bench/scan_bench.py [--objects 1000] [--repeat 3] [--jobs 2] [--out FILE]

Inputs: data/demo-repo and a generated repository of --objects manifests (seeded, a
realistic mix of workloads, Services, Ingresses, RBAC and ConfigMaps in multi-document
files). Policies: the whole corpus (each policy's template and first sample constraint),
given to gator as the same files kpc reads. gator gets the Kubernetes objects kpc loaded,
written as plain YAML, because it stops at the first non-Kubernetes document (the demo
repo has one); that run is reported too. Prints the median wall and CPU time, the peak RSS and
the violation count of each tool, and writes them as JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tools.corpus.load import POLICIES_DIR  # noqa: E402
from tools.engine.measure import Measured, gator_test_argv, measure  # noqa: E402
from tools.extract import load_manifests  # noqa: E402
from tools.scan.policies import is_gatekeeper_object, policy_files  # noqa: E402

DEFAULT_OUT = ROOT / "bench" / "results" / "scan_bench.json"
KPC = [sys.executable, "-c", "from copilot.cli import main; main()"]
IMAGES = [
    "nginx",
    "nginx:1.27",
    "ghcr.io/acme/api:2.1.0",
    "registry.example.com:5000/shop/cart:1.4",
    "ghcr.io/acme/worker@sha256:" + "ab" * 32,
    "quay.io/prometheus/node-exporter:v1.8.2",
]


def _container(rng: random.Random, name: str) -> dict[str, Any]:
    container: dict[str, Any] = {"name": name, "image": rng.choice(IMAGES)}
    if rng.random() < 0.5:
        container["securityContext"] = {
            "runAsNonRoot": True,
            "allowPrivilegeEscalation": False,
            "readOnlyRootFilesystem": True,
            "capabilities": {"drop": ["ALL"]},
        }
    elif rng.random() < 0.2:
        container["securityContext"] = {"privileged": True}
    if rng.random() < 0.6:
        container["resources"] = {
            "requests": {"cpu": "100m", "memory": "128Mi"},
            "limits": {"cpu": "500m", "memory": "512Mi"},
        }
    if rng.random() < 0.5:
        container["livenessProbe"] = {"httpGet": {"path": "/healthz", "port": 8080}}
        container["readinessProbe"] = {"httpGet": {"path": "/ready", "port": 8080}}
    return container


def _pod_spec(rng: random.Random) -> dict[str, Any]:
    spec: dict[str, Any] = {"containers": [_container(rng, "app")]}
    if rng.random() < 0.3:
        spec["containers"].append(_container(rng, "sidecar"))
    if rng.random() < 0.2:
        spec["initContainers"] = [_container(rng, "init")]
    if rng.random() < 0.1:
        spec["hostNetwork"] = True
    return spec


def _object(rng: random.Random, i: int) -> dict[str, Any]:
    namespace = rng.choice(["shop", "payments", "search", "default", "kube-system"])
    labels = {"app.kubernetes.io/name": f"svc-{i}"}
    if rng.random() < 0.7:
        labels |= {"owner": "team-a", "environment": rng.choice(["prod", "staging"])}
    meta = {"name": f"svc-{i}", "namespace": namespace, "labels": labels}
    roll = rng.random()
    template = {"metadata": {"labels": labels}, "spec": _pod_spec(rng)}
    selector = {"matchLabels": {"app.kubernetes.io/name": f"svc-{i}"}}
    if roll < 0.35:
        spec = {"replicas": rng.choice([1, 2, 3]), "selector": selector, "template": template}
        return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": meta, "spec": spec}
    if roll < 0.45:
        kind = rng.choice(["StatefulSet", "DaemonSet"])
        return {
            "apiVersion": "apps/v1",
            "kind": kind,
            "metadata": meta,
            "spec": {"selector": selector, "template": template},
        }
    if roll < 0.55:
        job = {"template": {"spec": {**_pod_spec(rng), "restartPolicy": "OnFailure"}}}
        spec = {"schedule": "0 3 * * *", "jobTemplate": {"spec": job}}
        return {"apiVersion": "batch/v1", "kind": "CronJob", "metadata": meta, "spec": spec}
    if roll < 0.65:
        return {"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": _pod_spec(rng)}
    if roll < 0.8:
        service = {
            "type": rng.choice(["ClusterIP", "ClusterIP", "NodePort", "LoadBalancer"]),
            "ports": [{"port": 80}],
        }
        return {"apiVersion": "v1", "kind": "Service", "metadata": meta, "spec": service}
    if roll < 0.87:
        host = rng.choice([f"svc-{i}.example.com", "*.example.com"])
        rule = {
            "host": host,
            "http": {
                "paths": [
                    {
                        "path": "/",
                        "pathType": "Prefix",
                        "backend": {"service": {"name": f"svc-{i}", "port": {"number": 80}}},
                    }
                ]
            },
        }
        ingress: dict[str, Any] = {"rules": [rule]}
        if rng.random() < 0.5:
            ingress["tls"] = [{"hosts": [host], "secretName": "tls"}]
        return {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": meta, "spec": ingress}
    if roll < 0.93:
        verbs = rng.choice([["get", "list"], ["*"]])
        rules = [{"apiGroups": [""], "resources": ["configmaps"], "verbs": verbs}]
        return {
            "apiVersion": "rbac.authorization.k8s.io/v1",
            "kind": "Role",
            "metadata": meta,
            "rules": rules,
        }
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": meta, "data": {"setting": str(i)}}


def generate_repo(folder: Path, count: int, seed: int = 7) -> Path:
    """Writes `count` objects as multi-document files of 20 objects each, in team folders."""
    rng = random.Random(seed)
    objects = [_object(rng, i) for i in range(count)]
    for start in range(0, count, 20):
        path = folder / f"team-{start // 200}" / f"manifests-{start // 20:03d}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(yaml.safe_dump_all(objects[start : start + 20], sort_keys=False))
    return folder


def _clean_copy(source: Path, target: Path) -> Path:
    """The Kubernetes objects kpc loads from `source`, one plain YAML stream gator can read."""
    loaded = load_manifests([source])
    docs = [o.obj for o in loaded.objects if not is_gatekeeper_object(o.obj)]
    target.write_text(yaml.safe_dump_all(docs, sort_keys=False))
    return target


def _violations(run: Measured, tool: str) -> int | None:
    if not run.stdout.strip() and run.returncode != 0:
        return None  # the tool stopped before printing a report
    try:
        payload = json.loads(run.stdout or b"null")
    except json.JSONDecodeError:
        return None
    if tool == "kpc":
        return int(payload["summary"]["violations"])
    return len(payload or [])


def _bench(argv: list[str], tool: str, repeat: int) -> dict[str, Any]:
    runs = [measure(argv) for _ in range(repeat)]
    ok = all(r.returncode in (0, 1, 2) for r in runs) and _violations(runs[-1], tool) is not None
    return {
        "tool": tool,
        "ok": ok,
        "exit": runs[-1].returncode,
        "seconds_median": round(statistics.median(r.seconds for r in runs), 3),
        "seconds_all": [round(r.seconds, 3) for r in runs],
        "cpu_seconds_median": round(statistics.median(r.cpu_seconds for r in runs), 3),
        "peak_rss_mb": round(max(r.peak_rss_mb for r in runs), 1),
        "violations": _violations(runs[-1], tool),
        "error": ""
        if ok
        else (runs[-1].stderr.decode("utf-8", "replace").strip().splitlines() or [""])[-1][:200],
    }


def run(objects: int, repeat: int, jobs: int) -> list[dict[str, Any]]:
    policies = [str(p) for p in policy_files(POLICIES_DIR)]
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="kpc-scan-bench-") as tmp:
        generated = generate_repo(Path(tmp) / "generated", objects)
        for label, source in (
            ("demo-repo", ROOT / "data" / "demo-repo"),
            (f"generated-{objects}", generated),
        ):
            count = len(load_manifests([source]).objects)
            clean = _clean_copy(source, Path(tmp) / f"{label}.yaml")
            cases = [
                ("gator test (raw folder)", gator_test_argv([*policies, source]), "gator"),
                ("gator test", gator_test_argv([*policies, clean]), "gator"),
                ("kpc scan", [*KPC, "scan", str(source), "--format", "json", "-q"], "kpc"),
            ]
            if jobs > 1:
                cases.append(
                    (
                        f"kpc scan -j {jobs}",
                        [*KPC, "scan", str(source), "--format", "json", "-q", "-j", str(jobs)],
                        "kpc",
                    )
                )
            for name, argv, tool in cases:
                print(f"… {label}: {name}", file=sys.stderr, flush=True)
                rows.append({"input": label, "objects": count, "command": name, **_bench(argv, tool, repeat)})
    return rows


def _table(rows: list[dict[str, Any]], policies: int) -> str:
    lines = [
        f"{len(rows)} commands against {policies} corpus policies "
        "(medians of wall and CPU seconds; peak RSS of the largest process)",
        f"{'input':<16} {'objects':>7}  {'command':<24} {'wall s':>8} {'cpu s':>8} {'peak MB':>8} {'violations':>10}",
    ]
    for r in rows:
        result = f"{r['violations']:>10}" if r["ok"] else f"  failed: {r['error']}"
        lines.append(
            f"{r['input']:<16} {r['objects']:>7}  {r['command']:<24} {r['seconds_median']:>8.2f} "
            f"{r['cpu_seconds_median']:>8.2f} {r['peak_rss_mb']:>8.0f} {result}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--objects", type=int, default=1000, help="objects in the generated repository")
    parser.add_argument("--repeat", type=int, default=3, help="runs per command (the median is reported)")
    parser.add_argument("--jobs", type=int, default=2, help="also time `kpc scan -j JOBS` (1 to skip)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where to write the JSON results")
    args = parser.parse_args(argv)
    rows = run(args.objects, args.repeat, args.jobs)
    policies = len(policy_files(POLICIES_DIR)) // 2
    print(_table(rows, policies))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    record = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "load_average": list(os.getloadavg()),
        "rows": rows,
    }
    args.out.write_text(json.dumps(record, indent=2) + "\n")
    print(f"wrote {args.out}")
    # The benchmark fails when kpc fails, or when kpc and gator disagree on the same objects.
    by_input: dict[str, dict[str, int | None]] = {}
    for r in rows:
        by_input.setdefault(r["input"], {})[r["command"]] = r["violations"] if r["ok"] else None
    agree = all(
        v.get("kpc scan") is not None and v.get("kpc scan") == v.get("gator test") for v in by_input.values()
    )
    return 0 if agree else 1


if __name__ == "__main__":
    sys.exit(main())
