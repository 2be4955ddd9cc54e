"""Reading a hub README into a `HubContent`: Markdown, or plain text copied from a rendered page.

Pure functions, no Textual. `parse_readme` never raises and never drops a line: every line of the
README, less its markdown markers (heading marks, list bullets, `**`, table pipes) and the labels it
maps to fields ("Challenge:", "Solution:", "Role:"...), is found in some field of the result.

How a README maps onto a hub:

- The first heading (or, without headings, the first line) is the title. Text before the first
  section, and the "Overview"/"About" sections, are the overview.
- Sections about technologies ("Key Technologies", "Tools", "Stack") and concepts ("Concepts",
  "Learned", "Fundamentals") hold categories (their subheadings) of that kind, whose list items are
  topics. "Redis caching – to speed up reads" is the topic "Redis caching", and the whole item is
  kept in a note on it titled `README_NOTE_TITLE`.
- Challenge sections ("Challenges", "Problems") hold challenges: a heading or a numbered line per
  challenge, and "Challenge:"/"Problem:" and "Solution:"/"Fix:" labels. Each is linked to the topics
  its text names.
- Collaboration sections ("Collaboration", "Team") hold collaborators: people with a GitHub handle,
  named groups of peers ("ProDev Frontend Learners"), a Discord channel. Their text is their notes;
  text about collaboration without anyone in it becomes a note.
- Every other section ("Best practices", "Takeaways", anything unrecognised) becomes a topic named
  after it in the category `NOTES_CATEGORY`, with a note per subsection.
- A section read into challenges, or into collaborators with a field label left out ("GitHub:
  @jane"), is also kept exactly as written, in a note of `IMPORTED_TOPIC` titled after its heading
  with `AS_WRITTEN_SUFFIX`: the labels and numbers stripped from the records are found there.
- Whatever is left (prose between the lists of a technology section, badges and HTML, front matter,
  headings that name nothing) is kept in notes of the topic `IMPORTED_TOPIC`.

A README written by `to_markdown` starts with `HUB_README_MARK`; it is read back exactly (names
are escaped there, so nothing in them is taken for structure), except for sections added by hand,
which are read like any README.
"""

from __future__ import annotations

import functools
import logging
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from nexus_tui.hub.content import (
    IMPORTED_CATEGORY,
    IMPORTED_TOPIC,
    CategoryContent,
    ChallengeContent,
    CollaboratorContent,
    HubContent,
    LinkContent,
    NoteContent,
    TopicContent,
)

_log = logging.getLogger(__name__)

# The first line of a README written by `to_markdown` (an HTML comment: GitHub does not show it).
HUB_README_MARK = "<!-- nexus-tui hub README, format 1 -->"
# The hub's own section headings, as `to_markdown` writes them.
TECHNOLOGIES_HEADING = "🧰 Key Technologies"
CONCEPTS_HEADING = "📚 Concepts"
CHALLENGES_HEADING = "🧩 Challenges & Solutions"
NOTES_HEADING = "📝 Notes"
COLLABORATORS_HEADING = "🤝 Collaborators"

# Sections that are neither lists of topics, challenges nor people become topics of this category.
NOTES_CATEGORY = "Notes"
# The note on a topic that keeps its README line when the line said more than the topic's name.
README_NOTE_TITLE = "From the README"
# Notes of the Imported topic.
HEADINGS_NOTE_TITLE = "README headings"
DECORATION_NOTE_TITLE = "Badges and HTML"
FRONT_MATTER_NOTE_TITLE = "Front matter"
OTHER_LINES_NOTE_TITLE = "Other lines"
# A section read into challenges or collaborators loses its labels and numbers on the way; it is
# also kept as it was written, in a note of the Imported topic titled "<heading> (as written)".
AS_WRITTEN_SUFFIX = " (as written)"

# Labels of challenge fields, and of collaborator fields in the hub's own README.
CHALLENGE_LABELS = ("challenge", "problem", "issue", "the problem", "the challenge")
SOLUTION_LABELS = (
    "solution",
    "solutions",
    "fix",
    "resolution",
    "approach",
    "what i did",
    "how i solved it",
    "how i fixed it",
)
COLLABORATOR_FIELD_LABELS = {
    "role": "role",
    "github": "github",
    "discord": "discord",
    "project": "project",
    "last sync-up": "last_sync",
    "next sync-up": "next_sync",
}
COLLABORATOR_BLOCK_LABELS = {"api contract": "api_contract", "notes": "notes"}

# Lines longer than this are not searched for names, labels and markup.
_LONG_LINE = 500
# Names longer than this are sentences, not names.
_NAME_MAX_CHARS = 80
_NAME_MAX_WORDS = 10
_TITLE_MAX_CHARS = 150

_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_RULE = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_ITEM = re.compile(r"^([ \t]*)([-*+]|\d{1,9}[.)])(?:[ \t]+(.*))?$")
_QUOTES = re.compile(r"(?:[ \t]*>)+[ \t]*")
_TABLE_DELIMITER = re.compile(r"^[ \t]*\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$")
FENCE_OPEN = re.compile(r"^([ \t]*)(`{3,}|~{3,})(.*)$")
_HTML_ONLY = re.compile(r"^(?:<[^>]*>\s*)+$")
_IMAGES_ONLY = re.compile(
    r"^(?:\[?!\[[^\]]*\]\([^)]*\)(?:\]\([^)]*\))?\s*)+$"  # images and linked badges
)
_FRONT_MATTER_END = ("---", "...")

_LINK = re.compile(r"!?\[((?:\\.|[^\]\\])*)\]\((?:[^()\s]|\([^()]*\))*(?:\s+\"[^\"]*\")?\)")
_CODE_SPAN = re.compile(r"`+([^`]+?)`+")
_STRONG = re.compile(r"(\*\*|__)(.+?)\1")
_EMPHASIS = re.compile(
    r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])|(?<![\w])_(?!\s)(.+?)(?<!\s)_(?![\w])"
)
_HTML_TAG = re.compile(r"</?[A-Za-z][^>]*>")
_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")
_SPACES = re.compile(r"\s+")
_NUMBERING = re.compile(r"^(?:#?\d{1,3}[.):]|step\s+\d+[.):]?|\(\d{1,3}\))\s+", re.IGNORECASE)
_CHALLENGE_NUMBER = re.compile(r"^(?:challenge|problem)\s*#?\d{1,3}\s*[:.)\-–—]\s*", re.IGNORECASE)
_KEYCAP = re.compile(r"^[0-9#*]\ufe0f?\u20e3\s*")
# Between a name and what is said about it: "Redis – caching", "**Python**: language".
# A tab: a table row copied from a rendered page ("Django<TAB>Backend framework").
_SEPARATOR = re.compile(r"[ \t]+(?:[–—]+|-{1,2}|→|->|=>|⇒)[ \t]+|(?<=\S):[ \t]+|(?<=\S)\t+(?=\S)")
_WORD = re.compile(r"\w+")

# "**Solution:** ", "*Fix*: ", "Role: ": a label is a few words at the start of a line.
_LABEL = re.compile(r"[*_]{0,2}\s*([A-Za-z][A-Za-z -]{0,24}?)\s*[*_]{0,2}\s*[:：][*_]{0,2}")
# "— *Solution*: ..." inside a line, found from its word (a pattern anchored on the
# separator before it backtracks badly on long runs of spaces).
_SOLUTION_WORD = re.compile(r"(?:solution|fix|resolution)[*_]{0,2}[ \t]*[:：][*_]{0,2}[ \t]*", re.I)
_GITHUB_URL = re.compile(r"github\.com/([A-Za-z0-9](?:-?[A-Za-z0-9]){0,38})(?![\w-])", re.I)
_MENTION = re.compile(r"(?<![\w@/.`])@([A-Za-z0-9](?:-?[A-Za-z0-9]){0,38})(?![\w-])")
_DISCORD = re.compile(
    r"discord(?:\s+(?:channel|server|handle|username|id|name))?\s*[:：\-–—]?\s*[`*_]*"
    r"([#@]?[\w.#-]*\w)",
    re.IGNORECASE,
)
_CHANNEL = re.compile(r"(?<![\w&])(#[A-Za-z][\w-]+)")
_PROJECT = re.compile(r"\bproject\s*[:：]\s*[*_`]*([^,;|*_`]+)", re.IGNORECASE)
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")

