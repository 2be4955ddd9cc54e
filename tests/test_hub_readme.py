"""Reading hub READMEs: the seed as it reached us, READMEs of many shapes, and odd text."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nexus_tui.hub.content import IMPORTED_CATEGORY, IMPORTED_TOPIC, HubContent
from nexus_tui.hub.decoding import read_hub_text
from nexus_tui.hub.readme import (
    AS_WRITTEN_SUFFIX,
    DECORATION_NOTE_TITLE,
    FRONT_MATTER_NOTE_TITLE,
    NOTES_CATEGORY,
    README_NOTE_TITLE,
    parse_readme,
    parse_readme_strictly,
)

READMES = Path(__file__).parent / "data" / "readmes"
FIXTURES = sorted(path for path in READMES.glob("*") if path.name != "README.md")

# Labels a README line may start with that become the field they name, like markdown markers:
# "Challenge: X" is kept as the challenge X.
FIELD_LABELS = (
    "challenge|problem|issue|the problem|the challenge|solution|solutions|fix|resolution|"
    "approach|what i did|how i solved it|how i fixed it|github|discord|role|project"
)
_LABEL = re.compile(rf"(?:^|(?<=[\s*_—–-]))[*_]*(?:{FIELD_LABELS})[*_]*\s*[:：][*_]*", re.I)
_MARKUP_ONLY = re.compile(r"[\s\-=*_#|:>`~+.]*")


def line_pieces(line: str) -> list[str]:
    """What of a README line must be found in the hub: the line less its markdown markers
    (quote marks, heading marks, a list bullet, `**`, table pipes) and field labels."""
    text = line.strip()
    text = re.sub(r"^(?:>\s?)+", "", text)
    text = re.sub(r"^#{1,6}(?:\s+|$)", "", text)
    # A closing run of "#" after a space (`## Title ##`), without a regex: `\s+#+$` tried at each
    # space of a 200,000-space line backtracks for hours.
    head = text.rstrip("#")
    if head != text and head[-1:].isspace():
        text = head.rstrip()
    text = re.sub(r"^(?:[-*+]|\d{1,9}[.)])\s+", "", text)
    text = text.replace("**", "").replace("__", "")
    pieces = []
    for cell in re.split(r"(?<!\\)\|", text):
        for piece in _LABEL.split(cell):
            piece = piece.strip().strip("—–-").strip()
            if not _MARKUP_ONLY.fullmatch(piece):
                pieces.append(piece)
    return pieces


def hub_text(content: HubContent) -> str:
    """Every text field of a hub, `**` removed as from the README lines."""
    fields = [content.title, content.overview]
    fields += [category.name for category in content.categories]
    for topic in content.topics:
        fields.append(topic.name)
        for note in topic.notes:
            fields += [note.title, note.body]
    for challenge in content.challenges:
        fields += [challenge.title, challenge.challenge, challenge.solution, *challenge.topics]
        fields += [f"{link.label}\n{link.url}" for link in challenge.links]
    for person in content.collaborators:
        fields += [person.name, person.role, person.github, person.discord, person.project]
        fields += [person.notes, person.api_contract]
    return "\n".join(fields).replace("**", "").replace("__", "")


def lost_lines(text: str, content: HubContent) -> list[str]:
    found = hub_text(content)
    return [
        line
        for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        if any(piece not in found for piece in line_pieces(line))
    ]


def assert_every_line_kept(text: str, content: HubContent) -> None:
    lost = lost_lines(text, content)
    assert not lost, f"lines not found in the hub: {lost}"


def topics_of(content: HubContent, category: str) -> list[str]:
    return [topic.name for topic in content.topics if topic.category == category]


def kinds(content: HubContent) -> dict[str, str]:
    return {category.name: category.kind for category in content.categories}


def note(content: HubContent, category: str, topic: str, title: str) -> str:
    for candidate in content.topics:
        if (candidate.category, candidate.name) == (category, topic):
            for found in candidate.notes:
                if found.title == title:
                    return found.body
    raise AssertionError(f"no note {title!r} on {category}/{topic}")


def readme(name: str) -> tuple[str, HubContent]:
    text = read_hub_text(READMES / name)
    return text, parse_readme_strictly(text)


# -- the seed


@pytest.fixture(scope="module")
def seed() -> tuple[str, HubContent]:
    return readme("project-nexus-README.txt")


def test_seed_title_and_overview_are_repaired(seed):
    _text, content = seed
    assert content.title == "ALX Project Nexus – ProDev Backend Engineering"
    assert content.overview.startswith("The ALX Project Nexus repository documents")
    assert "best practices I’ve acquired" in content.overview
    # The "Program Overview" section joins the text before the first section.
    assert "mastery of production-level tools." in content.overview


def test_seed_technologies_and_concepts_become_topics_in_their_categories(seed):
    _text, content = seed
    assert kinds(content) == {
        "Programming & Frameworks": "technology",
        "Backend & Infrastructure Tools": "technology",
        "API Development": "technology",
        "Database Design": "concept",
        "Asynchronous Programming": "concept",
        "Caching Strategies": "concept",
        "Scalability Fundamentals": "concept",
        "Security": "concept",
        NOTES_CATEGORY: "other",
        IMPORTED_CATEGORY: "other",
    }
    assert topics_of(content, "Programming & Frameworks") == [
        "Python",
        "Django Framework",
        "Django REST Framework (DRF)",
        "GraphQL (Graphene)",
    ]
    assert topics_of(content, "Backend & Infrastructure Tools") == [
        "PostgreSQL",
        "Docker & Containerization",
        "CI/CD Pipelines",
        "Git & GitHub",
        "Linux & Shell Scripting",
    ]
    assert "Redis caching" in topics_of(content, "Caching Strategies")
    assert topics_of(content, "Security") == [
        "Input validation",
        "Rate limiting",
        "Authentication/Authorization flows",
        "Secure API design",
    ]
    assert len([t for t in content.topics if kinds(content)[t.category] != "other"]) == 34


def test_seed_challenges_come_with_their_solutions(seed):
    _text, content = seed
    assert [challenge.title for challenge in content.challenges] == [
        "Understanding complex backend architecture",
        "Debugging API validation & query issues",
        "Mastering Docker and containerized deployments",
        "Implementing CI/CD pipelines",
    ]
    first, second, _third, fourth = content.challenges
    assert first.challenge == "Transitioning from basic CRUD to scalable architecture."
    assert first.solution.startswith("Broke systems into smaller components")
    assert "select_related" in second.solution
    assert second.solution.startswith("Leveraged Django’s select_related")
    assert all(challenge.status == "solved" for challenge in content.challenges)
    assert fourth.topics == ["CI/CD Pipelines"]


def test_seed_collaboration_section_gives_collaborators_and_a_note(seed):
    _text, content = seed
    people = {person.name: person for person in content.collaborators}
    assert list(people) == [
        "ProDev Backend Learners",
        "ProDev Frontend Learners",
        "Discord #ProDevProjectNexus",
    ]
    assert people["ProDev Backend Learners"].role == "backend"
    assert "Pair-program" in people["ProDev Backend Learners"].notes
    assert people["ProDev Frontend Learners"].role == "frontend"
    assert "Data shape compatibility" in people["ProDev Frontend Learners"].notes
    assert people["Discord #ProDevProjectNexus"].discord == "#ProDevProjectNexus"
    body = note(
        content, NOTES_CATEGORY, "Collaboration – Key to Success", "Collaboration – Key to Success"
    )
    assert body.startswith("Collaboration is a core part of the ProDev program.")


def test_seed_best_practices_and_other_sections_become_notes(seed):
    _text, content = seed
    assert topics_of(content, NOTES_CATEGORY) == [
        "Best Practices & Personal Takeaways",
        "Collaboration – Key to Success",
        "ProDev Tip",
        "Repository Purpose",
    ]
    practices = "Best Practices & Personal Takeaways"
    body = note(content, NOTES_CATEGORY, practices, practices)
    assert "Use environment variables – never hardcode secrets." in body
    assert "Start small: build from MVP → refine → optimize." in body


def test_seed_has_no_mojibake_left(seed):
    _text, content = seed
    found = hub_text(content)
    for damage in ("‚Ä", "Ã", "â€", "\uf8ff", "üì"):
        assert damage not in found


def test_seed_keeps_every_line(seed):
    text, content = seed
    assert_every_line_kept(text, content)


def texts_in(value: object) -> list[str]:
    """Every string value of a JSON document."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [text for item in value for text in texts_in(item)]
    if isinstance(value, dict):
        return [text for item in value.values() for text in texts_in(item)]
    return []


