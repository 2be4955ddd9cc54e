"""Plain, immutable records that the store hands to the screens and the command line.

They carry loaded values only (no session, no lazy loading), so they can cross threads freely.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

TOPIC_STATUSES = ("not_started", "learning", "practising", "confident")
CHALLENGE_STATUSES = ("open", "solved")
COLLABORATOR_ROLES = ("backend", "frontend", "mentor", "other")
CATEGORY_KINDS = ("technology", "concept", "other")


@dataclass(frozen=True, slots=True)
class TopicSummary:
    id: int
    name: str
    status: str
    category_id: int
    category: str
    note_count: int


@dataclass(frozen=True, slots=True)
class CategorySummary:
    id: int
    name: str
    kind: str
    topics: tuple[TopicSummary, ...]


@dataclass(frozen=True, slots=True)
class NoteSummary:
    id: int
    topic_id: int
    title: str
    tags: tuple[str, ...]
    pinned: bool
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class Note:
    id: int
    topic_id: int
    topic: str
    title: str
    body: str
    tags: tuple[str, ...]
    pinned: bool
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class TopicRef:
    id: int
    name: str


@dataclass(frozen=True, slots=True)
class Link:
    url: str
    label: str


@dataclass(frozen=True, slots=True)
class ChallengeSummary:
    id: int
    title: str
    status: str


@dataclass(frozen=True, slots=True)
class Challenge:
    id: int
    title: str
    challenge: str
    solution: str
    status: str
    topics: tuple[TopicRef, ...]
    links: tuple[Link, ...]
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class CollaboratorSummary:
    id: int
    name: str
    role: str
    next_sync: date | None


@dataclass(frozen=True, slots=True)
class Collaborator:
    id: int
    name: str
    role: str
    github: str
    discord: str
    project: str
    notes: str
    api_contract: str
    last_sync: date | None
    next_sync: date | None
    repos: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class WatchedRepo:
    full_name: str
    collaborator: str | None
