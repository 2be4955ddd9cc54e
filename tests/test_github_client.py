"""The GitHub client and service against a real HTTP server on 127.0.0.1 (tests/github_server.py)
replaying recorded GitHub responses, with an injected clock and sleep: nothing here really waits.

Also: token discovery, the parsers over recorded bodies, the state rules, and the database side.
"""

from __future__ import annotations

import os
import socket
import ssl
import stat
import subprocess
import sys
import textwrap
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from conftest import FIXED_NOW
from github_server import (
    FakeGitHub,
    Reply,
    Resource,
    Seen,
    recorded,
    recorded_error,
    run,
    runs_list,
    serve_repo,
)

from nexus_tui import __version__
from nexus_tui.config import GithubSettings
from nexus_tui.github.auth import Token, find_token
from nexus_tui.github.cache import MemoryCache, StoreCache
from nexus_tui.github.client import (
    BadCredentials,
    Forbidden,
    GitHubClient,
    NotFound,
    NotJson,
    RateLimited,
    RedirectRefused,
    ServerError,
    Unreachable,
    clock_time,
)
from nexus_tui.github.display import shown, shown_line
from nexus_tui.github.models import (
    RateLimit,
    parse_commits,
    parse_jobs,
    parse_pulls,
    parse_repository,
    parse_run,
    parse_runs,
    run_from_json,
    run_to_json,
)
from nexus_tui.github.service import CiService
from nexus_tui.github.status import (
    FAILURE,
    PENDING,
    SUCCESS,
    UNKNOWN,
    RepoStatus,
    last_known,
    latest_per_workflow,
    next_poll_in,
    repo_state,
    status_from_runs,
)
from nexus_tui.store import Store
from nexus_tui.store.ci import (
    CachedResponse,
    cached_response,
    ci_statuses,
    confirm_response,
    forget_responses_before,
    note_ci_failure,
    save_ci_status,
    save_response,
)

TOKEN = "ghp_loopbackTESTtoken0123456789abcdefXYZ"
AUTHORIZATION = f"Bearer {TOKEN}"
RESET = FIXED_NOW + timedelta(minutes=10)


class FakeTime:
    """A clock that only moves when the code under test sleeps."""

    def __init__(self, start: datetime = FIXED_NOW) -> None:
        self.now = start
        self.sleeps: list[float] = []

    def clock(self) -> datetime:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def github():
    with FakeGitHub() as server:
        yield server


@pytest.fixture
def elsewhere():
    """Another host (another origin): the token must never reach it."""
    with FakeGitHub() as server:
        yield server


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()


@pytest.fixture
def store(tmp_path) -> Store:
    return Store.open(str(tmp_path / "nexus.db"))


# Loading the certificate store takes ~0.2 s per client; one verifying context serves them all.
TLS = ssl.create_default_context()


def make_client(url: str, time: FakeTime, *, token: str | None = TOKEN, **options) -> GitHubClient:
    options.setdefault("cache", MemoryCache())
    options.setdefault("transport", httpx.AsyncHTTPTransport(verify=TLS))
    return GitHubClient(
        url,
        Token(token, "GH_TOKEN") if token else None,
        clock=time.clock,
        sleep=time.sleep,
        random=lambda: 0.5,
        **options,
    )


def assert_token_on_every_request(seen: list[Seen]) -> None:
    assert seen
    assert all(request.headers.get("authorization") == AUTHORIZATION for request in seen)


def closed_port_url() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def epoch(moment: datetime) -> str:
    return str(int(moment.timestamp()))


# --- headers, token, one request at a time ---------------------------------------------------


async def test_every_request_names_the_api_version_the_client_and_the_token(github, fake_time):
    github.route("/repos/o/r", Reply(200, {"full_name": "o/r"}))
    async with make_client(github.url, fake_time) as client:
        answer = await client.get_json("/repos/o/r")
    assert answer.body == {"full_name": "o/r"}
    [seen] = github.seen
    assert seen.headers["accept"] == "application/vnd.github+json"
    assert seen.headers["x-github-api-version"] == "2022-11-28"
    assert seen.headers["user-agent"] == f"nexus-tui/{__version__}"
    assert seen.headers["authorization"] == AUTHORIZATION


async def test_without_a_token_no_authorization_header_is_sent(github, fake_time):
    github.route("/repos/o/r", Reply(200, {}))
    async with make_client(github.url, fake_time, token=None) as client:
        await client.get_json("/repos/o/r")
        assert client.authenticated is False
    assert "authorization" not in github.seen[0].headers


class CountingTransport(httpx.AsyncBaseTransport):
    """The real transport, counting how many requests are out at once."""

    def __init__(self) -> None:
        self.inner = httpx.AsyncHTTPTransport(verify=TLS)
        self.out = 0
        self.most_out = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.out += 1
        self.most_out = max(self.most_out, self.out)
        try:
            return await self.inner.handle_async_request(request)
        finally:
            self.out -= 1

    async def aclose(self) -> None:
        await self.inner.aclose()


async def test_requests_go_one_after_another_never_in_a_burst(github, fake_time):
    import asyncio

    for number in range(6):
        github.route(f"/repos/o/r{number}", Reply(200, {"n": number}))
    transport = CountingTransport()
    async with make_client(github.url, fake_time, transport=transport) as client:
        answers = await asyncio.gather(
            *(client.get_json(f"/repos/o/r{number}") for number in range(6))
        )
    assert [answer.body["n"] for answer in answers] == list(range(6))
    assert transport.most_out == 1
    assert len(github.seen) == 6


def test_the_token_does_not_show_in_reprs():
    token = Token(TOKEN, "GH_TOKEN")
    client = GitHubClient("https://api.github.com", token)
    assert TOKEN not in repr(token)
    assert TOKEN not in str(token)
    assert TOKEN not in repr(client)
    assert "GH_TOKEN" in repr(token)
    with pytest.raises(TypeError):
        import pickle

        pickle.dumps(token)


