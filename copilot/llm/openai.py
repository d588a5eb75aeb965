"""The `openai` provider: any OpenAI-compatible chat completions endpoint, through the official client.

Works with OpenAI itself and with local servers (vLLM, Ollama, llama.cpp server, LM
Studio): set OPENAI_BASE_URL to the server's /v1 root; without OPENAI_API_KEY a
placeholder key is sent, which local servers ignore.

Failures become one-line ProviderErrors that say what to do. HTTP 408/409/429 and 5xx
are retried with exponential backoff (bounded by `max_retries`, honouring Retry-After);
authentication errors, refused connections and timeouts fail at once.
"""

from __future__ import annotations

import contextlib
import time
from typing import Any

from copilot.llm.base import (
    ChatModel,
    ChatRequest,
    ChatResponse,
    Message,
    TextCallback,
    ToolCall,
    Usage,
)
from copilot.llm.config import DEFAULT_OPENAI_MODEL, ProviderSettings
from tools.errors import ProviderError

PLACEHOLDER_KEY = "kpc-no-key"
RETRY_STATUS = {408, 409, 429}
MAX_BACKOFF = 20.0


def _status_of(exc: Exception) -> int | None:
    return getattr(exc, "status_code", None)


def _root_cause(exc: BaseException) -> BaseException:
    seen = exc
    while seen.__cause__ is not None or seen.__context__ is not None:
        nxt = seen.__cause__ or seen.__context__
        assert nxt is not None
        seen = nxt
    return seen


