"""`kpc chat` driven by key presses: the real agent, the real engines, a scripted mock model.

One class per flow. Every scenario runs the app headless at 120x40 with Pilot; the mock
model answers with a small policy defined here (so corpus edits do not move these tests),
and the agent verifies it with opa, regal, gator and conftest as it would for a user.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

import pytest
import yaml
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Static, TabbedContent

from copilot.llm.base import ChatRequest, ChatResponse, TextCallback
from copilot.llm.mock import MockModel
from copilot.tui.app import CopilotApp, make_app
from copilot.tui.idle import wait_for_workers
from copilot.tui.screens.ask_path import AskPathScreen
from copilot.tui.screens.confirm import ConfirmScreen
from copilot.tui.screens.help import HelpScreen
from copilot.tui.widgets.chat.log import Answer, ChatLog, ProgressBlock
from copilot.tui.widgets.policy.code import CodeView
from copilot.tui.widgets.policy.rows import RowTable
from tools.errors import InputError

SIZE = (120, 40)
TIMEOUT = 120.0

OWNER_REGO = """package k8srequireownerlabel

# Every workload names the team that answers for it; an empty value names nobody.
violation contains {"msg": msg, "details": {"label": "owner"}} if {
	obj := input.review.object
	not _has_owner(obj)
	msg := sprintf("%s %s: label \\"owner\\" is missing or empty; add metadata.labels.owner", [obj.kind, _name(obj)])
}

_has_owner(obj) if {
	owner := object.get(obj, ["metadata", "labels", "owner"], "")
	is_string(owner)
	owner != ""
}

_name(obj) := object.get(obj, ["metadata", "name"], "<unnamed>")
"""

OWNER_TESTS = """package k8srequireownerlabel

_deployment(labels) := {"review": {"object": {"kind": "Deployment", "metadata": {"name": "web", "labels": labels}}}}

test_owner_present_is_allowed if {
	count(violation) == 0 with input as _deployment({"owner": "payments"})
}

test_owner_missing_is_denied if {
	count(violation) == 1 with input as _deployment({"app": "web"})
}

test_owner_empty_is_denied if {
	count(violation) == 1 with input as _deployment({"owner": ""})
}

test_unnamed_object_is_named_in_the_message if {
	some v in violation with input as {"review": {"object": {"kind": "Deployment", "metadata": {}}}}
	contains(v.msg, "<unnamed>")
}
"""


def deployment(name: str, labels: dict[str, str], namespace: str = "shop") -> dict[str, Any]:
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": name, "namespace": namespace, "labels": labels},
        "spec": {
            "replicas": 1,
            "selector": {"matchLabels": {"app": name}},
            "template": {
                "metadata": {"labels": {"app": name}},
                "spec": {"containers": [{"name": "app", "image": "nginx:1.27"}]},
            },
        },
    }


OWNER_DRAFT: dict[str, Any] = {
    "policy_id": "require-owner-label",
    "title": "Require an owner label",
    "description": "Deployments must carry a non-empty owner label naming the responsible team.",
    "kind": "K8sRequireOwnerLabel",
    "src_rego": OWNER_REGO,
    "src_test_rego": OWNER_TESTS,
    "match": {"kinds": [{"apiGroups": ["apps"], "kinds": ["Deployment"]}]},
    "fixtures": [
        {
            "name": "with-owner",
            "expected": "allow",
            "manifest": deployment("web", {"app": "web", "owner": "pay"}),
        },
        {"name": "without-owner", "expected": "deny", "manifest": deployment("web", {"app": "web"})},
    ],
}

# The classic slip: the rule denies exactly the objects it should admit.
BROKEN_REGO = OWNER_REGO.replace("\tnot _has_owner(obj)\n", "\t_has_owner(obj)\n")

GOOD = {"tool": "submit_policy", "arguments": OWNER_DRAFT}
BROKEN = {"tool": "submit_policy", "arguments": {**OWNER_DRAFT, "src_rego": BROKEN_REGO}}


def chat_app(*replies: Any, model: MockModel | None = None, **options: Any) -> CopilotApp:
    """The app with a scripted model and keyword retrieval (no index needed, same exemplars every run)."""
    options.setdefault("max_rounds", 0)
    return make_app(
        model=model or MockModel(list(replies), model_id="scripted"), retrieval="keyword", **options
    )


def run(scenario: Callable[[], Coroutine[Any, Any, None]]) -> None:
    asyncio.run(scenario())


async def wait_for(
    pilot: Pilot[Any], predicate: Callable[[], bool], what: str, timeout: float = TIMEOUT
) -> None:
    """Lets the app run until `predicate` holds (the agent and the engines take a few seconds)."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await pilot.pause(0.05)