# Words in a heading that say what a section is. Checked in this order: "Lessons learned" is
# notes, not concepts; "Tools" in "Challenges with tools" does not make it a technology section.
_SECTION_KINDS = (
    (
        "challenge",
        re.compile(
            r"challeng|problem|obstacle|hurdle|struggle|difficult|troubleshoot"
            r"|issues?\s+(?:faced|encountered)",
        ),
    ),
    (
        "collab",
        re.compile(r"collaborat|\bteam(?:s|work|mates?)?\b|who i work|\bpeers?\b|\bmentors?\b"),
    ),
    (
        "notes",
        re.compile(r"lesson|takeaway|best practi|\btips?\b|advice|reflection|conclusion"),
    ),
    (
        "technology",
        re.compile(
            r"technolog|\btools?\b|tooling|\bstack\b|\btech\b|languages|frameworks|libraries"
            r"|\bskills\b"
        ),
    ),
    (
        "concept",
        re.compile(r"concept|learned|learnt|learnings|fundamental|principles|knowledge"),
    ),
    ("overview", re.compile(r"overview|\babout\b|introduction|\bintro\b|summary|background")),
)
_LIST_KINDS = ("technology", "concept")
# The last word of a heading that groups topics ("Backend & Infrastructure Tools") rather than
# names one ("Django Framework").
_GROUP_WORDS = frozenset(
    {
        "tools",
        "frameworks",
        "development",
        "design",
        "programming",
        "strategies",
        "fundamentals",
        "security",
        "concepts",
        "basics",
        "principles",
        "practices",
        "patterns",
        "essentials",
        "technologies",
        "languages",
        "databases",
        "libraries",
        "platforms",
        "skills",
        "infrastructure",
        "methodologies",
        "techniques",
    }
)
_MINOR_WORDS = frozenset(
    {
        "a",
        "an",
        "and",
        "or",
        "of",
        "the",
        "for",
        "to",
        "in",
        "on",
        "with",
        "vs",
        "vs.",
        "at",
        "by",
        "from",
        "into",
        "as",
        "per",
        "via",
        "&",
        "+",
        "/",
        "-",
    }
)
# Words that show a line names people, not a way of working together.
_PEOPLE = re.compile(
    r"\b(?:learners?|developers?|engineers?|peers?|mentors?|teammates?|team|classmates?|"
    r"colleagues?|partners?|friends?|students?|designers?|reviewers?|coach(?:es)?|"
    r"instructors?|tutors?|cohort|squad|group)\b",
    re.IGNORECASE,
)
# Headings in a collaboration section that group people rather than name them.
_GROUPING = re.compile(
    r"\b(?:who|where|how|why|what|when|tip|tips|collaborat\w*|communicat\w*|tools?|"
    r"channels?|ways?|community)\b|[?!]",
    re.IGNORECASE,
)
_ROLE_WORDS = (
    ("backend", re.compile(r"\bback[- ]?end\b", re.IGNORECASE)),
    ("frontend", re.compile(r"\bfront[- ]?end\b", re.IGNORECASE)),
    (
        "mentor",
        re.compile(r"\b(?:mentors?|coach(?:es)?|instructors?|tutors?|advisors?)\b", re.I),
    ),
)


# ---------------------------------------------------------------------------------------------
# Lines
# ---------------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Line:
    """One line of the README and what it is."""

    index: int
    raw: str
    # blank, heading, item, text, code, table, rule (a thematic break), html, meta (front
    # matter), marker (a setext heading's underline: markup only)
    kind: str
    # The line less its block markers (heading marks, bullet, quote marks, leading space).
    text: str
    level: int = 0  # a heading's level
    depth: int = 0  # an item's nesting; a continuation line's item depth
    continues: bool = False  # text that continues the list item above it
    decoration: bool = False  # badges, images and HTML only
    blank_before: bool = True
    blank_after: bool = True
    opens: bool = False  # the first line of a paragraph
    cells: tuple[str, ...] = ()


def _tokenize(lines: list[str]) -> list[_Line]:
    """One token per line (tokens[i] is line i), saying what each line is in markdown terms."""
    tokens: list[_Line] = []
    append = tokens.append
    count = len(lines)
    index = 0
    if count and lines[0].strip() == "---":
        for end in range(1, min(count, 200)):
            if lines[end].strip() in _FRONT_MATTER_END:
                for number in range(end + 1):
                    append(_Line(number, lines[number], "meta", lines[number].strip()))
                index = end + 1
                break
    fence: tuple[str, int] | None = None
    in_comment = False
    list_indents: list[int] = []
    last_item_depth = -1
    previous: _Line | None = tokens[-1] if tokens else None
    while index < count:
        raw = lines[index]
        stripped = raw.strip()
        token = _read_line(index, raw, stripped, previous, fence, in_comment)
        kind = token.kind
        if fence is not None:
            # A code block inside a list item belongs to the item, to its closing line.
            token.continues = previous is not None and previous.continues
            token.depth = last_item_depth
            if _closes_fence(raw, fence):
                fence = None
        elif in_comment:
            in_comment = "-->" not in raw
        elif kind == "code":
            fence = _opens_fence(raw)
            if list_indents and _indent(raw) > list_indents[0]:
                token.continues = True
                token.depth = last_item_depth
        elif kind == "html" and token.decoration:
            in_comment = "-->" not in stripped[4:]
        elif kind in ("heading", "rule", "marker"):
            list_indents.clear()
        elif kind == "table" and previous is not None and previous.kind == "text":
            # A delimiter row: the line above is the table's header.
            previous.kind = "table"
            previous.cells = _cells(previous.raw)
            append(token)
            index += 1
            while index < count and "|" in lines[index] and lines[index].strip():
                row = lines[index]
                append(_Line(index, row, "table", row.strip(), cells=_cells(row)))
                index += 1
            previous = tokens[-1]
            continue
        elif kind == "item":
            indent = _indent(raw)
            while list_indents and list_indents[-1] > indent:
                list_indents.pop()
            if not list_indents or indent > list_indents[-1]:
                list_indents.append(indent)
            token.depth = last_item_depth = len(list_indents) - 1
        elif kind == "text" and list_indents and previous is not None:
            if previous.kind == "item" or previous.continues or _indent(raw) > list_indents[0]:
                token.continues = True
                token.depth = last_item_depth
            else:
                list_indents.clear()
        if kind == "text":
            token.opens = previous is None or previous.kind in _PARAGRAPH_BREAKS
        append(token)
        previous = token
        index += 1
    last = len(tokens) - 1
    for position, token in enumerate(tokens):
        token.blank_before = position == 0 or tokens[position - 1].kind == "blank"
        token.blank_after = position == last or tokens[position + 1].kind in ("blank", "marker")
    return tokens


# What ends a paragraph before a line: a setext underline makes only a one-line paragraph a
# heading here.
_PARAGRAPH_BREAKS = frozenset({"blank", "heading", "rule", "meta", "marker"})


def _read_line(
    index: int,
    raw: str,
    stripped: str,
    previous: _Line | None,
    fence: tuple[str, int] | None,
    in_comment: bool,
) -> _Line:
    """What one line is, from itself and the line above. A setext underline turns the line
    above into a heading."""
    if fence is not None:
        return _Line(index, raw, "code", stripped)
    if in_comment:
        return _Line(index, raw, "html", stripped)
    if not stripped:
        return _Line(index, raw, "blank", "")
    first = stripped[0]
    if first in "`~" and _opens_fence(raw) is not None:
        return _Line(index, raw, "code", stripped)
    if first == "<" and stripped.startswith("<!--"):
        return _Line(index, raw, "html", stripped, decoration=True)
    if first == "#":
        atx = atx_heading(raw)
        if atx is not None:
            return _Line(index, raw, "heading", atx[1], level=atx[0])
    if first in "=-" and previous is not None:
        setext = _SETEXT.match(raw)
        if (
            setext
            and previous.kind == "text"
            and not previous.continues
            and not previous.decoration
            and previous.opens
        ):
            previous.kind = "heading"
            previous.level = 1 if first == "=" else 2
            return _Line(index, raw, "marker", stripped)
    if first in "-*_" and _RULE.match(raw):
        return _Line(index, raw, "rule", stripped)
    if (
        "|" in raw
        and previous is not None
        and previous.kind == "text"
        and "|" in previous.raw
        and _TABLE_DELIMITER.match(raw)
    ):
        return _Line(index, raw, "table", stripped)
    if first in "-*+" or first.isdigit():
        item = _ITEM.match(raw)
        if item:
            return _Line(index, raw, "item", (item.group(3) or "").strip())
    text = stripped
    if first == ">":
        quotes = _QUOTES.match(text)
        return _Line(index, raw, "text", text[quotes.end() :] if quotes else text)
    decoration = first in "<![" and bool(_HTML_ONLY.match(text) or _IMAGES_ONLY.match(text))
    return _Line(index, raw, "text", text, decoration=decoration)


def atx_heading(line: str) -> tuple[int, str] | None:
    """(level, text) of a "## Heading ##" line, None for any other line. Read by hand: a
    regular expression for it backtracks badly on long lines of spaces."""
    stripped = line.lstrip(" ")
    if len(line) - len(stripped) > 3:
        return None
    level = len(stripped) - len(stripped.lstrip("#"))
    if not 1 <= level <= 6:
        return None
    rest = stripped[level:]
    if rest and rest[0] not in " \t":
        return None
    text = rest.strip(" \t")
    closing = text.rstrip("#")
    if not closing:
        return level, ""
    if len(closing) < len(text) and closing[-1] in " \t":
        text = closing.rstrip(" \t")
    return level, text


