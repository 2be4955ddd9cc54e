"""Naming a GitHub repository to watch, checked as it is typed."""

from __future__ import annotations

from collections.abc import Iterable

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from nexus_tui.text import one_line
from nexus_tui.validation import repo_full_name


class RepoForm(ModalScreen[str | None]):
    """Answers "owner/name" to watch, or None when cancelled."""

    CSS_PATH = "repo_form.tcss"
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="cancel-repo")]

    def __init__(self, watched: Iterable[str]) -> None:
        super().__init__()
        self.watched = {name.lower(): name for name in watched}

    def compose(self) -> ComposeResult:
        with Vertical(id="repo-form") as dialog:
            dialog.border_title = "Watch a repository"
            dialog.border_subtitle = "enter adds · escape cancels"
            yield Static(
                Content("owner/name, or its github.com address. It is saved in the config file."),
                id="repo-hint",
            )
            yield Input(placeholder="owner/name", id="repo-name")
            yield Static(id="repo-problem")

    def checked(self) -> tuple[str | None, str | None]:
        """The name to watch, or the problem with what was typed."""
        name, problem = repo_full_name(self.query_one("#repo-name", Input).value)
        if name is None:
            return None, problem
        if name.lower() in self.watched:
            return None, f"{one_line(self.watched[name.lower()])} is already watched."
        return name, None

    @on(Input.Changed, "#repo-name")
    def check(self, event: Input.Changed) -> None:
        # Nothing typed yet is not a mistake.
        problem = self.checked()[1] if event.value.strip() else None
        self.query_one("#repo-problem", Static).update(Content(problem or ""))

    @on(Input.Submitted, "#repo-name")
    def save(self) -> None:
        name, problem = self.checked()
        if name is None:
            self.query_one("#repo-problem", Static).update(Content(problem or ""))
            return
        self.dismiss(name)

    def action_cancel(self) -> None:
        self.dismiss(None)
