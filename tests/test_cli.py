"""The `nexus-tui` command as a user runs it: a real process, real files, and a real terminal.

Every command runs in a subprocess that inherits os.environ, which the autouse fixture in
conftest.py has already pointed at empty per-test folders; tests that need to know those folders
set the XDG variables themselves (see `user_dirs`).
"""

from __future__ import annotations

import getpass
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from terminal import Terminal

from nexus_tui import __version__

COMMAND = [sys.executable, "-m", "nexus_tui"]
# Generous: a cold start of Python plus platformdirs takes well under a second.
TIMEOUT = 30
SQLITE_HEADER = b"SQLite format 3\x00"
PATH_NAMES = ["database", "config", "data", "cache", "state", "log"]
# The start of a debug log record: "<date> <time> <LEVEL> <logger>: <message>".
LOG_RECORD = re.compile(r"\S+ \S+ (?P<level>[A-Z]+) (?P<logger>[^\s:]+): ")

needs_pty = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pty")


@pytest.fixture
def user_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    """XDG folders of this test's own, not created yet, so a test can see what a command made.

    HOME moves too: where platformdirs falls back on it, nothing may land in the real one.
    """
    dirs = {
        "XDG_DATA_HOME": tmp_path / "xdg-data",
        "XDG_CONFIG_HOME": tmp_path / "xdg-config",
        "XDG_CACHE_HOME": tmp_path / "xdg-cache",
        "XDG_STATE_HOME": tmp_path / "xdg-state",
        "HOME": tmp_path / "home",
    }
    for name, path in dirs.items():
        monkeypatch.setenv(name, str(path))
    return dirs


def run(*args: str, **env: str | None) -> subprocess.CompletedProcess:
    """`nexus-tui *args` with os.environ plus ``env`` (None removes a variable)."""
    environment = dict(os.environ)
    for name, value in env.items():
        if value is None:
            environment.pop(name, None)
        else:
            environment[name] = value
    return subprocess.run(
        [*COMMAND, *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=environment,
        timeout=TIMEOUT,
        # A command that read the terminal would hang the test instead of failing it.
        stdin=subprocess.DEVNULL,
    )


def parse_paths(stdout: str) -> dict[str, str]:
    """`nexus-tui paths` output ("name  value" rows) as a dict, in the order printed."""
    rows = {}
    for line in stdout.splitlines():
        name, _, value = line.partition(" ")
        rows[name] = value.strip()
    return rows


def assert_no_traceback(result: subprocess.CompletedProcess) -> None:
    assert "Traceback" not in result.stderr
    assert "Traceback" not in result.stdout


# --------------------------------------------------------------------------------------------
# --version, --help and argument errors


def test_version_prints_the_package_version():
    result = run("--version")
    assert result.returncode == 0
    assert result.stdout == f"nexus-tui {__version__}\n"
    assert result.stderr == ""


def test_help_lists_the_sub_commands_and_options():
    result = run("--help")
    assert result.returncode == 0
    assert result.stdout.startswith("usage: nexus-tui")
    for word in ("paths", "config", "--db", "--debug", "--version"):
        assert word in result.stdout
    assert result.stderr == ""


def test_sub_command_help_exits_0():
    result = run("paths", "--help")
    assert result.returncode == 0
    assert result.stdout.startswith("usage: nexus-tui paths")


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["--bogus"], "--bogus"),
        (["paths", "--bogus"], "--bogus"),
        (["config", "--bogus"], "--bogus"),
        (["frobnicate"], "frobnicate"),
        (["--db"], "--db"),
        (["paths", "--db"], "--db"),
        (["paths", "extra"], "extra"),
    ],
    ids=lambda value: " ".join(value) if isinstance(value, list) else None,
)
def test_an_argument_error_is_one_line_and_exit_status_2(args, named):
    result = run(*args)
    assert result.returncode == 2
    assert result.stdout == ""
    # Exactly one line: argparse's usage block would be several.
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert result.stderr.endswith("\n")
    assert lines[0].startswith("nexus-tui:")
    assert "--help" in lines[0]
    # It says what was wrong, not just that something was.
    assert named in lines[0]
    assert_no_traceback(result)


