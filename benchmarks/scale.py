"""Scale benchmark: the store's reads and the first screen on a 100,000-note hub vs a 100-note one.

Builds two synthetic hubs with the same categories and topics in temporary databases, one with
--notes notes and one with --small-notes, times the reads the app makes (opening the store and
reading the first screen, listing a topic's notes, searching) on both, and the real app's time to
its first screen with data on both, under a pty. Every figure is shown for both hubs and as a ratio.
"""

import argparse
import gc
import json
import platform
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing, suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from itertools import islice
from pathlib import Path

from benchmarks.pty_timing import MarkerNotSeen, run_to_marker
from benchmarks.startup import (
    PROJECT_ROOT,
    TERM,
    TERMINAL_SIZE,
    Unavailable,
    child_env,
    failure_record,
    machine,
    nexus_tui_argv,
    package_version,
)
from nexus_tui.store import Store, queries
from nexus_tui.store.database import to_db_time
from nexus_tui.store.search import DEFAULT_LIMIT, match_expression, search

DEFAULT_NOTES = 100_000
DEFAULT_SMALL_NOTES = 100
DEFAULT_TOPICS = 1000
DEFAULT_SEED = 1
DEFAULT_REPEAT = 30
# Fewer than 20 rounds only for a call so slow that 20 would not fit the budget below.
MIN_REPEAT = 5
DEFAULT_BUDGET = 3.0
DEFAULT_APP_RUNS = 5
DEFAULT_TIMEOUT = 20.0

# Share of all notes in the one large topic, of notes that are pinned, and of notes that mention
# RARE_WORD (which the vocabulary never draws otherwise).
LARGE_TOPIC_SHARE = 0.01
PINNED_SHARE = 0.02
RARE_SHARE = 0.001
RARE_WORD = "select_related"
MADE_UP_WORDS = 3000
# Zipf exponent of word frequencies: with s = 1 over some 3,300 words the commonest is about one
# word in nine, as "the" is in English, so it is in nearly every note, while the rarest made-up
# words are in well under 1% of the notes.
ZIPF_EXPONENT = 1.0

CATEGORIES = (
    ("Python", "technology"), ("Django", "technology"), ("Databases", "technology"),
    ("Web APIs", "technology"), ("Frontend", "technology"), ("Testing", "concept"),
    ("DevOps", "technology"), ("Security", "concept"), ("Algorithms", "concept"),
    ("Architecture", "concept"), ("Networking", "concept"), ("Linux", "technology"),
    ("Rust", "technology"), ("Go", "technology"), ("Data Science", "technology"),
    ("Machine Learning", "concept"), ("Career", "other"), ("Reading", "other"),
    ("Tooling", "technology"), ("Side Projects", "other"),
)  # fmt: skip
STATUSES = ("not_started", "learning", "practising", "confident")
TAGS = (
    "django", "python", "sql", "orm", "performance", "caching", "async", "testing", "ci",
    "docker", "security", "auth", "api", "rest", "graphql", "frontend", "css", "react", "rust",
    "go", "linux", "shell", "git", "review", "interview", "todo", "idea", "bug", "howto", "reading",
    "talk", "book", "design", "database", "postgres", "sqlite", "redis", "queue", "ml", "data",
)  # fmt: skip

# Real words, commonest first: their order is their frequency rank. The search rows use the first
# (COMMON_WORD) and a pair a little further down (TWO_WORDS). "select" and "related" are left out
# on purpose so that RARE_WORD stays rare, while "selector", "release", "relation"... stay in, so
# the "select_rel" prefix query still has long doclists to intersect, as in a real hub.
_REAL_WORDS_TEXT = """
request the function data model query cache server client value object field method class
error test database index table type string list user response view template session token
config module package import return async await thread process memory file path stream buffer
event handler signal queue worker task job schedule retry timeout connection pool transaction
commit rollback migration schema column row key foreign primary constraint unique join filter
order group count aggregate annotate prefetch serializer validator form widget middleware router
endpoint header cookie payload json yaml toml parse render compile build deploy release version
branch merge rebase diff patch review issue ticket sprint backlog estimate refactor invalidation
lint format type_hint generic protocol interface trait struct enum closure iterator generator
decorator context manager descriptor property slot metaclass coroutine future promise callback
lock mutex semaphore atomic channel selector selection relation relative relational
reliable relay relevant network socket packet latency throughput bandwidth proxy gateway balancer
container image volume cluster node pod service ingress secret certificate hash salt encrypt
decrypt signature oauth permission role scope audit logging metric trace span alert dashboard
benchmark profile optimise allocate garbage collector heap stack pointer reference borrow
lifetime ownership unsafe compiler linker binary library dependency lockfile registry wheel
virtualenv interpreter bytecode opcode frame exception traceback assertion fixture mock stub
coverage snapshot regression integration unit end_to_end flaky parallel shard matrix pipeline
artifact cache_hit cache_miss eviction expiry ttl shard replica leader follower consensus raft
partition offset consumer producer topic broker backpressure idempotent deterministic pure
immutable mutable state reducer store action effect component prop hook render_tree layout
style grid flexbox viewport breakpoint accessibility keyboard focus binding screen terminal
cursor scroll paint frame_rate animation tensor gradient epoch batch loss optimizer feature
vector matrix_multiply embedding tokenizer prompt inference latency_budget notebook dataframe
column_store parquet arrow pandas numpy polars sqlite postgres redis kafka nginx gunicorn uvicorn
celery django flask fastapi pydantic sqlalchemy pytest textual rich httpx asyncio trio
"""
REAL_WORDS = tuple(_REAL_WORDS_TEXT.split())
COMMON_WORD = "request"
TWO_WORDS = "cache invalidation"
ONE_LETTER = "s"
RARE_PREFIX = "select_rel"
PARAGRAPH_CHARS = 200
# The pasted paragraph is cut from this note's body; it exists in both hubs (see build_plan).
PARAGRAPH_NOTE = 2

