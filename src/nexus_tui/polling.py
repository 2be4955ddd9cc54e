"""Keeping the watched repositories' CI state current while the app runs.

1. When the database is open (and whenever the watched list changes) the last known state is read
   from it in a thread (`status.last_known`, no network) and shown at once, marked stale.
2. Then a round asks GitHub (`CiService.refresh_all`) in an async worker on the app's event loop;
   the next round is a timer set from `status.next_poll_in`: `poll_seconds`, 15 s while a run is
   under way, later when the rate limit asks for it. A round is a short worker, not an endless
   loop, so nothing waits on a worker that never ends.
3. What is known is `NexusApp.ci`, a `CiSnapshot` the strip and the CI screen follow. A failed
   round is a state in it (offline, rate limited, a sentence per repository), never an exception.
   Notifications come only when things change: a repository going red (with the bell) or green
   again, GitHub becoming unreachable or reachable, a rate limit beginning.

Nobody sees a headless app (tests, screenshots), so it asks GitHub only when told to
(`poll_github=True`); `r` on the CI screen asks in any case.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, NamedTuple

from textual.timer import Timer
from textual.worker import get_current_worker

from nexus_tui.github.states import FAILURE, SUCCESS
from nexus_tui.store import Store

if TYPE_CHECKING:
    # Imported where used: the first frame needs none of them (a few ms of the start).
    from nexus_tui.app import NexusApp
    from nexus_tui.github.models import RateLimit
    from nexus_tui.github.service import CiService
    from nexus_tui.github.status import RepoStatus


# How `GitHubClient` words a request that never reached GitHub (`Unreachable`).
UNREACHABLE = "GitHub could not be reached"
# Each round asks for the repository and its runs: two requests per repository at most.
REQUESTS_PER_REPO = 2


class CiSnapshot(NamedTuple):
    """What is known of the watched repositories' CI at one moment."""

    statuses: tuple[RepoStatus, ...] = ()
    """Those of the watched repositories known so far (from the database or GitHub)."""
    rate_limit: RateLimit | None = None
    blocked_until: datetime | None = None
    """GitHub asked for a pause until then; None when it did not."""
    authenticated: bool | None = None
    """Whether a token is used; None until one has been looked for."""
    offline: bool = False
    """GitHub could not be reached in the latest round."""
    fetching: bool = False
    """A round is under way."""

    def status(self, repo: str) -> RepoStatus | None:
        key = repo.lower()
        return next((status for status in self.statuses if status.repo.lower() == key), None)


def unreachable(status: RepoStatus) -> bool:
    return status.error is not None and status.error.startswith(UNREACHABLE)


def last_fetched(statuses: Sequence[RepoStatus]) -> datetime | None:
    """When GitHub last answered for any of them."""
    return max((status.fetched_at for status in statuses if status.fetched_at), default=None)


