"""Writing a hub as a README in the hub's shape, to publish on GitHub and to import back.

Pure functions, no Textual. The README starts with `HUB_README_MARK` (an HTML comment GitHub does
not show), so `parse_readme` reads it back exactly: the same categories, topics, notes,
challenges and collaborators. Names are escaped with backslashes where markdown would take them
for structure ("# x", "- y", "**z**"), and lines of free text that would read as a heading or a
label are escaped the same way; GitHub shows both as typed. Statuses and times are not written:
the JSON backup keeps those.
"""

from __future__ import annotations

import re

from nexus_tui.hub.content import (
    CategoryContent,
    ChallengeContent,
    CollaboratorContent,
    HubContent,
    TopicContent,
)
from nexus_tui.hub.readme import (
    CHALLENGES_HEADING,
    COLLABORATORS_HEADING,
    CONCEPTS_HEADING,
    FENCE_OPEN,
    HUB_README_MARK,
    NOTES_HEADING,
    TECHNOLOGIES_HEADING,
    is_structural,
)

# Markup anywhere in a line: backslashes, code, emphasis (an underscore inside a word is not),
# links, HTML, strikethrough, entities ("&amp;").
_INLINE_SPECIAL = re.compile(r"([\\`*\[\]<>~])|(?<![^\W_])_|_(?![^\W_])|&(?=#?\w+;)")
# At the start of a line: a heading, a list item, a setext underline.
_LEADING_SPECIAL = re.compile(r"^([-+=#])|^(\d+)([.)])")
# A heading's closing hashes: "Title ##".
_TRAILING_HASHES = re.compile(r"(\s)(#+\s*)$")
_URL_SPECIAL = re.compile(r"([\\<>])")


def to_markdown(content: HubContent) -> str:
    """The hub as a README: title, overview, key technologies and concepts by category,
    challenges with their solutions, notes, and collaborators."""
    out: list[str] = [HUB_README_MARK, ""]
    if content.title:
        out += [f"# {escape_inline(content.title)}", ""]
    if content.overview.strip():
        out += [*escape_block(content.overview), ""]
    categories = _all_categories(content)
    topics_of: dict[str, list[TopicContent]] = {category.name: [] for category in categories}
    for topic in content.topics:
        topics_of[topic.category].append(topic)
    for kind, heading in (("technology", TECHNOLOGIES_HEADING), ("concept", CONCEPTS_HEADING)):
        listed = [category for category in categories if category.kind == kind]
        if not listed:
            continue
        out += [f"## {heading}", ""]
        for category in listed:
            out += [_heading(3, category.name), ""]
            names = [f"- {escape_inline(topic.name)}" for topic in topics_of[category.name]]
            if names:
                out += [*names, ""]
    if content.challenges:
        out += [f"## {CHALLENGES_HEADING}", ""]
        for challenge in content.challenges:
            out += _challenge(challenge)
    noted = [
        category
        for category in categories
        if category.kind not in ("technology", "concept")
        or any(topic.notes for topic in topics_of[category.name])
    ]
    if noted:
        out += [f"## {NOTES_HEADING}", ""]
        for category in noted:
            out += [_heading(3, category.name), ""]
            for topic in topics_of[category.name]:
                if category.kind in ("technology", "concept") and not topic.notes:
                    continue
                out += [_heading(4, topic.name), ""]
                for note in topic.notes:
                    out += [_heading(5, note.title), ""]
                    if note.body.strip():
                        out += [*escape_block(note.body), ""]
    if content.collaborators:
        out += [f"## {COLLABORATORS_HEADING}", ""]
        for person in content.collaborators:
            out += _collaborator(person)
    while out and not out[-1]:
        out.pop()
    return "\n".join(out) + "\n"


