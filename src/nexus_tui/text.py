"""Making user and GitHub text safe to show, and small formatting helpers shared by the screens.

Pure functions: no Textual here. Widgets wrap the result in `Content`/`Text` objects, never in
markup strings, so "[bold]" in a note title is shown as typed.
"""

from __future__ import annotations

import re
from datetime import date, datetime

# C0 controls except tab and newline, DEL, and C1 controls: an ESC reaching the terminal could move
# the cursor, change colours or set the window title, so every one is shown as a visible symbol.
# So are the bidirectional embeddings, overrides and isolates (U+202A..U+202E, U+2066..U+2069): a
# terminal that lays out right-to-left text would reverse the rest of the row with them, the
# screen's borders included. Right-to-left letters themselves are text and stay.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_LINE_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    # U+2400..U+241F are the "control pictures" for C0, U+2421 is DEL's; C1 and the bidirectional
    # controls have none, so "�".
    if code < 0x20:
        return chr(0x2400 + code)
    return "\u2421" if code == 0x7F else "\ufffd"


def safe_text(text: str) -> str:
    """The text with control characters (escape sequences included) made visible and harmless.

    Character for character: positions in the result are positions in `text`."""
    return _CONTROL.sub(_visible, text)


def safe_line(text: str) -> str:
    """Like `safe_text`, with newlines and tabs made visible too: for a box one line high, where
    the text is kept as it is and only its look changes (character for character)."""
    return _LINE_CONTROL.sub(_visible, text)


def one_line(text: str, limit: int = 200) -> str:
    """A single safe line for a list row: newlines and tabs become spaces, long text is cut."""
    line = safe_text(" ".join(text.split()))
    return line if len(line) <= limit else line[: limit - 1] + "…"


def age(moment: datetime, now: datetime) -> str:
    """'just now', '5 min ago', '3 h ago', '2 days ago', or the date when older than a month."""
    seconds = (now - moment).total_seconds()
    if seconds < 60:
        return "just now"
    if seconds < 3600:
        return f"{int(seconds // 60)} min ago"
    if seconds < 86400:
        return f"{int(seconds // 3600)} h ago"
    days = int(seconds // 86400)
    if days < 31:
        return "1 day ago" if days == 1 else f"{days} days ago"
    return moment.date().isoformat()


def due_label(day: date | None, today: date) -> str:
    """How a sync-up date reads next to a person: 'due today', 'overdue 3 days', 'in 5 days'."""
    if day is None:
        return "no sync-up planned"
    delta = (day - today).days
    if delta == 0:
        return "due today"
    if delta < 0:
        return "overdue 1 day" if delta == -1 else f"overdue {-delta} days"
    return "tomorrow" if delta == 1 else f"in {delta} days"


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~])")


def markdown_literal(text: str) -> str:
    """One line of user text to place inside markdown (a heading, a list item) and show as typed."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", one_line(text))
