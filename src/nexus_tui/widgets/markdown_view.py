"""A scrollable pane that renders markdown, loading Textual's Markdown widget on first use.

The Markdown widget brings markdown-it and Pygments with it (about 80 ms of imports), so the first
screen paints its lists without waiting for them and the rendered note follows a moment later.
"""

from __future__ import annotations

from textual.containers import VerticalScroll


class MarkdownView(VerticalScroll):
    DEFAULT_CSS = """
    MarkdownView > Markdown {
        margin: 0;
        padding: 0;
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.source = ""
        """The markdown last shown, as given."""

    def show(self, markdown: str) -> None:
        from textual.widgets import Markdown

        self.source = markdown
        existing = self.query(Markdown)
        if existing:
            existing.first().update(markdown)
        else:
            self.mount(Markdown(markdown))
        self.scroll_home(animate=False)
