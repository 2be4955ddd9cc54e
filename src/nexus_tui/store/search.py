"""Full-text search over notes, topics, challenges and collaborators.

Reads the `search_index` table that triggers keep in step with the source tables: on SQLite an FTS5
table (migration 2), on PostgreSQL a `tsvector` column with a GIN index (`pg_migrations.py`). The
same words are searched the same way on both, ranked with a title word worth ten body words, and
the snippets are found here, in Python, for both. Plain SQL over the connection and the standard
library only: the search dialog and the command line run it on a fresh connection through
`Store.read`, and nothing on the way to the first screen imports this module.
"""

from __future__ import annotations

import re
import sqlite3
import unicodedata
from functools import lru_cache

from nexus_tui.store.migrations import SEARCH_HIGH_BASE
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

# Every match from the top of the index down: first every topic, challenge and collaborator (their
# row ids lie above SEARCH_HIGH_BASE, migration 6), then the notes, newest first. Rows are read
# until RANKED_MATCHES notes are in; a row never read is never ranked.
_MATCHES_FROM_THE_TOP = f"""
    SELECT rowid, bm25(search_index, {_WEIGHTS}) FROM search_index
    WHERE search_index MATCH ? ORDER BY rowid DESC
"""


# PostgreSQL. What the user typed becomes a tsquery built here from the same quoted words as FTS5's
# query, never query syntax: websearch_to_tsquery would take quotes, "or" and "-" as operators and
# has no prefix matching, which search as you type needs ("memo" finds "memoisation"). Each word
# is a quoted lexeme, `'word':*` for a prefix; no quote can be ended early, as words hold no quote,
# backslash or colon. `nexus_search` (pg_migrations.py) lower-cases and unaccents the query's
# words as it did the stored ones.
_TO_TSQUERY = "to_tsquery('nexus_search', ?)"
# ts_rank's weights are for D, C, B, A: the body is D, the title A (pg_migrations.py). It ranks the
# same words ORed (`_rank_query`): then each word scores its best occurrence in full and further
# ones less and less, a title word ten times a body word, and the words' scores are averaged,
# which behaves like bm25 with its column weights (a title match comes first, repeating a word in
# the text adds little). For an AND it would score distances between the words instead, and with
# prefixes only the first word each matches. Normalization 1 divides by the log of the item's
# length, so a short item ranks first, as with bm25: "Python" the topic before a note titled
# "Python tips" with a page of text.
_PG_RANK = "ts_rank('{0.1, 0.1, 0.1, 1.0}', document, words, 1)"
# PostgreSQL has no doclist to walk back from the newest row and stop, as FTS5 does: its GIN index
# gives matches in no order, and the key gives rows in order but each row's tsvector must be
# tested. So the newest matches are looked for in steps, each only if the ones before found fewer
# than RANKED_MATCHES:
# 1. among the newest _PG_WINDOW notes' rows, where the planner may walk the key (for a common
#    word: it stops at RANKED_MATCHES) or use the GIN index;
# 2. among the _PG_NEARER_WINDOWS times as many rows before those, if the first step's matches,
#    as many again in each window's worth of rows, would be enough there: the GIN index and the
#    key's range together give the matches in the range, whose rows alone are read (for a rarer
#    word, the GIN index would be read twice, and prefixes make that the costly part);
# 3. among all older rows, through the GIN index.
# `id + 0` keeps the planner off the key's order in steps 2 and 3: it would walk the key for words
# it takes for common, such as a phrase ("select_rel") it takes for as common as its words
# together, and then match row after row. Then, as on SQLite, the topics, challenges and
# collaborators below the notes ranked are ranked too; and only the best `limit` rows' text is
# read. All in one statement, so a search waits for the server once.
_PG_WINDOW = 4000
_PG_NEARER_WINDOWS = 4
# Custom plans only, for this transaction: a plan made for no words in particular (which the
# server switches to for a statement run often, prepared) cannot tell a common word from a rare
# one, and so picks a way of searching that is slow for one of them.
_PG_BOUNDS = """
    SELECT set_config('plan_cache_mode', 'force_custom_plan', true),
           (SELECT min(id) FROM search_index), (SELECT max(id) FROM search_index),
           8 * (greatest((SELECT max(id) FROM topics), (SELECT max(id) FROM challenges),
                         (SELECT max(id) FROM collaborators), 0) + 1)
"""
# A prefix this short stands for thousands of words ("th"), and the GIN index, having no prefix
# index as FTS5 has, would gather the rows of every one, even beside a rare word that leaves a few
# rows to test. So beside longer words, the index is asked for those alone and the whole query is
# tested on the rows it gives, through ts_match_vq (@@ as a function: the planner never takes it
# to the index).
_PG_SHORT_PREFIX = 2