def _indent(text: str) -> int:
    width = 0
    for char in text:
        if char == " ":
            width += 1
        elif char == "\t":
            width += 4 - width % 4
        else:
            break
    return width


def _opens_fence(line: str) -> tuple[str, int] | None:
    match = FENCE_OPEN.match(line)
    if not match:
        return None
    marker = match.group(2)
    if marker[0] == "`" and "`" in match.group(3):
        return None
    return marker[0], len(marker)


def _closes_fence(line: str, fence: tuple[str, int]) -> bool:
    stripped = line.strip()
    char, length = fence
    return len(stripped) >= length and stripped == char * len(stripped)


def _cells(row: str) -> tuple[str, ...]:
    text = row.strip()
    if text.startswith("|"):
        text = text[1:]
    if text.endswith("|") and not text.endswith("\\|"):
        text = text[:-1]
    return tuple(cell.strip() for cell in re.split(r"(?<!\\)\|", text))


# ---------------------------------------------------------------------------------------------
# Words
# ---------------------------------------------------------------------------------------------


def unescape_markdown(text: str) -> str:
    """Text with CommonMark backslash escapes ("\\#", "\\*") turned back into the characters."""
    return _ESCAPED.sub(r"\1", text) if "\\" in text else text


def strip_symbols(text: str) -> str:
    """Text less the emoji and other symbols that lead it ("🧰 Key Technologies")."""
    if not text or (text[0].isascii() and text[0].isalpha()):
        return text
    text = _KEYCAP.sub("", text)
    position = 0
    while position < len(text):
        char = text[position]
        if char.isspace() or (ord(char) > 0x7F and _is_symbol(char)):
            position += 1
            continue
        break
    rest = text[position:]
    return rest if rest.strip() else text


def _is_symbol(char: str) -> bool:
    return unicodedata.category(char) in ("So", "Sk", "Sm", "Mn", "Me", "Cf", "Co")


def _starts_with_emoji(text: str) -> bool:
    if not text or _KEYCAP.match(text):
        return bool(text)
    first = text[0]
    return ord(first) > 0x7F and unicodedata.category(first) in ("So", "Co", "Sk")


def without_markup(text: str) -> str:
    """The words of one line of markdown: links, code spans, emphasis and HTML tags removed.
    A long line is left as it is: it is no name, and markup patterns get slow on it."""
    if len(text) > _LONG_LINE or not any(mark in text for mark in "[`*_<\\"):
        return text
    text = _LINK.sub(lambda match: match.group(1), text)
    text = _CODE_SPAN.sub(lambda match: match.group(1), text)
    text = _STRONG.sub(lambda match: match.group(2), text)
    text = _STRONG.sub(lambda match: match.group(2), text)
    text = _EMPHASIS.sub(lambda match: match.group(1) or match.group(2), text)
    text = _HTML_TAG.sub("", text)
    return unescape_markdown(text)


@functools.lru_cache(maxsize=4096)
def clean_name(text: str) -> str:
    """A heading's or item's text as a name: no markup, no leading emoji, one line of words."""
    name = strip_symbols(without_markup(text))
    name = _SPACES.sub(" ", name).strip()
    name = name.strip("*_").strip()
    while name.endswith((":", "：")):
        name = name[:-1].rstrip()
    return name


def _heading_name(text: str) -> str:
    name = clean_name(text)
    numbered = _NUMBERING.sub("", name)
    return numbered if numbered else name


def _no_strong(text: str) -> str:
    return text.replace("**", "").replace("__", "")


def _is_name(name: str) -> bool:
    return (
        bool(name)
        and len(name) <= _NAME_MAX_CHARS
        and len(name.split()) <= _NAME_MAX_WORDS
        and not name.endswith((".", ";", ","))
    )


def _is_short(text: str, words: int = 8, chars: int = 80) -> bool:
    return bool(text) and len(text) <= chars and len(text.split()) <= words


def _is_title_case(text: str) -> bool:
    """Whether every word of two or more, small words aside, has a capital ("API Development",
    not "Async views")."""
    words = text.split()
    if len(words) < 2:
        return False
    return not any(
        word.islower() and (not position or word not in _MINOR_WORDS)
        for position, word in enumerate(words)
    )


def _capitalised(text: str) -> bool:
    for char in text:
        if char.isalpha():
            return char.isupper()
    return False


def classify(heading: str) -> str | None:
    """What a section is about, from its heading: "technology", "concept", "challenge",
    "collab", "notes", "overview", or None when the heading does not say."""
    text = heading.lower()
    for kind, pattern in _SECTION_KINDS:
        if pattern.search(text):
            return kind
    return None


def _label(text: str) -> tuple[str, str] | None:
    """("solution", rest) for "**Solution:** rest"; None when the line has no label."""
    # Searched in the start of the line only: the pattern backtracks on long runs of spaces.
    match = _LABEL.match(text, 0, min(len(text), 60))
    if not match or (match.end() < len(text) and not text[match.end()].isspace()):
        return None
    return match.group(1).strip().lower(), text[match.end() :].strip()


def _split_name(text: str) -> tuple[str, str | None]:
    """("Redis caching", "to speed up reads") for "Redis caching – to speed up reads"."""
    # A name comes first and is short: only the start of a line is searched.
    for match in _SEPARATOR.finditer(text, 0, min(len(text), _NAME_MAX_CHARS * 2)):
        head = text[: match.start()]
        if head.count("**") % 2 or head.count("`") % 2 or head.count("(") != head.count(")"):
            continue
        return head, text[match.end() :]
    return text, None


def _words_key(text: str) -> str:
    return " ".join(_WORD.findall(text.lower()))


# ---------------------------------------------------------------------------------------------
# The hub being built
# ---------------------------------------------------------------------------------------------


class _Hub:
    """A HubContent under construction: names merged, note bodies gathered line by line."""

    def __init__(self) -> None:
        self.title = ""
        self.overview: list[str] = []
        # The overview exactly as the hub's own README wrote it.
        self.overview_text: str | None = None
        self.categories: dict[str, CategoryContent] = {}
        self.topics: dict[tuple[str, str], TopicContent] = {}
        self.notes: dict[tuple[str, str, str], list[str]] = {}
        self.challenges: list[ChallengeContent] = []
        self.challenge_titles: dict[str, ChallengeContent] = {}
        self.collaborators: list[CollaboratorContent] = []
        self.collaborator_names: dict[str, CollaboratorContent] = {}
        self.collaborator_notes: dict[int, list[str]] = {}
        # Challenges whose topics the README named itself (the hub's own README).
        self.linked: set[int] = set()

    def category(self, name: str, kind: str) -> str:
        if name not in self.categories:
            self.categories[name] = CategoryContent(name=name, kind=kind)
        return name

    def topic(self, category: str, name: str, kind: str = "other") -> TopicContent:
        self.category(category, kind)
        key = (category, name)
        topic = self.topics.get(key)
        if topic is None:
            topic = self.topics[key] = TopicContent(name=name, category=category)
        return topic

    def note(self, category: str, topic: str, title: str, lines: list[str]) -> None:
        """Adds lines to a note (made on first use); a note met twice gets both bodies."""
        existing = self.categories.get(category)
        self.topic(category, topic, existing.kind if existing else "other")
        key = (category, topic, title)
        body = self.notes.get(key)
        if body is None:
            self.notes[key] = list(lines)
        else:
            if body and lines:
                body.append("")
            body.extend(lines)

    def note_line(self, category: str, topic: str, title: str, line: str) -> None:
        """Adds one line to a note, right under the lines before it."""
        existing = self.categories.get(category)
        self.topic(category, topic, existing.kind if existing else "other")
        self.notes.setdefault((category, topic, title), []).append(line)

    def imported(self, title: str, lines: list[str]) -> None:
        self.note(IMPORTED_CATEGORY, IMPORTED_TOPIC, title, lines)

    def add_challenge(self, challenge: ChallengeContent, merge: bool = True) -> None:
        existing = self.challenge_titles.get(challenge.title) if merge else None
        if existing is None:
            self.challenges.append(challenge)
            self.challenge_titles.setdefault(challenge.title, challenge)
            return
        for name in ("challenge", "solution"):
            mine, theirs = getattr(existing, name), getattr(challenge, name)
            if theirs and theirs not in mine:
                setattr(existing, name, f"{mine}\n\n{theirs}" if mine else theirs)
        if existing.solution:
            existing.status = "solved"

    def collaborator(self, name: str, merge: bool = True) -> CollaboratorContent:
        person = self.collaborator_names.get(name) if merge else None
        if person is None:
            person = CollaboratorContent(name=name)
            self.collaborators.append(person)
            self.collaborator_names.setdefault(name, person)
            self.collaborator_notes[id(person)] = []
        return person

    def collaborator_note(self, person: CollaboratorContent, line: str) -> None:
        self.collaborator_notes[id(person)].append(line)

    def build(self) -> HubContent:
        for (category, topic, title), lines in self.notes.items():
            body = "\n".join(_tidy(lines))
            self.topics[(category, topic)].notes.append(NoteContent(title=title, body=body))
        for person in self.collaborators:
            extra = "\n".join(_tidy(self.collaborator_notes[id(person)]))
            if extra:
                person.notes = f"{person.notes}\n\n{extra}" if person.notes else extra
        overview = self.overview_text
        if overview is None:
            overview = "\n".join(_tidy(self.overview))
        return HubContent(
            title=self.title,
            overview=overview,
            categories=list(self.categories.values()),
            topics=list(self.topics.values()),
            challenges=list(self.challenges),
            collaborators=list(self.collaborators),
        )


