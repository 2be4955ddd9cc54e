"""Writing the hub as a README, and reading that README back to the same hub."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from nexus_tui.hub.content import (
    CATEGORY_KINDS,
    COLLABORATOR_ROLES,
    CategoryContent,
    ChallengeContent,
    CollaboratorContent,
    HubContent,
    LinkContent,
    NoteContent,
    TopicContent,
)
from nexus_tui.hub.decoding import read_hub_text
from nexus_tui.hub.markdown import escape_block, escape_inline, to_markdown
from nexus_tui.hub.readme import HUB_README_MARK, parse_readme, parse_readme_strictly

SEED = Path(__file__).parent / "data" / "readmes" / "project-nexus-README.txt"


def shape(content: HubContent):
    """What the markdown round trip keeps: categories, topics, challenges, collaborators."""
    return (
        sorted((category.name, category.kind) for category in content.categories),
        sorted((topic.name, topic.category) for topic in content.topics),
        [(c.title, c.challenge, c.solution) for c in content.challenges],
        [(p.name, p.role, p.github, p.discord, p.project) for p in content.collaborators],
    )


def details(content: HubContent):
    """The rest the hub's README also carries: notes, links, texts of collaborators."""
    return (
        content.title,
        content.overview,
        sorted(
            (topic.category, topic.name, [(note.title, note.body) for note in topic.notes])
            for topic in content.topics
        ),
        [(c.topics, [(link.url, link.label) for link in c.links]) for c in content.challenges],
        [(p.notes, p.api_contract, p.last_sync, p.next_sync) for p in content.collaborators],
    )


def assert_round_trip(content: HubContent) -> HubContent:
    back = parse_readme_strictly(to_markdown(content))
    assert shape(back) == shape(content)
    assert details(back) == details(content)
    return back


def hand_made() -> HubContent:
    return HubContent(
        title="My *hub* # 1",
        overview="Learning **backend**.\n\n# not a heading\n\\ a backslash line",
        categories=[
            CategoryContent("Languages & Tools", "technology"),
            CategoryContent("- Lists", "concept"),
            CategoryContent("Practices", "other"),
            CategoryContent("Empty", "technology"),
        ],
        topics=[
            TopicContent("# x", "Languages & Tools"),
            TopicContent("- y", "Languages & Tools"),
            TopicContent("**z**", "Languages & Tools"),
            TopicContent("1. w", "- Lists"),
            TopicContent("a | b", "- Lists"),
            TopicContent("Challenge: c", "- Lists"),
            TopicContent("C# and F#", "- Lists"),
            TopicContent("x #", "- Lists"),
            TopicContent("back\\slash \\*", "- Lists"),
            TopicContent("<b>html</b> &amp; snake_case _under_", "- Lists"),
            TopicContent("Redis caching – to speed up reads", "- Lists"),
            TopicContent(
                "Python",
                "Languages & Tools",
                notes=[NoteContent("Setup", "```bash\n# make a venv\npython -m venv .venv\n```")],
            ),
            TopicContent(
                "Testing",
                "Practices",
                notes=[
                    NoteContent("", "## a heading in a note\n**Solution:** not a label"),
                    NoteContent("Open fence", "```\nnever closed\n# still text"),
                    NoteContent("Empty", ""),
                ],
            ),
        ],
        challenges=[
            ChallengeContent(
                title="### Slow queries",
                challenge="N+1 queries\n\n- one per row",
                solution="Used `select_related`.\n**Topics:**\n- not a topic",
                status="solved",
                topics=["Python", "# x"],
                links=[LinkContent("https://docs.djangoproject.com/en/5.0/ <x>", "Django [docs]")],
            ),
            ChallengeContent(title="No text yet"),
        ],
        collaborators=[
            CollaboratorContent(
                name="Jane Doe",
                role="frontend",
                github="janedoe",
                discord="jane#4821",
                project="Movie *App*",
                notes="Pairs on Fridays.\n**API contract:** not a label",
                api_contract="## Endpoints\n\n- GET /movies",
                last_sync=date(2025, 7, 21),
                next_sync=date(2025, 7, 28),
            ),
            CollaboratorContent(name="Discord #ProDevProjectNexus", discord="#ProDevProjectNexus"),
        ],
    )


def test_the_seed_comes_back_the_same():
    content = parse_readme(read_hub_text(SEED))
    back = assert_round_trip(content)
    assert len(back.challenges) == 4


def test_the_seed_comes_back_the_same_through_a_file(tmp_path):
    content = parse_readme(read_hub_text(SEED))
    path = tmp_path / "README.md"
    path.write_text(to_markdown(content), encoding="utf-8")
    assert shape(parse_readme(read_hub_text(path))) == shape(content)


def test_hand_made_content_with_markdown_in_its_names_comes_back_the_same():
    assert_round_trip(hand_made())


