"""A polite GitHub REST client: one long-lived `httpx.AsyncClient`, one request at a time.

Politeness, as GitHub asks of integrations:
- every GET is conditional once its answer is cached (ETag / Last-Modified, kept in the database
  by the `cache` given), and a 304 reuses the stored body: it costs no rate limit;
- the `x-ratelimit-*` headers are kept per resource; a 403/429 that says the limit is used up, a
  `retry-after`, or a secondary limit (at least a minute, then doubling) blocks further requests
  until then: the client either waits (`wait_on_limits`) or raises `RateLimited` with the time,
  for the caller to schedule;
- requests go one after another (a lock), never in bursts;
- server errors (5xx) and network failures are retried a bounded number of times with jittered
  backoff, then reported.

Bounded whatever the server does: each request ends within `deadline` seconds however slowly its
answer trickles in (httpx's timeouts bound each wait, not the whole), an answer is read as it
streams in and given up past `max_body_bytes`, and pagination stops after `max_pages`.

The token is sent only to the API's own origin: redirects are followed by hand, and only there;
a `next` page elsewhere is not fetched. It is never logged or put in a message.

Failures are `GitHubError`s whose text is a sentence for a person. `sleep`, `clock` and `random`
are parameters so tests run without real waiting.
"""

from __future__ import annotations

import asyncio
import json
import logging
import random as random_module
import socket
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any, NamedTuple

import httpx

from nexus_tui import __version__
from nexus_tui.github.auth import Token
from nexus_tui.github.cache import ResponseCache
from nexus_tui.github.display import shown_line
from nexus_tui.github.models import RateLimit
from nexus_tui.store.ci import CachedResponse
from nexus_tui.store.database import utc_now
from nexus_tui.text import one_line

_log = logging.getLogger(__name__)

Clock = Callable[[], datetime]
Sleep = Callable[[float], Awaitable[None]]

# Connecting is quick or it is not going to happen; GitHub can take a while to list runs.
DEFAULT_TIMEOUT = httpx.Timeout(20.0, connect=5.0)
# A request, its retries aside, is given up after this long in all.
DEFAULT_DEADLINE_SECONDS = 60.0
# A page of runs or jobs is well under a megabyte; an answer this large is not one GitHub sends.
MAX_BODY_BYTES = 8 * 1024 * 1024
SECONDARY_LIMIT_SECONDS = 60.0
SECONDARY_LIMIT_MAX_SECONDS = 3600.0
_REDIRECTS = frozenset({301, 302, 303, 307, 308})


class GitHubError(Exception):
    """A request that got no usable answer; `str()` is a sentence for a person."""

    transient = False
    """True when asking again later may well work (no network, GitHub's own trouble)."""

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


class Unreachable(GitHubError):
    transient = True


class ServerError(GitHubError):
    transient = True


class NotJson(GitHubError):
    transient = True


class RateLimited(GitHubError):
    """GitHub asked for a pause; nothing is sent before `until`."""

    def __init__(self, message: str, until: datetime, *, status: int | None = None) -> None:
        super().__init__(message, status=status)
        self.until = until


class BadCredentials(GitHubError):
    pass


class NotFound(GitHubError):
    pass


class Forbidden(GitHubError):
    pass


class RedirectRefused(GitHubError):
    pass


class TooLarge(GitHubError):
    """An answer larger than the client reads; it was not read to the end."""

    transient = True


class _Exchange(NamedTuple):
    """One request's answer, read in full (within the size bound)."""

    method: str
    status_code: int
    headers: httpx.Headers
    content: bytes


class Answer(NamedTuple):
    url: str
    status: int
    body: Any
    """The decoded JSON."""
    from_cache: bool
    """True when GitHub answered 304 and the stored body was used."""
    next_url: str | None
    """The `link` header's next page, if any."""


def clock_time(moment: datetime, now: datetime) -> str:
    """ "14:05 UTC", with the date when it is not today's."""
    moment = moment.astimezone(UTC)
    if moment.date() == now.astimezone(UTC).date():
        return moment.strftime("%H:%M UTC")
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def _origin(url: httpx.URL) -> tuple[str, str, int | None]:
    default = {"http": 80, "https": 443}.get(url.scheme)
    return url.scheme, url.host.lower(), url.port or default


def _int_header(headers: httpx.Headers, name: str) -> int | None:
    value = headers.get(name, "").strip()
    return int(value) if value.isdigit() else None


