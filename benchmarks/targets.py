"""Targets benchmark: the figures nexus-tui is held to, measured in one run on a synthetic hub.

Builds a hub of --notes notes (default 100,000; about 1 KB of Zipf-distributed words each, tags,
1,000 topics, one topic holding 1% of the notes: see `benchmarks.scale`) in a temporary directory,
then measures on this machine:

- first_screen_ratio: process start to the first screen painted with data, `nexus-tui --db HUB`
  under a 120x40 pty, divided by the same for the bare Textual app (header, footer, one label);
  the two alternate, one untimed warm-up start of each first, and each figure is the median of
  --runs starts.
- search_p50_ms, search_p95_ms: --searches calls of the store's `search` (limit 50), each in its
  own read transaction on one connection kept open (`Store.read_on`), as the search dialog runs
  them; the queries are what users type (see `typical_queries`).
- search_to_paint_p95_ms: in `App.run_test` (120x40) on the hub, with the search dialog open, the
  time from a key typed into the search box to the frame that shows that query's results (the
  dialog searches at once when no search is running).
- keypress_p95_ms: in the same app, on the Topics screen, the large topic's notes list focused,
  the time from a `down` press to the frame that shows the cursor on the next note.
- rss_mb: the peak resident memory (Linux VmHWM, in MiB) of `nexus-tui --db HUB` a moment after
  its first screen.

With --db URL (a PostgreSQL database) the hub is built in SQLite as always, then copied whole into
a new schema of that database (`store.copy.copy_hub`), vacuumed and analysed, and every figure but
the bare app's is measured on the copy; the schema is dropped at the end unless --keep.

The JSON report (--json) holds exactly these keys plus `notes` and `machine`; the table printed
also shows each target and whether it is met. Targets are what to aim at, not pass/fail checks:
the exit status is 1 only when a measurement could not be made.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import random
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.pty_timing import MarkerNotSeen
from benchmarks.scale import Hub, Vocabulary, build_hub, build_plan, p95
from benchmarks.startup import (
    KINDS_BY_KEY,
    TERMINAL_SIZE,
    Kind,
    Unavailable,
    machine,
    nexus_tui_argv,
    run_benchmark,
    start,
)
from nexus_tui.store import Store
from nexus_tui.store.database import is_postgres_url
from nexus_tui.store.search import DEFAULT_LIMIT, search

DEFAULT_NOTES = 100_000
# The large topic holds every hundredth note; the keypress figure needs it to hold two at least.
MIN_NOTES = 200
DEFAULT_TOPICS = 1000
DEFAULT_SEED = 1
DEFAULT_RUNS = 7
DEFAULT_SEARCHES = 200
DEFAULT_KEYSTROKES = 50
DEFAULT_PRESSES = 100
DEFAULT_TIMEOUT = 20.0
# Seconds the app runs after its first screen before its peak memory is read: the workers that
# fill the rest of the screen (the first topic's notes, the note itself) are done by then.
MEMORY_LINGER = 1.5
# Untimed calls or key presses before the timed ones: imports, caches, the first layout.
WARM_UP = 5
# Seconds to wait for a frame that shows a key press's effect before giving up.
PAINT_TIMEOUT = 10.0

# Share of queries that end in a word being typed: its first 2-5 letters, a prefix search.
PREFIX_SHARE = 0.4
PREFIX_LETTERS = (2, 5)


@dataclass(frozen=True)
class Target:
    key: str
    limit: float | None
    """The most the figure may be; None for a figure shown for context only."""
    unit: str
    digits: int
    """Decimals shown in the table (the JSON keeps one more)."""


TARGETS = (
    Target("first_screen_ratio", 1.3, "", 2),
    Target("search_p50_ms", None, "ms", 2),
    Target("search_p95_ms", 10, "ms", 2),
    Target("search_to_paint_p95_ms", 50, "ms", 1),
    Target("keypress_p95_ms", 16, "ms", 1),
    Target("rss_mb", 150, "MiB", 1),
)


@dataclass
class Figures:
    """Everything measured, in seconds and KiB; the report derives the figures from it."""

    build_seconds: float = 0.0
    schema_seconds: float | None = None
    """Making the PostgreSQL schema and its tables (--db)."""
    copy_seconds: float | None = None
    """Copying the built hub into those tables (`copy_hub`)."""
    vacuum_seconds: float | None = None
    """VACUUM ANALYZE of the copy's tables."""
    first_screen: dict[str, list[float]] = field(default_factory=dict)
    searches: list[float] = field(default_factory=list)
    typing: list[float] = field(default_factory=list)
    """Key typed into the search box to its results painted."""
    search_started_to_paint: list[float] = field(default_factory=list)
    """The search starting to its results painted."""
    presses: list[float] = field(default_factory=list)
    """`down` pressed in the notes list to the cursor painted on the next note."""
    presses_settled: list[float] = field(default_factory=list)
    """The same press to the last frame it caused (the note shown beside the list)."""
    peak_memory_kb: int | None = None
    failures: list[str] = field(default_factory=list)


