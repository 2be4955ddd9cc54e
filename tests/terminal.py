"""A program in a real pseudo-terminal, and a tiny screen model to read what it shows.

Textual paints by moving the cursor to each line (CSI row;col H) and writing styled text, and it
wraps long words in dialogs and toasts. Searching the raw byte stream would then miss text split
over two rows or match text joined across unrelated updates, so the output is also replayed onto
a character grid that keeps only the last thing written to each cell. Only the few control
sequences that move the cursor or clear cells are interpreted; every other escape sequence
(colours, modes, queries) is dropped, which is all a text search needs.

POSIX only: os.openpty, termios and fcntl do not exist on Windows.
"""

from __future__ import annotations

import codecs
import os
import re
import select
import subprocess
import time
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

# One escape sequence: CSI (with its parameters), OSC/DCS/APC strings up to their terminator,
# or a two-byte escape. Group "csi" holds the parameters and group "final" the command letter.
_ESCAPE = re.compile(
    r"\x1b\[(?P<csi>[0-?]*)[ -/]*(?P<final>[@-~])"
    r"|\x1b[\]P_^][^\x07\x1b]*(?:\x07|\x1b\\)?"
    # Two-byte escapes, but not the openers of the longer kinds above.
    r"|\x1b(?![\[\]P_^])[ -/]*[0-~]"
)
# The same sequences, but only when complete: a read can end in the middle of one.
_COMPLETE_ESCAPE = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b[\]P_^][^\x07\x1b]*(?:\x07|\x1b\\)"
    r"|\x1b(?![\[\]P_^])[ -/]*[0-~]"
)
# Other C0 controls (bell, shift-in/out...) carry no text.
_OTHER_CONTROLS = re.compile(r"[\x00-\x07\x0b\x0c\x0e-\x1f\x7f]")
# Blanks and box-drawing characters (U+2500 to U+257F) at the end of a row.
_TRAILING_FRAME = re.compile(r"[\s\u2500-\u257f]+$")


def strip_ansi(text: str) -> str:
    """``text`` without escape sequences or control characters other than \\n, \\r and tab."""
    return _OTHER_CONTROLS.sub("", _ESCAPE.sub("", text))


def _cell_width(char: str) -> int:
    if unicodedata.combining(char):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


