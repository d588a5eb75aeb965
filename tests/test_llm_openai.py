"""The openai provider against a fake OpenAI-compatible server on loopback: real HTTP, the real client."""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from agent_support import REQUEST, good_draft
from fake_openai import FakeOpenAI, chunk, completion, error

from copilot.agent import AgentEvent, run_request
from copilot.llm import Message, ProviderSettings, ToolSpec, get_model
from copilot.llm.openai import PLACEHOLDER_KEY, OpenAIChatModel
from tools.errors import ProviderError

TOOLS = [
    ToolSpec(
        name="decline",
        description="Decline a request.",
        parameters={"type": "object", "properties": {"reason": {"type": "string"}}, "required": ["reason"]},
    )
]
HELLO = [Message(role="system", content="be brief"), Message(role="user", content="deny privileged pods")]


@pytest.fixture
def server() -> Iterator[FakeOpenAI]:
    with FakeOpenAI() as fake:
        yield fake


def _model(server: FakeOpenAI, **settings: object) -> OpenAIChatModel:
    values: dict[str, object] = {
        "provider": "openai",
        "model": "fake-model",
        "base_url": server.base_url,
        "api_key": "sk-test-key",
        "retry_backoff": 0.01,
        "max_retries": 2,
    }
    values.update(settings)
    return OpenAIChatModel(ProviderSettings(**values))  # type: ignore[arg-type]


def test_tool_call_round_trip(server: FakeOpenAI) -> None:
    server.enqueue(completion(tool_calls=[("decline", {"reason": "not a policy"})], usage=(50, 7)))
    reply = _model(server).chat(HELLO, tools=TOOLS)

    assert reply.message.tool_calls[0].name == "decline"
    assert reply.message.tool_calls[0].parsed_arguments() == {"reason": "not a policy"}
    assert reply.usage is not None and (reply.usage.prompt_tokens, reply.usage.completion_tokens) == (50, 7)
    sent = server.requests[0]
    assert sent["path"] == "/v1/chat/completions"
    assert sent["headers"]["authorization"] == "Bearer sk-test-key"
    assert sent["body"]["model"] == "fake-model"
    assert sent["body"]["messages"] == [m.to_openai() for m in HELLO]
    assert sent["body"]["tools"][0]["function"]["name"] == "decline"
    assert sent["body"]["tools"][0]["function"]["parameters"]["required"] == ["reason"]


def test_tool_results_go_back_in_openai_shape(server: FakeOpenAI) -> None:
    server.enqueue(completion(tool_calls=[("decline", {"reason": "x"})]), completion("done"))
    model = _model(server)
    first = model.chat(HELLO, tools=TOOLS)
    call = first.message.tool_calls[0]
    follow_up = [*HELLO, first.message, Message(role="tool", content="ok", tool_call_id=call.id)]
    second = model.chat(follow_up, tools=TOOLS)

    assert second.message.content == "done" and not second.message.tool_calls
    sent = server.requests[1]["body"]["messages"]
    assert sent[2]["tool_calls"][0]["id"] == call.id
    assert sent[3] == {"role": "tool", "content": "ok", "tool_call_id": call.id}


def test_local_servers_get_a_placeholder_key(server: FakeOpenAI) -> None:
    server.enqueue(completion("hi"))
    reply = _model(server, api_key=None).chat(HELLO)

    assert reply.message.content == "hi"
    assert server.requests[0]["headers"]["authorization"] == f"Bearer {PLACEHOLDER_KEY}"


def test_streaming_text_and_tool_call_fragments(server: FakeOpenAI) -> None:
    args = json.dumps({"reason": "out of scope"})
    server.enqueue(
        {
            "sse": [
                chunk({"role": "assistant", "content": "Think"}),
                chunk({"content": "ing..."}),
                chunk(
                    {
                        "tool_calls": [
                            {"index": 0, "id": "call_9", "function": {"name": "decline", "arguments": ""}}
                        ]
                    }
                ),
                chunk({"tool_calls": [{"index": 0, "function": {"arguments": args[:10]}}]}),
                chunk(
                    {"tool_calls": [{"index": 0, "function": {"arguments": args[10:]}}]}, finish="tool_calls"
                ),
            ]
        }
    )
    deltas: list[str] = []
    reply = _model(server).chat(HELLO, tools=TOOLS, on_text=deltas.append)

    assert deltas == ["Think", "ing..."]
    assert reply.message.content == "Thinking..."
    assert reply.message.tool_calls[0].id == "call_9"
    assert reply.message.tool_calls[0].parsed_arguments() == {"reason": "out of scope"}
    assert reply.finish_reason == "tool_calls"
    assert server.requests[0]["body"]["stream"] is True


def test_401_is_a_one_line_error_naming_the_key(server: FakeOpenAI) -> None:
    server.enqueue(error(401, "Incorrect API key provided"))
    with pytest.raises(ProviderError) as raised:
        _model(server).chat(HELLO)

    assert "HTTP 401" in str(raised.value) and "check OPENAI_API_KEY" in str(raised.value)
    assert "\n" not in str(raised.value)
    assert len(server.requests) == 1  # never retried


def test_429_then_success_retries_with_backoff(server: FakeOpenAI) -> None:
    server.enqueue(error(429, "slow down", {"retry-after": "0"}), completion("after the wait"))
    model = _model(server)
    waits: list[float] = []
    model.sleep = waits.append

    reply = model.chat(HELLO)

    assert reply.message.content == "after the wait"
    assert len(server.requests) == 2
    assert waits == [0.01]