async def type_line(pilot: Pilot[Any], text: str) -> None:
    """Enters `text` in the chat input as a paste (key by key is slow for long paths) and presses enter."""
    app = pilot.app
    assert isinstance(app, CopilotApp)
    assert app.focused is app.prompt, "the chat input should have the focus"
    app.prompt.insert_text_at_cursor(text)
    await pilot.press("enter")


async def type_keys(pilot: Pilot[Any], text: str) -> None:
    """Types `text` key by key and presses enter (for the short commands a user types)."""
    await pilot.press(*["space" if ch == " " else ch for ch in text], "enter")


async def ask(pilot: Pilot[Any], text: str) -> None:
    """Sends a request and waits for the answer and for the policy pane to show it."""
    app = pilot.app
    assert isinstance(app, CopilotApp)
    answers = len(app.main_screen.query(Answer))
    await type_line(pilot, text)
    await wait_for(pilot, lambda: not app.busy and len(app.main_screen.query(Answer)) > answers, "the answer")
    await settle(pilot)


async def settle(pilot: Pilot[Any]) -> None:
    """Waits for the background renders (file tabs) to land."""
    await wait_for_workers(pilot.app)
    await pilot.pause(0.1)


def code(app: CopilotApp, tab: str) -> str:
    return app.query_one(f"#code-{tab}", CodeView).content


def answers(app: CopilotApp) -> list[str]:
    return [answer.text for answer in app.main_screen.query(Answer)]


def chat_notes(app: CopilotApp) -> list[str]:
    return [str(note.content) for note in app.main_screen.query(".note").results(Static)]


def notifications(app: CopilotApp) -> list[tuple[str, str]]:
    return [(n.message, n.severity) for n in app._notifications]


class TestAsk:
    def test_a_verified_policy_is_shown_with_its_evidence(self) -> None:
        async def scenario() -> None:
            app = chat_app(GOOD)
            async with app.run_test(size=SIZE) as pilot:
                await ask(pilot, "require an owner label on deployments")
                text = answers(app)[-1]
                assert text.startswith("**Verified** `require-owner-label` — Require an owner label")
                assert "coverage 100%" in text
                assert code(app, "rego") == OWNER_REGO
                assert code(app, "tests") == OWNER_TESTS
                assert "# without-owner: expected deny" in code(app, "fixtures")
                assert "kind: ConstraintTemplate" in code(app, "constraint")
                assert "package main" in code(app, "conftest")
                checks = app.query_one("#checks", RowTable)
                assert checks.rows and all(row.result in ("ok", "skip") for row in checks.rows)
                assert {"gator-verify", "opa-test"} <= {row.name for row in checks.rows}
                assert app.header.policy == "require-owner-label"
                block = app.query_one(ProgressBlock)
                assert [line for line, _ in block.lines][-2:] == [
                    "… verify round 1: 2/2 fixtures pass, 10/10 checks — green",
                    "✔ verified: 10/10 checks, 2/2 fixtures, coverage 100%",
                ]

        run(scenario)

    def test_a_failure_row_shows_its_detail(self) -> None:
        async def scenario() -> None:
            app = chat_app(BROKEN)
            async with app.run_test(size=SIZE) as pilot:
                await ask(pilot, "require an owner label on deployments")
                assert answers(app)[-1].startswith("**Not verified**")
                assert (
                    "The policy did not pass verification; see the Checks tab.",
                    "warning",
                ) in notifications(app)
                app.pane.select("checks")
                table = app.query_one("#checks", RowTable)
                # The cursor starts on the first failure; its detail is under the table.
                detail = str(table.query_one(".detail-text", Static).content)
                first_failure = next(row for row in table.rows if row.failed)
                assert detail == first_failure.detail
                # Keyboard only: tab from the input to the tabs, tab into the table, move down.
                await pilot.press("tab", "tab")
                grid = table.query_one(DataTable)
                assert app.focused is grid
                start = grid.cursor_row
                await pilot.press("down")
                assert grid.cursor_row == start + 1
                shown = str(table.query_one(".detail-text", Static).content)
                assert shown == table.rows[start + 1].detail

        run(scenario)


