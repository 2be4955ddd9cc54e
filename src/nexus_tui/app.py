"""The Textual app: the four screens as modes, global keys, the command palette, and the store.

Start-up order matters for speed: the database is opened by a `HubOpener` thread that the command
line starts before Textual is imported, so the first screen usually mounts with its data at hand.
If the opener is still busy, a worker waits for it and the screens fill in when it is done.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial
from importlib import import_module
from typing import TYPE_CHECKING

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.reactive import var
from textual.screen import Screen
from textual.worker import Worker, WorkerState, get_current_worker

from nexus_tui.config import AppPaths, ConfigError, Settings, update_theme
from nexus_tui.polling import CiPolling, CiSnapshot
from nexus_tui.startup import HubOpener, OpenedHub
from nexus_tui.store import Store, StoreError
from nexus_tui.store.database import Clock, utc_now
from nexus_tui.store.records import CategorySummary, SearchResult
from nexus_tui.store.seed import remove_default_hub

if TYPE_CHECKING:
    from nexus_tui.drafts import SavedDraft
    from nexus_tui.store.watch import HubWatcher

# How long a watcher waits before looking again (SQLite) or waking to check it should stop.
WATCH_SECONDS = 2.0

MODE_BY_KIND = {
    "topic": "topics",
    "note": "topics",
    "challenge": "challenges",
    "collaborator": "collaborators",
}
SCREENS_BY_MODE = {
    "topics": ("Topics", "nexus_tui.screens.topics", "TopicsScreen"),
    "challenges": ("Challenges", "nexus_tui.screens.challenges", "ChallengesScreen"),
    "collaborators": ("Collaborators", "nexus_tui.screens.collaborators", "CollaboratorsScreen"),
    "ci": ("CI", "nexus_tui.screens.ci", "CiScreen"),
}


def _lazy_screen(module: str, name: str) -> Callable[[], Screen]:
    # A screen's module (and the widgets it needs) is imported when the screen is first shown, so
    # start-up pays only for the first one.
    return lambda: getattr(import_module(module), name)()


# Seconds after start before the note editor is loaded in the background: after the first
# screen, out of the way of the first keys.
EDITOR_PRELOAD_DELAY = 1.0
# Seconds after start before the objects that live as long as the app are set aside from the
# garbage collector: once the first screen and the editor's import are done.
SET_ASIDE_DELAY = 2.0


class NexusApp(App[None]):
    TITLE = "nexus-tui"
    # Starting in the Topics mode builds its screen as the app's first and only screen: no default
    # screen is composed and then replaced.
    DEFAULT_MODE = "topics"
    # The first screen's styles load with the app (a CSS_PATH of its own would make Textual parse
    # the stylesheet twice before the first frame); the other screens and the dialogs bring
    # theirs when they are first shown.
    CSS_PATH = "screens/topics.tcss"
    MODES = {
        mode: _lazy_screen(module, name) for mode, (_, module, name) in SCREENS_BY_MODE.items()
    }
    # One footer label for the four screen keys: the header names the screen shown, and the
    # footer needs the room for the keys of that screen.
    _SCREEN_KEYS = Binding.Group("Screens")
    BINDINGS = [
        Binding("1", "show('topics')", "Topics", id="show-topics", group=_SCREEN_KEYS),
        Binding("2", "show('challenges')", "Challenges", id="show-challenges", group=_SCREEN_KEYS),
        Binding(
            "3",
            "show('collaborators')",
            "Collaborators",
            id="show-collaborators",
            group=_SCREEN_KEYS,
        ),
        Binding("4", "show('ci')", "CI", id="show-ci", group=_SCREEN_KEYS),
        Binding("slash", "search", "Search", id="search"),
        Binding("question_mark", "show_keys", "Keys", id="show-keys"),
        Binding("q", "quit", "Quit", id="quit"),
    ]

    store: var[Store | None] = var(None)
    """The open database; None until the worker that opens it is done (or when it failed)."""
    watched_repos: var[tuple[str, ...]] = var(())
    """Repositories from the config and the database, in that order, without repeats."""
    ci: var[CiSnapshot] = var(CiSnapshot())
    """What is known of their CI; `ci_poll` keeps it current (see polling.py)."""

    def __init__(
        self,
        paths: AppPaths,
        settings: Settings | None = None,
        *,
        clock: Clock = utc_now,
        config_error: ConfigError | None = None,
        opener: HubOpener | None = None,
        poll_github: bool | None = None,
        follow_changes: bool | None = None,
    ) -> None:
        """`poll_github`: ask GitHub for the CI state every `poll_seconds`; `follow_changes`:
        show changes other windows and users make to the hub as they happen. Both by default only
        when the app is shown on a terminal (not headless)."""
        super().__init__()
        self.paths = paths
        self.settings = settings or Settings()
        self.clock = clock
        self.config_error = config_error
        self.opener = opener or HubOpener(paths.database, clock)
        self.store_error: StoreError | None = None
        self.ci_poll = CiPolling(self, poll_github)
        self.follow_changes = follow_changes
        self._hub_watcher: HubWatcher | None = None
        self.watched_repos = self.settings.github.repos
        self._first_categories: list[CategorySummary] | None = None
        self._theme_loaded = False
        self._waiting_for_first_frame: list[Callable[[], object]] | None = []
        if self.opener.done() and self.opener.error is None:
            # Already open: reading a finished result is not I/O, so the first screen mounts
            # with its data and its first frame shows it.
            self._hub_opened(self.opener.result())

    def on_mount(self) -> None:
        if self.settings.ui.theme in self.available_themes:
            self.theme = self.settings.ui.theme
        else:
            self.notify(
                f"Unknown theme {self.settings.ui.theme!r} in {self.paths.config_file}; "
                f"using {self.theme}.",
                severity="warning",
            )
        self._theme_loaded = True
        if self.settings.keys:
            self.set_keymap(dict(self.settings.keys))
        if self.store is None:
            self.open_store(self.opener)
        else:
            self.after_first_frame(self.look_for_drafts)
        self.set_timer(EDITOR_PRELOAD_DELAY, self.preload_editor)
        self.set_timer(SET_ASIDE_DELAY, self.set_aside_live_objects)
        self.after_first_frame(self.follow_in_background)
        if self.config_error is not None:
            self.notify(
                f"{self.config_error}\nUsing the default settings until it is fixed; "
                "the file is not changed.",
                title="Config file not used",
                severity="error",
                timeout=30,
            )

    def follow_in_background(self) -> None:
        """GitHub's CI state and other windows' changes: none of it is in the first frame."""
        self.watch(self, "store", self.ci_poll.follow, init=True)
        self.watch(self, "store", self.follow_store, init=True)
        self.watch(self, "watched_repos", self.ci_poll.follow, init=False)

    @property
    def first_frame_drawn(self) -> bool:
        return self._waiting_for_first_frame is None

    def after_first_frame(self, callback: Callable[[], object]) -> None:
        """Call back once the first frame has been drawn (at once after that).

        For work the first frame does not show: a worker thread started before it competes with
        the message loop for the interpreter, and the frame waited for the notes list, the
        activity chart and the CI state to be read (about 40 ms on a large hub)."""
        if self._waiting_for_first_frame is None:
            callback()
        else:
            self._waiting_for_first_frame.append(callback)

    def _display(self, screen: Screen, renderable: object) -> None:
        super()._display(screen, renderable)  # type: ignore[arg-type]
        # Textual draws nothing while it batches updates (all of the start); a frame is out
        # when it draws outside a batch.
        waiting = self._waiting_for_first_frame
        if waiting is not None and renderable is not None and not self._batch_count:
            self._waiting_for_first_frame = None
            for callback in waiting:
                self.call_later(callback)

    async def on_unmount(self) -> None:
        await self.ci_poll.close()
        if self._hub_watcher is not None:
            self._hub_watcher.close()
        import gc

        # What was set aside can be collected again once the app is gone (tests run many apps
        # in one process).
        gc.unfreeze()

    @work(thread=True, exclusive=True, group="open-store", exit_on_error=False)
    def open_store(self, opener: HubOpener) -> None:
        try:
            hub = opener.result()
        except StoreError as error:
            self.call_from_thread(self.show_store_error, error)
            return
        self.call_from_thread(self._hub_opened, hub)
        self.call_from_thread(self.after_first_frame, self.look_for_drafts)

    def follow_store(self, store: Store | None) -> None:
        following = (not self.is_headless) if self.follow_changes is None else self.follow_changes
        if store is not None and following:
            self.follow_hub_changes(store)

    @work(thread=True, exclusive=True, group="hub-changes", exit_on_error=False)
    def follow_hub_changes(self, store: Store) -> None:
        """Changes made by other windows, machines and users come to the screens as they are
        committed (see store/watch.py); a store that cannot be reached is said, and so is its
        return."""
        from nexus_tui.store.watch import watcher_for

        worker = get_current_worker()
        watcher = self._hub_watcher = watcher_for(store)
        reachable = True
        try:
            while not (worker.is_cancelled or watcher.closed):
                changed = watcher.wait(WATCH_SECONDS)
                if worker.is_cancelled or watcher.closed:
                    break
                if watcher.reachable != reachable:
                    reachable = watcher.reachable
                    self.call_from_thread(self.store_reachable, store, watcher.problem)
                elif changed:
                    self.call_from_thread(self.refresh_screens)
        finally:
            watcher.close()

    def store_reachable(self, store: Store, problem: StoreError | None) -> None:
        if problem is not None:
            self.notify(
                f"{problem}\nWhat you are typing stays in its draft; trying again every few "
                "seconds.",
                title="Database out of reach",
                severity="error",
                timeout=3600,
            )
            return
        self.clear_notifications()
        self.notify(f"Connected to {store.location} again.", title="Database back")
        self.refresh_screens()

    def show_store_error(self, error: StoreError) -> None:
        from nexus_tui.screens.error import ErrorScreen

        self.store_error = error
        self.push_screen(ErrorScreen("The database cannot be opened", str(error)))

    def _hub_opened(self, hub: OpenedHub) -> None:
        self.update_watched_repos(hub.stored_repos)
        self._first_categories = hub.categories
        self.store = hub.store

    def update_watched_repos(self, stored: Iterable[str]) -> None:
        """The config's repositories, then those stored in the database (a collaborator's, say),
        without repeats; called again whenever the stored ones change."""
        configured = tuple(self.settings.github.repos)
        seen = {name.lower() for name in configured}
        extra = tuple(name for name in stored if name.lower() not in seen)
        self.watched_repos = configured + extra

    def set_aside_live_objects(self) -> None:
        """Once the first screen is up, move what lives for the whole run out of the garbage
        collector's sight (as at start, for Textual's own objects): a full collection walked
        them all, 30-40 ms in the middle of whatever key came then."""
        import gc

        gc.collect()
        gc.freeze()

    @work(thread=True, exclusive=True, group="preload", exit_on_error=False)
    def preload_editor(self) -> None:
        """Import the note editor (TextArea and its markdown grammar: a few hundred ms) while
        the user reads, so the first `e` or `n` opens it at once."""
        from textual.widgets import TextArea

        import nexus_tui.screens.note_editor  # noqa: F401

        # Loads the tree-sitter grammar once; a widget never mounted costs nothing more.
        TextArea("", language="markdown")

    @work(thread=True, exclusive=True, group="drafts", exit_on_error=False)
    def look_for_drafts(self) -> None:
        """Edits not saved when the app last stopped (quit or crashed) are offered back."""
        from nexus_tui.drafts import list_drafts

        found = list_drafts(self.paths.state_dir, self.paths.database)
        if found:
            self.call_from_thread(self.offer_drafts, found)

    def offer_drafts(self, found: list[SavedDraft]) -> None:
        from nexus_tui.screens.draft_recovery import DraftRecoveryScreen

        def restore(saved: SavedDraft | None) -> None:
            if saved is not None:
                self.switch_mode("topics")
                self.call_after_refresh(lambda: self.screen.restore_draft(saved))

        self.push_screen(DraftRecoveryScreen(found, self.clock()), restore)

    def take_first_categories(self) -> list[CategorySummary] | None:
        """The topics read while opening the hub, handed out once; later loads query afresh."""
        categories, self._first_categories = self._first_categories, None
        return categories

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Every worker failure ends here: shown in words, and the app keeps running."""
        if event.state != WorkerState.ERROR:
            return
        error = event.worker.error
        message = str(error) if isinstance(error, (StoreError, ConfigError)) else repr(error)
        self.notify(message, title="Something went wrong", severity="error", timeout=15)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Without a database the other screens would only be empty; the error dialog stays.
        return self.store_error is None or action not in ("show", "show_keys", "search")

    def action_show(self, mode: str) -> None:
        self.switch_mode(mode)

    def action_search(self) -> None:
        from nexus_tui.screens.search import SearchScreen

        if self.store is None or isinstance(self.screen, SearchScreen):
            return
        self.push_screen(SearchScreen(self.store), self.reveal)

    def reveal(self, result: SearchResult | None) -> None:
        """Show a search result on its own screen, selected."""
        if result is None:
            return
        mode = MODE_BY_KIND[result.kind]
        self.switch_mode(mode)
        # A screen shown for the first time is mounted after this call returns.
        self.call_after_refresh(lambda: self.screen.reveal(result.kind, result.id))

    def action_show_keys(self) -> None:
        from nexus_tui.screens.keys import MOVEMENT_KEYS, KeysScreen

        if isinstance(self.screen, KeysScreen):
            return
        title = SCREENS_BY_MODE.get(self.current_mode, ("",))[0]
        rows: list[tuple[str, str]] = []
        seen: set[str] = set()
        # Only bindings with an id are ours (and remappable); the list widgets' own keys are
        # summarised by MOVEMENT_KEYS instead of listed one by one.
        for active in self.screen.active_bindings.values():
            binding = active.binding
            if binding.id is None or binding.id in seen or not binding.description:
                continue
            seen.add(binding.id)
            rows.append((self.get_key_display(binding), binding.tooltip or binding.description))
        rows.append(("ctrl+p", "Command palette: every action by name"))
        rows.extend(MOVEMENT_KEYS)
        self.push_screen(KeysScreen(title, rows))

    def watch_theme(self, theme: str) -> None:
        if self._theme_loaded and theme != self.settings.ui.theme:
            self.remember_theme(theme)

    @work(thread=True, exclusive=True, group="save-theme", exit_on_error=False)
    def remember_theme(self, theme: str) -> None:
        try:
            update_theme(self.paths.config_file, theme)
        except ConfigError as error:
            self.call_from_thread(
                self.notify,
                f"{error}\nThe theme is used for now but not saved; the file is not changed.",
                title="Theme not saved",
                severity="warning",
                timeout=15,
            )

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        for mode, (title, _, _) in SCREENS_BY_MODE.items():
            yield SystemCommand(
                f"Show {title}",
                f"Switch to the {title} screen",
                lambda mode=mode: self.action_show(mode),
            )
        # Every key of the current screen is an action in the palette too, under its description.
        for active in screen.active_bindings.values():
            binding = active.binding
            if active.node is screen and binding.id and active.enabled:
                yield SystemCommand(
                    binding.description,
                    binding.tooltip or binding.description,
                    partial(self.run_action, binding.action, screen),
                )
        yield SystemCommand(
            "Search", "Notes, topics, challenges and people, as you type", self.action_search
        )
        yield SystemCommand(
            "Show keys", "Every key that works on this screen", self.action_show_keys
        )
        yield SystemCommand(
            "Import hub…",
            "Add a hub README or restore a JSON backup (shows what changes first)",
            self.action_import_hub,
        )
        yield SystemCommand(
            "Export hub…",
            "Write the hub as a README for GitHub, or as a complete JSON backup",
            self.action_export_hub,
        )
        yield SystemCommand(
            "Remove the default hub",
            "Delete the curriculum added on first start (keeps anything you wrote or changed)",
            self.confirm_remove_default_hub,
        )
        yield from super().get_system_commands(screen)

    def action_import_hub(self) -> None:
        if self.store is None:
            self.notify("The hub is not open yet.", severity="warning")
            return
        from nexus_tui.screens.import_hub import ImportHubScreen, sentence

        def imported(plan) -> None:
            if plan is not None:
                self.notify(sentence(plan.summary()), title="Imported", markup=False)
                self.refresh_screens()

        self.push_screen(ImportHubScreen(self.store), imported)

    def action_export_hub(self) -> None:
        if self.store is None:
            self.notify("The hub is not open yet.", severity="warning")
            return
        from nexus_tui.screens.export_hub import ExportHubScreen

        def exported(target) -> None:
            if target is not None:
                self.notify(f"Wrote {target}.", title="Exported", markup=False)

        self.push_screen(ExportHubScreen(self.store), exported)

    def refresh_screens(self) -> None:
        """Every screen reads its data again (after a change made outside it)."""
        for mode in SCREENS_BY_MODE:
            for screen in self._screen_stacks.get(mode, []):
                action = getattr(screen, "action_refresh", None)
                if action is not None:
                    action()

    def confirm_remove_default_hub(self) -> None:
        from nexus_tui.screens.confirm import ConfirmScreen

        def answered(yes: bool | None) -> None:
            if yes and self.store is not None:
                self.remove_default(self.store)

        self.push_screen(
            ConfirmScreen(
                "Remove the default hub?",
                "This deletes the topics, notes, challenges and collaborators that nexus-tui "
                "added on first start. Anything you wrote or changed is kept.",
                confirm="Remove",
            ),
            answered,
        )

    @work(thread=True, exclusive=True, group="remove-default", exit_on_error=False)
    def remove_default(self, store: Store) -> None:
        deleted = remove_default_hub(store)
        self.call_from_thread(self._default_removed, deleted)

    def _default_removed(self, deleted: int) -> None:
        self.notify(f"Removed {deleted} items of the default hub.")
        self.refresh_screens()