def _epoch(value: int) -> datetime:
    # Some recordings (and proxies) give the reset in milliseconds.
    if value > 100_000_000_000:
        value //= 1000
    return datetime.fromtimestamp(value, UTC)


def _next_link(link: str | None) -> str | None:
    if not link:
        return None
    for part in link.split(","):
        target, _, params = part.partition(";")
        target = target.strip()
        if not (target.startswith("<") and target.endswith(">")):
            continue
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip().lower() == "rel" and "next" in value.strip().strip('"').split():
                return target[1:-1]
    return None


def _message(response: _Exchange) -> str:
    """GitHub's own `message`, made one safe line; empty when the body has none."""
    try:
        body = json.loads(response.content)
    except ValueError:
        return ""
    message = body.get("message") if isinstance(body, dict) else None
    return shown_line(message, limit=160) if isinstance(message, str) else ""


def _causes(error: BaseException) -> list[BaseException]:
    chain: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and current not in chain:
        chain.append(current)
        current = current.__cause__ or current.__context__
    return chain


def _network_reason(error: httpx.TransportError) -> str:
    """What went wrong, in a few words; httpx's own text ("All connection attempts failed")
    hides the operating system's reason further down the chain of causes."""
    causes = _causes(error)
    if isinstance(error, httpx.TimeoutException):
        return "no answer in time"
    if any(isinstance(cause, ConnectionRefusedError) for cause in causes):
        return "connection refused"
    if any(isinstance(cause, socket.gaierror) for cause in causes):
        return "its host name could not be resolved"
    if isinstance(error, httpx.RemoteProtocolError):
        return "the connection broke off"
    for cause in reversed(causes):
        if isinstance(cause, OSError) and cause.strerror:
            return cause.strerror[:1].lower() + cause.strerror[1:]
    detail = one_line(str(error), limit=120)
    return f"network error ({detail})" if detail else "network error"


