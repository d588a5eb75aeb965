"""Provider settings from command-line options, the environment and a config file.

Precedence, highest first: explicit options (`--provider`, `--model`, ...), environment
variables, the config file, built-in defaults.

Environment:
    KPC_PROVIDER      offline | openai | mock (or a plugin's provider name)
    KPC_MODEL         model name (OPENAI_MODEL is read too)
    OPENAI_API_KEY    API key for the openai provider (local servers need none)
    OPENAI_BASE_URL   any OpenAI-compatible endpoint, e.g. http://localhost:11434/v1
    KPC_MOCK_SCRIPT   script file for the mock provider
    KPC_CONFIG        explicit path of the config file

Config file: $KPC_CONFIG, else $KPC_HOME/config.yaml, else ~/.config/kpc/config.yaml
($XDG_CONFIG_HOME/kpc/config.yaml). Keys (all optional), see docs/providers.md:

    provider: openai
    model: qwen2.5-coder:14b
    base_url: http://localhost:11434/v1
    api_key_env: OPENAI_API_KEY   # the variable that holds the key; prefer this over api_key
    api_key: ...                  # accepted, but a key in a file is easy to leak
    timeout: 120                  # seconds per model call
    max_retries: 3                # on HTTP 429 and 5xx, with exponential backoff
    retry_backoff: 0.5            # first backoff in seconds, doubled per retry
    temperature: 0
    stream: true                  # stream text when a caller shows it live
    mock_script: evals/mock/x.yaml
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, Field, ValidationError

from tools.errors import InputError

DEFAULT_PROVIDER = "offline"
DEFAULT_OPENAI_MODEL = "gpt-4o-mini"
CONFIG_KEYS = (
    "provider",
    "model",
    "base_url",
    "api_key",
    "api_key_env",
    "timeout",
    "max_retries",
    "retry_backoff",
    "temperature",
    "stream",
    "mock_script",
)


class ProviderSettings(BaseModel):
    """Resolved settings for building a ChatModel. `sources` says where each value came from."""

    provider: str = DEFAULT_PROVIDER
    model: str | None = None
    base_url: str | None = None
    api_key: str | None = Field(default=None, repr=False)
    timeout: float = Field(default=120.0, gt=0)
    max_retries: int = Field(default=3, ge=0, le=10)
    retry_backoff: float = Field(default=0.5, ge=0)
    temperature: float | None = 0.0
    stream: bool = True
    mock_script: str | None = None
    config_file: str | None = None
    sources: dict[str, str] = Field(default_factory=dict)


def config_path() -> Path | None:
    """The config file in use, or None when there is none."""
    explicit = os.environ.get("KPC_CONFIG")
    if explicit:
        return Path(explicit)
    home = os.environ.get("KPC_HOME")
    if home and (Path(home) / "config.yaml").is_file():
        return Path(home) / "config.yaml"
    xdg = os.environ.get("XDG_CONFIG_HOME")
    user = (Path(xdg) if xdg else Path.home() / ".config") / "kpc" / "config.yaml"
    return user if user.is_file() else None


def read_config(path: Path | None) -> dict[str, Any]:
    """The config file's keys; InputError naming the file on unreadable YAML or unknown keys."""
    if path is None:
        return {}
    try:
        data = yaml.safe_load(path.read_text()) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise InputError(f"cannot read config file {path}: {str(exc).splitlines()[0]}") from exc
    if not isinstance(data, dict):
        raise InputError(f"config file {path} must be a mapping of keys to values")
    unknown = sorted(set(data) - set(CONFIG_KEYS))
    if unknown:
        raise InputError(
            f"unknown key(s) {', '.join(unknown)} in {path}", hint=f"known keys: {', '.join(CONFIG_KEYS)}"
        )
    return data