def test_every_seed_line_is_found_verbatim_in_the_json_export(tmp_path):
    from test_cli import run

    seed_path = READMES / "project-nexus-README.txt"
    database = str(tmp_path / "hub.db")
    imported = run("--db", database, "import", str(seed_path))
    assert imported.returncode == 0, imported.stderr
    exported = run("--db", database, "export", "--format", "json")
    assert exported.returncode == 0, exported.stderr
    strings = texts_in(json.loads(exported.stdout))
    lines = [line.strip() for line in read_hub_text(seed_path).splitlines() if line.strip()]
    missing = [line for line in lines if not any(line in string for string in strings)]
    assert missing == []
    again = run("--db", database, "import", str(seed_path))
    assert again.stdout.startswith("nothing to import"), again.stdout


def test_seed_challenges_are_clean_and_their_section_is_kept_as_written(seed):
    _text, content = seed
    assert content.challenges[0].title == "Understanding complex backend architecture"
    body = note(
        content,
        IMPORTED_CATEGORY,
        IMPORTED_TOPIC,
        "Challenges Faced & Solutions Implemented" + AS_WRITTEN_SUFFIX,
    )
    lines = body.split("\n")
    assert lines[0] == "1. Understanding complex backend architecture"
    assert "Challenge: Handling nested data and optimizing ORM queries." in lines
    assert lines[-1].startswith("Solution: Configured GitHub Actions")


