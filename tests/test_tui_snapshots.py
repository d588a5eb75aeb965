"""Screenshots of `kpc chat` at a fixed 120x40 terminal, compared with the accepted SVGs in __snapshots__/.

The scenarios (the scripted policy, the helpers) are those of test_tui_app.py, which
pytest puts on the import path as a sibling module. Update them with
`pytest tests/test_tui_snapshots.py --snapshot-update` after a deliberate change, and look
at the new SVGs before accepting them. The screens hold no timestamps, temp paths or
timings, and every screenshot waits until nothing is left to render (workers done,
Markdown parsed, file tabs filled, chat scrolled to the end), so they are the same on
every run, however busy the machine.
"""

from __future__ import annotations

import time
from typing import Any

from test_tui_app import BROKEN, GOOD, chat_app, settle, type_keys, type_line
from textual.pilot import Pilot
from textual.widgets import Markdown

from copilot.llm.mock import MockModel
from copilot.tui.app import CopilotApp
from copilot.tui.widgets.chat.log import Answer
from copilot.tui.widgets.policy.code import CodeView

SIZE = (120, 40)
REQUEST = "require an owner label on deployments"


async def steady(pilot: Pilot[Any]) -> None:
    """A still cursor: a blinking one would be on in one screenshot and off in the next."""
    app = pilot.app
    assert isinstance(app, CopilotApp)
    await pilot.pause()  # the screen is composed before anything is looked up
    app.prompt.cursor_blink = False


def _rendered(app: CopilotApp) -> bool:
    """Whether every background render has landed on screen."""
    if any(not md.children for screen in (app.main_screen, app.screen) for md in screen.query(Markdown)):
        return False  # Markdown parses and mounts its blocks asynchronously
    current = app.session.current
    return current is None or app.query_one("#code-rego", CodeView).content == current.draft.src_rego


async def quiet(pilot: Pilot[Any]) -> None:
    """Waits until the screen has nothing left to draw, then pins the chat to its end."""
    app = pilot.app
    assert isinstance(app, CopilotApp)
    deadline = time.monotonic() + 60
    await settle(pilot)
    while not _rendered(app):
        assert time.monotonic() < deadline, "the screen did not settle within 60s"
        await pilot.pause(0.05)
    app.chat.scroll_end(animate=False)
    await pilot.pause()


async def answered(pilot: Pilot[Any], request: str = REQUEST) -> None:
    """Sends `request` and waits for the answer and the rendered policy tabs."""
    app = pilot.app
    assert isinstance(app, CopilotApp)
    await steady(pilot)
    await type_line(pilot, request)
    deadline = time.monotonic() + 120
    while app.busy or not app.main_screen.query(Answer):
        assert time.monotonic() < deadline, "no answer within 120s"
        await pilot.pause(0.05)
    await quiet(pilot)


class TestInitialScreen:
    def test_initial_screen(self, snap_compare: Any) -> None:
        assert snap_compare(chat_app(), terminal_size=SIZE, run_before=steady)

    def test_help_screen(self, snap_compare: Any) -> None:
        async def open_help(pilot: Pilot[Any]) -> None:
            await steady(pilot)
            await type_keys(pilot, "/help")
            await quiet(pilot)

        assert snap_compare(chat_app(), terminal_size=SIZE, run_before=open_help)


class TestAfterAnswers:
    def test_after_a_verified_answer(self, snap_compare: Any) -> None:
        assert snap_compare(chat_app(GOOD), terminal_size=SIZE, run_before=answered)

    def test_diff_after_a_repair_round(self, snap_compare: Any) -> None:
        async def repaired(pilot: Pilot[Any]) -> None:
            await answered(pilot)
            app = pilot.app
            assert isinstance(app, CopilotApp)
            app.pane.select("diff")
            await quiet(pilot)

        app = chat_app(model=MockModel([BROKEN, GOOD], model_id="scripted"), max_rounds=2)
        assert snap_compare(app, terminal_size=SIZE, run_before=repaired)

    def test_checks_of_a_failed_attempt(self, snap_compare: Any) -> None:
        async def failed(pilot: Pilot[Any]) -> None:
            await answered(pilot)
            app = pilot.app
            assert isinstance(app, CopilotApp)
            app.clear_notifications()  # the "did not pass" toast is covered by the Pilot tests
            app.pane.select("checks")
            await quiet(pilot)

        assert snap_compare(chat_app(BROKEN), terminal_size=SIZE, run_before=failed)