# --------------------------------------------------------------------------------------------
# paths


def test_paths_lists_every_location_under_the_xdg_folders(user_dirs):
    result = run("paths")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    rows = parse_paths(result.stdout)
    assert list(rows) == PATH_NAMES
    data = user_dirs["XDG_DATA_HOME"] / "nexus-tui"
    state = user_dirs["XDG_STATE_HOME"] / "nexus-tui"
    assert rows["database"] == str(data / "nexus.db")
    assert rows["config"] == str(user_dirs["XDG_CONFIG_HOME"] / "nexus-tui" / "config.toml")
    assert rows["data"] == str(data)
    assert rows["cache"] == str(user_dirs["XDG_CACHE_HOME"] / "nexus-tui")
    assert rows["state"] == str(state)
    if sys.platform.startswith("linux"):
        # Elsewhere platformdirs keeps logs in the platform's own place.
        assert rows["log"] == str(state / "log")


def test_paths_creates_nothing_on_disk(user_dirs):
    result = run("paths")
    assert result.returncode == 0, result.stderr
    for path in user_dirs.values():
        assert not path.exists(), path


@pytest.mark.parametrize(
    "args",
    [["--db", "DB", "paths"], ["paths", "--db", "DB"]],
    ids=["before the sub-command", "after the sub-command"],
)
def test_paths_shows_the_db_option(user_dirs, tmp_path, args):
    db = str(tmp_path / "elsewhere" / "my.db")
    result = run(*[db if arg == "DB" else arg for arg in args])
    assert result.returncode == 0, result.stderr
    rows = parse_paths(result.stdout)
    assert rows["database"] == db
    # The database moves on its own: the data folder stays where it was.
    assert rows["data"] == str(user_dirs["XDG_DATA_HOME"] / "nexus-tui")
    assert not (tmp_path / "elsewhere").exists()


def test_db_before_the_sub_command_is_kept_when_the_sub_command_has_other_options(tmp_path):
    # The sub-command's own copy of --db must not reset the value given before it.
    db = str(tmp_path / "first.db")
    result = run("--db", db, "paths", "--debug")
    assert result.returncode == 0, result.stderr
    assert parse_paths(result.stdout)["database"] == db


def test_paths_honours_nexus_tui_db(user_dirs, tmp_path):
    db = str(tmp_path / "from-env.db")
    result = run("paths", NEXUS_TUI_DB=db)
    assert result.returncode == 0, result.stderr
    assert parse_paths(result.stdout)["database"] == db


@pytest.mark.parametrize("position", ["before", "after"])
def test_db_option_beats_nexus_tui_db(tmp_path, position):
    option = str(tmp_path / "from-option.db")
    args = ["--db", option, "paths"] if position == "before" else ["paths", "--db", option]
    result = run(*args, NEXUS_TUI_DB=str(tmp_path / "from-env.db"))
    assert result.returncode == 0, result.stderr
    assert parse_paths(result.stdout)["database"] == option


def test_an_empty_nexus_tui_db_counts_as_unset(user_dirs):
    result = run("paths", NEXUS_TUI_DB="")
    assert result.returncode == 0, result.stderr
    expected = user_dirs["XDG_DATA_HOME"] / "nexus-tui" / "nexus.db"
    assert parse_paths(result.stdout)["database"] == str(expected)


def test_db_option_expands_a_leading_tilde(user_dirs):
    result = run("paths", "--db", "~/notes/hub.db")
    assert result.returncode == 0, result.stderr
    expected = user_dirs["HOME"] / "notes" / "hub.db"
    assert parse_paths(result.stdout)["database"] == str(expected)


