"""Provider registry and settings: names resolve like plugins, precedence, the config file, doctor's view."""

from __future__ import annotations

from pathlib import Path

import pytest

from copilot.llm import (
    ChatModel,
    ChatRequest,
    ChatResponse,
    ProviderSettings,
    get_model,
    load_settings,
    providers,
)
from copilot.llm import registry as registry_module
from copilot.llm.base import text_reply
from copilot.llm.config import describe_provider
from copilot.llm.mock import MockModel
from copilot.llm.offline import OfflineModel
from copilot.llm.openai import OpenAIChatModel
from tools.errors import InputError, ProviderError


def test_built_in_providers_are_registered(monkeypatch: pytest.MonkeyPatch) -> None:
    names = [p.name for p in providers()]
    assert {"offline", "openai", "mock"} <= set(names)
    assert isinstance(get_model("offline"), OfflineModel)
    assert isinstance(get_model("mock"), MockModel)
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:8000/v1")
    assert isinstance(get_model("openai"), OpenAIChatModel)


def test_hosted_openai_without_a_key_fails_before_any_work() -> None:
    with pytest.raises(ProviderError, match="no API key") as raised:
        get_model("openai")
    assert raised.value.hint is not None and "OPENAI_API_KEY" in raised.value.hint


def test_default_provider_is_offline() -> None:
    settings = load_settings()
    assert settings.provider == "offline"
    assert isinstance(get_model(), OfflineModel)


def test_unknown_provider_names_the_known_ones() -> None:
    with pytest.raises(InputError) as raised:
        get_model("nope")
    assert "'nope' is not a known provider" in str(raised.value)
    assert "offline" in str(raised.value) and "openai" in str(raised.value)


class EchoModel(ChatModel):
    """A third-party provider: echoes the last user message."""

    provider = "echo"

    def execute(self, request: ChatRequest, on_text: object) -> ChatResponse:
        return text_reply(request.messages[-1].content)


def register_providers(register: object) -> None:
    """The plugin hook, as a third-party module would define it."""
    register("echo", lambda settings: EchoModel(settings.model), description="echo")  # type: ignore[operator]


def test_a_plugin_registers_like_the_built_ins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(registry_module, "_PROVIDERS", dict(registry_module._PROVIDERS))
    registry_module._load_module(__name__)
    from copilot.llm import Message

    model = get_model("echo", model="v1")
    assert model.model_id == "v1"
    assert model.chat([Message(role="user", content="ping")]).message.content == "ping"
    assert "echo" in [p.name for p in providers()]


def test_precedence_option_over_env_over_file(_isolated_state: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (_isolated_state / "config.yaml").write_text(
        "provider: openai\nmodel: file-model\nbase_url: http://file:1/v1\ntimeout: 30\nmax_retries: 1\n"
    )
    from_file = load_settings()
    assert (from_file.provider, from_file.model, from_file.timeout, from_file.max_retries) == (
        "openai",
        "file-model",
        30,
        1,
    )
    assert from_file.sources["model"].startswith("config ")

    monkeypatch.setenv("KPC_MODEL", "env-model")
    monkeypatch.setenv("OPENAI_BASE_URL", "http://env:2/v1")
    from_env = load_settings()
    assert (from_env.model, from_env.base_url) == ("env-model", "http://env:2/v1")
    assert from_env.sources["model"] == "env KPC_MODEL"

    from_option = load_settings(model="option-model", provider="mock")
    assert (from_option.provider, from_option.model) == ("mock", "option-model")


def test_api_key_env_names_the_variable_holding_the_key(
    _isolated_state: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (_isolated_state / "config.yaml").write_text("provider: openai\napi_key_env: TEAM_LLM_KEY\n")
    monkeypatch.setenv("TEAM_LLM_KEY", "sk-team-0123456789abcdef")
    settings = load_settings()
    assert settings.api_key == "sk-team-0123456789abcdef"
    assert settings.sources["api_key"] == "env TEAM_LLM_KEY"


def test_bad_config_is_a_one_line_input_error(_isolated_state: Path) -> None:
    config = _isolated_state / "config.yaml"
    config.write_text("provider: openai\nmodle: typo\n")
    with pytest.raises(InputError, match="unknown key"):
        load_settings()
    config.write_text("timeout: -5\n")
    with pytest.raises(InputError, match="timeout"):
        load_settings()
    config.write_text("provider: [unclosed\n")
    with pytest.raises(InputError, match="cannot read config file"):
        load_settings()


def test_describe_provider_never_shows_the_key(monkeypatch: pytest.MonkeyPatch) -> None:
    secret = "sk-live-abcdefghijklmnopqrstuvwxyz012345"
    monkeypatch.setenv("OPENAI_API_KEY", secret)
    monkeypatch.setenv("KPC_PROVIDER", "openai")
    description = describe_provider()

    assert description.ok
    assert "API key set (env OPENAI_API_KEY)" in description.summary
    assert secret not in description.model_dump_json()
    assert secret not in repr(load_settings())


def test_describe_provider_says_how_to_fix_a_keyless_openai() -> None:
    description = describe_provider(ProviderSettings(provider="openai"))
    assert not description.ok
    assert description.fix is not None and "OPENAI_API_KEY" in description.fix
    local = describe_provider(ProviderSettings(provider="openai", base_url="http://127.0.0.1:11434/v1"))
    assert local.ok and "placeholder" in local.summary
    assert describe_provider().summary.startswith("offline")