_CONSONANTS = "bcdfghjklmnprstvwxz"
_VOWELS = "aeiou"
_ONSETS = ("", "br", "cr", "dr", "fl", "gr", "kr", "pl", "qu", "sh", "st", "th", "tr", "zh")
_CODAS = ("", "", "", "n", "r", "s", "x", "k", "m", "l")


def made_up_words(rng: random.Random, count: int, taken: set[str]) -> list[str]:
    """Pronounceable nonsense words ("zorbik", "plenax"): the long tail of a hub's vocabulary."""
    words: list[str] = []
    seen = set(taken)
    while len(words) < count:
        syllables = [
            rng.choice(_ONSETS) + rng.choice(_CONSONANTS) + rng.choice(_VOWELS)
            for _ in range(rng.randint(1, 3))
        ]
        word = "".join(syllables) + rng.choice(_CODAS)
        if len(word) >= 4 and word not in seen:
            seen.add(word)
            words.append(word)
    return words


@dataclass(frozen=True)
class Vocabulary:
    words: list[str]
    cum_weights: list[float]

    @classmethod
    def make(cls, seed: int) -> "Vocabulary":
        rng = random.Random(f"vocabulary-{seed}")
        # Real words keep their ranks (so COMMON_WORD is the commonest, deterministically); the
        # made-up words fill the tail in a seeded order.
        words = list(dict.fromkeys(REAL_WORDS)) + made_up_words(rng, MADE_UP_WORDS, set(REAL_WORDS))
        cum_weights: list[float] = []
        total = 0.0
        for rank in range(len(words)):
            total += 1.0 / (rank + 1) ** ZIPF_EXPONENT
            cum_weights.append(total)
        return cls(words, cum_weights)

    def draw(self, rng: random.Random, count: int) -> list[str]:
        return rng.choices(self.words, cum_weights=self.cum_weights, k=count)


@dataclass(frozen=True)
class HubPlan:
    """What a hub will hold; categories and topics depend on the seed and --topics only."""

    notes: int
    topics: int
    seed: int
    vocabulary: Vocabulary
    category_names: list[str]
    topic_names: list[str]
    topic_categories: list[int]
    large_topic: int
    """Index (0-based; its id is one more) of the topic holding LARGE_TOPIC_SHARE of the notes."""

    @property
    def first_topic(self) -> str:
        # Topic 0 is in category 0 and has position 0: the tree's first leaf.
        return self.topic_names[0]


def build_plan(notes: int, topics: int, seed: int, vocabulary: Vocabulary) -> HubPlan:
    rng = random.Random(f"topics-{seed}")
    category_names = [name for name, _ in CATEGORIES]
    names: list[str] = []
    seen: set[str] = set()
    real = list(dict.fromkeys(REAL_WORDS))
    while len(names) < topics:
        # Short enough for the 46-column tree, so the first-screen marker is never cut off.
        first, second = rng.choice(real), rng.choice(real)
        name = f"{first.replace('_', ' ').title()} {second.replace('_', ' ')}"[:24]
        if name not in seen:
            seen.add(name)
            names.append(name)
    # Topic 0 in category 0 so that its name is the first topic on the first screen; the others
    # spread unevenly (as real categories are) over all categories.
    topic_categories = [0] + [rng.randrange(len(category_names)) for _ in range(topics - 1)]
    # Not the first topic: the first screen lists the first topic's notes, and it should stay a
    # typical one so that both hubs' first screens do comparable work.
    large_topic = topics // 2 if topics > 1 else 0
    return HubPlan(
        notes, topics, seed, vocabulary, category_names, names, topic_categories, large_topic
    )


