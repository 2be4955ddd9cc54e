"""The `nexus-tui` command: arguments, sub-commands, and starting the app.

Only what a command needs is imported: `nexus-tui paths` never loads Textual, and the app never
loads SQLAlchemy before its first screen is painted.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from nexus_tui import __version__
from nexus_tui.config import (
    AppPaths,
    ConfigError,
    Settings,
    load_settings,
    load_store_url,
    settings_document,
)

PROG = "nexus-tui"

# Exit statuses shared by every sub-command.
EXIT_OK = 0
EXIT_FAILED = 1
EXIT_ERROR = 2
# What a shell reports for a command stopped by Ctrl-C (128 + SIGINT).
EXIT_CANCELLED = 130


class UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        # One line, not argparse's usage block: what was wrong, and where to read more.
        # A newline typed into an argument must not break the one-line promise.
        message = message.replace("\n", "\\n")
        raise UsageError(f"{message} (see {PROG} --help)")


def _add_common(parser: argparse.ArgumentParser, default: object) -> None:
    parser.add_argument(
        "--db",
        metavar="PATH|URL",
        default=default,
        help="database file, sqlite:/// URL or postgresql:// URL (default: the NEXUS_TUI_DB "
        "environment variable, else [store] url in config.toml, else nexus.db in the data folder)",
    )
    parser.add_argument(
        "--debug",
        action="store_true",
        default=default if default is argparse.SUPPRESS else False,
        help="write a debug log to nexus-tui.log in the log folder",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog=PROG,
        description="A keyboard-first terminal dashboard for your learning hub: topics, notes, "
        "challenges, collaborators and the CI status of your GitHub repositories.",
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    _add_common(parser, None)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    paths = commands.add_parser("paths", help="show where data, config, cache and logs live")
    # SUPPRESS: a sub-command's own copy of an option must not reset a value given before it.
    _add_common(paths, argparse.SUPPRESS)
    config = commands.add_parser(
        "config", help="check the config file and show the settings in effect"
    )
    _add_common(config, argparse.SUPPRESS)
    search = commands.add_parser(
        "search",
        help="search notes, topics, challenges and collaborators",
        description="Search the hub's notes, topics, challenges and collaborators. Every word must "
        "occur, as the start of a word; punctuation and search syntax count as plain text. "
        "Exit status 0 when something was found, 1 when nothing was, 2 on an error.",
    )
    search.add_argument("query", nargs="+", metavar="QUERY", help="words to look for")
    search.add_argument("--json", action="store_true", help="print the results as a JSON list")
    search.add_argument(
        "--limit",
        type=_search_limit,
        default=None,
        metavar="N",
        help="show at most N results (1 to 500; default 50)",
    )
    _add_common(search, argparse.SUPPRESS)
    ci = commands.add_parser(
        "ci",
        help="fetch the CI state of the watched GitHub repositories once",
        description="Ask GitHub once for the state of the watched repositories (or those named "
        "with --repo): the latest run of each workflow on the default branch. Never waits for a "
        "rate limit: such a repository is reported unknown, with the reason. Without network, "
        "the last known state is reported, marked stale. The token comes from GH_TOKEN, "
        "GITHUB_TOKEN or `gh auth token`. Exit status 0 when every repository is green, 1 when "
        "any is failing, 2 otherwise (running, unknown, none watched, or the hub database "
        "unusable).",
    )
    ci.add_argument("--json", action="store_true", help="print the states as a JSON document")
    ci.add_argument(
        "--repo",
        dest="repos",
        action="extend",
        nargs="+",
        type=_repo_argument,
        metavar="OWNER/NAME",
        help="ask about these repositories instead of the watched ones",
    )
    _add_common(ci, argparse.SUPPRESS)
    repo = commands.add_parser(
        "repo",
        help="add, remove or list the watched GitHub repositories",
        description="Edit the watched repositories: the repos list under [github] in "
        "config.toml. Other settings in the file are kept (its comments are not).",
    )
    _add_common(repo, argparse.SUPPRESS)
    actions = repo.add_subparsers(
        dest="repo_action", metavar="ACTION", parser_class=_Parser, required=True
    )
    for action, verb in (("add", "start watching"), ("remove", "stop watching")):
        edit = actions.add_parser(action, help=f"{verb} repositories")
        edit.add_argument("names", nargs="+", type=_repo_argument, metavar="OWNER/NAME")
        _add_common(edit, argparse.SUPPRESS)
    listing = actions.add_parser("list", help="show the watched repositories")
    _add_common(listing, argparse.SUPPRESS)
    importing = commands.add_parser(
        "import",
        help="import a hub README or a JSON backup into the hub",
        description="Import a hub README (markdown, or text copied from a rendered page) or a "
        "JSON backup made by `nexus-tui export --format json`; the file's content tells which. "
        "Adds what the hub lacks and updates what differs; deletes nothing, so importing the "
        "same file again changes nothing. All of it is saved, or none (Ctrl-C cancels). "
        "Exit status 0 on success, 2 on an error, 130 when cancelled.",
    )
    importing.add_argument("source", metavar="PATH", help="the README or backup file")
    importing.add_argument(
        "--dry-run", action="store_true", help="show what would be added or changed; change nothing"
    )
    _add_common(importing, argparse.SUPPRESS)
    export = commands.add_parser(
        "export",
        help="write the hub as a README (markdown) or a complete JSON backup",
        description="Write the whole hub: as a README in the hub's shape (markdown), or as a "
        "JSON backup that `nexus-tui import` restores exactly. To standard output unless -o "
        "names a file, which is replaced only once the export is complete.",
    )
    export.add_argument(
        "--format", required=True, choices=("markdown", "json"), help="markdown or json"
    )
    export.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead")
    _add_common(export, argparse.SUPPRESS)
    restore = commands.add_parser(
        "restore",
        help="list the database's backups, or put one back",
        description="Without an argument, list the backups of the database, newest first: one "
        "is made before each schema migration, import and restore, and the newest "
        "few are kept. With a number from that list (or a backup file), put it in place of the "
        "database after saying what it replaces; what it replaces is backed up first. Exit "
        "status 0 when done, 1 when declined, 2 on an error.",
    )
    restore.add_argument(
        "backup", nargs="?", metavar="N|FILE", help="the backup: its number in the list, or a file"
    )
    restore.add_argument(
        "--yes", action="store_true", help="restore without asking (needed without a terminal)"
    )
    _add_common(restore, argparse.SUPPRESS)
    copy = commands.add_parser(
        "copy",
        help="copy the whole hub into another, empty database (SQLite or PostgreSQL)",
        description="Copy every entry of the hub, with its id, into an empty database: an SQLite "
        "file or a postgresql:// URL (the password may come from PGPASSWORD or ~/.pgpass). One "
        "transaction, with the rows of every table counted on both sides before it is kept: "
        "the copy is whole or not made. Exit status 0 when done, 2 on an error, 130 when "
        "interrupted (nothing kept).",
    )
    copy.add_argument("--to", required=True, metavar="URL", help="the database to copy into")
    _add_common(copy, argparse.SUPPRESS)
    return parser


def _repo_argument(text: str) -> str:
    from nexus_tui.validation import repo_full_name

    name, problem = repo_full_name(text)
    if name is None:
        raise argparse.ArgumentTypeError(problem or "not a repository as owner/name")
    return name


def _search_limit(text: str) -> int:
    # The bounds of store.search, checked here so a bad value is a usage error (exit status 2)
    # before the database is opened. The store module itself is loaded only by the command.
    try:
        value = int(text)
    except ValueError:
        value = 0
    if not 1 <= value <= 500:
        raise argparse.ArgumentTypeError(f"must be a whole number from 1 to 500, not {text!r}")
    return value


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
    except UsageError as error:
        print(f"{PROG}: {error}", file=sys.stderr)
        return EXIT_ERROR
    if args.db == "":
        print(
            f"{PROG}: --db needs a database file, a sqlite:/// URL or a postgresql:// URL "
            f"(see {PROG} --help)",
            file=sys.stderr,
        )
        return EXIT_ERROR
    paths = AppPaths.from_environment(db=args.db)
    if not paths.database_given and args.command != "config":
        try:
            paths = paths.with_store_url(load_store_url(paths.config_file))
        except ConfigError as error:
            # A store URL that is wrong stops every command: it could act on the wrong hub. A
            # file that cannot be read at all names no store: the default file is used, as the
            # app does (it says what is wrong); commands that read settings report the error.
            if args.command is not None and "store.url" in str(error):
                print(f"{PROG}: {error}", file=sys.stderr)
                return EXIT_ERROR
    problem = _location_problem(paths.database)
    if problem is not None:
        print(f"{PROG}: {problem}", file=sys.stderr)
        return EXIT_ERROR
    if args.debug:
        log_file = start_debug_log(paths)
        if log_file is None:
            return EXIT_ERROR
    if args.command == "paths":
        return show_paths(paths)
    if args.command == "config":
        return show_config(paths)
    if args.command == "search":
        return search_hub(paths, " ".join(args.query), args.limit, as_json=args.json)
    if args.command == "ci":
        return ci_report(paths, args.repos or [], as_json=args.json)
    if args.command == "repo":
        return edit_watched_repos(paths, args.repo_action, getattr(args, "names", []))
    if args.command == "import":
        return import_hub(paths, args.source, dry_run=args.dry_run)
    if args.command == "export":
        return export_hub(paths, args.format, args.output)
    if args.command == "restore":
        return restore_hub(paths, args.backup, yes=args.yes)
    if args.command == "copy":
        return copy_to(paths, args.to)
    return run_app(paths)


def shown_location(location: str) -> str:
    """A database location as it may be shown: a server URL without its password."""
    from nexus_tui.store.database import is_postgres_url

    if not is_postgres_url(location):
        return location
    from nexus_tui.store.postgres import redacted

    return redacted(location)


def _location_problem(location: str) -> str | None:
    """Why a postgresql:// URL cannot be used as it is written, in words that leave out its
    password; None when it can be tried."""
    from urllib.parse import urlsplit

    from nexus_tui.store.database import is_postgres_url

    if not is_postgres_url(location):
        return None
    try:
        urlsplit(location).port  # noqa: B018
    except ValueError:
        return (
            "the database URL's port is not a number: write it as "
            "postgresql+psycopg://user@host:5432/database"
        )
    return None


def _hub_file(location: str) -> Path | None:
    """The hub's SQLite file, or None for a hub on a PostgreSQL server. StoreError for a location
    that names neither."""
    from nexus_tui.store.database import database_path, is_postgres_url

    return None if is_postgres_url(location) else database_path(location)


def show_paths(paths: AppPaths) -> int:
    rows = [
        ("database", shown_location(paths.database)),
        ("config", paths.config_file),
        ("data", paths.data_dir),
        ("cache", paths.cache_dir),
        ("state", paths.state_dir),
        ("log", paths.log_dir),
    ]
    for name, where in rows:
        print(f"{name:<9} {where}")
    return EXIT_OK


def show_config(paths: AppPaths) -> int:
    """The settings in effect, as TOML; a config file that cannot be used is exit status 2."""
    try:
        settings = load_settings(paths.config_file)
    except ConfigError as error:
        print(f"{PROG}: {error}", file=sys.stderr)
        return EXIT_ERROR
    import tomli_w

    where = paths.config_file if paths.config_file.exists() else f"{paths.config_file} (not there)"
    document = settings_document(settings)
    if "store" in document:
        document["store"]["url"] = shown_location(document["store"]["url"])
    print(f"# config file: {where}")
    print(tomli_w.dumps(document), end="")
    return EXIT_OK


def search_hub(paths: AppPaths, text: str, limit: int | None, *, as_json: bool) -> int:
    """Print what `text` finds, best first: 0 if something, 1 if nothing, 2 on an error.

    Never seeds the default hub and never creates a database file: searching a hub that does not
    exist yet finds nothing. An existing database of an older version is migrated, as the app
    would (on a PostgreSQL server, a database without the hub's tables gets them, empty).
    """
    import json

    from nexus_tui.store import Store, StoreError
    from nexus_tui.store.search import DEFAULT_LIMIT, search
    from nexus_tui.text import one_line

    try:
        path = _hub_file(paths.database)
        if path is not None and not path.exists():
            print(
                f"{PROG}: nothing found: the hub {one_line(str(path))} does not exist yet "
                f"(start {PROG} once to create it)",
                file=sys.stderr,
            )
            if as_json:
                print("[]")
            return EXIT_FAILED
        store = Store.open(paths.database)
        results = store.read(search, text, limit or DEFAULT_LIMIT)
    except StoreError as error:
        # Messages name a path and quote SQLite, either of which may hold a newline.
        print(f"{PROG}: {one_line(str(error), limit=1000)}", file=sys.stderr)
        return EXIT_ERROR
    if as_json:
        # ensure_ascii: every control character and non-ASCII letter is escaped, so the output is
        # valid whatever the terminal or pipe, and nothing in it can reach a terminal raw.
        rows = [
            {"kind": r.kind, "id": r.id, "title": r.title, "snippet": r.snippet} for r in results
        ]
        print(json.dumps(rows, ensure_ascii=True, indent=2))
    else:
        for result in results:
            # one_line: control characters made visible, so a title can't move the cursor or
            # forge another row.
            line = f"{result.kind:<12}  {one_line(result.title)}"
            if result.snippet:
                line += f" — {one_line(result.snippet)}"
            print(line)
        if not results:
            print(f"{PROG}: nothing found for {one_line(text)!r}", file=sys.stderr)
    return EXIT_OK if results else EXIT_FAILED


def _without_repeats(names: Sequence[str]) -> list[str]:
    # GitHub names are case-insensitive: the same repository twice would be fetched twice.
    seen: set[str] = set()
    unique = []
    for name in names:
        if name.lower() not in seen:
            seen.add(name.lower())
            unique.append(name)
    return unique


def _stored_repos(store) -> list:
    """The repositories stored in the database (a collaborator's), or none if it cannot say."""
    from nexus_tui.store import StoreError, queries

    try:
        return store.read(queries.watched_repos)
    except StoreError as error:
        print(f"{PROG}: {_one_line(str(error))}", file=sys.stderr)
        return []


def _one_line(text: str) -> str:
    from nexus_tui.text import one_line

    return one_line(text, limit=1000)


def ci_report(paths: AppPaths, named: Sequence[str], *, as_json: bool) -> int:
    """Ask GitHub once, print each repository's state; exit 0 all green, 1 any failing, 2 else.

    The database keeps the conditional-request cache and the last known state, so the next run
    costs no rate limit when nothing changed and an offline run still has an answer: it is
    created when missing (migrated, never seeded, so the app still offers the default hub at its
    first start). When it cannot be used, the fetch goes on without it and says so, and the exit
    status is 2 whatever GitHub said: a script must not take a broken hub for a green build.
    """
    import asyncio
    import json

    from nexus_tui.store import Store, StoreError

    try:
        settings = load_settings(paths.config_file)
    except ConfigError as error:
        print(f"{PROG}: {error}", file=sys.stderr)
        return EXIT_ERROR
    store = None
    try:
        store = Store.open(paths.database)
    except StoreError as error:
        print(
            f"{PROG}: {_one_line(str(error))} The CI state is fetched, but not kept.",
            file=sys.stderr,
        )
    repos = list(named)
    if not repos:
        repos = list(settings.github.repos)
        if store is not None:
            repos += [repo.full_name for repo in _stored_repos(store)]
    repos = _without_repeats(repos)
    if not repos:
        print(
            f"{PROG}: no repository is watched: add one with `{PROG} repo add OWNER/NAME`, "
            "or name one with --repo",
            file=sys.stderr,
        )
        if as_json:
            print(json.dumps({"repos": [], "rate_limit": None}, indent=2))
        return EXIT_ERROR

    from nexus_tui.github.report import exit_status, json_document, table_lines
    from nexus_tui.store.database import utc_now

    statuses, rate_limit, authenticated = asyncio.run(
        _fetch_ci_states(settings.github, store, repos)
    )
    if as_json:
        # ensure_ascii: nothing but ASCII reaches the pipe, whatever GitHub sent.
        print(json.dumps(json_document(statuses, rate_limit), ensure_ascii=True, indent=2))
    else:
        for line in table_lines(statuses, rate_limit, utc_now(), colour=_colour(sys.stdout)):
            print(line)
        if not authenticated:
            print(
                f"{PROG}: no GitHub token, so public repositories only and 60 requests an hour: "
                "set GH_TOKEN or GITHUB_TOKEN, or run gh auth login",
                file=sys.stderr,
            )
    return exit_status(statuses) if store is not None else EXIT_ERROR


async def _fetch_ci_states(settings, store, repos: list[str]):
    from nexus_tui.github.service import CiService

    # One question per repository and no waiting: a limit answered for one repository does not
    # decide for the next (carry_blocks), and server errors get two quick retries.
    service = CiService.create(settings, store, carry_blocks=False, retries=2, retry_delay=0.25)
    async with service:
        statuses = await service.refresh_all(repos)
    return statuses, service.rate_limit, service.authenticated


def _colour(stream) -> bool:
    import os

    return stream.isatty() and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"


def edit_watched_repos(paths: AppPaths, action: str, names: Sequence[str]) -> int:
    """`repo add|remove|list`: the repos list under [github] in the config file.

    Adding one already there, or removing one not there, changes nothing; removing one that is
    not watched is exit status 1. The file is rewritten only when the list changes.
    """

    from nexus_tui.config import save_settings

    try:
        settings = load_settings(paths.config_file)
    except ConfigError as error:
        print(f"{PROG}: {error}", file=sys.stderr)
        return EXIT_ERROR
    configured = list(settings.github.repos)
    if action == "list":
        return _list_watched_repos(paths, configured)
    watched = {name.lower() for name in configured}
    messages: list[str] = []
    missing: list[str] = []
    if action == "add":
        for name in _without_repeats(names):
            if name.lower() in watched:
                messages.append(f"already watching {name}")
            else:
                configured.append(name)
                watched.add(name.lower())
                messages.append(f"watching {name}")
    else:
        for name in _without_repeats(names):
            if name.lower() in watched:
                messages.append(f"no longer watching {name}")
            else:
                missing.append(name)
        dropped = {name.lower() for name in names}
        configured = [name for name in configured if name.lower() not in dropped]
    if tuple(configured) != settings.github.repos:
        github = settings.github._replace(repos=tuple(configured))
        try:
            save_settings(paths.config_file, settings._replace(github=github))
        except ConfigError as error:
            print(f"{PROG}: {error}", file=sys.stderr)
            return EXIT_ERROR
    for message in messages:
        print(message)
    for name in missing:
        print(
            f"{PROG}: {name} is not in the watched list of {paths.config_file}",
            file=sys.stderr,
        )
    return EXIT_FAILED if missing else EXIT_OK


def _list_watched_repos(paths: AppPaths, configured: list[str]) -> int:
    from nexus_tui.store import Store, StoreError

    rows = [(name, "") for name in configured]
    status = EXIT_OK
    try:
        # Only an existing database file is read: listing creates none.
        path = _hub_file(paths.database)
        if path is None or path.exists():
            seen = {name.lower() for name in configured}
            for repo in _stored_repos(Store.open(paths.database)):
                if repo.full_name.lower() not in seen:
                    seen.add(repo.full_name.lower())
                    who = f"for {repo.collaborator}" if repo.collaborator else "in the hub"
                    rows.append((repo.full_name, f"({_one_line(who)})"))
    except StoreError as error:
        print(f"{PROG}: {_one_line(str(error))}", file=sys.stderr)
        status = EXIT_ERROR
    for name, note in rows:
        print(f"{_one_line(name)}  {note}".rstrip())
    if not rows and status == EXIT_OK:
        print(
            f"{PROG}: no repository is watched: add one with `{PROG} repo add OWNER/NAME`",
            file=sys.stderr,
        )
    return status


def import_hub(paths: AppPaths, source: str, *, dry_run: bool) -> int:
    """`import PATH`: add the file's hub to the database in one transaction; 0, 2, or 130 when
    cancelled (nothing is kept then).

    Creates the database when missing (migrated, never seeded: the hub is the file's). A dry run
    creates and changes nothing; without a database it plans against an empty hub.
    """
    from nexus_tui.hub.files import HubFileError, read_hub_file
    from nexus_tui.store import StoreError
    from nexus_tui.store.hub_io import ImportCancelled

    path = Path(source).expanduser()
    try:
        content, exact = read_hub_file(path)
        if dry_run:
            plan = _plan_import(paths, content, exact)
        else:
            plan = _apply_import(paths, content, exact)
    except HubFileError as error:
        print(f"{PROG}: {_one_line(str(error))}", file=sys.stderr)
        return EXIT_ERROR
    except StoreError as error:
        print(f"{PROG}: {_one_line(str(error))} Nothing was imported.", file=sys.stderr)
        return EXIT_ERROR
    except (ImportCancelled, KeyboardInterrupt):
        print(f"{PROG}: import cancelled: nothing was changed", file=sys.stderr)
        return EXIT_CANCELLED
    if plan.empty:
        print(f"nothing to import: the hub already has everything in {_one_line(str(path))}")
        return EXIT_OK
    print(plan.summary(would=dry_run))
    # A dry run is asked for the detail; after an import a glimpse is enough.
    shown = plan.lines if dry_run else plan.lines[:_IMPORT_LINES_SHOWN]
    for line in shown:
        print(f"  {_one_line(line)}")
    if len(plan.lines) > len(shown):
        print(f"  … and {len(plan.lines) - len(shown)} more (--dry-run lists every one)")
    return EXIT_OK


_IMPORT_LINES_SHOWN = 20


def _plan_import(paths: AppPaths, content, exact: bool):
    import sqlite3
    from contextlib import closing
    from functools import partial

    from nexus_tui.store import Store
    from nexus_tui.store.hub_io import plan_import
    from nexus_tui.store.migrations import migrate

    planner = partial(plan_import, exact=exact)
    path = _hub_file(paths.database)
    if path is None or path.exists():
        return Store.open(paths.database).read(planner, content)
    # No hub yet: an empty one in memory answers without creating the file.
    with closing(sqlite3.connect(":memory:", isolation_level=None)) as conn:
        migrate(conn)
        return planner(conn, content)


def _apply_import(paths: AppPaths, content, exact: bool):
    from functools import partial

    from nexus_tui.store import Store
    from nexus_tui.store.backups import backup_before_import
    from nexus_tui.store.hub_io import apply_import

    path = _hub_file(paths.database)
    existed = path is not None and path.exists()
    # Opened first: a file that is not a usable hub is refused before anything is copied.
    store = Store.open(paths.database)
    if existed:
        # A copy of the hub as it was, for `nexus-tui restore`; no copy, no import.
        backup_before_import(store.path)
    elif store.path is None:
        print(
            f"{PROG}: no backup is made first on PostgreSQL: back the database up with the "
            "server's tools (pg_dump); the import is one transaction, all of it saved or none",
            file=sys.stderr,
        )
    with _interruptible("Importing") as (bar, cancelled):
        importer = partial(apply_import, exact=exact, progress=bar, cancelled=cancelled)
        return store.write(importer, content, store.clock())


@contextlib.contextmanager
def _interruptible(label: str):
    """A progress bar (None when stderr is no terminal) and a `cancelled()` that Ctrl-C makes
    true. Ctrl-C only raises that flag, read between chunks of rows: a write transaction then
    rolls back whole, rather than a KeyboardInterrupt landing anywhere in the database work."""
    import signal
    import threading

    interrupted = threading.Event()
    previous = signal.signal(signal.SIGINT, lambda _signum, _frame: interrupted.set())
    bar = _progress_bar(sys.stderr, label)
    try:
        yield bar, interrupted.is_set
    finally:
        signal.signal(signal.SIGINT, previous)
        if bar is not None:
            bar.clear()


class _ProgressBar:
    """`Importing ████████░░░░ 45%` on one terminal line, redrawn when the percentage moves."""

    WIDTH = 30

    def __init__(self, stream, label: str) -> None:
        self.stream = stream
        self.label = label
        self.shown: int | None = None
        encoding = getattr(stream, "encoding", None) or "ascii"
        try:
            "█░".encode(encoding)
            self.full, self.empty = "█", "░"
        except (LookupError, UnicodeEncodeError):
            self.full, self.empty = "#", "-"

    def __call__(self, done: int, total: int) -> None:
        percent = 100 if total <= 0 else min(100, done * 100 // total)
        if percent == self.shown:
            return
        self.shown = percent
        filled = self.WIDTH * percent // 100
        bar = self.full * filled + self.empty * (self.WIDTH - filled)
        self.stream.write(f"\r{self.label} {bar} {percent:3d}%")
        self.stream.flush()

    def clear(self) -> None:
        if self.shown is not None:
            # Back to the start of the line and erase it: the summary takes its place.
            self.stream.write("\r\x1b[K")
            self.stream.flush()


def _progress_bar(stream, label: str) -> _ProgressBar | None:
    """A progress bar on `stream` when it is a terminal; None (no output) otherwise."""
    isatty = getattr(stream, "isatty", None)
    return _ProgressBar(stream, label) if isatty is not None and isatty() else None


def export_hub(paths: AppPaths, form: str, output: str | None) -> int:
    """`export --format markdown|json [-o FILE]`: 0, or 2 on an error (nothing written then).

    Never creates a database: a hub that does not exist yet has nothing to export.
    """
    from functools import partial

    from nexus_tui.store import Store, StoreError
    from nexus_tui.store.hub_io import ExportCancelled, read_hub

    target = None if output is None else Path(output).expanduser()
    try:
        path = _hub_file(paths.database)
        if path is not None and not path.exists():
            print(
                f"{PROG}: nothing to export: the hub {_one_line(str(path))} does not exist yet "
                f"(start {PROG} once, or import a README, to create it)",
                file=sys.stderr,
            )
            return EXIT_ERROR
        if path is not None and target is not None and target.resolve() == path.resolve():
            print(
                f"{PROG}: not exporting to {_one_line(str(target))}: it is the hub's database; "
                "name another file with -o",
                file=sys.stderr,
            )
            return EXIT_ERROR
        store = Store.open(paths.database)
        with _interruptible("Exporting") as (bar, cancelled):
            content = store.read(partial(read_hub, progress=bar, cancelled=cancelled))
    except StoreError as error:
        print(f"{PROG}: {_one_line(str(error))}", file=sys.stderr)
        return EXIT_ERROR
    except ExportCancelled:
        print(f"{PROG}: export cancelled: nothing was written", file=sys.stderr)
        return EXIT_CANCELLED
    from nexus_tui.hub.files import export_text, write_atomically

    try:
        # To a terminal or a pipe, ASCII only: nothing in a note can reach a terminal raw, and
        # no encoding can fail. A file is UTF-8, readable as it is.
        text = export_text(content, form, ascii_only=target is None)
        if target is None:
            return _print_export(text)
        write_atomically(target, text)
    except KeyboardInterrupt:
        # The file is replaced whole or not at all: a half-written one was removed.
        print(f"{PROG}: export cancelled: nothing was written", file=sys.stderr)
        return EXIT_CANCELLED
    except OSError as error:
        print(
            f"{PROG}: cannot write {_one_line(str(target))}: {error.strerror or error}; "
            "nothing was written",
            file=sys.stderr,
        )
        return EXIT_ERROR
    notes = sum(len(topic.notes) for topic in content.topics)
    print(
        f"exported {len(content.topics)} topics, {notes} notes, {len(content.challenges)} "
        f"challenges and {len(content.collaborators)} collaborators to {_one_line(str(target))}",
        file=sys.stderr,
    )
    return EXIT_OK


def _print_export(text: str) -> int:
    if sys.stdout.isatty():
        from nexus_tui.text import safe_text

        # Escape sequences in a note must not reach the terminal; a pipe gets the text as is.
        text = safe_text(text)
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except UnicodeEncodeError:
        print(
            f"{PROG}: standard output ({sys.stdout.encoding}) cannot hold the hub's text: "
            "write it to a file with -o FILE",
            file=sys.stderr,
        )
        return EXIT_ERROR
    return EXIT_OK


def restore_hub(paths: AppPaths, which: str | None, *, yes: bool) -> int:
    """`restore`: list the backups of the database, or put one back in its place."""
    from nexus_tui.store import StoreError
    from nexus_tui.store.backups import list_backups, restore_backup

    try:
        database = _hub_file(paths.database)
    except StoreError as error:
        print(f"{PROG}: {_one_line(str(error))}", file=sys.stderr)
        return EXIT_ERROR
    if database is None:
        print(
            f"{PROG}: restore is for SQLite hub files, and this hub is on a PostgreSQL server: "
            "back it up and restore it with the server's tools (pg_dump and pg_restore)",
            file=sys.stderr,
        )
        return EXIT_ERROR
    backups = list_backups(database)
    if which is None:
        if not backups:
            print(
                f"{PROG}: no backups of {_one_line(str(database))} yet: one is made before "
                "each schema migration, import and restore",
                file=sys.stderr,
            )
        for number, info in enumerate(backups, 1):
            print(
                f"{number:>3}  {info.taken_at:%Y-%m-%d %H:%M:%S} UTC  before {info.reason:<9}  "
                f"{_size_text(info.size):>9}  {_one_line(str(info.path))}"
            )
        return EXIT_OK
    if which.isdigit():
        if not 1 <= int(which) <= len(backups):
            print(
                f"{PROG}: there is no backup number {which}: `{PROG} restore` lists "
                f"{len(backups)} of {_one_line(str(database))}",
                file=sys.stderr,
            )
            return EXIT_ERROR
        chosen = backups[int(which) - 1].path
    else:
        chosen = Path(which).expanduser()
        if not chosen.is_file():
            print(f"{PROG}: there is no backup file {_one_line(which)}", file=sys.stderr)
            return EXIT_ERROR
    if database.exists():
        size = _size_text(database.stat().st_size)
        replaced = f"the database {_one_line(str(database))} ({size})"
    else:
        replaced = f"nothing: there is no database {_one_line(str(database))} yet"
    print(f"Restoring {_one_line(str(chosen))} replaces {replaced}.")
    if not yes:
        if not sys.stdin.isatty():
            print(
                f"{PROG}: not restored: there is no terminal to ask on, so add --yes to restore",
                file=sys.stderr,
            )
            return EXIT_ERROR
        try:
            answer = input("What it replaces is backed up first. Restore? [y/N] ")
        except (EOFError, KeyboardInterrupt):
            answer = ""
        if answer.strip().lower() not in ("y", "yes"):
            print("Not restored; nothing was changed.")
            return EXIT_FAILED
    try:
        kept = restore_backup(chosen, database)
    except StoreError as error:
        print(f"{PROG}: {_one_line(str(error))}", file=sys.stderr)
        return EXIT_ERROR
    print(f"Restored {_one_line(str(database))}.")
    if kept is not None:
        print(f"What it replaced is kept as {_one_line(str(kept))}.")
    return EXIT_OK


def _size_text(size: int) -> str:
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def run_app(paths: AppPaths) -> int:
    # A broken config must not keep the user from their notes: the app starts with the defaults
    # and says what is wrong; it never rewrites the file.
    config_error: ConfigError | None = None
    try:
        settings = load_settings(paths.config_file)
    except ConfigError as error:
        settings, config_error = Settings(), error

    # Importing Textual creates some hundred thousand objects that live as long as the app; the
    # cyclic garbage collector would walk them again and again meanwhile (about 20 ms of the
    # start). Collect nothing during the import, then set those objects aside for good.
    gc.disable()
    from nexus_tui.startup import HubOpener

    # The opener thread makes many short SQLite calls, each giving up the GIL and waiting to get it
    # back; at the default 5 ms switch interval the import below would starve it.
    sys.setswitchinterval(0.001)
    opener = HubOpener(paths.database)

    from nexus_tui.app import NexusApp

    gc.freeze()

    app = NexusApp(paths, settings, config_error=config_error, opener=opener)
    # Nor while the first screen is built: young collections found almost nothing to free there
    # (the widgets live on) and cost several ms of that frame.
    app.after_first_frame(gc.enable)
    app.run()
    return app.return_code or EXIT_OK


def start_debug_log(paths: AppPaths):
    import logging

    log_file = paths.log_dir / "nexus-tui.log"
    try:
        paths.log_dir.mkdir(parents=True, exist_ok=True)
        handler = logging.FileHandler(log_file, encoding="utf-8")
    except OSError as error:
        print(f"{PROG}: cannot write the debug log {log_file}: {error.strerror}", file=sys.stderr)
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    # Our records at DEBUG; other libraries' only from WARNING, or the log is all markdown-it.
    logging.getLogger().addHandler(handler)
    logging.getLogger("nexus_tui").setLevel(logging.DEBUG)
    logging.getLogger(__name__).debug(
        "nexus-tui %s, database %s", __version__, shown_location(paths.database)
    )
    return log_file


def copy_to(paths: AppPaths, target_location: str) -> int:
    """`copy --to URL`: 0, 2 on an error, 130 when interrupted; the target is changed only by a
    complete copy."""
    from nexus_tui.store import Store, StoreError
    from nexus_tui.store.copy import CopyCancelled, copy_hub
    from nexus_tui.store.database import database_path, is_postgres_url

    try:
        if not is_postgres_url(paths.database) and not database_path(paths.database).exists():
            print(
                f"{PROG}: nothing to copy: the hub {_one_line(paths.database)} does not exist yet",
                file=sys.stderr,
            )
            return EXIT_ERROR
        source = Store.open(paths.database)
        target = Store.open(target_location)
        with _interruptible("Copying") as (bar, cancelled):
            result = copy_hub(source, target, progress=bar, cancelled=cancelled)
    except StoreError as error:
        print(f"{PROG}: {_one_line(str(error))}", file=sys.stderr)
        return EXIT_ERROR
    except CopyCancelled:
        print(f"{PROG}: copy cancelled: nothing was kept in the target", file=sys.stderr)
        return EXIT_CANCELLED
    print(
        f"copied {result.summary()} to {_one_line(target.location)}; every table's rows "
        "counted on both sides"
    )
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
