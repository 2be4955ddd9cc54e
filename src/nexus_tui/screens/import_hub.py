"""Import hub…: a README or a JSON backup into the hub, after showing what it would change.

Three steps in one dialog: type the file's path (enter reads it and plans the import, changing
nothing), read what would be added or changed (enter imports), and watch the progress bar. The
import is one transaction: escape while it runs cancels it and nothing is kept. Answers the plan
of the import that was made, or None.
"""

from __future__ import annotations

import threading
from functools import partial
from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, ProgressBar, Static

from nexus_tui.hub.content import HubContent
from nexus_tui.store import Store, StoreError
from nexus_tui.store.hub_io import ImportPlan
from nexus_tui.text import one_line

# Lines of the plan shown before "… and N more".
PLAN_LINES_SHOWN = 8
# Under the plan when the hub is on a PostgreSQL server.
NO_FILE_BACKUP = "No backup is made first on PostgreSQL: back it up with pg_dump."


def sentence(text: str) -> str:
    """The plan's summary ("would add 3 topics") as it starts a line on screen."""
    return text[:1].upper() + text[1:]


class ImportHubScreen(ModalScreen[ImportPlan | None]):
    CSS_PATH = "import_hub.tcss"
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="cancel-import")]

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store
        self.content: HubContent | None = None
        """The file's hub, once read and planned."""
        self.exact = False
        """Whether it is a backup, restored value for value."""
        self.plan: ImportPlan | None = None
        self.importing = False
        self.cancel_requested = threading.Event()

    def compose(self) -> ComposeResult:
        with Vertical(id="import-dialog") as dialog:
            dialog.border_title = "Import hub"
            dialog.border_subtitle = "enter reads the file · escape closes"
            yield Static(
                Content(
                    "A hub README (markdown, or text copied from GitHub) or a nexus-tui JSON "
                    "backup. Nothing changes until you confirm."
                ),
                id="import-hint",
            )
            yield Input(placeholder="path/to/README.md", id="import-path")
            yield Static(id="import-plan")
            yield ProgressBar(id="import-progress", show_eta=False)

    def on_mount(self) -> None:
        self.query_one("#import-progress").display = False

    # Step 1: read the file and plan.

    @on(Input.Changed, "#import-path")
    def path_changed(self) -> None:
        # A plan belongs to the file it was made for.
        if self.plan is not None and not self.importing:
            self.content = self.plan = None
            self.show_message("")
            self._subtitle("enter reads the file · escape closes")

    @on(Input.Submitted, "#import-path")
    def submitted(self, event: Input.Submitted) -> None:
        if self.importing:
            return
        if self.plan is not None and self.content is not None:
            self.start_import()
            return
        text = event.value.strip()
        if not text:
            self.show_message("Type the path of a README or a backup first.", error=True)
            return
        self.show_message("Reading…")
        self.read_and_plan(Path(text).expanduser())

    @work(thread=True, exclusive=True, group="import-plan", exit_on_error=False)
    def read_and_plan(self, path: Path) -> None:
        from nexus_tui.hub.files import HubFileError, read_hub_file
        from nexus_tui.store.hub_io import plan_import

        try:
            content, exact = read_hub_file(path)
            plan = self.store.read(partial(plan_import, exact=exact), content)
        except (HubFileError, StoreError) as error:
            self.app.call_from_thread(self.show_message, one_line(str(error)), error=True)
            return
        self.app.call_from_thread(self.planned, content, exact, plan)

    def planned(self, content: HubContent, exact: bool, plan: ImportPlan) -> None:
        if plan.empty:
            self.show_message("Nothing to import: the hub already has everything in that file.")
            return
        self.content, self.exact, self.plan = content, exact, plan
        lines = [sentence(plan.summary(would=True))]
        lines += [f"  {one_line(line)}" for line in plan.lines[:PLAN_LINES_SHOWN]]
        if len(plan.lines) > PLAN_LINES_SHOWN:
            lines.append(f"  … and {len(plan.lines) - PLAN_LINES_SHOWN} more")
        if self.store.path is None:
            lines.append(NO_FILE_BACKUP)
        self.show_message("\n".join(lines))
        self._subtitle("enter imports · escape closes")

    # Step 2: import, with progress; escape cancels.

    def start_import(self) -> None:
        self.importing = True
        self.query_one("#import-path", Input).disabled = True
        progress = self.query_one("#import-progress", ProgressBar)
        progress.display = True
        progress.update(total=None, progress=0)
        self._subtitle("escape cancels: nothing is kept")
        self.run_import(self.content, self.exact)

    @work(thread=True, exclusive=True, group="import", exit_on_error=False)
    def run_import(self, content: HubContent, exact: bool) -> None:
        from nexus_tui.store.backups import backup_before_import
        from nexus_tui.store.hub_io import ImportCancelled, apply_import

        def progress(done: int, total: int) -> None:
            self.app.call_from_thread(self._progress, done, total)

        importer = partial(
            apply_import, exact=exact, progress=progress, cancelled=self.cancel_requested.is_set
        )
        try:
            # A copy of the hub as it was, for `nexus-tui restore`; no copy, no import. A server's
            # database has no file to copy: its backups are the server's (NO_FILE_BACKUP).
            if self.store.path is not None:
                backup_before_import(self.store.path)
            plan = self.store.write(importer, content, self.store.clock())
        except ImportCancelled:
            self.app.call_from_thread(self._stopped, "Import cancelled: nothing was changed.")
            return
        except StoreError as error:
            self.app.call_from_thread(
                self._stopped, f"{one_line(str(error))} Nothing was imported."
            )
            return
        self.app.call_from_thread(self.dismiss, plan)

    def _progress(self, done: int, total: int) -> None:
        self.query_one("#import-progress", ProgressBar).update(total=max(total, 1), progress=done)

    def _stopped(self, message: str) -> None:
        self.importing = False
        self.cancel_requested.clear()
        self.query_one("#import-progress").display = False
        self.query_one("#import-path", Input).disabled = False
        self.content = self.plan = None
        self.show_message(message, error=True)
        self._subtitle("enter reads the file · escape closes")

    def action_cancel(self) -> None:
        if self.importing:
            self.cancel_requested.set()
            self.show_message("Cancelling…")
        else:
            self.dismiss(None)

    # Helpers.

    def show_message(self, text: str, *, error: bool = False) -> None:
        plan = self.query_one("#import-plan", Static)
        plan.set_class(error, "-error")
        plan.update(Content(text))

    def _subtitle(self, text: str) -> None:
        self.query_one("#import-dialog").border_subtitle = text