# --- what users type -----------------------------------------------------------------------


def typical_queries(vocabulary: Vocabulary, seed: str, count: int) -> list[str]:
    """Search text as users type it: one or two words of the hub's vocabulary, the last one often
    half typed.

    Each word of the vocabulary is as likely as any other: users look for the words that tell
    notes apart, not for the handful so common that every note has them (the commonest words are
    drawn all the same, as often as the rarest). In PREFIX_SHARE of the queries the last word is
    cut to its first 2-5 letters, a prefix search; a two-letter prefix matches many words.
    """
    rng = random.Random(f"queries-{seed}")
    queries = []
    for _ in range(count):
        words = [rng.choice(vocabulary.words) for _ in range(rng.choice((1, 2)))]
        if rng.random() < PREFIX_SHARE:
            words[-1] = words[-1][: rng.randint(*PREFIX_LETTERS)]
        queries.append(" ".join(words))
    return queries


# --- where the hub is measured ------------------------------------------------------------


@dataclass
class HubUnderTest:
    """The synthetic hub and the store every figure is measured on: the SQLite file it was built
    in, or its copy in a PostgreSQL schema."""

    hub: Hub
    location: str
    """What `--db` gets: the SQLite file's path or the schema's URL."""
    store: Store
    kind: str
    """"sqlite" or "postgresql"."""
    version: str
    """The SQLite library's or the PostgreSQL server's version."""
    shown: str
    """The store, as the report shows it (never a password)."""
    schema: str | None = None
    """The PostgreSQL schema made for this run."""


def sqlite_hub(hub: Hub) -> HubUnderTest:
    import sqlite3

    version = sqlite3.sqlite_version
    return HubUnderTest(
        hub, str(hub.path), hub.store, "sqlite", version, f"SQLite {version}, {hub.path}"
    )


def schema_url(base: str, schema: str) -> str:
    """`base` with `schema` first on its search path (libpq's `options`), and the schema as the
    connections' application name, so the ones left open can be found and ended at the end."""
    separator = "&" if "?" in base else "?"
    return f"{base}{separator}options=-csearch_path%3D{schema},public&application_name={schema}"


def on_server(base: str, *statements: str) -> list[tuple]:
    """Run statements in autocommit on the server of `base`; the last one's rows."""
    import psycopg

    from nexus_tui.store.postgres import libpq_url

    rows: list[tuple] = []
    with psycopg.connect(libpq_url(base), autocommit=True) as conn:
        for statement in statements:
            cursor = conn.execute(statement)
            rows = cursor.fetchall() if cursor.description else []
    return rows


def copy_to_postgres(hub: Hub, base: str, figures: Figures) -> HubUnderTest:
    """The hub copied into a new schema of the database at `base`, vacuumed and analysed.

    Autovacuum gets to 100,000 new rows only a minute or more after they are written; until
    then the planner has no statistics (it guessed 40 matches for a query matching 2,000, and
    chose plans several times slower) and the full-text index's pending list is still unmerged.
    The figures are meant for a hub in use, so the copy is brought to that state first.
    """
    from nexus_tui.store.copy import TABLES, copy_hub
    from nexus_tui.store.postgres import redacted

    schema = f"bench_{uuid.uuid4().hex[:12]}"
    started = time.perf_counter()
    (version,) = on_server(base, f"CREATE SCHEMA {schema}", "SHOW server_version")[0]
    url = schema_url(base, schema)
    try:
        store = Store.open(url)
        figures.schema_seconds = time.perf_counter() - started
        started = time.perf_counter()
        copy_hub(hub.store, store)
        figures.copy_seconds = time.perf_counter() - started
        started = time.perf_counter()
        tables = ", ".join(f"{schema}.{table}" for table in (*TABLES, "search_index"))
        on_server(base, f"VACUUM (ANALYZE) {tables}")
        figures.vacuum_seconds = time.perf_counter() - started
    except BaseException:
        drop_schema(base, schema)
        raise
    shown = f"PostgreSQL {version}, schema {schema} in {redacted(base)}"
    return HubUnderTest(hub, url, store, "postgresql", version, shown, schema)