def _one_line(text: object, limit: int = 200) -> str:
    line = " ".join(str(text).split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


class OpenAIChatModel(ChatModel):
    """Chat completions with tool calling (and SSE streaming when a text callback is given)."""

    provider = "openai"

    def __init__(self, settings: ProviderSettings) -> None:
        super().__init__(settings.model or DEFAULT_OPENAI_MODEL)
        if not settings.api_key and settings.base_url is None:
            # The hosted API always needs a key; failing here beats a 401 after retrieval.
            raise ProviderError(
                "the openai provider has no API key for https://api.openai.com/v1",
                hint="export OPENAI_API_KEY, or set OPENAI_BASE_URL to a local OpenAI-compatible server",
            )
        self.settings = settings
        self.base_url = (settings.base_url or "https://api.openai.com/v1").rstrip("/")
        self._client: Any = None
        # Tests shorten the waits; production uses settings.retry_backoff.
        self.sleep = time.sleep

    def describe(self) -> str:
        return f"openai:{self.model_id} at {self.base_url}"

    def _get_client(self) -> Any:
        if self._client is None:
            import openai  # heavy; only when a model call is made

            self._client = openai.OpenAI(
                api_key=self.settings.api_key or PLACEHOLDER_KEY,
                base_url=self.base_url,
                timeout=self.settings.timeout,
                max_retries=0,  # retries are ours: bounded, logged, and testable
            )
        return self._client

    def _params(self, request: ChatRequest, stream: bool) -> dict[str, Any]:
        params: dict[str, Any] = {
            "model": self.model_id,
            "messages": [m.to_openai() for m in request.messages],
        }
        if request.tools:
            params["tools"] = [t.to_openai() for t in request.tools]
        if self.settings.temperature is not None:
            params["temperature"] = self.settings.temperature
        if stream:
            params["stream"] = True
        return params

    def execute(self, request: ChatRequest, on_text: TextCallback | None) -> ChatResponse:
        import openai

        stream = on_text is not None and self.settings.stream
        params = self._params(request, stream)
        attempt = 0
        while True:
            try:
                if stream:
                    assert on_text is not None
                    return self._streamed(params, on_text)
                return self._complete(params)
            except openai.APITimeoutError as exc:
                raise ProviderError(
                    f"no answer from {self.base_url} within {self.settings.timeout:g}s",
                    hint="the model may be slow or overloaded; raise `timeout` in the config file",
                ) from exc
            except openai.APIConnectionError as exc:
                reason = _one_line(_root_cause(exc)) or "connection failed"
                if isinstance(_root_cause(exc), ConnectionRefusedError) or "refused" in reason.lower():
                    reason = "connection refused"
                raise ProviderError(
                    f"cannot connect to {self.base_url}: {reason}",
                    hint="is the server running? check OPENAI_BASE_URL",
                ) from exc
            except openai.APIStatusError as exc:
                status = _status_of(exc) or 0
                retryable = status in RETRY_STATUS or status >= 500
                if retryable and attempt < self.settings.max_retries:
                    self.sleep(self._backoff(attempt, exc))
                    attempt += 1
                    continue
                raise self._status_error(exc, status, attempt) from exc

    def _backoff(self, attempt: int, exc: Exception) -> float:
        delay = self.settings.retry_backoff * (2**attempt)
        response = getattr(exc, "response", None)
        header = response.headers.get("retry-after") if response is not None else None
        if header:
            with contextlib.suppress(ValueError):  # an HTTP-date Retry-After: keep our own delay
                delay = max(delay, float(header))
        return min(delay, MAX_BACKOFF)

    def _status_error(self, exc: Exception, status: int, retries: int) -> ProviderError:
        detail = _one_line(getattr(exc, "message", exc))
        after = f" after {retries} retries" if retries else ""
        if status == 401:
            return ProviderError(
                f"{self.base_url} rejected the API key (HTTP 401)", hint="check OPENAI_API_KEY"
            )
        if status == 403:
            return ProviderError(
                f"{self.base_url} denied access to model '{self.model_id}' (HTTP 403)",
                hint="check OPENAI_API_KEY and the key's permissions",
            )
        if status == 404:
            return ProviderError(
                f"model '{self.model_id}' or the chat endpoint was not found at {self.base_url} (HTTP 404)",
                hint="set --model / KPC_MODEL to a model the server serves and OPENAI_BASE_URL to its /v1 root",
            )
        if status == 429:
            return ProviderError(
                f"rate limited by {self.base_url} (HTTP 429){after}", hint="wait a moment and retry"
            )
        if status >= 500:
            return ProviderError(
                f"server error from {self.base_url} (HTTP {status}){after}: {detail}",
                hint="the server is failing; retry later or check its logs",
            )
        return ProviderError(
            f"{self.base_url} rejected the request (HTTP {status}): {detail}",
            hint="the model may not support tool calling; choose one that does",
        )

    def _complete(self, params: dict[str, Any]) -> ChatResponse:
        completion = self._get_client().chat.completions.create(**params)
        if not getattr(completion, "choices", None):
            raise ProviderError(f"malformed answer from {self.base_url}: no choices")
        choice = completion.choices[0]
        msg = choice.message
        calls = [
            ToolCall(
                **({"id": c.id} if c.id else {}),
                name=c.function.name or "",
                arguments=c.function.arguments or "{}",
            )
            for c in (msg.tool_calls or [])
            if getattr(c, "function", None) is not None
        ]
        usage = None
        if completion.usage is not None:
            usage = Usage(
                prompt_tokens=completion.usage.prompt_tokens or 0,
                completion_tokens=completion.usage.completion_tokens or 0,
            )
        return ChatResponse(
            message=Message(role="assistant", content=msg.content or "", tool_calls=calls),
            usage=usage,
            finish_reason=choice.finish_reason,
            model=completion.model,
        )

    def _streamed(self, params: dict[str, Any], on_text: TextCallback) -> ChatResponse:
        text: list[str] = []
        calls: dict[int, dict[str, str]] = {}
        usage: Usage | None = None
        finish: str | None = None
        model: str | None = None
        stream = self._get_client().chat.completions.create(**params)
        for chunk in stream:
            model = chunk.model or model
            if chunk.usage is not None:
                usage = Usage(
                    prompt_tokens=chunk.usage.prompt_tokens or 0,
                    completion_tokens=chunk.usage.completion_tokens or 0,
                )
            for choice in chunk.choices or []:
                finish = choice.finish_reason or finish
                delta = choice.delta
                if delta is None:
                    continue
                if delta.content:
                    text.append(delta.content)
                    on_text(delta.content)
                for part in delta.tool_calls or []:
                    # Tool calls arrive in fragments keyed by index: id and name once, arguments in pieces.
                    slot = calls.setdefault(part.index, {"id": "", "name": "", "arguments": ""})
                    if part.id:
                        slot["id"] = part.id
                    if part.function is not None:
                        slot["name"] += part.function.name or ""
                        slot["arguments"] += part.function.arguments or ""
        tool_calls = [
            ToolCall(**({"id": s["id"]} if s["id"] else {}), name=s["name"], arguments=s["arguments"] or "{}")
            for _, s in sorted(calls.items())
        ]
        return ChatResponse(
            message=Message(role="assistant", content="".join(text), tool_calls=tool_calls),
            usage=usage,
            finish_reason=finish,
            model=model,
        )


def register_providers(register: Any) -> None:
    """Built-in registration, the same hook a plugin module provides."""
    register(
        "openai",
        OpenAIChatModel,
        description="any OpenAI-compatible endpoint (OpenAI, vLLM, Ollama, llama.cpp, LM Studio)",
    )