class TestRepair:
    def test_a_repair_round_is_visible_with_its_diff(self) -> None:
        async def scenario() -> None:
            model = MockModel([BROKEN, GOOD], model_id="scripted")
            app = chat_app(model=model, max_rounds=2)
            async with app.run_test(size=SIZE) as pilot:
                await ask(pilot, "require an owner label on deployments")
                lines = [line for line, _ in app.query_one(ProgressBlock).lines]
                assert lines[0].startswith("… verify round 1: 0/2 fixtures pass")
                assert lines[1].startswith("… repairing: round 2")
                assert lines[2].startswith("… verify round 2: 2/2 fixtures pass") and lines[2].endswith(
                    "green"
                )
                assert (
                    answers(app)[-1].startswith("**Verified**")
                    and "after 1 repair round." in answers(app)[-1]
                )
                # The repair turn carried the failures back to the model.
                repair_turn = model.history[-1].turn
                assert repair_turn is not None and repair_turn.phase == "repair" and repair_turn.failures
                history = app.session.history
                assert [v.label for v in history.versions] == ["turn 1, round 1", "turn 1, round 2"]
                assert history.versions[0].report is not None and not history.versions[0].report.ok
                diff = code(app, "diff")
                assert "-\t_has_owner(obj)" in diff and "+\tnot _has_owner(obj)" in diff
                await pilot.press("tab")  # from the input to the policy tabs
                await pilot.press(*["right"] * 6)
                assert app.query_one("#policy-tabs", TabbedContent).active == "tab-diff"
                title = str(app.pane.query_one("#policy-title", Static).content)
                assert title.startswith("v2 · turn 1, round 2 · verified")

        run(scenario)

    def test_a_follow_up_refines_on_the_same_thread(self) -> None:
        async def scenario() -> None:
            refined = {
                **OWNER_DRAFT,
                "title": "Require an owner label (apps)",
                "src_rego": OWNER_REGO.replace(
                    "an empty value names nobody", "an empty or missing value names nobody"
                ),
            }
            app = chat_app(GOOD, {"tool": "submit_policy", "arguments": refined})
            async with app.run_test(size=SIZE) as pilot:
                await ask(pilot, "require an owner label on deployments")
                thread = app.session.thread_id
                await ask(pilot, "reword the comment")
                assert app.session.thread_id == thread
                assert "Require an owner label (apps)" in answers(app)[-1]
                assert "+# Every workload names the team that answers for it; an empty or missing" in code(
                    app, "diff"
                )
                assert app.session.current is not None and app.session.current.label == "turn 2, round 1"

        run(scenario)