def test_collaborator_lines_that_lose_their_label_keep_the_section_as_written():
    text = (
        "# Hub\n\n## Team\n\n### Mira Solberg\n\n- GitHub: @mirasol\n"
        "- Discord: mira#0042\n- Role: frontend developer\n"
    )
    content = parse_readme_strictly(text)
    (person,) = content.collaborators
    assert (person.name, person.github, person.discord, person.role) == (
        "Mira Solberg",
        "mirasol",
        "mira#0042",
        "frontend",
    )
    assert note(content, IMPORTED_CATEGORY, IMPORTED_TOPIC, "Team" + AS_WRITTEN_SUFFIX) == (
        "### Mira Solberg\n\n- GitHub: @mirasol\n- Discord: mira#0042\n- Role: frontend developer"
    )


def test_sections_that_keep_their_lines_get_no_copy_as_written():
    content = parse_readme_strictly(
        "# Hub\n\n## Tools\n\n- Docker\n\n## Team\n\n- **Ola Berg** (@olaberg) – mentor\n"
    )
    assert [person.github for person in content.collaborators] == ["olaberg"]
    titles = [note.title for topic in content.topics for note in topic.notes]
    assert not any(title.endswith(AS_WRITTEN_SUFFIX) for title in titles)


def test_challenges_and_practices_under_a_learnings_section_are_not_topics():
    content = parse_readme_strictly(
        "# Garden Log\n\n## What I Learned\n\n### Core Tools\n- Trowel\n- Compost sieve\n\n"
        "### Problems I Ran Into\n- **Challenge**: Slugs ate the lettuce.\n"
        "  **Solution**: Copper tape around the beds.\n\n"
        "### Best Practices\n- Water early in the morning.\n"
    )
    assert kinds(content)["Core Tools"] == "technology"
    assert topics_of(content, "Core Tools") == ["Trowel", "Compost sieve"]
    assert [(c.challenge, c.solution) for c in content.challenges] == [
        ("Slugs ate the lettuce.", "Copper tape around the beds.")
    ]
    assert "Problems I Ran Into" not in kinds(content)
    assert note(content, NOTES_CATEGORY, "Best Practices", "Best Practices") == (
        "- Water early in the morning."
    )


