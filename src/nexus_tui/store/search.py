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
# Words around the first match in a snippet: enough for a line of context in a list row.
SNIPPET_TOKENS = 16
# Words of context before the first match, so the snippet starts a little before it.
SNIPPET_LEAD = 3
# Characters of text searched for the first match before the snippet settles for the text's start.
SNIPPET_SCAN = 100_000
# bm25 weights per column (kind, item_id, title, body): a word in the title counts ten times one in
# the body, so "Caching" the topic comes before a note that mentions caching in passing.
_WEIGHTS = "0.0, 0.0, 10.0, 1.0"
# Ranking costs about 3.5 µs a match: nothing for a rare word, 350 ms for a word in each of 100,000
# notes. So at most this many notes are ranked, the newest matches (row ids grow with item ids),
# and beside them every matching topic, challenge and collaborator. A word that common weighs
# next to nothing in bm25 anyway; one more word narrows the matches until all are ranked again.
# At 100,000 notes, 2,000 gave a p95 of 12 ms a search, 1,000 gave 10 ms and 500 gave 8.6 ms.
RANKED_MATCHES = 500

# What the user typed is never FTS5 query syntax: only its words (runs of Unicode word characters,
# less "_", which the unicode61 tokenizer also splits at) are used, each quoted, so quotes,
# AND/OR/NOT/NEAR, *, -, :, ^ and parentheses are just text.
_PIECE = re.compile(r"[^\W_]+")
_SPACES = re.compile(r"\s+")

_NEWEST_MATCHES = f"""
    SELECT rowid, bm25(search_index, {_WEIGHTS}) FROM search_index
    WHERE search_index MATCH ? ORDER BY rowid DESC LIMIT ?
"""
# Notes are the rows whose id is 1 modulo 8 (migration 2). Testing the row id costs next to nothing,
# and a note filtered out here is never ranked: the low range holds as many old notes as topics.
_LOW_MATCHES = f"""
    SELECT rowid, bm25(search_index, {_WEIGHTS}) FROM search_index
    WHERE search_index MATCH ? AND rowid < ? AND rowid % 8 != 1
"""
# Row ids in the index are `id * 8 + code` (migration 2): below this bound lie every topic,
# challenge and collaborator, and only as many notes as there are of those.
_LOW_ROWID_BOUND = """
    SELECT 8 * (max(coalesce((SELECT max(id) FROM topics), 0),
                    coalesce((SELECT max(id) FROM challenges), 0),
                    coalesce((SELECT max(id) FROM collaborators), 0)) + 1)
"""


def match_expression(text: str) -> str:
    """The FTS5 query for what the user typed; "" when it has no words.

    Each whitespace-separated chunk must occur, its words as prefixes of adjacent tokens: "sel_rel"
    becomes "sel"* + "rel"* and finds "select_related"; "N+1" and "node.js" stay one phrase
    rather than two loose words. Chunks are ANDed, in any order. A word of one character is
    matched whole: as a prefix it would stand for a good part of all words, which the prefix
    indexes (2 to 4 characters) do not cover, and one more letter is what the user types next.
    """
    terms: list[str] = []
    seen: set[str] = set()
    for pieces in _chunks(text):
        # Pieces hold word characters only, so no '"' can end a quoted string early.
        term = " + ".join(f'"{piece}"' if len(piece) == 1 else f'"{piece}"*' for piece in pieces)
        # A repeated chunk adds nothing but work: 5,000 characters of "a a a …" are one term.
        key = term.casefold()
        if key not in seen:
            seen.add(key)
            terms.append(term)
    return " AND ".join(terms)


def _chunks(text: str) -> list[list[str]]:
    # NFC: "é" typed as e + combining accent is one word character, not a word break.
    chunks = (_PIECE.findall(chunk) for chunk in unicodedata.normalize("NFC", text).split())
    return [pieces for pieces in chunks if pieces]  # punctuation or symbols alone are skipped


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
    scores = dict(conn.execute(_NEWEST_MATCHES, (expression, RANKED_MATCHES)).fetchall())
    if len(scores) == RANKED_MATCHES:
        (bound,) = conn.execute(_LOW_ROWID_BOUND).fetchone()
        scores.update(conn.execute(_LOW_MATCHES, (expression, min(bound, min(scores)))))
    best = sorted(scores, key=lambda rowid: (scores[rowid], rowid))[:limit]
    if not best:
        return []
    # Plain row id lookups: no MATCH, so a long prefix is not expanded again for every row.
    marks = ", ".join("?" * len(best))
    rows = {
        rowid: rest
        for rowid, *rest in conn.execute(
            f"SELECT rowid, kind, item_id, title, body FROM search_index WHERE rowid IN ({marks})",
            best,
        )
    }
    finder = match_finder(text)
    results = []
    for rowid in best:
        kind, item_id, title, body = rows[rowid]
        snippet, highlights = snippet_of(body, finder)
        results.append(SearchResult(kind, item_id, title, snippet, highlights))
    return results


