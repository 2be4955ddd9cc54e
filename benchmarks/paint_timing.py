"""Time how long a Textual app takes from a key press to the frame that shows its effect.

Runs inside `App.run_test` (headless). Every frame the app renders goes through
`App._display`; a `FrameTimer` wraps that method on one app instance and notes
the time each frame is finished. A key press is posted to the app as the
terminal driver would post it, and its time is the time from posting it to the
first frame rendered afterwards in which a condition holds (the list cursor on
the next row, the results of the new query shown): "painted" means the screen
a terminal would show now has the change in it.

The headless driver writes nothing, so Textual skips turning a frame into
terminal escape sequences there; the timer does that work itself (and throws
the output away), so each timed frame costs what it costs in a terminal, bar
the write to the terminal itself.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.worker import WorkerCancelled

if TYPE_CHECKING:
    from textual.app import App


@dataclass(frozen=True)
class KeyTiming:
    pressed: float
    """time.perf_counter() when the key was posted to the app."""
    painted: float
    """time.perf_counter() when the frame showing its effect was finished."""

    @property
    def seconds(self) -> float:
        return self.painted - self.pressed


class PaintTimeout(Exception):
    """No frame showed the change within the time allowed."""


class FrameTimer:
    """Notes when an app finishes each frame; `press` times a key press to a frame."""

    def __init__(self, app: App) -> None:
        self.app = app
        self.frames = 0
        """Frames rendered since the timer was attached."""
        self.last_frame = 0.0
        """time.perf_counter() when the last frame was finished."""
        self._waiting: list[tuple[Callable[[], bool], asyncio.Future[float]]] = []
        display = app._display

        def timed_display(screen, renderable) -> None:
            display(screen, renderable)
            # The cases in which App._display shows nothing.
            if renderable is None or app._batch_count:
                return
            render_segments = getattr(renderable, "render_segments", None)
            if app.is_headless and render_segments is not None:
                render_segments(app.console)
            self._frame_done(time.perf_counter())

        # Only this instance is changed; Screen calls app._display for every frame.
        app._display = timed_display  # type: ignore[method-assign]

    def _frame_done(self, now: float) -> None:
        self.frames += 1
        self.last_frame = now
        still_waiting = []
        for shown, future in self._waiting:
            if future.done():
                continue
            if shown():
                future.set_result(now)
            else:
                still_waiting.append((shown, future))
        self._waiting = still_waiting

    async def press(
        self, character_or_key: str, shown: Callable[[], bool], timeout: float = 10.0
    ) -> KeyTiming:
        """When a key was pressed, and when the first frame after it in which shown() is true
        was finished. A single character is typed as itself ("a", " "); a longer name ("down")
        is a key.

        Raises PaintTimeout if no such frame comes within timeout seconds.
        """
        from textual import events
        from textual.keys import _character_to_key

        if len(character_or_key) == 1:
            # Named as Textual's own key presses name it ("space", "underscore").
            character: str | None = character_or_key
            key = _character_to_key(character)
        else:
            character, key = None, character_or_key
        future: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        self._waiting.append((shown, future))
        event = events.Key(key, character)
        event.set_sender(self.app)
        # As the terminal driver hands a key to the app: a message in its queue.
        start = time.perf_counter()
        self.app.post_message(event)
        try:
            painted = await asyncio.wait_for(future, timeout)
        except TimeoutError:
            raise PaintTimeout(
                f"no frame showed the effect of {character_or_key!r} within {timeout:g} s"
            ) from None
        return KeyTiming(start, painted)

    async def settle(self, quiet: float = 0.05, limit: float = 5.0) -> None:
        """Wait until the app has nothing left to show: its workers finished and no frame rendered
        for `quiet` seconds (some widgets, such as Markdown, finish an update in several frames
        after the worker that fed them). Gives up waiting after `limit` seconds."""
        app = self.app
        deadline = time.perf_counter() + limit
        while time.perf_counter() < deadline:
            # A worker cancelled meanwhile (an exclusive one, by a newer key) is done too.
            with suppress(WorkerCancelled):
                await app.workers.wait_for_complete()
            frames = self.frames
            await asyncio.sleep(quiet)
            if frames == self.frames and not any(worker.is_running for worker in app.workers):
                return