def test_a_sqlite_url_is_shown_unchanged(tmp_path):
    url = f"sqlite:///{tmp_path.as_posix()}/hub.db"
    result = run("paths", "--db", url)
    assert result.returncode == 0, result.stderr
    assert parse_paths(result.stdout)["database"] == url


def test_paths_honours_nexus_tui_config(user_dirs, tmp_path):
    config = tmp_path / "somewhere" / "nexus.toml"
    result = run("paths", NEXUS_TUI_CONFIG=str(config))
    assert result.returncode == 0, result.stderr
    rows = parse_paths(result.stdout)
    assert rows["config"] == str(config)
    # Only the config file moves.
    assert rows["database"] == str(user_dirs["XDG_DATA_HOME"] / "nexus-tui" / "nexus.db")
    assert not config.parent.exists()


# --------------------------------------------------------------------------------------------
# config


def config_file(user_dirs: dict[str, Path]) -> Path:
    return user_dirs["XDG_CONFIG_HOME"] / "nexus-tui" / "config.toml"


def write_config(user_dirs: dict[str, Path], content: bytes) -> Path:
    path = config_file(user_dirs)
    path.parent.mkdir(parents=True)
    path.write_bytes(content)
    return path


def split_config_output(stdout: str) -> tuple[str, dict]:
    """The "# config file: ..." line, and the TOML after it parsed."""
    first, _, rest = stdout.partition("\n")
    return first, tomllib.loads(rest)


def test_config_without_a_file_prints_the_defaults_as_toml(user_dirs):
    result = run("config")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    first, settings = split_config_output(result.stdout)
    assert first == f"# config file: {config_file(user_dirs)} (not there)"
    assert settings == {
        "github": {"api_url": "https://api.github.com", "repos": [], "poll_seconds": 60},
        "ui": {"theme": "textual-dark"},
        # Who records changes: the login name unless [user] name says otherwise.
        "user": {"name": getpass.getuser()},
        "keys": {},
    }
    # Showing the defaults must not write them.
    assert not config_file(user_dirs).exists()
    assert not user_dirs["XDG_CONFIG_HOME"].exists()


def test_config_shows_a_valid_file(user_dirs):
    content = (
        b"# my settings\n"
        b"[github]\n"
        b'repos = ["textualize/textual", "astral-sh/uv"]\n'
        b"poll_seconds = 120\n"
        b"\n"
        b"[ui]\n"
        b'theme = "nord"\n'
        b"\n"
        b"[keys]\n"
        b'quit = "ctrl+q"\n'
    )
    path = write_config(user_dirs, content)
    result = run("config")
    assert result.returncode == 0, result.stderr
    first, settings = split_config_output(result.stdout)
    assert first == f"# config file: {path}"
    assert settings == {
        "github": {
            "api_url": "https://api.github.com",
            "repos": ["textualize/textual", "astral-sh/uv"],
            "poll_seconds": 120,
        },
        "ui": {"theme": "nord"},
        "user": {"name": getpass.getuser()},
        "keys": {"quit": "ctrl+q"},
    }
    assert path.read_bytes() == content


def test_config_reads_the_file_named_by_nexus_tui_config(user_dirs, tmp_path):
    path = tmp_path / "elsewhere.toml"
    path.write_bytes(b"[github]\npoll_seconds = 15\n")
    result = run("config", NEXUS_TUI_CONFIG=str(path))
    assert result.returncode == 0, result.stderr
    first, settings = split_config_output(result.stdout)
    assert first == f"# config file: {path}"
    assert settings["github"]["poll_seconds"] == 15


def assert_config_refused(result, path: Path, content: bytes, *fragments: str) -> str:
    """Exit status 2, nothing on stdout, and a message on stderr naming ``fragments``."""
    assert result.returncode == 2, result.stdout
    assert result.stdout == ""
    message = result.stderr
    assert message.startswith("nexus-tui: ")
    assert str(path) in message
    for fragment in fragments:
        assert fragment in message, message
    assert_no_traceback(result)
    # Refusing a file must never repair, rewrite or replace it.
    assert path.read_bytes() == content
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]
    return message