def test_a_table_copied_as_tab_separated_lines_gives_topics():
    text = (
        "🌱 Seed Library\nWhat we keep and lend.\n\n🛠 Tools We Use\n"
        "Tool\tWhat for\nDibber\tMaking holes for seeds\nRiddle\tSifting soil\n"
    )
    content = parse_readme_strictly(text)
    (category,) = [name for name, kind in kinds(content).items() if kind == "technology"]
    assert topics_of(content, category) == ["Dibber", "Riddle"]
    assert note(content, category, "Dibber", README_NOTE_TITLE) == "Dibber\tMaking holes for seeds"
    assert_every_line_kept(text, content)


def test_seed_headings_that_name_nothing_are_kept_in_an_imported_note(seed):
    _text, content = seed
    body = note(content, IMPORTED_CATEGORY, IMPORTED_TOPIC, "README headings")
    assert "- 🧰 Key Technologies Covered" in body.split("\n")
    assert "- 🧪 Challenges Faced & Solutions Implemented" in body.split("\n")


# -- READMEs of other shapes


@pytest.mark.parametrize("path", FIXTURES, ids=lambda path: path.name)
def test_every_readme_keeps_every_line(path):
    text = read_hub_text(path)
    assert_every_line_kept(text, parse_readme_strictly(text))


@pytest.mark.parametrize("path", FIXTURES, ids=lambda path: path.name)
def test_parsing_is_deterministic(path):
    text = read_hub_text(path)
    assert parse_readme(text) == parse_readme(text)


def test_markdown_with_emoji_headings_and_arrow_lists():
    _text, content = readme("markdown-emoji-headings.md")
    assert content.title == "📘 ALX Project Nexus – Backend Engineering Learnings"
    assert content.overview.startswith("This repository gathers what I learned")
    assert "It mixes theory, labs and team projects." in content.overview.replace("**", "")
    assert kinds(content)["Key Technologies Covered"] == "technology"
    assert topics_of(content, "Key Technologies Covered") == [
        "Python",
        "Django",
        "Django REST Framework (DRF)",
        "GraphQL",
        "Docker",
        "CI/CD",
    ]
    assert note(content, "Key Technologies Covered", "Python", README_NOTE_TITLE) == (
        "**Python** → Core programming language for backend logic & automation."
    )
    assert kinds(content)["Important Backend Concepts"] == "concept"
    assert "Rate limiting" in topics_of(content, "Important Backend Concepts")
    assert [(c.challenge, c.solution) for c in content.challenges] == [
        (
            "Configuring environment variables securely.",
            "Used `django-environ` to manage `.env` files.",
        ),
        (
            "Docker image size was too large.",
            "Optimized the Dockerfile with multi-stage builds.",
        ),
        (
            "Slow list endpoints with many queries.",
            "Added `select_related` and `prefetch_related` to the querysets.",
        ),
    ]
    assert content.challenges[0].title == "Configuring environment variables securely"
    assert [(p.name, p.role, p.discord) for p in content.collaborators] == [
        ("ProDev Backend peers", "backend", ""),
        ("Frontend learners", "frontend", ""),
        ("Discord #ProDevProjectNexus", "other", "#ProDevProjectNexus"),
    ]
    assert topics_of(content, NOTES_CATEGORY) == [
        "Best Practices & Takeaways",
        "Repository Purpose",
    ]


