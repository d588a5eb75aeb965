"""Kubernetes resource quantities ('500m', '2', '4Gi', '1e3'): exact values and readable spellings."""

from __future__ import annotations

import math
import re
from fractions import Fraction
from typing import Any

_SUFFIX = {
    "n": Fraction(1, 10**9),
    "u": Fraction(1, 10**6),
    "m": Fraction(1, 1000),
    "": Fraction(1),
    "k": Fraction(10**3),
    "M": Fraction(10**6),
    "G": Fraction(10**9),
    "T": Fraction(10**12),
    "P": Fraction(10**15),
    "E": Fraction(10**18),
    "Ki": Fraction(2**10),
    "Mi": Fraction(2**20),
    "Gi": Fraction(2**30),
    "Ti": Fraction(2**40),
    "Pi": Fraction(2**50),
    "Ei": Fraction(2**60),
}
_QUANTITY = re.compile(r"^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE])?)$")
_BINARY = ("Ei", "Pi", "Ti", "Gi", "Mi", "Ki")


def parse(value: Any) -> Fraction | None:
    """The exact value of a quantity (a YAML number or a string), or None when it is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Fraction(value)
    if isinstance(value, float):
        return Fraction(value) if math.isfinite(value) else None
    if not isinstance(value, str):
        return None
    match = _QUANTITY.match(value.strip())
    if not match:
        return None
    number = Fraction(match.group(1))
    if match.group(2):
        exponent = int(match.group(2)[1:])
        return number * (Fraction(10) ** exponent)
    return number * _SUFFIX[match.group(3) or ""]


def format_cpu(value: Fraction, *, down: bool = False) -> str:
    """'2', '1500m' (rounded to whole millicores, the smallest unit the kubelet honours; up unless `down`)."""
    millis = math.floor(value * 1000) if down else math.ceil(value * 1000)
    return str(millis // 1000) if millis % 1000 == 0 else f"{millis}m"


def format_bytes(value: Fraction, *, down: bool = False) -> str:
    """'4Gi', '768Mi', or whole bytes when no binary unit divides it (rounded up unless `down`)."""
    whole = math.floor(value) if down else math.ceil(value)
    for suffix in _BINARY:
        unit = int(_SUFFIX[suffix])
        if whole >= unit and whole % unit == 0:
            return f"{whole // unit}{suffix}"
    return str(whole)


def format_for(resource: str, value: Fraction, *, down: bool = False) -> str:
    """A quantity for `resource` ('cpu' in cores / millicores, everything else in bytes)."""
    return format_cpu(value, down=down) if resource == "cpu" else format_bytes(value, down=down)
