"""The list widgets every screen uses, with the app's one key convention (j/k, g/G) added."""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import OptionList, Tree
from textual.widgets.option_list import OptionDoesNotExist

# Hidden from the footer: they mirror the arrow keys, which need no explaining.
_VI_TREE_KEYS = [
    Binding("j", "cursor_down", "Down", show=False),
    Binding("k", "cursor_up", "Up", show=False),
    Binding("g", "scroll_home", "Top", show=False),
    Binding("G", "scroll_end", "Bottom", show=False),
]


class KeyTree(Tree):
    BINDINGS = _VI_TREE_KEYS


class KeyOptionList(OptionList):
    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
        Binding("g", "first", "Top", show=False),
        Binding("G", "last", "Bottom", show=False),
    ]

    def highlight_id(self, option_id: str) -> bool:
        """Move the highlight to the option with this id; False when there is none."""
        try:
            self.highlighted = self.get_option_index(option_id)
        except OptionDoesNotExist:
            return False
        return True