# --- conditional requests --------------------------------------------------------------------


async def test_a_304_after_an_etag_reuses_the_stored_body_also_in_the_next_process(
    github, fake_time, store
):
    body = recorded("workflow-runs-list.json")
    etag = 'W/"724b15d3417b0c51d3a3d8caeeb1e010551b05b9dca24c6060352397893a3908"'
    github.route("/repos/o/r/actions/runs", Resource(body, etag=etag))
    async with make_client(github.url, fake_time, cache=StoreCache(store)) as client:
        first = await client.get_json("/repos/o/r/actions/runs", {"per_page": 30})
        fake_time.now += timedelta(minutes=1)
        second = await client.get_json("/repos/o/r/actions/runs", {"per_page": 30})
    # Another client on the same database: a process started later.
    async with make_client(github.url, fake_time, cache=StoreCache(store)) as client:
        third = await client.get_json("/repos/o/r/actions/runs", {"per_page": 30})

    assert [seen.status for seen in github.seen] == [200, 304, 304]
    assert "if-none-match" not in github.seen[0].headers
    assert [seen.headers["if-none-match"] for seen in github.seen[1:]] == [etag, etag]
    assert first.body == second.body == third.body == body
    assert (first.from_cache, second.from_cache, third.from_cache) == (False, True, True)
    cached = store.read(cached_response, first.url)
    assert cached.etag == etag
    assert cached.fetched_at == FIXED_NOW + timedelta(minutes=1)
    assert_token_on_every_request(github.seen)


async def test_a_304_without_an_etag_keeps_the_stored_one(github, fake_time, store):
    github.route("/repos/o/r", Resource({"full_name": "o/r"}, etag='"abc"', etag_on_304=False))
    async with make_client(github.url, fake_time, cache=StoreCache(store)) as client:
        for _ in range(3):
            answer = await client.get_json("/repos/o/r")
    assert answer.body == {"full_name": "o/r"}
    assert answer.from_cache is True
    assert [seen.status for seen in github.seen] == [200, 304, 304]
    assert [seen.headers.get("if-none-match") for seen in github.seen] == [None, '"abc"', '"abc"']
    assert store.read(cached_response, answer.url).etag == '"abc"'


async def test_last_modified_alone_is_sent_back_as_if_modified_since(github, fake_time):
    stamp = "Mon, 28 Aug 2023 18:27:45 GMT"
    github.route("/repos/o/r/commits", Resource([], etag=None, last_modified=stamp))
    async with make_client(github.url, fake_time) as client:
        await client.get_json("/repos/o/r/commits")
        answer = await client.get_json("/repos/o/r/commits")
    assert answer.from_cache is True
    assert github.seen[1].headers["if-modified-since"] == stamp
    assert "if-none-match" not in github.seen[1].headers


async def test_a_changed_resource_replaces_the_stored_body(github, fake_time, store):
    resource = Resource({"v": 1}, etag='"1"')
    github.route("/repos/o/r", resource)
    async with make_client(github.url, fake_time, cache=StoreCache(store)) as client:
        await client.get_json("/repos/o/r")
        resource.body, resource.etag = {"v": 2}, '"2"'
        changed = await client.get_json("/repos/o/r")
        again = await client.get_json("/repos/o/r")
    assert (changed.body, changed.from_cache) == ({"v": 2}, False)
    assert (again.body, again.from_cache) == ({"v": 2}, True)
    assert github.seen[2].headers["if-none-match"] == '"2"'


# --- rate limits -----------------------------------------------------------------------------


def limit_exhausted(reset: datetime = RESET) -> Reply:
    return Reply(
        403,
        {"message": "API rate limit exceeded for user ID 1."},
        {
            "x-ratelimit-limit": "5000",
            "x-ratelimit-remaining": "0",
            "x-ratelimit-used": "5000",
            "x-ratelimit-reset": epoch(reset),
            "x-ratelimit-resource": "core",
        },
    )


async def test_403_with_the_limit_used_up_blocks_until_the_reset(github, fake_time):
    github.route("/repos/o/r", limit_exhausted(), Reply(200, {"ok": True}))
    async with make_client(github.url, fake_time) as client:
        with pytest.raises(RateLimited) as raised:
            await client.get_json("/repos/o/r")
        assert str(raised.value) == "GitHub rate limit exhausted until 09:40 UTC"
        assert raised.value.until == RESET + timedelta(seconds=1)
        assert client.rate_limit == RateLimit("core", 5000, 0, 5000, RESET)
        # Until the reset nothing is sent: asking again is refused here, not by GitHub.
        with pytest.raises(RateLimited):
            await client.get_json("/repos/o/r")
        assert len(github.seen) == 1
        fake_time.now = RESET + timedelta(seconds=2)
        answer = await client.get_json("/repos/o/r")
    assert answer.body == {"ok": True}
    assert fake_time.sleeps == []
    assert_token_on_every_request(github.seen)


async def test_when_told_to_wait_the_client_sleeps_until_the_reset_then_asks_again(
    github, fake_time
):
    github.route("/repos/o/r", limit_exhausted(), Reply(200, {"ok": True}))
    async with make_client(github.url, fake_time, wait_on_limits=True) as client:
        answer = await client.get_json("/repos/o/r")
    assert answer.body == {"ok": True}
    assert fake_time.sleeps == [pytest.approx((RESET - FIXED_NOW).total_seconds() + 1)]
    assert [seen.status for seen in github.seen] == [403, 200]


