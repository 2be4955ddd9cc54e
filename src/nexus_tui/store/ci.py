"""GitHub data kept in the hub database: cached API responses and each repository's CI state.

Plain SQL over the tables of migration 4. The GitHub client stores what it fetched here so the next
request can be conditional (a 304 costs no rate limit), also in the next process; the last known
state of each repository is what the first frame and an offline `nexus-tui ci` show.

Nothing here knows GitHub's formats: runs are stored as the JSON the `github` package hands over.
"""

import json
import sqlite3
from collections.abc import Sequence
from datetime import datetime
from typing import Any, NamedTuple

from nexus_tui.store.database import from_db_time, to_db_time

STATES = ("success", "failure", "pending", "unknown")


class CachedResponse(NamedTuple):
    url: str
    etag: str | None
    last_modified: str | None
    link: str | None
    """The response's `link` header: where the next page is."""
    body: str
    fetched_at: datetime


class StoredCiStatus(NamedTuple):
    repo: str
    state: str
    default_branch: str | None
    runs: list[dict[str, Any]]
    """As saved: a list of JSON objects, decoded."""
    fetched_at: datetime | None
    """When GitHub last answered for this repository; None if it never has."""
    checked_at: datetime
    """When a refresh was last tried, whether or not it worked."""
    error: str | None
    """Why the last refresh failed, as a sentence; None when it worked."""


# --- the HTTP cache -------------------------------------------------------------------------


def cached_response(conn: sqlite3.Connection, url: str) -> CachedResponse | None:
    row = conn.execute(
        "SELECT url, etag, last_modified, link, body, fetched_at FROM http_cache WHERE url = ?",
        (url,),
    ).fetchone()
    if row is None:
        return None
    *fields, fetched_at = row
    return CachedResponse(*fields, from_db_time(fetched_at))


def save_response(
    conn: sqlite3.Connection,
    url: str,
    etag: str | None,
    last_modified: str | None,
    link: str | None,
    body: str,
    fetched_at: datetime,
) -> None:
    conn.execute(
        """INSERT INTO http_cache (url, etag, last_modified, link, body, fetched_at)
           VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT (url) DO UPDATE SET etag = excluded.etag,
               last_modified = excluded.last_modified, link = excluded.link,
               body = excluded.body, fetched_at = excluded.fetched_at""",
        (url, etag, last_modified, link, body, to_db_time(fetched_at)),
    )


def confirm_response(
    conn: sqlite3.Connection,
    url: str,
    etag: str | None,
    last_modified: str | None,
    fetched_at: datetime,
) -> None:
    """A 304 said the stored body is still current. Validators it sent replace the stored ones;
    one it left out (a 304 need not repeat the ETag) keeps the stored value."""
    conn.execute(
        """UPDATE http_cache SET etag = coalesce(?, etag),
               last_modified = coalesce(?, last_modified), fetched_at = ?
           WHERE url = ?""",
        (etag, last_modified, to_db_time(fetched_at), url),
    )


def forget_responses_before(conn: sqlite3.Connection, moment: datetime) -> int:
    """Drop responses not confirmed since `moment` (runs' jobs of long ago, repositories no longer
    watched); returns how many went."""
    return conn.execute(
        "DELETE FROM http_cache WHERE fetched_at < ?", (to_db_time(moment),)
    ).rowcount


# --- last known state -----------------------------------------------------------------------


def _status(row: tuple) -> StoredCiStatus:
    repo, state, default_branch, runs, fetched_at, checked_at, error = row
    try:
        decoded = json.loads(runs)
    except ValueError:
        decoded = []
    if not isinstance(decoded, list):
        decoded = []
    return StoredCiStatus(
        repo,
        state if state in STATES else "unknown",
        default_branch,
        [run for run in decoded if isinstance(run, dict)],
        from_db_time(fetched_at) if fetched_at else None,
        from_db_time(checked_at),
        error,
    )


_STATUS_COLUMNS = "repo, state, default_branch, runs, fetched_at, checked_at, error"


def ci_statuses(
    conn: sqlite3.Connection, repos: Sequence[str] | None = None
) -> dict[str, StoredCiStatus]:
    """The stored state of `repos` (all when None), keyed by the name as asked for; names are
    matched without regard to case, as GitHub does. Repositories never refreshed are absent."""
    if repos is None:
        rows = conn.execute(f"SELECT {_STATUS_COLUMNS} FROM ci_status ORDER BY repo")
        return {row[0]: _status(row) for row in rows}
    found: dict[str, StoredCiStatus] = {}
    for repo in repos:
        row = conn.execute(
            f"SELECT {_STATUS_COLUMNS} FROM ci_status WHERE repo = ?", (repo,)
        ).fetchone()
        if row is not None:
            found[repo] = _status(row)
    return found


def save_ci_status(
    conn: sqlite3.Connection,
    repo: str,
    state: str,
    default_branch: str | None,
    runs: Sequence[dict[str, Any]],
    fetched_at: datetime,
    error: str | None = None,
) -> None:
    """What GitHub answered for `repo` just now; it replaces whatever was known before."""
    if state not in STATES:
        raise ValueError(f"unknown CI state {state!r}")
    conn.execute(
        f"""INSERT INTO ci_status ({_STATUS_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (repo) DO UPDATE SET repo = excluded.repo, state = excluded.state,
                default_branch = excluded.default_branch, runs = excluded.runs,
                fetched_at = excluded.fetched_at, checked_at = excluded.checked_at,
                error = excluded.error""",
        (
            repo,
            state,
            default_branch,
            json.dumps(list(runs), ensure_ascii=False, separators=(",", ":")),
            to_db_time(fetched_at),
            to_db_time(fetched_at),
            error,
        ),
    )


def note_ci_failure(conn: sqlite3.Connection, repo: str, error: str, checked_at: datetime) -> None:
    """A refresh of `repo` that got no usable answer: the last known state stays, marked with why
    it could not be renewed. A repository never fetched gets an `unknown` row."""
    conn.execute(
        """INSERT INTO ci_status (repo, state, checked_at, error) VALUES (?, 'unknown', ?, ?)
           ON CONFLICT (repo) DO UPDATE SET checked_at = excluded.checked_at,
               error = excluded.error""",
        (repo, to_db_time(checked_at), error),
    )


def forget_ci_status(conn: sqlite3.Connection, repo: str) -> int:
    return conn.execute("DELETE FROM ci_status WHERE repo = ?", (repo,)).rowcount
