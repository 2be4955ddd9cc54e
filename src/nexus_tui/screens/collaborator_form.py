"""A collaborator's details in one dialog, checked as the user types. Answers the fields, or None.

Each field says what is wrong under it, in words, while it is wrong; ctrl+s saves only a form with
nothing wrong, and the dialog stays open with everything typed until then.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.validation import ValidationResult, Validator
from textual.widget import Widget
from textual.widgets import Input, Label, Select, Static, TextArea

from nexus_tui.screens.collaborators import ROLE_WORDS, day_words
from nexus_tui.store.collaborators import ROLES, CollaboratorFields
from nexus_tui.validation import day, github_handle, repo_full_name
from nexus_tui.widgets.text_boxes import ControlPictures, SafeTextArea

MAX_NAME = 100
MAX_HANDLE = 100

# The boxes of the form in the order they are read, with the label each is shown under.
FIELD_LABELS = {
    "name": "Name",
    "role": "Role",
    "github": "GitHub",
    "discord": "Discord",
    "project": "Project",
    "last-sync": "Last sync-up",
    "next-sync": "Next sync-up",
    "repos": "Repositories",
    "notes": "Notes",
    "api-contract": "API contract",
}
CHECKED_FIELDS = ("name", "github", "discord", "last-sync", "next-sync", "repos")
DATE_FIELDS = ("last-sync", "next-sync")
Typed = dict[str, str]
"""What stands in each box, by field id."""


def name_problem(text: str) -> str | None:
    if not text.strip():
        return "A collaborator needs a name."
    if len(text.strip()) > MAX_NAME:
        return f"A name has at most {MAX_NAME} characters."
    return None


def discord_problem(text: str) -> str | None:
    if len(text.strip()) > MAX_HANDLE:
        return f"A Discord handle or channel has at most {MAX_HANDLE} characters."
    return None


def repos_of(
    text: str, taken: Mapping[str, str] | None = None
) -> tuple[tuple[str, ...], str | None]:
    """The repositories typed one a line, and the first problem with them.

    `taken` maps the lower-cased names of repositories watched for someone else to that person.
    """
    repos: list[str] = []
    lines = [line.strip() for line in text.splitlines()]
    for number, line in enumerate(lines, start=1):
        if not line:
            continue
        where = f"Line {number}: " if len([each for each in lines if each]) > 1 else ""
        full_name, problem = repo_full_name(line)
        if problem is not None or full_name is None:
            return tuple(repos), f"{where}{problem}"
        if any(full_name.lower() == each.lower() for each in repos):
            return tuple(repos), f"{where}{full_name} is listed twice."
        owner = (taken or {}).get(full_name.lower())
        if owner is not None:
            return tuple(repos), f"{where}{full_name} is already watched for {owner}."
        repos.append(full_name)
    return tuple(repos), None


def field_problems(typed: Typed, today: date, taken: Mapping[str, str]) -> dict[str, str]:
    """What is wrong with each box, by field id; empty when the form can be saved."""
    problems = {
        "name": name_problem(typed["name"]),
        "github": github_handle(typed["github"])[1],
        "discord": discord_problem(typed["discord"]),
        "last-sync": day(typed["last-sync"], today)[1],
        "next-sync": day(typed["next-sync"], today)[1],
        "repos": repos_of(typed["repos"], taken)[1],
    }
    return {field: problem for field, problem in problems.items() if problem is not None}


def fields_of(typed: Typed, today: date, taken: Mapping[str, str]) -> CollaboratorFields | None:
    """The collaborator in the boxes, or None while any box is wrong."""
    if field_problems(typed, today, taken):
        return None
    return CollaboratorFields(
        name=typed["name"].strip(),
        role=typed["role"],
        github=github_handle(typed["github"])[0] or "",
        discord=typed["discord"].strip(),
        project=typed["project"].strip(),
        notes=typed["notes"],
        api_contract=typed["api-contract"],
        last_sync=day(typed["last-sync"], today)[0],
        next_sync=day(typed["next-sync"], today)[0],
        repos=repos_of(typed["repos"], taken)[0],
    )


def typed_text(fields: CollaboratorFields) -> Typed:
    """A collaborator as the form's boxes show it."""
    return {
        "name": fields.name,
        "role": fields.role,
        "github": fields.github,
        "discord": fields.discord,
        "project": fields.project,
        "last-sync": fields.last_sync.isoformat() if fields.last_sync else "",
        "next-sync": fields.next_sync.isoformat() if fields.next_sync else "",
        "repos": "\n".join(fields.repos),
        "notes": fields.notes,
        "api-contract": fields.api_contract,
    }


