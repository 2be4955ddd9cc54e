"""Full-text search over notes, topics, challenges and collaborators.

Reads the `search_index` FTS5 table that migration 2 creates and its triggers keep in step with the
source tables. Plain sqlite3 and the standard library only: the search dialog and the command line
run it on a fresh connection through `Store.read`, and nothing on the way to the first screen
imports this module.
"""

from __future__ import annotations

import re
import sqlite3
import unicodedata

from nexus_tui.store.records import SearchResult

DEFAULT_LIMIT = 50
MAX_LIMIT = 500
# Tokens around the match in a snippet: enough for a line of context in a list row.
SNIPPET_TOKENS = 16
# bm25 weights per column (kind, item_id, title, body): a word in the title counts ten times one in
# the body, so "Caching" the topic comes before a note that mentions caching in passing.
_WEIGHTS = "0.0, 0.0, 10.0, 1.0"

# What the user typed is never FTS5 query syntax: only its words (runs of Unicode word characters,
# less "_", which the unicode61 tokenizer also splits at) are used, each quoted, so quotes,
# AND/OR/NOT/NEAR, *, -, :, ^ and parentheses are just text.
_PIECE = re.compile(r"[^\W_]+")
# Marks snippet() puts around matched words. The index never holds these characters (its triggers
# replace them), so every one in snippet() output is a marker, never the user's text.
_START, _END = "\x02", "\x03"
_MARKERS = re.compile(f"([{_START}{_END}])")

_SEARCH_SQL = f"""
    SELECT kind, item_id, title,
           CASE WHEN body = '' THEN ''
                ELSE snippet(search_index, 3, char(2), char(3), '…', {SNIPPET_TOKENS}) END
    FROM search_index
    WHERE search_index MATCH ?
    ORDER BY bm25(search_index, {_WEIGHTS}), rowid
    LIMIT ?
"""


def match_expression(text: str) -> str:
    """The FTS5 query for what the user typed; "" when it has no words.

    Each whitespace-separated chunk must occur, its words as prefixes of adjacent tokens: "sel_rel"
    becomes "sel"* + "rel"* and finds "select_related"; "N+1" and "node.js" stay one phrase
    rather than two loose words, one of them a single letter that would match almost anything.
    Chunks are ANDed, in any order.
    """
    terms: list[str] = []
    seen: set[str] = set()
    # NFC: "é" typed as e + combining accent is one word character, not a word break.
    for chunk in unicodedata.normalize("NFC", text).split():
        pieces = _PIECE.findall(chunk)
        if not pieces:
            continue  # punctuation or symbols only
        # Pieces hold word characters only, so no '"' can end a quoted string early.
        term = " + ".join(f'"{piece}"*' for piece in pieces)
        # A repeated chunk adds nothing but work: 5,000 characters of "a a a …" are one term.
        key = term.casefold()
        if key not in seen:
            seen.add(key)
            terms.append(term)
    return " AND ".join(terms)


def search(conn: sqlite3.Connection, text: str, limit: int = DEFAULT_LIMIT) -> list[SearchResult]:
    """Items whose title or text contain every word of `text` (as word prefixes), best first.

    Any text is safe to pass: it is searched as literal words. Text without words finds nothing.
    ValueError if `limit` is not between 1 and MAX_LIMIT.
    """
    # bool is an int, but search(conn, text, True) is surely a mistake.
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_LIMIT:
        raise ValueError(f"limit must be a whole number from 1 to {MAX_LIMIT}, not {limit!r}")
    expression = match_expression(text)
    if not expression:
        return []
    results = []
    for kind, item_id, title, marked in conn.execute(_SEARCH_SQL, (expression, limit)):
        snippet, highlights = unmark(marked)
        results.append(SearchResult(kind, item_id, title, snippet, highlights))
    return results


def unmark(marked: str) -> tuple[str, tuple[tuple[int, int], ...]]:
    """snippet() output as one line of plain text and the (start, end) offsets of its matches.

    Whitespace runs (the newlines between fields, say) become one space first, the same as
    `text.one_line` does, so offsets stay right in a list row.
    """
    plain: list[str] = []
    highlights: list[tuple[int, int]] = []
    length = 0
    start: int | None = None
    for part in _MARKERS.split(" ".join(marked.split())):
        if part == _START:
            start = length
        elif part == _END:
            if start is not None and length > start:
                highlights.append((start, length))
            start = None
        else:
            plain.append(part)
            length += len(part)
    return "".join(plain), tuple(highlights)
