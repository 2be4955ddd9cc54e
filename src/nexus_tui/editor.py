"""Editing a note in the user's own editor (`$VISUAL`, else `$EDITOR`).

The note becomes a markdown file that reads naturally and comes back apart exactly::

    # The title
    Tags: django orm

    The body, unchanged, to the end of the file.

The first line is the title (its leading `#` marks are not part of it). A `Tags:` line right after
it holds the tags; deleting that line keeps the tags as they were, leaving it empty removes them.
One blank line follows, then the body. The file ends with one newline more than the body, as
editors like a file to end, and that newline is taken off again on the way back.

No Textual here: the screen hands over a function that runs the command with the terminal given
to it, and this module does the rest.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import NamedTuple

__all__ = [
    "EditorProblem",
    "EditorText",
    "edit_text",
    "editor_command",
    "note_as_text",
    "note_from_text",
    "run_command",
]

NO_EDITOR = "Set $EDITOR (for example `export EDITOR=nano`) to edit notes outside the app."
_TAGS_PREFIX = "tags:"


class EditorProblem(Exception):
    """The editor could not be used, or it failed; the message says which and what to do."""


def editor_command(environ: Mapping[str, str] | None = None) -> list[str]:
    """The editor to run, as arguments; EditorProblem when none is set or it is not installed."""
    env = os.environ if environ is None else environ
    for name in ("VISUAL", "EDITOR"):
        value = env.get(name, "").strip()
        if not value:
            continue
        try:
            command = shlex.split(value)
        except ValueError as error:
            raise EditorProblem(f"${name} is not a command line ({error}). {NO_EDITOR}") from None
        if not command:
            continue
        if shutil.which(command[0]) is None:
            raise EditorProblem(
                f"The editor {command[0]!r} (from ${name}) was not found. {NO_EDITOR}"
            )
        return command
    raise EditorProblem(NO_EDITOR)


def run_command(command: Sequence[str]) -> int:
    """Run the editor in the foreground and answer its exit status."""
    try:
        return subprocess.run(list(command), check=False).returncode
    except OSError as error:
        raise EditorProblem(
            f"The editor {command[0]!r} could not be started: {error.strerror or error}. "
            f"{NO_EDITOR}"
        ) from None


def edit_text(text: str, command: Sequence[str], run: Callable[[Sequence[str]], int]) -> str:
    """Let the user edit `text` in a temporary file with `command`; answer what they saved.

    `run` runs the command (with the terminal handed over to it) and answers its exit status.
    The file is removed afterwards whatever happens. EditorProblem when the editor fails.
    """
    handle, name = tempfile.mkstemp(prefix="nexus-note-", suffix=".md")
    path = Path(name)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
        status = run([*command, str(path)])
        if status != 0:
            raise EditorProblem(
                f"The editor {command[0]!r} exited with status {status}; nothing was saved."
            )
        # An editor that wrote another encoding gets replacement marks, not a lost edit.
        return path.read_text(encoding="utf-8", errors="replace")
    finally:
        path.unlink(missing_ok=True)


class EditorText(NamedTuple):
    title: str
    tags: str | None
    """The tags line as written, or None when the line was removed (the tags stay as they were)."""
    body: str


def note_as_text(title: str, tags: Sequence[str], body: str) -> str:
    tags_line = f"Tags: {' '.join(tags)}".rstrip()
    return f"# {title}\n{tags_line}\n\n{body}\n"


def note_from_text(text: str) -> EditorText:
    """The parts of a note written by `note_as_text` and then edited; the inverse of it."""
    lines = text.split("\n")
    # Blank lines typed above the title do not make the title empty.
    while len(lines) > 1 and not lines[0].strip():
        lines.pop(0)
    # "# #1 priority" keeps its own "#": only the marks before the first space go.
    title = lines.pop(0).strip().lstrip("#").strip()
    tags = None
    if lines and lines[0].lower().startswith(_TAGS_PREFIX):
        tags = lines.pop(0)[len(_TAGS_PREFIX) :].strip()
    if lines and not lines[0].strip():
        lines.pop(0)
    body = "\n".join(lines).removesuffix("\n")
    return EditorText(title, tags, body)
