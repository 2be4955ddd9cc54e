"""Time how long a terminal program takes to put a given text on its screen.

The program runs under a real pseudo-terminal, so it takes the same code paths
(raw mode, screen size, colour detection) as in a user's terminal emulator;
its output is read as it is produced, stripped of escape sequences and searched
for a marker text. POSIX only.
"""

import codecs
import contextlib
import errno
import fcntl
import os
import re
import select
import signal
import struct
import subprocess
import termios
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

_ESCAPE = re.compile(
    r"""
      \x1b\[ [\x30-\x3f]* [\x20-\x2f]* [\x40-\x7e]   # CSI
    | \x1b\] [^\x07\x1b]* (?:\x07|\x1b\\)          # OSC, ended by BEL or ST
    | \x1b[PX^_] .*? \x1b\\                        # DCS, SOS, PM, APC, ended by ST
    # Two-byte (and nF) sequences. The final byte excludes the introducers
    # above, so an unfinished CSI/OSC/DCS never passes for a complete sequence.
    | \x1b [\x20-\x2f]* [\x30-\x4f\x51-\x57\x59\x5a\x5c\x60-\x7e]
    """,
    re.VERBOSE | re.DOTALL,
)
# Also matches an ESC that starts no complete sequence: one still being
# written, or garbage.
_TOKEN = re.compile(_ESCAPE.pattern + r"| (?P<unfinished>\x1b)", re.VERBOSE | re.DOTALL)
# The start of a CSI (or other sequence) cut off by the end of the output.
_CUT_OFF = re.compile(r"\x1b[\[\]PX^_]?[\x20-\x3f]*\Z")
# C0 controls left over once the sequences are gone (CR, BEL, lone ESC...):
# they never belong to a marker and only clutter failure reports.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")

# An escape sequence still open after this many characters is taken to be
# garbage rather than split across reads, so a stray ESC cannot hold back
# the rest of the output for ever.
_MAX_PENDING = 4096

_READ_SIZE = 65536


def strip_escapes(text: str) -> str:
    """Remove terminal escape sequences and stray control characters."""
    return _CONTROL.sub("", _ESCAPE.sub("", text))


class ScreenText:
    """The visible text of a byte stream, fed one read at a time.

    Sequences and multi-byte characters may be split across reads, so the
    unfinished end of each read is held back until the next one completes it.
    """

    def __init__(self) -> None:
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._pending = ""
        self._chunks: list[str] = []

    def feed(self, data: bytes) -> str:
        """Add raw output; return the visible text it completed."""
        text = self._pending + self._decoder.decode(data)
        cut = len(text)
        for token in _TOKEN.finditer(text):
            if token["unfinished"] is not None and cut - token.start() < _MAX_PENDING:
                cut = token.start()
                break
        self._pending = text[cut:]
        clean = strip_escapes(text[:cut])
        if clean:
            self._chunks.append(clean)
        return clean

    @property
    def text(self) -> str:
        return "".join(self._chunks) + strip_escapes(_CUT_OFF.sub("", self._pending))

    def tail(self, chars: int = 500) -> str:
        return self.text[-chars:]


class MarkerNotSeen(Exception):
    """The program timed out or exited before showing the marker."""

    def __init__(self, reason: str, tail: str, exit_status: int | None) -> None:
        super().__init__(f"{reason}; last output: {tail!r}")
        self.reason = reason
        self.tail = tail
        self.exit_status = exit_status


@dataclass(frozen=True)
class MarkerRun:
    seconds: float
    """From just before the process was spawned to the read that showed the marker."""
    exit_status: int | None
    """Negative for a signal, as in subprocess."""
    ended_by: str
    """"quit" (the quit keys worked), "terminated" (SIGTERM) or "killed" (SIGKILL)."""
    peak_memory_kb: int | None = None
    """Peak resident memory before quitting, when asked for and the system tells (Linux)."""


