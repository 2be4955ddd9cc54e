"""The GitHub client against servers that misbehave, on real sockets on 127.0.0.1: one that never
answers, one that answers far too slowly, one that drops the connection mid-body, one that streams
200 MB, and one whose `link: rel="next"` chain never ends. Each call must end, with a clear error
(or a bounded result), and read only a bounded amount; the CI screen says the state in words.

No assertion is about speed: short client timeouts make the calls end soon, and the tests check
only that they end, and how.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
import time
import tracemalloc
from collections.abc import Callable

import httpx
import pytest
from conftest import make_app, settle
from github_server import FakeGitHub, Reply, Seen
from textual.widgets import Static

from nexus_tui.config import GithubSettings, Settings
from nexus_tui.github.auth import Token
from nexus_tui.github.cache import MemoryCache
from nexus_tui.github.client import MAX_BODY_BYTES, GitHubClient, TooLarge, Unreachable

TOKEN = "ghp_stressLOOPBACKtoken0123456789abcdef"
GIGANTIC = 200 * 1024 * 1024
CHUNK = 64 * 1024
# Far below the 200 MB sent, far above the client's bound plus what the sockets buffer.
READ_AT_MOST = MAX_BODY_BYTES + 24 * 1024 * 1024


async def instant(seconds: float) -> None:
    """The client's retry pause, without the waiting."""


class RawServer:
    """A listening socket on 127.0.0.1 whose connections are handed, one thread each, to
    `handle(connection, server)` after the request head has been read."""

    def __init__(self, handle: Callable[[socket.socket, RawServer], None]) -> None:
        self.handle = handle
        self.stopped = threading.Event()
        self.sent = 0
        """Body bytes the handler managed to send, over all connections."""
        self.requests = 0
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.05)
        self._threads: list[threading.Thread] = []
        self._accepting = threading.Thread(target=self._accept, daemon=True)
        self._accepting.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._listener.getsockname()[1]}"

    def _accept(self) -> None:
        while not self.stopped.is_set():
            try:
                connection, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            thread = threading.Thread(target=self._serve, args=(connection,), daemon=True)
            self._threads.append(thread)
            thread.start()

    def _serve(self, connection: socket.socket) -> None:
        with connection:
            head = b""
            connection.settimeout(5)
            try:
                while b"\r\n\r\n" not in head:
                    data = connection.recv(4096)
                    if not data:
                        return
                    head += data
            except OSError:
                return
            self.requests += 1
            # OSError: the client hung up, which is what these servers are for.
            with contextlib.suppress(OSError):
                self.handle(connection, self)

    def send_body(self, connection: socket.socket, data: bytes) -> None:
        connection.sendall(data)
        self.sent += len(data)

    def stop(self) -> None:
        self.stopped.set()
        self._listener.close()
        for thread in self._threads:
            thread.join(timeout=5)

    def __enter__(self) -> RawServer:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


def never_answers(connection: socket.socket, server: RawServer) -> None:
    server.stopped.wait()


def trickles(connection: socket.socket, server: RawServer) -> None:
    # Each byte comes well within the read timeout, so only a deadline for the whole ends it.
    connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n")
    connection.sendall(b"Transfer-Encoding: chunked\r\n\r\n")
    while not server.stopped.wait(0.05):
        server.send_body(connection, b"1\r\n \r\n")


def drops_mid_body(connection: socket.socket, server: RawServer) -> None:
    connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n")
    connection.sendall(b"Content-Length: 100000\r\n\r\n")
    server.send_body(connection, b'{"full_name": "octo/r", "default_branch": "ma')
    connection.shutdown(socket.SHUT_RDWR)


def streams_gigantic(connection: socket.socket, server: RawServer) -> None:
    # Chunked, with no length to refuse it by: only counting while reading stops it.
    connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n")
    connection.sendall(b"Transfer-Encoding: chunked\r\n\r\n")
    chunk = f"{CHUNK:x}\r\n".encode() + b'"' + b"x" * (CHUNK - 2) + b'"' + b"\r\n"
    server.send_body(connection, b"1\r\n[\r\n")
    while server.sent < GIGANTIC and not server.stopped.is_set():
        server.send_body(connection, chunk)
    server.send_body(connection, b"0\r\n\r\n")


def says_gigantic(connection: socket.socket, server: RawServer) -> None:
    connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n")
    connection.sendall(f"Content-Length: {GIGANTIC}\r\n\r\n".encode())
    block = b" " * CHUNK
    while server.sent < GIGANTIC and not server.stopped.is_set():
        server.send_body(connection, block)


def client_for(url: str, **options) -> GitHubClient:
    options.setdefault("timeout", httpx.Timeout(0.5))
    options.setdefault("deadline", 2.0)
    options.setdefault("retries", 1)
    return GitHubClient(
        url, Token(TOKEN, "GH_TOKEN"), cache=MemoryCache(), sleep=instant, **options
    )