class TestSave:
    def test_save_then_confirm_before_overwriting(self, tmp_path: Path) -> None:
        out = tmp_path / "bundle"

        async def scenario() -> None:
            app = chat_app(GOOD)
            async with app.run_test(size=SIZE) as pilot:
                await ask(pilot, "require an owner label on deployments")
                await type_line(pilot, f"/save {out}")
                await wait_for(pilot, lambda: (out / "report.json").is_file(), "the saved bundle")
                await settle(pilot)
                assert (out / "template.yaml").is_file() and (
                    out / "conftest" / "policy" / "main.rego"
                ).is_file()
                assert yaml.safe_load((out / "constraint.yaml").read_text())["kind"] == "K8sRequireOwnerLabel"
                (out / "marker").write_text("mine")

                # Saving again asks first; "n" leaves the folder alone.
                await type_line(pilot, f"/save {out}")
                await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen), "the overwrite question")
                await pilot.press("n")
                await settle(pilot)
                assert (out / "marker").read_text() == "mine"
                assert not isinstance(app.screen, ConfirmScreen)

                # ctrl+s asks where, then asks about overwriting; "y" replaces the folder.
                await pilot.press("ctrl+s")
                await wait_for(pilot, lambda: isinstance(app.screen, AskPathScreen), "the folder prompt")
                field = app.screen.query_one(Input)
                assert field.value == "out/require-owner-label"
                field.value = str(out)
                await pilot.press("enter")
                await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen), "the overwrite question")
                await pilot.press("y")
                await wait_for(pilot, lambda: not (out / "marker").exists(), "the overwrite")
                await settle(pilot)
                assert (out / "src.rego").read_text().startswith("package k8srequireownerlabel")
                notes = chat_notes(app)
                assert notes[-1] == f"saved require-owner-label (verified) to {out}/"

        run(scenario)

    def test_save_without_a_policy_says_so(self) -> None:
        async def scenario() -> None:
            app = chat_app()
            async with app.run_test(size=SIZE) as pilot:
                await type_keys(pilot, "/save out/x")
                await pilot.pause(0.1)
                assert any("there is no policy yet" in m for m, s in notifications(app) if s == "error")

        run(scenario)


class TestScan:
    def test_scan_lists_what_the_policy_would_deny(self, tmp_path: Path) -> None:
        manifests = tmp_path / "manifests"
        manifests.mkdir()
        (manifests / "web.yaml").write_text(yaml.safe_dump(deployment("web", {"owner": "pay"})))
        (manifests / "batch.yaml").write_text(
            yaml.safe_dump_all([deployment("worker", {"app": "worker"}), deployment("cron", {})])
        )

        refined = {**OWNER_DRAFT, "title": "Require an owner label (refined)"}

        async def scenario() -> None:
            app = chat_app(GOOD, {"tool": "submit_policy", "arguments": refined})
            async with app.run_test(size=SIZE) as pilot:
                await ask(pilot, "require an owner label on deployments")
                await type_line(pilot, f"/scan {manifests}")
                impact = app.query_one("#impact", RowTable)
                await wait_for(pilot, lambda: bool(impact.rows), "the impact preview")
                assert [(r.result, r.name) for r in impact.rows] == [
                    ("deny", "Deployment shop/worker"),
                    ("deny", "Deployment shop/cron"),
                    ("allow", "Deployment shop/web"),
                ]
                assert 'label "owner" is missing or empty' in impact.rows[0].summary
                assert app.query_one("#policy-tabs", TabbedContent).active == "tab-impact"
                notes = chat_notes(app)
                assert (
                    notes[-1]
                    == f"impact of require-owner-label v1: would deny 2 of 3 objects in 2 files under {manifests}"
                )

                await type_line(pilot, f"/explain {manifests / 'batch.yaml'}")
                await wait_for(
                    pilot, lambda: "**require-owner-label** on" in answers(app)[-1], "the explanation"
                )
                assert "`Deployment shop/worker`" in answers(app)[-1] and "**deny**" in answers(app)[-1]

        run(scenario)


