"""`nexus-tui ci` and `nexus-tui repo` as a user runs them: a real process, real files, and a real
HTTP server on 127.0.0.1 standing in for GitHub (tests/github_server.py).

The config file names the server (`[github] api_url`); the token comes from GH_TOKEN. Nothing
waits for real: the command never sleeps on a rate limit, and no scenario here needs a retry.
Tests of what is kept in the hub (the cache, the last known state, stored repositories) take
`hub`: the default SQLite file, or a PostgreSQL schema named by `[store] url` in the config.
"""

from __future__ import annotations

import json
import os
import re
import sys
import time
from pathlib import Path

import pytest
import tomli_w
from conftest import own_user_folders
from github_server import FakeGitHub, Reply, run, serve_repo
from terminal import Terminal
from test_cli import run as nexus

from nexus_tui.store import Store, queries
from nexus_tui.store.database import is_postgres_url
from nexus_tui.store.seed import has_held_data

COMMAND = [sys.executable, "-m", "nexus_tui"]
TOKEN = "ghp_cliLOOPBACKtoken9876543210zyxwvu"
RUN_KEYS = {
    "workflow", "branch", "status", "conclusion", "title", "url", "run_number", "updated_at",
}  # fmt: skip
REPO_KEYS = {"repo", "state", "stale", "fetched_at", "default_branch", "error", "runs"}
# Text GitHub may send that must reach the terminal only as text.
EVIL_TITLE = "[bold red]pwned[/] \x1b]0;hijacked\x07\x1b[2J\x1b[31mred\x9b1m [link=x]y[/link]"
EVIL_BRANCH = "main[/]\x1b[8m"

needs_pty = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pty")


@pytest.fixture
def github():
    with FakeGitHub() as server:
        yield server


@pytest.fixture
def dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    """This test's own user folders (not created yet), and the token in GH_TOKEN."""
    folders = own_user_folders(tmp_path, monkeypatch)
    monkeypatch.setenv("GH_TOKEN", TOKEN)
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    return folders


@pytest.fixture
def hub(dirs: dict[str, Path], hub_location: str) -> str:
    """Where the commands keep the hub: the default SQLite file, which they find on their own, or
    a PostgreSQL schema, which the config must name (`store_setting`)."""
    return hub_location if is_postgres_url(hub_location) else str(database_file(dirs))


def store_setting(hub: str) -> dict:
    """The config's [store] table for `hub`: none for the default file."""
    return {"store": {"url": hub}} if is_postgres_url(hub) else {}


def add_stored_repos(hub: str, *names: str, collaborator: str | None = None) -> None:
    """Repositories stored in the hub, as the Collaborators screen stores them."""
    stamp = "2026-01-01 00:00:00"

    def add(conn) -> None:
        person = None
        if collaborator is not None:
            person = conn.execute(
                "INSERT INTO collaborators (name, created_at, updated_at) VALUES (?, ?, ?) "
                "RETURNING id",
                (collaborator, stamp, stamp),
            ).fetchone()[0]
        for name in names:
            conn.execute(
                "INSERT INTO repos (full_name, collaborator_id, created_at) VALUES (?, ?, ?)",
                (name, person, stamp),
            )

    Store.open(hub).write(add)


def config_file(dirs: dict[str, Path]) -> Path:
    return dirs["XDG_CONFIG_HOME"] / "nexus-tui" / "config.toml"


def database_file(dirs: dict[str, Path]) -> Path:
    return dirs["XDG_DATA_HOME"] / "nexus-tui" / "nexus.db"


def write_config(dirs: dict[str, Path], api_url: str, repos: list[str], **more: dict) -> Path:
    path = config_file(dirs)
    path.parent.mkdir(parents=True, exist_ok=True)
    document = {"github": {"api_url": api_url, "repos": repos}, **more}
    path.write_text(tomli_w.dumps(document), encoding="utf-8")
    return path


def ci_json(*args: str, expect: int, **env: str | None) -> dict:
    result = nexus("ci", "--json", *args, **env)
    assert result.returncode == expect, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    return json.loads(result.stdout)


