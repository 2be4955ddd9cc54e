"""GitHub's JSON turned into small immutable records.

GitHub's answers change over the years (fields come and go, `display_title` is recent) and a
stand-in server may leave things out, so every parser takes what it finds: a missing or oddly typed
field becomes None (or an empty value), and an item that is not an object is skipped. Text is kept
exactly as GitHub sent it; making it safe to show is the job of whoever shows it
(`github.display.shown`).
"""

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any, NamedTuple

# A run's conclusions that count as its workflow failing.
FAILED_CONCLUSIONS = frozenset({"failure", "timed_out", "startup_failure"})
# Statuses of a run that has not finished yet.
UNFINISHED_STATUSES = frozenset({"queued", "in_progress", "waiting", "requested", "pending"})


def _str(data: dict[str, Any], key: str) -> str | None:
    value = data.get(key)
    return value if isinstance(value, str) else None


def _int(data: dict[str, Any], key: str) -> int | None:
    value = data.get(key)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _bool(data: dict[str, Any], key: str) -> bool | None:
    value = data.get(key)
    return value if isinstance(value, bool) else None


def _object(data: dict[str, Any], key: str) -> dict[str, Any]:
    value = data.get(key)
    return value if isinstance(value, dict) else {}


def parse_time(text: object) -> datetime | None:
    """GitHub's "2023-01-30T20:44:54Z" (or any ISO 8601 with an offset) as an aware UTC time."""
    if not isinstance(text, str) or not text:
        return None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def format_time(moment: datetime | None) -> str | None:
    """The layout GitHub uses, so a time read from GitHub is written back unchanged."""
    if moment is None:
        return None
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _items(body: object, key: str | None) -> Iterable[dict[str, Any]]:
    if key is not None:
        body = body.get(key) if isinstance(body, dict) else None
    if not isinstance(body, list):
        return ()
    return (item for item in body if isinstance(item, dict))


class Repository(NamedTuple):
    full_name: str | None
    default_branch: str | None
    url: str | None
    private: bool | None
    description: str | None


def parse_repository(body: object) -> Repository:
    data = body if isinstance(body, dict) else {}
    return Repository(
        _str(data, "full_name"),
        _str(data, "default_branch") or None,
        _str(data, "html_url"),
        _bool(data, "private"),
        _str(data, "description"),
    )


class WorkflowRun(NamedTuple):
    id: int | None
    workflow_id: int | None
    workflow: str
    """The workflow's name (a run's `name`); its file path when GitHub gave no name."""
    title: str
    """`display_title`, or the head commit's first line on older servers."""
    branch: str | None
    event: str | None
    status: str | None
    conclusion: str | None
    run_number: int | None
    run_attempt: int | None
    head_sha: str | None
    actor: str | None
    url: str | None
    """The run's page on the web (`html_url`)."""
    created_at: datetime | None
    updated_at: datetime | None
    run_started_at: datetime | None

    @property
    def workflow_key(self) -> str:
        """What tells workflows apart: the id when given, else the name."""
        return f"id:{self.workflow_id}" if self.workflow_id is not None else f"name:{self.workflow}"

    @property
    def failed(self) -> bool:
        return self.conclusion in FAILED_CONCLUSIONS

    @property
    def unfinished(self) -> bool:
        # A run GitHub still lists without a conclusion has not finished, whatever its status says.
        return self.status in UNFINISHED_STATUSES or (
            self.status != "completed" and self.conclusion is None and self.status is not None
        )

    @property
    def duration(self) -> timedelta | None:
        """How long a finished run took, from its start to its last update."""
        start = self.run_started_at or self.created_at
        if self.unfinished or start is None or self.updated_at is None:
            return None
        return max(self.updated_at - start, timedelta(0))


def parse_run(data: dict[str, Any]) -> WorkflowRun:
    head_commit = _object(data, "head_commit")
    message = _str(head_commit, "message") or ""
    title = _str(data, "display_title") or message.split("\n", 1)[0] or _str(data, "name") or ""
    workflow = _str(data, "name") or _str(data, "path") or "workflow"
    actor = _object(data, "actor") or _object(data, "triggering_actor")
    return WorkflowRun(
        id=_int(data, "id"),
        workflow_id=_int(data, "workflow_id"),
        workflow=workflow,
        title=title,
        branch=_str(data, "head_branch"),
        event=_str(data, "event"),
        status=_str(data, "status"),
        conclusion=_str(data, "conclusion"),
        run_number=_int(data, "run_number"),
        run_attempt=_int(data, "run_attempt"),
        head_sha=_str(data, "head_sha"),
        actor=_str(actor, "login"),
        url=_str(data, "html_url"),
        created_at=parse_time(data.get("created_at")),
        updated_at=parse_time(data.get("updated_at")),
        run_started_at=parse_time(data.get("run_started_at")),
    )


