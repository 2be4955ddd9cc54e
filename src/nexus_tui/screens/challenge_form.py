"""Writing a challenge: its title, the problem, the solution (markdown), topics and links.

Answers the fields to save, or None. The form is checked as the user types and says what is wrong
in words; it cannot be saved while something is, and it keeps everything typed. Escape asks before
throwing changes away.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import NamedTuple

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static, TextArea

from nexus_tui.store.challenges import MAX_TITLE, ChallengeFields
from nexus_tui.store.records import Link, TopicSummary
from nexus_tui.text import one_line
from nexus_tui.validation import web_url
from nexus_tui.widgets.text_boxes import ControlPictures, SafeTextArea


class ChallengeTyped(NamedTuple):
    """The form exactly as it stands, valid or not."""

    title: str
    problem: str
    solution: str
    links: str
    topic_ids: frozenset[int]


def links_text(links: Iterable[Link]) -> str:
    """Links as the form shows them: one a line, the label and then the address."""
    return "\n".join(f"{link.label} {link.url}".strip() for link in links)


def parse_links(text: str) -> tuple[tuple[Link, ...], list[str]]:
    """The links on each line ("label address", or just the address), and what is wrong.

    The address is the last word; a line that starts with one instead (pasted the other way
    round) is taken too.
    """
    links: list[Link] = []
    problems: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        words = line.split()
        if not words:
            continue
        url, problem = web_url(words[-1], required=True)
        label = words[:-1]
        if problem is not None and len(words) > 1:
            first, first_problem = web_url(words[0], required=True)
            if first_problem is None:
                url, problem, label = first, None, words[1:]
        if problem is None and url is not None:
            links.append(Link(url, " ".join(label)))
        else:
            problems.append(
                f"Links, line {number}: “{one_line(words[-1], 40)}” is not a web address. {problem}"
            )
    return tuple(links), problems


def check_typed(
    typed: ChallengeTyped, needs_solution: bool, topic_order: Sequence[int] = ()
) -> tuple[ChallengeFields, list[str]]:
    """The challenge in the form, and every problem with it, in words (none: it can be saved).

    `topic_order` lists topic ids in the order they are shown, which the fields keep.
    """
    problems: list[str] = []
    title = typed.title.strip()
    if not title:
        problems.append("A challenge needs a title.")
    elif len(title) > MAX_TITLE:
        problems.append(f"A title has at most {MAX_TITLE} characters; this one has {len(title)}.")
    if needs_solution and not typed.solution.strip():
        problems.append("Write how you solved it: a solved challenge needs its solution.")
    links, link_problems = parse_links(typed.links)
    problems.extend(link_problems)
    ordered = [topic_id for topic_id in topic_order if topic_id in typed.topic_ids]
    ordered += sorted(typed.topic_ids.difference(ordered))
    fields = ChallengeFields(title, typed.problem, typed.solution, tuple(ordered), links)
    return fields, problems


def typed_of(fields: ChallengeFields) -> ChallengeTyped:
    return ChallengeTyped(
        fields.title,
        fields.problem,
        fields.solution,
        links_text(fields.links),
        frozenset(fields.topic_ids),
    )


class ChallengeForm(ModalScreen[ChallengeFields | None]):
    CSS_PATH = "challenge_form.tcss"
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", tooltip="Save the challenge", id="save-challenge"),
        Binding(
            "ctrl+t",
            "pick_topics",
            "Topics",
            tooltip="Choose the topics this challenge is about",
            id="pick-challenge-topics",
        ),
        Binding(
            "escape", "cancel", "Cancel", tooltip="Close without saving", id="cancel-challenge"
        ),
    ]

    def __init__(
        self,
        heading: str,
        topics: Sequence[TopicSummary],
        start: ChallengeFields | None = None,
        *,
        saved: ChallengeFields | None = None,
        needs_solution: bool = False,
        focus_solution: bool = False,
    ) -> None:
        """`start` is the text to begin with; `saved` the challenge as stored, when that differs
        (an edit that met a conflict); `needs_solution` when it is (to be) marked solved."""
        super().__init__()
        self.heading = heading
        self.topics = list(topics)
        start = start or ChallengeFields("", "", "")
        self.start = typed_of(start)
        self.saved = typed_of(saved or start)
        self.topic_ids = self.start.topic_ids
        self.needs_solution = needs_solution
        self.focus_solution = focus_solution

    def compose(self) -> ComposeResult:
        with Vertical(id="challenge-form") as dialog:
            dialog.border_title = self.heading
            dialog.border_subtitle = "ctrl+s saves · ctrl+t topics · escape cancels"
            yield Input(
                self.start.title,
                placeholder="Title: the problem in a few words",
                id="challenge-title",
                highlighter=ControlPictures(),
                # Typing at once must not replace the whole title being edited.
                select_on_focus=False,
            )
            yield Static("Problem: what went wrong, what you saw", classes="form-label")
            yield SafeTextArea(
                self.start.problem, id="challenge-problem", soft_wrap=True, language="markdown"
            )
            solution_label = "Solution: how you solved it"
            yield Static(
                f"{solution_label} (needed to mark it solved)"
                if self.needs_solution
                else solution_label,
                classes="form-label",
            )
            yield SafeTextArea(
                self.start.solution, id="challenge-solution", soft_wrap=True, language="markdown"
            )
            with Horizontal(id="challenge-topic-row"):
                yield Button("Topics… ctrl+t", id="challenge-topic-button", compact=True)
                yield Static(id="challenge-topic-names")
            yield Static(
                "Links: one a line, a label then the address "
                "(commits, pull requests, CI runs, docs)",
                classes="form-label",
            )
            yield SafeTextArea(self.start.links, id="challenge-links", soft_wrap=False)
            yield Static(id="challenge-form-errors")

    def on_mount(self) -> None:
        self.show_topic_names()
        if self.focus_solution:
            self.query_one("#challenge-solution", TextArea).focus()
        else:
            self.query_one("#challenge-title", Input).focus()

    def typed(self) -> ChallengeTyped:
        return ChallengeTyped(
            self.query_one("#challenge-title", Input).value,
            self.query_one("#challenge-problem", TextArea).text,
            self.query_one("#challenge-solution", TextArea).text,
            self.query_one("#challenge-links", TextArea).text,
            self.topic_ids,
        )

    def checked(self) -> tuple[ChallengeFields, list[str]]:
        order = [topic.id for topic in self.topics]
        return check_typed(self.typed(), self.needs_solution, order)

    @on(Input.Changed)
    @on(TextArea.Changed)
    def check(self) -> None:
        _, problems = self.checked()
        self.show_problems(problems)

    def show_problems(self, problems: list[str]) -> None:
        self.query_one("#challenge-form-errors", Static).update(Content("\n".join(problems)))

    def show_topic_names(self) -> None:
        names = [one_line(topic.name) for topic in self.topics if topic.id in self.topic_ids]
        label = self.query_one("#challenge-topic-names", Static)
        if names:
            label.update(Content(" · ".join(names)))
        else:
            label.update(Content.styled("No topic linked yet.", "dim"))

    @on(Button.Pressed, "#challenge-topic-button")
    def action_pick_topics(self) -> None:
        from nexus_tui.screens.topic_picker import TopicPicker

        def picked(chosen: tuple[int, ...] | None) -> None:
            if chosen is not None:
                self.topic_ids = frozenset(chosen)
                self.show_topic_names()
                self.check()

        self.app.push_screen(
            TopicPicker("Topics of this challenge", self.topics, self.topic_ids), picked
        )

    def action_save(self) -> None:
        fields, problems = self.checked()
        if problems:
            # Nothing typed is lost: the form stays open and says what to change.
            self.show_problems(problems)
            return
        self.dismiss(fields)

    def action_cancel(self) -> None:
        if self.typed() == self.saved:
            self.dismiss(None)
            return
        from nexus_tui.screens.confirm import ask_to_discard

        ask_to_discard(self, lambda: self.dismiss(None))