class CiPolling:
    """Owned by the app: the one `CiService` of the process, and the rounds that use it."""

    def __init__(self, app: NexusApp, enabled: bool | None = None) -> None:
        self.app = app
        self.enabled = enabled
        """True or False as told; None to poll whenever the app is shown on a terminal."""
        self.service: CiService | None = None
        self.client_options: dict[str, Any] = {"retries": 1}
        """For `GitHubClient`: one quick retry is enough, as the next round comes anyway."""
        self._timer: Timer | None = None
        self.next_poll_seconds: float | None = None
        """The wait before the round scheduled last, as `next_poll_in` gave it."""
        self._round = 0
        self._settled: dict[str, str] = {}
        """Each repository's last success or failure seen, to tell when it changes."""

    @property
    def active(self) -> bool:
        return (not self.app.is_headless) if self.enabled is None else self.enabled

    # --- the last known state --------------------------------------------------------------

    def follow(self) -> None:
        """The database or the watched list changed: show what is stored, then ask GitHub."""
        store, repos = self.app.store, self.app.watched_repos
        if store is None:
            return
        if not repos:
            self._stop_timer()
            self._round += 1
            self.app.workers.cancel_group(self.app, "ci-poll")
            self._publish(statuses=(), fetching=False, offline=False)
            return
        self.app.run_worker(
            lambda: self._read_last_known(store, repos),
            thread=True,
            exclusive=True,
            group="ci-last-known",
            exit_on_error=False,
        )

    def _read_last_known(self, store: Store, repos: tuple[str, ...]) -> None:
        from nexus_tui.github.status import last_known

        statuses = last_known(store, repos)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._known, repos, statuses)

    def _known(self, repos: tuple[str, ...], stored: list[RepoStatus]) -> None:
        if repos != self.app.watched_repos:
            return  # the list changed meanwhile; the read for the new one follows
        current = self.app.ci
        statuses = []
        for status in stored:
            # What this process already fetched is newer than what it stored.
            statuses.append(current.status(status.repo) or status)
            if status.state in (SUCCESS, FAILURE):
                self._settled.setdefault(status.repo.lower(), status.state)
        self._publish(statuses=tuple(statuses))
        if self.active:
            self.poll_now()

    # --- rounds ---------------------------------------------------------------------------

    def poll_now(self) -> None:
        """Ask GitHub now (a round already under way gives way to this one)."""
        store, repos = self.app.store, self.app.watched_repos
        if store is None or not repos:
            return
        self._stop_timer()
        self._round += 1
        self.app.run_worker(
            self._run_round(store, repos, self._round),
            exclusive=True,
            group="ci-poll",
            exit_on_error=False,
        )

    async def service_for(self, store: Store) -> CiService:
        """The service, made on first use; looking for the token may run `gh`, so on a thread."""
        if self.service is None:
            from nexus_tui.github.service import CiService

            service = await asyncio.to_thread(
                CiService.create,
                self.app.settings.github,
                store,
                clock=self.app.clock,
                **self.client_options,
            )
            if self.service is None:
                self.service = service
            else:
                await service.aclose()
        return self.service

    async def _run_round(self, store: Store, repos: tuple[str, ...], number: int) -> None:
        self._publish(fetching=True)
        statuses: list[RepoStatus] | None = None
        try:
            service = await self.service_for(store)
            statuses = await service.refresh_all(repos)
        finally:
            # Also after an unexpected failure (reported by the app's worker handler): polling
            # goes on. A round replaced by a newer one leaves everything to that one.
            if number == self._round:
                self._round_done(repos, statuses)

    def _round_done(self, repos: tuple[str, ...], fetched: list[RepoStatus] | None) -> None:
        now = self.app.clock()
        before = self.app.ci
        service = self.service
        if fetched is None:
            statuses, offline = before.statuses, before.offline
        else:
            statuses = tuple(fetched)
            offline = bool(statuses) and all(unreachable(status) for status in statuses)
        blocked = service.blocked_until if service is not None else None
        if blocked is not None and blocked <= now:
            blocked = None
        self._announce(before, statuses, offline, blocked, now)
        self._publish(
            statuses=statuses,
            rate_limit=service.rate_limit if service is not None else None,
            blocked_until=blocked,
            authenticated=service.authenticated if service is not None else None,
            offline=offline,
            fetching=False,
        )
        if self.active:
            from nexus_tui.github.status import next_poll_in

            delay = next_poll_in(
                statuses,
                self.app.settings.github.poll_seconds,
                now,
                rate_limit=service.rate_limit if service is not None else None,
                blocked_until=blocked,
                requests_per_poll=REQUESTS_PER_REPO * len(repos),
            )
            self.next_poll_seconds = delay
            self._timer = self.app.set_timer(delay, self.poll_now, name="ci-poll")

    def _announce(
        self,
        before: CiSnapshot,
        statuses: Sequence[RepoStatus],
        offline: bool,
        blocked: datetime | None,
        now: datetime,
    ) -> None:
        from nexus_tui.github.display import shown_line

        for status in statuses:
            if status.stale or status.state not in (SUCCESS, FAILURE):
                continue
            key = status.repo.lower()
            previous, self._settled[key] = self._settled.get(key), status.state
            name = shown_line(status.repo, limit=80)
            if previous == SUCCESS and status.state == FAILURE:
                failed = next((run for run in status.runs if run.failed), None)
                detail = ""
                if failed is not None:
                    detail = f"{shown_line(failed.workflow, 60)}: {shown_line(failed.title, 100)}"
                self.app.notify(
                    detail or "a workflow failed",
                    title=f"{name} is failing",
                    severity="error",
                    timeout=30,
                    markup=False,
                )
                self.app.bell()
            elif previous == FAILURE and status.state == SUCCESS:
                self.app.notify(
                    "Every workflow passes again.", title=f"{name} is green", markup=False
                )
        if offline and not before.offline:
            reason = next((status.error for status in statuses if status.error), "")
            self.app.notify(
                f"{shown_line(reason or UNREACHABLE, 200)}. Showing the last known state; "
                "asking again later.",
                title="Offline",
                severity="warning",
                markup=False,
            )
        elif before.offline and not offline:
            self.app.notify("GitHub answers again.", title="Online", markup=False)
        if blocked is not None and before.blocked_until is None:
            from nexus_tui.github.client import clock_time

            self.app.notify(
                f"GitHub asked for a pause: nothing is asked before {clock_time(blocked, now)}.",
                title="Rate limited",
                severity="warning",
                markup=False,
            )

    def _publish(self, **changes: Any) -> None:
        self.app.ci = self.app.ci._replace(**changes)

    def _stop_timer(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    async def close(self) -> None:
        self._stop_timer()
        if self.service is not None:
            service, self.service = self.service, None
            await service.aclose()
