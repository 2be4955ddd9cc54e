"""CI: the watched GitHub repositories, their latest runs, jobs, commits and pull requests.

What is known of each repository's state comes from `NexusApp.ci` (kept current by polling.py);
the screen only draws it. A run's jobs, the commits and the pull requests are asked for when they
are wanted (enter on a run, a tab shown), in async workers that use the app's one `CiService`.
Every piece of text from GitHub goes through `display.shown_line` into `Content` objects.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Static, TabbedContent, TabPane
from textual.widgets.option_list import Option

from nexus_tui.config import ConfigError, Settings, load_settings, save_settings
from nexus_tui.github.display import shown_line
from nexus_tui.github.models import Commit, Job, PullRequest, WorkflowRun
from nexus_tui.github.status import FAILURE, PENDING, SUCCESS, UNKNOWN, RepoStatus
from nexus_tui.polling import CiSnapshot, unreachable
from nexus_tui.screens.base import HubScreen
from nexus_tui.store import Store, queries
from nexus_tui.store.challenges import ChallengeFields
from nexus_tui.store.records import Link, SearchResult, WatchedRepo
from nexus_tui.text import age, markdown_literal, one_line
from nexus_tui.widgets.ci_strip import STYLES, SYMBOLS, state_age, symbol
from nexus_tui.widgets.lists import KeyOptionList
from nexus_tui.widgets.markdown_view import MarkdownView

HOW_TO_WATCH = """\
# No repository is watched yet

nexus-tui shows the GitHub Actions status of the repositories you watch: the latest run of each
workflow, its jobs, recent commits and open pull requests.

Press **a** to watch a repository. It is saved in your config file, `{config}`, where you can
also list them yourself:

```toml
[github]
repos = ["owner/name", "owner/another"]
```