async def test_a_200_with_nothing_left_holds_the_next_request_until_the_reset(github, fake_time):
    headers = {
        "x-ratelimit-remaining": "0",
        "x-ratelimit-limit": "60",
        "x-ratelimit-reset": epoch(RESET),
    }
    github.route("/repos/o/r", Reply(200, {"ok": True}, headers))
    async with make_client(github.url, fake_time) as client:
        await client.get_json("/repos/o/r")
        with pytest.raises(RateLimited, match="exhausted until 09:40 UTC"):
            await client.get_json("/repos/o/r")
    assert len(github.seen) == 1


async def test_429_with_retry_after_waits_that_long(github, fake_time):
    github.route(
        "/repos/o/r", Reply(429, {"message": "Too many"}, {"retry-after": "90"}), Reply(200, {})
    )
    async with make_client(github.url, fake_time) as client:
        with pytest.raises(RateLimited) as raised:
            await client.get_json("/repos/o/r")
    assert raised.value.until == FIXED_NOW + timedelta(seconds=90)
    assert str(raised.value) == "GitHub asked to wait until 09:31 UTC (retry-after)"

    github.route(
        "/repos/o/r", Reply(429, {"message": "Too many"}, {"retry-after": "90"}), Reply(200, {})
    )
    waiting = FakeTime()
    async with make_client(github.url, waiting, wait_on_limits=True) as client:
        answer = await client.get_json("/repos/o/r")
    assert answer.status == 200
    assert waiting.sleeps == [90]


async def test_the_recorded_abuse_limit_with_retry_after_pauses_a_minute(github, fake_time):
    entry = recorded_error("403 secondary/abuse")
    github.route("/search/code", Reply(entry["status"], entry["body_raw"], entry["headers"]))
    async with make_client(github.url, fake_time) as client:
        with pytest.raises(RateLimited) as raised:
            await client.get_json("/search/code", {"q": "x"})
    assert raised.value.until == FIXED_NOW + timedelta(seconds=60)


async def test_a_secondary_limit_without_headers_waits_a_minute_then_backs_off(github, fake_time):
    secondary = Reply(
        403,
        {
            "message": "You have exceeded a secondary rate limit. Please wait a few minutes.",
            "documentation_url": "https://docs.github.com/rest/overview/rate-limits",
        },
    )
    github.route(
        "/repos/o/r", secondary, secondary, Reply(200, {"ok": True}), secondary, Reply(200, {})
    )
    async with make_client(github.url, fake_time, wait_on_limits=True) as client:
        assert (await client.get_json("/repos/o/r")).body == {"ok": True}
        assert fake_time.sleeps == [60, 120]
        # A success forgives: the next secondary limit starts from a minute again.
        await client.get_json("/repos/o/r")
    assert fake_time.sleeps == [60, 120, 60]


async def test_a_secondary_limit_in_no_wait_mode_says_until_when(github, fake_time):
    github.route("/repos/o/r", Reply(403, {"message": "You have exceeded a secondary rate limit"}))
    async with make_client(github.url, fake_time) as client:
        with pytest.raises(RateLimited, match="secondary rate limit") as raised:
            await client.get_json("/repos/o/r")
    assert raised.value.until == FIXED_NOW + timedelta(seconds=60)
    assert client.blocked_until == raised.value.until


async def test_the_recorded_403_without_a_reset_still_pauses(github, fake_time):
    entry = recorded_error("403 primary rate limit")
    github.route("/users/jacquev6", Reply(403, entry["body_raw"], entry["headers"]))
    async with make_client(github.url, fake_time) as client:
        with pytest.raises(RateLimited, match="GitHub rate limit exhausted until"):
            await client.get_json("/users/jacquev6")
        assert client.rate_limit.remaining == 0
        assert client.rate_limit.limit == 60


async def test_without_carried_blocks_a_limit_decides_only_its_own_request(github, fake_time):
    github.route("/repos/o/limited", limit_exhausted())
    github.route("/repos/o/fine", Reply(200, {"ok": True}))
    async with make_client(github.url, fake_time, carry_blocks=False) as client:
        with pytest.raises(RateLimited):
            await client.get_json("/repos/o/limited")
        assert (await client.get_json("/repos/o/fine")).body == {"ok": True}
    assert fake_time.sleeps == []


async def test_rate_limits_are_kept_per_resource_and_a_reset_in_ms_is_understood(github, fake_time):
    page = recorded("octokit-paginate-issues-5-pages.json")[0]
    headers = {k: str(v) for k, v in page["headers"].items() if k.startswith("x-ratelimit")}
    github.route(
        "/search/issues",
        Reply(
            200,
            {"items": []},
            {
                **headers,
                "x-ratelimit-resource": "search",
                "x-ratelimit-limit": "30",
                "x-ratelimit-remaining": "29",
            },
        ),
    )
    github.route("/repos/o/r/issues", Reply(200, page["response"], headers))
    async with make_client(github.url, fake_time) as client:
        await client.get_json("/search/issues")
        await client.get_json("/repos/o/r/issues")
        limits = dict(client.rate_limits)
    # The recording gives the reset in milliseconds.
    assert limits["core"] == RateLimit(
        "core", 5000, 4999, 1, datetime(2017, 10, 10, 16, tzinfo=UTC)
    )
    assert limits["search"].limit == 30
    assert client.rate_limit.resource == "core"


# --- retries and broken answers --------------------------------------------------------------


async def test_502_502_then_200_is_retried_with_backoff(github, fake_time):
    github.route(
        "/repos/o/r", Reply(502, {"message": "Server Error"}), Reply(502, ""), Reply(200, {"ok": 1})
    )
    async with make_client(github.url, fake_time) as client:
        answer = await client.get_json("/repos/o/r")
    assert answer.body == {"ok": 1}
    assert [seen.status for seen in github.seen] == [502, 502, 200]
    # retry_delay 1 s, doubling; the jitter factor is 0.5 + random() = 1.0 here.
    assert fake_time.sleeps == [1.0, 2.0]
    assert_token_on_every_request(github.seen)


