"""The one error family shown to users: every message says what to do next."""

from __future__ import annotations


class KpcError(Exception):
    """An error meant for the user. The CLI prints it on one line and exits with `exit_code`."""

    exit_code = 1

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} ({self.hint})" if self.hint else self.message


class InputError(KpcError):
    """Bad user input: a missing file, unparsable YAML, an unknown option value."""


class EngineMissing(KpcError):
    """A policy engine binary is absent or at the wrong version."""


class EngineError(KpcError):
    """A policy engine ran but failed in a way that is not a policy finding (crash, bad output)."""


class EngineTimeout(EngineError):
    """A policy engine run exceeded its time limit."""


class ProviderError(KpcError):
    """An LLM provider failed: auth, timeout, unreachable endpoint, malformed answer."""


class RetrievalError(KpcError):
    """The exemplar index is unreachable, corrupt or built with another embedding model."""
