"""Reading a hub from a file (a README or a JSON backup) and writing one safely.

Shared by the command line (`import`, `export`) and the app's import and export dialogs.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from nexus_tui.hub.content import HubContent


class HubFileError(Exception):
    """The file to import cannot be read as a README or a backup; the message says why."""


def read_hub_file(path: Path) -> tuple[HubContent, bool]:
    """The hub in a README or a JSON backup, and whether it is a backup (restored exactly)."""
    from nexus_tui.hub.backup import BackupFormatError, load_backup, looks_like_backup

    try:
        with path.open("rb") as handle:
            head = handle.read(4096)
    except OSError as error:
        raise HubFileError(f"cannot read {path}: {error.strerror}") from None
    if looks_like_backup(head.decode("utf-8", errors="replace")):
        try:
            return load_backup(path.read_bytes()), True
        except OSError as error:
            raise HubFileError(f"cannot read {path}: {error.strerror}") from None
        except BackupFormatError as error:
            raise HubFileError(f"cannot import {path}: {error}") from None
    from nexus_tui.hub.decoding import HubTextError, read_hub_text
    from nexus_tui.hub.readme import parse_readme

    try:
        return parse_readme(read_hub_text(path)), False
    except HubTextError as error:
        # Already a sentence naming the file and what to give instead.
        raise HubFileError(str(error)) from None


def export_text(content: HubContent, form: str, *, ascii_only: bool = False) -> str:
    """The hub as a README ("markdown") or a JSON backup ("json")."""
    if form == "json":
        from nexus_tui.hub.backup import dump_backup

        return dump_backup(content, ascii_only=ascii_only)
    from nexus_tui.hub.markdown import to_markdown

    return to_markdown(content)


def write_atomically(target: Path, text: str) -> None:
    """Write `text` (UTF-8) to `target` through a temporary file beside it, so `target` is
    either as it was or complete, never half-written."""
    if target.is_dir():
        raise IsADirectoryError(21, "it is a folder", str(target))
    handle, temporary = tempfile.mkstemp(
        dir=target.parent, prefix=f".{target.name}.", suffix=".part"
    )
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        # mkstemp makes the file private; give it the mode the file had, or a new file's.
        if target.exists():
            mode = target.stat().st_mode & 0o7777
        else:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