def drop_schema(base: str, schema: str) -> None:
    on_server(
        base,
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
        f"WHERE application_name = '{schema}' AND pid <> pg_backend_pid()",
        f"DROP SCHEMA {schema} CASCADE",
    )


# --- the store -----------------------------------------------------------------------------


def time_store_searches(store: Store, queries: list[str], warm_up: list[str]) -> list[float]:
    """Seconds per `search` call, as the search dialog runs them: on one connection it keeps
    open (`Store.read_on`), one read transaction per search."""
    from contextlib import closing

    with closing(store.connect()) as conn:
        for text in warm_up:
            store.read_on(conn, search, text, DEFAULT_LIMIT)
        gc.collect()
        times = []
        for text in queries:
            started = time.perf_counter()
            store.read_on(conn, search, text, DEFAULT_LIMIT)
            times.append(time.perf_counter() - started)
    return times


# --- the app under a pty -------------------------------------------------------------------


def hub_kind(target: HubUnderTest) -> Kind:
    """nexus-tui on the hub, in user directories of its own; done when the first topic shows."""
    return Kind(
        "hub",
        "hub",
        f"nexus-tui, {target.hub.plan.notes:,} notes ({target.kind})",
        lambda: [*nexus_tui_argv(), "--db", target.location],
        target.hub.plan.first_topic,
        own_user_dirs=True,
    )


def time_first_screens(hub: HubUnderTest, runs: int, timeout: float, figures: Figures) -> None:
    bare, app = KINDS_BY_KEY["bare"], hub_kind(hub)
    samples = run_benchmark([bare, app], runs, timeout, warmup=True)
    for kind in (bare, app):
        figures.first_screen[kind.key] = samples[kind.key].times
        if samples[kind.key].skipped or samples[kind.key].failures:
            figures.failures.append(
                f"{kind.title}: {len(samples[kind.key].failures)} failed start(s)"
            )


def measure_peak_memory(hub: HubUnderTest, scratch: Path, timeout: float, figures: Figures) -> None:
    try:
        run = start(hub_kind(hub), scratch, timeout, linger=MEMORY_LINGER, measure_memory=True)
    except (MarkerNotSeen, Unavailable, OSError) as error:
        figures.failures.append(f"peak memory: {error}")
        return
    figures.peak_memory_kb = run.peak_memory_kb
    if run.peak_memory_kb is None:
        figures.failures.append("peak memory: not available on this system (needs /proc)")


# --- the app in run_test -------------------------------------------------------------------


@contextmanager
def app_process_settings() -> Iterator[None]:
    """Run the in-process app as `nexus_tui.cli.run_app` runs it: a 1 ms thread switch interval
    (so the message loop and the store workers take turns as in the real app), and the objects
    that exist by now set aside from the garbage collector, as the app does after its imports."""
    interval = sys.getswitchinterval()
    gc.collect()
    gc.freeze()
    sys.setswitchinterval(0.001)
    try:
        yield
    finally:
        sys.setswitchinterval(interval)
        gc.unfreeze()


def measure_in_app(
    target: HubUnderTest,
    scratch: Path,
    keystrokes: int,
    presses: int,
    typed: list[str],
    figures: Figures,
) -> None:
    from nexus_tui.app import NexusApp
    from nexus_tui.config import AppPaths

    root = scratch / "in-app"
    paths = AppPaths(
        data_dir=root / "data",
        config_file=root / "config" / "config.toml",
        cache_dir=root / "cache",
        state_dir=root / "state",
        log_dir=root / "state" / "log",
        database=target.location,
    )
    with app_process_settings():
        try:
            asyncio.run(
                run_in_app(NexusApp(paths), target.hub, keystrokes, presses, typed, figures)
            )
        except Exception as error:  # a frame that never came, or the app's own failure
            figures.failures.append(f"in-app measurements: {error!r}")


