"""The JSON backup (format "nexus-tui", version 1): what it writes, and what it refuses to read.

The hypothesis strategies for whole hubs live here; tests/test_hub_io.py uses them for the
round trip through real databases.
"""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nexus_tui.hub.backup import (
    BackupFormatError,
    dump_backup,
    from_backup,
    load_backup,
    looks_like_backup,
    to_backup,
)
from nexus_tui.hub.content import (
    CATEGORY_KINDS,
    CHALLENGE_STATUSES,
    COLLABORATOR_ROLES,
    TOPIC_STATUSES,
    CategoryContent,
    ChallengeContent,
    CollaboratorContent,
    HubContent,
    LinkContent,
    NoteContent,
    RepoContent,
    TopicContent,
)

# --------------------------------------------------------------------------------------------
# Strategies: hubs with the text that breaks naive code

TRICKY_TEXTS = [
    "",
    " ",
    "# Not a heading",
    "## Two\n### Three",
    "*stars* and _underscores_ and **bold**",
    "`code` and ```fenced```",
    "[x](y) and ![image](z.png)",
    "| a | b |\n|---|---|",
    "- [ ] task\n- [x] done",
    "> quoted",
    "<script>alert(1)</script>",
    "👩‍💻 Emoji 🚀 in text",
    "שלום עולם — right to left",
    "مرحبا",
    "e\u0301 combining, A\u030a",
    "zero\u200bwidth",
    "tab\tand\r\ncrlf\rcr",
    "\x1b[31mred\x1b[0m",
    "nul\x00byte",
    "\ufeffbom",
    "caf\u00e9 / cafe\u0301",
    "Straße / STRASSE",
    "line one\n\nline three",
    "lorem ipsum " * 20_000,
]

any_text = st.one_of(
    st.sampled_from(TRICKY_TEXTS),
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=40),
)
short_text = st.one_of(
    st.sampled_from(TRICKY_TEXTS[:-1]),
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=20),
)
# A name must say something: a blank one gets a word in front rather than being drawn again.
name_text = short_text.map(lambda text: text if text.strip() else f"name{text}")
moments = st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2100, 12, 31))
days = st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31))


def unique_names(min_size: int = 0, max_size: int = 4) -> st.SearchStrategy[list[str]]:
    # The hub refuses names that differ only in case where a name must be unique.
    return st.lists(name_text, min_size=min_size, max_size=max_size, unique_by=str.casefold)


notes = st.builds(
    NoteContent,
    title=short_text,
    body=any_text,
    tags=st.lists(short_text, max_size=3),
    pinned=st.booleans(),
    created_at=st.one_of(st.none(), moments),
    updated_at=st.one_of(st.none(), moments),
)


@st.composite
def hubs(draw: st.DrawFn) -> HubContent:
    """A hub as a README or a backup could bring it: times present or not, names that repeat
    across categories, challenges naming topics the hub has and some it lacks."""
    category_names = draw(unique_names(min_size=1))
    categories = [
        CategoryContent(name, draw(st.sampled_from(CATEGORY_KINDS))) for name in category_names
    ]
    topics = []
    for category in category_names:
        for name in draw(unique_names()):
            topics.append(
                TopicContent(
                    name,
                    category,
                    draw(st.sampled_from(TOPIC_STATUSES)),
                    draw(st.lists(notes, max_size=5)),
                )
            )
    topic_names = [topic.name for topic in topics]
    named = st.sampled_from(topic_names) if topic_names else name_text
    challenges = draw(
        st.lists(
            st.builds(
                ChallengeContent,
                title=name_text,
                challenge=any_text,
                solution=any_text,
                status=st.sampled_from(CHALLENGE_STATUSES),
                topics=st.lists(st.one_of(named, name_text), max_size=3),
                links=st.lists(
                    st.builds(LinkContent, url=short_text, label=short_text), max_size=2
                ),
            ),
            max_size=3,
        )
    )
    collaborators = draw(
        st.lists(
            st.builds(
                CollaboratorContent,
                name=name_text,
                role=st.sampled_from(COLLABORATOR_ROLES),
                github=short_text,
                discord=short_text,
                project=short_text,
                notes=any_text,
                api_contract=any_text,
                last_sync=st.one_of(st.none(), days),
                next_sync=st.one_of(st.none(), days),
            ),
            max_size=3,
        )
    )
    people = [person.name for person in collaborators]
    owner = st.one_of(st.none(), st.sampled_from(people)) if people else st.none()
    repos = [RepoContent(name, draw(owner)) for name in draw(unique_names(max_size=3))]
    return HubContent(
        title=draw(short_text),
        overview=draw(any_text),
        categories=categories,
        topics=topics,
        challenges=challenges,
        collaborators=collaborators,
        repos=repos,
    )