@lru_cache(maxsize=2)
def _pg_search_sql(tested: bool) -> str:
    """The search statement; with `tested`, the whole query is tested on the indexed one's rows."""
    match = f"document @@ {_TO_TSQUERY}"
    if tested:
        match += f" AND ts_match_vq(document, {_TO_TSQUERY})"
    # Only row ids are carried and sorted until the rows to rank are known: a tsvector is 1 KB.
    return f"""
    WITH newest AS (
        SELECT id FROM search_index
        WHERE id > ? AND {match}
        ORDER BY id DESC LIMIT ?
    ), nearer AS (
        SELECT id FROM search_index
        WHERE ? AND (SELECT count(*) FROM newest) < ? AND (SELECT count(*) FROM newest) * ? >= ?
            AND id > ? AND id <= ? AND {match}
        ORDER BY id + 0 DESC LIMIT ?
    ), older AS (
        SELECT id FROM search_index
        WHERE ? AND (SELECT count(*) FROM newest) + (SELECT count(*) FROM nearer) < ?
            AND id + 0 <= CASE WHEN (SELECT count(*) FROM newest) * ? >= ? THEN ? ELSE ? END
            AND {match}
        ORDER BY id + 0 DESC LIMIT ?
    ), ranked AS (
        SELECT id FROM newest UNION ALL SELECT id FROM nearer UNION ALL SELECT id FROM older
        ORDER BY id DESC LIMIT ?
    ), low AS (
        -- The row id is tested first (OFFSET 0 keeps the inner query's filter apart), so a note
        -- here is never matched: the planner would match first, one operator to the test's two.
        SELECT id FROM (
            SELECT id, document FROM search_index
            WHERE (SELECT count(*) FROM ranked) = ? AND id < ?
                AND id < (SELECT min(id) FROM ranked) AND id % 8 <> 1
            OFFSET 0
        ) AS candidates
        WHERE document @@ {_TO_TSQUERY}
    ), best AS (
        SELECT id, {_PG_RANK} AS rank
        FROM (SELECT id FROM ranked UNION ALL SELECT id FROM low) AS matches
            JOIN search_index USING (id), {_TO_TSQUERY} AS words
        ORDER BY rank DESC, id LIMIT ?
    )
    SELECT item.kind, item.item_id, item.title, item.body
    FROM best JOIN search_index AS item USING (id)
    ORDER BY best.rank DESC, best.id
    """


# Words this long (in bytes) are left out of the index with a notice, and out of a query too,
# which would widen it: a query with one finds nothing, as no stored word is that long.
_PG_MAX_WORD_BYTES = 2047


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


def tsquery_text(text: str) -> str:
    """The PostgreSQL query for what the user typed, as `to_tsquery` text; "" without words.

    The same terms as `match_expression`: a chunk's words as adjacent lexemes (`<->`), prefixes
    (`:*`) but for words of one character, and the chunks ANDed (`&`).
    """
    return " & ".join(_tsquery_terms(text))


def _tsquery_terms(text: str) -> list[str]:
    """`tsquery_text`'s terms, one for each of `_unique_chunks`."""
    terms = (" <-> ".join(_lexeme(piece) for piece in pieces) for pieces in _unique_chunks(text))
    return [f"({term})" if "<->" in term else term for term in terms]