class TestErrors:
    def test_scan_of_a_missing_folder_is_a_notification(self, tmp_path: Path) -> None:
        async def scenario() -> None:
            app = chat_app(GOOD)
            async with app.run_test(size=SIZE) as pilot:
                await ask(pilot, "require an owner label on deployments")
                await type_line(pilot, f"/scan {tmp_path / 'nowhere'}")
                await wait_for(pilot, lambda: any(s == "error" for _, s in notifications(app)), "the error")
                assert any("no such file or folder" in m for m, s in notifications(app) if s == "error")
                # Still alive and usable.
                await type_keys(pilot, "/help")
                assert isinstance(app.screen, HelpScreen)

        run(scenario)

    def test_a_provider_error_is_shown_and_the_conversation_goes_on(self) -> None:
        async def scenario() -> None:
            app = chat_app({"error": "simulated outage"}, GOOD)
            async with app.run_test(size=SIZE) as pilot:
                await type_line(pilot, "require an owner label on deployments")
                await wait_for(pilot, lambda: not app.busy and bool(notifications(app)), "the failure")
                assert ("simulated outage", "error") in notifications(app)
                assert app.query_one(ProgressBlock).lines[-1] == ("✘ failed: simulated outage", True)
                await ask(pilot, "require an owner label on deployments")
                assert answers(app)[-1].startswith("**Verified**")

        run(scenario)

    def test_bad_commands_are_notifications(self) -> None:
        async def scenario() -> None:
            app = chat_app()
            async with app.run_test(size=SIZE) as pilot:
                for line in ("/frobnicate", "/target kyverno", "/provider nosuch", "/explain"):
                    await type_keys(pilot, line)
                await pilot.pause(0.1)
                errors = [m for m, s in notifications(app) if s == "error"]
                assert errors[0].startswith("unknown command /frobnicate")
                assert errors[1].startswith("unknown target 'kyverno'")
                assert errors[2].startswith("'nosuch' is not a known provider")
                assert errors[3].startswith("/explain needs FILE")
                assert app.is_running

        run(scenario)


class TestEval:
    def test_an_eval_suite_runs_from_the_chat(self, tmp_path: Path) -> None:
        suite = tmp_path / "owner.yaml"
        suite.write_text(
            yaml.safe_dump(
                {
                    "suite": "owner",
                    "description": "A scripted case: the mock answers with the owner-label policy.",
                    "cases": [
                        {
                            "id": "owner-label",
                            "request": "require an owner label on deployments",
                            "mock_script": [GOOD],
                            "manifests": [
                                {
                                    "name": "no-owner",
                                    "verdict": "deny",
                                    "object": deployment("a", {"app": "a"}),
                                },
                                {
                                    "name": "owner",
                                    "verdict": "allow",
                                    "object": deployment("b", {"owner": "x"}),
                                },
                            ],
                        }
                    ],
                }
            )
        )

        async def scenario() -> None:
            app = chat_app()
            async with app.run_test(size=SIZE) as pilot:
                await type_line(pilot, f"/eval {suite}")
                await wait_for(pilot, lambda: not app.busy and bool(answers(app)), "the eval report")
                report = answers(app)[-1]
                assert "kpc eval: 1/1 cases met their expectation" in report
                assert "verdict accuracy   100.0% (2/2)" in report
                lines = [line for line, _ in app.query_one(ProgressBlock).lines]
                assert lines == ["ok owner/owner-label: verified, 2/2 right"]

                await type_line(pilot, f"/eval {tmp_path / 'missing.yaml'}")
                await wait_for(pilot, lambda: not app.busy and bool(notifications(app)), "the error")
                assert [s for _, s in notifications(app)] == ["error"]

        run(scenario)


class GatedModel(MockModel):
    """A deliberately slow provider: each call waits until the test opens the gate."""

    def __init__(self, *replies: Any) -> None:
        super().__init__(list(replies), model_id="slow")
        self.entered = threading.Event()
        self.gate = threading.Event()

    def execute(self, request: ChatRequest, on_text: TextCallback | None) -> ChatResponse:
        self.entered.set()
        self.gate.wait(timeout=TIMEOUT)
        return super().execute(request, on_text)


