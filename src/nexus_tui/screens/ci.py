"""CI: the watched GitHub repositories; with none, how to watch one."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets.option_list import Option

from nexus_tui.screens.base import HubScreen
from nexus_tui.store import Store, queries
from nexus_tui.store.records import WatchedRepo
from nexus_tui.text import one_line
from nexus_tui.widgets.lists import KeyOptionList
from nexus_tui.widgets.markdown_view import MarkdownView

HOW_TO_WATCH = """\
# No repository is watched yet

nexus-tui shows the GitHub Actions status of the repositories you watch: the latest run of each
workflow, its jobs, recent commits and open pull requests.

To watch a repository, name it in your config file:

```toml
[github]
repos = ["owner/name", "owner/another"]
```

The file is `{config}`. Restart nexus-tui after saving it.
"""

FETCHING_LATER = """\
# Watched repositories

These repositories are watched. Their workflow runs appear here once they have been fetched from
GitHub; until then their state is unknown (`?`).
"""


class CiScreen(HubScreen):
    CSS_PATH = "list_and_detail.tcss"
    SUB_TITLE = "CI"

    def compose_body(self) -> ComposeResult:
        with Horizontal(classes="list-and-detail"):
            repos = KeyOptionList(id="repo-list", classes="master")
            repos.border_title = "Repositories"
            yield repos
            yield MarkdownView(id="ci-view", classes="detail")

    def on_mount(self) -> None:
        super().on_mount()
        # A collaborator's repositories come and go while the app runs; so do their names here.
        self.watch(self.app, "watched_repos", self._repos_changed, init=False)

    def _repos_changed(self) -> None:
        if self.app.store is not None:
            self.load(self.app.store)

    @work(thread=True, exclusive=True, group="repos", exit_on_error=False)
    def load(self, store: Store) -> None:
        stored = store.read(queries.watched_repos)
        self.app.call_from_thread(self.show_repos, stored)

    def show_repos(self, stored: list[WatchedRepo]) -> None:
        repo_list = self.query_one("#repo-list", KeyOptionList)
        repo_list.clear_options()
        owners = {repo.full_name.lower(): repo.collaborator for repo in stored}
        names = self.app.watched_repos
        repo_list.add_options(
            Option(repo_prompt(name, owners.get(name.lower())), id=name) for name in names
        )
        body = self.query_one("#ci-view", MarkdownView)
        if names:
            repo_list.highlighted = 0
            body.show(FETCHING_LATER)
        else:
            body.show(HOW_TO_WATCH.format(config=self.app.paths.config_file))


def repo_prompt(name: str, collaborator: str | None) -> Content:
    return Content.assemble(
        ("? ", "$text-warning"),
        one_line(name),
        (f"  {one_line(collaborator)}" if collaborator else "", "dim"),
    )