async def fetch(client: GitHubClient, path: str = "/repos/octo/r"):
    # The outer bound only turns a hang into a failure instead of a stuck test run.
    async with client:
        return await asyncio.wait_for(client.get_json(path), timeout=60)


async def test_a_server_that_never_answers_ends_in_a_timeout_error():
    with RawServer(never_answers) as server, pytest.raises(Unreachable) as caught:
        await fetch(client_for(server.url))
    assert str(caught.value) == "GitHub could not be reached: no answer in time"
    # Asked once and retried once, as configured: no endless retrying either.
    assert server.requests == 2


async def test_an_answer_that_trickles_in_forever_ends_at_the_deadline():
    with RawServer(trickles) as server, pytest.raises(Unreachable) as caught:
        await fetch(client_for(server.url, retries=0))
    assert "no answer in time" in str(caught.value)
    assert server.sent > 0  # it was answering, just never finishing


async def test_a_connection_dropped_mid_body_is_a_clear_error():
    with RawServer(drops_mid_body) as server, pytest.raises(Unreachable) as caught:
        await fetch(client_for(server.url))
    assert str(caught.value) == "GitHub could not be reached: the connection broke off"
    assert server.requests == 2


@pytest.mark.parametrize("handler", [streams_gigantic, says_gigantic], ids=["chunked", "length"])
async def test_a_gigantic_answer_is_not_read_past_the_bound(handler):
    tracemalloc.start()
    try:
        with RawServer(handler) as server:
            with pytest.raises(TooLarge) as caught:
                await fetch(client_for(server.url))
            _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "larger than 8 MB" in str(caught.value)
    assert caught.value.transient
    # The server could hand over only what the client read plus what the sockets buffer.
    assert server.sent < READ_AT_MOST
    # Memory is bounded by the limit, not by what the server offers.
    assert peak < 4 * MAX_BODY_BYTES
    # Not retried: a second 200 MB would be no better.
    assert server.requests == 1


async def test_an_endless_next_chain_stops_after_the_page_limit():
    def page(seen: Seen) -> Reply:
        number = int(seen.path.rsplit("page=", 1)[1]) if "page=" in seen.path else 1
        link = f'<{github.url}/repos/octo/r/pulls?page={number + 1}>; rel="next"'
        return Reply(200, [{"number": number}], {"link": link})

    with FakeGitHub() as github:
        github.route("/repos/octo/r/pulls", page)
        async with client_for(github.url) as client:
            items = await asyncio.wait_for(
                client.get_pages("/repos/octo/r/pulls", max_pages=4), timeout=60
            )
        assert [item["number"] for item in items] == [1, 2, 3, 4]
        assert len(github.requests_to("/repos/octo/r/pulls")) == 4


async def test_the_pull_requests_of_an_endless_chain_are_bounded_too():
    from nexus_tui.github.service import CiService

    def page(seen: Seen) -> Reply:
        link = f'<{github.url}/repos/octo/r/pulls?page={time.monotonic_ns()}>; rel="next"'
        return Reply(200, [], {"link": link})

    with FakeGitHub() as github:
        github.route("/repos/octo/r/pulls", page)
        async with CiService(client_for(github.url), None) as service:
            await asyncio.wait_for(service.pull_requests("octo/r"), timeout=60)
        assert 1 <= len(github.requests_to("/repos/octo/r/pulls")) <= 5


# --- on the CI screen --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("handler", "words"),
    [
        (never_answers, "GitHub could not be reached: no answer in time"),
        (drops_mid_body, "GitHub could not be reached: the connection broke off"),
        (streams_gigantic, "GitHub's answer was larger than 8 MB; it was not read further"),
    ],
    ids=["hangs", "drops", "gigantic"],
)
async def test_the_ci_screen_says_what_went_wrong_in_words(app_paths, monkeypatch, handler, words):
    monkeypatch.setenv("GH_TOKEN", TOKEN)
    with RawServer(handler) as server:
        settings = Settings(github=GithubSettings(api_url=server.url, repos=("octo/r",)))
        app = make_app(app_paths, settings, poll_github=True)
        app.ci_poll.client_options.update(sleep=instant, timeout=httpx.Timeout(0.5), deadline=2.0)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            await pilot.press("4")
            await settle(pilot)
            summary = str(app.screen.query_one("#ci-summary", Static).render())
            assert "octo/r" in summary
            assert words in summary, summary
            # The app goes on: the strip shows the state, and it can be asked again.
            assert "octo/r" in str(app.screen.query_one("CiStrip").render())
            await pilot.press("r")
            await settle(pilot)
            assert words in str(app.screen.query_one("#ci-summary", Static).render())