def by_repo(document: dict) -> dict[str, dict]:
    return {entry["repo"]: entry for entry in document["repos"]}


def rate_limited(seen) -> Reply:
    # Reset an hour ahead of the real clock: the command runs on real time.
    return Reply(
        403,
        {"message": "API rate limit exceeded for user ID 1."},
        {
            "x-ratelimit-limit": "5000",
            "x-ratelimit-remaining": "0",
            "x-ratelimit-used": "5000",
            "x-ratelimit-reset": str(int(time.time()) + 3600),
            "x-ratelimit-resource": "core",
        },
    )


def serve_world(github: FakeGitHub) -> None:
    """Repositories in every state: green, failing, running, rate-limited, missing (unrouted)."""
    serve_repo(
        github,
        "octo/green",
        [
            run("CI", workflow_id=1, number=12, title="Add the parser"),
            run("CI", workflow_id=1, number=11, conclusion="failure",
                created_at="2026-11-25T09:00:00Z"),
            run("Lint", workflow_id=2, number=4, title="Tidy imports"),
        ],
    )  # fmt: skip
    serve_repo(
        github,
        "octo/red",
        [
            run("CI", workflow_id=1, number=7, conclusion="failure", title="Break the build"),
            run("Lint", workflow_id=2, number=3),
        ],
    )
    serve_repo(
        github, "octo/busy", [run("CI", workflow_id=1, status="in_progress", conclusion=None)]
    )
    github.route("/repos/octo/limited", rate_limited)


def assert_token_on_every_request(github: FakeGitHub) -> None:
    assert github.seen
    for seen in github.seen:
        assert seen.headers.get("authorization") == f"Bearer {TOKEN}", seen.path


# --- states and exit statuses ----------------------------------------------------------------


def test_green_repository_prints_a_table_and_exits_0(github, dirs):
    serve_world(github)
    write_config(dirs, github.url, ["octo/green"])
    result = nexus("ci")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    assert re.match(r"✓ octo/green\s+success\s+main\s+just now$", lines[0]), lines[0]
    assert re.match(r"\s+✓ CI\s+success\s+#12\s+Add the parser$", lines[1]), lines[1]
    assert re.match(r"\s+✓ Lint\s+success\s+#4\s+Tidy imports$", lines[2]), lines[2]
    assert lines[3].startswith("GitHub rate limit:")
    # Not a terminal: no colour.
    assert "\x1b" not in result.stdout
    assert_token_on_every_request(github)


def test_json_has_exactly_the_documented_shape(github, dirs):
    serve_world(github)
    write_config(dirs, github.url, ["octo/green"])
    document = ci_json(expect=0)
    assert set(document) == {"repos", "rate_limit"}
    [green] = document["repos"]
    assert set(green) == REPO_KEYS
    assert (green["repo"], green["state"], green["stale"], green["error"]) == (
        "octo/green", "success", False, None,
    )  # fmt: skip
    assert green["default_branch"] == "main"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", green["fetched_at"])
    assert [run["workflow"] for run in green["runs"]] == ["CI", "Lint"]
    for entry in green["runs"]:
        assert set(entry) == RUN_KEYS
    assert green["runs"][0] == {
        "workflow": "CI",
        "branch": "main",
        "status": "completed",
        "conclusion": "success",
        "title": "Add the parser",
        "url": "https://github.com/o/r/actions/runs/1012",
        "run_number": 12,
        "updated_at": "2026-11-26T09:05:00Z",
    }
    # From the latest answer's x-ratelimit-* headers; the reset in Unix time, as GitHub gives it.
    assert document["rate_limit"] == {"limit": 5000, "remaining": 4870, "reset": 1795000000}


def test_a_failing_repository_exits_1(github, dirs):
    serve_world(github)
    write_config(dirs, github.url, ["octo/green", "octo/red"])
    document = ci_json(expect=1)
    red = by_repo(document)["octo/red"]
    assert red["state"] == "failure"
    assert {(r["workflow"], r["conclusion"]) for r in red["runs"]} == {
        ("CI", "failure"), ("Lint", "success"),
    }  # fmt: skip
    table = nexus("ci")
    assert table.returncode == 1
    assert "✗ octo/red" in table.stdout
    assert "Break the build" in table.stdout