def note_rows(plan: HubPlan, stamp_base: datetime) -> Iterator[tuple]:
    """The notes, generated lazily (100 MB of text need not sit in memory at once).

    The random stream does not depend on plan.notes, so a smaller hub holds exactly the first notes
    of a larger one built with the same seed: the same paragraph exists in both.
    """
    rng = random.Random(f"notes-{plan.seed}")
    vocabulary = plan.vocabulary
    every = max(1, round(1 / LARGE_TOPIC_SHARE))
    others = [index for index in range(plan.topics) if index != plan.large_topic] or [0]
    two_years = 2 * 365 * 24 * 3600
    for number in range(1, plan.notes + 1):
        # Every hundredth note goes to the large topic; the rest are spread evenly at random.
        topic = plan.large_topic if number % every == 0 else rng.choice(others)
        title_words = vocabulary.draw(rng, rng.randint(3, 7))
        title = " ".join(title_words).replace("_", " ").capitalize()
        body = note_body(rng, vocabulary)
        if rng.random() < RARE_SHARE:
            words = body.split(" ")
            words.insert(rng.randrange(len(words)), RARE_WORD)
            body = " ".join(words)
        tags = json.dumps(rng.sample(TAGS, rng.randint(0, 4)))
        pinned = rng.random() < PINNED_SHARE
        created = stamp_base + timedelta(seconds=rng.randrange(two_years))
        updated = created + timedelta(seconds=rng.randrange(90 * 24 * 3600))
        yield (
            number, topic + 1, title, body, tags, pinned, "user",
            to_db_time(created), to_db_time(updated),
        )  # fmt: skip


def note_body(rng: random.Random, vocabulary: Vocabulary) -> str:
    """About 1 KB of sentences in paragraphs: 850 to 1150 characters, cut at a sentence end."""
    target = rng.randint(850, 1150)
    # 200 draws (about 1,600 characters) are more than 1,150 characters need, drawn in one call
    # rather than one per word, since this runs once per note.
    words = vocabulary.draw(rng, 200)
    paragraphs: list[str] = []
    sentences: list[str] = []
    length = 0
    start = 0
    while length < target and start < len(words):
        count = rng.randint(6, 16)
        sentence = " ".join(words[start : start + count])
        start += count
        sentences.append(sentence[:1].upper() + sentence[1:] + ".")
        length += len(sentence) + 2
        if len(sentences) >= 4:
            paragraphs.append(" ".join(sentences))
            sentences = []
    if sentences:
        paragraphs.append(" ".join(sentences))
    return "\n\n".join(paragraphs)


def fill_hub(conn: sqlite3.Connection, plan: HubPlan) -> None:
    """Insert the whole hub; run through Store.write, so it is one transaction."""
    stamp_base = datetime(2024, 1, 1, tzinfo=UTC)
    stamp = to_db_time(stamp_base)
    kinds = dict(CATEGORIES)
    conn.executemany(
        "INSERT INTO categories (id, name, kind, position, origin, created_at, updated_at)"
        " VALUES (?, ?, ?, ?, 'user', ?, ?)",
        (
            (index + 1, name, kinds[name], index, stamp, stamp)
            for index, name in enumerate(plan.category_names)
        ),
    )
    rng = random.Random(f"statuses-{plan.seed}")
    conn.executemany(
        "INSERT INTO topics (id, category_id, name, status, position, origin, created_at,"
        " updated_at) VALUES (?, ?, ?, ?, ?, 'user', ?, ?)",
        (
            (index + 1, category + 1, name, rng.choice(STATUSES), index, stamp, stamp)
            for index, (name, category) in enumerate(
                zip(plan.topic_names, plan.topic_categories, strict=True)
            )
        ),
    )
    fill_notes(conn, note_rows(plan, stamp_base))


# Notes per INSERT ... SELECT from the staging table (about 10 MB of text).
NOTES_PER_STATEMENT = 10_000
# FTS5 keeps the terms it is given in memory and writes them out as a new index segment when they
# exceed this many bytes (1 MiB by default), merging segments as they pile up. The build gives it
# more room, then puts the default back for the app's own writes.
BUILD_FTS_HASH_BYTES = 64 * 1024 * 1024
DEFAULT_FTS_HASH_BYTES = 1024 * 1024
_NOTE_COLUMNS = (
    "id", "topic_id", "title", "body", "tags", "pinned", "origin", "created_at", "updated_at",
)  # fmt: skip


