"""A problem the app cannot work around (a damaged database, say): words, never a traceback."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static


class ErrorScreen(ModalScreen[None]):
    CSS_PATH = "error.tcss"
    # Nothing works without what failed (the database), so the only way on is out.
    BINDINGS = [Binding("q", "app.quit", "Quit", id="error-quit")]

    def __init__(self, title: str, message: str) -> None:
        super().__init__()
        self.title_text = title
        self.message = message

    def compose(self) -> ComposeResult:
        with Vertical(id="error-dialog") as dialog:
            dialog.border_title = self.title_text
            dialog.border_subtitle = "q to quit"
            yield Static(Content(self.message), id="error-message")