def test_a_running_repository_exits_2(github, dirs):
    serve_world(github)
    write_config(dirs, github.url, ["octo/green", "octo/busy"])
    document = ci_json(expect=2)
    busy = by_repo(document)["octo/busy"]
    assert busy["state"] == "pending"
    assert (busy["runs"][0]["status"], busy["runs"][0]["conclusion"]) == ("in_progress", None)


def test_a_rate_limited_repository_is_unknown_with_the_reason_and_nothing_waits(github, dirs):
    serve_world(github)
    # Limited first: its answer must not decide for the repository after it.
    write_config(dirs, github.url, ["octo/limited", "octo/green"])
    document = ci_json(expect=2)
    limited, green = document["repos"]
    assert limited["state"] == "unknown"
    assert re.fullmatch(r"GitHub rate limit exhausted until \d\d:\d\d UTC", limited["error"])
    assert (limited["stale"], limited["runs"]) == (False, [])
    assert green["state"] == "success"
    # Asked once, not retried, not waited for.
    assert len(github.requests_to("/repos/octo/limited")) == 1


def test_retry_after_is_not_waited_for_either(github, dirs):
    serve_world(github)
    github.route("/repos/octo/slow", Reply(429, {"message": "slow down"}, {"retry-after": "3600"}))
    write_config(dirs, github.url, ["octo/slow"])
    [slow] = ci_json(expect=2)["repos"]
    assert slow["state"] == "unknown"
    assert re.fullmatch(r"GitHub asked to wait until \d\d:\d\d UTC \(retry-after\)", slow["error"])
    assert len(github.requests_to("/repos/octo/slow")) == 1


def test_a_missing_repository_is_unknown_and_exits_2(github, dirs):
    serve_world(github)
    write_config(dirs, github.url, ["octo/green", "octo/missing"])
    missing = by_repo(ci_json(expect=2))["octo/missing"]
    assert missing["state"] == "unknown"
    assert missing["error"] == "repository not found or not visible with this token"
    table = nexus("ci")
    assert "? octo/missing" in table.stdout
    assert "repository not found or not visible with this token" in table.stdout


def test_every_state_at_once(github, dirs):
    serve_world(github)
    names = ["octo/green", "octo/red", "octo/busy", "octo/limited", "octo/missing"]
    write_config(dirs, github.url, names)
    document = ci_json(expect=1)
    assert [(entry["repo"], entry["state"]) for entry in document["repos"]] == [
        ("octo/green", "success"),
        ("octo/red", "failure"),
        ("octo/busy", "pending"),
        ("octo/limited", "unknown"),
        ("octo/missing", "unknown"),
    ]
    assert document["rate_limit"]["remaining"] == 0
    assert_token_on_every_request(github)


# --- text from GitHub is text ----------------------------------------------------------------


def serve_evil(github: FakeGitHub) -> None:
    serve_repo(
        github,
        "octo/evil",
        [run("[i]Deploy[/i]\x1b[5m", workflow_id=1, conclusion="failure", title=EVIL_TITLE,
             branch=EVIL_BRANCH)],
        default_branch=EVIL_BRANCH,
    )  # fmt: skip


def test_markup_and_escape_codes_are_shown_literally_and_harmless(github, dirs):
    serve_evil(github)
    write_config(dirs, github.url, ["octo/evil"])
    table = nexus("ci")
    assert table.returncode == 1, table.stderr
    for forbidden in ("\x1b", "\x07", "\x9b"):
        assert forbidden not in table.stdout
    assert "[bold red]pwned[/] red [link=x]y[/link]" in table.stdout
    assert "hijacked" not in table.stdout
    assert "[i]Deploy[/i]" in table.stdout
    assert "main[/]" in table.stdout

    result = nexus("ci", "--json")
    assert result.returncode == 1
    assert result.stdout.isascii()
    [evil] = json.loads(result.stdout)["repos"]
    # Escape sequences removed (even a `jq -r` of the document cannot print one); markup kept.
    assert evil["runs"][0]["title"] == "[bold red]pwned[/] red [link=x]y[/link]"
    assert evil["default_branch"] == "main[/]"
    assert evil["runs"][0]["branch"] == "main[/]"
    assert evil["runs"][0]["workflow"] == "[i]Deploy[/i]"