def match_finder(text: str) -> re.Pattern[str]:
    """A pattern that finds, in folded text (see `fold_each`), what the query of `text` matches:
    each chunk's words as prefixes of adjacent words (a one-character word whole)."""
    alternatives = []
    for pieces in _chunks(text):
        words = []
        for index, piece in enumerate(pieces):
            literal = fold(piece)
            word = re.escape(literal)
            if index == 0:
                # "No word character before it", checked after the literal rather than before:
                # a pattern that starts with a literal is found by a fast scan, ten times faster
                # than trying a lookbehind at every character of the text.
                word += r"(?<![^\W_]" + "." * len(literal) + ")"
            words.append(word + ("" if len(piece) == 1 else r"[^\W_]*"))
        alternatives.append(r"[\W_]+".join(words) + r"(?![^\W_])")
    return re.compile("|".join(alternatives) or r"(?!)", re.DOTALL)


def fold(word: str) -> str:
    """A word as the index compares it: case-folded, without accents (remove_diacritics 2)."""
    decomposed = unicodedata.normalize("NFD", word.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def fold_each(text: str) -> str:
    """`text` folded one character for one, so offsets in it are offsets in `text`."""
    if text.isascii():
        return text.lower()
    folded = []
    for char in text:
        one = fold(char) if not char.isascii() else char.lower()
        folded.append(one if len(one) == 1 else char)
    return "".join(folded)


def snippet_of(text: str, finder: re.Pattern[str]) -> tuple[str, tuple[tuple[int, int], ...]]:
    """One line of `text` around the first match of `finder`, and the (start, end) offsets of the
    matches in it.

    The line starts SNIPPET_LEAD words before the first match, "…" marking text cut off; with no
    match it is the start of the text, unhighlighted, to say what the item is about. Whitespace
    runs become one space, as `text.one_line` does, so the offsets stay right in a list row.
    """
    # A 5 MB body is searched for its first match in its first SNIPPET_SCAN characters only.
    folded = fold_each(text[:SNIPPET_SCAN])
    first = finder.search(folded)
    start = 0
    if first is not None:
        before = list(_PIECE.finditer(text, max(0, first.start() - 200), first.start()))
        if len(before) > SNIPPET_LEAD:
            start = before[-SNIPPET_LEAD].start()
    words = _PIECE.finditer(text, start)
    end = start
    for count, word in enumerate(words, 1):
        end = word.end()
        if count == SNIPPET_TOKENS:
            break
    cut_after = _PIECE.search(text, end) is not None
    if not cut_after:
        end = len(text)
    marks = [
        (match.start() - start, match.end() - start)
        for match in finder.finditer(folded, start, end)
        if match.end() <= end
    ]
    line, offsets = _one_line(text[start:end], marks)
    prefix = "…" if start > 0 else ""
    shifted = tuple((a + len(prefix), b + len(prefix)) for a, b in offsets)
    return prefix + line + ("…" if cut_after else ""), shifted


def _one_line(text: str, marks: list[tuple[int, int]]) -> tuple[str, list[tuple[int, int]]]:
    """`text` with whitespace runs as single spaces (none at the ends), and `marks` moved along.

    A mark starts and ends at a word character, never inside a run of whitespace.
    """
    # What each run gives up: all of it at either end of the text, all but one space inside.
    removed = [
        (run.end(), run.end() - run.start() - (run.start() > 0 and run.end() < len(text)))
        for run in _SPACES.finditer(text)
    ]

    def moved(offset: int) -> int:
        return offset - sum(count for end, count in removed if end <= offset)

    return " ".join(text.split()), [(moved(start), moved(end)) for start, end in marks]
