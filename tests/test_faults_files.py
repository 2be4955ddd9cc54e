"""Damaged and foreign files, and folders that cannot be used, met for real: `nexus-tui` run as a
subprocess and the app driven by Pilot. Each fault gets a message naming the file and what to do
(exit status 2 from a sub-command, the error dialog in the app), never a traceback, and the file
is left exactly as it was: the same bytes, the same modification time, nothing new beside it.
"""

from __future__ import annotations

import hashlib
import os
import random
import sqlite3
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from pathlib import Path

import pytest
from conftest import make_app, make_paths, own_user_folders, settle
from github_server import FakeGitHub, run, serve_repo
from test_cli import assert_no_traceback
from test_cli import run as nexus
from textual.widgets import Static

from nexus_tui.config import ConfigError, Settings, load_settings
from nexus_tui.store import Store
from nexus_tui.store.migrations import LATEST_VERSION
from nexus_tui.store.seed import seed_default_hub

AS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


@pytest.fixture(scope="session")
def real_hub(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """The bytes of a real nexus-tui database holding the default hub, as one file."""
    path = tmp_path_factory.mktemp("real") / "nexus.db"
    seed_default_hub(Store.open(str(path)))
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path.read_bytes()


def newer_version(real: bytes) -> bytes:
    # PRAGMA user_version is these four bytes of the header (big-endian), nothing else.
    return real[:60] + (LATEST_VERSION + 1).to_bytes(4, "big") + real[64:]


def another_programs_database(tmp: Path) -> bytes:
    path = tmp / "invoices.sqlite"
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, amount REAL)")
        conn.execute("INSERT INTO invoices (amount) VALUES (12.5)")
        conn.commit()
    return path.read_bytes()


# Each: how to make the file's bytes from a real database, and words the message must hold.
DAMAGED = {
    "random bytes": (lambda real, tmp: random.Random(7).randbytes(4096), "not an SQLite file"),
    "a PNG image": (
        lambda real, tmp: b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200),
        "not an SQLite file",
    ),
    "a text file": (lambda real, tmp: b"Shopping list\n- milk\n- bread\n", "not an SQLite file"),
    "cut to half its size": (lambda real, tmp: real[: len(real) // 2], "damaged"),
    "cut to 100 bytes": (lambda real, tmp: real[:100], "damaged"),
    "from a newer nexus-tui": (lambda real, tmp: newer_version(real), "newer nexus-tui"),
    "zero bytes long": (lambda real, tmp: b"", "empty"),
    "another program's SQLite file": (
        lambda real, tmp: another_programs_database(tmp),
        "another program",
    ),
}
# What a user can do about it: each message names at least one of these.
REMEDIES = ("--db", "nexus-tui restore", "Upgrade nexus-tui", "NEXUS_TUI_CONFIG", "Fix it")


def fingerprint(path: Path) -> tuple[str, int, int, list[str]]:
    """The file's content hash, modification time and size, and what lies in its folder."""
    status = path.stat()
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    return digest, status.st_mtime_ns, status.st_size, sorted(os.listdir(path.parent))


def assert_refused(result, path: Path, *fragments: str) -> str:
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert_no_traceback(result)
    message = result.stderr
    assert message.startswith("nexus-tui: "), message
    assert str(path) in message, message
    for fragment in fragments:
        assert fragment in message, message
    assert any(remedy in message for remedy in REMEDIES), message
    return message


@pytest.fixture
def xdg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    """This test's own user folders (not created), in the environment the commands inherit."""
    folders = own_user_folders(tmp_path, monkeypatch)
    monkeypatch.delenv("GH_TOKEN", raising=False)
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    return folders


@pytest.fixture
def github():
    with FakeGitHub() as server:
        serve_repo(server, "octo/green", [run("CI", workflow_id=1)])
        yield server


def commands_at_once(*commands: list[str], **env: str) -> list:
    # Two at a time: each is a cold Python start, and they only read.
    with ThreadPoolExecutor(max_workers=2) as pool:
        return list(pool.map(lambda args: nexus(*args, **env), commands))


# --- damaged or foreign database files --------------------------------------------------------


@pytest.mark.parametrize("case", DAMAGED)
def test_the_commands_refuse_a_damaged_database_and_leave_it_alone(
    case, real_hub, tmp_path, xdg, github
):
    make, words = DAMAGED[case]
    folder = tmp_path / "hub"
    folder.mkdir()
    database = folder / "nexus.db"
    database.write_bytes(make(real_hub, tmp_path))
    # The repository is green: a broken hub must still not pass for a clean `ci` run.
    config = tmp_path / "config.toml"
    config.write_text(f'[github]\napi_url = "{github.url}"\nrepos = ["octo/green"]\n')
    before = fingerprint(database)

    search, ci, listing, paths, shown = commands_at_once(
        ["search", "python", "--db", str(database)],
        ["ci", "--db", str(database)],
        ["repo", "list", "--db", str(database)],
        ["paths", "--db", str(database)],
        ["config", "--db", str(database)],
        NEXUS_TUI_CONFIG=str(config),
    )

    assert_refused(search, database, words)
    assert search.stdout == ""
    assert_refused(ci, database, words, "not kept")
    # The state is still fetched and shown: only the hub was unusable.
    assert "octo/green" in ci.stdout
    assert_refused(listing, database, words)
    # Commands that do not open the database are how a user finds and fixes it.
    for result in (paths, shown):
        assert result.returncode == 0, result.stderr
        assert result.stderr == ""
        assert_no_traceback(result)
    assert f"database  {database}" in paths.stdout
    assert fingerprint(database) == before


@pytest.mark.parametrize("case", DAMAGED)
async def test_the_app_shows_a_damaged_database_in_its_error_dialog(case, real_hub, tmp_path):
    from nexus_tui.screens.error import ErrorScreen

    make, words = DAMAGED[case]
    paths = make_paths(tmp_path / "user")
    paths.data_dir.mkdir(parents=True)
    database = Path(paths.database)
    database.write_bytes(make(real_hub, tmp_path))
    before = fingerprint(database)
    app = make_app(paths)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ErrorScreen)
        message = str(app.screen.query_one("#error-message", Static).render())
        assert str(database) in message and words in message, message
        assert any(remedy in message for remedy in REMEDIES), message
        assert app.store is None
        await pilot.press("q")
    assert app.return_code == 0
    assert fingerprint(database) == before