@needs_pty
def test_on_a_terminal_only_our_colours_are_escape_codes(github, dirs, tmp_path):
    serve_evil(github)
    serve_repo(github, "octo/green", [run("CI", workflow_id=1)])
    write_config(dirs, github.url, ["octo/green", "octo/evil"])
    env = {**os.environ, "TERM": "xterm-256color"}
    with Terminal([*COMMAND, "ci"], env=env, cwd=tmp_path) as terminal:
        status = terminal.wait_exit()
    raw = terminal.raw.decode("utf-8")
    assert status == 1
    # Colour on a terminal...
    assert "\x1b[32m✓\x1b[0m" in raw
    assert "\x1b[31m✗\x1b[0m" in raw
    # ...and every escape sequence is one of our colours: nothing from GitHub's text.
    assert re.sub(r"\x1b\[[0-9;]*m", "", raw).count("\x1b") == 0
    assert "\x07" not in raw
    assert "\x9b" not in raw
    screen = terminal.screen.text()
    assert "[bold red]pwned[/]" in screen
    assert "[link=x]y[/link]" in screen


def test_no_colour_when_asked_not_to(github, dirs, tmp_path):
    if sys.platform == "win32":
        pytest.skip("needs a POSIX pty")
    serve_repo(github, "octo/green", [run("CI", workflow_id=1)])
    write_config(dirs, github.url, ["octo/green"])
    env = {**os.environ, "NO_COLOR": "1"}
    with Terminal([*COMMAND, "ci"], env=env, cwd=tmp_path) as terminal:
        assert terminal.wait_exit() == 0
    assert b"\x1b" not in terminal.raw


# --- politeness across processes, offline, and the token -----------------------------------


def test_a_second_run_is_answered_with_304s(github, dirs, hub):
    serve_world(github)
    write_config(dirs, github.url, ["octo/green", "octo/red", "octo/busy"], **store_setting(hub))
    first = ci_json(expect=1)
    asked_first = len(github.seen)
    second = ci_json(expect=1)
    again = github.seen[asked_first:]
    assert len(again) == asked_first == 6
    for seen in again:
        assert seen.headers.get("if-none-match", "").startswith('W/"'), seen.path
        assert seen.status == 304, seen.path
    for entry in (*first["repos"], *second["repos"]):
        entry.pop("fetched_at")
    assert second == first


def test_a_304_without_an_etag_still_reuses_the_stored_answer(github, dirs, hub):
    serve_repo(github, "octo/green", [run("CI", workflow_id=1)], etag_on_304=False)
    write_config(dirs, github.url, ["octo/green"], **store_setting(hub))
    first = ci_json(expect=0)
    second = ci_json(expect=0)
    third = ci_json(expect=0)
    assert [seen.status for seen in github.seen] == [200, 200, 304, 304, 304, 304]
    assert all(seen.headers.get("if-none-match") for seen in github.seen[2:])
    assert first["repos"][0]["runs"] == second["repos"][0]["runs"] == third["repos"][0]["runs"]


def test_with_the_server_gone_the_last_known_state_is_reported_stale(github, dirs, hub):
    serve_world(github)
    write_config(dirs, github.url, ["octo/green", "octo/red", "octo/missing"], **store_setting(hub))
    online = ci_json(expect=1)
    github.stop()

    offline = ci_json(expect=1)
    for before, after in zip(online["repos"], offline["repos"], strict=True):
        assert after["repo"] == before["repo"]
        assert after["error"] == ("GitHub could not be reached: connection refused"), after
    green, red, missing = offline["repos"]
    assert (green["state"], green["stale"]) == ("success", True)
    assert (red["state"], red["stale"]) == ("failure", True)
    assert green["fetched_at"] == online["repos"][0]["fetched_at"]
    assert green["runs"] == online["repos"][0]["runs"]
    # Never known: nothing to show but the reason.
    assert (missing["state"], missing["stale"]) == ("unknown", False)
    assert offline["rate_limit"] is None

    table = nexus("ci")
    assert table.returncode == 1
    assert "last known just now" in table.stdout
    assert "connection refused" in table.stdout


