"""The token never leaks: with a fresh random token in GH_TOKEN and debug logging on, every
sub-command and the app run for real against a stand-in GitHub on 127.0.0.1; then every byte of
every file under the test's user folders, and everything printed, is searched for the token and
the forms it travels in (base64, "token …", "Bearer …"). A redirect to another host must not carry
the token: a second server on another host records what reaches it.
"""

from __future__ import annotations

import base64
import json
import secrets
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from conftest import own_user_folders
from github_server import FakeGitHub, Reply, run, serve_repo
from terminal import Terminal
from test_cli import COMMAND, app_environment, needs_pty
from test_cli import run as nexus

from nexus_tui.github.auth import Token
from nexus_tui.github.cache import MemoryCache
from nexus_tui.github.client import GitHubClient, RedirectRefused

TOKEN = f"ghp_{secrets.token_hex(18)}"


def leaked_forms(token: str) -> dict[str, bytes]:
    """What a leak of `token` could look like, as bytes to look for."""
    raw = token.encode()
    forms = {
        "the token": raw,
        "its random part": raw[4:28],
        "token <t>": b"token " + raw,
        "Bearer <t>": b"Bearer " + raw,
    }
    # Basic auth ("user:token"), or the token alone, base64-encoded; the padding may be cut.
    for label, payload in {
        "base64": raw,
        "base64 of x-access-token:<t>": b"x-access-token:" + raw,
        "base64 of <t>:": raw + b":",
        "base64 of token <t>": b"token " + raw,
    }.items():
        forms[label] = base64.b64encode(payload).rstrip(b"=")
        forms[f"url-safe {label}"] = base64.urlsafe_b64encode(payload).rstrip(b"=")
    return forms


LEAKS = leaked_forms(TOKEN)


def leaks_in(data: bytes) -> list[str]:
    return [label for label, form in LEAKS.items() if form in data]