def _tidy(lines: list[str]) -> list[str]:
    """Lines trimmed of blank lines at the ends, runs of blank lines outside code made one."""
    out: list[str] = []
    fence: tuple[str, int] | None = None
    for line in _trim_blank(lines):
        if fence is not None:
            if _closes_fence(line, fence):
                fence = None
        else:
            fence = _opens_fence(line)
            if not line.strip() and out and not out[-1].strip():
                continue
        out.append(line)
    return out


def _trim_blank(lines: list[str], rules: bool = True) -> list[str]:
    """Lines less the blank lines (and thematic breaks, "---") at either end."""

    def empty(line: str) -> bool:
        return not line.strip() or (rules and _RULE.match(line) is not None)

    start, end = 0, len(lines)
    while start < end and empty(lines[start]):
        start += 1
    while end > start and empty(lines[end - 1]):
        end -= 1
    return lines[start:end]


# ---------------------------------------------------------------------------------------------
# Entry point
# ---------------------------------------------------------------------------------------------


def parse_readme(text: str) -> HubContent:
    """The hub a README describes (text already decoded and repaired). Never raises: what this
    cannot make sense of is kept in notes of the Imported topic."""
    try:
        return parse_readme_strictly(text)
    except Exception:  # a last resort: an import must keep every line whatever happens
        _log.warning("README read as lines only", exc_info=True)
        hub = _Hub()
        hub.imported(OTHER_LINES_NOTE_TITLE, _lines(text))
        return hub.build()


def parse_readme_strictly(text: str) -> HubContent:
    """`parse_readme` without its last resort: a bug in reading shows as the exception."""
    lines = _lines(text)
    if any(line.strip() == HUB_README_MARK for line in lines[:3]):
        return _parse_hub_readme(lines)
    hub = _Hub()
    _ReadmeReader(hub, lines).read(with_title=True)
    _link_challenges(hub)
    return hub.build()


def _lines(text: str) -> list[str]:
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


# ---------------------------------------------------------------------------------------------
# Any README
# ---------------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Part:
    """A heading and the lines up to the next heading, inside one section."""

    heading: _Line | None
    depth: int  # 0 for the section's own heading
    body: list[_Line] = field(default_factory=list)


@dataclass(slots=True)
class _Section:
    kind: str
    name: str
    heading: _Line | None
    parts: list[_Part] = field(default_factory=list)


@dataclass(slots=True)
class _Draft:
    """A challenge being read: its field texts line by line."""

    title: str
    challenge: list[str] = field(default_factory=list)
    solution: list[str] = field(default_factory=list)
    # The field later lines belong to, and whether its label stood alone (a block follows).
    open: str | None = None
    block: bool = False

    def lines(self, name: str) -> list[str]:
        return self.challenge if name == "challenge" else self.solution