async def test_jitter_spreads_the_retries(github):
    github.route("/repos/o/r", Reply(502, {}), Reply(200, {}))
    time = FakeTime()
    client = GitHubClient(github.url, None, clock=time.clock, sleep=time.sleep, random=lambda: 0.0)
    async with client:
        await client.get_json("/repos/o/r")
    assert time.sleeps == [0.5]


async def test_server_errors_are_retried_a_bounded_number_of_times(github, fake_time):
    github.route("/repos/o/r", Reply(502, {"message": "Server Error"}))
    async with make_client(github.url, fake_time, retries=2) as client:
        with pytest.raises(ServerError, match=r"server error \(HTTP 502\), 3 times") as raised:
            await client.get_json("/repos/o/r")
    assert raised.value.transient is True
    assert len(github.seen) == 3
    assert fake_time.sleeps == [1.0, 2.0]


async def test_an_html_body_on_a_503_is_reported_as_not_json(github, fake_time):
    entry = recorded_error("503 with HTML body")
    github.route("/users/jacquev6", Reply(503, entry["body_raw"], entry["headers"]))
    async with make_client(github.url, fake_time, retries=1) as client:
        with pytest.raises(NotJson) as raised:
            await client.get_json("/users/jacquev6")
    assert str(raised.value) == "GitHub answered with something that is not JSON (HTTP 503)"
    assert len(github.seen) == 2


async def test_truncated_json_on_a_200_is_reported_and_not_cached(github, fake_time):
    entry = recorded_error("200 with truncated")
    cache = MemoryCache()
    github.route(
        "/users/jacquev6", Reply(200, entry["body_raw"], {**entry["headers"], "ETag": '"t"'})
    )
    async with make_client(github.url, fake_time, cache=cache) as client:
        with pytest.raises(NotJson) as raised:
            await client.get_json("/users/jacquev6")
    assert str(raised.value) == "GitHub answered with something that is not JSON (HTTP 200)"
    assert len(github.seen) == 1
    assert cache.responses == {}


async def test_401_bad_credentials_mid_session_stops_asking(github, fake_time):
    entry = recorded_error("401 bad credentials")
    github.route("/repos/o/r", Reply(200, {"default_branch": "main"}))
    github.route("/repos/o/r/actions/runs", Reply(401, entry["body_raw"], entry["headers"]))
    async with make_client(github.url, fake_time) as client:
        await client.get_json("/repos/o/r")
        with pytest.raises(BadCredentials) as raised:
            await client.get_json("/repos/o/r/actions/runs")
        assert str(raised.value) == "bad credentials: the token was refused (GH_TOKEN)"
        # The same refused token again would count as more failed logins.
        with pytest.raises(BadCredentials):
            await client.get_json("/repos/o/r")
    assert len(github.seen) == 2
    assert TOKEN not in str(raised.value)


async def test_connection_refused_is_retried_then_reported(fake_time):
    async with make_client(closed_port_url(), fake_time) as client:
        with pytest.raises(Unreachable) as raised:
            await client.get_json("/repos/o/r")
    assert str(raised.value) == "GitHub could not be reached: connection refused"
    assert raised.value.transient is True
    assert fake_time.sleeps == [1.0, 2.0, 4.0]


async def test_404_and_other_refusals_are_sentences(github, fake_time):
    entry = recorded_error("404 not found")
    github.route("/repos/jacquev6/Xxx", Reply(404, entry["body_raw"], entry["headers"]))
    github.route(
        "/repos/o/private", Reply(403, {"message": "Resource not accessible by integration"})
    )
    async with make_client(github.url, fake_time) as client:
        with pytest.raises(NotFound):
            await client.get_json("/repos/jacquev6/Xxx")
        with pytest.raises(Forbidden) as raised:
            await client.get_json("/repos/o/private")
    assert str(raised.value) == (
        "GitHub refused access (HTTP 403): Resource not accessible by integration"
    )


async def test_github_text_in_an_error_cannot_reach_the_terminal(github, fake_time):
    github.route("/repos/o/r", Reply(403, {"message": "no \x1b]0;owned\x07 [b]x[/b]"}))
    async with make_client(github.url, fake_time) as client:
        with pytest.raises(Forbidden) as raised:
            await client.get_json("/repos/o/r")
    assert str(raised.value) == "GitHub refused access (HTTP 403): no [b]x[/b]"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("\x1b[31mred\x1b[0m", "red"),
        ("a\x9b2Jb", "ab"),
        ("title\x1b]0;owned\x07!", "title!"),
        ("title\x1b]8;;https://x\x1b\\link\x1b]8;;\x1b\\", "titlelink"),
        ("unterminated \x1b]0;rest", "unterminated "),
        ("lone \x1b", "lone \u241b"),
        ("bell\x07 and C1 \x8d", "bell\u2407 and C1 \ufffd"),
        ("[bold]kept[/bold]\nnext line", "[bold]kept[/bold]\nnext line"),
    ],
)
def test_github_text_loses_its_escape_sequences(text, expected):
    assert shown(text) == expected
    assert shown_line(text) == " ".join(expected.split())


# --- redirects and pagination ----------------------------------------------------------------


async def test_a_redirect_to_another_host_is_not_followed(github, elsewhere, fake_time):
    github.route("/repos/o/r", Reply(302, None, {"Location": f"{elsewhere.url}/repos/o/r"}))
    elsewhere.route("/repos/o/r", Reply(200, {"stolen": True}))
    async with make_client(github.url, fake_time) as client:
        with pytest.raises(RedirectRefused, match="another host"):
            await client.get_json("/repos/o/r")
    assert elsewhere.seen == []
    assert_token_on_every_request(github.seen)