def test_config_with_malformed_toml_names_the_file_and_line(user_dirs):
    content = b'[github]\npoll_seconds = 30\nrepos = ["a/b"\n\n[ui]\ntheme = "nord"\n'
    path = write_config(user_dirs, content)
    message = assert_config_refused(run("config"), path, content, "line", "not valid TOML")
    # tomllib reports the unclosed array where it gave up: line 4 or 5, never line 1.
    assert f"{path}, line " in message
    line = int(message.split(f"{path}, line ", 1)[1].split(":", 1)[0])
    assert line in (4, 5), message


def test_config_with_a_broken_last_line_names_that_line(user_dirs):
    content = b'[ui]\ntheme = "textual-dark"\nbroken =\n'
    path = write_config(user_dirs, content)
    assert_config_refused(run("config"), path, content, f"{path}, line 3:")


def test_config_with_a_wrong_type_names_file_line_and_key(user_dirs):
    content = b'[github]\napi_url = "https://api.github.com"\npoll_seconds = "soon"\n'
    path = write_config(user_dirs, content)
    message = assert_config_refused(
        run("config"), path, content, f"{path}, line 3:", "github.poll_seconds", '"soon"'
    )
    assert len(message.splitlines()) <= 2


def test_config_with_an_unknown_key_names_it(user_dirs):
    content = b"[github]\npoll_seconds = 30\npoll_secs = 45\n"
    path = write_config(user_dirs, content)
    assert_config_refused(run("config"), path, content, "line 3", "github.poll_secs")


def test_config_with_an_unknown_table_suggests_the_known_one(user_dirs):
    content = b'[gihub]\nrepos = ["a/b"]\n'
    path = write_config(user_dirs, content)
    assert_config_refused(run("config"), path, content, "line 1", "gihub", '"github"')


def test_config_that_is_not_utf8_names_the_line(user_dirs):
    content = b'[ui]\ntheme = "caf\xe9"\n'
    path = write_config(user_dirs, content)
    assert_config_refused(run("config"), path, content, "line 2", "UTF-8")


def test_config_that_is_a_folder_is_refused(tmp_path):
    folder = tmp_path / "config.toml"
    folder.mkdir()
    result = run("config", NEXUS_TUI_CONFIG=str(folder))
    assert result.returncode == 2
    assert result.stdout == ""
    assert str(folder) in result.stderr
    assert "directory" in result.stderr
    assert_no_traceback(result)
    assert folder.is_dir()
    assert list(folder.iterdir()) == []


# --------------------------------------------------------------------------------------------
# A hub on a PostgreSQL server: where it is named, and its password never shown

PASSWORD = "Pa55-w0rd-not-shown"
SERVER_URL = f"postgresql+psycopg://alice:{PASSWORD}@db.example.org:5432/hub"
SERVER_URL_SHOWN = "postgresql+psycopg://alice:***@db.example.org:5432/hub"


def with_password(url: str, password: str) -> str:
    """`url` (user@host) with `password` after the user's name."""
    scheme, _, rest = url.partition("://")
    user, at, host = rest.partition("@")
    assert at and ":" not in user, url
    return f"{scheme}://{user}:{password}@{host}"


def assert_password_hidden(result: subprocess.CompletedProcess) -> None:
    assert PASSWORD not in result.stdout + result.stderr
    assert_no_traceback(result)


def test_paths_shows_a_server_url_with_its_password_as_stars(user_dirs):
    result = run("paths", "--db", SERVER_URL)
    assert result.returncode == 0, result.stderr
    assert parse_paths(result.stdout)["database"] == SERVER_URL_SHOWN
    assert_password_hidden(result)