def small_hub() -> HubContent:
    return HubContent(
        title="Project Nexus",
        overview="My learning hub.",
        categories=[CategoryContent("Backend", "technology")],
        topics=[
            TopicContent(
                "Redis caching",
                "Backend",
                "learning",
                [
                    NoteContent(
                        "Cache keys",
                        "Prefix them.",
                        ["redis"],
                        True,
                        datetime(2026, 11, 28, 3, 40, 16),
                        datetime(2026, 11, 28, 3, 40, 16, 250_000),
                    )
                ],
            )
        ],
        challenges=[
            ChallengeContent(
                "N+1 queries",
                "Slow list views",
                "select_related",
                "solved",
                ["Redis caching"],
                [LinkContent("https://example.org", "docs")],
            )
        ],
        collaborators=[
            CollaboratorContent(
                "Ada",
                "frontend",
                "ada-l",
                "ada#1",
                "Dashboard",
                "Likes tests",
                "GET /api",
                date(2026, 11, 20),
                date(2026, 11, 27),
            )
        ],
        repos=[RepoContent("ada-l/dashboard", "Ada")],
    )


# --------------------------------------------------------------------------------------------
# Writing


def test_a_backup_has_the_published_keys_and_iso_times():
    data = to_backup(small_hub())
    assert data["format"] == "nexus-tui"
    assert data["version"] == 1
    topic = data["topics"][0]
    assert set(topic) == {"name", "category", "status", "notes"}
    note = topic["notes"][0]
    assert set(note) == {"title", "body", "tags", "pinned", "created_at", "updated_at"}
    assert note["created_at"] == "2026-11-28T03:40:16Z"
    assert note["updated_at"] == "2026-11-28T03:40:16.250000Z"
    challenge = data["challenges"][0]
    assert set(challenge) == {"title", "challenge", "solution", "status", "topics", "links"}
    assert challenge["links"] == [{"url": "https://example.org", "label": "docs"}]
    person = data["collaborators"][0]
    assert {
        "name", "role", "github", "discord", "project", "api_contract", "last_sync", "next_sync"
    } <= set(person)  # fmt: skip
    assert person["last_sync"] == "2026-11-20"
    assert data["repos"] == [{"full_name": "ada-l/dashboard", "collaborator": "Ada"}]
    # Beyond the published keys: what the store holds besides.
    assert data["categories"] == [{"name": "Backend", "kind": "technology"}]
    assert person["notes"] == "Likes tests"
    assert (data["title"], data["overview"]) == ("Project Nexus", "My learning hub.")


def test_dumped_json_for_a_terminal_is_ascii_and_reads_back_the_same():
    content = small_hub()
    content.topics[0].notes[0].body = "👩‍💻 \x1b[31m\x9b"
    text = dump_backup(content, ascii_only=True)
    assert text.isascii()
    assert text.endswith("}\n")
    assert load_backup(text.encode()) == content
    assert load_backup(dump_backup(content).encode("utf-8")) == content


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hubs())
def test_backup_to_json_and_back_is_the_identity(content):
    text = dump_backup(content)
    assert load_backup(text.encode("utf-8")) == content
    assert from_backup(json.loads(text)) == content


# --------------------------------------------------------------------------------------------
# Telling a backup from a README


@pytest.mark.parametrize(
    "text",
    ['{"format": "nexus-tui"}', '\ufeff  \n{\n  "version": 1', "{}", '{"trunc'],
    ids=["plain", "bom-and-blank-lines", "empty-object", "cut-short"],
)
def test_json_objects_look_like_backups(text):
    assert looks_like_backup(text)


@pytest.mark.parametrize(
    "text",
    ["# Project Nexus\n", "Project Nexus 🚀\n{json}", "{{ template }}\n", "[1, 2]", ""],
    ids=["markdown", "brace-later", "template", "json-list", "empty"],
)
def test_readmes_do_not_look_like_backups(text):
    assert not looks_like_backup(text)


# --------------------------------------------------------------------------------------------
# Reading: lenient about what is missing, strict about what is wrong


def test_missing_optional_keys_take_a_new_rows_values_and_unknown_keys_are_ignored():
    content = from_backup(
        {
            "format": "nexus-tui",
            "version": 1,
            "exported_by": "a later version",
            "topics": [{"name": "Docker", "category": "Tools", "notes": [{"title": "Images"}]}],
            "collaborators": [{"name": "Ada"}],
        }
    )
    assert content.topics == [
        TopicContent("Docker", "Tools", "not_started", [NoteContent("Images")])
    ]
    assert content.collaborators == [CollaboratorContent("Ada")]
    assert (content.title, content.challenges, content.repos) == ("", [], [])