async def test_a_redirect_on_the_same_host_is_followed_with_the_token(github, fake_time):
    # A renamed repository: GitHub answers 301 to its new address.
    github.route("/repos/o/old", Reply(301, {"message": "Moved"}, {"Location": "/repositories/7"}))
    github.route("/repositories/7", Reply(200, {"full_name": "o/new"}))
    async with make_client(github.url, fake_time) as client:
        answer = await client.get_json("/repos/o/old")
    assert answer.body == {"full_name": "o/new"}
    assert [seen.path for seen in github.seen] == ["/repos/o/old", "/repositories/7"]
    assert_token_on_every_request(github.seen)


def serve_recorded_pages(github: FakeGitHub) -> list[dict]:
    """The five recorded issue pages, their `link`s pointing at this server: the next links
    move from /repos/octokit-fixture-org/… to /repositories/1000/…"""
    pages = recorded("octokit-paginate-issues-5-pages.json")
    for page in pages:
        headers = {
            name: str(value).replace("https://api.github.com", github.url)
            for name, value in page["headers"].items()
            if name == "link" or name.startswith("x-ratelimit")
        }
        github.route(
            page["path"], Resource(page["response"], etag=f'"{page["path"]}"', headers=headers)
        )
    return pages


async def test_pagination_follows_next_links_that_change_path(github, fake_time):
    serve_recorded_pages(github)
    async with make_client(github.url, fake_time) as client:
        issues = await client.get_pages(
            "/repos/octokit-fixture-org/paginate-issues/issues", {"per_page": 3}, max_pages=10
        )
    assert [issue["number"] for issue in issues] == list(range(13, 0, -1))
    assert [seen.path for seen in github.seen] == [
        "/repos/octokit-fixture-org/paginate-issues/issues?per_page=3",
        *(f"/repositories/1000/issues?per_page=3&page={n}" for n in range(2, 6)),
    ]
    assert_token_on_every_request(github.seen)


async def test_pagination_stops_at_the_page_bound(github, fake_time):
    serve_recorded_pages(github)
    async with make_client(github.url, fake_time) as client:
        issues = await client.get_pages(
            "/repos/octokit-fixture-org/paginate-issues/issues", {"per_page": 3}, max_pages=3
        )
    assert [issue["number"] for issue in issues] == list(range(13, 4, -1))
    assert len(github.seen) == 3


async def test_pages_answered_304_keep_their_next_links(github, fake_time, store):
    serve_recorded_pages(github)
    async with make_client(github.url, fake_time, cache=StoreCache(store)) as client:
        first = await client.get_pages(
            "/repos/octokit-fixture-org/paginate-issues/issues", {"per_page": 3}
        )
    async with make_client(github.url, fake_time, cache=StoreCache(store)) as client:
        again = await client.get_pages(
            "/repos/octokit-fixture-org/paginate-issues/issues", {"per_page": 3}
        )
    assert again == first
    assert len(first) == 13
    assert [seen.status for seen in github.seen] == [200] * 5 + [304] * 5


async def test_a_page_that_is_not_a_list_is_reported(github, fake_time):
    github.route("/repos/o/r/pulls", Reply(200, {"message": "not a list"}))
    github.route("/repos/o/r/actions/runs/1/jobs", Reply(200, [{"id": 1}]))
    async with make_client(github.url, fake_time) as client:
        with pytest.raises(NotJson, match="expected list"):
            await client.get_pages("/repos/o/r/pulls")
        with pytest.raises(NotJson, match="expected list"):
            await client.get_pages("/repos/o/r/actions/runs/1/jobs", items_key="jobs")


async def test_a_next_page_on_another_host_is_not_fetched(github, elsewhere, fake_time):
    github.route(
        "/repos/o/r/pulls",
        Reply(
            200, [{"number": 1}], {"link": f'<{elsewhere.url}/repos/o/r/pulls?page=2>; rel="next"'}
        ),
    )
    async with make_client(github.url, fake_time) as client:
        pulls = await client.get_pages("/repos/o/r/pulls")
    assert pulls == [{"number": 1}]
    assert elsewhere.seen == []


# --- the token is found, and kept to itself -------------------------------------------------


def test_the_token_comes_from_gh_token_then_github_token():
    never = lambda name: pytest.fail("gh must not be asked when a variable is set")  # noqa: E731
    token = find_token(environ={"GH_TOKEN": " a ", "GITHUB_TOKEN": "b"}, which=never)
    assert (token.reveal(), token.source) == ("a", "GH_TOKEN")
    token = find_token(environ={"GH_TOKEN": "  ", "GITHUB_TOKEN": "b"}, which=never)
    assert (token.reveal(), token.source) == ("b", "GITHUB_TOKEN")
    assert find_token(environ={}, which=lambda name: None) is None


def fake_gh(folder: Path, script: str) -> Path:
    gh = folder / "gh"
    gh.write_text(f"#!{sys.executable}\n{textwrap.dedent(script)}", encoding="utf-8")
    gh.chmod(gh.stat().st_mode | stat.S_IXUSR)
    return gh


@pytest.mark.skipif(sys.platform == "win32", reason="a script as an executable")
def test_the_token_comes_from_gh_auth_token_when_gh_is_installed(tmp_path):
    gh = fake_gh(
        tmp_path,
        """
        import sys
        assert sys.argv[1:3] == ["auth", "token"], sys.argv
        print("gho_from_gh " if len(sys.argv) == 3 else "gho_enterprise")
        """,
    )
    token = find_token(environ={}, which=lambda name: str(gh))
    assert (token.reveal(), token.source) == ("gho_from_gh", "gh auth token")
    # GitHub Enterprise Server: gh is asked for that host's token.
    token = find_token("https://ghe.example.com/api/v3", environ={}, which=lambda name: str(gh))
    assert token.reveal() == "gho_enterprise"


