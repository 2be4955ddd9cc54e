"""A yes/no question before anything that deletes; answers True (confirm) or False."""

from __future__ import annotations

from collections.abc import Callable

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Static


class ConfirmScreen(ModalScreen[bool]):
    CSS_PATH = "confirm.tcss"
    BINDINGS = [
        Binding("escape,n", "answer(False)", "Cancel", id="confirm-cancel"),
        Binding("y", "answer(True)", "Confirm", id="confirm-yes"),
    ]

    def __init__(self, title: str, question: str, confirm: str = "Confirm") -> None:
        super().__init__()
        self.title_text = title
        self.question = question
        self.confirm_label = confirm

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-dialog") as dialog:
            dialog.border_title = self.title_text
            yield Static(Content(self.question), id="confirm-question")
            with Horizontal(id="confirm-buttons"):
                yield Button("Cancel (n)", id="cancel")
                yield Button(f"{self.confirm_label} (y)", id="confirm", variant="error")

    def on_mount(self) -> None:
        self.query_one("#cancel", Button).focus()

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)

    @on(Button.Pressed)
    def pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "confirm")


def ask_to_discard(screen: ModalScreen, discard: Callable[[], object]) -> None:
    """Ask whether to throw away what was typed in `screen`; `discard()` when the answer is yes."""

    def answered(yes: bool | None) -> None:
        if yes:
            discard()

    screen.app.push_screen(
        ConfirmScreen("Discard your changes?", "What you typed here is lost.", "Discard"),
        answered,
    )
