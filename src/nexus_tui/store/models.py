"""SQLModel classes for the tables that `migrations.py` creates, for writes through the ORM.

Importing this module costs about 0.4 s (SQLAlchemy and pydantic), so nothing on the path to the
first screen imports it. The migrations own the schema; a test checks these classes against it.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Column, ForeignKey, Integer, String, Text, TypeDecorator
from sqlmodel import Field, SQLModel

from nexus_tui.store.database import from_db_time, to_db_time

# Times, dates and tags are text in both databases' schemas (see `pg_migrations.py`), written by
# plain SQL in the layouts below. SQLAlchemy's own DateTime, Date and JSON types would hand
# PostgreSQL typed values (stored as other text) and expect typed values back, so these types
# write and read the text itself, the same on both.


class _Time(TypeDecorator[datetime]):
    """An aware moment, stored as `database.to_db_time` writes it (naive UTC); read back in UTC."""

    impl = String
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> str | None:
        if value is None:
            return None
        if value.utcoffset() is None:
            raise ValueError("a time to store needs its time zone, e.g. datetime.now(UTC)")
        return to_db_time(value)

    def process_result_value(self, value: str | None, dialect: Any) -> datetime | None:
        return None if value is None else from_db_time(value)


class _Day(TypeDecorator[date]):
    """A date stored as YYYY-MM-DD."""

    impl = String
    cache_ok = True

    def process_bind_param(self, value: date | None, dialect: Any) -> str | None:
        return None if value is None else value.isoformat()

    def process_result_value(self, value: str | None, dialect: Any) -> date | None:
        return None if value is None else date.fromisoformat(value)


class _JsonText(TypeDecorator[Any]):
    """A value stored as JSON text, as `json.dumps` writes it (the plain-SQL writes do too)."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> str | None:
        return None if value is None else json.dumps(value)

    def process_result_value(self, value: str | None, dialect: Any) -> Any:
        return None if value is None else json.loads(value)


def _now() -> datetime:
    return datetime.now(UTC)


def _stamp() -> Any:
    """A time column that defaults to now."""
    return Field(default_factory=_now, sa_type=_Time)


class Category(SQLModel, table=True):
    __tablename__ = "categories"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True)
    kind: str = "other"
    position: int = 0
    origin: str = "user"
    created_at: datetime = _stamp()
    updated_at: datetime = _stamp()
    changed_by: str = ""


class Topic(SQLModel, table=True):
    __tablename__ = "topics"

    id: int | None = Field(default=None, primary_key=True)
    category_id: int = Field(foreign_key="categories.id", ondelete="RESTRICT")
    name: str
    status: str = "not_started"
    position: int = 0
    origin: str = "user"
    created_at: datetime = _stamp()
    updated_at: datetime = _stamp()
    changed_by: str = ""


class Note(SQLModel, table=True):
    __tablename__ = "notes"

    id: int | None = Field(default=None, primary_key=True)
    topic_id: int = Field(foreign_key="topics.id", ondelete="CASCADE")
    title: str
    body: str = ""
    tags: list[str] = Field(default_factory=list, sa_type=_JsonText)
    pinned: bool = False
    origin: str = "user"
    created_at: datetime = _stamp()
    updated_at: datetime = _stamp()
    changed_by: str = ""


class Challenge(SQLModel, table=True):
    __tablename__ = "challenges"

    id: int | None = Field(default=None, primary_key=True)
    title: str
    challenge: str = ""
    solution: str = ""
    status: str = "open"
    position: int = 0
    origin: str = "user"
    created_at: datetime = _stamp()
    updated_at: datetime = _stamp()
    changed_by: str = ""


class ChallengeTopic(SQLModel, table=True):
    __tablename__ = "challenge_topics"

    challenge_id: int = Field(
        sa_column=Column(Integer, ForeignKey("challenges.id", ondelete="CASCADE"), primary_key=True)
    )
    topic_id: int = Field(
        sa_column=Column(Integer, ForeignKey("topics.id", ondelete="CASCADE"), primary_key=True)
    )


class ChallengeLink(SQLModel, table=True):
    __tablename__ = "challenge_links"

    id: int | None = Field(default=None, primary_key=True)
    challenge_id: int = Field(foreign_key="challenges.id", ondelete="CASCADE")
    url: str
    label: str = ""


class Collaborator(SQLModel, table=True):
    __tablename__ = "collaborators"

    id: int | None = Field(default=None, primary_key=True)
    name: str
    role: str = "other"
    github: str = ""
    discord: str = ""
    project: str = ""
    notes: str = ""
    api_contract: str = ""
    last_sync: date | None = Field(default=None, sa_type=_Day)
    next_sync: date | None = Field(default=None, sa_type=_Day)
    position: int = 0
    origin: str = "user"
    created_at: datetime = _stamp()
    updated_at: datetime = _stamp()
    changed_by: str = ""


class Repo(SQLModel, table=True):
    __tablename__ = "repos"

    id: int | None = Field(default=None, primary_key=True)
    full_name: str = Field(unique=True)
    collaborator_id: int | None = Field(
        default=None, foreign_key="collaborators.id", ondelete="SET NULL"
    )
    created_at: datetime = _stamp()


class HttpCacheEntry(SQLModel, table=True):
    """A GitHub response kept for conditional requests; written by `store.ci` in plain SQL."""

    __tablename__ = "http_cache"

    url: str = Field(primary_key=True)
    etag: str | None = None
    last_modified: str | None = None
    link: str | None = None
    body: str
    fetched_at: datetime = _stamp()


class CiStatus(SQLModel, table=True):
    """A repository's last known CI state; written by `store.ci` in plain SQL."""

    __tablename__ = "ci_status"

    repo: str = Field(primary_key=True)
    state: str = "unknown"
    default_branch: str | None = None
    # JSON text: the runs as `github.models.run_to_json` writes them.
    runs: str = "[]"
    fetched_at: datetime | None = Field(default=None, sa_type=_Time)
    checked_at: datetime = _stamp()
    error: str | None = None