def test_setext_headings_nested_lists_and_a_team_section():
    _text, content = readme("nested-lists.md")
    assert content.title == "Project Nexus Notes"
    assert content.overview == "What I picked up during the program, kept short."
    # Items with items under them name categories; the items under them are topics.
    assert topics_of(content, "Languages") == ["Python", "SQL"]
    assert topics_of(content, "Frameworks") == ["Django", "Django REST Framework (DRF)", "FastAPI"]
    assert note(content, "Frameworks", "Django REST Framework (DRF)", README_NOTE_TITLE) == (
        "* serializers, viewsets and routers"
    )
    assert topics_of(content, "Key Technologies") == ["Docker & Compose", "Redis caching"]
    assert note(content, "Key Technologies", "Redis caching", README_NOTE_TITLE) == (
        "Redis caching – to speed up reads"
    )
    assert kinds(content)["Databases"] == "concept"
    assert topics_of(content, "Databases") == [
        "Normalization",
        "Indexing for performance",
        "Query optimization",
    ]
    assert topics_of(content, "Security") == [
        "Input validation",
        "Rate limiting",
        "JWT authentication",
    ]
    first, second = content.challenges
    assert first.title == "N+1 queries on the orders endpoint"
    assert first.challenge == "Each order loaded its customer with a separate query."
    assert first.solution == 'Used `select_related("customer")` in the viewset\'s queryset.'
    assert second.title == "Flaky tests in CI"
    assert second.solution == "pinned the time zone and froze the clock with a fixture."
    jane, sam, ada = content.collaborators
    assert (jane.name, jane.role, jane.github, jane.discord, jane.project) == (
        "Jane Doe",
        "frontend",
        "janedoe",
        "jane#4821",
        "Movie Recommendation App",
    )
    assert "We agreed on the API contract in week one." in jane.notes
    assert (sam.name, sam.github, sam.role) == ("Sam Okoro", "sokoro", "mentor")
    assert (ada.name, ada.github, ada.role) == ("Ada Mensah", "adamensah", "backend")


def test_tables_give_categories_topics_and_challenges():
    _text, content = readme("tables.md")
    assert topics_of(content, "Web") == ["Django", "Django REST Framework", "FastAPI"]
    assert topics_of(content, "Data") == ["PostgreSQL", "Redis"]
    assert topics_of(content, "Tools I Use") == ["pytest", "Postman"]
    assert kinds(content)["Ops"] == "technology"
    # The tables themselves are kept as they were written.
    assert note(content, IMPORTED_CATEGORY, IMPORTED_TOPIC, "Tech Stack").startswith(
        "| Category | Technologies |\n|----------|-------------|"
    )
    assert [(c.title, c.solution) for c in content.challenges] == [
        ("Migrations conflicted between branches", "Rebased and regenerated the migration files"),
        ("Secrets leaked into logs", "Added a logging filter that masks tokens"),
    ]
    assert note(content, NOTES_CATEGORY, "Notes", "Notes").endswith(
        "| Mon | Set up the repository |"
    )


def test_code_blocks_are_kept_whole():
    _text, content = readme("code-blocks.md")
    assert topics_of(content, "Tools") == ["Docker", "Gunicorn"]
    # A heading inside a code block is not a heading.
    (challenge,) = content.challenges
    assert challenge.title == "Static files missing in production"
    assert challenge.challenge == "CSS returned 404 once `DEBUG` was off."
    assert (
        "```python\n# settings.py\n"
        'MIDDLEWARE = ["whitenoise.middleware.WhiteNoiseMiddleware", *MIDDLEWARE]\n'
        'STATIC_ROOT = BASE_DIR / "staticfiles"\n```'
    ) in challenge.solution
    assert "~~~\n## not a heading: inside a tilde fence\n~~~" in challenge.solution
    code = note(content, IMPORTED_CATEGORY, IMPORTED_TOPIC, "Tools")
    assert code == (
        "```bash\n# build and run the image\ndocker build -t hub .\n"
        "docker run -p 8000:8000 hub\n```"
    )
    lessons = note(content, NOTES_CATEGORY, "Lessons Learned", "Lessons Learned")
    assert "   ```text\n   python manage.py check --deploy\n   ```" in lessons
    # An unclosed fence runs to the end of the README.
    assert note(content, NOTES_CATEGORY, "Scratch", "Scratch").endswith("# even this")


