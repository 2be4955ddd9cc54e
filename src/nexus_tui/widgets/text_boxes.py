"""Text boxes that show control characters as visible symbols while keeping them in their value.

A note imported from a file may hold an escape sequence or a NUL in its title or body. Drawn as it
is, an ESC would reach the terminal and a newline in a one-line box would split the screen's row.
The value is left alone (saving writes back what was stored, unless the user changed it); only
what is drawn changes, one character for one, so the cursor stays on the character it is on.
"""

from __future__ import annotations

from rich.highlighter import Highlighter
from rich.text import Text
from textual.widgets import TextArea

from nexus_tui.text import safe_line, safe_text


class ControlPictures(Highlighter):
    """For `Input(highlighter=...)`: newlines, tabs and other controls drawn as symbols."""

    def highlight(self, text: Text) -> None:
        # Rich has already dropped BEL, BS, VT, FF and CR from the text it made of the value: those
        # are not drawn at all, which is as harmless.
        shown = safe_line(text.plain)
        if shown != text.plain:
            # The same length, so Rich keeps every span where it was.
            text.plain = shown


class SafeTextArea(TextArea):
    """A TextArea that draws control characters (other than tabs) as symbols."""

    def get_line(self, line_index: int) -> Text:
        # Made from the document's line rather than from TextArea's Text of it, which has lost
        # some controls already: then every column drawn is the document's column.
        return Text(safe_text(self.document.get_line(line_index)), end="", no_wrap=True)