def escape_inline(text: str) -> str:
    """One line of user text (a name, a label) that markdown shows as typed and that reads back
    the same: markup characters get a backslash."""
    line = " ".join(text.splitlines())
    escaped = _INLINE_SPECIAL.sub(lambda match: "\\" + match.group(0), line)
    escaped = _TRAILING_HASHES.sub(r"\1\\\2", escaped)
    return _LEADING_SPECIAL.sub(
        lambda match: (
            f"\\{match.group(1)}" if match.group(1) else f"{match.group(2)}\\{match.group(3)}"
        ),
        escaped,
    )


def escape_block(text: str) -> list[str]:
    """Free text (a note body, a solution) as README lines: lines that would read as a heading
    or a label get a backslash; code blocks stay as they are unless left open."""
    lines = text.split("\n")
    closed = _closed_fences(lines)
    out: list[str] = []
    inside: int | None = None  # the line that closes the code block we are in
    for number, line in enumerate(lines):
        if inside is not None:
            out.append(line)
            if number == inside:
                inside = None
            continue
        if number in closed:
            inside = closed[number]
            out.append(line)
            continue
        if is_structural(line) or FENCE_OPEN.match(line):
            stripped = line.lstrip(" \t")
            line = f"{line[: len(line) - len(stripped)]}\\{stripped}"
        out.append(line)
    while out and not out[0].strip():
        out.pop(0)
    while out and not out[-1].strip():
        out.pop()
    return out


def _closed_fences(lines: list[str]) -> dict[int, int]:
    """Opening line -> closing line of each code block that is closed within the text."""
    closed: dict[int, int] = {}
    number = 0
    while number < len(lines):
        match = FENCE_OPEN.match(lines[number])
        if match and not (match.group(2)[0] == "`" and "`" in match.group(3)):
            char, length = match.group(2)[0], len(match.group(2))
            for end in range(number + 1, len(lines)):
                stripped = lines[end].strip()
                if len(stripped) >= length and stripped == char * len(stripped):
                    closed[number] = end
                    number = end
                    break
        number += 1
    return closed


def _heading(level: int, text: str) -> str:
    return f"{'#' * level} {escape_inline(text)}".rstrip()


def _all_categories(content: HubContent) -> list[CategoryContent]:
    """The content's categories, and any a topic names without it being listed."""
    categories = list(content.categories)
    known = {category.name for category in categories}
    for topic in content.topics:
        if topic.category not in known:
            categories.append(CategoryContent(name=topic.category))
            known.add(topic.category)
    return categories


def _challenge(challenge: ChallengeContent) -> list[str]:
    out = [_heading(3, challenge.title), ""]
    for label, text in (("Challenge", challenge.challenge), ("Solution", challenge.solution)):
        if text.strip():
            out += [f"**{label}:**", "", *escape_block(text), ""]
    if challenge.topics:
        out += ["**Topics:**", "", *(f"- {escape_inline(name)}" for name in challenge.topics), ""]
    if challenge.links:
        out += ["**Links:**", ""]
        for link in challenge.links:
            url = _URL_SPECIAL.sub(r"\\\1", " ".join(link.url.splitlines()))
            out.append(f"- [{escape_inline(link.label)}](<{url}>)")
        out.append("")
    return out


def _collaborator(person: CollaboratorContent) -> list[str]:
    out = [_heading(3, person.name), "", f"- **Role:** {person.role}"]
    if person.github:
        out.append(f"- **GitHub:** @{escape_inline(person.github)}")
    if person.discord:
        out.append(f"- **Discord:** {escape_inline(person.discord)}")
    if person.project:
        out.append(f"- **Project:** {escape_inline(person.project)}")
    if person.last_sync:
        out.append(f"- **Last sync-up:** {person.last_sync.isoformat()}")
    if person.next_sync:
        out.append(f"- **Next sync-up:** {person.next_sync.isoformat()}")
    out.append("")
    for label, text in (("API contract", person.api_contract), ("Notes", person.notes)):
        if text.strip():
            out += [f"**{label}:**", "", *escape_block(text), ""]
    return out
