"""A repository's CI state, and its last known state from the local database.

A repository's state is the state of the latest run of each workflow on its default branch:
`failure` if any of them failed, else `pending` if any has not finished, else `success` if there is
at least one, else `unknown` (no runs, or GitHub could not be asked: `error` says why).

No httpx and no Textual: the app reads the last known state through this module just after the
first frame.
"""

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import NamedTuple

from nexus_tui.github.models import RateLimit, WorkflowRun, run_from_json
from nexus_tui.github.states import FAILURE, PENDING, SUCCESS, UNKNOWN
from nexus_tui.store import Store
from nexus_tui.store.ci import StoredCiStatus, ci_statuses


class RepoStatus(NamedTuple):
    repo: str
    """"owner/name" as the user wrote it."""
    state: str
    default_branch: str | None
    runs: tuple[WorkflowRun, ...]
    """The latest run of each workflow on the default branch, newest first."""
    recent_runs: tuple[WorkflowRun, ...]
    """Every run fetched on the default branch, newest first (for durations over time)."""
    fetched_at: datetime | None
    """When GitHub gave this state; None if it never has."""
    error: str | None
    """Why the state could not be renewed, as a sentence for a person; None when it was."""
    stale: bool
    """True when this is an earlier answer shown because a fresh one could not be had."""


def _newest_first(run: WorkflowRun) -> tuple:
    moment = run.created_at or run.updated_at
    # Runs without a time sort last; run numbers break ties within a workflow.
    return (moment is not None, moment.timestamp() if moment else 0.0, run.run_number or 0)


def runs_on_branch(runs: Iterable[WorkflowRun], branch: str | None) -> list[WorkflowRun]:
    """The runs of `branch`, newest first. A run that names no branch is kept: the request
    already asked for this branch only."""
    kept = [run for run in runs if branch is None or run.branch in (None, branch)]
    return sorted(kept, key=_newest_first, reverse=True)


def latest_per_workflow(runs: Iterable[WorkflowRun]) -> list[WorkflowRun]:
    """The newest run of each workflow, newest first."""
    latest: dict[str, WorkflowRun] = {}
    for run in sorted(runs, key=_newest_first, reverse=True):
        latest.setdefault(run.workflow_key, run)
    return list(latest.values())


def repo_state(latest_runs: Sequence[WorkflowRun]) -> str:
    if any(run.failed for run in latest_runs):
        return FAILURE
    if any(run.unfinished for run in latest_runs):
        return PENDING
    return SUCCESS if latest_runs else UNKNOWN


def status_from_runs(
    repo: str, default_branch: str | None, runs: Iterable[WorkflowRun], fetched_at: datetime
) -> RepoStatus:
    recent = runs_on_branch(runs, default_branch)
    latest = latest_per_workflow(recent)
    state = repo_state(latest)
    error = None
    if state == UNKNOWN:
        branch = f"the {default_branch} branch" if default_branch else "the default branch"
        error = f"no workflow runs on {branch} yet"
    return RepoStatus(
        repo, state, default_branch, tuple(latest), tuple(recent), fetched_at, error, stale=False
    )


def from_stored(repo: str, stored: StoredCiStatus | None) -> RepoStatus:
    """A stored state as a status: stale, since it is not this moment's answer."""
    if stored is None:
        return RepoStatus(repo, UNKNOWN, None, (), (), None, None, stale=False)
    recent = tuple(run_from_json(run) for run in stored.runs)
    latest = tuple(latest_per_workflow(recent))
    known = stored.fetched_at is not None
    return RepoStatus(
        repo,
        stored.state if known else UNKNOWN,
        stored.default_branch,
        latest,
        recent,
        stored.fetched_at,
        stored.error,
        stale=known,
    )


def last_known(store: Store, repos: Sequence[str]) -> list[RepoStatus]:
    """The last known state of each of `repos`, in that order, read from the database at once
    (a few milliseconds; no network). A repository never fetched is `unknown`, not stale."""
    stored = store.read(ci_statuses, list(repos))
    return [from_stored(repo, stored.get(repo)) for repo in repos]


# Polling: how long to wait before asking again.
BUSY_POLL_SECONDS = 15


def next_poll_in(
    statuses: Iterable[RepoStatus],
    poll_seconds: float,
    now: datetime,
    *,
    rate_limit: RateLimit | None = None,
    blocked_until: datetime | None = None,
    requests_per_poll: int = 0,
) -> float:
    """Seconds until the next refresh: `poll_seconds`, 15 s while a run is under way, never before
    GitHub's block ends, and never faster than the requests left until the reset allow (at
    `requests_per_poll` each; answers of 304 cost none, so this is a bound, not an estimate)."""
    delay = float(poll_seconds)
    if any(status.state == PENDING for status in statuses):
        delay = min(delay, BUSY_POLL_SECONDS)
    if blocked_until is not None:
        delay = max(delay, (blocked_until - now).total_seconds())
    if (
        rate_limit is not None
        and rate_limit.reset is not None
        and rate_limit.remaining is not None
        and requests_per_poll > 0
    ):
        until_reset = (rate_limit.reset - now).total_seconds()
        if until_reset > 0:
            polls_left = rate_limit.remaining // requests_per_poll
            delay = max(delay, until_reset / polls_left if polls_left else until_reset)
    return delay
