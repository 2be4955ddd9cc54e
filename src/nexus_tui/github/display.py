"""Text from GitHub made safe to show: terminal escape sequences removed, other controls visible.

A run title or commit message may carry escape sequences (colours, a window title, clearing the
screen) that a terminal would obey. Whole sequences are dropped, so "\\x1b[31mred\\x1b[0m" shows
as "red"; any control character left over is shown as a visible symbol by `text.safe_text`.
Markup such as "[bold]" is untouched: the caller shows it as text (a `Content`, or plain output).
"""

from __future__ import annotations

import re

from nexus_tui.text import one_line, safe_text

_ESCAPE_SEQUENCE = re.compile(
    # CSI, as ESC [ or the 8-bit C1 byte: parameters, intermediates, a final byte.
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]"
    # OSC, DCS, SOS, PM, APC: a string up to BEL or ST (or, unterminated, up to the next ESC).
    r"|(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"
    # Any other escape: ESC, intermediates, a final byte.
    r"|\x1b[ -/]*[0-~]"
)


def shown(text: str) -> str:
    """GitHub text for display, newlines kept."""
    return safe_text(_ESCAPE_SEQUENCE.sub("", text))


def shown_line(text: str, limit: int = 200) -> str:
    """GitHub text as one line for a list row or a table cell, cut at `limit` characters."""
    return one_line(_ESCAPE_SEQUENCE.sub("", text), limit=limit)