class _ReadmeReader:
    def __init__(self, hub: _Hub, lines: list[str]) -> None:
        self.hub = hub
        # One token per line: tokens[i] is line i.
        self.tokens = _tokenize(lines)
        self.placed: set[int] = set()
        # Lines found to be subheadings without being marked as headings.
        self.implicit: set[int] = set()
        self.plain = not any(token.kind == "heading" for token in self.tokens)
        # Whether a collaborator field took a line whole, its label left out.
        self.labels_dropped = False

    def keep(self, token: _Line) -> None:
        self.placed.add(token.index)

    def _keep_if_same(self, token: _Line, value: str) -> None:
        if _no_strong(token.text).strip() in _no_strong(value):
            self.keep(token)

    def read(self, with_title: bool) -> None:
        start = self._read_title() if with_title else 0
        if self.plain:
            self._find_plain_headings(start)
        before_title = [
            token
            for token in self.tokens[:start]
            if token.index not in self.placed and token.kind != "marker"
        ]
        sections = self._sections(before_title, self.tokens[start:])
        for section in sections:
            handler = {
                "preamble": self._read_preamble,
                "overview": self._read_overview,
                "technology": self._read_topics,
                "concept": self._read_topics,
                "challenge": self._read_challenges,
                "collab": self._read_collaborators,
            }.get(section.kind, self._read_notes)
            handler(section)
        self._keep_the_rest()

    def _read_title(self) -> int:
        """Takes the title; returns the index of the first line after it."""
        for token in self.tokens:
            if token.kind in ("blank", "rule", "meta", "html") or token.decoration:
                continue
            if token.kind == "heading":
                if token.level == 1 or classify(clean_name(token.text)) is None:
                    self.hub.title = _no_strong(token.text).strip()
                    self._keep_if_same(token, self.hub.title)
                    return token.index + 1
                return 0
            if (
                token.kind == "text"
                and len(token.text) <= _TITLE_MAX_CHARS
                and (self.plain or token.blank_after)
            ):
                self.hub.title = _no_strong(token.text).strip()
                self._keep_if_same(token, self.hub.title)
                return token.index + 1
            return 0
        return 0

    # -- headings in text copied from a rendered page

    def _find_plain_headings(self, start: int) -> None:
        """Marks the section headings of a README without markdown headings: lines led by an
        emoji, or (when no line is) short lines standing alone that name a kind of section."""
        candidates = [
            token
            for token in self.tokens[start:]
            if token.kind == "text" and not token.continues and not token.decoration
        ]
        chosen = [
            token
            for token in candidates
            if _starts_with_emoji(token.text) and _is_short(token.text, words=12, chars=100)
        ]
        if not chosen:
            chosen = [
                token
                for token in candidates
                if token.blank_before
                and token.blank_after
                and _is_short(token.text, words=6, chars=60)
                and (_is_title_case(token.text) or len(token.text.split()) == 1)
                and _capitalised(token.text)
                and not token.text.endswith((".", ",", ";"))
                and classify(token.text) is not None
            ]
        for token in chosen:
            above = self.tokens[token.index - 1] if token.index else None
            token.level = 3 if above is not None and above.kind == "heading" else 2
            token.kind = "heading"

    # -- sections

    def _sections(self, before_title: list[_Line], tokens: list[_Line]) -> list[_Section]:
        preamble = _Section("preamble", "", None, [_Part(None, 0, list(before_title))])
        sections = [preamble]
        # (level, kind, section, depth) of the headings enclosing the current line
        stack: list[tuple[int, str, _Section, int]] = []
        current = preamble
        for token in tokens:
            if token.kind == "marker":
                self.keep(token)
                continue
            if token.kind != "heading":
                current.parts[-1].body.append(token)
                continue
            name = _heading_name(token.text)
            own = classify(name)
            while stack and stack[-1][0] >= token.level:
                stack.pop()
            parent = stack[-1] if stack else None
            if (
                parent is None
                or (
                    parent[1] in ("overview", "notes")
                    and own in ("technology", "concept", "challenge", "collab")
                )
                # "Challenges" or "Best practices" under "Major Learnings" are no list of topics.
                or (parent[1] in _LIST_KINDS and own in ("challenge", "collab", "notes"))
            ):
                kind = own or "notes"
                current = _Section(kind, name, token, [_Part(token, 0)])
                sections.append(current)
                stack.append((token.level, kind, current, 0))
            else:
                _level, kind, section, depth = parent
                section.parts.append(_Part(token, depth + 1))
                current = section
                stack.append((token.level, kind, section, depth + 1))
        return sections

    # -- preamble and overview

    def _read_preamble(self, section: _Section) -> None:
        decorations: list[str] = []
        overview: list[str] = []
        for token in section.parts[0].body:
            if token.kind == "meta":
                continue
            if token.decoration or token.kind == "html":
                decorations.append(token.raw.strip())
            else:
                overview.append(token.raw.rstrip())
            self.keep(token)
        self._add_overview(overview)
        if decorations:
            self.hub.imported(DECORATION_NOTE_TITLE, decorations)
        meta = [token for token in self.tokens if token.kind == "meta"]
        if meta:
            self.hub.imported(FRONT_MATTER_NOTE_TITLE, [token.raw for token in meta])
            for token in meta:
                self.keep(token)

    def _read_overview(self, section: _Section) -> None:
        overview: list[str] = []
        for part in section.parts:
            if part.depth and part.heading is not None:
                if overview and overview[-1].strip():
                    overview.append("")
                overview.append(part.heading.raw.strip())
                self.keep(part.heading)
            for token in part.body:
                overview.append(token.raw.rstrip())
                self.keep(token)
        self._add_overview(overview)

    def _add_overview(self, lines: list[str]) -> None:
        lines = _trim_blank(lines)
        if lines:
            if self.hub.overview:
                self.hub.overview.append("")
            self.hub.overview.extend(lines)

    # -- notes

    def _read_notes(self, section: _Section) -> None:
        hub = self.hub
        topic = section.name or NOTES_CATEGORY
        hub.topic(NOTES_CATEGORY, topic)
        if section.heading is not None:
            self._keep_if_same(section.heading, topic)
        title = topic
        for part in section.parts:
            lines: list[str] = []
            if part.depth == 1 and part.heading is not None:
                title = _heading_name(part.heading.text) or topic
            elif part.depth > 1 and part.heading is not None:
                lines.append(part.heading.raw.strip())
            for token in part.body:
                lines.append(token.raw.rstrip())
            if any(line.strip() for line in lines):
                hub.note(NOTES_CATEGORY, topic, title, lines)
                if part.depth == 1 and part.heading is not None:
                    self._keep_if_same(part.heading, title)
                for token in part.body:
                    self.keep(token)
                if part.depth > 1 and part.heading is not None:
                    self.keep(part.heading)

    def _keep_as_written(self, section: _Section, default_name: str) -> None:
        """Keeps a section's lines under its heading exactly as they were, in one note."""
        indexes = [
            token.index
            for part in section.parts
            for token in ([part.heading] if part.depth and part.heading else []) + part.body
        ]
        if not indexes:
            return
        start = section.heading.index + 1 if section.heading is not None else min(indexes)
        lines = [token.raw.rstrip() for token in self.tokens[start : max(indexes) + 1]]
        if any(line.strip() for line in lines):
            title = f"{section.name or default_name}{AS_WRITTEN_SUFFIX}"
            self.hub.imported(title, lines)

    def _leftover(self, section: _Section, tokens: list[_Line]) -> None:
        lines = [token.raw.rstrip() for token in tokens if token.kind != "rule"]
        if any(line.strip() for line in lines):
            self.hub.imported(section.name or OTHER_LINES_NOTE_TITLE, lines)
        for token in tokens:
            self.keep(token)

    # -- subheadings the README did not mark as headings

    def _implicit_heading(self, body: list[_Line], position: int, kind: str) -> bool:
        found = self._is_implicit_heading(body, position, kind)
        if found:
            self.implicit.add(body[position].index)
        return found

    def _is_implicit_heading(self, body: list[_Line], position: int, kind: str) -> bool:
        token = body[position]
        if token.kind != "text" or token.continues or token.decoration:
            return False
        text = token.text
        bare = _no_strong(text).strip()
        if not bare:
            return False
        if kind == "challenge" and ":" in bare and _label(bare) is not None:
            return False
        if not self.plain:
            # "**Who to collaborate with**", or "Languages:" standing alone above a list
            if (
                token.blank_before
                and len(text) <= _LONG_LINE
                and re.fullmatch(r"\W{0,4}(\*\*|__)(.+?)\1\W{0,3}", text)
            ):
                return True
            return (
                kind != "challenge"
                and bare.endswith(":")
                and _is_short(bare, words=6, chars=60)
                and self._list_follows(body, position)
            )
        if (
            len(bare) > 90
            or bare.endswith((".", ",", ";"))
            or len(bare.split()) > 10
            or (":" in bare and _label(bare) is not None and not bare.endswith(":"))
        ):
            return False
        above = self.tokens[token.index - 1] if token.index else None
        if above is not None and above.kind == "heading":
            # Right under a heading: headings follow each other without a gap (a subheading
            # found this way is not followed by another, or every line of a gapless list
            # would be one).
            return True
        if bare.endswith(("?", ":")) and (not token.blank_after or kind in _LIST_KINDS):
            return True
        if kind == "challenge":
            return False
        last = bare.split()[-1].lower().strip("()&")
        if last in _GROUP_WORDS and (_is_title_case(bare) or len(bare.split()) == 1):
            return _capitalised(bare)
        if kind in ("concept", "collab") and _is_title_case(bare):
            following = _next_lines(body, position, 2)
            return bool(following) and not any(
                _is_title_case(_no_strong(line.text)) for line in following
            )
        return False

    def _list_follows(self, body: list[_Line], position: int) -> bool:
        following = _next_lines(body, position, 1)
        return bool(following) and following[0].kind in ("item", "table")

    # -- technologies and concepts

    def _read_topics(self, section: _Section) -> None:
        hub = self.hub
        kind = section.kind
        default_category = section.name or ("Technologies" if kind == "technology" else "Concepts")
        # The category a heading named, and the one an item with items under it named.
        headed: str | None = None
        listed: str | None = None
        pending: _Line | None = None  # a heading not yet known to name a category or a topic
        topic: TopicContent | None = None
        topic_depth = 0
        # The topic a heading named, whose note the prose under the heading is.
        prose: TopicContent | None = None
        leftovers: list[_Line] = []

        def holder(depth: int) -> str:
            if listed is not None and depth > 0:
                return listed
            return headed or hub.category(default_category, kind)

        def settle_pending() -> None:
            nonlocal headed, listed, pending, topic, topic_depth, prose
            prose = None
            if pending is not None:
                name = _heading_name(pending.text) or default_category
                # "Key Technologies" under "Major Learnings" holds technologies.
                own = classify(name)
                headed = hub.category(name, own if own in _LIST_KINDS else kind)
                self._keep_if_same(pending, headed)
                pending = None
                listed = None
                topic = None
                topic_depth = 0

        def note(target: TopicContent, line: str, token: _Line) -> None:
            hub.note_line(target.category, target.name, README_NOTE_TITLE, line)
            self.keep(token)

        for part in section.parts:
            if part.depth and part.heading is not None:
                settle_pending()
                pending = part.heading
                topic = None
            body = part.body
            for position, token in enumerate(body):
                if token.kind == "blank":
                    if prose is not None:
                        hub.note_line(prose.category, prose.name, README_NOTE_TITLE, "")
                    continue
                if self._implicit_heading(body, position, kind):
                    settle_pending()
                    pending = token
                    topic = None
                    continue
                if prose is None and self._is_topic_line(token):
                    depth = token.depth if token.kind == "item" else 0
                    settle_pending()
                    if topic is not None and depth > topic_depth:
                        note(topic, token.raw.strip(), token)
                        continue
                    following = _next_lines(body, position, 1)
                    if (
                        token.kind == "item"
                        and depth == 0
                        and following
                        and following[0].kind == "item"
                        and following[0].depth > 0
                    ):
                        # An item with items under it names a category.
                        name = clean_name(_split_name(token.text)[0])
                        if _is_name(name):
                            listed = hub.category(name, kind)
                            self._keep_if_same(token, listed)
                            if token.index not in self.placed:
                                leftovers.append(token)
                            topic = None
                            continue
                    made = self._add_topic(token, holder(depth), kind)
                    if made is not None:
                        topic, topic_depth = made, depth
                    elif topic is not None and token.kind == "item":
                        note(topic, token.text, token)
                    else:
                        leftovers.append(token)
                    continue
                if token.continues and topic is not None:
                    note(topic, token.raw.strip() if token.kind != "code" else token.raw, token)
                    continue
                if token.kind == "table":
                    self._table_topics(token, headed or default_category, kind)
                    leftovers.append(token)
                    continue
                if (
                    pending is not None
                    and token.kind in ("text", "code", "html", "rule")
                    and any(later.kind == "item" for later in body[position:])
                ):
                    settle_pending()  # a category with a few words before its list
                if pending is not None and token.kind in ("text", "code", "html", "rule"):
                    # A heading over prose only names a topic; the prose is its note.
                    name = _heading_name(pending.text)
                    prose = topic = hub.topic(holder(0), name, kind)
                    self._keep_if_same(pending, name)
                    pending = None
                    topic_depth = 0
                if prose is not None:
                    note(prose, token.raw.rstrip(), token)
                    continue
                leftovers.append(token)
        settle_pending()
        if section.heading is not None and default_category in hub.categories:
            self._keep_if_same(section.heading, default_category)
        self._leftover(section, leftovers)

    def _is_topic_line(self, token: _Line) -> bool:
        if token.kind == "item":
            return True
        if token.kind != "text" or token.continues or token.decoration:
            return False
        name = clean_name(_split_name(token.text)[0])
        if not _is_name(name) or token.text.endswith(":"):
            return False
        # In markdown, a short line alone is a topic only when it is a few words.
        return self.plain or len(name.split()) <= 5

    def _add_topic(self, token: _Line, category: str, kind: str) -> TopicContent | None:
        text = token.text
        head, rest = _split_name(text)
        name = clean_name(head)
        if not _is_name(name):
            return None
        topic = self.hub.topic(category, name, kind)
        if (rest is None or not rest.strip()) and _no_strong(text).strip() == name:
            self.keep(token)
        else:
            self.hub.note(category, name, README_NOTE_TITLE, [text])
            self.keep(token)
        return topic

    def _table_topics(self, token: _Line, category: str, kind: str) -> None:
        """A table row in a technology section: under a "Category | Technologies" header, a
        category and its topics; under any other header, a topic (the first cell)."""
        header = self._table_header(token)
        if header is None or header is token or not token.cells:
            return
        first = header.cells[0].lower() if header.cells else ""
        by_category = bool(re.search(r"categor|layer|area|group|domain|type|field", first))
        cells = [clean_name(cell) for cell in token.cells]
        if not cells[0]:
            return
        hub = self.hub
        if by_category and len(cells) > 1:
            holder = hub.category(cells[0] if _is_name(cells[0]) else category, kind)
            for piece in re.split(r",(?![^()]*\))", token.cells[1][:_LONG_LINE]):
                name = clean_name(piece)
                if _is_name(name):
                    hub.topic(holder, name, kind)
        elif _is_name(cells[0]):
            hub.topic(hub.category(category, kind), cells[0], kind)

    def _table_header(self, token: _Line) -> _Line | None:
        position = token.index
        while position > 0 and self.tokens[position - 1].kind == "table":
            position -= 1
        header = self.tokens[position]
        return header if header.kind == "table" else None

    # -- challenges

    def _read_challenges(self, section: _Section) -> None:
        drafts: list[_Draft] = []
        leftovers: list[_Line] = []
        made = False
        for part in section.parts:
            if part.depth and part.heading is not None:
                title = _challenge_title(part.heading.text)
                drafts.append(_Draft(title))
                self._keep_if_same(part.heading, title)
            body = part.body
            for position, token in enumerate(body):
                draft = drafts[-1] if drafts else None
                if token.kind in ("blank", "rule"):
                    if draft is not None and draft.open is not None:
                        draft.lines(draft.open).append("")
                    continue
                if token.kind == "table":
                    if not self._table_challenge(token, drafts):
                        leftovers.append(token)
                    continue
                if token.kind in ("item", "text") and self._challenge_line(body, position, drafts):
                    self.keep(token)
                    continue
                if draft is not None:
                    if draft.open is None:
                        draft.open = "challenge"
                    line = token.raw.rstrip() if token.kind == "code" else token.raw.strip()
                    draft.lines(draft.open).append(line)
                    self.keep(token)
                    continue
                leftovers.append(token)
        for draft in drafts:
            challenge = ChallengeContent(
                title=draft.title,
                challenge="\n".join(_tidy(draft.challenge)),
                solution="\n".join(_tidy(draft.solution)),
            )
            if not challenge.title:
                challenge.title = _title_from(challenge.challenge or challenge.solution)
            if not challenge.title:
                continue
            if challenge.solution:
                challenge.status = "solved"
            self.hub.add_challenge(challenge)
            made = True
        if made:
            self._keep_as_written(section, "Challenges")
        self._leftover(section, leftovers)

    def _challenge_line(self, body: list[_Line], position: int, drafts: list[_Draft]) -> bool:
        """Reads a line of a challenge section into the drafts; False when it is only more text
        of the field being read."""
        token = body[position]
        text = _no_strong(token.text)
        draft = drafts[-1] if drafts else None
        numbered = _CHALLENGE_NUMBER.match(text)
        if numbered and not token.continues:
            drafts.append(_Draft(_challenge_title(text)))
            return True
        label = _label(text)
        kind = _label_kind(label[0]) if label else None
        if kind is not None:
            rest = label[1]
            if draft is None or (
                kind == "challenge"
                and any(line.strip() for line in draft.challenge + draft.solution)
            ):
                draft = _Draft("")
                drafts.append(draft)
            inline = _inline_solution(rest) if kind == "challenge" else None
            if inline is not None and inline[0] > 0:
                draft.challenge.append(rest[: inline[0]].strip())
                draft.solution.append(rest[inline[1] :].strip())
                draft.open, draft.block = "solution", False
            else:
                draft.lines(kind).append(rest)
                draft.open, draft.block = kind, not rest
            return True
        if token.continues:
            return False
        inline = _inline_solution(text)
        if inline is not None and inline[0] > 0:
            head = text[: inline[0]].strip()
            new = _Draft(_challenge_title(head))
            if not _is_name(new.title):
                new.title = ""
                new.challenge.append(head)
            new.solution.append(text[inline[1] :].strip())
            new.open = "solution"
            drafts.append(new)
            return True
        in_block = draft is not None and draft.open is not None and draft.block
        title = _challenge_title(token.text)
        labelled_next = _is_name(title) and any(
            _label_kind((_label(_no_strong(line.text)) or ("", ""))[0])
            for line in _next_lines(body, position, 1)
            if line.kind in ("item", "text")
        )
        starts = (
            labelled_next
            or self._implicit_heading(body, position, "challenge")
            or (token.kind == "item" and token.depth == 0 and not in_block)
        )
        if not starts:
            return False
        new = _Draft(title if _is_name(title) else "")
        if not new.title or _no_strong(token.text).strip() != title:
            new.challenge.append(token.text)
            new.open = "challenge"
        drafts.append(new)
        return True

    def _table_challenge(self, token: _Line, drafts: list[_Draft]) -> bool:
        """A row of a "Challenge | Solution" table."""
        header = self._table_header(token)
        if header is None or not token.cells:
            return False
        names = [clean_name(cell).lower() for cell in header.cells]
        problem = next(
            (at for at, name in enumerate(names) if _label_kind(name) == "challenge"), None
        )
        answer = next(
            (at for at, name in enumerate(names) if _label_kind(name) == "solution"), None
        )
        if problem is None and answer is None:
            return False
        if header is token:
            return False  # the header row itself goes with the section's other lines
        cells = token.cells
        draft = _Draft("")
        if problem is not None and problem < len(cells):
            draft.challenge.append(cells[problem])
        if answer is not None and answer < len(cells):
            draft.solution.append(cells[answer])
        titled = next(
            (
                at
                for at, name in enumerate(names)
                if name in ("title", "name", "#", "topic") and at < len(cells)
            ),
            None,
        )
        if titled is not None:
            draft.title = clean_name(cells[titled])
        drafts.append(draft)
        self.keep(token)
        return True

    # -- collaborators

    def _read_collaborators(self, section: _Section) -> None:
        hub = self.hub
        prose_topic = section.name or "Collaboration"
        current: CollaboratorContent | None = None
        from_heading = False
        prose: list[str] = []
        self.labels_dropped = False
        for part in section.parts:
            if part.depth and part.heading is not None:
                current, from_heading = self._collaborator_heading(part.heading), True
                if current is None:
                    prose.append(part.heading.raw.strip())
                    self.keep(part.heading)
            body = part.body
            for position, token in enumerate(body):
                if token.kind in ("blank", "rule"):
                    (
                        hub.collaborator_note(current, "")
                        if current is not None
                        else prose.append("")
                    )
                    continue
                if self._implicit_heading(body, position, "collab"):
                    current, from_heading = self._collaborator_heading(token), True
                    if current is None:
                        prose.append(token.raw.strip())
                        self.keep(token)
                    continue
                if (
                    current is not None
                    and token.kind in ("item", "text")
                    and self._collaborator_field(current, token)
                ):
                    continue
                if (
                    token.kind in ("item", "text")
                    and not (token.continues and current is not None)
                    and (current is None or not from_heading or _strongly_named(token.text))
                ):
                    person = self._collaborator_line(token)
                    if person is not None:
                        current, from_heading = person, False
                        continue
                if current is not None:
                    line = token.raw.rstrip() if token.kind == "code" else token.raw.strip()
                    hub.collaborator_note(current, line)
                    if current.role == "other" and token.kind in ("item", "text"):
                        current.role = _role_of(token.text) or "other"
                else:
                    prose.append(token.raw.rstrip())
                self.keep(token)
        if any(line.strip() for line in prose):
            hub.note(NOTES_CATEGORY, prose_topic, prose_topic, prose)
            if section.heading is not None:
                self._keep_if_same(section.heading, prose_topic)
        if self.labels_dropped:
            self._keep_as_written(section, "Collaboration")

    def _collaborator_field(self, person: CollaboratorContent, token: _Line) -> bool:
        """Reads "GitHub: @jane", "Role: frontend developer", "Discord: jane#4821" or
        "Project: X" under a person; the line is kept in their notes unless the field holds
        it as written."""
        label = _label(_no_strong(token.text))
        if label is None:
            return False
        name, value = label
        value = value.strip().strip("`*_").strip()
        if name == "github":
            handle = _GITHUB_URL.search(value) or _MENTION.search(value)
            if handle is None and re.fullmatch(r"[A-Za-z0-9](?:-?[A-Za-z0-9]){0,38}", value):
                person.github = person.github or value
            elif handle is not None:
                person.github = person.github or handle.group(1)
        elif name == "discord":
            person.discord = person.discord or value
        elif name == "project":
            person.project = person.project or value
        elif name == "role":
            found = _role_of(value)
            if found is not None:
                person.role = found
        else:
            return False
        if value and value not in (person.github, person.discord, person.project):
            self.hub.collaborator_note(person, token.text)
        else:
            self.labels_dropped = True
        self.keep(token)
        return True

    def _collaborator_heading(self, token: _Line) -> CollaboratorContent | None:
        text = token.text
        found = _people_in(text)
        if found is None:
            name = _heading_name(text)
            if not _is_name(name) or _GROUPING.search(name):
                return None
            if not (_PEOPLE.search(name) or _looks_like_a_name(name)):
                return None
            found = _Person(name=name)
        return self._add_person(token, found)

    def _collaborator_line(self, token: _Line) -> CollaboratorContent | None:
        text = token.text[:_LONG_LINE]
        found = _people_in(text)
        if found is None:
            candidates = []
            strong = re.match(r"\s*(\*\*|__)(.+?)\1", text)
            if strong:
                candidates.append(strong.group(2))
            with_word = re.match(r"\s*with\s+(.+?)\s*(?:[:：]|\s[–—-])\s", text, re.IGNORECASE)
            if with_word:
                candidates.append(with_word.group(1))
            candidates.append(_split_name(text)[0])
            inner = re.search(r"(\*\*|__)(.+?)\1", text)
            if inner:
                candidates.append(inner.group(2))
            for candidate in candidates:
                name = clean_name(candidate)
                if (
                    _is_name(name)
                    and len(name.split()) <= 6
                    and _PEOPLE.search(name)
                    and not _GROUPING.search(name)
                ):
                    found = _Person(name=name)
                    break
        if found is None:
            return None
        return self._add_person(token, found)

    def _add_person(self, token: _Line, found: _Person) -> CollaboratorContent:
        hub = self.hub
        person = hub.collaborator(found.name)
        for name in ("github", "discord", "project"):
            value = getattr(found, name)
            if value and not getattr(person, name):
                setattr(person, name, value)
        if person.role == "other":
            person.role = _role_of(found.name) or _role_of(token.text) or "other"
        if _no_strong(token.text).strip() != found.name:
            hub.collaborator_note(person, token.text)
        self.keep(token)
        return person

    # -- the safety net

    def _keep_the_rest(self) -> None:
        """Lines no reader took: headings into one note, anything else into another."""
        headings: list[str] = []
        others: list[str] = []
        for token in self.tokens:
            if token.index in self.placed or token.kind in ("blank", "rule", "marker"):
                continue
            if token.kind == "heading" and token.text:
                headings.append(f"- {token.text}")
            else:
                others.append(token.raw.rstrip())
            self.keep(token)
        if headings:
            self.hub.imported(HEADINGS_NOTE_TITLE, headings)
        if others:
            self.hub.imported(OTHER_LINES_NOTE_TITLE, others)


