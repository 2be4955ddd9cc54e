"""A topic's notes as a list that holds only the rows near the screen.

A topic may hold 100,000 notes: handing them all to a list widget takes seconds. This one draws
each line itself (Textual's line API), so its cost follows the rows on screen, not the rows in the
topic. Its virtual height is the topic's note count, so the scrollbar tells the true size. Rows
are read from the store a page at a time, in thread workers, when the window or the cursor needs
one not yet read: from the row next to a page already read (keyset) when there is one, else by
position. Until a row arrives it shows as a dim placeholder. Only a few pages are kept.

Styles (the cursor, hover and placeholder rows) are in the screen's `.tcss`.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, ClassVar, NamedTuple

from rich.cells import cell_len
from textual import events, work
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.content import Content
from textual.geometry import Region, Size, clamp
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.visual import Visual

from nexus_tui.store import queries
from nexus_tui.store.records import NoteSummary
from nexus_tui.text import age, one_line
from nexus_tui.widgets.lists import ROW_KEYS

if TYPE_CHECKING:
    from textual.style import Style

    from nexus_tui.store import Store

PAGE_SIZE = 100
"""Rows read at a time: a page takes well under a millisecond to read."""
KEPT_PAGES = 4
"""Pages held at most (more only if the window itself spans more)."""

PLACEHOLDER = Content("⋯")
# Below this many cells for the title, the age gives way rather than the title.
_SHORTEST_TITLE = 8


class NoteListing(NamedTuple):
    """A topic's notes as first shown: how many, and the page with the cursor's row."""

    topic_id: int
    count: int
    page: int
    """Index of the page in `rows` (row `page * PAGE_SIZE` is its first)."""
    rows: tuple[NoteSummary, ...]
    position: int | None
    """Where the note asked for is in the list; None when the topic has no such note."""


def read_listing(
    conn: sqlite3.Connection, topic_id: int, note_id: int | None, page_size: int = PAGE_SIZE
) -> NoteListing:
    """The count and the page that holds `note_id` (the first page without it), in one read."""
    count = queries.count_notes_of_topic(conn, topic_id)
    position = None if note_id is None else queries.note_position(conn, topic_id, note_id)
    page = 0 if position is None else position // page_size
    if page == 0:
        rows = queries.note_page(conn, topic_id, None, page_size)
    else:
        rows = queries.note_page_at(conn, topic_id, page * page_size, page_size, count)
    return NoteListing(topic_id, count, page, tuple(rows), position)


def note_line(note: NoteSummary, now: datetime, width: int) -> Content:
    """One note's row: 📌 and a bold title when pinned, then its age, dim; cut to `width`."""
    pin = "📌 " if note.pinned else ""
    title = one_line(note.title)
    when = f"  {age(note.updated_at, now)}"
    room = width - cell_len(pin) - cell_len(when)
    if cell_len(title) > room >= _SHORTEST_TITLE:
        # The age stays in sight: the title is the part that gives way.
        title = Content(title).truncate(room, ellipsis=True).plain
    line = Content.assemble(pin, (title, "bold" if note.pinned else ""), (when, "dim"))
    return line.truncate(width, ellipsis=True) if line.cell_length > width else line