`nexus-tui repo add owner/name` does the same from a shell.
"""

BARS = "▁▂▃▄▅▆▇█"
# Runs per workflow in the durations chart: about the width left beside its name.
CHART_RUNS = 30
WORKFLOW_WIDTH = 16
# Keys that act on the highlighted run, or on the highlighted repository.
RUN_ACTIONS = frozenset({"rerun_failed", "challenge_from_run"})
REPO_ACTIONS = frozenset({"remove_repo", "open_in_browser"})
JOBS_HINT = "Enter on a run shows its jobs and their steps here."


class CiScreen(HubScreen):
    CSS_PATH = ["list_and_detail.tcss", "ci.tcss"]
    SUB_TITLE = "CI"
    BINDINGS = [
        Binding(
            "o",
            "open_in_browser",
            "Open",
            tooltip="Open the selected run, pull request or repository in the browser",
            id="ci-open",
        ),
        Binding("r", "refresh", "Refresh", tooltip="Ask GitHub now", show=False, id="refresh"),
        Binding(
            "R",
            "rerun_failed",
            "Re-run",
            tooltip="Re-run the failed jobs of the selected run (asks first)",
            id="ci-rerun",
        ),
        Binding(
            "c",
            "challenge_from_run",
            "Challenge",
            tooltip="Turn the selected failed run into a new challenge",
            id="ci-challenge",
        ),
        Binding(
            "a",
            "add_repo",
            "Add repo",
            tooltip="Watch another repository (saved in the config file)",
            id="ci-add-repo",
        ),
        Binding(
            "x",
            "remove_repo",
            "Remove repo",
            tooltip="Stop watching the selected repository (asks first)",
            id="ci-remove-repo",
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.stored: list[WatchedRepo] = []
        """Repositories stored in the hub (a collaborator's), as last read."""
        self.owners: dict[str, str | None] = {}
        """Their lower-case names, and whose they are."""
        self.reveal_repo: str | None = None
        """A repository to put the cursor on when the list is next shown (just added)."""
        self.jobs_of: int | None = None
        """The run whose jobs are shown (or being fetched)."""

    def compose_body(self) -> ComposeResult:
        with Horizontal(classes="list-and-detail"):
            repos = KeyOptionList(id="repo-list", classes="master")
            repos.border_title = "Repositories"
            yield repos
            with Vertical(id="ci-detail"):
                yield Static(id="ci-summary")
                yield Static(id="ci-status-line")
                with TabbedContent(id="ci-tabs"):
                    with TabPane("Runs", id="tab-runs"):
                        runs = KeyOptionList(id="run-list")
                        runs.border_title = "Latest run of each workflow"
                        runs.border_subtitle = "enter shows its jobs"
                        yield runs
                        durations = Static(id="run-durations")
                        durations.border_title = "Durations, oldest to newest"
                        yield durations
                        with VerticalScroll(id="run-jobs") as jobs:
                            jobs.border_title = "Jobs and steps"
                            yield Static(id="job-lines")
                    with TabPane("Commits", id="tab-commits"):
                        yield KeyOptionList(id="commit-list")
                    with TabPane("Pull requests", id="tab-pulls"):
                        yield KeyOptionList(id="pull-list")
            yield MarkdownView(id="ci-view", classes="detail")

    def on_mount(self) -> None:
        super().on_mount()
        # A collaborator's repositories come and go while the app runs; so do their names here.
        self.watch(self.app, "watched_repos", self._repos_changed, init=False)
        self.watch(self.app, "ci", self._ci_changed, init=False)
        self.query_one("#job-lines", Static).update(Content(JOBS_HINT))

    def _repos_changed(self) -> None:
        if self.app.store is not None:
            self.load(self.app.store)

    @work(thread=True, exclusive=True, group="repos", exit_on_error=False)
    def load(self, store: Store) -> None:
        stored = store.read(queries.watched_repos)
        self.app.call_from_thread(self.show_repos, stored)

    # --- the repositories ------------------------------------------------------------------

    def show_repos(self, stored: list[WatchedRepo]) -> None:
        self.stored = stored
        self.owners = {repo.full_name.lower(): repo.collaborator for repo in stored}
        repo_list = self.query_one("#repo-list", KeyOptionList)
        keep = repo_list.highlighted_option.id if repo_list.highlighted_option else None
        names = list(self.app.watched_repos)
        now = self.app.clock()
        repo_list.clear_options()
        repo_list.add_options(
            Option(self.repo_prompt(name, now), id=name.lower()) for name in names
        )
        watching = bool(names)
        self.query_one("#ci-detail").display = watching
        self.query_one("#ci-view").display = not watching
        self.refresh_bindings()
        if not watching:
            self.query_one("#ci-view", MarkdownView).show(
                HOW_TO_WATCH.format(config=self.app.paths.config_file)
            )
            return
        ids = [name.lower() for name in names]
        if self.reveal_repo is not None and self.reveal_repo.lower() in ids:
            keep, self.reveal_repo = self.reveal_repo.lower(), None
            repo_list.focus()
        repo_list.highlighted = ids.index(keep) if keep in ids else 0

    def repo_prompt(self, name: str, now: datetime) -> Content:
        status = self.app.ci.status(name)
        owner = self.owners.get(name.lower())
        return repo_prompt(name, owner, status, now)

    def selected_repo(self) -> str | None:
        option = self.query_one("#repo-list", KeyOptionList).highlighted_option
        if option is None or option.id is None:
            return None
        return next((name for name in self.app.watched_repos if name.lower() == option.id), None)

    def selected_status(self) -> RepoStatus | None:
        name = self.selected_repo()
        return self.app.ci.status(name) if name else None

    @on(KeyOptionList.OptionHighlighted, "#repo-list")
    def repo_highlighted(self) -> None:
        self.jobs_of = None
        self.query_one("#job-lines", Static).update(Content(JOBS_HINT))
        self.show_detail()
        self.load_tab()

    @on(KeyOptionList.OptionSelected, "#repo-list")
    def repo_selected(self) -> None:
        self.query_one("#run-list").focus()

    def _ci_changed(self) -> None:
        # Prompts are replaced in place: rebuilding the list would move the cursor.
        repo_list = self.query_one("#repo-list", KeyOptionList)
        now = self.app.clock()
        by_id = {name.lower(): name for name in self.app.watched_repos}
        for index in range(repo_list.option_count):
            name = by_id.get(repo_list.get_option_at_index(index).id or "")
            if name is not None:
                repo_list.replace_option_prompt_at_index(index, self.repo_prompt(name, now))
        self.show_detail()
        self.refresh_bindings()

    # --- the selected repository --------------------------------------------------------------

    def show_detail(self) -> None:
        name = self.selected_repo()
        if name is None:
            return
        snapshot = self.app.ci
        status = snapshot.status(name)
        now = self.app.clock()
        self.query_one("#ci-summary", Static).update(summary_content(name, status, now))
        self.query_one("#ci-status-line", Static).update(status_line(snapshot, status, now))
        # The first fetch of a repository: nothing to show until it is done.
        self.query_one("#ci-tabs", TabbedContent).loading = snapshot.fetching and (
            status is None or status.fetched_at is None
        )
        self.show_runs(status, now)
        self.query_one("#run-durations", Static).update(durations_content(status))

    def show_runs(self, status: RepoStatus | None, now: datetime) -> None:
        run_list = self.query_one("#run-list", KeyOptionList)
        keep = run_list.highlighted_option.id if run_list.highlighted_option else None
        run_list.clear_options()
        runs = status.runs if status is not None else ()
        if not runs:
            if status is not None and status.fetched_at is None and status.error:
                message = "No runs known yet."
            elif status is None or status.fetched_at is None:
                message = "Not fetched from GitHub yet: r asks now."
            else:
                message = "No workflow runs on the default branch."
            run_list.add_option(Option(Content(message), disabled=True))
            return
        ids = [run_option_id(run, index) for index, run in enumerate(runs)]
        run_list.add_options(
            Option(run_prompt(run, now), id=option_id)
            for run, option_id in zip(runs, ids, strict=True)
        )
        run_list.highlighted = ids.index(keep) if keep in ids else 0

    def selected_run(self) -> WorkflowRun | None:
        status = self.selected_status()
        option = self.query_one("#run-list", KeyOptionList).highlighted_option
        if status is None or option is None or option.id is None:
            return None
        return next(
            (
                run
                for index, run in enumerate(status.runs)
                if run_option_id(run, index) == option.id
            ),
            None,
        )

    # --- jobs, commits, pull requests (asked for on demand) -----------------------------------

    @on(KeyOptionList.OptionSelected, "#run-list")
    def run_selected(self) -> None:
        repo, run = self.selected_repo(), self.selected_run()
        if repo is None or run is None or run.id is None or self.app.store is None:
            return
        self.jobs_of = run.id
        lines = self.query_one("#job-lines", Static)
        lines.update(Content(f"Asking GitHub for the jobs of {run_name(run)}…"))
        self.load_jobs(self.app.store, repo, run)

    @work(exclusive=True, group="ci-jobs", exit_on_error=False)
    async def load_jobs(self, store: Store, repo: str, run: WorkflowRun) -> None:
        from nexus_tui.github.client import GitHubError

        service = await self.app.ci_poll.service_for(store)
        try:
            jobs = await service.run_jobs(repo, run.id or 0)
        except GitHubError as error:
            self.show_jobs(run, None, error.message)
            return
        self.show_jobs(run, jobs, None)

    def show_jobs(self, run: WorkflowRun, jobs: list[Job] | None, problem: str | None) -> None:
        if run.id != self.jobs_of:
            return  # the cursor has moved on to another run meanwhile
        lines = self.query_one("#job-lines", Static)
        if jobs is None:
            lines.update(
                Content.assemble(
                    (f"The jobs of {run_name(run)} could not be fetched: ", "$text-error"),
                    shown_line(problem or "", limit=300),
                )
            )
            return
        lines.update(jobs_content(run, jobs))

    @on(TabbedContent.TabActivated, "#ci-tabs")
    def tab_shown(self) -> None:
        self.load_tab()

    def load_tab(self) -> None:
        """The commits or the pull requests of the repository, when their tab is the one shown."""
        repo, store = self.selected_repo(), self.app.store
        if repo is None or store is None:
            return
        active = self.query_one("#ci-tabs", TabbedContent).active
        status = self.app.ci.status(repo)
        if active == "tab-commits":
            commits = self.query_one("#commit-list", KeyOptionList)
            commits.clear_options()
            commits.add_option(Option(Content("Asking GitHub for the commits…"), disabled=True))
            branch = status.default_branch if status is not None else None
            self.load_commits(store, repo, branch)
        elif active == "tab-pulls":
            pulls = self.query_one("#pull-list", KeyOptionList)
            pulls.clear_options()
            pulls.add_option(
                Option(Content("Asking GitHub for the open pull requests…"), disabled=True)
            )
            self.load_pulls(store, repo)

    @work(exclusive=True, group="ci-commits", exit_on_error=False)
    async def load_commits(self, store: Store, repo: str, branch: str | None) -> None:
        from nexus_tui.github.client import GitHubError

        service = await self.app.ci_poll.service_for(store)
        try:
            commits = await service.commits(repo, branch)
        except GitHubError as error:
            self.show_items("#commit-list", repo, [], f"Commits not fetched: {error.message}")
            return
        now = self.app.clock()
        options = [Option(commit_prompt(commit, now), id=commit.sha) for commit in commits]
        self.show_items("#commit-list", repo, options, "No commits on the default branch.")

    @work(exclusive=True, group="ci-pulls", exit_on_error=False)
    async def load_pulls(self, store: Store, repo: str) -> None:
        from nexus_tui.github.client import GitHubError

        service = await self.app.ci_poll.service_for(store)
        try:
            pulls = await service.pull_requests(repo)
        except GitHubError as error:
            self.show_items("#pull-list", repo, [], f"Pull requests not fetched: {error.message}")
            return
        now = self.app.clock()
        options = [
            Option(pull_prompt(pull, now), id=None if pull.number is None else str(pull.number))
            for pull in pulls
        ]
        self.show_items("#pull-list", repo, options, "No open pull requests.")

    def show_items(self, selector: str, repo: str, options: list[Option], empty: str) -> None:
        if self.selected_repo() != repo:
            return  # an answer for a repository the cursor has left
        items = self.query_one(selector, KeyOptionList)
        items.clear_options()
        if not options:
            items.add_option(Option(Content(shown_line(empty, limit=300)), disabled=True))
            return
        items.add_options(options)
        items.highlighted = 0

    # --- keys ------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in REPO_ACTIONS and self.selected_repo() is None:
            return None
        if action in RUN_ACTIONS and self.selected_run() is None:
            return None
        return True

    def action_refresh(self) -> None:
        super().action_refresh()
        self.app.ci_poll.poll_now()
        self.load_tab()

    def action_open_in_browser(self) -> None:
        repo = self.selected_repo()
        if repo is None:
            return
        url = self.focused_url()
        # Addresses come from GitHub's answers: only web pages are handed to the browser.
        if url is None or urlsplit(url).scheme not in ("http", "https"):
            url = f"{web_base(self.app.settings.github.api_url)}/{repo}"
        self.app.open_url(url)

    def focused_url(self) -> str | None:
        """The address of what the focused list shows highlighted: a run, a commit or a PR."""
        focused, repo = self.focused, self.selected_repo()
        if focused is None or repo is None:
            return None
        if focused.id in ("run-list", "run-jobs"):
            run = self.selected_run()
            return run.url if run is not None else None
        if focused.id in ("commit-list", "pull-list"):
            option = self.query_one(f"#{focused.id}", KeyOptionList).highlighted_option
            if option is None or option.id is None:
                return None
            base = f"{web_base(self.app.settings.github.api_url)}/{repo}"
            kind = "commit" if focused.id == "commit-list" else "pull"
            return f"{base}/{kind}/{option.id}"
        return None

    def action_rerun_failed(self) -> None:
        from nexus_tui.screens.confirm import ConfirmScreen

        repo, run, store = self.selected_repo(), self.selected_run(), self.app.store
        if repo is None or run is None or run.id is None or store is None:
            return
        if not (run.failed or run.conclusion == "cancelled"):
            self.warn(f"{run_name(run)} did not fail: there is nothing to re-run.")
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.rerun(store, repo, run)

        self.app.push_screen(
            ConfirmScreen(
                "Re-run the failed jobs?",
                f"GitHub will run the failed jobs of {run_name(run)} in "
                f"{shown_line(repo, limit=100)} again, on the same commit.",
                "Re-run",
            ),
            answered,
        )

    @work(group="ci-rerun", exit_on_error=False)
    async def rerun(self, store: Store, repo: str, run: WorkflowRun) -> None:
        from nexus_tui.github.client import GitHubError

        service = await self.app.ci_poll.service_for(store)
        try:
            await service.rerun_failed_jobs(repo, run.id or 0)
        except GitHubError as error:
            self.notify(
                shown_line(error.message, limit=400),
                title="Not re-run",
                severity="error",
                timeout=20,
                markup=False,
            )
            return
        self.notify(f"GitHub is running the failed jobs of {run_name(run)} again.", markup=False)
        self.app.ci_poll.poll_now()

    def action_challenge_from_run(self) -> None:
        repo, run, store = self.selected_repo(), self.selected_run(), self.app.store
        if repo is None or run is None or store is None:
            return
        if not run.failed:
            self.warn(f"{run_name(run)} did not fail: c writes a challenge from a failed run.")
            return
        fields = challenge_fields(repo, run, web_base(self.app.settings.github.api_url))
        self.write_challenge(store, fields)

    @work(thread=True, group="write", exit_on_error=False)
    def write_challenge(self, store: Store, fields: ChallengeFields) -> None:
        from nexus_tui.store.challenges import add_challenge

        challenge_id = store.write(add_challenge, fields, store.clock())
        self.app.call_from_thread(self.challenge_written, challenge_id, fields.title)

    def challenge_written(self, challenge_id: int, title: str) -> None:
        self.notify("A challenge was written from the failed run: e edits it.", markup=False)
        self.app.reveal(SearchResult("challenge", challenge_id, title, "", ()))

    # --- adding and removing repositories ----------------------------------------------------

    def action_add_repo(self) -> None:
        from nexus_tui.screens.repo_form import RepoForm

        def chosen(name: str | None) -> None:
            if name is not None:
                self.save_watched(add=name)

        self.app.push_screen(RepoForm(self.app.watched_repos), chosen)

    def action_remove_repo(self) -> None:
        from nexus_tui.screens.confirm import ConfirmScreen

        repo = self.selected_repo()
        if repo is None:
            return
        configured = {name.lower() for name in self.app.settings.github.repos}
        owner = self.owners.get(repo.lower())
        shown = shown_line(repo, limit=100)
        if repo.lower() not in configured:
            whose = f"for {one_line(owner)}" if owner else "in the hub"
            self.warn(
                f"{shown} is watched {whose}, not in the config file: remove it from their "
                "repositories on the Collaborators screen (3)."
            )
            return
        also = (
            f"\n\nIt stays watched for {one_line(owner)} (Collaborators screen)." if owner else ""
        )

        def answered(yes: bool | None) -> None:
            if yes:
                self.save_watched(remove=repo)

        self.app.push_screen(
            ConfirmScreen(
                "Stop watching this repository?",
                f"{shown} is taken out of the repos list in {self.app.paths.config_file}.{also}",
                "Stop watching",
            ),
            answered,
        )

    @work(thread=True, exclusive=True, group="config", exit_on_error=False)
    def save_watched(self, add: str | None = None, remove: str | None = None) -> None:
        path = self.app.paths.config_file
        try:
            saved = changed_watch_list(load_settings(path), add, remove)
            save_settings(path, saved)
        except ConfigError as error:
            self.app.call_from_thread(
                self.notify,
                f"{error}\nThe watched repositories are unchanged.",
                title="Not saved",
                severity="error",
                timeout=20,
                markup=False,
            )
            return
        self.app.call_from_thread(self.watched_saved, saved.github.repos, add, remove)

    def watched_saved(self, repos: tuple[str, ...], added: str | None, removed: str | None) -> None:
        app = self.app
        app.settings = app.settings._replace(github=app.settings.github._replace(repos=repos))
        self.reveal_repo = added
        # The list follows the app's (see `_repos_changed`), and so does polling.
        app.update_watched_repos(repo.full_name for repo in self.stored)
        if added is not None:
            self.notify(f"Watching {shown_line(added, limit=100)}.", markup=False)
        if removed is not None:
            self.notify(f"No longer watching {shown_line(removed, limit=100)}.", markup=False)

    def warn(self, message: str) -> None:
        self.notify(message, severity="warning", markup=False)


# --- what the screen draws: pure functions of the records ---------------------------------------


def repo_prompt(
    name: str, collaborator: str | None, status: RepoStatus | None, now: datetime
) -> Content:
    """State, name, whose it is (a collaborator's), and how old the state is (as on the strip)."""
    state = status.state if status is not None else UNKNOWN
    parts: list[str | tuple[str, str]] = [symbol(state), " ", shown_line(name, limit=60)]
    if collaborator:
        parts.append((f"  {one_line(collaborator)}", "dim"))
    when = state_age(status, now) if status is not None else ""
    if when:
        parts.append((f"  {when}", "$text-warning" if status and status.stale else "dim"))
    return Content.assemble(*parts)


def run_state(run: WorkflowRun) -> str:
    if run.failed:
        return FAILURE
    if run.unfinished:
        return PENDING
    return SUCCESS if run.conclusion == "success" else UNKNOWN


def run_label(run: WorkflowRun) -> str:
    """'success', 'failure', 'in progress', 'queued', 'cancelled'…"""
    return shown_line(run.conclusion or run.status or "unknown", limit=20).replace("_", " ")


def run_option_id(run: WorkflowRun, index: int) -> str:
    # A run stored by an older version may lack its id; its place in the list stands in.
    return str(run.id) if run.id is not None else f"#{index}"


def run_name(run: WorkflowRun) -> str:
    number = f" #{run.run_number}" if run.run_number is not None else ""
    return f"{shown_line(run.workflow, limit=60)}{number}"


def duration_words(duration: timedelta) -> str:
    """'58s', '4m 12s', '1h 02m'."""
    seconds = int(duration.total_seconds())
    if seconds < 60:
        return f"{seconds}s"
    if seconds < 3600:
        return f"{seconds // 60}m {seconds % 60:02d}s"
    return f"{seconds // 3600}h {seconds % 3600 // 60:02d}m"


def run_prompt(run: WorkflowRun, now: datetime) -> Content:
    """Two lines: state, workflow and title; then branch, event, actor, age and duration."""
    state = run_state(run)
    details = [
        shown_line(run.branch or "?", limit=40),
        shown_line(run.event or "?", limit=30),
    ]
    if run.actor:
        details.append(f"by {shown_line(run.actor, limit=40)}")
    if run.created_at is not None:
        details.append(age(run.created_at, now))
    if run.duration is not None:
        details.append(f"took {duration_words(run.duration)}")
    elif run.unfinished and (run.run_started_at or run.created_at):
        started = run.run_started_at or run.created_at
        details.append(f"running for {duration_words(max(now - started, timedelta(0)))}")
    return Content.assemble(
        symbol(state),
        " ",
        (run_label(run), STYLES[state]),
        "  ",
        (run_name(run), "bold"),
        "  ",
        shown_line(run.title, limit=120),
        "\n    ",
        (" · ".join(details), "dim"),
    )


def durations_content(status: RepoStatus | None) -> Content:
    """Per workflow, a bar for each recent run (its height the run's duration), coloured by how
    it ended, so a failure shows among the passes; then the latest duration and the failures."""
    if status is None or not status.runs:
        return Content.styled("No runs to chart yet.", "dim")
    lines: list[Content] = []
    for latest in status.runs:
        runs = [run for run in status.recent_runs if run.workflow_key == latest.workflow_key]
        runs = list(reversed(runs[:CHART_RUNS]))  # oldest first
        longest = max((run.duration for run in runs if run.duration), default=None)
        bars: list[tuple[str, str]] = []
        for run in runs:
            state = run_state(run)
            if run.duration is None or not longest:
                bars.append(("·", STYLES[state]))
                continue
            level = round(run.duration / longest * (len(BARS) - 1))
            bars.append((BARS[level], STYLES[state]))
        failed = sum(run.failed for run in runs)
        summary = f"last {duration_words(latest.duration)}" if latest.duration else "running"
        if failed:
            summary += f" · {failed} of {len(runs)} failed"
        # Red while the workflow is failing; past failures only call for attention.
        failed_style = "dim" if not failed else "$text-error" if latest.failed else "$text-warning"
        name = shown_line(latest.workflow, limit=WORKFLOW_WIDTH - 1)
        lines.append(
            Content.assemble(
                (name.ljust(WORKFLOW_WIDTH), "bold"),
                *bars,
                "  ",
                (summary, failed_style),
            )
        )
    return Content("\n").join(lines)


def jobs_content(run: WorkflowRun, jobs: Sequence[Job]) -> Content:
    if not jobs:
        return Content(f"{run_name(run)} has no jobs.")
    lines: list[Content] = [Content.styled(f"Jobs of {run_name(run)}", "bold")]
    for job in jobs:
        state = step_state(job.status, job.conclusion)
        took = ""
        if job.started_at is not None and job.completed_at is not None:
            took = f"  {duration_words(max(job.completed_at - job.started_at, timedelta(0)))}"
        lines.append(
            Content.assemble(
                (SYMBOLS[state], STYLES[state]),
                " ",
                (shown_line(job.name, limit=100), "bold"),
                (f"  {shown_line(job.conclusion or job.status or '', limit=20)}{took}", "dim"),
            )
        )
        for step in job.steps:
            step_is = step_state(step.status, step.conclusion)
            number = f"{step.number:>3}" if step.number is not None else "   "
            lines.append(
                Content.assemble(
                    f"  {number} ",
                    (SYMBOLS[step_is], STYLES[step_is]),
                    " ",
                    shown_line(step.name, limit=100),
                    (
                        f"  {shown_line(step.conclusion, limit=20)}"
                        if step.conclusion not in (None, "success")
                        else "",
                        "dim",
                    ),
                )
            )
    return Content("\n").join(lines)


def step_state(status: str | None, conclusion: str | None) -> str:
    if conclusion in ("failure", "timed_out", "startup_failure"):
        return FAILURE
    if conclusion == "success":
        return SUCCESS
    if status in ("queued", "in_progress", "waiting", "pending"):
        return PENDING
    return UNKNOWN


def commit_prompt(commit: Commit, now: datetime) -> Content:
    first_line = commit.message.split("\n", 1)[0]
    details = [shown_line((commit.sha or "")[:7], limit=7)]
    if commit.author:
        details.append(shown_line(commit.author, limit=40))
    if commit.authored_at is not None:
        details.append(age(commit.authored_at, now))
    return Content.assemble(shown_line(first_line, limit=160), "\n  ", (" · ".join(details), "dim"))


def pull_prompt(pull: PullRequest, now: datetime) -> Content:
    details = [
        f"{shown_line(pull.branch or '?', limit=40)} → {shown_line(pull.base or '?', limit=40)}"
    ]
    if pull.author:
        details.append(f"by {shown_line(pull.author, limit=40)}")
    if pull.updated_at is not None:
        details.append(f"updated {age(pull.updated_at, now)}")
    return Content.assemble(
        (f"#{pull.number}" if pull.number is not None else "#?", "bold"),
        " ",
        shown_line(pull.title, limit=160),
        ("  draft" if pull.draft else "", "dim"),
        "\n  ",
        (" · ".join(details), "dim"),
    )


def summary_content(name: str, status: RepoStatus | None, now: datetime) -> Content:
    """The repository, its state and branch; then why it could not be renewed, if so."""
    state = status.state if status is not None else UNKNOWN
    parts: list[str | tuple[str, str]] = [
        symbol(state),
        " ",
        (shown_line(name, limit=100), "bold"),
        "  ",
        (state, STYLES[state]),
    ]
    if status is not None and status.default_branch:
        parts += [" on ", shown_line(status.default_branch, limit=60)]
    if status is None:
        return Content.assemble(*parts)
    error = shown_line(status.error, limit=300) if status.error else ""
    if status.stale and status.fetched_at is not None:
        known = f"last known {age(status.fetched_at, now)}"
        parts += ["\n", (f"offline — {known}" if unreachable(status) else known, "$text-warning")]
    if error:
        # Without any answer the reason is the news; beside a known state it is a footnote
        # (why it is stale, or that there are no runs yet).
        parts += ["\n", (error, "$text-error" if status.fetched_at is None else "dim")]
    return Content.assemble(*parts)


def status_line(snapshot: CiSnapshot, status: RepoStatus | None, now: datetime) -> Content:
    """When the state was fetched, the rate limit left, whether a token is used."""
    parts: list[str] = []
    if snapshot.fetching:
        parts.append("asking GitHub…")
    if status is not None and status.fetched_at is not None:
        # A stale state says its age above.
        if not status.stale:
            parts.append(f"fetched {age(status.fetched_at, now)}")
    elif not snapshot.fetching:
        parts.append("never fetched")
    limit = snapshot.rate_limit
    if limit is not None and limit.remaining is not None:
        words = f"rate limit {limit.remaining}"
        if limit.limit is not None:
            words += f" of {limit.limit}"
        words += " left"
        if limit.reset is not None and limit.reset > now:
            from nexus_tui.github.client import clock_time

            words += f", renewed at {clock_time(limit.reset, now)}"
        parts.append(words)
    if snapshot.authenticated is False:
        parts.append("no token: public repositories only, 60 requests an hour")
    return Content.styled(" · ".join(parts), "dim")


def web_base(api_url: str) -> str:
    """The web address that goes with an API address: github.com for api.github.com, the same
    host for GitHub Enterprise Server (whose API is under /api/v3)."""
    parts = urlsplit(api_url)
    if (parts.hostname or "").lower() == "api.github.com":
        return "https://github.com"
    return f"{parts.scheme}://{parts.netloc}"


def changed_watch_list(settings: Settings, add: str | None, remove: str | None) -> Settings:
    """The settings with `add` appended to the watched list and `remove` taken out; GitHub
    names are case-insensitive, so is the comparison."""
    repos = [
        name for name in settings.github.repos if remove is None or name.lower() != remove.lower()
    ]
    if add is not None and all(name.lower() != add.lower() for name in repos):
        repos.append(add)
    return settings._replace(github=settings.github._replace(repos=tuple(repos)))


def challenge_fields(repo: str, run: WorkflowRun, web: str) -> ChallengeFields:
    """A failed run as a new challenge: what failed where, with links to the run and commit."""
    workflow = shown_line(run.workflow, limit=60)
    branch = shown_line(run.branch or "", limit=60)
    name = shown_line(repo, limit=100)
    title = one_line(f"CI failing: {workflow} on {branch or 'the default branch'} in {name}")
    rows: list[tuple[str, str]] = [
        ("Repository", markdown_literal(name)),
        ("Workflow", markdown_literal(run_name(run))),
        ("Branch", markdown_literal(branch) or "—"),
        ("Commit", markdown_literal(shown_line(run.head_sha or "", limit=64)) or "—"),
        ("Run title", markdown_literal(shown_line(run.title))),
        ("Event", markdown_literal(shown_line(run.event or "", limit=40)) or "—"),
    ]
    if run.url:
        rows.append(("Run", markdown_literal(shown_line(run.url, limit=300))))
    problem = "\n".join(
        [
            f"The {markdown_literal(workflow)} workflow failed "
            f"({markdown_literal(run_label(run))}).",
            "",
            *(f"- **{key}:** {value}" for key, value in rows),
        ]
    )
    links: list[Link] = []
    if run.url:
        links.append(Link(shown_line(run.url, limit=300), f"{run_name(run)} on GitHub"))
    if run.head_sha:
        sha = shown_line(run.head_sha, limit=64)
        links.append(Link(f"{web}/{name}/commit/{sha}", f"Commit {sha[:7]}"))
    return ChallengeFields(title=title[:200], problem=problem, solution="", links=tuple(links))