def test_the_token_is_sent_every_time_and_found_nowhere_on_disk(github, dirs, tmp_path, hub):
    serve_world(github)
    repos = ["octo/green", "octo/red", "octo/limited", "octo/missing"]
    write_config(dirs, github.url, repos, **store_setting(hub))
    outputs = [nexus("--debug", "ci"), nexus("ci", "--json", "--debug")]
    github.stop()
    outputs.append(nexus("--debug", "ci"))
    assert_token_on_every_request(github)
    assert len(github.seen) >= 10
    log = dirs["XDG_STATE_HOME"] / "nexus-tui" / "log" / "nexus-tui.log"
    assert "/repos/octo/green" in log.read_text(encoding="utf-8")
    assert database_file(dirs).exists() != is_postgres_url(hub)
    files = [path for path in tmp_path.rglob("*") if path.is_file()]
    assert log in files
    for path in files:
        assert TOKEN.encode() not in path.read_bytes(), path
    # Nor in what the hub keeps, wherever it is.
    kept = Store.open(hub).read(
        lambda conn: [
            row
            for table in ("http_cache", "ci_status")
            for row in conn.execute(f"SELECT * FROM {table}").fetchall()
        ]
    )
    assert kept
    assert TOKEN not in repr(kept)
    for result in outputs:
        assert TOKEN not in result.stdout + result.stderr
        assert "Traceback" not in result.stderr


def test_without_a_token_nothing_is_sent_as_authorization_and_the_table_says_so(
    github, dirs, tmp_path
):
    serve_repo(github, "octo/green", [run("CI", workflow_id=1)])
    write_config(dirs, github.url, ["octo/green"])
    # A PATH without `gh`: no token from anywhere.
    empty = tmp_path / "bin"
    empty.mkdir()
    result = nexus("ci", GH_TOKEN=None, GITHUB_TOKEN=None, PATH=str(empty))
    assert result.returncode == 0, result.stderr
    assert all("authorization" not in seen.headers for seen in github.seen)
    assert "no GitHub token" in result.stderr
    assert "GH_TOKEN" in result.stderr


# --- which repositories, and the database --------------------------------------------------


def test_the_database_is_created_for_the_cache_but_never_seeded(github, dirs, hub):
    serve_repo(github, "octo/green", [run("CI", workflow_id=1)])
    write_config(dirs, github.url, ["octo/green"], **store_setting(hub))
    assert not database_file(dirs).exists()
    ci_json(expect=0)
    # On a server, the tables are made in the database the config names; no file is.
    assert database_file(dirs).exists() != is_postgres_url(hub)
    store = Store.open(hub)
    assert store.read(has_held_data) is False
    assert store.read(queries.categories_with_topics) == []


def test_repo_options_replace_the_watched_list(github, dirs):
    serve_world(github)
    write_config(dirs, github.url, ["octo/red"])
    document = ci_json(
        "--repo", "https://github.com/octo/green", "--repo", "octo/busy", "OCTO/GREEN", expect=2
    )
    assert [entry["repo"] for entry in document["repos"]] == ["octo/green", "octo/busy"]
    assert github.requests_to("/repos/octo/red") == []


def test_repositories_stored_for_collaborators_are_asked_too(github, dirs, hub):
    serve_world(github)
    write_config(dirs, github.url, ["octo/green"], **store_setting(hub))
    add_stored_repos(hub, "octo/red", "Octo/Green")
    document = ci_json(expect=1)
    assert [entry["repo"] for entry in document["repos"]] == ["octo/green", "octo/red"]