def fill_notes(conn: sqlite3.Connection, rows: Iterator[tuple]) -> None:
    """Insert the notes so that the schema's triggers index them, in a fraction of the naive time.

    The search_index rows and the held_data mark are written by the triggers, as for notes the app
    saves, so the build cost includes indexing. But FTS5 (SQLite 3.40 at least) writes out its
    pending terms at every statement savepoint, and an INSERT that fires a trigger opens one:
    inserting note by note would write one index segment per note and merge them over and over
    (several times slower). So the notes are staged in a temporary table and moved into `notes` by a
    few large INSERT ... SELECT statements. Meanwhile a thread generates the next chunk of notes:
    SQLite releases the GIL while it indexes, so generating and indexing overlap.
    """
    columns = ", ".join(_NOTE_COLUMNS)
    conn.execute(f"CREATE TEMP TABLE staged_notes AS SELECT {columns} FROM notes WHERE 0")
    set_fts_hash_bytes(conn, BUILD_FTS_HASH_BYTES)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="note-rows") as generator:
        chunk = generator.submit(list, islice(rows, NOTES_PER_STATEMENT))
        while batch := chunk.result():
            chunk = generator.submit(list, islice(rows, NOTES_PER_STATEMENT))
            conn.executemany(
                f"INSERT INTO staged_notes VALUES ({', '.join('?' for _ in _NOTE_COLUMNS)})", batch
            )
            conn.execute(f"INSERT INTO notes ({columns}) SELECT {columns} FROM staged_notes")
            conn.execute("DELETE FROM staged_notes")
    set_fts_hash_bytes(conn, DEFAULT_FTS_HASH_BYTES)
    conn.execute("DROP TABLE staged_notes")


def set_fts_hash_bytes(conn: sqlite3.Connection, size: int) -> None:
    # 'hashsize' is an FTS5 setting SQLite's own tests use but does not document: where it is not
    # known the build is only slower.
    with suppress(sqlite3.OperationalError):
        conn.execute(
            "INSERT INTO search_index (search_index, rank) VALUES ('hashsize', ?)", (size,)
        )


def database_bytes(path: Path) -> int:
    # The -wal file is normally gone once the last connection closes, but count it if it is not.
    return sum(
        candidate.stat().st_size
        for candidate in (path, path.with_name(path.name + "-wal"))
        if candidate.exists()
    )


# What the file's bytes are spent on: the note text is stored twice, in `notes` and in the FTS5
# table's own copy (migration 2 keeps no external content), and the inverted index holds every word
# once more for each prefix length it indexes.
STORAGE_PARTS = {
    "notes": "notes table",
    "notes_by_topic": "notes index",
    "search_index_content": "search text copy",
    "search_index_data": "search index",
}


def storage_breakdown(path: Path) -> dict[str, int] | None:
    """Bytes per table or index, from SQLite's dbstat table; None where it is not compiled in."""
    uri = path.resolve().as_uri() + "?mode=ro"
    try:
        with closing(sqlite3.connect(uri, uri=True)) as conn:
            sizes = dict(conn.execute("SELECT name, pgsize FROM dbstat WHERE aggregate = 1"))
    except sqlite3.Error:
        return None
    parts = {label: sizes.pop(name, 0) for name, label in STORAGE_PARTS.items()}
    parts["everything else"] = sum(sizes.values())
    return parts


@dataclass
class Hub:
    label: str
    plan: HubPlan
    path: Path
    store: Store
    build_seconds: float
    file_bytes: int
    large_topic_id: int
    typical_topic_id: int
    topic_note_counts: dict[int, int]
    storage: dict[str, int] | None

    def describe(self) -> dict:
        return {
            "notes": self.plan.notes,
            "topics": self.plan.topics,
            "categories": len(self.plan.category_names),
            "build_seconds": self.build_seconds,
            "file_bytes": self.file_bytes,
            "storage_bytes": self.storage,
            "large_topic": {
                "id": self.large_topic_id,
                "notes": self.topic_note_counts.get(self.large_topic_id, 0),
            },
            "typical_topic": {
                "id": self.typical_topic_id,
                "notes": self.topic_note_counts.get(self.typical_topic_id, 0),
            },
            "first_topic": self.plan.first_topic,
        }


