"""Manifests x policies -> verdicts, with Gatekeeper's semantics (gator's), mapped to file:line."""

from tools.scan.models import ObjectResult, PolicyRef, ScanReport, ScanSummary, Verdict, Violation
from tools.scan.policies import PolicySet, load_policies
from tools.scan.run import evaluate, scan, verdict_for

__all__ = [
    "ObjectResult",
    "PolicyRef",
    "PolicySet",
    "ScanReport",
    "ScanSummary",
    "Verdict",
    "Violation",
    "evaluate",
    "load_policies",
    "scan",
    "verdict_for",
]