# --- config files ------------------------------------------------------------------------------

BAD_CONFIGS = {
    "malformed TOML": (
        b'[github]\nrepos = ["octo/green"\n\n[ui]\ntheme = "nord"\n',
        "not valid TOML",
    ),
    "a wrong type": (b'[github]\npoll_seconds = "soon"\n', "github.poll_seconds"),
    "an unknown key": (b"[github]\npoll_seconds = 30\npoll_secs = 45\n", "github.poll_secs"),
    "an unknown table": (b'[gihub]\nrepos = ["a/b"]\n', "gihub"),
    "a list where a table goes": (b'ui = ["nord"]\n', "must be a table"),
}


@pytest.mark.parametrize("case", BAD_CONFIGS)
def test_the_commands_refuse_a_bad_config_and_never_rewrite_it(case, tmp_path, xdg):
    content, words = BAD_CONFIGS[case]
    config = xdg["XDG_CONFIG_HOME"] / "nexus-tui" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_bytes(content)
    before = fingerprint(config)

    shown, listing, adding, ci = commands_at_once(
        ["config"], ["repo", "list"], ["repo", "add", "octo/new"], ["ci", "--repo", "octo/green"]
    )

    for result in (shown, listing, adding, ci):
        message = assert_refused(result, config, words)
        # Which line, so the user can go straight to it.
        assert f"{config}, line " in message, message
        assert result.stdout == ""
    assert fingerprint(config) == before
    # Nothing was created on the way to the refusal: no database, no data folder.
    assert not xdg["XDG_DATA_HOME"].exists()


@pytest.mark.parametrize("case", BAD_CONFIGS)
def test_commands_that_need_no_settings_work_with_a_bad_config(case, xdg):
    content, _words = BAD_CONFIGS[case]
    config = xdg["XDG_CONFIG_HOME"] / "nexus-tui" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_bytes(content)
    before = fingerprint(config)
    paths, search = commands_at_once(["paths"], ["search", "python"])
    # `paths` is how a user finds the file to fix.
    assert paths.returncode == 0 and f"config    {config}" in paths.stdout
    # No hub yet: nothing found (1), not an error about the config.
    assert search.returncode == 1, search.stderr
    assert str(config) not in search.stderr
    for result in (paths, search):
        assert_no_traceback(result)
    assert fingerprint(config) == before