def _env_values() -> dict[str, tuple[Any, str]]:
    pairs = [
        ("provider", "KPC_PROVIDER"),
        ("model", "KPC_MODEL"),
        ("model", "OPENAI_MODEL"),
        ("base_url", "OPENAI_BASE_URL"),
        ("mock_script", "KPC_MOCK_SCRIPT"),
    ]
    found: dict[str, tuple[Any, str]] = {}
    for key, var in pairs:
        value = os.environ.get(var)
        if value and key not in found:
            found[key] = (value, f"env {var}")
    return found


def load_settings(**overrides: Any) -> ProviderSettings:
    """Settings for a model: `overrides` (None values ignored) > environment > config file > defaults."""
    path = config_path()
    file_values = read_config(path)
    merged: dict[str, Any] = {}
    sources: dict[str, str] = {}
    for key, value in file_values.items():
        if key != "api_key_env":
            merged[key], sources[key] = value, f"config {path}"
    key_var = str(file_values.get("api_key_env") or "OPENAI_API_KEY")
    if os.environ.get(key_var):
        merged["api_key"], sources["api_key"] = os.environ[key_var], f"env {key_var}"
    for key, (value, source) in _env_values().items():
        merged[key], sources[key] = value, source
    for key, value in overrides.items():
        if value is not None:
            merged[key], sources[key] = value, "option"
    try:
        settings = ProviderSettings(**merged, config_file=str(path) if path else None, sources=sources)
    except ValidationError as exc:
        error = exc.errors()[0]
        field = ".".join(str(p) for p in error["loc"])
        where = sources.get(field, "settings")
        raise InputError(f"invalid provider setting {field} ({where}): {error['msg']}") from exc
    settings.provider = settings.provider.strip().lower()
    return settings


class ProviderDescription(BaseModel):
    """What `kpc doctor` shows about the configured provider. The API key itself is never included."""

    ok: bool = True
    summary: str
    fix: str | None = None
    details: dict[str, str] = Field(default_factory=dict)

    def __str__(self) -> str:
        return self.summary


def describe_provider(settings: ProviderSettings | None = None) -> ProviderDescription:
    """The configured provider in one line plus details, with a fix when it cannot work as configured."""
    from copilot.llm.registry import providers

    settings = settings or load_settings()
    name = settings.provider
    details = {"provider": f"{name} ({settings.sources.get('provider', 'default')})"}
    ok, fix = True, None
    known = [p.name for p in providers()]
    if name not in known:
        ok, fix = False, f"set provider to one of: {', '.join(known)}"
        summary = f"unknown provider '{name}'"
    elif name == "openai":
        model = settings.model or DEFAULT_OPENAI_MODEL
        base = settings.base_url or "https://api.openai.com/v1"
        key = (
            f"API key set ({settings.sources.get('api_key', 'settings')})"
            if settings.api_key
            else "no API key (a placeholder is sent)"
        )
        details.update(
            model=f"{model} ({settings.sources.get('model', 'default')})",
            base_url=base,
            api_key=key,
            timeout=f"{settings.timeout:g}s, {settings.max_retries} retries on 429/5xx",
        )
        summary = f"openai-compatible: model {model} at {base}, {key}"
        if not settings.api_key and settings.base_url is None:
            ok, fix = False, "export OPENAI_API_KEY, or set OPENAI_BASE_URL to a local server"
    elif name == "mock":
        script = settings.mock_script or "none (replies scripted in code)"
        details["mock_script"] = script
        summary = f"mock: script {script}"
        if settings.mock_script and not Path(settings.mock_script).is_file():
            ok, fix = False, f"create {settings.mock_script} or unset KPC_MOCK_SCRIPT"
    elif name == "offline":
        summary = "offline: the exemplar drafter (no LLM, no network)"
    else:
        summary = f"{name} (plugin)"
    details["config_file"] = settings.config_file or "none"
    return ProviderDescription(ok=ok, summary=summary, fix=fix, details=details)


def describe_text(settings: ProviderSettings | None = None) -> str:
    """describe_provider as `key: value` lines."""
    return "\n".join(f"{k}: {v}" for k, v in describe_provider(settings).details.items())