def test_front_matter_badges_and_html_go_to_imported_notes():
    _text, content = readme("front-matter.md")
    assert content.title == "My Learning Hub"
    assert content.overview.startswith("> A scalable place to keep what I learn.")
    assert "### Goals" in content.overview
    assert note(content, IMPORTED_CATEGORY, IMPORTED_TOPIC, FRONT_MATTER_NOTE_TITLE) == (
        "title: My Learning Hub\ntags: [alx, backend]"
    )
    decorations = note(content, IMPORTED_CATEGORY, IMPORTED_TOPIC, DECORATION_NOTE_TITLE)
    assert decorations.startswith("<!-- This README is generated by hand. Badges below. -->")
    assert '<p align="center">' in decorations
    assert "A comment over" in decorations
    assert topics_of(content, "Key Learnings") == ["Caching", "Message queues"]
    assert kinds(content)["Key Learnings"] == "concept"
    assert note(content, NOTES_CATEGORY, "Random Section", "Random Section") == (
        "Some text that belongs nowhere in particular.\n\n* * *\n\n"
        "Final words after a thematic break."
    )


def test_plain_text_headings_named_by_their_words():
    _text, content = readme("plain-keywords.txt")
    assert content.title == "Project Nexus Learning Hub"
    assert topics_of(content, "Key Technologies") == [
        "Python",
        "Django",
        "PostgreSQL",
        "Redis caching",
    ]
    assert [(c.title, c.solution) for c in content.challenges] == [
        ("The API was slow on large lists", "Added pagination and indexes."),
        ("Celery tasks silently failed", "Added retries and monitoring with Flower."),
    ]
    assert [(p.name, p.role) for p in content.collaborators] == [
        ("Backend Learners", "backend"),
        ("Frontend Learners", "frontend"),
    ]
    body = note(content, NOTES_CATEGORY, "Best Practices", "Best Practices")
    assert body.startswith("Scalability: design for horizontal scaling from the start.")


def test_a_readme_without_headings_is_a_title_and_an_overview():
    _text, content = readme("no-headings.txt")
    assert content.title == "Just a few thoughts"
    assert content.overview.startswith("I started the program in July.")
    assert content.overview.endswith("which took most of my time.")
    assert content.topics == [] and content.challenges == [] and content.collaborators == []


def test_challenges_in_many_shapes():
    _text, content = readme("challenge-shapes.md")
    found = [(c.title, c.challenge, c.solution) for c in content.challenges]
    assert found == [
        (
            "State Management in Complex Forms",
            "Managing deeply nested state in multi-step forms.",
            "Used `useReducer` and the Context API to avoid prop drilling.",
        ),
        (
            "Database locks during migrations",
            "Long migrations locked the orders table for minutes.\n\n"
            "We split them into smaller steps and ran them off-peak.",
            "",
        ),
        ("Slow tests / flaky CI", "", "isolate integration tests into a separate job."),
        ("Authentication edge cases", "", "add token refresh logic and expiry tests."),
        (
            "Webhooks arrived twice",
            "Webhooks arrived twice.",
            "- Stored each delivery id.\n- Ignored ids already seen.",
        ),
    ]
    assert [c.status for c in content.challenges] == [
        "solved",
        "open",
        "solved",
        "solved",
        "solved",
    ]
    assert [(p.name, p.role) for p in content.collaborators] == [
        ("Backend learners", "backend"),
        ("Discord #ProDevProjectNexus", "other"),
    ]
    # Code spans are examples, not people: "@frontend" is nobody's handle.
    assert all(not person.github for person in content.collaborators)
    body = note(content, NOTES_CATEGORY, "Who I work with", "Who I work with")
    assert body.startswith("Collaboration is a core part of the program; we meet every week.")
    assert "- Use the first week to communicate your project." in body


def test_the_same_topic_twice_is_one_topic_and_a_challenge_twice_is_one():
    content = parse_readme(
        "# Hub\n\n## Tools\n\n- Docker\n- Redis\n- Docker\n\n## More tools\n\n- Docker\n\n"
        "## Challenges\n\n### Slow builds\n\n**Solution:** cache layers\n\n"
        "### Slow builds\n\n**Solution:** cache layers\n"
    )
    assert topics_of(content, "Tools") == ["Docker", "Redis"]
    assert topics_of(content, "More tools") == ["Docker"]
    assert [(c.title, c.solution) for c in content.challenges] == [("Slow builds", "cache layers")]


