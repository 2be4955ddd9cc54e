"""Search results, two lines each, drawn line by line.

An `OptionList` measures every option by wrapping its text before it can draw one: for fifty
results that was about 10 ms after each key typed, and drawing them 25 ms more. Here every result
is exactly two lines (kind and title; the snippet), cut to the width, and only the lines on screen
are drawn (Textual's line API), so showing new results costs next to nothing.

Styles (rows, cursor, hover) are in the search dialog's `.tcss`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import events
from textual.binding import Binding, BindingType
from textual.content import Content, Span
from textual.geometry import Region, Size, clamp
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from nexus_tui.store.records import SearchResult
from nexus_tui.text import one_line, safe_text
from nexus_tui.widgets.lists import ROW_KEYS

if TYPE_CHECKING:
    from textual.style import Style

KIND_WORDS = {"topic": "Topic", "note": "Note", "challenge": "Challenge", "collaborator": "Person"}
LINES_PER_RESULT = 2


def title_line(result: SearchResult) -> Content:
    return Content.assemble(
        (f"{KIND_WORDS.get(result.kind, result.kind):<10}", "dim"), (one_line(result.title), "bold")
    )


def snippet_line(result: SearchResult) -> Content:
    # Character for character (safe_text swaps each control character for one symbol), so the
    # highlight offsets still point at the matched words.
    snippet = safe_text(result.snippet.replace("\n", " ").replace("\t", " "))
    # Under the title, past the kind's column.
    indent = 10
    spans = [
        Span(indent + start, indent + end, "bold $text-accent")
        for start, end in result.highlights
        if 0 <= start < end <= len(snippet)
    ]
    return Content(" " * indent + snippet, spans)


class ResultList(ScrollView, can_focus=True):
    """The results of one search; `show` replaces them. Enter or a click selects one."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "result-list--row",
        "result-list--cursor",
        "result-list--hover",
    }
    BINDINGS: ClassVar[list[BindingType]] = [
        *ROW_KEYS,
        Binding("enter", "select", "Open", show=False),
    ]

    class Selected(Message):
        def __init__(self, result_list: ResultList, index: int) -> None:
            super().__init__()
            self.result_list = result_list
            self.index = index

        @property
        def control(self) -> ResultList:
            return self.result_list

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.results: list[SearchResult] = []
        self._cursor: int | None = None
        self._hover: int | None = None
        # Drawn lines by (line, style, width): each frame of the dialog draws the list again,
        # also when only the search box changed.
        self._strips: dict[tuple[int, Style, int], Strip] = {}

    @property
    def highlighted(self) -> int | None:
        return self._cursor

    def show(self, results: list[SearchResult]) -> None:
        resized = len(results) != len(self.results)
        self.results = results
        self._strips = {}
        self._cursor = 0 if results else None
        self._hover = None
        self.scroll_to(y=0, animate=False, immediate=True)
        if resized:
            # Its height follows the results (height: auto in the dialog's styles): the dialog
            # is laid out again. The same number of results (a full page, mostly) only repaints.
            self.virtual_size = Size(self.scrollable_content_region.width, self._line_count)
            self.refresh(layout=True)
        else:
            self.refresh()

    @property
    def _line_count(self) -> int:
        return len(self.results) * LINES_PER_RESULT

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return self._line_count

    # Keys.

    def _move_cursor(self, row: int) -> None:
        if not self.results:
            return
        row = clamp(row, 0, len(self.results) - 1)
        if row == self._cursor:
            return
        self._cursor = row
        self.refresh()
        self.scroll_to_region(
            Region(0, row * LINES_PER_RESULT, 1, LINES_PER_RESULT), animate=False, immediate=True
        )

    def _page(self) -> int:
        return max(1, self.scrollable_content_region.height // LINES_PER_RESULT)

    def action_cursor_up(self) -> None:
        self._move_cursor((self._cursor or 0) - 1)

    def action_cursor_down(self) -> None:
        self._move_cursor(0 if self._cursor is None else self._cursor + 1)

    def action_page_up(self) -> None:
        self._move_cursor((self._cursor or 0) - self._page())

    def action_page_down(self) -> None:
        self._move_cursor((self._cursor or 0) + self._page())

    def action_first(self) -> None:
        self._move_cursor(0)

    def action_last(self) -> None:
        self._move_cursor(len(self.results) - 1)

    def action_select(self) -> None:
        if self._cursor is not None:
            self.post_message(self.Selected(self, self._cursor))

    # Mouse.

    def _row_under(self, event: events.MouseEvent) -> int | None:
        offset = event.get_content_offset(self)
        if offset is None:
            return None
        row = (self.scroll_offset.y + offset.y) // LINES_PER_RESULT
        return row if row < len(self.results) else None

    def on_click(self, event: events.Click) -> None:
        row = self._row_under(event)
        if row is not None:
            self._move_cursor(row)
            self.action_select()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        row = self._row_under(event)
        if row != self._hover:
            self._hover = row
            self.refresh()

    def on_leave(self) -> None:
        if self._hover is not None:
            self._hover = None
            self.refresh()

    def on_resize(self) -> None:
        self.virtual_size = Size(self.scrollable_content_region.width, self._line_count)

    # Drawing.

    def render_line(self, y: int) -> Strip:
        line = self.scroll_offset.y + y
        width = self.scrollable_content_region.width
        row, part = divmod(line, LINES_PER_RESULT)
        classes = ["result-list--row"]
        if row == self._cursor:
            classes.append("result-list--cursor")
        elif row == self._hover:
            classes.append("result-list--hover")
        style = self.get_visual_style(*classes)
        if row >= len(self.results):
            return Strip.blank(width, style.rich_style)
        key = (line, style, width)
        strip = self._strips.get(key)
        if strip is None:
            result = self.results[row]
            content = title_line(result) if part == 0 else snippet_line(result)
            strip = self._strips[key] = self._render_strip(content, width, style)
        return strip

    def _render_strip(self, content: Content, width: int, style: Style) -> Strip:
        # Cut to the width, never wrapped: a result is two lines whatever its length.
        line = content.truncate(width, ellipsis=True)
        strip = Strip(line.render_segments(style), line.cell_length)
        return strip.extend_cell_length(width, style.rich_style)