async def run_in_app(
    app, hub: Hub, keystrokes: int, presses: int, typed: list[str], figures: Figures
) -> None:
    from benchmarks.paint_timing import FrameTimer

    timer = FrameTimer(app)
    async with app.run_test(size=TERMINAL_SIZE) as pilot:
        await timer.settle()
        figures.presses, figures.presses_settled = await time_moving_down(
            pilot, timer, hub, presses
        )
        figures.typing, figures.search_started_to_paint = await time_search_typing(
            pilot, timer, typed, keystrokes
        )


async def wait_until(condition, timeout: float = PAINT_TIMEOUT) -> None:
    deadline = time.perf_counter() + timeout
    while not condition():
        if time.perf_counter() > deadline:
            raise TimeoutError("the app did not get there in time")
        await asyncio.sleep(0.005)


async def time_moving_down(pilot, timer, hub: Hub, presses: int) -> tuple[list[float], list[float]]:
    """Seconds from each `down` press in the large topic's notes list to the frame showing the
    cursor one note further, and to the last frame of the change (the note read and shown).

    Presses are spaced out: each comes once the screen is still again, so each figure is one
    key's cost, not a queue of them. The first few presses warm up and are not timed.
    """
    topics = pilot.app.screen
    topics.reveal("topic", hub.large_topic_id)
    notes = topics.query_one("#note-list")
    expected = hub.topic_note_counts[hub.large_topic_id]
    await wait_until(lambda: notes.row_count == expected)
    notes.focus()
    await timer.settle()
    warm_up = min(WARM_UP, presses)
    repaint: list[float] = []
    settled: list[float] = []
    for number in range(warm_up + presses):
        if notes.highlighted is None or notes.highlighted >= notes.row_count - 1:
            # At the end of the list: start again at the top (untimed).
            notes.highlighted = 0
            await timer.settle()
        target = notes.highlighted + 1
        timing = await timer.press("down", lambda target=target: notes.highlighted == target)
        await timer.settle()
        if number >= warm_up:
            repaint.append(timing.seconds)
            settled.append(timer.last_frame - timing.pressed)
    return repaint, settled


async def time_search_typing(
    pilot, timer, queries: list[str], keystrokes: int
) -> tuple[list[float], list[float]]:
    """Type the queries into the search box one key at a time, emptying the box between queries.
    For each key, the seconds from the press to the frame showing that text's results, and from
    the search starting to that frame.

    Each key comes once the previous one's results are on screen and the screen is still, as
    when the user reads them. The first few keys warm up and are not timed.
    """
    app = pilot.app
    await pilot.press("slash")
    await timer.settle()
    dialog = app.screen
    box = dialog.query_one("#search-input")
    shown: list[str] = []
    """Each text whose results the dialog put on screen, in order."""
    started: dict[str, float] = {}
    """When the search for each text started."""
    show_results, run_search = dialog.show_results, dialog.run_search

    def recorded_show_results(text, results) -> None:
        show_results(text, results)
        if text == box.value:  # otherwise dropped as out of date
            shown.append(text)

    def recorded_run_search(text):
        started[text] = time.perf_counter()
        return run_search(text)

    # Only this dialog instance is changed: it looks both up on itself at each call.
    dialog.show_results = recorded_show_results
    dialog.run_search = recorded_run_search

    warm_up = min(WARM_UP, keystrokes)
    keys = [
        (query[:end], query[end - 1], end == 1)
        for query in queries
        for end in range(1, len(query) + 1)
    ][: warm_up + keystrokes]
    user_seen: list[float] = []
    started_to_paint: list[float] = []
    for number, (text, key, new_query) in enumerate(keys):
        if new_query and box.value:
            box.value = ""
            await wait_until(lambda: bool(shown) and shown[-1] == "")
            await timer.settle()
        before = len(shown)
        timing = await timer.press(
            key, lambda text=text, before=before: len(shown) > before and shown[-1] == text
        )
        if number >= warm_up:
            user_seen.append(timing.seconds)
            started_to_paint.append(timing.painted - started[text])
        await timer.settle()
    return user_seen, started_to_paint


# --- report --------------------------------------------------------------------------------


def milliseconds(seconds: float | None) -> float | None:
    return None if seconds is None else seconds * 1000


def median(times: list[float]) -> float | None:
    return statistics.median(times) if times else None


