"""Exports the docs screenshot of `kpc chat`: a real request answered by the offline provider.

    .venv/bin/python -m copilot.tui.screenshot docs/images/chat.svg

The app runs headless at a fixed size, the request goes through the real agent and the
real engines, and Textual writes the screen as SVG once the answer and the policy are shown.
"""

from __future__ import annotations

import asyncio
import sys
import time
from pathlib import Path

REQUEST = "deny privileged containers except in kube-system"
SIZE = (120, 40)


async def capture(target: Path, request: str = REQUEST, timeout: float = 300.0) -> Path:
    """Runs the app, asks `request`, waits for the answer and saves the screen to `target`."""
    from copilot.tui.app import make_app
    from copilot.tui.idle import wait_for_workers
    from copilot.tui.widgets.chat.log import Answer

    app = make_app(provider="offline", retrieval="keyword")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.prompt.cursor_blink = False  # a still cursor, whatever the moment of the export
        app.prompt.insert_text_at_cursor(request)
        await pilot.press("enter")
        deadline = time.monotonic() + timeout
        while app.busy or not app.main_screen.query(Answer):
            if time.monotonic() > deadline:
                raise TimeoutError(f"no answer to {request!r} within {timeout:.0f}s")
            await pilot.pause(0.1)
        await wait_for_workers(app)
        await pilot.pause(0.2)
        target.parent.mkdir(parents=True, exist_ok=True)
        app.save_screenshot(target.name, path=str(target.parent))
    return target


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    target = Path(args[0] if args else "docs/images/chat.svg")
    print(asyncio.run(capture(target)))


if __name__ == "__main__":
    main()
