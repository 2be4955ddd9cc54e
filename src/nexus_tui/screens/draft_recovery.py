"""Drafts kept from an earlier run (quit or crash before saving), offered back at start.

Answers the draft to restore, or None; the Topics screen then opens the editor on it. Discarding
asks first. Escape decides later: the drafts stay and are offered again at the next start.
"""

from __future__ import annotations

from datetime import datetime

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static
from textual.widgets.option_list import Option

from nexus_tui.drafts import SavedDraft, discard_draft
from nexus_tui.text import age, one_line
from nexus_tui.widgets.lists import KeyOptionList


class DraftRecoveryScreen(ModalScreen[SavedDraft | None]):
    CSS_PATH = "draft_recovery.tcss"
    BINDINGS = [
        Binding("enter,r", "restore", "Restore", id="restore-draft"),
        Binding("d,delete", "discard", "Discard", id="discard-draft"),
        Binding("escape", "dismiss(None)", "Later", id="drafts-later"),
    ]

    def __init__(self, drafts: list[SavedDraft], now: datetime) -> None:
        super().__init__()
        self.drafts = {str(index): saved for index, saved in enumerate(drafts)}
        self.now = now

    def compose(self) -> ComposeResult:
        with Vertical(id="drafts-dialog") as dialog:
            dialog.border_title = "Unsaved drafts"
            dialog.border_subtitle = "enter restores · d discards · escape decides later"
            yield Static(self.explanation(), id="drafts-explanation")
            yield KeyOptionList(
                *(Option(self.prompt(saved), id=key) for key, saved in self.drafts.items()),
                id="drafts-list",
            )

    def explanation(self) -> Content:
        count = len(self.drafts)
        which = "this edit was" if count == 1 else f"these {count} edits were"
        return Content(f"When nexus-tui last stopped, {which} not saved yet.")

    def prompt(self, saved: SavedDraft) -> Content:
        draft = saved.draft
        kind = "new note" if draft.note_id is None else "edit"
        return Content.assemble(
            (one_line(draft.title) or "(no title)", "bold"),
            "\n",
            (
                f"  {kind} · {one_line(draft.topic) or 'unknown topic'} · "
                f"saved {age(draft.saved_at, self.now)}",
                "dim",
            ),
        )

    def on_mount(self) -> None:
        options = self.query_one("#drafts-list", KeyOptionList)
        options.highlighted = 0
        options.focus()

    def highlighted(self) -> tuple[str, SavedDraft] | None:
        options = self.query_one("#drafts-list", KeyOptionList)
        if options.highlighted is None:
            return None
        key = options.get_option_at_index(options.highlighted).id
        return (key, self.drafts[key]) if key in self.drafts else None

    def action_restore(self) -> None:
        chosen = self.highlighted()
        if chosen is not None:
            self.dismiss(chosen[1])

    @on(KeyOptionList.OptionSelected, "#drafts-list")
    def selected(self) -> None:
        self.action_restore()

    def action_discard(self) -> None:
        from nexus_tui.screens.confirm import ConfirmScreen

        chosen = self.highlighted()
        if chosen is None:
            return
        key, saved = chosen

        def answered(yes: bool | None) -> None:
            if yes:
                self.discard(key, saved)

        self.app.push_screen(
            ConfirmScreen(
                "Discard this draft?",
                f"{one_line(saved.draft.title) or '(no title)'}\n\nIts text is lost.",
                "Discard",
            ),
            answered,
        )

    @work(thread=True, group="discard-draft", exit_on_error=False)
    def discard(self, key: str, saved: SavedDraft) -> None:
        discard_draft(saved.path)
        self.app.call_from_thread(self.discarded, key)

    def discarded(self, key: str) -> None:
        self.drafts.pop(key, None)
        if not self.drafts:
            self.dismiss(None)
            return
        options = self.query_one("#drafts-list", KeyOptionList)
        options.remove_option(key)
        self.query_one("#drafts-explanation", Static).update(self.explanation())
