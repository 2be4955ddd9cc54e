"""Search everywhere (`/`): notes, topics, challenges and collaborators, as you type.

Answers the chosen result (or None); the app then shows it on its own screen.
"""

from __future__ import annotations

import sqlite3
from contextlib import suppress

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from nexus_tui.store import Store, StoreError
from nexus_tui.store.records import SearchResult
from nexus_tui.widgets.result_list import ResultList

RESULT_LIMIT = 50
# How long the frame showing a typed letter may wait for that text's results (see `_hold_paint`).
PAINT_HOLD_SECONDS = 0.03
# How often a search told to stop is told again while it runs (see `_interrupt`).
INTERRUPT_AGAIN_SECONDS = 0.05


class SearchScreen(ModalScreen[SearchResult | None]):
    CSS_PATH = "search.tcss"
    BINDINGS = [
        Binding("escape", "dismiss(None)", "Close", id="close-search"),
        Binding("down", "to_results", "Results", show=False, id="search-results"),
    ]

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store
        self.results: list[SearchResult] = []
        self.searching: str | None = None
        """The text the search under way is for."""
        self.wanted: str | None = None
        """Text typed while a search was under way: searched for when that one ends."""
        self.connection: sqlite3.Connection | None = None
        """The dialog's own connection, opened by its first search and closed with the dialog:
        each search then saves opening one (about 1 ms) and finds the pages it read before
        still in its cache. Only the dialog uses it, so a newer query can interrupt it."""
        self.closed = False
        self.status_text = ""
        self.paint_held = False

    def compose(self) -> ComposeResult:
        with Vertical(id="search-dialog") as dialog:
            dialog.border_title = "Search"
            dialog.border_subtitle = "enter opens · escape closes"
            yield Input(placeholder="Search notes, topics, challenges, people…", id="search-input")
            yield Static(id="search-status")
            yield ResultList(id="search-results")

    def on_mount(self) -> None:
        # Held as the text changes, inside the key's own handling: by the time Input.Changed
        # arrives, Textual has already drawn the letter alone.
        box = self.query_one("#search-input", Input)
        self.watch(box, "value", self._hold_paint, init=False)

    @on(Input.Changed, "#search-input")
    def query_changed(self, event: Input.Changed) -> None:
        # Searched at once, one search at a time: text typed meanwhile waits for the running
        # search, which is told to stop, so a fast typist gets the last text's results next.
        if self.searching is None:
            self.start_search(event.value)
        else:
            self.wanted = event.value
            self._interrupt()

    def _interrupt(self) -> None:
        connection = self.connection
        if connection is not None:
            # When the search has just ended this does nothing (SQLite ignores an interrupt with
            # no statement running); a connection already closed has nothing to stop either.
            with suppress(sqlite3.ProgrammingError):
                connection.interrupt()
            # Nor does it stop a statement that had not started yet (on either store): asked
            # again until the search is over.
            self.app.set_timer(INTERRUPT_AGAIN_SECONDS, self._interrupt_again)

    def _interrupt_again(self) -> None:
        stale = self.closed or self.wanted is not None
        if self.searching is not None and stale and self.connection is not None:
            self._interrupt()

    def start_search(self, text: str) -> None:
        self.searching, self.wanted = text, None
        self.run_search(text)

    @work(thread=True, group="search", exit_on_error=False)
    def run_search(self, text: str) -> None:
        results: list[SearchResult] = []
        try:
            if text.strip() and not self.closed:
                try:
                    results = self._search_on_connection(text)
                except StoreError:
                    if self.wanted is not None or self.closed:
                        raise
                    # Failed without being stopped for newer text: a stop sent to the search
                    # before this one can arrive late and end this one (PostgreSQL sends it on a
                    # connection of its own). Once more, on a new connection that no earlier
                    # stop can reach; a real failure fails again.
                    self._close_connection()
                    results = self._search_on_connection(text)
        except StoreError:
            if self.wanted is None and not self.closed:
                raise  # not stopped for newer text: a real failure, which the app reports
        finally:
            if self.closed:
                self._close_connection()
            else:
                # Also after a failure: the next text typed is searched.
                self.app.call_from_thread(self.search_done, text, results)

    def _search_on_connection(self, text: str) -> list[SearchResult]:
        from nexus_tui.store.search import search

        if self.connection is None:
            self.connection = self.store.connect()
        return self.store.read_on(self.connection, search, text, RESULT_LIMIT)

    def on_unmount(self) -> None:
        self._release_paint()
        self.closed = True
        if self.searching is None:
            self._close_connection()
        else:
            # The running search closes it when it ends, soon: it is told to stop.
            self._interrupt()

    def _close_connection(self) -> None:
        connection, self.connection = self.connection, None
        if connection is not None:
            connection.close()

    def search_done(self, text: str, results: list[SearchResult]) -> None:
        self.searching = None
        if self.wanted is not None and self.wanted != text:
            self.start_search(self.wanted)
        else:
            self.wanted = None
            self.show_results(text, results)

    def _hold_paint(self) -> None:
        """Hold the next frame back for the results, at most `PAINT_HOLD_SECONDS`.

        A search takes a few milliseconds, a frame about ten, and Textual paints at most 60 frames
        a second: painting the typed letter at once puts the results two frames after the key.
        Held, the letter and its results come in one frame, sooner; a slow search lets the
        letter show when the hold ends. The search itself still runs in its worker.
        """
        if self.paint_held:
            return
        self.paint_held = True
        self.app._begin_batch()
        self.set_timer(PAINT_HOLD_SECONDS, self._release_paint)

    def _release_paint(self) -> None:
        if self.paint_held:
            self.paint_held = False
            self.app._end_batch()
            # The dialog went idle while the frame was held, when Textual schedules no frame;
            # without a new idle turn the frame would wait for the next message (the hold's
            # timer: all of PAINT_HOLD_SECONDS after the key, however fast the search).
            self.check_idle()

    def show_results(self, text: str, results: list[SearchResult]) -> None:
        try:
            self._show_results(text, results)
        finally:
            self._release_paint()

    def _show_results(self, text: str, results: list[SearchResult]) -> None:
        # Only the answer to what is in the box now counts; a slower, older one is dropped.
        if text != self.query_one("#search-input", Input).value:
            return
        self.results = results
        self.query_one("#search-results", ResultList).show(results)
        if not text.strip():
            status = ""
        elif results:
            more = "+" if len(results) == RESULT_LIMIT else ""
            status = f"{len(results)}{more} found"
        else:
            status = "Nothing found."
        # Updating a Static lays the dialog out again: only when the words change ("50+ found"
        # mostly stays), so new results cost a repaint of the list alone.
        if status != self.status_text:
            self.status_text = status
            self.query_one("#search-status", Static).update(Content(status))

    def action_to_results(self) -> None:
        if self.results:
            self.query_one("#search-results").focus()

    @on(Input.Submitted, "#search-input")
    def submitted(self) -> None:
        result_list = self.query_one("#search-results", ResultList)
        if self.results:
            self.dismiss(self.results[result_list.highlighted or 0])

    @on(ResultList.Selected, "#search-results")
    def chosen(self, event: ResultList.Selected) -> None:
        self.dismiss(self.results[event.index])