def test_the_store_url_in_the_config_names_the_database_after_the_option_and_variable(
    user_dirs, tmp_path
):
    write_config(user_dirs, f'[store]\nurl = "{SERVER_URL}"\n'.encode())
    from_file = run("paths")
    assert from_file.returncode == 0, from_file.stderr
    assert parse_paths(from_file.stdout)["database"] == SERVER_URL_SHOWN
    assert_password_hidden(from_file)
    variable = str(tmp_path / "from-env.db")
    assert parse_paths(run("paths", NEXUS_TUI_DB=variable).stdout)["database"] == variable
    option = str(tmp_path / "from-option.db")
    both = run("paths", "--db", option, NEXUS_TUI_DB=variable)
    assert parse_paths(both.stdout)["database"] == option
    # `config` shows the setting, as `paths` does.
    shown = run("config")
    assert shown.returncode == 0, shown.stderr
    assert split_config_output(shown.stdout)[1]["store"] == {"url": SERVER_URL_SHOWN}
    assert_password_hidden(shown)


def test_a_store_url_that_cannot_be_used_stops_commands_and_keeps_its_password(user_dirs):
    content = f'# the team hub\n[store]\nurl = "mysql://alice:{PASSWORD}@db/hub"\n'.encode()
    path = write_config(user_dirs, content)
    for args in (["paths"], ["search", "python"], ["export", "--format", "json"]):
        result = run(*args)
        assert result.returncode == 2, result.stdout
        assert result.stdout == ""
        assert result.stderr.startswith(f"nexus-tui: {path}, line 3: store.url must be")
        assert "mysql://alice:***@db/hub" in result.stderr
        assert_password_hidden(result)
    # Nothing was created where the default database would be.
    assert not user_dirs["XDG_DATA_HOME"].exists()
    assert path.read_bytes() == content


def test_restore_on_a_server_is_refused_in_words(user_dirs):
    for args in (["restore"], ["restore", "1", "--yes"]):
        result = run("--db", SERVER_URL, *args)
        assert result.returncode == 2
        assert result.stdout == ""
        [line] = result.stderr.splitlines()
        assert line.startswith("nexus-tui: restore is for SQLite hub files")
        assert "pg_dump" in line and "pg_restore" in line
        assert_password_hidden(result)


def test_a_server_url_whose_port_is_not_a_number_is_one_line(user_dirs):
    result = run("search", "--db", f"postgresql://alice:{PASSWORD}@db:fivefour/hub", "python")
    assert result.returncode == 2
    [line] = result.stderr.splitlines()
    assert "port" in line
    assert_password_hidden(result)


def test_a_wrong_password_is_one_sentence_with_exit_status_2(user_dirs, postgres_url, tmp_path):
    readme = Path(__file__).parent / "data" / "readmes" / "project-nexus-README.txt"
    url = with_password(postgres_url, PASSWORD)
    for args in (
        ["search", "python"],
        ["import", str(readme)],
        ["export", "--format", "json"],
        ["repo", "list"],
    ):
        # PGPASSWORD holds the right one; a password in the URL comes first.
        result = run("--db", url, *args)
        assert result.returncode == 2, (args, result.stdout, result.stderr)
        assert result.stdout == ""
        [line] = result.stderr.splitlines()
        assert "refused the login" in line and "password" in line, line
        assert "postgresql+psycopg://nexus:***@" in line
        assert_password_hidden(result)


@needs_pty
def test_the_app_says_a_server_refused_the_login_without_the_password(
    user_dirs, postgres_url, tmp_path
):
    with start_app("--db", with_password(postgres_url, PASSWORD), cwd=tmp_path) as terminal:
        terminal.wait_for("The database cannot be opened", "nexus:***@", "Check")
        status = quit_app(terminal)
    assert status == 0, terminal.transcript[-3000:]
    assert "Traceback" not in terminal.transcript
    assert PASSWORD not in terminal.transcript


