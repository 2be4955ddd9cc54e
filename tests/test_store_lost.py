"""A PostgreSQL server that goes away mid-use: said in words, typing kept as a draft, and the app
carries on by itself when the server is back. The break is a real one: the app talks to the
server through a relay on 127.0.0.1 that the test cuts and mends."""

from __future__ import annotations

import time
import uuid
from urllib.parse import urlsplit

import pytest
from conftest import _on_server, make_app, make_paths, open_store, postgres_schema_url, settle
from tcp_proxy import TcpProxy
from test_drafts import draft_files, note_body, type_into, wait_for_draft

from nexus_tui.store import StoreError, queries, watch


@pytest.fixture
def relayed_url(postgres_url):
    """A fresh schema on the test server, reached through a relay: (URL, relay)."""
    schema = f"lost_{uuid.uuid4().hex[:12]}"
    _on_server(f"CREATE SCHEMA {schema}")
    server = urlsplit(postgres_url)
    proxy = TcpProxy(server.hostname, server.port)
    relayed = postgres_url.replace(
        f"@{server.hostname}:{server.port}/", f"@127.0.0.1:{proxy.port}/"
    )
    try:
        yield postgres_schema_url(relayed, schema), proxy
    finally:
        proxy.close()
        _on_server(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            f"WHERE application_name = '{schema}' AND pid <> pg_backend_pid();"
            f"DROP SCHEMA {schema} CASCADE"
        )


def test_a_store_whose_server_went_away_says_so_and_works_again_when_it_is_back(relayed_url):
    url, proxy = relayed_url
    store = open_store(url)
    assert store.read(queries.categories_with_topics) == []
    proxy.cut()
    with pytest.raises(StoreError, match="cannot be reached"):
        store.read(queries.categories_with_topics)
    proxy.mend()
    # The connections kept from before the break are dead; the store opens new ones by itself.
    assert store.read(queries.categories_with_topics) == []


async def wait_for(pilot, condition, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "not within the time"
        await pilot.pause(0.1)


def notices(app) -> str:
    return "\n".join(f"{n.title}: {n.message}" for n in app._notifications)


async def test_the_app_keeps_typing_through_a_lost_server_and_saves_when_it_is_back(
    tmp_path, relayed_url, monkeypatch
):
    monkeypatch.setattr(watch, "RECONNECT_SECONDS", 0.2)
    url, proxy = relayed_url
    paths = make_paths(tmp_path, url)
    app = make_app(paths, follow_changes=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        await type_into(pilot, "#note-text", "written while the server was away")
        await wait_for_draft(pilot)
        proxy.cut()
        await wait_for(pilot, lambda: "Database out of reach" in notices(app))
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "cannot be reached" in notices(app)
        # Nothing typed is lost: the draft is still there, and so is the editor.
        assert len(draft_files(paths)) == 1
        assert app.screen.query_one("#note-text").text == "written while the server was away"
        proxy.mend()
        await wait_for(pilot, lambda: "Database back" in notices(app))
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert draft_files(paths) == []
    assert note_body(paths, "Python for backend work") == "written while the server was away"