class NoteList(ScrollView, can_focus=True):
    """The notes of one topic, read in pages as the user moves; one line per note."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *ROW_KEYS,
        Binding("enter", "select", "Select", show=False),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "note-list--row",
        "note-list--cursor",
        "note-list--hover",
        "note-list--placeholder",
    }

    class _NoteMessage(Message):
        def __init__(self, note_list: NoteList, note: NoteSummary, index: int) -> None:
            super().__init__()
            self.note_list = note_list
            self.note = note
            self.index = index
            """The note's row (0 is the first)."""

        @property
        def control(self) -> NoteList:
            return self.note_list

    class Highlighted(_NoteMessage):
        """The cursor is on a note (sent once its row has been read)."""

    class Selected(_NoteMessage):
        """Enter (or a click) on a note."""

    class Listed(Message):
        """A topic's notes are listed; `found` is the note asked for, if the topic has it."""

        def __init__(
            self, note_list: NoteList, topic_id: int, count: int, found: int | None
        ) -> None:
            super().__init__()
            self.note_list = note_list
            self.topic_id = topic_id
            self.count = count
            self.found = found

        @property
        def control(self) -> NoteList:
            return self.note_list

    def __init__(
        self,
        clock: Callable[[], datetime],
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.clock = clock
        """Ages are told against this."""
        self.topic_id: int | None = None
        self.row_count = 0
        """Notes in the topic (the virtual height)."""
        self._store: Store | None = None
        self._pages: dict[int, tuple[NoteSummary, ...]] = {}
        self._loading: int | None = None
        """The page being read: one at a time, so a fast drag asks only for where it ends."""
        self._generation = 0
        """Counts listings; an answer read for an earlier one is dropped."""
        self._cursor: int | None = None
        self._announce = False
        """The cursor is on a row not read yet: say Highlighted when it arrives."""
        self._pending: tuple[int, int | None] | None = None
        """The topic of a listing being read, and the note it puts the cursor on. Meanwhile
        the rows held are the last listing's: no page is read for them."""
        self._hover: int | None = None
        self._strips: LRUCache[tuple[object, ...], Strip] = LRUCache(256)

    # What the rest of the app reads.

    @property
    def highlighted(self) -> int | None:
        """The cursor's row (0 is the first), None in an empty list."""
        return self._cursor

    @highlighted.setter
    def highlighted(self, row: int | None) -> None:
        self._move_cursor(row)

    @property
    def highlighted_note(self) -> NoteSummary | None:
        """The note under the cursor, if its row has been read."""
        return None if self._cursor is None else self.note_at(self._cursor)

    @property
    def wanted_note_id(self) -> int | None:
        """The note the cursor is on, or will be on once the listing being read arrives."""
        if self._pending is not None:
            return self._pending[1]
        note = self.highlighted_note
        return None if note is None else note.id

    @property
    def held_row_count(self) -> int:
        """Rows held in memory (a few pages, however long the topic)."""
        return sum(len(rows) for rows in self._pages.values())

    def note_at(self, row: int) -> NoteSummary | None:
        """The note on a row, if that row has been read."""
        rows = self._pages.get(row // PAGE_SIZE)
        offset = row % PAGE_SIZE
        return rows[offset] if rows is not None and offset < len(rows) else None

    def visible_lines(self) -> list[Content]:
        """The rows on screen now, as shown (placeholders for rows not read yet)."""
        top = self.scroll_offset.y
        end = min(top + self.scrollable_content_region.height, self.row_count)
        width = self.scrollable_content_region.width
        return [self._line(self.note_at(row), width) for row in range(top, end)]

    # Filling the list.

    def show_topic(self, store: Store, topic_id: int, cursor_on: int | None = None) -> None:
        """List a topic's notes, read in a worker; the cursor goes on `cursor_on` if the topic
        has it, else on the note it was on (listing a topic again after a change), else on the
        first. The rows shown stay until the new ones arrive."""
        target = cursor_on if cursor_on is not None else self.wanted_note_id
        self._store = store
        self._generation += 1
        self._loading = None
        self._pending = (topic_id, target)
        self._read_listing(store, topic_id, target, self._generation)

    def clear(self) -> None:
        """No topic: an empty list."""
        self._generation += 1
        self._loading = self._pending = self.topic_id = None
        self._pages = {}
        self._set_row_count(0)
        self._cursor = None
        self._announce = False
        self.refresh()

    def highlight_id(self, note_id: int) -> bool:
        """Put the cursor on a note of this topic: at once if its row has been read (True),
        else after reading where it is, which ends in `Listed` (False)."""
        if self._pending is None:
            for page, rows in self._pages.items():
                for offset, note in enumerate(rows):
                    if note.id == note_id:
                        self._move_cursor(page * PAGE_SIZE + offset)
                        return True
        topic_id = self.topic_id if self._pending is None else self._pending[0]
        if self._store is not None and topic_id is not None:
            self.show_topic(self._store, topic_id, note_id)
        return False

    @work(thread=True, group="note-list", exit_on_error=False)
    def _read_listing(
        self, store: Store, topic_id: int, note_id: int | None, generation: int
    ) -> None:
        listing = store.read(read_listing, topic_id, note_id)
        self.app.call_from_thread(self._listed, generation, listing)

    def _listed(self, generation: int, listing: NoteListing) -> None:
        if generation != self._generation:
            return
        self.topic_id = listing.topic_id
        self._pending = None
        self._pages = {listing.page: listing.rows} if listing.rows else {}
        self._hover = None
        self._strips.clear()  # ages are told afresh at each listing
        self._set_row_count(listing.count)
        self._cursor = None
        self._move_cursor(listing.position if listing.position is not None else 0)
        # The size may change the layout: scroll again once it is done.
        self.call_after_refresh(self._scroll_to_cursor)
        self.refresh()
        found = None
        if listing.position is not None and (note := self.note_at(listing.position)):
            found = note.id
        self.post_message(self.Listed(self, listing.topic_id, listing.count, found))

    def _set_row_count(self, count: int) -> None:
        self.row_count = count
        self.virtual_size = Size(self.scrollable_content_region.width, count)
        self._scroll_update(self.virtual_size)

    def _wanted_pages(self) -> list[int]:
        """Pages to have, most needed first: the cursor's, the window's, then a window's height
        either side of it (so moving row by row rarely meets a placeholder)."""
        if not self.row_count:
            return []
        last = self.row_count - 1
        height = max(self.scrollable_content_region.height, 1)
        top = clamp(self.scroll_offset.y, 0, last)
        bottom = min(top + height - 1, last)
        pages: list[int] = []
        if self._cursor is not None:
            pages.append(self._cursor // PAGE_SIZE)
        near = (max(top - height, 0), min(bottom + height, last))
        for first, end in ((top, bottom), near):
            for page in range(first // PAGE_SIZE, end // PAGE_SIZE + 1):
                if page not in pages:
                    pages.append(page)
        return pages

    def _request_pages(self) -> None:
        store, topic_id = self._store, self.topic_id
        if store is None or topic_id is None or self._pending or self._loading is not None:
            return
        for page in self._wanted_pages():
            if page not in self._pages:
                self._load_page(store, topic_id, page)
                return

    def _load_page(self, store: Store, topic_id: int, page: int) -> None:
        start = page * PAGE_SIZE
        limit = min(PAGE_SIZE, self.row_count - start)
        before, after = self._pages.get(page - 1), self._pages.get(page + 1)
        read: tuple[Callable[..., list[NoteSummary]], tuple[object, ...]]
        if page == 0:
            read = queries.note_page, (None, limit)
        elif before is not None and len(before) == PAGE_SIZE:
            read = queries.note_page, (before[-1], limit)
        elif after:
            read = queries.note_page_before, (after[0], limit)
        elif start + limit >= self.row_count:
            read = queries.note_page_before, (None, limit)  # the last page, read from the end
        else:
            read = queries.note_page_at, (start, limit, self.row_count)
        self._loading = page
        self._read_page(store, self._generation, page, read[0], (topic_id, *read[1]))

    @work(thread=True, group="note-list", exit_on_error=False)
    def _read_page(
        self,
        store: Store,
        generation: int,
        page: int,
        query: Callable[..., list[NoteSummary]],
        arguments: tuple[object, ...],
    ) -> None:
        try:
            rows = tuple(store.read(query, *arguments))
        except Exception:
            # Reported by the app; the next move asks again.
            self.app.call_from_thread(self._page_failed, generation)
            raise
        self.app.call_from_thread(self._page_read, generation, page, rows)

    def _page_failed(self, generation: int) -> None:
        if generation == self._generation:
            self._loading = None

    def _page_read(self, generation: int, page: int, rows: tuple[NoteSummary, ...]) -> None:
        if generation != self._generation:
            return
        self._loading = None
        self._pages[page] = rows
        self._drop_far_pages()
        self.refresh()
        self._announce_cursor()
        self._request_pages()

    def _drop_far_pages(self) -> None:
        wanted = self._wanted_pages()
        centre_row = self.scroll_offset.y if self._cursor is None else self._cursor
        centre = centre_row // PAGE_SIZE
        while len(self._pages) > max(KEPT_PAGES, len(wanted)):
            spare = [page for page in self._pages if page not in wanted]
            if not spare:
                return
            del self._pages[max(spare, key=lambda page: abs(page - centre))]

    # The cursor.

    def _move_cursor(self, row: int | None) -> None:
        if row is not None:
            row = clamp(row, 0, self.row_count - 1) if self.row_count else None
        previous, self._cursor = self._cursor, row
        if row == previous:
            return
        if previous is not None:
            self.refresh_line(previous)
        if row is None:
            return
        self.refresh_line(row)
        self._scroll_to_cursor()
        self._announce = True
        self._announce_cursor()
        self._request_pages()

    def _announce_cursor(self) -> None:
        if not self._announce or self._cursor is None:
            return
        note = self.note_at(self._cursor)
        if note is not None:
            self._announce = False
            self.post_message(self.Highlighted(self, note, self._cursor))

    def _scroll_to_cursor(self) -> None:
        if self._cursor is None or not self.is_mounted:
            return
        self.scroll_to_region(
            Region(0, self._cursor, self.scrollable_content_region.width, 1),
            animate=False,
            force=True,
            immediate=True,
        )

    def action_cursor_up(self) -> None:
        if self._cursor is not None:
            self._move_cursor(self._cursor - 1)

    def action_cursor_down(self) -> None:
        self._move_cursor(0 if self._cursor is None else self._cursor + 1)

    def action_page_up(self) -> None:
        if self._cursor is not None:
            self._move_cursor(self._cursor - self.scrollable_content_region.height)

    def action_page_down(self) -> None:
        step = self.scrollable_content_region.height
        self._move_cursor(0 if self._cursor is None else self._cursor + step)

    def action_first(self) -> None:
        self._move_cursor(0)

    def action_last(self) -> None:
        self._move_cursor(self.row_count - 1)

    def action_select(self) -> None:
        note = self.highlighted_note
        if note is not None and self._cursor is not None:
            self.post_message(self.Selected(self, note, self._cursor))

    # Events.

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        self._request_pages()

    def on_resize(self) -> None:
        self.virtual_size = Size(self.scrollable_content_region.width, self.row_count)
        self._scroll_to_cursor()
        self._request_pages()

    def on_show(self) -> None:
        self._scroll_to_cursor()

    def _row_under(self, event: events.MouseEvent) -> int | None:
        offset = event.get_content_offset(self)
        if offset is None:
            return None
        row = self.scroll_offset.y + offset.y
        return row if row < self.row_count else None

    def on_click(self, event: events.Click) -> None:
        row = self._row_under(event)
        if row is not None:
            self._move_cursor(row)
            self.action_select()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        self._hover_on(self._row_under(event))

    def on_leave(self) -> None:
        self._hover_on(None)

    def _hover_on(self, row: int | None) -> None:
        if row != self._hover:
            for line in (self._hover, row):
                if line is not None:
                    self.refresh_line(line)
            self._hover = row

    # Drawing.

    def _line(self, note: NoteSummary | None, width: int) -> Content:
        return PLACEHOLDER if note is None else note_line(note, self.clock(), width)

    def render_line(self, y: int) -> Strip:
        row = self.scroll_offset.y + y
        width = self.scrollable_content_region.width
        if row >= self.row_count:
            return Strip.blank(width, self.get_visual_style("note-list--row").rich_style)
        note = self.note_at(row)
        classes = ["note-list--row"]
        if note is None:
            classes.append("note-list--placeholder")
        if row == self._cursor:
            classes.append("note-list--cursor")
        elif row == self._hover:
            classes.append("note-list--hover")
        style = self.get_visual_style(*classes)
        key = (note, style, width)
        strip = self._strips.get(key)
        if strip is None:
            strip = self._render_strip(self._line(note, width), width, style)
            self._strips[key] = strip
        return strip

    def _render_strip(self, line: Content, width: int, style: Style) -> Strip:
        strips = Visual.to_strips(self, line, width, 1, style)
        strip = strips[0] if strips else Strip.blank(0)
        return strip.extend_cell_length(width, style.rich_style)