# --------------------------------------------------------------------------------------------
# --debug


def test_debug_writes_a_log_with_the_version(user_dirs):
    log_dir = Path(parse_paths(run("paths").stdout)["log"])
    result = run("--debug", "paths")
    assert result.returncode == 0, result.stderr
    # The command itself still does its job.
    assert list(parse_paths(result.stdout)) == PATH_NAMES
    log = (log_dir / "nexus-tui.log").read_text(encoding="utf-8")
    assert f"nexus-tui {__version__}" in log
    assert "DEBUG" in log


def test_debug_after_the_sub_command_also_writes_the_log(user_dirs):
    log_dir = Path(parse_paths(run("paths").stdout)["log"])
    result = run("paths", "--debug")
    assert result.returncode == 0, result.stderr
    assert f"nexus-tui {__version__}" in (log_dir / "nexus-tui.log").read_text(encoding="utf-8")


def test_debug_log_that_cannot_be_created_is_one_line_and_exit_status_2(user_dirs, tmp_path):
    log_dir = Path(parse_paths(run("paths").stdout)["log"])
    assert log_dir.is_relative_to(tmp_path)
    # A regular file where the first missing folder has to go, so creating the log folder fails.
    # On Linux that is XDG_STATE_HOME itself.
    blocker = log_dir
    while not blocker.parent.exists():
        blocker = blocker.parent
    blocker.write_bytes(b"in the way\n")

    result = run("--debug", "paths")
    assert result.returncode == 2
    # Nothing half-done: the paths are not listed after the failure.
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("nexus-tui:")
    assert str(log_dir / "nexus-tui.log") in lines[0]
    assert_no_traceback(result)
    assert blocker.read_bytes() == b"in the way\n"


# --------------------------------------------------------------------------------------------
# The app in a real terminal


def app_environment() -> dict[str, str]:
    environment = dict(os.environ)
    environment["TERM"] = "xterm-256color"
    # A size or driver from the developer's shell would override the pty's 120x40.
    for name in list(environment):
        if name in ("COLUMNS", "LINES", "NO_COLOR") or name.startswith("TEXTUAL"):
            del environment[name]
    return environment


def start_app(*args: str, cwd: Path) -> Terminal:
    return Terminal([*COMMAND, *args], env=app_environment(), cwd=cwd, cols=120, rows=40)


def quit_app(terminal: Terminal) -> int:
    terminal.send("q")
    return terminal.wait_exit(timeout=20)


@needs_pty
def test_app_first_start_shows_the_default_hub_and_quits_cleanly(user_dirs, tmp_path):
    database = user_dirs["XDG_DATA_HOME"] / "nexus-tui" / "nexus.db"
    assert not database.exists()
    with start_app(cwd=tmp_path) as terminal:
        terminal.wait_for("Django REST Framework", "Programming & Frameworks")
        terminal.send("2")
        terminal.wait_for("Mastering Docker")
        terminal.send("?")
        # "Keys" alone is in the footer all along; the dialog's title names the screen.
        terminal.wait_for("Keys · Challenges", "escape to close")
        terminal.send("\x1b")
        terminal.wait_for_absent("Keys · Challenges")
        status = quit_app(terminal)
    assert status == 0, terminal.transcript[-3000:]
    assert "Traceback" not in terminal.transcript
    assert database.read_bytes()[: len(SQLITE_HEADER)] == SQLITE_HEADER


@needs_pty
def test_app_refuses_a_file_that_is_not_a_database_and_leaves_it_alone(user_dirs, tmp_path):
    content = b"Shopping list\n- milk\n- bread\n"
    notes = tmp_path / "notes.txt"
    notes.write_bytes(content)
    # A relative name keeps the message short enough not to wrap mid-phrase in the dialog.
    with start_app("--db", "notes.txt", cwd=tmp_path) as terminal:
        terminal.wait_for("The database cannot be opened", "not a nexus-tui database")
        status = quit_app(terminal)
    assert status == 0, terminal.transcript[-3000:]
    assert "Traceback" not in terminal.transcript
    assert notes.read_bytes() == content
    # Not even a journal or WAL file next to it.
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["notes.txt", *(p.name for p in user_dirs.values() if p.exists())]
    )