class TestResponsive:
    def test_the_ui_answers_while_the_agent_works(self) -> None:
        async def scenario() -> None:
            model = GatedModel(GOOD)
            app = chat_app(model=model)
            async with app.run_test(size=SIZE) as pilot:
                try:
                    await type_line(pilot, "require an owner label on deployments")
                    await wait_for(pilot, model.entered.is_set, "the model call")
                    assert app.busy and app.activity.busy
                    # Typing works while the worker runs...
                    await pilot.press("h", "e", "l", "l", "o")
                    assert app.prompt.value == "hello"
                    await pilot.press(*["backspace"] * 5)
                    # ...a second request is refused politely instead of queueing behind the first...
                    await type_line(pilot, "another request")
                    assert any("still running" in m for m, _ in notifications(app))
                    # ...and commands work: /help opens over the running request.
                    await type_keys(pilot, "/help")
                    assert isinstance(app.screen, HelpScreen) and app.busy
                finally:
                    model.gate.set()
                # The answer lands on the chat screen underneath the open help.
                await wait_for(pilot, lambda: not app.busy, "the answer")
                await settle(pilot)
                assert isinstance(app.screen, HelpScreen)
                await pilot.press("escape")
                assert not isinstance(app.screen, HelpScreen)
                assert answers(app)[-1].startswith("**Verified**")
                assert code(app, "rego") == OWNER_REGO

        run(scenario)

    def test_esc_cancels_the_running_request(self) -> None:
        async def scenario() -> None:
            model = GatedModel(GOOD)
            app = chat_app(model=model)
            async with app.run_test(size=SIZE) as pilot:
                try:
                    await type_line(pilot, "require an owner label on deployments")
                    await wait_for(pilot, model.entered.is_set, "the model call")
                    await pilot.press("escape")
                    assert "cancelling" in app.activity.step
                finally:
                    model.gate.set()
                await wait_for(pilot, lambda: not app.busy, "the cancellation")
                assert answers(app)[-1].startswith("**Cancelled.**")
                assert app.session.current is None  # nothing half-done became the policy
                assert app.query_one(ProgressBlock).lines[-1] == ("✘ cancelled", True)

        run(scenario)


class TestSessionCommands:
    def test_target_provider_and_new(self) -> None:
        async def scenario() -> None:
            app = chat_app(GOOD)
            async with app.run_test(size=SIZE) as pilot:
                await type_keys(pilot, "/target gatekeeper")
                assert app.session.target == "gatekeeper" and app.header.target == "gatekeeper"
                await ask(pilot, "require an owner label on deployments")
                assert "no conftest variant" in code(app, "conftest")
                await type_keys(pilot, "/provider offline")
                assert app.header.provider == "offline" and app.session.model.provider == "offline"
                thread = app.session.thread_id
                await pilot.press("ctrl+n")
                assert app.session.thread_id != thread and app.session.current is None
                assert code(app, "rego") == "" and app.header.policy == ""
                assert len(app.query_one(ChatLog).children) == 1  # only "new conversation"
                await pilot.press("f1")
                assert isinstance(app.screen, HelpScreen)
                await pilot.press("f1")
                assert not isinstance(app.screen, HelpScreen)

        run(scenario)

    def test_typing_anywhere_goes_to_the_chat_input(self) -> None:
        async def scenario() -> None:
            app = chat_app()
            async with app.run_test(size=SIZE) as pilot:
                await pilot.press("tab")
                assert app.focused is not app.prompt
                await type_keys(pilot, "/target conftest")
                assert app.focused is app.prompt and app.session.target == "conftest"

        run(scenario)

    def test_input_history_with_up_and_down(self) -> None:
        async def scenario() -> None:
            app = chat_app()
            async with app.run_test(size=SIZE) as pilot:
                await type_keys(pilot, "/target conftest")
                await type_keys(pilot, "/target both")
                prompt = app.prompt
                await pilot.press("x", "up")
                assert prompt.value == "/target both"
                await pilot.press("up", "up")
                assert prompt.value == "/target conftest"
                await pilot.press("down", "down")
                assert prompt.value == "x"

        run(scenario)


def test_make_app_builds_the_named_provider_and_target() -> None:
    app = make_app(provider="offline", target="conftest")
    assert app.session.model.provider == "offline" and app.session.target == "conftest"
    with pytest.raises(InputError, match="unknown target"):
        make_app(provider="offline", target="kyverno")
