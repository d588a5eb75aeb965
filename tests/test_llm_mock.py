"""The mock provider: enqueue/history, script files, errors, and cassettes that replay a recorded model."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from agent_support import EXEMPLAR, good_draft

from copilot.llm import Message, ToolSpec, get_model
from copilot.llm.cassette import RecordingModel
from copilot.llm.mock import MockModel
from tools.errors import InputError, ProviderError

ASK = [Message(role="user", content="deny privileged containers")]
TOOL = ToolSpec(name="submit_policy", description="Submit.", parameters={"type": "object"})


def test_enqueued_replies_come_back_in_order_and_history_records_prompts() -> None:
    model = MockModel()
    model.enqueue(["first", {"tool": "submit_policy", "arguments": {"policy_id": "x"}}])

    one = model.chat(ASK, tools=[TOOL])
    two = model.chat([*ASK, one.message], tools=[TOOL])

    assert one.message.content == "first" and not one.message.tool_calls
    assert two.message.tool_calls[0].name == "submit_policy"
    assert two.message.tool_calls[0].parsed_arguments() == {"policy_id": "x"}
    assert [len(h.messages) for h in model.history] == [1, 2]
    assert model.history[0].tools[0].name == "submit_policy"
    assert model.remaining == 0


def test_running_out_of_replies_is_a_provider_error() -> None:
    model = MockModel(["only one"])
    model.chat(ASK)
    with pytest.raises(ProviderError, match="no scripted reply left for call 2"):
        model.chat(ASK)


def test_repeat_last_keeps_answering_with_fresh_tool_call_ids() -> None:
    model = MockModel([{"tool": "decline", "arguments": {"reason": "no"}}], repeat_last=True)
    ids = {model.chat(ASK).message.tool_calls[0].id for _ in range(3)}
    assert len(ids) == 3


def test_error_reply_raises_provider_error() -> None:
    model = MockModel([{"error": "simulated outage"}])
    with pytest.raises(ProviderError, match="simulated outage"):
        model.chat(ASK)


def test_text_is_streamed_to_the_callback() -> None:
    deltas: list[str] = []
    reply = MockModel(["two words"]).chat(ASK, on_text=deltas.append)
    assert "".join(deltas) == "two words" == reply.message.content
    assert len(deltas) == 2


def test_script_file_with_bundle_and_file_references(tmp_path: Path) -> None:
    (tmp_path / "note.txt").write_text("from a file")
    script = tmp_path / "script.yaml"
    script.write_text(
        "model: scripted\n"
        "responses:\n"
        "  - content: {$file: note.txt}\n"
        f"  - tool: submit_policy\n    arguments:\n      $bundle: {EXEMPLAR}\n      patch: {{policy_id: no-priv}}\n"
    )
    model = MockModel.from_file(script)

    first = model.chat(ASK)
    second = model.chat(ASK)

    assert model.model_id == "scripted"
    assert first.message.content == "from a file"
    args = second.message.tool_calls[0].parsed_arguments()
    expected = good_draft()
    assert args["policy_id"] == "no-priv"
    assert args["src_rego"] == expected["src_rego"]
    assert sorted(f["expected"] for f in args["fixtures"]) == sorted(
        f["expected"] for f in expected["fixtures"]
    )


def test_bad_script_fails_early_with_a_clear_error(tmp_path: Path) -> None:
    script = tmp_path / "bad.yaml"
    script.write_text("responses:\n  - tool_calls: [{arguments: {}}]\n")
    with pytest.raises(InputError, match="needs a name"):
        MockModel.from_file(script)
    with pytest.raises(InputError, match="does not exist"):
        MockModel.from_file(tmp_path / "missing.yaml")


def test_provider_mock_loads_the_script_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    script = tmp_path / "s.json"
    script.write_text(json.dumps(["from KPC_MOCK_SCRIPT"]))
    monkeypatch.setenv("KPC_MOCK_SCRIPT", str(script))
    assert get_model("mock").chat(ASK).message.content == "from KPC_MOCK_SCRIPT"


def test_cassette_records_and_replays(tmp_path: Path) -> None:
    cassette = tmp_path / "cassette.json"
    live = MockModel(["hello", {"tool": "decline", "arguments": {"reason": "out of scope"}}])
    recorder = RecordingModel(live, cassette)
    originals = [recorder.chat(ASK, tools=[TOOL]), recorder.chat(ASK, tools=[TOOL])]

    saved = json.loads(cassette.read_text())
    assert len(saved["interactions"]) == 2
    assert saved["interactions"][0]["request"]["messages"][0]["content"] == "deny privileged containers"

    replay = MockModel.from_file(cassette)
    replies = [replay.chat(ASK), replay.chat(ASK)]
    assert replies[0].message.content == originals[0].message.content
    assert replies[1].message.tool_calls[0].name == "decline"
    assert replies[1].message.tool_calls[0].arguments == originals[1].message.tool_calls[0].arguments
