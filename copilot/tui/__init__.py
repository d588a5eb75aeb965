"""The interactive terminal copilot (`kpc chat`), a Textual app.

Importing this package is cheap; textual loads with copilot.tui.app, which only
`kpc chat` and the tests import:

    from copilot.tui.app import make_app
    make_app(provider="offline", target="both").run()
"""
