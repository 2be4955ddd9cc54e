"""A whole hub as plain values: what a README import reads, what exports and backups write.

Everything in `hub/` converts between this and a text format (README markdown, JSON backup);
`store/hub_io.py` converts between this and a database. Field names follow the JSON backup
(format "nexus-tui", version 1), so a backup is these dataclasses written out.

Times are naive UTC `datetime`s like the store's; a README import has no times (None), and the
store then stamps its own clock.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

# The category kinds the store knows; a README heading decides which one applies.
CATEGORY_KINDS = ("technology", "concept", "other")
TOPIC_STATUSES = ("not_started", "learning", "practising", "confident")
CHALLENGE_STATUSES = ("open", "solved")
COLLABORATOR_ROLES = ("backend", "frontend", "mentor", "other")

# Where lines that a README import does not recognise go: nothing read is ever dropped.
IMPORTED_CATEGORY = "Imported"
IMPORTED_TOPIC = "Imported"


@dataclass(slots=True)
class NoteContent:
    title: str
    body: str = ""
    tags: list[str] = field(default_factory=list)
    pinned: bool = False
    created_at: datetime | None = None
    updated_at: datetime | None = None


@dataclass(slots=True)
class TopicContent:
    name: str
    category: str
    status: str = "not_started"
    notes: list[NoteContent] = field(default_factory=list)


@dataclass(slots=True)
class CategoryContent:
    name: str
    kind: str = "other"


@dataclass(slots=True)
class LinkContent:
    url: str
    label: str = ""


@dataclass(slots=True)
class ChallengeContent:
    title: str
    challenge: str = ""
    solution: str = ""
    status: str = "open"
    # Topic names; a name found in several categories links to each of them.
    topics: list[str] = field(default_factory=list)
    links: list[LinkContent] = field(default_factory=list)


@dataclass(slots=True)
class CollaboratorContent:
    name: str
    role: str = "other"
    github: str = ""
    discord: str = ""
    project: str = ""
    notes: str = ""
    api_contract: str = ""
    last_sync: date | None = None
    next_sync: date | None = None


@dataclass(slots=True)
class RepoContent:
    full_name: str
    # The collaborator's name, when the repository is theirs.
    collaborator: str | None = None


@dataclass(slots=True)
class HubContent:
    """A hub in order: categories, topics (with their notes), challenges, collaborators, repos."""

    title: str = ""
    overview: str = ""
    categories: list[CategoryContent] = field(default_factory=list)
    topics: list[TopicContent] = field(default_factory=list)
    challenges: list[ChallengeContent] = field(default_factory=list)
    collaborators: list[CollaboratorContent] = field(default_factory=list)
    repos: list[RepoContent] = field(default_factory=list)