def report(figures: Figures, notes: int, target: HubUnderTest) -> dict:
    """The JSON report: exactly the target keys, `notes` and `machine` (which says which store the
    figures were measured on); null where not measured."""
    first = figures.first_screen
    values = {
        "first_screen_ratio": ratio_of(first.get("hub", []), first.get("bare", [])),
        "search_p50_ms": milliseconds(median(figures.searches)),
        "search_p95_ms": milliseconds(p95(figures.searches)),
        "search_to_paint_p95_ms": milliseconds(p95(figures.typing)),
        "keypress_p95_ms": milliseconds(p95(figures.presses)),
        "rss_mb": None if figures.peak_memory_kb is None else figures.peak_memory_kb / 1024,
    }
    digits = {target.key: target.digits + 1 for target in TARGETS}
    rounded = {
        key: None if value is None else round(value, digits[key]) for key, value in values.items()
    }
    measured_on = {"store": target.kind, "store_version": target.version}
    return {**rounded, "notes": notes, "machine": {**machine(), **measured_on}}


def ratio_of(times: list[float], baseline: list[float]) -> float | None:
    if not times or not baseline:
        return None
    return statistics.median(times) / statistics.median(baseline)


def details(figures: Figures) -> dict[str, str]:
    """What each figure rests on, for the table's last column."""
    first = figures.first_screen
    app_median, bare_median = median(first.get("hub", [])), median(first.get("bare", []))
    shown = {}
    if app_median is not None and bare_median is not None:
        shown["first_screen_ratio"] = (
            f"nexus-tui {app_median:.3f} s / bare app {bare_median:.3f} s, medians of "
            f"{min(len(first['hub']), len(first['bare']))} starts"
        )
    if figures.searches:
        shown["search_p50_ms"] = f"{len(figures.searches)} searches, one connection (as the dialog)"
        shown["search_p95_ms"] = f"slowest {milliseconds(max(figures.searches)):.1f}"
    if figures.typing:
        shown["search_to_paint_p95_ms"] = (
            f"p50 {milliseconds(median(figures.typing)):.1f}; from the search starting p50 "
            f"{milliseconds(median(figures.search_started_to_paint)):.1f}, p95 "
            f"{milliseconds(p95(figures.search_started_to_paint)):.1f} ({len(figures.typing)} keys)"
        )
    if figures.presses:
        shown["keypress_p95_ms"] = (
            f"p50 {milliseconds(median(figures.presses)):.1f}; to the note shown p50 "
            f"{milliseconds(median(figures.presses_settled)):.0f}, p95 "
            f"{milliseconds(p95(figures.presses_settled)):.0f} ({len(figures.presses)} presses)"
        )
    if figures.peak_memory_kb is not None:
        shown["rss_mb"] = f"peak resident, {MEMORY_LINGER:g} s after the first screen"
    return shown


def print_table(values: dict, figures: Figures, plan_lines: list[str]) -> None:
    for line in plan_lines:
        print(line)
    header = f"{'figure':<24}{'measured':>10}{'target':>12}{'met':>5}   details"
    print(header)
    print("-" * 100)
    shown = details(figures)
    for target in TARGETS:
        value = values[target.key]
        measured = "-" if value is None else f"{value:.{target.digits}f}"
        limit = "" if target.limit is None else f"<= {target.limit:g} {target.unit}".strip()
        if target.limit is None:
            met = ""
        elif value is None:
            met = "?"
        else:
            met = "yes" if value <= target.limit else "NO"
        print(f"{target.key:<24}{measured:>10}{limit:>12}{met:>5}   {shown.get(target.key, '')}")
    for failure in figures.failures:
        print(f"not measured: {failure}")


# --- command line --------------------------------------------------------------------------


def at_least(minimum: int):
    def parse(text: str) -> int:
        value = int(text)
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be at least {minimum}, not {text!r}")
        return value

    return parse


