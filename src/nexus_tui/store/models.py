"""SQLModel classes for the tables that `migrations.py` creates, for writes through the ORM.

Importing this module costs about 0.4 s (SQLAlchemy and pydantic), so nothing on the path to the
first screen imports it. The migrations own the schema; a test checks these classes against it.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import JSON, Column, ForeignKey, Integer
from sqlmodel import Field, SQLModel


def _now() -> datetime:
    # SQLModel's datetime type insists on an aware value; it stores naive UTC text, the same layout
    # as database.to_db_time.
    return datetime.now(UTC)


class Category(SQLModel, table=True):
    __tablename__ = "categories"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True)
    kind: str = "other"
    position: int = 0
    origin: str = "user"
    created_at: datetime = Field(default_factory=_now)
    updated_at: datetime = Field(default_factory=_now)
    changed_by: str = ""


class Topic(SQLModel, table=True):
    __tablename__ = "topics"

    id: int | None = Field(default=None, primary_key=True)
    category_id: int = Field(foreign_key="categories.id", ondelete="RESTRICT")
    name: str
    status: str = "not_started"
    position: int = 0
    origin: str = "user"
    created_at: datetime = Field(default_factory=_now)
    updated_at: datetime = Field(default_factory=_now)
    changed_by: str = ""


class Note(SQLModel, table=True):
    __tablename__ = "notes"

    id: int | None = Field(default=None, primary_key=True)
    topic_id: int = Field(foreign_key="topics.id", ondelete="CASCADE")
    title: str
    body: str = ""
    tags: list[str] = Field(default_factory=list, sa_type=JSON)
    pinned: bool = False
    origin: str = "user"
    created_at: datetime = Field(default_factory=_now)
    updated_at: datetime = Field(default_factory=_now)
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
    created_at: datetime = Field(default_factory=_now)
    updated_at: datetime = Field(default_factory=_now)
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
    last_sync: date | None = None
    next_sync: date | None = None
    position: int = 0
    origin: str = "user"
    created_at: datetime = Field(default_factory=_now)
    updated_at: datetime = Field(default_factory=_now)
    changed_by: str = ""


class Repo(SQLModel, table=True):
    __tablename__ = "repos"

    id: int | None = Field(default=None, primary_key=True)
    full_name: str = Field(unique=True)
    collaborator_id: int | None = Field(
        default=None, foreign_key="collaborators.id", ondelete="SET NULL"
    )
    created_at: datetime = Field(default_factory=_now)


class HttpCacheEntry(SQLModel, table=True):
    """A GitHub response kept for conditional requests; written by `store.ci` in plain SQL."""

    __tablename__ = "http_cache"

    url: str = Field(primary_key=True)
    etag: str | None = None
    last_modified: str | None = None
    link: str | None = None
    body: str
    fetched_at: datetime = Field(default_factory=_now)


class CiStatus(SQLModel, table=True):
    """A repository's last known CI state; written by `store.ci` in plain SQL."""

    __tablename__ = "ci_status"

    repo: str = Field(primary_key=True)
    state: str = "unknown"
    default_branch: str | None = None
    # JSON text: the runs as `github.models.run_to_json` writes them.
    runs: str = "[]"
    fetched_at: datetime | None = None
    checked_at: datetime = Field(default_factory=_now)
    error: str | None = None
