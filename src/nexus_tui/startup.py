"""Opening the hub for the first screen, on a thread that starts before Textual is imported.

Importing Textual takes about 0.35 s of the start-up; opening the database, seeding it on a first
start and reading the first screen's topics take a few milliseconds of SQLite work. Started first,
that work is done by the time the app mounts, so the first frame is painted with data in it.
No Textual here: the app only reads the finished result (see `NexusApp.open_store`).
"""

import threading
from typing import NamedTuple

from nexus_tui.store import Store, queries
from nexus_tui.store.database import Clock, utc_now
from nexus_tui.store.records import CategorySummary
from nexus_tui.store.seed import seed_default_hub


class OpenedHub(NamedTuple):
    store: Store
    categories: list[CategorySummary]
    """The Topics screen's first contents, read in the same pass."""
    stored_repos: list[str]


def open_hub(location: str, clock: Clock = utc_now) -> OpenedHub:
    """Open (creating and migrating) the database, add the default hub on the very first start,
    and read what the first screen shows. Raises StoreError when the database cannot be used."""
    store = Store.open(location, clock)
    seed_default_hub(store)
    categories = store.read(queries.categories_with_topics)
    repos = [repo.full_name for repo in store.read(queries.watched_repos)]
    return OpenedHub(store, categories, repos)


class HubOpener:
    """Runs `open_hub` on a daemon thread; `result()` waits for it and re-raises its error."""

    def __init__(self, location: str, clock: Clock = utc_now) -> None:
        self._done = threading.Event()
        self._result: OpenedHub | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(
            target=self._run, args=(location, clock), name="nexus-open-hub", daemon=True
        )
        self._thread.start()

    def _run(self, location: str, clock: Clock) -> None:
        try:
            self._result = open_hub(location, clock)
        except BaseException as error:  # handed to whoever asks for the result
            self._error = error
        finally:
            self._done.set()

    def done(self) -> bool:
        return self._done.is_set()

    @property
    def error(self) -> BaseException | None:
        return self._error

    def result(self) -> OpenedHub:
        self._done.wait()
        if self._error is not None:
            raise self._error
        assert self._result is not None
        return self._result
