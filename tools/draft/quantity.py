"""Resource quantities in requests ("2 CPUs", "500m", "4Gi", "4 GB") and values just under/over them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction

_BINARY = {"ki": 2**10, "mi": 2**20, "gi": 2**30, "ti": 2**40, "pi": 2**50}
_DECIMAL = {"k": 10**3, "m": 10**6, "g": 10**9, "t": 10**12, "p": 10**15}
_SPELLING = {  # how people write memory units -> the Kubernetes suffix
    "kib": "Ki", "mib": "Mi", "gib": "Gi", "tib": "Ti", "ki": "Ki", "mi": "Mi", "gi": "Gi", "ti": "Ti",
    "kb": "k", "mb": "M", "gb": "G", "tb": "T", "k": "k", "g": "G", "t": "T",
    "gig": "Gi", "gigs": "Gi", "gigabyte": "G", "gigabytes": "G", "megabyte": "M", "megabytes": "M",
}  # fmt: skip

_NUM = r"(\d+(?:\.\d+)?)"
CPU_RE = re.compile(
    _NUM
    + r"\s*(m\b|millicores?\b|millicpu\b|cpus?\b|cores?\b|vcpus?\b)|\bcpus?(?:\s+limits?)?\s*(?:of\s+|to\s+|at\s+|[:=]\s*|\s)"
    + _NUM
    + r"(m\b)?(?!\s*[kmgtp]i?b?\b)",
    re.IGNORECASE,
)
MEMORY_RE = re.compile(
    _NUM + r"\s*(kib|mib|gib|tib|ki|mi|gi|ti|kb|mb|gb|tb|gigs?|gigabytes?|megabytes?|k|g|t)\b", re.IGNORECASE
)


# "half a core", "a quarter of a CPU", "two cores": amounts people say in words.
_CPU_FRACTIONS = {"half": Fraction(1, 2), "quarter": Fraction(1, 4), "three quarters": Fraction(3, 4)}
_CPU_COUNTS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "eight": 8,
    "ten": 10,
    "sixteen": 16,
}
CPU_WORDS_RE = re.compile(
    r"\b(?:(?:a|one)\s+)?(half|quarter|three\s+quarters)\s+(?:of\s+)?(?:a|one)\s+(?:cpus?|cores?|vcpus?)\b"
    r"|\b(" + "|".join(_CPU_COUNTS) + r")\s+(?:full\s+)?(?:cpus?|cores?|vcpus?)\b",
    re.IGNORECASE,
)


@dataclass
class Quantity:
    """A quantity as written for Kubernetes ('4Gi', '500m', '2') and its value in base units."""

    text: str
    value: Fraction
    resource: str  # "cpu" or "memory"
    note: str = ""


def _number(text: str) -> Fraction:
    return Fraction(text)


def parse(text: str) -> Fraction:
    """The value of a Kubernetes quantity string in base units ('500m' -> 1/2, '1Gi' -> 1073741824)."""
    match = re.fullmatch(r"(\d+(?:\.\d+)?)([a-zA-Z]*)", text.strip())
    if not match:
        raise ValueError(f"not a quantity: {text!r}")
    number, suffix = Fraction(match.group(1)), match.group(2)
    if suffix == "m":
        return number / 1000
    if suffix.lower() in _BINARY and suffix[-1] == "i":
        return number * _BINARY[suffix.lower()]
    if suffix.lower() in _DECIMAL and suffix:
        return number * _DECIMAL[suffix.lower()]
    if suffix:
        raise ValueError(f"unknown unit in {text!r}")
    return number


def cpu_quantities(text: str) -> list[tuple[Quantity, int, int]]:
    """CPU amounts in `text` ('2 CPUs' -> '2', '500m' -> '500m', '1.5 cores' -> '1.5') with spans."""
    out = []
    for match in CPU_RE.finditer(text):
        if match.group(1):
            number, unit = match.group(1), match.group(2).lower()
        else:
            number, unit = match.group(3), (match.group(4) or "").lower()
        milli = unit == "m" or unit.startswith("milli")
        quantity = f"{number}m" if milli else number
        out.append((Quantity(quantity, parse(quantity), "cpu"), match.start(), match.end()))
    for match in CPU_WORDS_RE.finditer(text):
        if match.group(1):
            value = _CPU_FRACTIONS[re.sub(r"\s+", " ", match.group(1).lower())]
        else:
            value = Fraction(_CPU_COUNTS[match.group(2).lower()])
        quantity = _format_cpu(value)
        note = f'"{match.group(0)}" read as {quantity}'
        out.append((Quantity(quantity, value, "cpu", note), match.start(), match.end()))
    return sorted(out, key=lambda found: found[1])


def memory_quantities(text: str) -> list[tuple[Quantity, int, int]]:
    """Memory amounts in `text` ('4Gi', '4 GiB', '512Mi', '4GB' -> '4G' decimal) with spans."""
    out = []
    for match in MEMORY_RE.finditer(text):
        number, unit = match.group(1), match.group(2)
        suffix = _SPELLING.get(unit.lower(), unit)
        note = ""
        if unit.lower() in ("kb", "mb", "gb", "tb", "gigabyte", "gigabytes", "megabyte", "megabytes"):
            note = f'"{number} {unit}" read as the decimal quantity {number}{suffix} (use {suffix}i for binary units)'
        if unit.lower() in ("gig", "gigs"):
            note = f'"{number} {unit}" read as {number}Gi'
        quantity = f"{number}{suffix}"
        out.append((Quantity(quantity, parse(quantity), "memory", note), match.start(), match.end()))
    return out


def _format_cpu(value: Fraction) -> str:
    millis = value * 1000
    if millis.denominator == 1 and millis % 1000 == 0:
        return str(int(millis // 1000))
    return f"{int(millis)}m"


def _format_memory(value: Fraction, unit: str) -> str:
    scale = _BINARY.get(unit.lower()) if unit.endswith("i") else _DECIMAL.get(unit.lower())
    if scale and (value / scale).denominator == 1:
        return f"{int(value / scale)}{unit}"
    return str(int(value))


def _unit(text: str) -> str:
    return re.sub(r"^[\d.]+", "", text)


def just_under(q: Quantity) -> str:
    """A quantity a little below q, in q's own units where possible ('4Gi' -> '3Gi', '1Gi' -> '1023Mi', '2' -> '1900m')."""
    if q.resource == "cpu":
        step = Fraction(1, 10) if q.value > Fraction(1, 10) else Fraction(1, 1000)
        return _format_cpu(q.value - step)
    unit = _unit(q.text)
    number = Fraction(q.text[: len(q.text) - len(unit)])
    if number > 1 and number.denominator == 1:
        return f"{int(number) - 1}{unit}"
    return _smaller(q.value, unit, -1)


def just_over(q: Quantity) -> str:
    """A quantity a little above q ('4Gi' -> '5Gi', '1Gi' -> '1025Mi', '2' -> '2100m')."""
    if q.resource == "cpu":
        step = Fraction(1, 10) if q.value > Fraction(1, 10) else Fraction(1, 1000)
        return _format_cpu(q.value + step)
    unit = _unit(q.text)
    number = Fraction(q.text[: len(q.text) - len(unit)])
    if number.denominator == 1 and number >= 1:
        return f"{int(number) + 1}{unit}"
    return _smaller(q.value, unit, 1)


def _smaller(value: Fraction, unit: str, direction: int) -> str:
    """value +/- one step of the next smaller unit ('1Gi' -> '1023Mi' / '1025Mi')."""
    order = ["Ki", "Mi", "Gi", "Ti"] if unit.endswith("i") else ["k", "M", "G", "T"]
    base = 1024 if unit.endswith("i") else 1000
    index = order.index(unit) if unit in order else 0
    small = order[index - 1] if index > 0 else ""
    step = Fraction(base**index) if small else Fraction(1)
    target = value + direction * step
    return _format_memory(target, small) if small else str(int(target))