def test_500_exhausts_bounded_retries(server: FakeOpenAI) -> None:
    server.enqueue(*[error(500, "boom")] * 5)
    model = _model(server, max_retries=2)
    waits: list[float] = []
    model.sleep = waits.append

    with pytest.raises(ProviderError) as raised:
        model.chat(HELLO)

    assert "HTTP 500" in str(raised.value) and "after 2 retries" in str(raised.value)
    assert len(server.requests) == 3
    assert waits == [0.01, 0.02]  # exponential


def test_timeout_is_a_clear_error(server: FakeOpenAI) -> None:
    server.enqueue({**completion("too late"), "sleep": 1.5})
    started = time.perf_counter()
    with pytest.raises(ProviderError) as raised:
        _model(server, timeout=0.3).chat(HELLO)

    assert "within 0.3s" in str(raised.value)
    assert time.perf_counter() - started < 1.4
    assert len(server.requests) == 1


def test_connection_refused_is_a_clear_error() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings = ProviderSettings(provider="openai", base_url=f"http://127.0.0.1:{port}/v1", timeout=5)
    with pytest.raises(ProviderError) as raised:
        OpenAIChatModel(settings).chat(HELLO)

    assert "connection refused" in str(raised.value)
    assert "OPENAI_BASE_URL" in str(raised.value)


def test_404_names_the_model(server: FakeOpenAI) -> None:
    server.enqueue(error(404, "model not found"))
    with pytest.raises(ProviderError) as raised:
        _model(server, model="no-such-model").chat(HELLO)

    assert "'no-such-model'" in str(raised.value) and "KPC_MODEL" in str(raised.value)


def test_environment_configures_the_provider(server: FakeOpenAI, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
    monkeypatch.setenv("OPENAI_API_KEY", "sk-from-env")
    monkeypatch.setenv("KPC_MODEL", "qwen-local")
    server.enqueue(completion("configured"))

    model = get_model("openai")
    reply = model.chat(HELLO)

    assert reply.message.content == "configured"
    assert server.requests[0]["body"]["model"] == "qwen-local"
    assert server.requests[0]["headers"]["authorization"] == "Bearer sk-from-env"
    assert "sk-from-env" not in model.describe()


def test_config_file_configures_the_provider(server: FakeOpenAI, _isolated_state: Path) -> None:
    (_isolated_state / "config.yaml").write_text(
        f"provider: openai\nmodel: from-file\nbase_url: {server.base_url}\n"
    )
    server.enqueue(completion("from the file"))

    reply = get_model().chat(HELLO)

    assert reply.message.content == "from the file"
    assert server.requests[0]["body"]["model"] == "from-file"


def _point_at(server: FakeOpenAI, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
    monkeypatch.setenv("KPC_MODEL", "fake-model")


def test_the_agent_verifies_a_policy_over_http(server: FakeOpenAI, monkeypatch: pytest.MonkeyPatch) -> None:
    _point_at(server, monkeypatch)
    server.enqueue(
        completion(tool_calls=[("get_exemplar", {"policy_id": "privileged-containers"})], usage=(1000, 20)),
        completion(tool_calls=[("submit_policy", good_draft())], usage=(3000, 900)),
    )
    result = run_request(REQUEST, provider="openai", retrieval="keyword", checkpoint="memory")

    assert result.status == "verified" and result.model == "fake-model"
    assert result.model_calls == 2 and result.tokens == {"prompt": 4000, "completion": 920}
    first, second = (r["body"] for r in server.requests)
    assert [t["function"]["name"] for t in first["tools"]] == [
        "retrieve_exemplars",
        "get_exemplar",
        "submit_policy",
        "decline",
    ]
    tool_reply = second["messages"][-1]
    assert tool_reply["role"] == "tool" and tool_reply["tool_call_id"] == "call_0"
    assert "package k8sprivilegedcontainers" in tool_reply["content"]


def test_the_agent_streams_model_text_as_events(server: FakeOpenAI, monkeypatch: pytest.MonkeyPatch) -> None:
    _point_at(server, monkeypatch)
    args = json.dumps(good_draft())
    server.enqueue(
        {
            "sse": [
                chunk({"role": "assistant", "content": "Adapting the exemplar."}),
                chunk(
                    {
                        "tool_calls": [
                            {"index": 0, "id": "c1", "function": {"name": "submit_policy", "arguments": ""}}
                        ]
                    }
                ),
                *[
                    chunk({"tool_calls": [{"index": 0, "function": {"arguments": args[i : i + 500]}}]})
                    for i in range(0, len(args), 500)
                ],
                chunk({}, finish="tool_calls"),
            ]
        }
    )
    events: list[AgentEvent] = []
    result = run_request(
        REQUEST, provider="openai", retrieval="keyword", checkpoint="memory", on_event=events.append
    )

    assert result.status == "verified"
    streamed = "".join(e.data["delta"] for e in events if e.kind == "text")
    assert streamed == "Adapting the exemplar."
    assert server.requests[0]["body"]["stream"] is True


def test_a_401_mid_request_is_a_provider_error(server: FakeOpenAI, monkeypatch: pytest.MonkeyPatch) -> None:
    _point_at(server, monkeypatch)
    server.enqueue(error(401, "bad key"))
    with pytest.raises(ProviderError, match="check OPENAI_API_KEY"):
        run_request(REQUEST, provider="openai", retrieval="keyword", checkpoint="memory")
