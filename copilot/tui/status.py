"""What the header shows: the provider and the state of the policy engines (no UI)."""

from __future__ import annotations

from dataclasses import dataclass

from copilot.llm.base import ChatModel
from tools.engine.binaries import ENGINES, engine_info


@dataclass(frozen=True)
class Toolchain:
    """Which engines are usable. `missing` names the absent or wrong-version ones."""

    missing: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.missing

    def label(self) -> str:
        if self.ok:
            return "engines ok"
        return "missing: " + " ".join(self.missing)


def toolchain() -> Toolchain:
    """Reads every engine's location and version (no engine is run)."""
    return Toolchain(tuple(name for name in ENGINES if not engine_info(name).ok))


def provider_label(model: ChatModel) -> str:
    """'offline', or the provider and model name, e.g. 'openai qwen2.5-coder:14b'."""
    if model.provider == "offline":
        return "offline"
    if model.model_id in ("", model.provider):
        return model.provider
    return f"{model.provider} {model.model_id}"
