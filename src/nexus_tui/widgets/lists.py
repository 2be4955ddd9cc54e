"""The list widgets every screen uses, with the app's one key convention (j/k, g/G) added."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text, TextType
from textual.binding import Binding
from textual.geometry import Region
from textual.strip import Strip
from textual.widgets import OptionList, Tree
from textual.widgets.option_list import OptionDoesNotExist

if TYPE_CHECKING:
    from textual.css.styles import RenderStyles

# The keys of the line-drawn lists (NoteList, ResultList): a row cursor that the arrows, vi keys,
# pages and ends move. Hidden from the footer, like every key that moves a cursor.
ROW_KEYS = [
    Binding("up,k", "cursor_up", "Up", show=False),
    Binding("down,j", "cursor_down", "Down", show=False),
    Binding("pageup", "page_up", "Page up", show=False),
    Binding("pagedown", "page_down", "Page down", show=False),
    Binding("home,g", "first", "Top", show=False),
    Binding("end,G", "last", "Bottom", show=False),
]

# Hidden from the footer: they mirror the arrow keys, which need no explaining.
_VI_TREE_KEYS = [
    Binding("j", "cursor_down", "Down", show=False),
    Binding("k", "cursor_up", "Up", show=False),
    Binding("g", "scroll_home", "Top", show=False),
    Binding("G", "scroll_end", "Bottom", show=False),
]


class KeyTree(Tree):
    BINDINGS = _VI_TREE_KEYS

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._in_bulk = False
        self._pass_style: Style | None = None
        self._pass_component_styles: dict[tuple[str, ...], RenderStyles] | None = None

    @contextmanager
    def bulk_changes(self) -> Iterator[None]:
        """Add or remove many nodes, with the tree's caches cleared and its layout refreshed once
        at the end rather than once for each node (half the cost of 1,000 topics)."""
        self._in_bulk = True
        try:
            yield
        finally:
            self._in_bulk = False
            self._invalidate()

    def _invalidate(self) -> None:
        if not self._in_bulk:
            super()._invalidate()

    def get_label_width(self, node) -> int:
        # Tree sizes its scroll area by measuring every line, and measures a line by rendering
        # its label whole (a copy, styles, an assembled Text); it does so after every resize and
        # restyle: 10 ms each time at 1,000 topics. The width is the label's and its icon's.
        label = node.label
        width = label.cell_len if isinstance(label, Text) else cell_len(str(label))
        if node.allow_expand:
            width += cell_len(self.ICON_NODE_EXPANDED if node.is_expanded else self.ICON_NODE)
        return width

    def render_lines(self, crop: Region) -> list[Strip]:
        # Tree asks for its own style once per line, each time a walk up to the screen blending
        # the backgrounds on the way (a third of drawing a line); it is one style for a pass.
        # So are the styles of its parts (guides, label), asked for three times a line.
        self._pass_style = self.rich_style
        self._pass_component_styles = {}
        try:
            return super().render_lines(crop)
        finally:
            self._pass_style = None
            self._pass_component_styles = None

    def get_component_styles(self, *names: str) -> RenderStyles:
        styles = self._pass_component_styles
        if styles is None:
            return super().get_component_styles(*names)
        if names not in styles:
            styles[names] = super().get_component_styles(*names)
        return styles[names]

    def render_line(self, y: int) -> Strip:
        style = self._pass_style
        if style is None:
            return super().render_line(y)
        scroll_x, scroll_y = self.scroll_offset
        return self._render_line(y + scroll_y, scroll_x, scroll_x + self.size.width, style)

    def process_label(self, label: TextType) -> Text:
        # A plain string is shown as it is: Tree would read it as Rich markup, which also loads
        # Rich's table of emoji codes (3 ms of the start, for the root's name).
        if isinstance(label, str):
            label = Text(label)
        # Labels made by the screens are one line already: Tree would copy each one to cut it at
        # its first line break (a tenth of the cost of adding a node, 1,000 topics at start).
        if "\n" not in label.plain:
            return label
        return super().process_label(label)


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
