"""A scrollable pane that renders markdown, loading Textual's Markdown widget on first use.

The Markdown widget brings markdown-it and Pygments with it (about 80 ms of imports), so the first
screen paints its lists without waiting for them and the rendered text follows a moment later.
Short messages ("no notes yet") are plain text and never load it.
"""

from __future__ import annotations

from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

# Textual's Markdown makes widgets of every block, a few milliseconds each: a 5 MB body (a pasted
# log, say) would take many minutes to lay out. Beyond these only the start is drawn, and a line
# under it says how much is left out.
SHOWN_LINES = 500
SHOWN_CHARACTERS = 100_000


def shown_part(markdown: str) -> tuple[str, int]:
    """The start of `markdown` that is drawn, in whole lines unless the first line alone is too
    long, and how many characters are left out."""
    if len(markdown) <= SHOWN_CHARACTERS and markdown.count("\n") < SHOWN_LINES:
        return markdown, 0
    lines = markdown[:SHOWN_CHARACTERS].split("\n")
    if len(markdown) > SHOWN_CHARACTERS and len(lines) > 1:
        lines.pop()  # cut short
    part = "\n".join(lines[:SHOWN_LINES])
    return part, len(markdown) - len(part)


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
    MarkdownView > .left-out {
        color: $text-muted;
        display: none;
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.source = ""
        """The markdown or message last shown, as given."""

    # Its lines (a message, the markdown, the line under a text cut short) are made the first time
    # each is shown: every widget of the first screen delays its frame, and at start the pane is
    # empty until the first note is read.

    def show(self, markdown: str) -> None:
        from textual.widgets import Markdown

        self.source = markdown
        part, left_out = shown_part(markdown)
        self.query(".message").set(display=False)
        existing = self.query(Markdown)
        if existing:
            existing.first().update(part)
            existing.first().display = True
        else:
            # Made with the first note shown; the line under a cut text comes after it.
            self.mount(Markdown(part))
        left_out_lines = self.query(".left-out")
        if left_out:
            if left_out_lines:
                left_out_line = left_out_lines.first(Static)
            else:
                left_out_line = Static(classes="left-out")
                self.mount(left_out_line)
            left_out_line.update(
                Content(f"… and {left_out:,} more characters, too many to show here.")
            )
            left_out_line.display = True
        else:
            left_out_lines.set(display=False)
        self.scroll_home(animate=False)

    def show_message(self, message: str) -> None:
        self.source = message
        # Queried by name: importing the class here would load markdown-it for a plain message.
        self.query("Markdown").set(display=False)
        self.query(".left-out").set(display=False)
        messages = self.query(".message")
        if messages:
            message_widget = messages.first(Static)
        else:
            # Above whatever else the pane holds (hidden now, as the message is shown alone).
            message_widget = Static(classes="message")
            self.mount(message_widget, before=0 if self.children else None)
        message_widget.update(Content(message))
        message_widget.display = True
