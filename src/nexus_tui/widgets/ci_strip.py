"""The one-line CI summary shown at the bottom of every screen."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from textual.content import Content
from textual.widgets import Static

from nexus_tui.github.display import shown_line
from nexus_tui.github.states import FAILURE, PENDING, SUCCESS, UNKNOWN
from nexus_tui.polling import CiSnapshot, last_fetched

if TYPE_CHECKING:
    from nexus_tui.github.status import RepoStatus

SYMBOLS = {SUCCESS: "✓", FAILURE: "✗", PENDING: "●", UNKNOWN: "?"}
STYLES = {
    SUCCESS: "$text-success",
    FAILURE: "$text-error",
    PENDING: "$text-warning",
    UNKNOWN: "dim",
}
# Ages on screen change with the clock, not only with new data.
AGE_REFRESH_SECONDS = 30


def short_age(moment: datetime, now: datetime) -> str:
    """'now', '5 m', '3 h', '2 d': an age that fits a status line."""
    seconds = max((now - moment).total_seconds(), 0)
    if seconds < 60:
        return "now"
    if seconds < 3600:
        return f"{int(seconds // 60)} m"
    if seconds < 86400:
        return f"{int(seconds // 3600)} h"
    return f"{int(seconds // 86400)} d"


def state_age(status: RepoStatus, now: datetime) -> str:
    """How old the state is: since the latest run finished (the repository went red or green
    then) or started (it has been running since), or, for a state that could not be renewed,
    since GitHub last gave it ("stale 3 h")."""
    if status.stale and status.fetched_at is not None:
        return f"stale {short_age(status.fetched_at, now)}"
    moments = [
        (run.run_started_at or run.created_at) if run.unfinished else run.updated_at
        for run in status.runs
    ]
    latest = max((moment for moment in moments if moment is not None), default=None)
    return short_age(latest, now) if latest is not None else ""


def symbol(state: str) -> tuple[str, str]:
    return SYMBOLS.get(state, "?"), STYLES.get(state, "dim")


def strip_content(repos: Sequence[str], snapshot: CiSnapshot, now: datetime) -> Content:
    """Each repository with its state and age, then what holds the news back (no network, a
    rate limit, no token)."""
    if not repos:
        return Content.assemble(
            ("CI ", "bold"),
            'no repository watched · add repos = ["owner/name"] under [github] in '
            "config.toml · press 4 for more",
        )
    parts: list[str | tuple[str, str] | Content] = [("CI ", "bold")]
    for repo in repos:
        status = snapshot.status(repo)
        state = status.state if status is not None else UNKNOWN
        age = state_age(status, now) if status is not None else ""
        parts += [symbol(state), " ", (shown_line(repo, limit=60), "$foreground")]
        if age:
            parts += [" ", (age, "$text-warning" if status and status.stale else "")]
        parts.append("   ")
    notes: list[str] = []
    if snapshot.offline:
        fetched = last_fetched(snapshot.statuses)
        known = f"last known {short_age(fetched, now)} ago" if fetched else "nothing known yet"
        notes.append(f"offline — {known}")
    elif snapshot.blocked_until is not None and snapshot.blocked_until > now:
        notes.append(f"rate limited until {snapshot.blocked_until.astimezone(UTC):%H:%M} UTC")
    if snapshot.authenticated is False:
        notes.append("no GitHub token")
    if notes:
        parts.append(("· " + " · ".join(notes), "$text-warning"))
    return Content.assemble(*parts)


class CiStrip(Static):
    """Each watched repository with its state; with none, how to watch one.

    The app owns both the list of repositories and what is known of them (`NexusApp.ci`); every
    screen's strip follows them.
    """

    # A widget cannot name a stylesheet of its own; these few rules travel with it.
    DEFAULT_CSS = """
    CiStrip {
        height: 1;
        padding: 0 1;
        background: $panel;
        color: $text-muted;
    }
    """

    def on_mount(self) -> None:
        self.watch(self.app, "watched_repos", self._changed, init=False)
        self.watch(self.app, "ci", self._changed, init=False)
        self.set_interval(AGE_REFRESH_SECONDS, self._changed)

    def _changed(self) -> None:
        self.refresh()

    def render(self) -> Content:
        return strip_content(self.app.watched_repos, self.app.ci, self.app.clock())