def _lexeme(piece: str) -> str:
    """A quoted tsquery lexeme, a prefix unless one character long."""
    # Pieces hold word characters only: no quote, backslash or colon to end a lexeme early.
    return f"'{piece}'" if len(piece) == 1 else f"'{piece}':*"


def _unique_chunks(text: str) -> list[list[str]]:
    """`_chunks`, each once (case folded)."""
    unique: dict[tuple[str, ...], list[str]] = {}
    for pieces in _chunks(text):
        unique.setdefault(tuple(piece.casefold() for piece in pieces), pieces)
    return list(unique.values())


def _rank_query(text: str) -> str:
    """`tsquery_text`'s lexemes ORed, each once: what ranks the items that query matched."""
    lexemes = (_lexeme(piece) for pieces in _chunks(text) for piece in pieces)
    unique = {lexeme.casefold(): lexeme for lexeme in lexemes}
    return " | ".join(unique.values())


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
    if getattr(conn, "dialect", "sqlite") == "postgresql":
        rows = _postgres_best(conn, text, limit)
    else:
        rows = _sqlite_best(conn, text, limit)
    finder = match_finder(text)
    results = []
    for kind, item_id, title, body in rows:
        snippet, highlights = snippet_of(body, finder)
        results.append(SearchResult(kind, item_id, title, snippet, highlights))
    return results


def _sqlite_best(conn: sqlite3.Connection, text: str, limit: int) -> list[tuple]:
    """(kind, item id, title, body) of the best `limit` matches, best first."""
    expression = match_expression(text)
    if not expression:
        return []
    scores: dict[int, float] = {}
    notes = 0
    matches = conn.execute(_MATCHES_FROM_THE_TOP, (expression,))
    try:
        for rowid, score in matches:
            scores[rowid] = score
            if rowid < SEARCH_HIGH_BASE:
                notes += 1
                if notes == RANKED_MATCHES:
                    break
    finally:
        matches.close()
    # bm25 scores are negative, the best lowest. Ties: the older first.
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
    return [rows[rowid] for rowid in best]


def _postgres_best(conn, text: str, limit: int) -> list[tuple]:
    """`_sqlite_best` on PostgreSQL: the same matches ranked, chosen the same way."""
    query = tsquery_text(text)
    words = (piece for pieces in _chunks(text) for piece in pieces)
    if not query or any(len(word.encode()) >= _PG_MAX_WORD_BYTES for word in words):
        return []
    _, oldest, newest, low_bound = conn.execute(_PG_BOUNDS).fetchone()
    if newest is None:
        return []
    match = _pg_match(text)
    floor = newest - 8 * _PG_WINDOW
    nearer_floor = floor - 8 * _PG_WINDOW * _PG_NEARER_WINDOWS
    ranked = RANKED_MATCHES
    params = (
        floor, *match, ranked,  # newest
        oldest <= floor, ranked, _PG_NEARER_WINDOWS, ranked,  # nearer
        nearer_floor, floor, *match, ranked,
        oldest <= floor, ranked, _PG_NEARER_WINDOWS, ranked, nearer_floor, floor,  # older
        *match, ranked,
        ranked,  # ranked
        ranked, low_bound, query,  # low
        _rank_query(text), limit,  # best
    )  # fmt: skip
    return conn.execute(_pg_search_sql(len(match) > 1), params).fetchall()


def _pg_match(text: str) -> tuple[str, ...]:
    """The tsquery for the GIN index and, if it leaves words out (_PG_SHORT_PREFIX), the whole
    query, tested on the rows it gives."""
    whole = tsquery_text(text)
    pieces = [piece for chunk in _unique_chunks(text) for piece in chunk]
    indexed = [_lexeme(piece) for piece in pieces if not 1 < len(piece) <= _PG_SHORT_PREFIX]
    if not indexed or len(indexed) == len(pieces):
        return (whole,)
    return " & ".join(dict.fromkeys(indexed)), whole


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