def _next_lines(body: list[_Line], position: int, count: int) -> list[_Line]:
    """The next `count` non-blank lines of a part (fewer at its end)."""
    found: list[_Line] = []
    for number in range(position + 1, len(body)):
        token = body[number]
        if token.kind == "blank":
            continue
        found.append(token)
        if len(found) == count:
            break
    return found


def _label_kind(label: str) -> str | None:
    if label in CHALLENGE_LABELS:
        return "challenge"
    if label in SOLUTION_LABELS:
        return "solution"
    return None


def _challenge_title(text: str) -> str:
    name = _heading_name(text)
    titled = _CHALLENGE_NUMBER.sub("", name).strip()
    return _NUMBERING.sub("", titled) or name


def _title_from(text: str) -> str:
    first = next((line for line in text.split("\n") if line.strip()), "")
    title = _SPACES.sub(" ", without_markup(first)).strip()
    if len(title) <= _NAME_MAX_CHARS:
        return title.removesuffix(".") if not title.endswith("..") else title
    cut = title[: _NAME_MAX_CHARS - 1].rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:") + "…"


@dataclass(slots=True)
class _Person:
    name: str
    github: str = ""
    discord: str = ""
    project: str = ""


def _people_in(text: str) -> _Person | None:
    """Someone a line names by handle ("Jane Doe (@jane)", "github.com/jane"), or a Discord
    channel ("Discord Channel: #ProDevProjectNexus")."""
    text = text[:_LONG_LINE]
    # Code spans are examples ("use `@frontend` to ask"), not people.
    bare = without_markup(_CODE_SPAN.sub(" ", text))
    shown = without_markup(text)
    github = _GITHUB_URL.search(text) or _MENTION.search(bare)
    head = clean_name(_split_name(text)[0])
    discord = _DISCORD.search(shown)
    project = _PROJECT.search(shown)
    project_name = project.group(1).strip() if project else ""
    if github is None and discord is not None and "discord" in head.lower():
        channel = discord.group(1)
        if not channel.startswith("#"):
            found = _CHANNEL.search(shown)
            channel = found.group(1) if found else channel
        return _Person(name=f"Discord {channel}", discord=channel, project=project_name)
    if github is None:
        return None
    handle = github.group(1)
    name_part = re.split(r"\(|@|https?://|github\.com|\[", shown)[0]
    name = clean_name(_split_name(name_part)[0])
    link = _LINK.search(text)
    if link and "github.com" in link.group(0).lower():
        name = clean_name(link.group(1)) or name
    if not _is_name(name) or len(name.split()) > 6:
        name = handle
    return _Person(
        name=name,
        github=handle,
        discord=discord.group(1) if discord else "",
        project=project_name,
    )


