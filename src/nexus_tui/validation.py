"""Checking what the user types into a form, with the problem said in words.

Pure functions (no Textual): each returns the cleaned value and None, or None and a sentence that
says what is wrong and what would be right, which a form shows under the field as the user types.
An empty optional field is not a problem: each function takes `required` for that.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from urllib.parse import urlsplit

GITHUB_HANDLE_MAX = 39
# GitHub's rule for user and organisation names: letters, digits and single hyphens, neither first
# nor last.
_GITHUB_HANDLE = re.compile(r"[A-Za-z0-9](?:-?[A-Za-z0-9])*")
# Repository names: letters, digits, ".", "-" and "_", but not "." or ".." alone.
_REPO_NAME = re.compile(r"[A-Za-z0-9._-]{1,100}")
_RELATIVE_DAYS = re.compile(r"\+(\d{1,4})\s*([dw]?)")


def github_handle(text: str, required: bool = False) -> tuple[str | None, str | None]:
    """A GitHub user or organisation name; a leading "@" or a profile URL's name is accepted."""
    handle = text.strip().removeprefix("@")
    for prefix in ("https://github.com/", "http://github.com/", "github.com/"):
        if handle.lower().startswith(prefix):
            handle = handle[len(prefix) :].strip("/")
    if not handle:
        return (None, "A GitHub handle is needed.") if required else ("", None)
    if len(handle) > GITHUB_HANDLE_MAX:
        return None, f"A GitHub handle has at most {GITHUB_HANDLE_MAX} characters."
    if not _GITHUB_HANDLE.fullmatch(handle):
        if "--" in handle:
            return None, "A GitHub handle has no two hyphens in a row."
        if handle.startswith("-") or handle.endswith("-"):
            return None, "A GitHub handle neither starts nor ends with a hyphen."
        return None, "A GitHub handle has only letters, digits and hyphens."
    return handle, None


def repo_full_name(text: str) -> tuple[str | None, str | None]:
    """A GitHub repository as "owner/name" (a github.com URL of one is accepted too)."""
    value = text.strip().removesuffix(".git").strip("/")
    for prefix in ("https://github.com/", "http://github.com/", "github.com/"):
        if value.lower().startswith(prefix):
            value = value[len(prefix) :]
    owner, slash, name = value.partition("/")
    if not slash or "/" in name:
        return None, 'A repository is written "owner/name", e.g. "octocat/hello-world".'
    if github_handle(owner, required=True)[1] is not None:
        return None, f"{owner!r} is not a GitHub user or organisation name."
    if not _REPO_NAME.fullmatch(name) or name in {".", ".."}:
        return None, "A repository name has only letters, digits, '.', '-' and '_'."
    return f"{owner}/{name}", None


def day(text: str, today: date, required: bool = False) -> tuple[date | None, str | None]:
    """A date as YYYY-MM-DD, or "today", "tomorrow", "+3" (days) or "+2w" (weeks) from today."""
    value = text.strip().lower()
    if not value:
        return (None, "A date is needed.") if required else (None, None)
    if value == "today":
        return today, None
    if value == "tomorrow":
        return today + timedelta(days=1), None
    relative = _RELATIVE_DAYS.fullmatch(value)
    if relative:
        count, unit = int(relative.group(1)), relative.group(2)
        return today + (timedelta(weeks=count) if unit == "w" else timedelta(days=count)), None
    try:
        return date.fromisoformat(value), None
    except ValueError:
        pass
    if re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", value):
        return None, f"{text.strip()!r} is not a day of the calendar."
    return None, 'A date is written YYYY-MM-DD (e.g. 2026-12-03), or "today", "+7", "+2w".'


def web_url(text: str, required: bool = False) -> tuple[str | None, str | None]:
    """An http(s) address with a host; a bare "github.com/…" gets "https://" in front."""
    value = text.strip()
    if not value:
        return (None, "An address is needed.") if required else ("", None)
    if any(char.isspace() for char in value):
        return None, "An address has no spaces."
    if "://" not in value and re.match(r"[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+(/|$)", value):
        value = "https://" + value
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises ValueError on a port that is not a number
    except ValueError:
        return None, "This address cannot be read; check its host and port."
    if parts.scheme.lower() not in {"http", "https"}:
        return None, "An address starts with https:// (or http://)."
    if not parts.hostname:
        return None, "An address needs a host, e.g. https://github.com/…"
    return value, None
