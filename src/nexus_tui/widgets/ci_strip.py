"""The one-line CI summary shown at the bottom of every screen."""

from __future__ import annotations

from textual.content import Content
from textual.reactive import reactive
from textual.widgets import Static


class CiStrip(Static):
    """Each watched repository with its state; with none, how to watch one.

    The app owns the list of repositories; every screen's strip follows `NexusApp.watched_repos`.
    """

    DEFAULT_CSS = """
    CiStrip {
        height: 1;
        padding: 0 1;
        background: $panel;
        color: $text-muted;
    }
    """

    repos: reactive[tuple[str, ...]] = reactive((), layout=False)

    def on_mount(self) -> None:
        self.watch(self.app, "watched_repos", self._follow_app, init=True)

    def _follow_app(self, repos: tuple[str, ...]) -> None:
        self.repos = repos

    def render(self) -> Content:
        if not self.repos:
            return Content.assemble(
                ("CI ", "bold"),
                'no repository watched · add repos = ["owner/name"] under [github] in '
                "config.toml · press 4 for more",
            )
        # Until the GitHub client fetches runs, a repository's state is unknown: "?".
        parts: list[str | tuple[str, str] | Content] = [("CI ", "bold")]
        for repo in self.repos:
            parts.extend([("? ", "$text-warning"), Content(repo), "   "])
        return Content.assemble(*parts)