def _inline_solution(text: str) -> tuple[int, int] | None:
    """(start, end) of a solution label inside a line ("Slow CI — *Solution*: split jobs"), the
    separator before it included; None when there is none."""
    for match in _SOLUTION_WORD.finditer(text, 0, min(len(text), _LONG_LINE)):
        start = match.start()
        while start > 0 and match.start() - start < 2 and text[start - 1] in "*_":
            start -= 1
        if start and not text[start - 1].isspace():
            continue
        while start > 0 and text[start - 1] in " \t–—->→":
            start -= 1
        return start, match.end()
    return None


def _strongly_named(text: str) -> bool:
    """Whether a line leads with a name in bold or names a GitHub handle."""
    text = text[:_LONG_LINE]
    bare = _CODE_SPAN.sub(" ", text)
    return bool(
        re.match(r"\s*(\*\*|__)", text) or _GITHUB_URL.search(text) or _MENTION.search(bare)
    )


def _looks_like_a_name(text: str) -> bool:
    words = text.split()
    return 2 <= len(words) <= 4 and all(
        word[:1].isupper() and word.replace("-", "").replace("'", "").isalpha() for word in words
    )


def _role_of(text: str) -> str | None:
    """ "mentor" for a mentor of any track; "backend" or "frontend" when only one is named."""
    roles = [role for role, pattern in _ROLE_WORDS if pattern.search(text)]
    if "mentor" in roles:
        return "mentor"
    return roles[0] if len(roles) == 1 else None


def _link_challenges(hub: _Hub, only: list[ChallengeContent] | None = None) -> None:
    """Links challenges to the topics their words name (whole words, any case)."""
    if not (only if only is not None else hub.challenges):
        return
    names: dict[str, list[str]] = {}
    longest = 1
    for (category, name), _topic in hub.topics.items():
        if hub.categories[category].kind == "other":
            continue
        key = _words_key(name)
        if not key:
            continue
        named = names.setdefault(key, [])
        if name not in named:
            named.append(name)
        longest = max(longest, key.count(" ") + 1)
    if not names:
        return
    longest = min(longest, 8)
    for challenge in only if only is not None else hub.challenges:
        if id(challenge) in hub.linked:
            continue
        words = _words_key(f"{challenge.title}\n{challenge.challenge}\n{challenge.solution}")
        words_list = words.split()
        found: dict[str, int] = {}
        for size in range(1, longest + 1):
            for start in range(len(words_list) - size + 1):
                key = " ".join(words_list[start : start + size])
                if key in names and key not in found:
                    found[key] = start
        for key in sorted(found, key=lambda key: (found[key], key)):
            for name in names[key]:
                if name not in challenge.topics:
                    challenge.topics.append(name)


# ---------------------------------------------------------------------------------------------
# The hub's own README
# ---------------------------------------------------------------------------------------------


def is_structural(line: str) -> bool:
    """Whether a line of free text would be taken for structure in the hub's own README (a
    heading, a label, an escaped line, the mark): `to_markdown` escapes those with a backslash."""
    stripped = line.lstrip(" \t")
    return stripped.startswith(("#", "\\", "**", "__", "<!--"))