@pytest.mark.skipif(sys.platform == "win32", reason="a script as an executable")
@pytest.mark.parametrize(
    "script",
    [
        "import sys; print('not logged in', file=sys.stderr); sys.exit(1)",
        "print('')",
        "print('To get started with GitHub CLI, please run:  gh auth login')",
    ],
)
def test_a_failing_gh_means_no_token(tmp_path, script):
    gh = fake_gh(tmp_path, script)
    assert find_token(environ={}, which=lambda name: str(gh)) is None


def test_a_slow_or_missing_gh_means_no_token():
    def too_slow(*args, **kwargs):
        raise subprocess.TimeoutExpired(args[0], kwargs["timeout"])

    def vanished(*args, **kwargs):
        raise FileNotFoundError(2, "No such file")

    for runner in (too_slow, vanished):
        assert find_token(environ={}, which=lambda name: "/usr/bin/gh", run=runner) is None


async def test_the_token_is_nowhere_in_the_database(github, fake_time, tmp_path):
    store = Store.open(str(tmp_path / "db" / "nexus.db"))
    serve_repo(github, "o/r", [run("CI", workflow_id=1)])
    github.route("/repos/o/gone", Reply(401, {"message": "Bad credentials"}))
    async with CiService(
        make_client(github.url, fake_time, cache=StoreCache(store)), store, fake_time.clock
    ) as service:
        await service.refresh("o/r")
        await service.refresh("o/gone")
    files = [path for path in (tmp_path / "db").iterdir() if path.is_file()]
    assert files
    for path in files:
        assert TOKEN.encode() not in path.read_bytes(), path
    assert_token_on_every_request(github.seen)


# --- the service: a repository's state -------------------------------------------------------


def service_for(github: FakeGitHub, time: FakeTime, store: Store | None, **options) -> CiService:
    cache = StoreCache(store) if store is not None else MemoryCache()
    return CiService(make_client(github.url, time, cache=cache, **options), store, time.clock)


async def test_refresh_takes_the_latest_run_of_each_workflow_on_the_default_branch(
    github, fake_time, store
):
    serve_repo(
        github,
        "o/r",
        [
            run(
                "CI",
                workflow_id=1,
                number=5,
                conclusion="success",
                created_at="2026-11-26T09:00:00Z",
            ),
            run(
                "CI",
                workflow_id=1,
                number=4,
                conclusion="failure",
                created_at="2026-11-25T09:00:00Z",
            ),
            run("Lint", workflow_id=2, number=9, conclusion="success"),
            run("Docs", workflow_id=3, number=2, conclusion="failure", branch="feature"),
        ],
    )
    async with service_for(github, fake_time, store) as service:
        status = await service.refresh("o/r")
    assert status.state == SUCCESS
    assert status.default_branch == "main"
    assert {(r.workflow, r.run_number) for r in status.runs} == {("CI", 5), ("Lint", 9)}
    assert status.fetched_at == FIXED_NOW
    assert (status.error, status.stale) == (None, False)
    runs_request = github.requests_to("/repos/o/r/actions/runs")[0]
    assert "branch=main" in runs_request.path
    stored = store.read(ci_statuses, ["o/r"])["o/r"]
    assert (stored.state, stored.default_branch, stored.error) == (SUCCESS, "main", None)


@pytest.mark.parametrize(
    ("runs", "state"),
    [
        ([run("CI", workflow_id=1, conclusion="timed_out")], FAILURE),
        ([run("CI", workflow_id=1, conclusion="startup_failure")], FAILURE),
        (
            [
                run("CI", workflow_id=1, status="in_progress", conclusion=None),
                run("Lint", workflow_id=2, conclusion="failure"),
            ],
            FAILURE,
        ),
        ([run("CI", workflow_id=1, status="queued", conclusion=None)], PENDING),
        ([run("CI", workflow_id=1, status="waiting", conclusion=None)], PENDING),
        ([run("CI", workflow_id=1, conclusion="cancelled")], SUCCESS),
        ([], UNKNOWN),
    ],
)
async def test_refresh_states(github, fake_time, store, runs, state):
    serve_repo(github, "o/r", runs)
    async with service_for(github, fake_time, store) as service:
        status = await service.refresh("o/r")
    assert status.state == state
    if state == UNKNOWN:
        assert status.error == "no workflow runs on the main branch yet"


async def test_a_missing_repository_is_unknown_with_the_reason(github, fake_time, store):
    async with service_for(github, fake_time, store) as service:
        status = await service.refresh("o/missing")
    assert status.state == UNKNOWN
    assert status.error == "repository not found or not visible with this token"
    assert status.stale is False


async def test_a_rate_limited_repository_is_unknown_but_its_last_state_is_kept(
    github, fake_time, store
):
    serve_repo(github, "o/r", [run("CI", workflow_id=1, conclusion="failure")])
    async with service_for(github, fake_time, store) as service:
        assert (await service.refresh("o/r")).state == FAILURE
    github.route("/repos/o/r", limit_exhausted())
    fake_time.now += timedelta(minutes=5)
    async with service_for(github, fake_time, store) as service:
        status = await service.refresh("o/r")
        assert service.blocked_until == RESET + timedelta(seconds=1)
    assert (status.state, status.stale) == (UNKNOWN, False)
    assert status.error == "GitHub rate limit exhausted until 09:40 UTC"
    stored = store.read(ci_statuses, ["o/r"])["o/r"]
    assert (stored.state, stored.fetched_at) == (FAILURE, FIXED_NOW)
    assert stored.error == status.error
    assert stored.checked_at == FIXED_NOW + timedelta(minutes=5)


