"""Chat models behind one small interface, resolved by provider name.

    from copilot.llm import get_model
    model = get_model("openai", model="qwen2.5-coder:14b")
    reply = model.chat(messages, tools=[...])

Providers: offline (default, no network), openai (any OpenAI-compatible endpoint),
mock (scripted, for tests and evals). Importing this package is cheap: client
libraries load on the first model call.
"""

from copilot.llm.base import (
    ChatModel,
    ChatRequest,
    ChatResponse,
    Message,
    ToolCall,
    ToolSpec,
    Turn,
    Usage,
    text_reply,
    tool_reply,
)
from copilot.llm.config import ProviderDescription, ProviderSettings, describe_provider, load_settings
from copilot.llm.mock import MockModel
from copilot.llm.registry import get_model, providers, register

__all__ = [
    "ChatModel",
    "ChatRequest",
    "ChatResponse",
    "Message",
    "MockModel",
    "ProviderDescription",
    "ProviderSettings",
    "ToolCall",
    "ToolSpec",
    "Turn",
    "Usage",
    "describe_provider",
    "get_model",
    "load_settings",
    "providers",
    "register",
    "text_reply",
    "tool_reply",
]
