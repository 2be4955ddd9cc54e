"""The keys help: every key that works on the screen it was opened from, in one dialog."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

KeyRow = tuple[str, str]

# Keys handled inside the list widgets themselves, which no binding of ours describes.
MOVEMENT_KEYS: tuple[KeyRow, ...] = (
    ("j / k / ↑ / ↓", "Move"),
    ("g / G", "Top / bottom"),
    ("enter", "Open"),
    ("tab / shift+tab", "Next / previous pane"),
)


class KeysScreen(ModalScreen[None]):
    """Shows the keys given to it; escape, q or ? closes it."""

    CSS_PATH = "keys.tcss"
    BINDINGS = [
        Binding("escape,q,question_mark", "dismiss", "Close", id="close-keys"),
    ]

    def __init__(self, title: str, rows: list[KeyRow]) -> None:
        super().__init__()
        self.title_text = title
        self.rows = rows

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="keys-dialog") as dialog:
            dialog.border_title = f"Keys · {self.title_text}"
            dialog.border_subtitle = "escape to close"
            width = max(len(key) for key, _ in self.rows) + 2
            for key, description in self.rows:
                yield Static(
                    Content.assemble((key.ljust(width), "bold $text-accent"), description),
                    classes="key-row",
                )
