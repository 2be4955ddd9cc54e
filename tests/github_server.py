"""A stand-in GitHub on 127.0.0.1: real HTTP, recorded bodies, scripted answers.

    with FakeGitHub() as github:
        github.route("/repos/o/r", Reply(200, {...}), Reply(502), ...)
        ... client with api_url=github.url ...
        github.seen  # every request: method, path, headers, the status answered

A route answers its replies in turn and repeats the last one. A reply may be a callable taking the
request, for answers that depend on it (`Resource` answers 304 to a matching validator). Requests
nothing was routed for get GitHub's 404. Runs in a thread of the test process, so both in-process
clients and `nexus-tui` subprocesses can talk to it.
"""

from __future__ import annotations

import copy
import json
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

DATA = Path(__file__).parent / "data" / "github"


def recorded(name: str) -> Any:
    """A recorded response body (see tests/data/github/README.md)."""
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def recorded_error(case_start: str) -> dict[str, Any]:
    """One recording of error-responses.json, found by the start of its `case`."""
    for entry in recorded("error-responses.json"):
        if entry["case"].startswith(case_start):
            return entry
    raise KeyError(case_start)


@dataclass(frozen=True)
class Seen:
    method: str
    path: str
    """With its query string."""
    headers: dict[str, str]
    """Lower-case names."""
    status: int = 0


@dataclass(frozen=True)
class Reply:
    status: int = 200
    body: Any = None
    """An object is sent as JSON; str or bytes exactly as given; None as an empty body."""
    headers: Mapping[str, str] = field(default_factory=dict)

    def payload(self) -> bytes:
        if self.body is None:
            return b""
        if isinstance(self.body, bytes):
            return self.body
        if isinstance(self.body, str):
            return self.body.encode("utf-8")
        return json.dumps(self.body).encode("utf-8")


Answer = Reply | Callable[[Seen], Reply]


class Resource:
    """A body with validators: 200 with them, or 304 when the request sends them back.

    `etag_on_304=False` answers 304 without repeating the ETag (GitHub may leave it out).
    Change `body` and `etag` to make the next request get a fresh 200.
    """

    def __init__(
        self,
        body: Any,
        *,
        etag: str | None = '"v1"',
        last_modified: str | None = None,
        etag_on_304: bool = True,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        self.body = body
        self.etag = etag
        self.last_modified = last_modified
        self.etag_on_304 = etag_on_304
        self.headers = dict(headers or {})

    def __call__(self, seen: Seen) -> Reply:
        headers = dict(self.headers)
        matches = (self.etag is not None and seen.headers.get("if-none-match") == self.etag) or (
            self.etag is None
            and self.last_modified is not None
            and seen.headers.get("if-modified-since") == self.last_modified
        )
        if matches:
            if self.etag and self.etag_on_304:
                headers["ETag"] = self.etag
            return Reply(304, None, headers)
        if self.etag:
            headers["ETag"] = self.etag
        if self.last_modified:
            headers["Last-Modified"] = self.last_modified
        return Reply(200, self.body, headers)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes; with Nagle's algorithm the body would wait for the
    # client's delayed ACK (40 ms a request).
    disable_nagle_algorithm = True
    server: _Server

    def log_message(self, format: str, *args: object) -> None:
        pass

    def _serve(self) -> None:
        length = int(self.headers.get("content-length") or 0)
        if length:
            self.rfile.read(length)
        seen = Seen(self.command, self.path, {k.lower(): v for k, v in self.headers.items()})
        reply = self.server.fake.answer(seen)
        payload = reply.payload() if reply.status != 304 else b""
        self.send_response(reply.status)
        names = {name.lower() for name in reply.headers}
        if "content-type" not in names and reply.status != 304:
            self.send_header("Content-Type", "application/json; charset=utf-8")
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _serve


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    fake: FakeGitHub


class FakeGitHub:
    def __init__(self) -> None:
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.fake = self
        self._routes: dict[str, list[Answer]] = {}
        self._lock = threading.Lock()
        self.seen: list[Seen] = []
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def route(self, path: str, *answers: Answer) -> None:
        """Answer `path` ("/repos/o/r", or with a query to match it exactly) with `answers` in
        turn, the last one for every later request."""
        with self._lock:
            self._routes[path] = list(answers)

    def answer(self, seen: Seen) -> Reply:
        with self._lock:
            answers = self._routes.get(seen.path) or self._routes.get(seen.path.split("?")[0])
            if not answers:
                answer: Answer = Reply(404, {"message": "Not Found"})
            else:
                answer = answers.pop(0) if len(answers) > 1 else answers[0]
        reply = answer(seen) if callable(answer) else answer
        with self._lock:
            self.seen.append(Seen(seen.method, seen.path, seen.headers, reply.status))
        return reply

    def requests_to(self, path: str) -> list[Seen]:
        return [seen for seen in self.seen if seen.path.split("?")[0] == path]

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> FakeGitHub:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


# --- GitHub-shaped bodies built from the recordings ------------------------------------------


def repository(full_name: str, default_branch: str = "main") -> dict[str, Any]:
    owner, _, name = full_name.partition("/")
    return {
        "id": 1,
        "name": name,
        "full_name": full_name,
        "owner": {"login": owner},
        "private": False,
        "html_url": f"https://github.com/{full_name}",
        "default_branch": default_branch,
    }


def run(
    workflow: str,
    *,
    workflow_id: int,
    status: str = "completed",
    conclusion: str | None = "success",
    title: str = "A commit",
    branch: str = "main",
    number: int = 1,
    created_at: str = "2026-11-26T09:00:00Z",
    updated_at: str = "2026-11-26T09:05:00Z",
) -> dict[str, Any]:
    """A recorded workflow run with these fields changed."""
    body = copy.deepcopy(recorded("workflow-runs-list.json")["workflow_runs"][0])
    run_id = workflow_id * 1000 + number
    body.update(
        id=run_id,
        name=workflow,
        workflow_id=workflow_id,
        status=status,
        conclusion=conclusion,
        display_title=title,
        head_branch=branch,
        run_number=number,
        created_at=created_at,
        updated_at=updated_at,
        run_started_at=created_at,
        html_url=f"https://github.com/o/r/actions/runs/{run_id}",
    )
    return body


def runs_list(*runs: dict[str, Any]) -> dict[str, Any]:
    return {"total_count": len(runs), "workflow_runs": list(runs)}


# What GitHub sends with every answer (values of a 2026 recording-like session).
RATE_LIMIT_HEADERS = {
    "x-ratelimit-limit": "5000",
    "x-ratelimit-remaining": "4870",
    "x-ratelimit-used": "130",
    "x-ratelimit-reset": "1795000000",
    "x-ratelimit-resource": "core",
}


def serve_repo(
    github: FakeGitHub,
    full_name: str,
    runs: list[dict[str, Any]],
    *,
    default_branch: str = "main",
    etag_on_304: bool = True,
) -> tuple[Resource, Resource]:
    """Route a repository and its runs as conditional resources; returns both."""
    tag = full_name.replace("/", "-")
    repo = Resource(
        repository(full_name, default_branch),
        etag=f'W/"repo-{tag}"',
        etag_on_304=etag_on_304,
        headers=RATE_LIMIT_HEADERS,
    )
    listed = Resource(
        runs_list(*runs),
        etag=f'W/"runs-{tag}"',
        etag_on_304=etag_on_304,
        headers=RATE_LIMIT_HEADERS,
    )
    github.route(f"/repos/{full_name}", repo)
    github.route(f"/repos/{full_name}/actions/runs", listed)
    return repo, listed