class RecordingServer:
    """Another host (127.0.0.2): answers everything with a repository and records the headers."""

    def __init__(self) -> None:
        self.headers: list[dict[str, str]] = []
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                recorder.headers.append({k.lower(): v for k, v in self.headers.items()})
                body = json.dumps({"full_name": "octo/moved", "default_branch": "main"}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.2", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.2:{self._server.server_address[1]}"

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()


@pytest.fixture
def other_host():
    server = RecordingServer()
    yield server
    server.stop()


@pytest.fixture
def github():
    with FakeGitHub() as server:
        serve_repo(server, "octo/green", [run("CI", workflow_id=1, number=3)])
        serve_repo(server, "octo/other", [run("CI", workflow_id=1, conclusion="failure")])
        yield server


@pytest.fixture
def dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    folders = own_user_folders(tmp_path, monkeypatch)
    monkeypatch.setenv("GH_TOKEN", TOKEN)
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    return folders


def write_config(dirs: dict[str, Path], api_url: str) -> Path:
    path = dirs["XDG_CONFIG_HOME"] / "nexus-tui" / "config.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f'[github]\napi_url = "{api_url}"\nrepos = ["octo/green"]\n')
    return path


def every_file_leaks(root: Path) -> dict[str, list[str]]:
    found = {}
    for path in root.rglob("*"):
        if path.is_file() and (leaks := leaks_in(path.read_bytes())):
            found[str(path.relative_to(root))] = leaks
    return found


def assert_the_token_was_used(github: FakeGitHub) -> None:
    # Otherwise finding it nowhere would prove nothing.
    assert github.seen
    assert all(seen.headers.get("authorization") == f"Bearer {TOKEN}" for seen in github.seen)


def test_the_forms_searched_for_are_found_where_they_are():
    # The search itself works: each form, put in a file's bytes, is found.
    for label, form in LEAKS.items():
        assert label in leaks_in(b"prefix " + form + b" suffix")
    assert leaks_in(b"nothing here") == []


def test_every_sub_command_with_debug_logging_leaks_nothing(dirs, github, tmp_path, other_host):
    write_config(dirs, github.url)
    # A repository that moved to another host, and one whose answer is a refusal.
    github.route("/repos/octo/moved", Reply(301, None, {"Location": f"{other_host.url}/x"}))
    github.route("/repos/octo/denied", Reply(401, {"message": "Bad credentials"}))
    commands = [
        ["paths"],
        ["config"],
        ["ci"],
        ["ci", "--json"],
        ["ci", "--repo", "octo/moved", "octo/denied"],
        ["repo", "add", "octo/other"],
        ["repo", "list"],
        ["ci"],
        ["repo", "remove", "octo/other"],
        ["search", "python"],
        ["search", "--json", "octo"],
        ["restore"],
    ]
    printed = []
    for command in commands:
        result = nexus("--debug", *command)
        assert "Traceback" not in result.stderr, (command, result.stderr)
        printed.append((command, result.stdout + result.stderr))
    assert_the_token_was_used(github)
    assert other_host.headers == []
    log = dirs["XDG_STATE_HOME"] / "nexus-tui" / "log" / "nexus-tui.log"
    # The log was written (with the requests in it), and the database holds the CI cache.
    assert "octo/green" in log.read_text(encoding="utf-8")
    assert (dirs["XDG_DATA_HOME"] / "nexus-tui" / "nexus.db").is_file()
    assert [(command, leaks_in(text.encode())) for command, text in printed] == [
        (command, []) for command, _ in printed
    ]
    assert every_file_leaks(tmp_path) == {}


@needs_pty
def test_the_app_polling_github_with_debug_logging_leaks_nothing(dirs, github, tmp_path):
    write_config(dirs, github.url)
    environment = app_environment()
    with Terminal([*COMMAND, "--debug"], env=environment, cwd=tmp_path) as terminal:
        # The strip shows the state GitHub gave: a round of polling has been made.
        terminal.wait_for("CI ✓ octo/green")
        terminal.send("4")
        terminal.wait_for("success on main")
        terminal.send("q")
        assert terminal.wait_exit(timeout=20) == 0
    assert_the_token_was_used(github)
    assert leaks_in(terminal.raw) == []
    assert leaks_in(terminal.transcript.encode()) == []
    assert every_file_leaks(tmp_path) == {}


@pytest.mark.parametrize("status", [301, 302, 307])
@pytest.mark.parametrize("host", ["127.0.0.2", "localhost"])
async def test_a_redirect_to_another_host_does_not_carry_the_token(
    github, other_host, status, host
):
    # 127.0.0.2 is another server; "localhost" is this very server under another host name, so
    # it would record the request if the client followed with the token.
    target = other_host.url if host == "127.0.0.2" else github.url.replace("127.0.0.1", host)
    github.route("/repos/octo/moved", Reply(status, None, {"Location": f"{target}/landing"}))
    github.route("/landing", Reply(200, {"full_name": "octo/moved"}))
    client = GitHubClient(github.url, Token(TOKEN, "GH_TOKEN"), cache=MemoryCache())
    async with client:
        with pytest.raises(RedirectRefused) as caught:
            await client.get_json("/repos/octo/moved")
    assert "another host" in str(caught.value) and host in str(caught.value)
    assert TOKEN not in str(caught.value)
    carried = [h for h in other_host.headers if "authorization" in h]
    carried += [seen.headers for seen in github.requests_to("/landing")]
    assert carried == []
    assert_the_token_was_used(github)


async def test_a_redirect_on_the_same_host_does_carry_it(github):
    # The control: the recording sees the token when it is meant to be sent.
    github.route("/repos/octo/moved", Reply(307, None, {"Location": "/landing"}))
    github.route("/landing", Reply(200, {"full_name": "octo/moved"}))
    async with GitHubClient(github.url, Token(TOKEN, "GH_TOKEN"), cache=MemoryCache()) as client:
        answer = await client.get_json("/repos/octo/moved")
    assert answer.body == {"full_name": "octo/moved"}
    (landing,) = github.requests_to("/landing")
    assert landing.headers["authorization"] == f"Bearer {TOKEN}"


def test_a_cli_redirect_to_another_host_is_reported_without_the_token(dirs, github, other_host):
    write_config(dirs, github.url)
    github.route(
        "/repos/octo/moved", Reply(302, None, {"Location": f"{other_host.url}/repos/octo/moved"})
    )
    result = nexus("--debug", "ci", "--repo", "octo/moved")
    assert result.returncode == 2
    assert "redirected to another host (127.0.0.2)" in result.stdout
    assert other_host.headers == []
    assert leaks_in((result.stdout + result.stderr).encode()) == []