@needs_pty
def test_app_says_other_kinds_of_database_are_not_supported(user_dirs, tmp_path):
    work = tmp_path / "work"
    work.mkdir()
    with start_app("--db", "mysql://u@h/db", cwd=work) as terminal:
        terminal.wait_for("The database cannot be opened", "not supported")
        status = quit_app(terminal)
    assert status == 0, terminal.transcript[-3000:]
    assert "Traceback" not in terminal.transcript
    # The URL was not taken for a file name.
    assert list(work.iterdir()) == []


@needs_pty
def test_app_starts_despite_a_malformed_config_and_says_where_it_is(user_dirs, tmp_path):
    content = b'[ui]\ntheme = "nord\n'
    path = write_config(user_dirs, content)
    with start_app(cwd=tmp_path) as terminal:
        terminal.wait_for("Django REST Framework", "Programming & Frameworks")

        def toast_names_file_and_line(screen) -> bool:
            # The path is longer than the toast is wide, so it wraps: compare without blanks.
            toast = "".join(screen.text_right_of("▌").split())
            expected = ("Config file not used", f"{path}, line 2:")
            return all("".join(text.split()) in toast for text in expected)

        terminal.wait_until(toast_names_file_and_line, "a toast naming the config file and line")
        status = quit_app(terminal)
    assert status == 0, terminal.transcript[-3000:]
    assert "Traceback" not in terminal.transcript
    assert path.read_bytes() == content
    assert sorted(p.name for p in path.parent.iterdir()) == ["config.toml"]


@needs_pty
def test_app_debug_log_holds_nexus_tui_records_not_every_librarys(user_dirs, tmp_path):
    log_dir = Path(parse_paths(run("paths").stdout)["log"])
    with start_app("--debug", cwd=tmp_path) as terminal:
        # The first note's text: by now a Markdown document has been rendered.
        terminal.wait_for("Python for backend work", "Give every project")
        status = quit_app(terminal)
    assert status == 0, terminal.transcript[-3000:]
    lines = (log_dir / "nexus-tui.log").read_text(encoding="utf-8").splitlines()
    assert any(f"nexus-tui {__version__}" in line for line in lines)
    # --debug is for nexus-tui's own records. Debug tracing from libraries (markdown-it logs
    # every parser rule it tries, for every note shown) buries them and slows rendering down.
    records = [match for line in lines if (match := LOG_RECORD.match(line))]
    foreign = [
        record[0]
        for record in records
        if record["level"] == "DEBUG" and not record["logger"].startswith("nexus_tui")
    ]
    assert foreign == [], f"{len(foreign)} of {len(lines)} lines, e.g. {foreign[:3]}"


@needs_pty
def test_moving_quickly_onto_a_category_does_not_leave_the_last_topics_note(user_dirs, tmp_path):
    # Found while driving the app by hand: keys typed faster than the notes load. From Python,
    # four "j" go Django Framework, DRF, GraphQL (Graphene), then the next category's row.
    with start_app(cwd=tmp_path) as terminal:
        terminal.wait_for("Python for backend work", "Give every project")
        terminal.send("jjjj")
        terminal.wait_for("Choose a topic to see its notes.")
        terminal.wait_quiet()
        screen = terminal.screen.text()
        status = quit_app(terminal)
    assert status == 0
    # On a category row the notes pane is empty, as it is when the same keys come slowly; the
    # GraphQL topic's note must not arrive late and stay under the category's heading.
    assert "Graphene with Django" not in screen, screen
    assert "Backend & Infrastructure Tools" in screen, screen