async def test_offline_gives_the_last_known_state_marked_stale(github, fake_time, store):
    serve_repo(github, "o/a", [run("CI", workflow_id=1, conclusion="failure", title="broke it")])
    serve_repo(github, "o/b", [run("CI", workflow_id=1)])
    async with service_for(github, fake_time, store) as service:
        await service.refresh_all(["o/a", "o/b"])
    fake_time.now += timedelta(hours=3)
    offline = CiService(
        make_client(closed_port_url(), fake_time, cache=StoreCache(store)), store, fake_time.clock
    )
    async with offline:
        statuses = await offline.refresh_all(["o/a", "o/b", "o/never"])
    a, b, never = statuses
    assert (a.state, a.stale, a.fetched_at) == (FAILURE, True, FIXED_NOW)
    assert a.runs[0].title == "broke it"
    assert a.error == "GitHub could not be reached: connection refused"
    assert (b.state, b.stale) == (SUCCESS, True)
    assert (never.state, never.stale, never.fetched_at) == (UNKNOWN, False, None)
    # Only the first repository tried the network (3 retries); the others knew better.
    assert len(fake_time.sleeps) == 3


async def test_last_known_reads_the_first_frame_without_the_network(github, fake_time, store):
    serve_repo(github, "o/r", [run("CI", workflow_id=1, status="in_progress", conclusion=None)])
    async with service_for(github, fake_time, store) as service:
        await service.refresh("o/r")
    [known, never] = last_known(store, ["O/R", "o/never"])
    assert (known.repo, known.state, known.stale, known.fetched_at) == (
        "O/R",
        PENDING,
        True,
        FIXED_NOW,
    )
    assert known.runs[0].workflow == "CI"
    assert (never.state, never.stale, never.error) == (UNKNOWN, False, None)


async def test_jobs_commits_and_pulls_on_demand(github, fake_time):
    github.route(
        "/repos/PyGithub/PyGithub/actions/runs/3881497935/jobs",
        Reply(200, recorded("workflow-run-jobs.json")),
    )
    github.route("/repos/PyGithub/PyGithub/commits", Reply(200, recorded("commits-list.json")))
    github.route("/repos/rsn491/PyGithub/pulls", Reply(200, recorded("pulls-list.json")))
    async with service_for(github, fake_time, None) as service:
        jobs = await service.run_jobs("PyGithub/PyGithub", 3881497935)
        commits = await service.commits("PyGithub/PyGithub", "release-v2-0")
        pulls = await service.pull_requests("rsn491/PyGithub")
    assert [job.name for job in jobs][:2] == ["test (Python 3.7)", "test (Python 3.8)"]
    assert len(jobs[0].steps) == 9
    assert jobs[0].steps[0].name == "Set up job"
    assert commits[0].message.startswith("Fixing lint errors in release branch")
    assert commits[0].author == "EnricoMi"
    assert "sha=release-v2-0" in github.requests_to("/repos/PyGithub/PyGithub/commits")[0].path
    [pull] = pulls
    assert (pull.title, pull.author, pull.branch) == (
        "Add support to reply to a Pull request comment",
        "rsn491",
        "ricardo-add-pr-create-comment-reply",
    )
    assert "state=open" in github.requests_to("/repos/rsn491/PyGithub/pulls")[0].path


async def test_rerun_failed_jobs_posts_and_explains_a_refusal(github, fake_time):
    path = "/repos/o/r/actions/runs/42/rerun-failed-jobs"
    github.route(
        path, Reply(201, {}), Reply(403, {"message": "Resource not accessible by integration"})
    )
    async with service_for(github, fake_time, None) as service:
        await service.rerun_failed_jobs("o/r", 42)
        with pytest.raises(Forbidden, match='"Actions: write"'):
            await service.rerun_failed_jobs("o/r", 42)
    assert [seen.method for seen in github.seen] == ["POST", "POST"]
    assert_token_on_every_request(github.seen)


async def test_create_reads_the_token_and_uses_the_database_cache(github, store):
    serve_repo(github, "o/r", [run("CI", workflow_id=1)])
    settings = GithubSettings(api_url=github.url, repos=("o/r",))
    service = CiService.create(settings, store, environ={"GITHUB_TOKEN": TOKEN})
    async with service:
        assert service.client.token_source == "GITHUB_TOKEN"
        await service.refresh("o/r")
        await service.refresh("o/r")
    assert [seen.status for seen in github.seen] == [200, 200, 304, 304]
    assert_token_on_every_request(github.seen)


# --- parsing the recorded bodies, and odd ones -----------------------------------------------


def test_recorded_runs_parse():
    runs = parse_runs(recorded("workflow-runs-list.json"))
    assert [(r.workflow, r.workflow_id, r.branch, r.run_number) for r in runs] == [
        ("Unit Test", 4477711, "master", 121),
        ("Integration Test", 4477712, "master", 121),
    ]
    first = runs[0]
    assert first.title == "URL Features Documentation (#299)"
    assert (first.status, first.conclusion, first.event, first.actor) == (
        "completed", "success", "push", "zacker150",
    )  # fmt: skip
    assert first.duration == timedelta(minutes=12, seconds=31)
    single = parse_run(recorded("workflow-run.json"))
    assert (single.workflow, single.title, single.branch) == ("CI", "TEST PR", "feat/workflow-run")


