"""Redaction: credentials never reach a model.

Applied to every manifest and to the user's text before they are put in a prompt:
- a Secret's data/stringData values;
- env values whose variable is named like a credential (password, token, secret, key,
  credential, ...) and annotation or ConfigMap values under such keys;
- any string that looks like a token by itself (provider key prefixes, JWTs, PEM private
  keys, long high-entropy strings) wherever it appears.

Names (keys, variable names) are kept: policies are written about them, not their values.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from typing import Any

REDACTED = "<redacted>"
LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"
SENSITIVE_WORDS = frozenset(
    {
        "password",
        "passwd",
        "pwd",
        "passphrase",
        "token",
        "secret",
        "key",
        "apikey",
        "credential",
        "credentials",
        "auth",
        "authorization",
        "bearer",
        "cookie",
        "privatekey",
        "dsn",
    }
)
_KNOWN_TOKENS = re.compile(
    r"(sk-[A-Za-z0-9_-]{16,}|gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}|glpat-[A-Za-z0-9_-]{16,}"
    r"|xox[abprs]-[A-Za-z0-9-]{10,}|AKIA[0-9A-Z]{16}|ASIA[0-9A-Z]{16}|AIza[0-9A-Za-z_-]{30,}"
    r"|eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}"
    r"|-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$))"
)
_ASSIGNMENT = re.compile(
    r"(?i)\b([\w.-]*(?:password|passwd|token|secret|api[_-]?key|credential)[\w.-]*)(\s*[:=]\s*)(\"[^\"]*\"|'[^']*'|\S+)"
)
_URL_PASSWORD = re.compile(r"([a-z][a-z0-9+.-]*://[^/\s:@]+:)[^/\s@]+@")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def sensitive_name(name: str) -> bool:
    """True for names like DB_PASSWORD, apiKey, ssh-key, x-auth-token (not keycloak_url or monkey)."""
    words = [w.lower() for w in re.split(r"[^A-Za-z0-9]+", _CAMEL.sub("_", name)) if w]
    joined = "".join(words)
    return any(w in SENSITIVE_WORDS for w in words) or any(
        s in joined for s in ("password", "passwd", "secret", "token", "apikey", "privatekey", "credential")
    )


def _entropy(text: str) -> float:
    counts = Counter(text)
    return -sum(n / len(text) * math.log2(n / len(text)) for n in counts.values())


def looks_like_token(value: str) -> bool:
    """A string that is probably a credential on its own, whatever field holds it."""
    if _KNOWN_TOKENS.search(value):
        return True
    text = value.strip()
    # Image references, URLs, paths and digests carry ':' '/' '.' or '@' and are policy data.
    if len(text) < 24 or re.search(r"[\s/:.@]", text):
        return False
    classes = sum(bool(re.search(p, text)) for p in (r"[a-z]", r"[A-Z]", r"[0-9]"))
    return classes >= 3 and _entropy(text) >= 3.8


def _assignment(match: re.Match[str]) -> str:
    value = match.group(3).strip("\"'")
    # "secrets: mounted" is prose; "password: hunter2" or "token=Xy9..." is a value.
    if len(value) < 6 or re.fullmatch(r"[a-z-]+", value):
        return match.group(0)
    return f"{match.group(1)}{match.group(2)}{REDACTED}"


def redact_text(text: str) -> str:
    """Free text with token-like strings and `password=...`-style values replaced."""
    text = _KNOWN_TOKENS.sub(REDACTED, text)
    text = _URL_PASSWORD.sub(lambda m: f"{m.group(1)}{REDACTED}@", text)
    text = _ASSIGNMENT.sub(_assignment, text)
    return re.sub(r"\S{24,}", lambda m: REDACTED if looks_like_token(m.group(0)) else m.group(0), text)


def _redact_mapping_values(values: Any, everything: bool) -> Any:
    if not isinstance(values, dict):
        return values
    return {
        k: REDACTED if (everything or sensitive_name(str(k))) and v not in (None, "") else v
        for k, v in values.items()
    }


def _walk(value: Any) -> Any:
    if isinstance(value, dict):
        out = {k: _walk(v) for k, v in value.items()}
        if isinstance(out.get("env"), list):
            out["env"] = [_redact_env(e) for e in out["env"]]
        return out
    if isinstance(value, list):
        return [_walk(v) for v in value]
    if isinstance(value, str):
        return (
            REDACTED
            if looks_like_token(value)
            else _URL_PASSWORD.sub(lambda m: f"{m.group(1)}{REDACTED}@", value)
        )
    return value


def _redact_env(entry: Any) -> Any:
    if (
        isinstance(entry, dict)
        and isinstance(entry.get("value"), str)
        and entry["value"]
        and sensitive_name(str(entry.get("name", "")))
    ):
        return {**entry, "value": REDACTED}
    return entry


def redact_manifest(obj: Any) -> Any:
    """A copy of a Kubernetes object (or any YAML value) safe to show a model."""
    out = _walk(obj)
    if not isinstance(out, dict):
        return out
    kind = out.get("kind")
    metadata = out.get("metadata")
    if kind == "Secret":
        for field in ("data", "stringData"):
            if field in out:
                out[field] = _redact_mapping_values(out[field], everything=True)
        # kubectl keeps the whole applied object, data included, in this annotation.
        annotations = metadata.get("annotations") if isinstance(metadata, dict) else None
        if isinstance(annotations, dict) and LAST_APPLIED in annotations:
            annotations[LAST_APPLIED] = REDACTED
    if kind == "ConfigMap":
        for field in ("data", "binaryData"):
            if field in out:
                out[field] = _redact_mapping_values(out[field], everything=field == "binaryData")
    if isinstance(metadata, dict) and isinstance(metadata.get("annotations"), dict):
        metadata["annotations"] = _redact_mapping_values(metadata["annotations"], everything=False)
    return out