class GitHubClient:
    def __init__(
        self,
        api_url: str,
        token: Token | None,
        *,
        cache: ResponseCache | None = None,
        wait_on_limits: bool = False,
        carry_blocks: bool = True,
        retries: int = 3,
        retry_delay: float = 1.0,
        max_limit_waits: int = 2,
        max_redirects: int = 3,
        timeout: httpx.Timeout = DEFAULT_TIMEOUT,
        deadline: float = DEFAULT_DEADLINE_SECONDS,
        max_body_bytes: int = MAX_BODY_BYTES,
        clock: Clock = utc_now,
        sleep: Sleep = asyncio.sleep,
        random: Callable[[], float] = random_module.random,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        """
        `wait_on_limits`: sleep through a rate-limit pause (then ask again, at most
        `max_limit_waits` times per request) instead of raising `RateLimited`.
        `carry_blocks`: a pause GitHub asked for also holds back later requests until it ends
        (what GitHub wants); a one-shot command that asks each repository once may turn it off so
        a limit answered for one request does not decide for the others.
        """
        self.api_url = api_url.rstrip("/")
        self._origin = _origin(httpx.URL(self.api_url))
        self._token = token
        self.cache = cache
        self.wait_on_limits = wait_on_limits
        self.carry_blocks = carry_blocks
        self.retries = retries
        self.retry_delay = retry_delay
        self.max_limit_waits = max_limit_waits
        self.max_redirects = max_redirects
        self.deadline = deadline
        self.max_body_bytes = max_body_bytes
        self._clock = clock
        self._sleep = sleep
        self._random = random
        self._http = httpx.AsyncClient(
            headers={
                "Accept": "application/vnd.github+json",
                "X-GitHub-Api-Version": "2022-11-28",
                "User-Agent": f"nexus-tui/{__version__}",
            },
            timeout=timeout,
            # By hand, so the token never follows a redirect to another host.
            follow_redirects=False,
            transport=transport,
        )
        self._lock = asyncio.Lock()
        self.rate_limits: dict[str, RateLimit] = {}
        self.blocked_until: datetime | None = None
        """No request goes out before this (GitHub asked for a pause); None when free."""
        self._block_message = ""
        self._secondary_strikes = 0
        self._refused: BadCredentials | None = None

    def __repr__(self) -> str:
        return f"GitHubClient({self.api_url!r}, token={self._token!r})"

    @property
    def authenticated(self) -> bool:
        return self._token is not None

    @property
    def token_source(self) -> str | None:
        return self._token.source if self._token else None

    @property
    def rate_limit(self) -> RateLimit | None:
        """The `core` limit (what these requests count against), else the latest one seen."""
        if "core" in self.rate_limits:
            return self.rate_limits["core"]
        return next(reversed(self.rate_limits.values()), None)

    async def aclose(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> GitHubClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    # --- requests ------------------------------------------------------------------------

    def url(self, path: str, params: dict[str, Any] | None = None) -> str:
        """`path` under the API's address (an absolute address is taken as it is)."""
        target = path if "://" in path else f"{self.api_url}/{path.lstrip('/')}"
        return str(httpx.URL(target, params=params) if params else httpx.URL(target))

    def _same_origin(self, url: httpx.URL) -> bool:
        return _origin(url) == self._origin

    async def get_json(self, path: str, params: dict[str, Any] | None = None) -> Answer:
        """GET one resource (conditionally, if cached); raises `GitHubError`."""
        url = httpx.URL(self.url(path, params))
        async with self._lock:
            for _hop in range(self.max_redirects + 1):
                cached = await self.cache.get(str(url)) if self.cache else None
                response = await self._send("GET", url, cached=cached)
                if response.status_code in _REDIRECTS:
                    url = self._redirect_target(url, response)
                    continue
                return await self._answer(url, response, cached)
        raise GitHubError(f"GitHub redirected more than {self.max_redirects} times; gave up.")

    async def get_pages(
        self,
        path: str,
        params: dict[str, Any] | None = None,
        *,
        items_key: str | None = None,
        max_pages: int = 5,
    ) -> list[Any]:
        """The items of up to `max_pages` pages, following each answer's `link: rel="next"`.

        `items_key` names the list inside an object answer (`"jobs"`, `"workflow_runs"`); without
        it the answer must be a list.
        """
        items: list[Any] = []
        url = self.url(path, params)
        for _page in range(max_pages):
            answer = await self.get_json(url)
            page = answer.body
            if items_key is not None:
                page = page.get(items_key) if isinstance(page, dict) else None
            if not isinstance(page, list):
                raise NotJson(
                    f"GitHub's answer did not hold the expected list (HTTP {answer.status})",
                    status=answer.status,
                )
            items.extend(page)
            if answer.next_url is None:
                break
            following = httpx.URL(answer.url).join(answer.next_url)
            if not self._same_origin(following):
                _log.warning("next page on another host not fetched: %s", following.host)
                break
            url = str(following)
        return items

    async def post(self, path: str, body: dict[str, Any] | None = None) -> Answer:
        """POST (not cached; retried only when the request surely never arrived)."""
        url = httpx.URL(self.url(path))
        async with self._lock:
            response = await self._send("POST", url, json_body=body)
            if response.status_code in _REDIRECTS:
                raise RedirectRefused(
                    f"GitHub redirected a change (HTTP {response.status_code}); not repeated.",
                    status=response.status_code,
                )
            return await self._answer(url, response, None)

    def _redirect_target(self, url: httpx.URL, response: _Exchange) -> httpx.URL:
        location = response.headers.get("location")
        if not location:
            raise GitHubError(
                f"GitHub answered HTTP {response.status_code} without saying where to go.",
                status=response.status_code,
            )
        target = url.join(location)
        if not self._same_origin(target):
            raise RedirectRefused(
                f"GitHub redirected to another host ({shown_line(target.host, limit=80)}); "
                "not followed, so the token is not sent there.",
                status=response.status_code,
            )
        return target

    # --- one exchange, with retries and rate limits ----------------------------------------

    def _headers(self, url: httpx.URL, cached: CachedResponse | None) -> dict[str, str]:
        headers: dict[str, str] = {}
        if self._token is not None and self._same_origin(url):
            headers["Authorization"] = f"Bearer {self._token.reveal()}"
        if cached is not None:
            if cached.etag:
                headers["If-None-Match"] = cached.etag
            if cached.last_modified:
                headers["If-Modified-Since"] = cached.last_modified
        return headers

    def _backoff(self, attempt: int) -> float:
        # Full doubling with jitter in [0.5, 1.5): clients that failed together retry apart.
        return self.retry_delay * 2 ** (attempt - 1) * (0.5 + self._random())

    async def _hold_for_block(self) -> None:
        if not self.carry_blocks or self.blocked_until is None:
            return
        now = self._clock()
        if now >= self.blocked_until:
            return
        if not self.wait_on_limits:
            raise RateLimited(self._block_message, self.blocked_until)
        await self._sleep((self.blocked_until - now).total_seconds())

    async def _send(
        self,
        method: str,
        url: httpx.URL,
        *,
        cached: CachedResponse | None = None,
        json_body: dict[str, Any] | None = None,
    ) -> _Exchange:
        if self._refused is not None:
            # The same refused token again would only count as more failed logins.
            raise self._refused
        attempt = 0
        limit_waits = 0
        idempotent = method == "GET"
        while True:
            await self._hold_for_block()
            try:
                response = await self._exchange(method, url, cached, json_body)
            except httpx.TransportError as error:
                # A refused or failed connection never reached GitHub: safe to repeat any method.
                repeatable = idempotent or isinstance(error, httpx.ConnectError)
                _log.debug("%s %s: %s", method, url, type(error).__name__)
                if repeatable and attempt < self.retries:
                    attempt += 1
                    await self._sleep(self._backoff(attempt))
                    continue
                raise Unreachable(
                    f"GitHub could not be reached: {_network_reason(error)}"
                ) from None
            _log.debug("%s %s -> %s", method, url, response.status_code)
            self._note_rate_limit(response)
            if response.status_code >= 500 and idempotent and attempt < self.retries:
                attempt += 1
                await self._sleep(self._backoff(attempt))
                continue
            block = self._limit_block(response)
            if block is None:
                if response.status_code < 400:
                    self._secondary_strikes = 0
                return response
            until, message = block
            if self.carry_blocks:
                self.blocked_until = max(until, self.blocked_until or until)
                self._block_message = message
            if self.wait_on_limits and limit_waits < self.max_limit_waits:
                limit_waits += 1
                await self._sleep(max((until - self._clock()).total_seconds(), 0.0))
                continue
            raise RateLimited(message, until, status=response.status_code)

    async def _exchange(
        self,
        method: str,
        url: httpx.URL,
        cached: CachedResponse | None,
        json_body: dict[str, Any] | None,
    ) -> _Exchange:
        """Send one request and read its answer, within the deadline and the size bound."""
        request = self._http.build_request(
            method, url, headers=self._headers(url, cached), json=json_body
        )
        try:
            async with asyncio.timeout(self.deadline):
                response = await self._http.send(request, stream=True)
                try:
                    content = await self._read_body(response)
                finally:
                    await response.aclose()
        except TimeoutError:
            # Said and retried as any other timeout.
            raise httpx.ReadTimeout("the deadline passed", request=request) from None
        return _Exchange(method, response.status_code, response.headers, content)

    async def _read_body(self, response: httpx.Response) -> bytes:
        limit = self.max_body_bytes
        too_large = TooLarge(
            f"GitHub's answer was larger than {limit // (1024 * 1024)} MB; it was not read further",
            status=response.status_code,
        )
        declared = _int_header(response.headers, "content-length")
        if declared is not None and declared > limit:
            raise too_large
        body = bytearray()
        # Decoded bytes, so a small compressed answer cannot unpack into a huge one either.
        async for chunk in response.aiter_bytes():
            body += chunk
            if len(body) > limit:
                raise too_large
        return bytes(body)

    def _note_rate_limit(self, response: _Exchange) -> None:
        headers = response.headers
        limit = _int_header(headers, "x-ratelimit-limit")
        remaining = _int_header(headers, "x-ratelimit-remaining")
        if limit is None and remaining is None:
            return
        reset = _int_header(headers, "x-ratelimit-reset")
        resource = headers.get("x-ratelimit-resource", "").strip() or "core"
        self.rate_limits[resource] = RateLimit(
            resource,
            limit,
            remaining,
            _int_header(headers, "x-ratelimit-used"),
            _epoch(reset) if reset is not None else None,
        )
        self.rate_limits[resource] = self.rate_limits.pop(resource)  # latest last
        if (
            response.status_code < 400
            and remaining == 0
            and reset is not None
            and self.carry_blocks
        ):
            # The answer came, but the next request would be refused: wait for the reset.
            until = _epoch(reset) + timedelta(seconds=1)
            if until > self._clock():
                self.blocked_until = max(until, self.blocked_until or until)
                self._block_message = (
                    f"GitHub rate limit exhausted until {clock_time(_epoch(reset), self._clock())}"
                )

    def _limit_block(self, response: _Exchange) -> tuple[datetime, str] | None:
        """When GitHub asked for a pause: until when, and a sentence saying so."""
        status = response.status_code
        if status not in (403, 429):
            return None
        headers = response.headers
        now = self._clock()
        retry_after = _int_header(headers, "retry-after")
        if retry_after is not None:
            until = now + timedelta(seconds=retry_after)
            return until, f"GitHub asked to wait until {clock_time(until, now)} (retry-after)"
        if _int_header(headers, "x-ratelimit-remaining") == 0:
            reset = _int_header(headers, "x-ratelimit-reset")
            if reset is None:
                until = now + timedelta(seconds=SECONDARY_LIMIT_SECONDS)
                return until, f"GitHub rate limit exhausted until {clock_time(until, now)}"
            # One second more before asking again: the reset is a whole second, clocks differ.
            until = max(_epoch(reset) + timedelta(seconds=1), now)
            return until, f"GitHub rate limit exhausted until {clock_time(_epoch(reset), now)}"
        message = _message(response).lower()
        if status == 429 or "secondary rate limit" in message or "abuse" in message:
            self._secondary_strikes += 1
            seconds = min(
                SECONDARY_LIMIT_SECONDS * 2 ** (self._secondary_strikes - 1),
                SECONDARY_LIMIT_MAX_SECONDS,
            )
            until = now + timedelta(seconds=seconds)
            return until, (
                "GitHub's secondary rate limit: too many requests, "
                f"paused until {clock_time(until, now)}"
            )
        return None

    # --- the answer ----------------------------------------------------------------------

    async def _answer(
        self, url: httpx.URL, response: _Exchange, cached: CachedResponse | None
    ) -> Answer:
        status = response.status_code
        headers = response.headers
        now = self._clock()
        if status == 304:
            if cached is None:
                raise GitHubError(
                    "GitHub answered 304 Not Modified, but nothing was cached for it.",
                    status=status,
                )
            if self.cache is not None:
                await self.cache.confirm(
                    str(url), headers.get("etag"), headers.get("last-modified"), now
                )
            link = headers.get("link") or cached.link
            try:
                body = json.loads(cached.body)
            except ValueError:
                raise NotJson("the cached answer from GitHub is damaged", status=status) from None
            return Answer(str(url), status, body, True, _next_link(link))
        if status >= 400:
            raise self._failure(response)
        if status == 204 or not response.content:
            return Answer(str(url), status, None, False, None)
        try:
            text = response.content.decode("utf-8")
            body = json.loads(text)
        except ValueError:
            raise NotJson(
                f"GitHub answered with something that is not JSON (HTTP {status})", status=status
            ) from None
        etag, last_modified = headers.get("etag"), headers.get("last-modified")
        link = headers.get("link")
        if self.cache is not None and (etag or last_modified) and response.method == "GET":
            await self.cache.save(CachedResponse(str(url), etag, last_modified, link, text, now))
        return Answer(str(url), status, body, False, _next_link(link))

    def _failure(self, response: _Exchange) -> GitHubError:
        status = response.status_code
        said = _message(response)
        if status >= 500:
            try:
                json.loads(response.content)
            except ValueError:
                return NotJson(
                    f"GitHub answered with something that is not JSON (HTTP {status})",
                    status=status,
                )
            tries = self.retries + 1
            return ServerError(
                f"GitHub had a server error (HTTP {status}), {tries} times in a row",
                status=status,
            )
        if status == 401:
            if self._token is None:
                error = BadCredentials(
                    "GitHub asks for a token: set GH_TOKEN or GITHUB_TOKEN, or run gh auth login",
                    status=status,
                )
            else:
                error = BadCredentials(
                    f"bad credentials: the token was refused ({self._token.source})",
                    status=status,
                )
                self._refused = error
            return error
        if status == 404:
            return NotFound("not found (HTTP 404)", status=status)
        if status == 403:
            detail = f": {said}" if said else ""
            return Forbidden(f"GitHub refused access (HTTP 403){detail}", status=status)
        detail = f": {said}" if said else ""
        return GitHubError(f"GitHub refused the request (HTTP {status}){detail}", status=status)