def unescape_block(lines: list[str]) -> str:
    """Free text from the hub's own README: escaped lines restored, outer blank lines dropped."""
    out: list[str] = []
    fence: tuple[str, int] | None = None
    for line in lines:
        if fence is not None:
            out.append(line)
            if _closes_fence(line, fence):
                fence = None
            continue
        opened = _opens_fence(line)
        if opened is not None:
            fence = opened
            out.append(line)
            continue
        stripped = line.lstrip(" \t")
        if stripped.startswith("\\"):
            line = line[: len(line) - len(stripped)] + stripped[1:]
        out.append(line)
    return "\n".join(_trim_blank(out, rules=False))


_HUB_LABEL = re.compile(r"^\*\*([^*]+?):\*\*[ \t]?(.*)$")
_HUB_ITEM = re.compile(r"^[-*+][ \t]+(.*)$")
_HUB_LINK = re.compile(r"^[-*+][ \t]+\[((?:\\.|[^\\\]])*)\]\(<((?:\\.|[^\\>])*)>\)[ \t]*$")
_HUB_SECTIONS = {
    TECHNOLOGIES_HEADING: "technology",
    CONCEPTS_HEADING: "concept",
    CHALLENGES_HEADING: "challenge",
    NOTES_HEADING: "notes",
    COLLABORATORS_HEADING: "collab",
}


def _parse_hub_readme(lines: list[str]) -> HubContent:
    hub = _Hub()
    # The headings outside code blocks: (level, text, line index).
    headings: list[tuple[int, str, int]] = []
    fence: tuple[str, int] | None = None
    for position, line in enumerate(lines):
        if fence is not None:
            if _closes_fence(line, fence):
                fence = None
            continue
        opened = _opens_fence(line)
        if opened is not None:
            fence = opened
            continue
        atx = atx_heading(line) if line.lstrip(" ").startswith("#") else None
        if atx is not None:
            headings.append((atx[0], unescape_markdown(atx[1]), position))
    first_section = next((at for level, _text, at in headings if level <= 2), len(lines))
    start = 0
    if headings and headings[0][0] == 1 and headings[0][2] == first_section:
        hub.title = headings[0][1]
        start = first_section + 1
        first_section = next(
            (at for level, _text, at in headings if level <= 2 and at >= start), len(lines)
        )
    overview = [line for line in lines[start:first_section] if line.strip() != HUB_README_MARK]
    hub.overview_text = unescape_block(overview)
    extra: list[str] = []
    sections = [(text, at) for level, text, at in headings if level <= 2 and at >= start]
    for number, (text, at) in enumerate(sections):
        end = sections[number + 1][1] if number + 1 < len(sections) else len(lines)
        kind = _HUB_SECTIONS.get(text)
        if kind is None:
            extra.extend(lines[at:end])
            continue
        inner = [(level, name, spot) for level, name, spot in headings if at < spot < end]
        reader = _HubSectionReader(hub, lines, at + 1, end, inner)
        {
            "technology": reader.topics,
            "concept": reader.topics,
            "challenge": reader.challenges,
            "notes": reader.notes,
            "collab": reader.collaborators,
        }[kind](kind)
    if any(line.strip() for line in extra):
        # Sections added by hand: read like any README.
        known = len(hub.challenges)
        _ReadmeReader(hub, extra).read(with_title=False)
        _link_challenges(hub, hub.challenges[known:])
    return hub.build()


class _HubSectionReader:
    """Reads one of the hub's own sections; lines out of place are kept in Imported notes."""

    def __init__(
        self,
        hub: _Hub,
        lines: list[str],
        start: int,
        end: int,
        headings: list[tuple[int, str, int]],
    ) -> None:
        self.hub = hub
        self.lines = lines
        self.start = start
        self.end = end
        self.headings = headings

    def _blocks(self, level: int, start: int, end: int) -> list[tuple[str, int, int]]:
        """(heading text, first line after it, end) of each heading of `level` in a range."""
        found = [
            (text, at) for depth, text, at in self.headings if depth == level and start <= at < end
        ]
        blocks = []
        for number, (text, at) in enumerate(found):
            block_end = found[number + 1][1] if number + 1 < len(found) else end
            blocks.append((text, at + 1, block_end))
        return blocks

    def _stray(self, start: int, end: int) -> None:
        stray = self.lines[start:end]
        if any(line.strip() for line in stray):
            self.hub.imported(OTHER_LINES_NOTE_TITLE, stray)

    def _sections_of(self, level: int, start: int, end: int) -> list[tuple[str, int, int]]:
        blocks = self._blocks(level, start, end)
        self._stray(start, blocks[0][1] - 1 if blocks else end)
        return blocks

    def topics(self, kind: str) -> None:
        for name, start, end in self._sections_of(3, self.start, self.end):
            category = self.hub.category(name, kind)
            for line in self.lines[start:end]:
                item = _HUB_ITEM.match(line)
                if item:
                    self.hub.topic(category, unescape_markdown(item.group(1)), kind)
                elif line.strip():
                    self.hub.imported(OTHER_LINES_NOTE_TITLE, [line])

    def challenges(self, kind: str) -> None:
        for title, start, end in self._sections_of(3, self.start, self.end):
            parts = self._labelled(start, end, ("challenge", "solution", "topics", "links"))
            challenge = ChallengeContent(
                title=title,
                challenge=unescape_block(parts.get("challenge", [])),
                solution=unescape_block(parts.get("solution", [])),
            )
            if challenge.solution:
                challenge.status = "solved"
            for line in parts.get("topics", []):
                item = _HUB_ITEM.match(line)
                if item:
                    challenge.topics.append(unescape_markdown(item.group(1)))
            for line in parts.get("links", []):
                link = _HUB_LINK.match(line)
                if link:
                    challenge.links.append(
                        LinkContent(
                            url=unescape_markdown(link.group(2)),
                            label=unescape_markdown(link.group(1)),
                        )
                    )
                elif line.strip():
                    self.hub.imported(OTHER_LINES_NOTE_TITLE, [line])
            self.hub.add_challenge(challenge, merge=False)
            self.hub.linked.add(id(challenge))

    def _labelled(
        self, start: int, end: int, labels: tuple[str, ...], fields_first: bool = False
    ) -> dict[str, list[str]]:
        """The lines after each "**Label:**" line (outside code blocks), by label."""
        parts: dict[str, list[str]] = {}
        current: str | None = None
        fence: tuple[str, int] | None = None
        for line in self.lines[start:end]:
            if fence is None:
                opened = _opens_fence(line)
                if opened is None:
                    label = _HUB_LABEL.match(line)
                    if label and label.group(1).lower() in labels:
                        current = label.group(1).lower()
                        parts.setdefault(current, [])
                        if label.group(2).strip():
                            parts[current].append(label.group(2))
                        continue
                    if current is None and fields_first:
                        parts.setdefault("", []).append(line)
                        continue
                fence = opened
            elif _closes_fence(line, fence):
                fence = None
            if current is None:
                if line.strip():
                    self.hub.imported(OTHER_LINES_NOTE_TITLE, [line])
                continue
            parts[current].append(line)
        return parts

    def notes(self, kind: str) -> None:
        hub = self.hub
        for category_name, start, end in self._sections_of(3, self.start, self.end):
            existing = hub.categories.get(category_name)
            category = hub.category(category_name, existing.kind if existing else "other")
            for topic_name, topic_start, topic_end in self._sections_of(4, start, end):
                topic = hub.topic(category, topic_name, hub.categories[category].kind)
                for title, note_start, note_end in self._sections_of(5, topic_start, topic_end):
                    body = unescape_block(self.lines[note_start:note_end])
                    topic.notes.append(NoteContent(title=title, body=body))

    def collaborators(self, kind: str) -> None:
        blocks = ("api contract", "notes")
        for name, start, end in self._sections_of(3, self.start, self.end):
            person = self.hub.collaborator(name, merge=False)
            parts = self._labelled(start, end, blocks, fields_first=True)
            for line in parts.pop("", []):
                item = _HUB_ITEM.match(line)
                label = _HUB_LABEL.match(item.group(1)) if item else None
                if label:
                    self._field(person, label.group(1), label.group(2))
                elif line.strip():
                    self.hub.imported(OTHER_LINES_NOTE_TITLE, [line])
            for label, lines in parts.items():
                setattr(person, COLLABORATOR_BLOCK_LABELS[label], unescape_block(lines))

    def _field(self, person: CollaboratorContent, label: str, value: str) -> None:
        attribute = COLLABORATOR_FIELD_LABELS.get(label.lower())
        value = unescape_markdown(value.strip())
        if attribute is None:
            self.hub.imported(OTHER_LINES_NOTE_TITLE, [f"- **{label}:** {value}"])
        elif attribute == "role":
            person.role = value if value in ("backend", "frontend", "mentor") else "other"
        elif attribute == "github":
            person.github = value.removeprefix("@")
        elif attribute in ("last_sync", "next_sync"):
            try:
                setattr(person, attribute, date.fromisoformat(value))
            except ValueError:
                self.hub.imported(OTHER_LINES_NOTE_TITLE, [f"- **{label}:** {value}"])
        else:
            setattr(person, attribute, value)