@pytest.mark.parametrize("case", BAD_CONFIGS)
async def test_the_app_starts_with_a_bad_config_says_so_and_never_rewrites_it(case, tmp_path):
    content, words = BAD_CONFIGS[case]
    paths = make_paths(tmp_path)
    paths.config_file.parent.mkdir(parents=True)
    paths.config_file.write_bytes(content)
    before = fingerprint(paths.config_file)
    # As `nexus-tui` starts the app: the defaults, and the error to show.
    with pytest.raises(ConfigError) as caught:
        load_settings(paths.config_file)
    app = make_app(paths, Settings(), config_error=caught.value)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        shown = [(str(note.title), str(note.message)) for note in app._notifications]
        assert any(
            title == "Config file not used"
            and str(paths.config_file) in message
            and words in message
            for title, message in shown
        ), shown
        # The notes are there all the same.
        assert app.store is not None
        # A change of theme would save the settings: it must not touch the broken file.
        app.theme = "nord"
        await settle(pilot)
    assert fingerprint(paths.config_file) == before


# --- folders that cannot be used ---------------------------------------------------------------


def unusable_folder(tmp_path: Path, name: str) -> tuple[Path, str]:
    """A folder path nexus-tui cannot create or write into, and the reason the system gives.

    Permission bits do not stop root, so as root the folder's parent is a regular file instead:
    creating anything below it fails with "Not a directory" for every user.
    """
    if AS_ROOT:
        blocker = tmp_path / f"{name}-is-a-file"
        blocker.write_bytes(b"in the way\n")
        return blocker / name, "Not a directory"
    folder = tmp_path / name
    folder.mkdir()
    folder.chmod(0o500)
    return folder, ""


def readable_again(tmp_path: Path) -> None:
    for path in tmp_path.rglob("*"):
        if path.is_dir() and not path.is_symlink():
            path.chmod(0o700)


def test_a_data_folder_that_cannot_be_written_is_named_with_what_to_do(tmp_path, xdg, github):
    folder, reason = unusable_folder(tmp_path, "data")
    database = folder / "nexus.db"
    config = tmp_path / "config.toml"
    config.write_text(f'[github]\napi_url = "{github.url}"\nrepos = ["octo/green"]\n')
    try:
        ci, listing = commands_at_once(
            ["ci", "--db", str(database)],
            ["repo", "list", "--db", str(database)],
            NEXUS_TUI_CONFIG=str(config),
        )
        # `ci` has to create the database to keep the state: it cannot, and says so.
        message = assert_refused(ci, database, reason, "not kept")
        assert "writable" in message or "folder" in message, message
        assert "octo/green" in ci.stdout
        # Listing creates nothing, so a missing database is no error.
        assert listing.returncode == 0, listing.stderr
        assert_no_traceback(listing)
        assert not database.exists()
    finally:
        readable_again(tmp_path)


def test_a_config_folder_that_cannot_be_written_keeps_the_settings_unsaved(tmp_path, xdg):
    folder, reason = unusable_folder(tmp_path, "config")
    config = folder / "config.toml"
    try:
        adding, shown = commands_at_once(
            ["repo", "add", "octo/new"], ["config"], NEXUS_TUI_CONFIG=str(config)
        )
        message = assert_refused(adding, config, reason)
        assert "can be written" in message or "can be read" in message, message
        assert adding.stdout == ""
        assert not config.exists()
        if AS_ROOT:
            # Below a file, the config cannot even be looked for: that is said, not skipped.
            assert_refused(shown, config, reason)
        else:
            # A folder that is only read-only still reads as "no config yet".
            assert shown.returncode == 0, shown.stderr
    finally:
        readable_again(tmp_path)


def test_a_missing_data_folder_is_made_on_first_use(tmp_path, xdg, github):
    # Missing is the first start, not a fault: `ci` makes the folder and the database it keeps.
    config = tmp_path / "config.toml"
    config.write_text(f'[github]\napi_url = "{github.url}"\nrepos = ["octo/green"]\n')
    database = xdg["XDG_DATA_HOME"] / "nexus-tui" / "nexus.db"
    result = nexus("ci", NEXUS_TUI_CONFIG=str(config))
    assert result.returncode == 0, result.stderr
    assert_no_traceback(result)
    assert database.is_file()
    assert sorted(os.listdir(database.parent)) == ["nexus.db"]


async def test_the_app_shows_a_data_folder_it_cannot_use_in_its_error_dialog(tmp_path):
    from nexus_tui.screens.error import ErrorScreen

    folder, reason = unusable_folder(tmp_path, "data")
    paths = make_paths(tmp_path / "user")
    paths = paths._replace(database=str(folder / "nexus.db"))
    try:
        app = make_app(paths)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            assert isinstance(app.screen, ErrorScreen)
            message = str(app.screen.query_one("#error-message", Static).render())
            assert str(folder / "nexus.db") in message and reason in message, message
            assert "writable" in message or "--db" in message, message
    finally:
        readable_again(tmp_path)
