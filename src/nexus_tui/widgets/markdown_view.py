"""A scrollable pane that renders markdown, loading Textual's Markdown widget on first use.

The Markdown widget brings markdown-it and Pygments with it (about 80 ms of imports), so the first
screen paints its lists without waiting for them and the rendered text follows a moment later.
Short messages ("no notes yet") are plain text and never load it.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static


class MarkdownView(VerticalScroll):
    DEFAULT_CSS = """
    MarkdownView > Markdown {
        margin: 0;
        padding: 0;
    }
    MarkdownView > .message {
        color: $text-muted;
        padding: 1 0;
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.source = ""
        """The markdown or message last shown, as given."""

    def compose(self) -> ComposeResult:
        yield Static(classes="message")

    def show(self, markdown: str) -> None:
        from textual.widgets import Markdown

        self.source = markdown
        self.query_one(".message").display = False
        existing = self.query(Markdown)
        if existing:
            existing.first().update(markdown)
            existing.first().display = True
        else:
            self.mount(Markdown(markdown))
        self.scroll_home(animate=False)

    def show_message(self, message: str) -> None:
        self.source = message
        # Queried by name: importing the class here would load markdown-it for a plain message.
        self.query("Markdown").set(display=False)
        message_widget = self.query_one(".message", Static)
        message_widget.update(Content(message))
        message_widget.display = True