class Screen:
    """A rows x cols grid of characters that understands cursor moves and erasing."""

    def __init__(self, cols: int, rows: int) -> None:
        self.cols = cols
        self.rows = rows
        self.grid = [[" "] * cols for _ in range(rows)]
        self.row = 0
        self.col = 0

    def feed(self, text: str) -> None:
        position = 0
        for match in _ESCAPE.finditer(text):
            self._write(text[position : match.start()])
            if match["final"] is not None:
                self._control(match["csi"], match["final"])
            position = match.end()
        self._write(text[position:])

    def _control(self, params: str, final: str) -> None:
        if params.startswith("?"):
            if final in "hl" and params[1:] in ("1049", "47", "1047"):
                # Entering or leaving the alternate screen: what was there is not shown any more.
                self._erase(0, 0, self.rows - 1, self.cols)
            return
        numbers = [int(part) if part.isdigit() else 0 for part in params.split(";")]
        first = numbers[0] if numbers else 0
        if final in "Hf":
            row = first or 1
            col = numbers[1] if len(numbers) > 1 and numbers[1] else 1
            self.row = min(max(row - 1, 0), self.rows - 1)
            self.col = min(max(col - 1, 0), self.cols - 1)
        elif final == "G":
            self.col = min(max((first or 1) - 1, 0), self.cols - 1)
        elif final == "d":
            self.row = min(max((first or 1) - 1, 0), self.rows - 1)
        elif final == "A":
            self.row = max(self.row - (first or 1), 0)
        elif final == "B":
            self.row = min(self.row + (first or 1), self.rows - 1)
        elif final == "C":
            self.col = min(self.col + (first or 1), self.cols - 1)
        elif final == "D":
            self.col = max(self.col - (first or 1), 0)
        elif final == "J":
            if first == 0:
                self._erase(self.row, self.col, self.rows - 1, self.cols)
            elif first == 1:
                self._erase(0, 0, self.row, self.col + 1)
            else:
                self._erase(0, 0, self.rows - 1, self.cols)
        elif final == "K":
            start, end = {0: (self.col, self.cols), 1: (0, self.col + 1)}.get(first, (0, self.cols))
            self.grid[self.row][start:end] = [" "] * (end - start)

    def _erase(self, top: int, left: int, bottom: int, right: int) -> None:
        # From (top, left) to (bottom, right) in reading order, as ED does.
        for row in range(top, bottom + 1):
            start = left if row == top else 0
            end = right if row == bottom else self.cols
            self.grid[row][start:end] = [" "] * (end - start)

    def _write(self, text: str) -> None:
        for char in _OTHER_CONTROLS.sub("", text):
            if char == "\r":
                self.col = 0
            elif char == "\n":
                self.row = min(self.row + 1, self.rows - 1)
            elif char == "\t":
                self.col = min((self.col // 8 + 1) * 8, self.cols - 1)
            else:
                width = _cell_width(char)
                if width == 0 or self.col >= self.cols:
                    continue
                self.grid[self.row][self.col] = char
                if width == 2 and self.col + 1 < self.cols:
                    # The right half of a wide character holds nothing of its own.
                    self.grid[self.row][self.col + 1] = ""
                self.col += width

    def text_right_of(self, edge: str) -> str:
        """What is right of ``edge`` on each row that has it, one row per line.

        A toast is drawn with a tall left edge ("▌"): this reads just its rows, with the blanks
        and box-drawing characters of what is behind it cut off the end of each.
        """
        rows = []
        for line in self.lines():
            if edge in line:
                rows.append(_TRAILING_FRAME.sub("", line.rpartition(edge)[2]).strip())
        return "\n".join(rows)

    def lines(self) -> list[str]:
        return ["".join(row).rstrip() for row in self.grid]

    def text(self) -> str:
        return "\n".join(self.lines())


class Terminal:
    """Runs ``argv`` with a pseudo-terminal as its stdin, stdout and stderr.

    Use as a context manager: leaving it always kills and reaps the child and closes the pty.
    """

    def __init__(
        self,
        argv: Sequence[str],
        *,
        env: Mapping[str, str],
        cwd: Path,
        cols: int = 120,
        rows: int = 40,
    ) -> None:
        self.argv = list(argv)
        self.env = dict(env)
        self.cwd = cwd
        self.cols = cols
        self.rows = rows
        self.screen = Screen(cols, rows)
        self.transcript = ""
        """Everything the program wrote, escape sequences removed."""
        self.raw = b""
        self.process: subprocess.Popen[bytes] | None = None
        self._master = -1
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._eof = False
        self._pending = ""

    def __enter__(self) -> Terminal:
        import fcntl
        import struct
        import termios

        master, slave = os.openpty()
        self._master = master
        try:
            # The size must be set before the child starts: it reads it once at start-up.
            size = struct.pack("HHHH", self.rows, self.cols, 0, 0)
            fcntl.ioctl(slave, termios.TIOCSWINSZ, size)
            self.process = subprocess.Popen(
                self.argv,
                stdin=slave,
                stdout=slave,
                stderr=slave,
                cwd=self.cwd,
                env=self.env,
                # Its own session, so nothing it does to the terminal reaches pytest's.
                start_new_session=True,
                close_fds=True,
            )
        except BaseException:
            os.close(master)
            self._master = -1
            raise
        finally:
            # Only the child keeps the slave open, so its exit shows up as end-of-file here.
            os.close(slave)
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        try:
            if self.process is not None and self.process.poll() is None:
                self.process.kill()
            if self.process is not None:
                self.process.wait(timeout=10)
        finally:
            if self._master >= 0:
                os.close(self._master)
                self._master = -1

    def send(self, keys: str) -> None:
        os.write(self._master, keys.encode("utf-8"))

    def _read(self, timeout: float) -> bool:
        """Read what is there within ``timeout`` seconds; False once the child has gone."""
        if self._eof:
            return False
        ready, _, _ = select.select([self._master], [], [], max(timeout, 0))
        if not ready:
            return True
        try:
            data = os.read(self._master, 65536)
        except OSError:
            # Linux reports EIO on the master once every holder of the slave has closed it.
            data = b""
        if not data:
            self._eof = True
            return False
        self.raw += data
        text = self._pending + self._decoder.decode(data)
        # Hold back a sequence cut off by the end of this read, or its tail would show up as text.
        last = text.rfind("\x1b")
        if last >= 0 and len(text) - last < 4096 and not _COMPLETE_ESCAPE.match(text, last):
            text, self._pending = text[:last], text[last:]
        else:
            self._pending = ""
        self.screen.feed(text)
        self.transcript += strip_ansi(text)
        return True

    def wait_until(self, check: Callable[[Screen], bool], what: str, timeout: float = 20.0) -> None:
        """Read until ``check(screen)`` holds; AssertionError with the screen if it never does."""
        deadline = time.monotonic() + timeout
        while not check(self.screen):
            remaining = deadline - time.monotonic()
            # _read is False only once the child has closed the terminal: nothing more will come.
            if remaining > 0 and self._read(min(remaining, 0.2)):
                continue
            raise AssertionError(
                f"{what}: not seen within {timeout} s\n"
                f"exit status: {self.process.poll() if self.process else None}\n"
                f"--- screen ---\n{self.screen.text()}\n"
                f"--- transcript tail ---\n{self.transcript[-3000:]}"
            )

    def wait_for(self, *texts: str, timeout: float = 20.0) -> None:
        """Wait until every one of ``texts`` is on the screen at the same time."""
        self.wait_until(
            lambda screen: all(text in screen.text() for text in texts),
            f"on screen: {texts!r}",
            timeout,
        )

    def wait_for_absent(self, text: str, timeout: float = 20.0) -> None:
        self.wait_until(lambda screen: text not in screen.text(), f"gone: {text!r}", timeout)

    def wait_quiet(self, quiet: float = 0.5, timeout: float = 20.0) -> None:
        """Read until the program has written nothing for ``quiet`` seconds: the screen settled."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            before = len(self.raw)
            silent_until = time.monotonic() + quiet
            while len(self.raw) == before and time.monotonic() < silent_until:
                if not self._read(silent_until - time.monotonic()):
                    return
            if len(self.raw) == before:
                return
        raise AssertionError(f"still writing after {timeout} s\n{self.screen.text()}")

    def wait_exit(self, timeout: float = 20.0) -> int:
        """Read until the child exits (so it never blocks on a full pty) and return its status."""
        assert self.process is not None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self._read(0.2) and self.process.poll() is not None:
                return self.process.returncode
            if self._eof:
                # Output is over; the process may take a moment more to be reaped.
                try:
                    return self.process.wait(timeout=max(deadline - time.monotonic(), 0.1))
                except subprocess.TimeoutExpired:
                    break
        raise AssertionError(
            f"still running after {timeout} s\n--- screen ---\n{self.screen.text()}\n"
            f"--- transcript tail ---\n{self.transcript[-3000:]}"
        )