# Options that count something: (option, least value, default, what it counts).
COUNT_OPTIONS = (
    ("--notes", MIN_NOTES, DEFAULT_NOTES, "notes in the hub"),
    ("--topics", 2, DEFAULT_TOPICS, "topics in the hub"),
    ("--runs", 1, DEFAULT_RUNS, "timed starts of each app for first_screen_ratio"),
    ("--searches", 1, DEFAULT_SEARCHES, "store-level searches"),
    ("--keystrokes", 1, DEFAULT_KEYSTROKES, "keys typed into the search box, timed"),
    ("--presses", 1, DEFAULT_PRESSES, "down presses in the notes list, timed"),
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    for option, least, default, what in COUNT_OPTIONS:
        parser.add_argument(
            option,
            type=at_least(least),
            default=default,
            help=f"{what} (default {default:,}, at least {least})",
        )
    parser.add_argument(
        "--seed", type=int, default=DEFAULT_SEED, help=f"random seed (default {DEFAULT_SEED})"
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=DEFAULT_TIMEOUT,
        help=f"seconds to wait for an app's first screen (default {DEFAULT_TIMEOUT:g})",
    )
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the figures here")
    parser.add_argument(
        "--db",
        metavar="URL",
        help="measure on PostgreSQL: the hub is copied into a new schema of this database "
        "(postgresql+psycopg://user@host/db), dropped at the end unless --keep",
    )
    parser.add_argument(
        "--keep",
        action="store_true",
        help="keep the temporary directory with the hub (and the PostgreSQL schema with --db)",
    )


def run(args: argparse.Namespace) -> int:
    if args.db is not None and not is_postgres_url(args.db):
        print("--db takes a PostgreSQL URL (postgresql+psycopg://user@host/db)", file=sys.stderr)
        return 2
    started = time.perf_counter()

    def progress(message: str) -> None:
        print(f"[{time.perf_counter() - started:5.1f} s] {message}", file=sys.stderr)

    scratch = Path(tempfile.mkdtemp(prefix="nexus-tui-targets-"))
    figures = Figures()
    target: HubUnderTest | None = None
    try:
        vocabulary = Vocabulary.make(args.seed)
        plan = build_plan(args.notes, args.topics, args.seed, vocabulary)
        progress(f"building the hub ({args.notes:,} notes)")
        hub = build_hub("hub", plan, scratch)
        figures.build_seconds = hub.build_seconds
        if args.db is None:
            target = sqlite_hub(hub)
        else:
            from nexus_tui.store.postgres import redacted

            progress(f"copying the hub into a new schema of {redacted(args.db)}")
            target = copy_to_postgres(hub, args.db, figures)
        progress(f"measuring on {target.shown}")

        progress("timing store searches")
        queries = typical_queries(vocabulary, f"{args.seed}-store", args.searches)
        warm_up = typical_queries(vocabulary, f"{args.seed}-warm-up", WARM_UP)
        figures.searches = time_store_searches(target.store, queries, warm_up)

        progress("timing the first screen of nexus-tui and of the bare app")
        time_first_screens(target, args.runs, args.timeout, figures)
        progress("reading nexus-tui's peak memory")
        measure_peak_memory(target, scratch, args.timeout, figures)

        progress("timing key presses in the app (run_test)")
        # Enough queries for the keys asked for (and the warm-up), however short they are.
        typed = typical_queries(vocabulary, f"{args.seed}-typed", WARM_UP + args.keystrokes)
        measure_in_app(target, scratch, args.keystrokes, args.presses, typed, figures)
    finally:
        if args.keep:
            print(f"kept {scratch}", file=sys.stderr)
        else:
            shutil.rmtree(scratch, ignore_errors=True)
        if target is not None and target.schema is not None:
            target.store.close()
            if args.keep:
                from nexus_tui.store.postgres import redacted

                print(
                    f"kept schema {target.schema}: --db '{redacted(target.location)}'",
                    file=sys.stderr,
                )
            else:
                drop_schema(args.db, target.schema)
    values = report(figures, args.notes, target)
    total = time.perf_counter() - started
    built = f"hub built in {figures.build_seconds:.1f} s"
    if figures.copy_seconds is not None:
        built += (
            f", copied into PostgreSQL in {figures.copy_seconds:.1f} s "
            f"(after {figures.schema_seconds:.1f} s making its tables; then VACUUM ANALYZE "
            f"{figures.vacuum_seconds:.1f} s)"
        )
    plan_lines = [
        f"nexus-tui at {args.notes:,} notes, {args.topics:,} topics (seed {args.seed}); "
        f"{built}, whole run {total:.0f} s",
        f"store: {target.shown}",
    ]
    print_table(values, figures, plan_lines)
    if args.json:
        args.json.write_text(json.dumps(values, indent=2) + "\n")
    return 1 if figures.failures else 0