def build_hub(label: str, plan: HubPlan, directory: Path) -> Hub:
    path = directory / f"{label}.db"
    start = time.perf_counter()
    store = Store.open(str(path))
    store.write(fill_hub, plan)
    build_seconds = time.perf_counter() - start
    counts: dict[int, int] = dict(
        store.read(
            lambda conn: conn.execute("SELECT topic_id, count(*) FROM notes GROUP BY 1").fetchall()
        )
    )
    large_id = plan.large_topic + 1
    # The typical topic holds the median number of notes (zero included: most topics of a small
    # hub have none); ties go to the lowest id so that the choice is stable.
    others = sorted(
        (counts.get(topic_id, 0), topic_id)
        for topic_id in range(1, plan.topics + 1)
        if topic_id != large_id
    )
    typical_id = others[len(others) // 2][1] if others else large_id
    return Hub(
        label, plan, path, store, build_seconds, database_bytes(path), large_id, typical_id,
        counts, storage_breakdown(path),
    )  # fmt: skip


# --- in-process measurements ---------------------------------------------------------------


@dataclass(frozen=True)
class Measurement:
    key: str
    title: str
    call: Callable[[Hub], object]
    """One timed unit of work; returns what it read (its length is reported as rows)."""
    search_text: str | None = None
    """For the search rows: what the user typed (its match count is reported too)."""


def open_and_read_first_screen(hub: Hub) -> list:
    # A new Store each time: the checks and the migration check of a warm start, as the app's
    # opener does, then the first screen's read.
    store = Store.open(str(hub.path))
    return store.read(queries.categories_with_topics)


def paragraph_of(hub: Hub) -> str:
    body = hub.store.read(
        lambda conn: conn.execute(
            "SELECT body FROM notes WHERE id = ?", (PARAGRAPH_NOTE,)
        ).fetchone()
    )
    if body is None:
        return ""
    # As pasted: a paragraph's first 200 characters, line breaks and a cut-off last word included.
    return body[0][:PARAGRAPH_CHARS]


def searching(text: str) -> Callable[[Hub], object]:
    return lambda hub: hub.store.read(search, text, DEFAULT_LIMIT)


def measurements(paragraph: str) -> list[Measurement]:
    return [
        Measurement(
            "open_first_screen",
            "open + categories_with_topics",
            open_and_read_first_screen,
        ),
        Measurement(
            "notes_large_topic",
            "notes_of_topic, large topic",
            lambda hub: hub.store.read(queries.notes_of_topic, hub.large_topic_id),
        ),
        Measurement(
            "notes_typical_topic",
            "notes_of_topic, typical topic",
            lambda hub: hub.store.read(queries.notes_of_topic, hub.typical_topic_id),
        ),
        Measurement(
            "search_common",
            f"search {COMMON_WORD!r}",
            searching(COMMON_WORD),
            COMMON_WORD,
        ),
        Measurement(
            "search_rare",
            f"search {RARE_PREFIX!r}",
            searching(RARE_PREFIX),
            RARE_PREFIX,
        ),
        Measurement(
            "search_two_words",
            f"search {TWO_WORDS!r}",
            searching(TWO_WORDS),
            TWO_WORDS,
        ),
        Measurement(
            "search_one_letter",
            f"search {ONE_LETTER!r}",
            searching(ONE_LETTER),
            ONE_LETTER,
        ),
        Measurement(
            "search_paragraph",
            f"search {PARAGRAPH_CHARS}-char paragraph",
            searching(paragraph),
            paragraph,
        ),
    ]


@dataclass
class Timings:
    times: list[float] = field(default_factory=list)
    rows: int | None = None
    matches: int | None = None

    def summary(self) -> dict:
        times = self.times
        return {
            "median": statistics.median(times) if times else None,
            "p95": p95(times),
            "min": min(times) if times else None,
            "max": max(times) if times else None,
            "runs": len(times),
            "rows": self.rows,
            "matches": self.matches,
            "times": times,
        }


def p95(times: list[float]) -> float | None:
    if not times:
        return None
    if len(times) == 1:
        return times[0]
    # Inclusive: interpolated between the samples taken, never beyond the slowest one.
    return statistics.quantiles(times, n=20, method="inclusive")[-1]


def count_matches(hub: Hub, text: str) -> int:
    expression = match_expression(text)
    if not expression:
        return 0
    return hub.store.read(
        lambda conn: conn.execute(
            "SELECT count(*) FROM search_index WHERE search_index MATCH ?", (expression,)
        ).fetchone()[0]
    )


def measure(
    measurement: Measurement, hubs: list[Hub], repeat: int, budget: float
) -> dict[str, Timings]:
    """Time the call on every hub, alternating hubs in each round.

    Alternating means a slow spell of the machine hits both hubs alike, so the ratio stays fair.
    Rounds stop at `repeat`, or earlier once the first (largest) hub has used up `budget` seconds
    and at least MIN_REPEAT rounds are done.
    """
    timings = {hub.label: Timings() for hub in hubs}
    for hub in hubs:
        # Untimed: the first call pays for file pages not yet in the OS cache and statements
        # not yet in the connection's cache; it also gives the row count.
        result = measurement.call(hub)
        timings[hub.label].rows = len(result) if hasattr(result, "__len__") else None
        if measurement.search_text is not None:
            timings[hub.label].matches = count_matches(hub, measurement.search_text)
    gc.collect()
    spent = 0.0
    for round_number in range(repeat):
        if spent >= budget and round_number >= MIN_REPEAT:
            break
        for index, hub in enumerate(hubs):
            start = time.perf_counter()
            measurement.call(hub)
            seconds = time.perf_counter() - start
            timings[hub.label].times.append(seconds)
            if index == 0:
                spent += seconds
    return timings


def query_plans(measurement: Measurement, hub: Hub) -> list[dict]:
    """The statements the call runs and SQLite's plan for each (EXPLAIN QUERY PLAN).

    The statements are captured by tracing one call rather than copied from src/, so the plans
    are those of the queries as they are now.
    """
    statements: list[str] = []
    real_connect = hub.store.connect

    def traced_connect() -> sqlite3.Connection:
        conn = real_connect()
        conn.set_trace_callback(statements.append)
        return conn

    # Only this store object is patched, and only for one call.
    hub.store.connect = traced_connect  # type: ignore[method-assign]
    try:
        if measurement.key == "open_first_screen":
            hub.store.read(queries.categories_with_topics)
        else:
            measurement.call(hub)
    finally:
        del hub.store.connect
    plans = []
    with closing(hub.store.connect()) as conn:
        for statement in statements:
            words = statement.split(None, 1)
            if not words or words[0].upper() not in ("SELECT", "WITH"):
                continue  # BEGIN, ROLLBACK, PRAGMA
            if "'main'." in statement:
                continue  # FTS5's own reads of its shadow tables, also traced
            lines = [detail for _, _, _, detail in conn.execute(f"EXPLAIN QUERY PLAN {statement}")]
            plans.append({"sql": " ".join(statement.split()), "plan": lines})
    return plans


# --- the real app under a pty --------------------------------------------------------------


def time_first_screen(hubs: list[Hub], runs: int, timeout: float, scratch: Path) -> dict[str, dict]:
    """Seconds from spawning `nexus-tui --db PATH` until the first topic's name is on screen."""
    results: dict[str, dict] = {
        hub.label: {"times": [], "failures": [], "skipped": None} for hub in hubs
    }
    try:
        argv = nexus_tui_argv()
    except Unavailable as error:
        for result in results.values():
            result["skipped"] = str(error)
        return results

    def start(hub: Hub) -> float:
        user_dirs = Path(tempfile.mkdtemp(prefix=f"app-{hub.label}-", dir=scratch))
        try:
            run = run_to_marker(
                [*argv, "--db", str(hub.path)],
                hub.plan.first_topic,
                child_env(user_dirs),
                size=TERMINAL_SIZE,
                timeout=timeout,
                cwd=PROJECT_ROOT,
            )
            return run.seconds
        finally:
            shutil.rmtree(user_dirs, ignore_errors=True)

    # Untimed first start of each: bytecode caches, and the database files' pages in the OS cache.
    active = []
    for hub in hubs:
        try:
            start(hub)
        except (MarkerNotSeen, OSError) as error:
            record = failure_record(None, error)
            results[hub.label]["failures"].append(record)
            results[hub.label]["skipped"] = "warm-up failed"
            print(
                f"  FAILED first screen, {hub.label} (warm-up): {record['reason']}", file=sys.stderr
            )
            if record["tail"]:
                print(f"  last output: {record['tail']!r}", file=sys.stderr)
        else:
            active.append(hub)
    for round_number in range(1, runs + 1):
        if not active:
            break
        line = []
        # Interleaved, as in the startup benchmark: a slow spell hits both hubs alike.
        for hub in active:
            try:
                seconds = start(hub)
            except (MarkerNotSeen, OSError) as error:
                record = failure_record(round_number, error)
                results[hub.label]["failures"].append(record)
                print(f"  FAILED first screen, {hub.label}: {record['reason']}", file=sys.stderr)
                line.append(f"{hub.label} FAILED")
            else:
                results[hub.label]["times"].append(seconds)
                line.append(f"{hub.label} {seconds:.3f}s")
        print(f"app round {round_number}/{runs}: " + "  ".join(line), file=sys.stderr)
    for result in results.values():
        times = result["times"]
        result.update(
            median=statistics.median(times) if times else None,
            p95=p95(times),
            min=min(times) if times else None,
            max=max(times) if times else None,
            runs=len(times),
        )
    return results


# --- report --------------------------------------------------------------------------------


def ratio(large: float | None, small: float | None) -> float | None:
    if large is None or small is None or small <= 0:
        return None
    return large / small


def format_ms(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    milliseconds = seconds * 1000
    if milliseconds >= 100:
        return f"{milliseconds:.0f}"
    if milliseconds >= 10:
        return f"{milliseconds:.1f}"
    return f"{milliseconds:.2f}"


def format_count(value: int | None) -> str:
    return "-" if value is None else f"{value:,}"


def format_mb(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"


def print_table(hubs: list[Hub], rows: list[dict], first_screen: dict, app_runs: int) -> None:
    large, small = hubs
    print(
        f"Scale: {large.plan.notes:,} vs {small.plan.notes:,} notes, {large.plan.topics:,} topics "
        f"in {len(large.plan.category_names)} categories (seed {large.plan.seed}, "
        f"SQLite {sqlite3.sqlite_version}, Python {platform.python_version()})"
    )
    for hub in hubs:
        print(
            f"  {hub.plan.notes:,} notes: built in {hub.build_seconds:.2f} s, "
            f"{format_mb(hub.file_bytes)}; large topic "
            f"{hub.topic_note_counts.get(hub.large_topic_id, 0):,} notes, typical topic "
            f"{hub.topic_note_counts.get(hub.typical_topic_id, 0):,}"
        )
        if hub.storage:
            print(
                "    "
                + ", ".join(f"{name} {format_mb(size)}" for name, size in hub.storage.items())
            )
    print()
    name_width = max(len(row["title"]) for row in rows) + 2
    name_width = max(name_width, 30)
    groups = (
        f"{'':<{name_width}}{f'{large.plan.notes:,} notes (ms)':>27}"
        f"{f'{small.plan.notes:,} notes (ms)':>27}"
    )
    header = (
        f"{'measurement':<{name_width}}"
        + f"{'median':>9}{'p95':>9}{'rows':>9}" * 2
        + f"{'ratio':>8}{'n':>4}"
    )
    print(groups)
    print(header)
    print("-" * len(header))
    for row in rows:
        cells = ""
        for hub in hubs:
            stats = row[hub.label]
            shown = stats["rows"]
            if stats.get("matches") is not None:
                # Results shown (at most the limit) are less telling than how many matched.
                shown = stats["matches"]
            cells += (
                f"{format_ms(stats['median']):>9}{format_ms(stats['p95']):>9}"
                f"{format_count(shown):>9}"
            )
        factor = row["ratio"]
        print(
            f"{row['title']:<{name_width}}{cells}"
            f"{'-' if factor is None else f'{factor:.1f}x':>8}{row[large.label]['runs']:>4}"
        )
    cells = ""
    for hub in hubs:
        result = first_screen[hub.label]
        cells += f"{format_ms(result['median']):>9}{format_ms(result['p95']):>9}{'':>9}"
    factor = ratio(first_screen[large.label]["median"], first_screen[small.label]["median"])
    print(
        f"{'app: first screen with data':<{name_width}}{cells}"
        f"{'-' if factor is None else f'{factor:.2f}x':>8}"
        f"{first_screen[large.label]['runs']:>4}"
    )
    print(
        "rows: categories or notes read; for search, items matching (results returned are capped "
        f"at {DEFAULT_LIMIT}). ratio: median {large.plan.notes:,} / median {small.plan.notes:,}. "
        "n: timed rounds."
    )
    for hub in hubs:
        result = first_screen[hub.label]
        if result["skipped"]:
            print(f"app on the {hub.label} hub: not timed, {result['skipped']}")
        elif result["failures"]:
            print(f"app on the {hub.label} hub: {len(result['failures'])} failed run(s)")


def print_plans(plans: dict[str, list[dict]]) -> None:
    print()
    print("Query plans (EXPLAIN QUERY PLAN on the large hub):")
    for key, statements in plans.items():
        for statement in statements:
            print(f"  {key}: {statement['sql'][:90]}")
            for line in statement["plan"]:
                print(f"      {line}")


# --- command line --------------------------------------------------------------------------


def positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {text!r}")
    return value


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--notes",
        type=positive,
        default=DEFAULT_NOTES,
        help=f"notes in the large hub (default {DEFAULT_NOTES:,})",
    )
    parser.add_argument(
        "--small-notes",
        type=positive,
        default=DEFAULT_SMALL_NOTES,
        help=f"notes in the small hub to compare with (default {DEFAULT_SMALL_NOTES})",
    )
    parser.add_argument(
        "--topics",
        type=positive,
        default=DEFAULT_TOPICS,
        help=f"topics in both hubs (default {DEFAULT_TOPICS:,})",
    )
    parser.add_argument(
        "--seed", type=int, default=DEFAULT_SEED, help=f"random seed (default {DEFAULT_SEED})"
    )
    parser.add_argument(
        "--repeat",
        type=positive,
        default=DEFAULT_REPEAT,
        help=f"timed rounds per measurement (default {DEFAULT_REPEAT}; "
        f"at least {MIN_REPEAT} when one call is slow, see --budget)",
    )
    parser.add_argument(
        "--budget",
        type=float,
        default=DEFAULT_BUDGET,
        help="seconds per measurement on the large hub after which no new round starts, "
        f"once {MIN_REPEAT} are done (default {DEFAULT_BUDGET:g})",
    )
    parser.add_argument(
        "--app-runs",
        type=int,
        default=DEFAULT_APP_RUNS,
        help=f"timed app starts per hub; 0 skips the app (default {DEFAULT_APP_RUNS})",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=DEFAULT_TIMEOUT,
        help=f"seconds to wait for the app's first screen (default {DEFAULT_TIMEOUT:g})",
    )
    parser.add_argument("--plans", action="store_true", help="also print the query plans")
    parser.add_argument(
        "--keep",
        type=Path,
        metavar="DIR",
        help="build the databases in DIR (created if needed) and keep them",
    )
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the results here")


def run(args: argparse.Namespace) -> int:
    if args.small_notes >= args.notes:
        print("--small-notes must be smaller than --notes", file=sys.stderr)
        return 2
    if args.app_runs < 0:
        print("--app-runs must not be negative", file=sys.stderr)
        return 2
    started = time.perf_counter()
    scratch = Path(tempfile.mkdtemp(prefix="nexus-tui-scale-"))
    try:
        directory = scratch
        if args.keep:
            directory = args.keep
            directory.mkdir(parents=True, exist_ok=True)
            for label in ("large", "small"):
                stale = directory / f"{label}.db"
                for suffix in ("", "-wal", "-shm"):
                    path = stale.with_name(stale.name + suffix)
                    path.unlink(missing_ok=True)
        vocabulary = Vocabulary.make(args.seed)
        hubs = []
        for label, notes in (("large", args.notes), ("small", args.small_notes)):
            print(f"building the {label} hub ({notes:,} notes)", file=sys.stderr)
            plan = build_plan(notes, args.topics, args.seed, vocabulary)
            hubs.append(build_hub(label, plan, directory))
        paragraph = paragraph_of(hubs[0])
        rows = []
        plans: dict[str, list[dict]] = {}
        for measurement in measurements(paragraph):
            print(f"measuring {measurement.title}", file=sys.stderr)
            timings = measure(measurement, hubs, args.repeat, args.budget)
            row = {
                "key": measurement.key,
                "title": measurement.title,
                "query": measurement.search_text,
                **{label: timing.summary() for label, timing in timings.items()},
            }
            row["ratio"] = ratio(row["large"]["median"], row["small"]["median"])
            rows.append(row)
            plans[measurement.key] = query_plans(measurement, hubs[0])
        if args.app_runs:
            print("timing the app's first screen", file=sys.stderr)
            first_screen = time_first_screen(hubs, args.app_runs, args.timeout, scratch)
        else:
            first_screen = {
                hub.label: {
                    "times": [], "failures": [], "skipped": "--app-runs 0", "median": None,
                    "p95": None, "min": None, "max": None, "runs": 0,
                }
                for hub in hubs
            }  # fmt: skip
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    print_table(hubs, rows, first_screen, args.app_runs)
    if args.plans:
        print_plans(plans)
    total = time.perf_counter() - started
    print(f"total {total:.0f} s", file=sys.stderr)
    if args.json:
        report = {
            "hubs": {hub.label: hub.describe() for hub in hubs},
            "measurements": rows,
            "first_screen": {
                **first_screen,
                "ratio": ratio(first_screen["large"]["median"], first_screen["small"]["median"]),
                "marker": hubs[0].plan.first_topic,
                "terminal": {
                    "columns": TERMINAL_SIZE[0],
                    "rows": TERMINAL_SIZE[1],
                    "term": TERM,
                },
            },
            "plans": plans,
            "settings": {
                "seed": args.seed,
                "repeat": args.repeat,
                "min_repeat": MIN_REPEAT,
                "budget": args.budget,
                "app_runs": args.app_runs,
                "timeout": args.timeout,
                "search_limit": DEFAULT_LIMIT,
            },
            "total_seconds": total,
            "python": platform.python_version(),
            "sqlite": sqlite3.sqlite_version,
            "machine": machine(),
            "packages": {name: package_version(name) for name in ("textual", "nexus-tui")},
        }
        args.json.write_text(json.dumps(report, indent=2) + "\n")
    failed = any(first_screen[hub.label]["failures"] for hub in hubs)
    return 1 if failed else 0
