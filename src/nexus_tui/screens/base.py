"""What every top-level screen shares: title line, body, CI strip, key bar, loading its data."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen

from nexus_tui.store import Store
from nexus_tui.widgets.ci_strip import CiStrip
from nexus_tui.widgets.key_bar import KeyBar
from nexus_tui.widgets.title_bar import TitleBar


class HubScreen(Screen[None]):
    """A top-level screen. Subclasses compose their body and load their data in `load`.

    The store is opened by the app in a worker after the first frame; each screen follows
    `NexusApp.store` and loads as soon as it is there (or at once, when it already is).
    """

    # Below 100 columns the left panes (fixed widths at 120) give up room to the right ones by
    # share, and below 70 the activity chart gives its rows to the tree (see the .tcss files).
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (70, "-medium"), (100, "-wide")]

    BINDINGS = [
        # Shown in the keys help and the palette; the footer keeps its room for the main keys.
        Binding("r", "refresh", "Refresh", show=False, id="refresh"),
        Binding("escape", "back", "Back", show=False, id="back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        # A new screen counts as behind the app's styles, so Textual parses every stylesheet
        # again when it is first shown (and then once more, its cache cleared): 15-20 ms of the
        # first frame, for variables that have not changed. It is made with the app's styles as
        # they are; a theme chosen later still restyles every screen.
        self._css_update_count = self.app._css_update_count
        self._shown_before = False
        # The width class the first resize will set, set now: added then, it restyles every
        # widget of the screen again (6 ms) before the first frame.
        width = self.app.size.width
        self.add_class(
            next(name for least, name in reversed(self.HORIZONTAL_BREAKPOINTS) if width >= least),
            update=False,
        )

    def _on_screen_resume(self, event: events.ScreenResume) -> None:
        # Textual calls Screen's own handler after this one, with the same event. The first time
        # a screen is shown its widgets were styled as they mounted, a moment before; styling
        # every one of them again cost 10 ms of the first frame. Later resumes restyle as usual.
        if not self._shown_before:
            self._shown_before = True
            event.refresh_styles = False

    def _compositor_refresh(self) -> None:
        # While the app batches updates (all of its start, until the first screen is mounted)
        # Textual draws the screen and then throws the drawing away; the frame after the batch
        # draws it again anyway. Not drawing it saves a whole frame (about 30 ms) at start-up.
        if self.app._batch_count:
            return
        super()._compositor_refresh()

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield from self.compose_body()
        yield CiStrip()
        yield KeyBar()

    def compose_body(self) -> ComposeResult:
        raise NotImplementedError

    def on_mount(self) -> None:
        self.watch(self.app, "store", self._store_changed, init=True)

    def _store_changed(self, store: Store | None) -> None:
        if store is not None:
            self.load(store)

    def load(self, store: Store) -> None:
        """Start the worker(s) that read this screen's data; never read on the message loop."""
        raise NotImplementedError

    def reveal(self, kind: str, item_id: int) -> None:
        """Select an item found by search; screens that list such items override this."""

    def action_back(self) -> None:
        """Escape walks back out of the details, pane by pane, and stops at the first list."""
        chain = self.focus_chain
        if self.focused in chain and chain.index(self.focused) > 0:
            self.focus_previous()

    def action_refresh(self) -> None:
        if self.app.store is not None:
            self.load(self.app.store)
