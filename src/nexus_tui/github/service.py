"""What the app and the command line ask of GitHub, and keeping the answers in the hub database.

One `CiService` per process, around one `GitHubClient`; its coroutines run on one event loop (an
async Textual worker's, or `asyncio.run` on the command line):

    service = CiService.create(settings.github, store)
    status = await service.refresh("owner/name")      # RepoStatus; never raises GitHubError
    jobs = await service.run_jobs("owner/name", run_id)  # these raise GitHubError
    await service.aclose()

`status.last_known(store, repos)` reads the stored state without the network, for the first frame.
A refresh that fails keeps the last known state in the database and says why; what it returns is
that state marked stale when the failure was passing (no network, GitHub's own trouble), else
`unknown` with the reason (a rate limit, a missing repository, a refused token).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timedelta
from urllib.parse import quote

from nexus_tui.config import GithubSettings
from nexus_tui.github.auth import find_token
from nexus_tui.github.cache import MemoryCache, StoreCache
from nexus_tui.github.client import (
    Clock,
    Forbidden,
    GitHubClient,
    GitHubError,
    NotFound,
    Sleep,
    Unreachable,
)
from nexus_tui.github.models import (
    Commit,
    Job,
    PullRequest,
    RateLimit,
    parse_commits,
    parse_jobs,
    parse_pulls,
    parse_repository,
    parse_runs,
    run_to_json,
)
from nexus_tui.github.status import (
    UNKNOWN,
    RepoStatus,
    from_stored,
    status_from_runs,
)
from nexus_tui.store import Store, StoreError
from nexus_tui.store.ci import (
    StoredCiStatus,
    ci_statuses,
    forget_responses_before,
    note_ci_failure,
    save_ci_status,
)
from nexus_tui.store.database import utc_now

_log = logging.getLogger(__name__)

RUNS_PER_PAGE = 30
COMMITS_PER_PAGE = 20
# Cached answers not confirmed for this long (old runs' jobs, repositories no longer watched) go.
CACHE_KEEPS = timedelta(days=30)


def repo_path(repo: str) -> str:
    owner, _, name = repo.partition("/")
    return f"/repos/{quote(owner, safe='')}/{quote(name, safe='')}"


class CiService:
    def __init__(self, client: GitHubClient, store: Store | None, clock: Clock = utc_now) -> None:
        self.client = client
        self.store = store
        self.clock = clock
        self._pruned = False

    @classmethod
    def create(
        cls,
        settings: GithubSettings,
        store: Store | None,
        *,
        environ: Mapping[str, str] | None = None,
        clock: Clock = utc_now,
        sleep: Sleep = asyncio.sleep,
        **client_options: object,
    ) -> CiService:
        """A service for `settings.api_url`, with the user's token (if any) and, when a store is
        given, its database as the response cache. Looking for the token may run `gh` (up to a
        few seconds): call this off the UI's event loop, or accept that wait."""
        token = find_token(settings.api_url, environ)
        cache = StoreCache(store) if store is not None else MemoryCache()
        client = GitHubClient(
            settings.api_url, token, cache=cache, clock=clock, sleep=sleep, **client_options
        )
        return cls(client, store, clock)

    async def aclose(self) -> None:
        await self.client.aclose()

    async def __aenter__(self) -> CiService:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    @property
    def authenticated(self) -> bool:
        return self.client.authenticated

    @property
    def rate_limit(self) -> RateLimit | None:
        return self.client.rate_limit

    @property
    def blocked_until(self) -> datetime | None:
        return self.client.blocked_until

    # --- the state of repositories ------------------------------------------------------

    async def refresh(self, repo: str) -> RepoStatus:
        """Ask GitHub for `repo`'s state now, store it, and return it. Never raises GitHubError:
        a failure is a status (see the module's docstring)."""
        status, _error = await self._refresh(repo)
        return status

    async def refresh_all(self, repos: Sequence[str]) -> list[RepoStatus]:
        """`refresh` each repository in turn. Once GitHub cannot be reached at all, the rest are
        not tried: they get their last known state with the same reason."""
        statuses: list[RepoStatus] = []
        unreachable: str | None = None
        for repo in repos:
            if unreachable is not None:
                statuses.append(await self._failed(repo, unreachable, transient=True))
                continue
            status, error = await self._refresh(repo)
            if isinstance(error, Unreachable):
                unreachable = error.message
            statuses.append(status)
        return statuses

    async def _refresh(self, repo: str) -> tuple[RepoStatus, GitHubError | None]:
        await self._prune_once()
        try:
            status = await self._fetch_status(repo)
        except GitHubError as error:
            return await self._failed(repo, self._sentence(error), error.transient), error
        await self._write(
            save_ci_status,
            repo,
            status.state,
            status.default_branch,
            [run_to_json(run) for run in status.recent_runs],
            status.fetched_at,
            None,
        )
        return status, None

    async def _fetch_status(self, repo: str) -> RepoStatus:
        path = repo_path(repo)
        repository = parse_repository((await self.client.get_json(path)).body)
        branch = repository.default_branch
        params: dict[str, object] = {"per_page": RUNS_PER_PAGE}
        if branch:
            params["branch"] = branch
        runs = parse_runs((await self.client.get_json(f"{path}/actions/runs", params)).body)
        return status_from_runs(repo, branch, runs, self.clock())

    def _sentence(self, error: GitHubError) -> str:
        if isinstance(error, NotFound):
            if self.client.authenticated:
                return "repository not found or not visible with this token"
            return (
                "repository not found, or private and not visible without a token "
                "(set GH_TOKEN or GITHUB_TOKEN)"
            )
        return error.message

    async def _failed(self, repo: str, reason: str, transient: bool) -> RepoStatus:
        now = self.clock()
        stored = await self._stored(repo)
        await self._write(note_ci_failure, repo, reason, now)
        if transient and stored is not None and stored.fetched_at is not None:
            return from_stored(repo, stored)._replace(error=reason)
        branch = stored.default_branch if stored is not None else None
        return RepoStatus(repo, UNKNOWN, branch, (), (), None, reason, stale=False)

    # --- details, on demand -------------------------------------------------------------

    async def run_jobs(self, repo: str, run_id: int, *, max_pages: int = 5) -> list[Job]:
        """A run's jobs and their steps (its latest attempt); raises GitHubError."""
        items = await self.client.get_pages(
            f"{repo_path(repo)}/actions/runs/{int(run_id)}/jobs",
            {"per_page": 100},
            items_key="jobs",
            max_pages=max_pages,
        )
        return parse_jobs(items)

    async def commits(self, repo: str, branch: str | None = None) -> list[Commit]:
        """The latest commits of `branch` (the default branch when None); raises GitHubError."""
        params: dict[str, object] = {"per_page": COMMITS_PER_PAGE}
        if branch:
            params["sha"] = branch
        answer = await self.client.get_json(f"{repo_path(repo)}/commits", params)
        return parse_commits(answer.body)

    async def pull_requests(self, repo: str, *, max_pages: int = 3) -> list[PullRequest]:
        """The open pull requests, newest first; raises GitHubError."""
        items = await self.client.get_pages(
            f"{repo_path(repo)}/pulls",
            {"state": "open", "per_page": 100},
            max_pages=max_pages,
        )
        return parse_pulls(items)

    async def rerun_failed_jobs(self, repo: str, run_id: int) -> None:
        """Start the failed jobs of a run again; raises GitHubError with what the token needs."""
        try:
            await self.client.post(
                f"{repo_path(repo)}/actions/runs/{int(run_id)}/rerun-failed-jobs"
            )
        except (Forbidden, NotFound) as error:
            scope = (
                'the token needs the "repo" scope (classic token) or "Actions: write" '
                "(fine-grained token) for this repository"
            )
            if not self.client.authenticated:
                scope = "re-running needs a token: set GH_TOKEN or GITHUB_TOKEN"
            raise type(error)(f"{error.message}; {scope}", status=error.status) from None

    # --- the database ---------------------------------------------------------------------

    async def _stored(self, repo: str) -> StoredCiStatus | None:
        if self.store is None:
            return None
        try:
            found = await asyncio.to_thread(self.store.read, ci_statuses, [repo])
        except StoreError as error:
            _log.warning("last known CI state not read: %s", error)
            return None
        return found.get(repo)

    async def _write(self, change: Callable[..., object], *args: object) -> None:
        if self.store is None:
            return
        try:
            await asyncio.to_thread(self.store.write, change, *args)
        except StoreError as error:
            # The state was fetched all the same; only its keeping failed.
            _log.warning("CI state not saved: %s", error)

    async def _prune_once(self) -> None:
        if self._pruned:
            return
        self._pruned = True
        await self._write(forget_responses_before, self.clock() - CACHE_KEEPS)
