"""Provider registry: a provider name resolves to a factory that builds a ChatModel.

Built-in providers register exactly as a plugin would: a module exposes
`register_providers(register)` and calls `register(name, factory, description=...)`.
Third-party packages list such a module under the `kpc.providers` entry-point group:

    [project.entry-points."kpc.providers"]
    myprovider = "my_package.kpc_plugin"

Factories receive the resolved ProviderSettings and import their heavy client libraries
themselves, so resolving a name stays cheap.
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Callable
from dataclasses import dataclass
from importlib.metadata import entry_points
from typing import Any

from copilot.llm.base import ChatModel
from copilot.llm.config import ProviderSettings, load_settings
from tools.errors import InputError

Factory = Callable[[ProviderSettings], ChatModel]
BUILTIN_MODULES = ("copilot.llm.offline", "copilot.llm.openai", "copilot.llm.mock")
ENTRY_POINT_GROUP = "kpc.providers"


@dataclass(frozen=True)
class Provider:
    """A registered provider."""

    name: str
    factory: Factory
    description: str = ""


_PROVIDERS: dict[str, Provider] = {}
_loaded = False
_lock = threading.Lock()


def register(name: str, factory: Factory, *, description: str = "") -> None:
    """Registers (or replaces) provider `name`."""
    _PROVIDERS[name.lower()] = Provider(name=name.lower(), factory=factory, description=description)


def _load_module(module_name: str) -> None:
    module = importlib.import_module(module_name)
    hook = getattr(module, "register_providers", None)
    if callable(hook):
        hook(register)


def load_plugins() -> None:
    """Registers the built-in providers, then those of installed plugins (once per process, thread-safe)."""
    global _loaded
    if _loaded:
        return
    with _lock:
        if _loaded:
            return
        for module_name in BUILTIN_MODULES:
            _load_module(module_name)
        for ep in entry_points(group=ENTRY_POINT_GROUP):
            try:
                _load_module(ep.value.split(":")[0])
            except Exception as exc:  # a broken plugin must not take the built-ins down
                _PROVIDERS.pop(ep.name.lower(), None)
                register(ep.name, _broken(ep.name, exc), description=f"failed to load: {exc}")
        # Set last: a thread that sees the flag also sees every provider registered.
        _loaded = True


def _broken(name: str, exc: Exception) -> Factory:
    def factory(_settings: ProviderSettings) -> ChatModel:
        raise InputError(f"provider plugin '{name}' failed to load: {exc}")

    return factory


def providers() -> list[Provider]:
    """Every registered provider, sorted by name."""
    load_plugins()
    return [_PROVIDERS[name] for name in sorted(_PROVIDERS)]


def get_model(
    provider: str | None = None, *, settings: ProviderSettings | None = None, **overrides: Any
) -> ChatModel:
    """Builds the ChatModel for `provider` (default: the configured one).

    `overrides` are setting values that beat the environment and the config file
    (e.g. model="llama3.1", mock_script="x.yaml"); None values are ignored.
    """
    load_plugins()
    if settings is None:
        settings = load_settings(provider=provider, **overrides)
    elif provider:
        settings = settings.model_copy(update={"provider": provider.lower()})
    entry = _PROVIDERS.get(settings.provider)
    if entry is None:
        known = ", ".join(sorted(_PROVIDERS))
        raise InputError(f"'{settings.provider}' is not a known provider", hint=f"choose one of: {known}")
    return entry.factory(settings)
