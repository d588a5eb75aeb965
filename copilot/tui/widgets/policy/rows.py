"""A table of checks or scanned objects; the highlighted row's full detail shows underneath."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import DataTable, Static

from copilot.tui.rows import Row

RESULT_STYLES = {"ok": "bold #98c379", "allow": "#98c379", "skip": "dim", "warn": "bold #e5c07b"}
FAILED_STYLE = "bold #e06c75"


class RowTable(Vertical):
    """Rows with a result column; moving the cursor shows that row's detail below the table."""

    def __init__(self, columns: tuple[tuple[str, str], ...], empty: str, *, id: str | None = None) -> None:
        """`columns` are (header, Row attribute) pairs; the "result" attribute is coloured."""
        super().__init__(id=id)
        self.columns = columns
        self.empty = empty
        self.rows: list[Row] = []

    def compose(self) -> ComposeResult:
        table: DataTable[str | Text] = DataTable(cursor_type="row", zebra_stripes=True)
        table.add_columns(*(header for header, _ in self.columns))
        yield table
        with VerticalScroll(classes="detail"):
            yield Static(Text(self.empty, style="italic"), classes="detail-text", markup=False)

    def show(self, rows: list[Row]) -> None:
        """Replaces the rows; the cursor lands on the first failure, if any."""
        self.rows = rows
        table = self.query_one(DataTable)
        table.clear()
        for row in rows:
            style = FAILED_STYLE if row.failed else RESULT_STYLES.get(row.result, "")
            cells = [
                Text(getattr(row, attribute), style=style)
                if attribute == "result"
                else getattr(row, attribute)
                for _, attribute in self.columns
            ]
            table.add_row(*cells)
        first_failure = next((i for i, row in enumerate(rows) if row.failed), 0)
        if rows:
            table.move_cursor(row=first_failure)
            self._detail(rows[first_failure])
        else:
            self.query_one(".detail-text", Static).update(Text(self.empty, style="italic"))

    @on(DataTable.RowHighlighted)
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        if 0 <= event.cursor_row < len(self.rows):
            self._detail(self.rows[event.cursor_row])

    def _detail(self, row: Row) -> None:
        style = FAILED_STYLE if row.failed else ""
        self.query_one(".detail-text", Static).update(Text(row.detail, style=style))
