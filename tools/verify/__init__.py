"""Verifying a policy bundle with the real engines."""

from tools.verify.models import CheckOutcome, FixtureVerdict, VerificationReport
from tools.verify.run import verify_bundle

__all__ = ["CheckOutcome", "FixtureVerdict", "VerificationReport", "verify_bundle"]