def test_the_readme_has_the_hubs_shape():
    text = to_markdown(hand_made())
    lines = text.split("\n")
    assert lines[0] == HUB_README_MARK
    assert lines[2] == r"# My \*hub\* # 1"
    for line in (
        "## 🧰 Key Technologies",
        "### Languages & Tools",
        r"- \# x",
        r"- \- y",
        r"- \*\*z\*\*",
        "## 📚 Concepts",
        r"- 1\. w",
        r"- x \#",
        "## 🧩 Challenges & Solutions",
        r"### \### Slow queries",
        "**Challenge:**",
        "**Solution:**",
        "**Topics:**",
        "**Links:**",
        r"- [Django \[docs\]](<https://docs.djangoproject.com/en/5.0/ \<x\>>)",
        "## 📝 Notes",
        "### Practices",
        "#### Testing",
        "##### Open fence",
        "## 🤝 Collaborators",
        "### Jane Doe",
        "- **Role:** frontend",
        "- **GitHub:** @janedoe",
        "- **Discord:** jane#4821",
        r"- **Project:** Movie \*App\*",
        "- **Last sync-up:** 2025-07-21",
        "- **Next sync-up:** 2025-07-28",
        "**API contract:**",
    ):
        assert line in lines, line
    # Lines of free text that would read as structure are escaped, code blocks are not.
    assert r"\# not a heading" in lines
    assert r"\## a heading in a note" in lines
    assert "# make a venv" in lines
    assert r"\```" in lines  # a code block left open
    assert text.endswith("\n") and not text.endswith("\n\n")


def test_escaping_keeps_ordinary_text_readable():
    assert escape_inline("Git & GitHub") == "Git & GitHub"
    assert escape_inline("select_related") == "select_related"
    assert escape_inline("CI/CD (DRF) – 100%") == "CI/CD (DRF) – 100%"
    assert escape_inline("&amp;") == r"\&amp;"
    assert escape_block("line one\n\n  # indented hash") == ["line one", "", r"  \# indented hash"]


def test_sections_added_by_hand_are_read_like_any_readme():
    text = to_markdown(hand_made()) + (
        "\n## Tools I added\n\n- Redis caching – to speed up reads\n\n"
        "## Problems\n\n**Challenge:** Redis caching went stale.\n**Solution:** shorter TTL.\n"
    )
    back = parse_readme(text)
    assert ("Redis caching", "Tools I added") in {(t.name, t.category) for t in back.topics}
    stale = back.challenges[-1]
    assert (stale.challenge, stale.solution) == ("Redis caching went stale.", "shorter TTL.")
    assert stale.topics == ["Redis caching"]
    # The hub's own part is untouched by them.
    assert shape(back)[2][:2] == shape(hand_made())[2]


def test_an_empty_hub_is_a_readme_that_reads_back_empty():
    text = to_markdown(HubContent())
    assert text == HUB_README_MARK + "\n"
    assert parse_readme(text) == HubContent()


# -- the property

_CHARACTERS = st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp"))
_TRICKY_LINES = st.sampled_from(
    [
        "# heading",
        "## 🤝 Collaborators",
        "### x",
        "##### y",
        "**Solution:** s",
        "**Notes:**",
        "**Topics:**",
        "- **Role:** mentor",
        "```",
        "```python",
        "~~~",
        "\\escaped",
        "  \\# two",
        HUB_README_MARK,
        "<!-- comment",
        "    # indented",
        "---",
        "===",
        "| a | b |",
        "> quote",
        "- item",
        "",
    ]
)


def _name() -> st.SearchStrategy[str]:
    return st.text(_CHARACTERS, min_size=1, max_size=24).map(str.strip).filter(bool)


def _line() -> st.SearchStrategy[str]:
    return st.one_of(_TRICKY_LINES, st.text(_CHARACTERS, max_size=30))


def _body(lines: list[str]) -> str:
    """A text as the README gives it back: no blank lines at either end."""
    while lines and not lines[0].strip():
        lines = lines[1:]
    while lines and not lines[-1].strip():
        lines = lines[:-1]
    return "\n".join(lines)


_BODY = st.lists(_line(), max_size=6).map(_body)
_VALUE = st.one_of(st.just(""), _name())


@st.composite
def hubs(draw) -> HubContent:
    category_names = draw(st.lists(_name(), max_size=5, unique=True))
    categories = [
        CategoryContent(name, draw(st.sampled_from(CATEGORY_KINDS))) for name in category_names
    ]
    topics = []
    for category in category_names:
        for name in draw(st.lists(_name(), max_size=4, unique=True)):
            notes = draw(
                st.lists(
                    st.builds(NoteContent, title=st.one_of(st.just(""), _name()), body=_BODY),
                    max_size=2,
                )
            )
            topics.append(TopicContent(name, category, notes=notes))
    topic_names = [topic.name for topic in topics] or ["none"]
    challenges = [
        ChallengeContent(
            title=title,
            challenge=draw(_BODY),
            solution=draw(_BODY),
            topics=draw(st.lists(st.sampled_from(topic_names), max_size=2, unique=True)),
            links=draw(st.lists(st.builds(LinkContent, url=_name(), label=_VALUE), max_size=2)),
        )
        for title in draw(st.lists(_name(), max_size=3, unique=True))
    ]
    collaborators = [
        CollaboratorContent(
            name=name,
            role=draw(st.sampled_from(COLLABORATOR_ROLES)),
            github=draw(_VALUE),
            discord=draw(_VALUE),
            project=draw(_VALUE),
            notes=draw(_BODY),
            api_contract=draw(_BODY),
            last_sync=draw(st.one_of(st.none(), st.dates())),
            next_sync=draw(st.one_of(st.none(), st.dates())),
        )
        for name in draw(st.lists(_name(), max_size=3, unique=True))
    ]
    return HubContent(
        title=draw(_VALUE),
        overview=draw(_BODY),
        categories=categories,
        topics=topics,
        challenges=challenges,
        collaborators=collaborators,
    )


@settings(max_examples=150, deadline=None)
@given(hubs())
def test_any_hub_comes_back_the_same(content):
    assert_round_trip(content)