def run_to_marker(
    argv: Sequence[str],
    marker: str,
    env: Mapping[str, str] | None = None,
    *,
    size: tuple[int, int] = (120, 40),
    timeout: float = 20.0,
    cwd: str | os.PathLike[str] | None = None,
    quit_keys: bytes = b"q",
    quit_grace: float = 3.0,
    linger: float = 0.0,
    measure_memory: bool = False,
) -> MarkerRun:
    """Run argv under a pty of size (columns, rows) until marker is on screen.

    The program then keeps running for linger seconds (its output read and
    dropped), its peak memory is read if measure_memory, and it is asked to
    quit by typing quit_keys, and after quit_grace seconds sent SIGTERM, then
    SIGKILL; it is always reaped. Raises MarkerNotSeen if the marker does not
    show within timeout seconds.
    """
    if not marker:
        raise ValueError("marker must not be empty")
    columns, rows = size
    master, slave = os.openpty()
    try:
        # Set before the child exists so that its very first size query
        # sees the final size and no resize is ever processed.
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        screen = ScreenText()
        start = time.perf_counter()
        try:
            process = subprocess.Popen(
                argv,
                stdin=slave,
                stdout=slave,
                stderr=slave,
                env=env,
                cwd=cwd,
                start_new_session=True,
            )
        finally:
            # The parent must not hold the slave open, or the master never
            # reports end-of-file when the child exits.
            os.close(slave)
        try:
            try:
                seconds = _read_until_marker(master, process, screen, marker, start, timeout)
            except MarkerNotSeen:
                _shut_down(process, master, quit_keys, quit_grace)
                raise
            peak_memory = None
            if linger > 0:
                _drain_until_exit(process, master, linger)
            if measure_memory and process.poll() is None:
                peak_memory = peak_memory_kb(process.pid)
            exit_status, ended_by = _shut_down(process, master, quit_keys, quit_grace)
        finally:
            # Only reached with the child alive if the harness itself was
            # interrupted (e.g. Ctrl-C): then there is no time to be polite,
            # but the child must not outlive the harness.
            if process.poll() is None:
                _kill_group(process, signal.SIGKILL)
                process.wait()
        return MarkerRun(seconds, exit_status, ended_by, peak_memory)
    finally:
        os.close(master)


def time_to_marker(
    argv: Sequence[str],
    marker: str,
    env: Mapping[str, str] | None = None,
    size: tuple[int, int] = (120, 40),
    timeout: float = 20.0,
    **options,
) -> float:
    """Seconds from process start until marker is painted; see run_to_marker."""
    return run_to_marker(argv, marker, env, size=size, timeout=timeout, **options).seconds


def peak_memory_kb(pid: int) -> int | None:
    """The most memory the process has had resident so far (Linux's VmHWM), in KiB.

    None where /proc does not tell (macOS, or the process is gone).
    """
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    for line in status.splitlines():
        name, _, value = line.partition(":")
        if name == "VmHWM":
            return int(value.split()[0])  # "123456 kB"
    return None


def _read(master: int) -> bytes:
    try:
        return os.read(master, _READ_SIZE)
    except OSError as error:
        # Linux reports EIO on the master once every slave fd is closed.
        if error.errno == errno.EIO:
            return b""
        raise


def _read_until_marker(
    master: int,
    process: subprocess.Popen,
    screen: ScreenText,
    marker: str,
    start: float,
    timeout: float,
) -> float:
    deadline = start + timeout
    # The marker may straddle two reads: keep just enough of the previous
    # text to find it, instead of searching everything again each time.
    carry = ""
    while True:
        remaining = deadline - time.perf_counter()
        if remaining <= 0:
            raise MarkerNotSeen(
                f"marker {marker!r} not seen within {timeout:g} s", screen.tail(), None
            )
        readable, _, _ = select.select([master], [], [], remaining)
        if not readable:
            continue
        data = _read(master)
        # Taken before any decoding or searching, so that the harness's own
        # work is not counted against the program.
        now = time.perf_counter()
        if not data:
            try:
                status = process.wait(timeout=max(0.0, deadline - time.perf_counter()))
            except subprocess.TimeoutExpired:
                status = None
            raise MarkerNotSeen(
                f"output closed (exit status {status}) before marker {marker!r} appeared",
                screen.tail(),
                status,
            )
        window = carry + screen.feed(data)
        if marker in window:
            return now - start
        carry = window[-(len(marker) - 1) :] if len(marker) > 1 else ""


def _shut_down(
    process: subprocess.Popen, master: int, quit_keys: bytes, grace: float
) -> tuple[int | None, str]:
    if process.poll() is None and quit_keys:
        # The child may exit on its own in between; then there is no reader.
        with contextlib.suppress(OSError):
            os.write(master, quit_keys)
    if _drain_until_exit(process, master, grace):
        return process.returncode, "quit"
    _kill_group(process, signal.SIGTERM)
    if _drain_until_exit(process, master, grace):
        return process.returncode, "terminated"
    _kill_group(process, signal.SIGKILL)
    return process.wait(), "killed"


def _drain_until_exit(process: subprocess.Popen, master: int, seconds: float) -> bool:
    """Wait for the process to exit, draining its output so it cannot block on it."""
    deadline = time.monotonic() + seconds
    while process.poll() is None:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return False
        readable, _, _ = select.select([master], [], [], min(remaining, 0.05))
        if readable and not _read(master):
            try:
                process.wait(timeout=max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                return False
    return True


def _kill_group(process: subprocess.Popen, sig: signal.Signals) -> None:
    # The child leads its own session, so its process group id is its pid and
    # the signal also reaches anything it started. Skipped once the child is
    # reaped, as its pid may then belong to someone else.
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, sig)