def test_times_with_an_offset_become_utc_and_without_one_are_taken_as_utc():
    data = to_backup(small_hub())
    note = data["topics"][0]["notes"][0]
    note["created_at"] = "2026-11-28T05:40:16+02:00"
    note["updated_at"] = "2026-11-28T03:40:16"
    restored = from_backup(data).topics[0].notes[0]
    assert restored.created_at == datetime(2026, 11, 28, 3, 40, 16)
    assert restored.updated_at == datetime(2026, 11, 28, 3, 40, 16)


def broken(change) -> dict:
    data = to_backup(small_hub())
    change(data)
    return data


@pytest.mark.parametrize(
    ("data", "fragments"),
    [
        (["a", "list"], ["not a nexus-tui backup", "a list"]),
        ({"format": "something-else", "version": 1}, ['"format"', "something-else"]),
        ({"version": 1}, ['"format"', "null"]),
        ({"format": "nexus-tui"}, ['"version"', "null"]),
        ({"format": "nexus-tui", "version": "1"}, ['"version"', '"1"']),
        ({"format": "nexus-tui", "version": True}, ['"version"', "true"]),
        ({"format": "nexus-tui", "version": 2}, ["newer nexus-tui", "version 2"]),
        (
            broken(lambda d: d["topics"][0].update(status="mastered")),
            ["topics[0].status", '"mastered"', '"learning"'],
        ),
        (
            broken(lambda d: d["topics"][0]["notes"][0].update(pinned="yes")),
            ["topics[0].notes[0].pinned", "true or false", '"yes"'],
        ),
        (
            broken(lambda d: d["topics"][0]["notes"][0].update(tags="a, b")),
            ["topics[0].notes[0].tags", "a list of texts"],
        ),
        (
            broken(lambda d: d["topics"][0]["notes"][0].update(tags=["ok", 3])),
            ["topics[0].notes[0].tags", "a list of texts"],
        ),
        (
            broken(lambda d: d["topics"][0]["notes"][0].update(created_at="yesterday")),
            ["topics[0].notes[0].created_at", "2026-11-28T03:40:16Z", '"yesterday"'],
        ),
        (
            broken(lambda d: d["topics"][0]["notes"][0].pop("title")),
            ["topics[0].notes[0].title", "missing"],
        ),
        (broken(lambda d: d["topics"][0].update(name="  ")), ["topics[0].name", "empty"]),
        (broken(lambda d: d["topics"][0].update(category=7)), ["topics[0].category", "7"]),
        (broken(lambda d: d.update(topics={"a": 1})), ["topics must be a list", "an object"]),
        (broken(lambda d: d["topics"].append("Redis")), ["topics[1] must be an object"]),
        (
            broken(lambda d: d["challenges"][0].update(status="closed")),
            ["challenges[0].status", '"open"', '"solved"'],
        ),
        (
            broken(lambda d: d["challenges"][0]["links"][0].pop("url")),
            ["challenges[0].links[0].url", "missing"],
        ),
        (
            broken(lambda d: d["collaborators"][0].update(role="boss")),
            ["collaborators[0].role", '"mentor"'],
        ),
        (
            broken(lambda d: d["collaborators"][0].update(next_sync="27/11/2026")),
            ["collaborators[0].next_sync", "2026-11-28"],
        ),
        (
            broken(lambda d: d["categories"][0].update(kind="tool")),
            ["categories[0].kind", '"technology"'],
        ),
        (broken(lambda d: d["repos"][0].update(collaborator=1)), ["repos[0].collaborator"]),
        (broken(lambda d: d.update(title=None)), ["title", "null"]),
    ],
    ids=lambda value: None if isinstance(value, list | dict) else str(value),
)
def test_a_wrong_field_is_refused_with_its_name(data, fragments):
    with pytest.raises(BackupFormatError) as raised:
        from_backup(data)
    message = str(raised.value)
    for fragment in fragments:
        assert fragment in message, message
    assert "\n" not in message


@pytest.mark.parametrize(
    ("raw", "fragments"),
    [
        (b'{"format": "nexus-tui", "version": 1, "topics": [', ["not valid JSON", "line 1"]),
        (b'{"format": "nexus-tui",\xff}', ["not UTF-8", "byte 23"]),
        (b"[" * 100_000, ["not valid JSON"]),
    ],
    ids=["cut-short", "not-utf8", "nested-deeply"],
)
def test_bytes_that_are_not_a_json_backup_are_refused_in_words(raw, fragments):
    with pytest.raises(BackupFormatError) as raised:
        load_backup(raw)
    for fragment in fragments:
        assert fragment in str(raised.value), str(raised.value)


def test_a_byte_order_mark_is_allowed():
    raw = b"\xef\xbb\xbf" + dump_backup(small_hub()).encode("utf-8")
    assert load_backup(raw) == small_hub()
