"""Containers that only hold other widgets and are covered by them."""

from textual.containers import Horizontal, Vertical


class Row(Horizontal):
    """A Horizontal its children fill, so it draws nothing of its own.

    Textual works out every row of a container's background on its own (about 1 ms for a
    screen-high one, at the first frame); a blank widget is one blank line repeated. Not for a
    box with a border, padding or room its children leave free: those would not be drawn.
    """

    BLANK = True


class Column(Vertical):
    """A Vertical its children fill, so it draws nothing of its own (see `Row`)."""

    BLANK = True