def parse_runs(body: object) -> list[WorkflowRun]:
    """`GET /repos/{owner}/{repo}/actions/runs`: `{"workflow_runs": [...]}` (a bare list too)."""
    key = "workflow_runs" if isinstance(body, dict) else None
    return [parse_run(item) for item in _items(body, key)]


_RUN_TIMES = ("created_at", "updated_at", "run_started_at")


def run_to_json(run: WorkflowRun) -> dict[str, Any]:
    """A run as JSON for the local database (times in GitHub's layout)."""
    data = run._asdict()
    for name in _RUN_TIMES:
        data[name] = format_time(data[name])
    return data


def run_from_json(data: dict[str, Any]) -> WorkflowRun:
    """The inverse of `run_to_json`, as forgiving as the parsers: a row written by an older
    version may lack fields."""
    values = {}
    for name in WorkflowRun._fields:
        value = data.get(name)
        if name in _RUN_TIMES:
            value = parse_time(value)
        elif name in ("id", "workflow_id", "run_number", "run_attempt"):
            value = value if isinstance(value, int) and not isinstance(value, bool) else None
        elif name in ("workflow", "title"):
            value = value if isinstance(value, str) else ""
        elif not isinstance(value, str):
            value = None
        values[name] = value
    return WorkflowRun(**values)


class Step(NamedTuple):
    number: int | None
    name: str
    status: str | None
    conclusion: str | None
    started_at: datetime | None
    completed_at: datetime | None


class Job(NamedTuple):
    id: int | None
    run_id: int | None
    name: str
    status: str | None
    conclusion: str | None
    started_at: datetime | None
    completed_at: datetime | None
    url: str | None
    runner_name: str | None
    steps: tuple[Step, ...]


def _step(data: dict[str, Any]) -> Step:
    return Step(
        _int(data, "number"),
        _str(data, "name") or "",
        _str(data, "status"),
        _str(data, "conclusion"),
        parse_time(data.get("started_at")),
        parse_time(data.get("completed_at")),
    )


def parse_jobs(body: object) -> list[Job]:
    """`GET …/actions/runs/{id}/jobs`: `{"jobs": [...]}`, each with its `steps`."""
    key = "jobs" if isinstance(body, dict) else None
    return [
        Job(
            _int(data, "id"),
            _int(data, "run_id"),
            _str(data, "name") or "",
            _str(data, "status"),
            _str(data, "conclusion"),
            parse_time(data.get("started_at")),
            parse_time(data.get("completed_at")),
            _str(data, "html_url"),
            _str(data, "runner_name"),
            tuple(_step(step) for step in _items(data, "steps")),
        )
        for data in _items(body, key)
    ]


class Commit(NamedTuple):
    sha: str | None
    message: str
    author: str | None
    """The GitHub login when the commit is linked to an account, else the name in the commit."""
    authored_at: datetime | None
    url: str | None


def parse_commits(body: object) -> list[Commit]:
    """`GET /repos/{owner}/{repo}/commits`: a list."""
    commits = []
    for data in _items(body, None):
        detail = _object(data, "commit")
        author = _object(detail, "author")
        commits.append(
            Commit(
                _str(data, "sha"),
                _str(detail, "message") or "",
                _str(_object(data, "author"), "login") or _str(author, "name"),
                parse_time(author.get("date")),
                _str(data, "html_url"),
            )
        )
    return commits


class PullRequest(NamedTuple):
    number: int | None
    title: str
    author: str | None
    branch: str | None
    base: str | None
    draft: bool
    url: str | None
    created_at: datetime | None
    updated_at: datetime | None


def parse_pulls(body: object) -> list[PullRequest]:
    """`GET /repos/{owner}/{repo}/pulls`: a list."""
    return [
        PullRequest(
            _int(data, "number"),
            _str(data, "title") or "",
            _str(_object(data, "user"), "login"),
            _str(_object(data, "head"), "ref"),
            _str(_object(data, "base"), "ref"),
            _bool(data, "draft") is True,
            _str(data, "html_url"),
            parse_time(data.get("created_at")),
            parse_time(data.get("updated_at")),
        )
        for data in _items(body, None)
    ]


class RateLimit(NamedTuple):
    """One resource's limit as the `x-ratelimit-*` headers of the latest answer gave it."""

    resource: str
    limit: int | None
    remaining: int | None
    used: int | None
    reset: datetime | None
