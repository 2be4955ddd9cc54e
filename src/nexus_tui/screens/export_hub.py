"""Export hub…: the hub written to a file, as a README (markdown) or a JSON backup.

The format follows the file's name: `.json` writes a backup that `import` restores exactly,
anything else a README. The file is written whole or not at all (a temporary file beside it,
then renamed); escape before the end writes nothing. Answers the file written, or None.
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

from nexus_tui.store import Store, StoreError
from nexus_tui.text import one_line


def export_form(path: Path) -> str:
    return "json" if path.suffix.lower() == ".json" else "markdown"


class ExportHubScreen(ModalScreen[Path | None]):
    CSS_PATH = "import_hub.tcss"
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="cancel-export")]

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store
        self.exporting = False
        self.cancel_requested = threading.Event()

    def compose(self) -> ComposeResult:
        with Vertical(id="export-dialog") as dialog:
            dialog.border_title = "Export hub"
            dialog.border_subtitle = "enter exports · escape closes"
            yield Static(
                Content(
                    "A file ending in .json gets a complete backup that Import restores "
                    "exactly; any other name gets a README for GitHub."
                ),
                id="export-hint",
            )
            yield Input(placeholder="README.md or nexus-hub.json", id="export-path")
            yield Static(id="export-message")
            yield ProgressBar(id="export-progress", show_eta=False)

    def on_mount(self) -> None:
        self.query_one("#export-progress").display = False

    @on(Input.Submitted, "#export-path")
    def submitted(self, event: Input.Submitted) -> None:
        if self.exporting:
            return
        text = event.value.strip()
        if not text:
            self.show_message("Type the path of the file to write first.", error=True)
            return
        target = Path(text).expanduser()
        database = self.store.path  # None on a server: no file to overwrite by mistake
        if database is not None and target.exists() and target.resolve() == database.resolve():
            self.show_message("That is the hub's own database: name another file.", error=True)
            return
        self.exporting = True
        self.query_one("#export-path", Input).disabled = True
        progress = self.query_one("#export-progress", ProgressBar)
        progress.display = True
        progress.update(total=None)
        self.show_message(f"Writing {export_form(target)} to {one_line(str(target))}…")
        self.query_one("#export-dialog").border_subtitle = "escape cancels: nothing is written"
        self.run_export(target)

    @work(thread=True, exclusive=True, group="export", exit_on_error=False)
    def run_export(self, target: Path) -> None:
        from nexus_tui.hub.files import export_text, write_atomically
        from nexus_tui.store.hub_io import ExportCancelled, read_hub

        def progress(done: int, total: int) -> None:
            self.app.call_from_thread(self._progress, done, total)

        reader = partial(read_hub, progress=progress, cancelled=self.cancel_requested.is_set)
        try:
            content = self.store.read(reader)
            text = export_text(content, export_form(target))
            # The last moment to stop: past it, the file is replaced whole.
            if self.cancel_requested.is_set():
                self.app.call_from_thread(self._stopped, "Export cancelled: nothing was written.")
                return
            write_atomically(target, text)
        except ExportCancelled:
            self.app.call_from_thread(self._stopped, "Export cancelled: nothing was written.")
            return
        except StoreError as error:
            self.app.call_from_thread(self._stopped, one_line(str(error)))
            return
        except OSError as error:
            message = f"Cannot write {target}: {error.strerror or error}. Nothing was written."
            self.app.call_from_thread(self._stopped, one_line(message))
            return
        self.app.call_from_thread(self.dismiss, target)

    def _progress(self, done: int, total: int) -> None:
        self.query_one("#export-progress", ProgressBar).update(total=max(total, 1), progress=done)

    def _stopped(self, message: str) -> None:
        self.exporting = False
        self.cancel_requested.clear()
        self.query_one("#export-progress").display = False
        self.query_one("#export-path", Input).disabled = False
        self.query_one("#export-dialog").border_subtitle = "enter exports · escape closes"
        self.show_message(message, error=True)

    def action_cancel(self) -> None:
        if self.exporting:
            self.cancel_requested.set()
            self.show_message("Cancelling…")
        else:
            self.dismiss(None)

    def show_message(self, text: str, *, error: bool = False) -> None:
        message = self.query_one("#export-message", Static)
        message.set_class(error, "-error")
        message.update(Content(text))