def test_a_topic_with_an_explanation_keeps_it_in_a_note():
    content = parse_readme("# Hub\n\n## Key Technologies\n\n- Redis caching – to speed up reads\n")
    assert topics_of(content, "Key Technologies") == ["Redis caching"]
    assert note(content, "Key Technologies", "Redis caching", README_NOTE_TITLE) == (
        "Redis caching – to speed up reads"
    )


def test_challenges_are_linked_to_the_topics_they_name():
    content = parse_readme(
        "# Hub\n\n## Tools\n\n- Docker\n- Redis caching\n- Git\n\n## Challenges\n\n"
        "### Cache misses\n\n**Challenge:** REDIS CACHING missed often in docker.\n\n"
        "**Solution:** Warmed it; GitHub was not involved.\n"
    )
    (challenge,) = content.challenges
    # Whole words only: "GitHub" does not name "Git".
    assert challenge.topics == ["Redis caching", "Docker"]


def test_crlf_line_ends_are_read_like_lf():
    text = read_hub_text(READMES / "nested-lists.md")
    assert parse_readme(text.replace("\n", "\r\n")) == parse_readme(text)


# -- odd text


def test_a_reading_error_still_keeps_every_line(monkeypatch):
    from nexus_tui.hub import readme as module

    def broken(self, with_title):
        raise RuntimeError("a bug")

    monkeypatch.setattr(module._ReadmeReader, "read", broken)
    text = "# Hub\n\n## Tools\n\n- Docker\n"
    content = parse_readme(text)
    assert note(content, IMPORTED_CATEGORY, IMPORTED_TOPIC, "Other lines") == text.strip()
    assert_every_line_kept(text, content)


@pytest.mark.parametrize(
    "text",
    [
        "# a" + " " * 200_000 + "b",
        "## Tools\n- " + "[" * 200_000,
        "## Tools\n- a" + " " * 200_000 + "x – y",
        "## Challenges\n- x" + " " * 200_000 + "solution: y",
        "## Challenges\nChallenge" + " " * 200_000 + ":x",
        "## Team\n- **" + "`@a" * 60_000,
        "> " * 100_000 + "x",
        "## Tools\n| Category | T |\n|---|---|\n| a | " + "a," * 100_000 + " |",
    ],
    ids=["heading", "brackets", "spaces", "solution", "label", "people", "quotes", "cells"],
)
def test_very_long_lines_are_read(text):
    # Patterns that backtrack on such lines would make this take hours.
    assert_every_line_kept(text, parse_readme_strictly(text))


@settings(max_examples=150, deadline=None)
@given(st.text())
def test_any_text_is_read_without_an_error_and_keeps_every_line(text):
    content = parse_readme_strictly(text)
    assert isinstance(content, HubContent)
    assert_every_line_kept(text, content)


MARKDOWN_LINES = st.sampled_from(
    [
        "",
        "# Title",
        "## 🧰 Key Technologies",
        "## Concepts Learned",
        "## Challenges",
        "## Collaboration",
        "## Best Practices",
        "### Backend **Tools**",
        "Title line",
        "===",
        "---",
        "- Python",
        "  - Django – web framework",
        "1. Redis caching: fast",
        "* **Challenge:** it broke",
        "  **Solution:** fixed it",
        "Solution: restarted",
        "| Category | Technologies |",
        "|---|---|",
        "| Web | Django, Flask |",
        "```",
        "# comment in code",
        "~~~",
        "> quoted",
        "<!-- comment",
        "-->",
        "[![badge](x.svg)](y)",
        "- **Jane Doe** (@jane) – frontend",
        "Discord: #channel",
        "Who do I collaborate with?",
        "ProDev Backend Learners",
        "📌 Overview",
        "Plain words.",
    ]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(MARKDOWN_LINES, st.text(max_size=30)), max_size=40))
def test_markdown_like_text_keeps_every_line(lines):
    text = "\n".join(lines)
    assert_every_line_kept(text, parse_readme_strictly(text))
