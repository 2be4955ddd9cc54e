"""Baseline for start-up figures: the smallest Textual app (header, footer, label)."""

from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import BindingType
from textual.widgets import Footer, Header, Label


class BareApp(App[None]):
    BINDINGS: ClassVar[list[BindingType]] = [("q", "quit", "Quit")]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Label("bare app ready")
        yield Footer()


if __name__ == "__main__":
    BareApp().run()