def test_nothing_watched_is_exit_status_2_with_what_to_do(dirs):
    result = nexus("ci")
    assert result.returncode == 2
    assert result.stdout == ""
    assert "no repository is watched" in result.stderr
    assert "repo add" in result.stderr
    document = ci_json(expect=2)
    assert document == {"repos": [], "rate_limit": None}


@pytest.mark.parametrize("bad", ["nothing-here", "a/b/c", "-bad/name", "owner/na me"])
def test_a_bad_repo_option_is_one_line_and_exit_status_2(dirs, bad):
    result = nexus("ci", "--repo", bad)
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("nexus-tui: "), result.stderr
    assert "Traceback" not in result.stderr


def test_a_broken_config_is_exit_status_2_naming_the_file(dirs):
    path = config_file(dirs)
    path.parent.mkdir(parents=True)
    path.write_text("[github]\nrepos = 5\n", encoding="utf-8")
    result = nexus("ci")
    assert result.returncode == 2
    assert str(path) in result.stderr
    assert "github.repos" in result.stderr


# --- nexus-tui repo add | remove | list -------------------------------------------------------


def read_config(dirs: dict[str, Path]) -> dict:
    import tomllib

    return tomllib.loads(config_file(dirs).read_text(encoding="utf-8"))


def test_repo_add_validates_and_keeps_the_other_settings(dirs):
    write_config(
        dirs, "https://ghe.example.com/api/v3", ["octo/one"],
        ui={"theme": "nord"}, keys={"quit": "ctrl+q"},
    )  # fmt: skip
    result = nexus("repo", "add", "https://github.com/Octo/Two.git", "octo/ONE")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["watching Octo/Two", "already watching octo/ONE"]
    document = read_config(dirs)
    assert document["github"]["repos"] == ["octo/one", "Octo/Two"]
    assert document["github"]["api_url"] == "https://ghe.example.com/api/v3"
    assert document["ui"] == {"theme": "nord"}
    assert document["keys"] == {"quit": "ctrl+q"}


def test_repo_add_creates_the_config_file(dirs):
    result = nexus("repo", "add", "octo/first")
    assert result.returncode == 0, result.stderr
    assert read_config(dirs) == {"github": {"repos": ["octo/first"]}}
    assert nexus("repo", "list").stdout == "octo/first\n"


def test_repo_add_refuses_a_bad_name_and_changes_nothing(dirs):
    write_config(dirs, "https://api.github.com", ["octo/one"])
    before = config_file(dirs).read_bytes()
    result = nexus("repo", "add", "octo/two", "not a repo")
    assert result.returncode == 2
    assert len(result.stderr.splitlines()) == 1
    assert config_file(dirs).read_bytes() == before


def test_repo_remove(dirs):
    write_config(dirs, "https://api.github.com", ["octo/one", "octo/two", "octo/three"])
    result = nexus("repo", "remove", "OCTO/TWO")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "no longer watching OCTO/TWO\n"
    assert read_config(dirs)["github"]["repos"] == ["octo/one", "octo/three"]
    missing = nexus("repo", "remove", "octo/nope", "octo/one")
    assert missing.returncode == 1
    assert "octo/nope is not in the watched list" in missing.stderr
    assert read_config(dirs)["github"]["repos"] == ["octo/three"]


def test_repo_list_shows_the_config_then_the_collaborators_repositories(dirs, hub):
    write_config(dirs, "https://api.github.com", ["octo/one"], **store_setting(hub))
    empty = nexus("repo", "list")
    assert (empty.returncode, empty.stdout) == (0, "octo/one\n")
    # Listing creates no database file.
    assert not database_file(dirs).exists()
    add_stored_repos(hub, "ada/api", collaborator="Ada")
    listed = nexus("repo", "list")
    assert listed.returncode == 0
    assert listed.stdout.splitlines() == ["octo/one", "ada/api  (for Ada)"]


def test_repo_list_with_nothing_watched_says_how_to_add(dirs):
    result = nexus("repo", "list")
    assert (result.returncode, result.stdout) == (0, "")
    assert "repo add" in result.stderr
