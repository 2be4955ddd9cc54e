"""`nexus-tui ci`'s output: the JSON document and the compact table for a person.

Every piece of text from GitHub (titles, branch and workflow names, error messages quoting it)
goes through `display.shown` / `display.shown_line`, in the JSON too (a `jq -r` would otherwise
print a title's escape sequences raw): escape sequences are removed and no control character from
GitHub reaches a terminal, and markup such as "[bold]" is plain text here, shown as written.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from nexus_tui.github.client import clock_time
from nexus_tui.github.display import shown, shown_line
from nexus_tui.github.models import RateLimit, WorkflowRun, format_time
from nexus_tui.github.status import FAILURE, PENDING, SUCCESS, RepoStatus
from nexus_tui.text import age

EXIT_SUCCESS = 0
EXIT_FAILURE = 1
EXIT_UNDECIDED = 2


def exit_status(statuses: Sequence[RepoStatus]) -> int:
    """0 if every repository is `success`, 1 if any is `failure`, 2 otherwise."""
    states = {status.state for status in statuses}
    if FAILURE in states:
        return EXIT_FAILURE
    if states == {SUCCESS}:
        return EXIT_SUCCESS
    return EXIT_UNDECIDED


def _shown(text: str | None) -> str | None:
    return None if text is None else shown(text)


def run_document(run: WorkflowRun) -> dict[str, Any]:
    return {
        "workflow": shown(run.workflow),
        "branch": _shown(run.branch),
        "status": _shown(run.status),
        "conclusion": _shown(run.conclusion),
        "title": shown(run.title),
        "url": _shown(run.url),
        "run_number": run.run_number,
        "updated_at": format_time(run.updated_at),
    }


def json_document(statuses: Sequence[RepoStatus], rate_limit: RateLimit | None) -> dict[str, Any]:
    return {
        "repos": [
            {
                "repo": shown(status.repo),
                "state": status.state,
                "stale": status.stale,
                "fetched_at": format_time(status.fetched_at),
                "default_branch": _shown(status.default_branch),
                "error": _shown(status.error),
                "runs": [run_document(run) for run in status.runs],
            }
            for status in statuses
        ],
        "rate_limit": (
            None
            if rate_limit is None
            else {
                "limit": rate_limit.limit,
                "remaining": rate_limit.remaining,
                # Unix time, as GitHub gives it.
                "reset": int(rate_limit.reset.timestamp()) if rate_limit.reset else None,
            }
        ),
    }


# --- the table ------------------------------------------------------------------------------

_SYMBOLS = {SUCCESS: "✓", FAILURE: "✗", PENDING: "●"}
# SGR colours, only on a terminal.
_COLOURS = {SUCCESS: "32", FAILURE: "31", PENDING: "33"}
_DIM = "2"


def _run_state(run: WorkflowRun) -> str:
    if run.failed:
        return FAILURE
    if run.unfinished:
        return PENDING
    return SUCCESS if run.conclusion == "success" else "other"


class _Painter:
    def __init__(self, colour: bool) -> None:
        self.colour = colour

    def __call__(self, text: str, code: str | None) -> str:
        if not self.colour or not code:
            return text
        return f"\x1b[{code}m{text}\x1b[0m"


def table_lines(
    statuses: Sequence[RepoStatus],
    rate_limit: RateLimit | None,
    now: datetime,
    *,
    colour: bool = False,
) -> list[str]:
    paint = _Painter(colour)
    names = [shown_line(status.repo, limit=60) for status in statuses]
    name_width = max((len(name) for name in names), default=0)
    lines: list[str] = []
    for status, name in zip(statuses, names, strict=True):
        code = _COLOURS.get(status.state)
        symbol = _SYMBOLS.get(status.state, "?")
        head = f"{paint(symbol, code)} {name:<{name_width}}  {paint(f'{status.state:<7}', code)}"
        parts = []
        if status.default_branch:
            parts.append(shown_line(status.default_branch, limit=80))
        if status.fetched_at is not None:
            when = age(status.fetched_at, now)
            parts.append(f"last known {when}" if status.stale else when)
        if status.error:
            reason = shown_line(status.error, limit=300)
            parts.append(paint(f"({reason})", _DIM) if status.stale else reason)
        lines.append("  ".join([head, *parts]).rstrip())
        workflows = [shown_line(run.workflow, limit=80) for run in status.runs]
        workflow_width = max((len(workflow) for workflow in workflows), default=0)
        for run, workflow in zip(status.runs, workflows, strict=True):
            run_state = _run_state(run)
            outcome = run.conclusion or run.status or "unknown"
            number = f"#{run.run_number}" if run.run_number is not None else ""
            lines.append(
                f"    {paint(_SYMBOLS.get(run_state, '·'), _COLOURS.get(run_state))} "
                f"{workflow:<{workflow_width}}  {shown_line(outcome, limit=20):<15} "
                f"{number:<6} {shown_line(run.title)}".rstrip()
            )
    if rate_limit is not None and rate_limit.remaining is not None:
        line = f"GitHub rate limit: {rate_limit.remaining}"
        if rate_limit.limit is not None:
            line += f" of {rate_limit.limit}"
        line += " left"
        if rate_limit.reset is not None:
            line += f", renewed at {clock_time(rate_limit.reset, now)}"
        lines.append(paint(line, _DIM))
    return lines