def test_odd_bodies_parse_to_empty_values():
    assert parse_runs({"workflow_runs": "nope"}) == []
    assert len(parse_runs(["x", None, {}])) == 1
    [empty] = parse_runs([{}])
    assert (empty.workflow, empty.title, empty.id, empty.created_at) == ("workflow", "", None, None)
    odd = parse_run(
        {"name": 5, "id": "7", "run_number": True, "created_at": "yesterday",
         "head_commit": {"message": "first line\nsecond"}, "actor": "someone"}
    )  # fmt: skip
    assert (odd.workflow, odd.id, odd.run_number, odd.created_at) == ("workflow", None, None, None)
    assert odd.title == "first line"
    assert parse_repository("not an object").default_branch is None
    assert parse_repository({"default_branch": ""}).default_branch is None
    assert parse_jobs({"jobs": [{"steps": "x"}]})[0].steps == ()
    assert parse_commits({"not": "a list"}) == []
    assert parse_pulls([{"title": None, "head": []}])[0].title == ""


def test_a_run_survives_the_database_round_trip():
    for original in parse_runs(recorded("workflow-runs-list.json")):
        assert run_from_json(run_to_json(original)) == original
    assert run_from_json({"id": "x", "created_at": 3}).id is None


def test_the_state_rules():
    runs = parse_runs(runs_list(
        run("CI", workflow_id=1, number=2, conclusion="success", created_at="2026-11-26T09:00:00Z"),
        run("CI", workflow_id=1, number=1, conclusion="failure", created_at="2026-11-25T09:00:00Z"),
    ))  # fmt: skip
    latest = latest_per_workflow(runs)
    assert [run.run_number for run in latest] == [2]
    assert repo_state(latest) == SUCCESS
    assert repo_state([]) == UNKNOWN
    status = status_from_runs("o/r", "main", runs, FIXED_NOW)
    assert len(status.recent_runs) == 2


def status_in(state: str) -> RepoStatus:
    return RepoStatus("o/r", state, "main", (), (), FIXED_NOW, None, stale=False)


def test_next_poll_in():
    now = FIXED_NOW
    assert next_poll_in([status_in(SUCCESS)], 60, now) == 60
    assert next_poll_in([status_in(PENDING), status_in(SUCCESS)], 60, now) == 15
    blocked = now + timedelta(minutes=5)
    assert next_poll_in([status_in(PENDING)], 60, now, blocked_until=blocked) == 300
    # 10 requests left for 20 minutes at 4 requests a poll: 2 polls, one per 10 minutes.
    limit = RateLimit("core", 60, 10, 50, now + timedelta(minutes=20))
    assert next_poll_in([status_in(SUCCESS)], 60, now, rate_limit=limit, requests_per_poll=4) == 600


def test_clock_time_names_another_day():
    now = datetime(2026, 11, 26, 14, 0, tzinfo=UTC)
    assert clock_time(datetime(2026, 11, 26, 14, 5, 59, tzinfo=UTC), now) == "14:05 UTC"
    assert clock_time(datetime(2026, 11, 27, 1, 0, tzinfo=UTC), now) == "2026-11-27 01:00 UTC"


# --- the database side ------------------------------------------------------------------------


def test_the_http_cache_table(store):
    first = CachedResponse("https://x/a", '"1"', None, "<n>; rel=next", "[1]", FIXED_NOW)
    store.write(save_response, *first)
    assert store.read(cached_response, "https://x/a") == first
    later = FIXED_NOW + timedelta(hours=1)
    store.write(confirm_response, "https://x/a", None, "Mon, 01 Jan 2024 00:00:00 GMT", later)
    confirmed = store.read(cached_response, "https://x/a")
    assert (confirmed.etag, confirmed.last_modified, confirmed.fetched_at) == (
        '"1"', "Mon, 01 Jan 2024 00:00:00 GMT", later,
    )  # fmt: skip
    assert store.write(forget_responses_before, later) == 0
    assert store.write(forget_responses_before, later + timedelta(seconds=1)) == 1
    assert store.read(cached_response, "https://x/a") is None


def test_the_ci_status_table_keeps_the_last_good_state_through_failures(store):
    runs = [run_to_json(r) for r in parse_runs(recorded("workflow-runs-list.json"))]
    store.write(save_ci_status, "Owner/Repo", SUCCESS, "main", runs, FIXED_NOW)
    later = FIXED_NOW + timedelta(hours=1)
    store.write(note_ci_failure, "owner/repo", "GitHub could not be reached", later)
    store.write(note_ci_failure, "o/new", "GitHub could not be reached", later)
    found = store.read(ci_statuses, ["owner/REPO", "o/new", "o/none"])
    assert set(found) == {"owner/REPO", "o/new"}
    kept = found["owner/REPO"]
    assert (kept.state, kept.fetched_at, kept.checked_at) == (SUCCESS, FIXED_NOW, later)
    assert kept.error == "GitHub could not be reached"
    assert len(kept.runs) == 2
    assert (found["o/new"].state, found["o/new"].fetched_at) == (UNKNOWN, None)
    with pytest.raises(ValueError):
        store.write(save_ci_status, "o/r", "green", None, [], FIXED_NOW)


def test_github_status_loads_without_httpx_or_textual():
    # The first frame reads the last known state: that must not cost the network stack.
    script = (
        "import sys, nexus_tui.github.status, nexus_tui.github.models\n"
        "print(sorted(m for m in ('httpx', 'textual') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True,
        env={**os.environ},
    )  # fmt: skip
    assert result.stdout.strip() == "[]"


def test_request_addresses_are_stable_cache_keys_under_the_api_path():
    # The cache key is the address; the same request must make the same key every time.
    client = GitHubClient("http://127.0.0.1:1/api/v3/", None)
    first = client.url("/repos/o/r/actions/runs", {"per_page": 30, "branch": "main"})
    assert first == client.url("/repos/o/r/actions/runs", {"per_page": 30, "branch": "main"})
    assert first == "http://127.0.0.1:1/api/v3/repos/o/r/actions/runs?per_page=30&branch=main"