EMPTY = CollaboratorFields("", "other", "", "", "", "", "", None, None, ())


class Rule(Validator):
    """One of the checks above as a Textual validator, so a wrong box is marked as it is typed."""

    def __init__(self, problem: Callable[[str], str | None]) -> None:
        super().__init__()
        self.problem = problem

    def validate(self, value: str) -> ValidationResult:
        problem = self.problem(value)
        return self.success() if problem is None else self.failure(problem)


class CollaboratorForm(ModalScreen[CollaboratorFields | None]):
    CSS_PATH = "collaborator_form.tcss"
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="save-collaborator"),
        Binding("escape", "cancel", "Cancel", id="cancel-collaborator"),
    ]

    def __init__(
        self,
        heading: str,
        today: date,
        fields: CollaboratorFields | None = None,
        *,
        saved: CollaboratorFields | None = None,
        taken: Mapping[str, str] | None = None,
        problem: str | None = None,
    ) -> None:
        """`fields` is what the boxes start with; `saved` the person as stored, when that
        differs (an edit that met a conflict or a refusal); `taken` the repositories watched for
        others (lower-cased name to person); `problem` why the last save was refused."""
        super().__init__()
        self.heading = heading
        self.today = today
        self.start = typed_text(fields or saved or EMPTY)
        self.saved = typed_text(saved or fields or EMPTY)
        self.taken = dict(taken or {})
        self.first_problem = problem
        self.refused: Typed | None = None
        """The text the store refused to save, while the boxes still hold it."""
        self.touched: set[str] = set()
        """The boxes changed here; a problem is said once its box is touched, or after a save."""
        self.show_all = problem is not None

    def compose(self) -> ComposeResult:
        start = self.start
        with Vertical(id="collaborator-form") as dialog:
            dialog.border_title = self.heading
            dialog.border_subtitle = "ctrl+s saves · escape cancels · tab to the next box"
            with Horizontal(id="form-columns"):
                with Vertical(id="form-details"):
                    yield from self.field(
                        "name",
                        Input(
                            start["name"],
                            id="name",
                            validators=[Rule(name_problem)],
                            highlighter=ControlPictures(),
                        ),
                    )
                    role = start["role"] if start["role"] in ROLES else "other"
                    yield from self.field(
                        "role",
                        Select(
                            [(ROLE_WORDS[each], each) for each in ROLES],
                            value=role,
                            allow_blank=False,
                            compact=True,
                            id="role",
                        ),
                    )
                    yield from self.field(
                        "github",
                        Input(
                            start["github"],
                            placeholder="handle, e.g. octocat",
                            id="github",
                            highlighter=ControlPictures(),
                            validators=[Rule(lambda text: github_handle(text)[1])],
                        ),
                    )
                    yield from self.field(
                        "discord",
                        Input(
                            start["discord"],
                            placeholder="handle or #channel",
                            id="discord",
                            highlighter=ControlPictures(),
                            validators=[Rule(discord_problem)],
                        ),
                    )
                    yield from self.field(
                        "project",
                        Input(
                            start["project"],
                            placeholder="shared project",
                            id="project",
                            highlighter=ControlPictures(),
                        ),
                    )
                    for field in DATE_FIELDS:
                        yield from self.field(
                            field,
                            Input(
                                start[field],
                                placeholder="YYYY-MM-DD, today, +7, +2w",
                                id=field,
                                validators=[Rule(lambda text: day(text, self.today)[1])],
                            ),
                        )
                    yield from self.field(
                        "repos",
                        SafeTextArea(start["repos"], id="repos", soft_wrap=False),
                        hint="owner/name, one a line: their CI is watched",
                    )
                with Vertical(id="form-texts"):
                    yield Label(FIELD_LABELS["notes"], classes="text-label")
                    yield SafeTextArea(start["notes"], id="notes", soft_wrap=True)
                    yield Label(
                        Content.assemble(
                            FIELD_LABELS["api-contract"],
                            ("  markdown: endpoints, data shapes", "dim"),
                        ),
                        classes="text-label",
                    )
                    # Highlighted when the tree-sitter grammar is there; plain text otherwise.
                    yield SafeTextArea(
                        start["api-contract"],
                        id="api-contract",
                        soft_wrap=True,
                        language="markdown",
                    )
            yield Static(Content(self.first_problem or ""), id="form-problem")

    def field(self, field: str, box: Widget, hint: str | None = None) -> ComposeResult:
        with Horizontal(classes="field"):
            yield Label(FIELD_LABELS[field], classes="field-label")
            with Vertical(classes="field-box"):
                yield box
                if hint is not None or field in DATE_FIELDS:
                    yield Static(Content(hint or ""), id=f"{field}-hint", classes="field-hint")
                if field in CHECKED_FIELDS:
                    yield Static(id=f"{field}-problem", classes="field-problem")

    def on_mount(self) -> None:
        # The boxes announce their first values as changes too: the reason the store gave stays
        # until the text differs from what it refused.
        self.refused = self.typed() if self.first_problem else None
        self.show_problems(self.problems())

    def typed(self) -> Typed:
        typed = {field: self.query_one(f"#{field}", Input).value for field in
                 ("name", "github", "discord", "project", "last-sync", "next-sync")}  # fmt: skip
        for field in ("repos", "notes", "api-contract"):
            typed[field] = self.query_one(f"#{field}", TextArea).text
        role = self.query_one("#role", Select).value
        typed["role"] = role if isinstance(role, str) else "other"
        return typed

    def problems(self) -> dict[str, str]:
        return field_problems(self.typed(), self.today, self.taken)

    @on(Input.Changed)
    @on(TextArea.Changed)
    @on(Select.Changed)
    def check(self) -> None:
        self.show_problems(self.problems())

    def show_problems(self, problems: dict[str, str]) -> None:
        typed = self.typed()
        for field in CHECKED_FIELDS:
            # A fresh form does not open with a complaint about the name it has yet to be given.
            if typed[field] != self.start[field]:
                self.touched.add(field)
            said = field in problems and (self.show_all or field in self.touched)
            problem = self.query_one(f"#{field}-problem", Static)
            problem.update(Content(problems[field] if said else ""))
            problem.display = said
        # The Inputs mark themselves through their validators; the text box is marked here.
        self.query_one("#repos", TextArea).set_class("repos" in problems, "-invalid")
        for field in DATE_FIELDS:
            # "+7" or "today" is spelled out, so the day meant is the day saved.
            value = typed[field].strip()
            when = day(value, self.today)[0] if field not in problems else None
            hint = self.query_one(f"#{field}-hint", Static)
            hint.update(Content(day_words(when) if when and value != when.isoformat() else ""))
            hint.display = bool(when and value != when.isoformat())
        if not problems and typed != self.refused:
            self.query_one("#form-problem", Static).update("")

    @on(Input.Submitted)
    def next_box(self) -> None:
        self.focus_next()

    def action_save(self) -> None:
        problems = self.problems()
        if problems:
            self.show_all = True
            # Nothing typed is lost: the form stays open, and says where to look.
            self.show_problems(problems)
            names = ", ".join(FIELD_LABELS[field] for field in problems)
            self.query_one("#form-problem", Static).update(
                Content(f"Not saved yet: check {names}.")
            )
            self.query_one(f"#{next(iter(problems))}").focus()
            return
        self.dismiss(fields_of(self.typed(), self.today, self.taken))

    def action_cancel(self) -> None:
        if self.typed() == self.saved:
            self.dismiss(None)
            return
        from nexus_tui.screens.confirm import ask_to_discard

        ask_to_discard(self, lambda: self.dismiss(None))
