"""The right-hand pane: the current policy, file by file, with its checks, diff and scan impact."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static, TabbedContent, TabPane

from copilot.tui.rows import Row
from copilot.tui.widgets.policy.code import CodeView
from copilot.tui.widgets.policy.rows import RowTable

NO_POLICY = "No policy yet. Ask for one in the chat, e.g. “deny privileged containers except in kube-system”."

# tab id -> (tab label, file name for colouring, text shown while empty)
FILE_TABS: dict[str, tuple[str, str, str]] = {
    "rego": ("Rego", "src.rego", NO_POLICY),
    "tests": ("Tests", "src_test.rego", "The policy's unit tests (opa test) appear here."),
    "fixtures": ("Fixtures", "fixtures.yaml", "The deny/allow fixtures appear here."),
    "constraint": ("Constraint", "constraint.yaml", "The Constraint and its ConstraintTemplate appear here."),
    "conftest": ("Conftest", "main.rego", "The conftest variant (package main) appears here."),
}


class PolicyPane(Vertical):
    """A title line over tabs. The app fills it through `show_files`, `show_checks`, `show_diff`, `show_impact`."""

    def compose(self) -> ComposeResult:
        yield Static("no policy", id="policy-title", markup=False)
        with TabbedContent(id="policy-tabs"):
            for tab_id, (label, filename, empty) in FILE_TABS.items():
                with TabPane(label, id=f"tab-{tab_id}"):
                    yield CodeView(filename, empty, id=f"code-{tab_id}")
            with TabPane("Checks", id="tab-checks"):
                yield RowTable(
                    (("result", "result"), ("check or fixture", "name"), ("summary", "summary")),
                    "The verification report (every check and fixture) appears here.",
                    id="checks",
                )
            with TabPane("Diff", id="tab-diff"):
                yield CodeView(
                    "changes.diff",
                    "After a repair round or a refinement, the changes to the previous version appear here.",
                    id="code-diff",
                )
            with TabPane("Impact", id="tab-impact"):
                yield RowTable(
                    (("verdict", "result"), ("object", "name"), ("where", "kind"), ("message", "summary")),
                    "/scan PATH lists what the current policy would deny in a folder of manifests.",
                    id="impact",
                )

    def show_title(self, title: str) -> None:
        self.query_one("#policy-title", Static).update(title)

    def show_files(self, files: dict[str, str]) -> None:
        """`files` maps tab ids (rego, tests, fixtures, constraint, conftest) to their text."""
        for tab_id in FILE_TABS:
            self.query_one(f"#code-{tab_id}", CodeView).content = files.get(tab_id, "")

    def show_checks(self, rows: list[Row]) -> None:
        self.query_one("#checks", RowTable).show(rows)

    def show_diff(self, diff: str) -> None:
        self.query_one("#code-diff", CodeView).content = diff

    def show_impact(self, rows: list[Row]) -> None:
        self.query_one("#impact", RowTable).show(rows)
        self.select("impact")

    def clear_impact(self) -> None:
        self.query_one("#impact", RowTable).show([])

    def select(self, tab_id: str) -> None:
        self.query_one(TabbedContent).active = f"tab-{tab_id}"

    def clear(self) -> None:
        self.show_title("no policy")
        self.show_files({})
        self.show_checks([])
        self.show_diff("")
        self.clear_impact()
        self.select("rego")
