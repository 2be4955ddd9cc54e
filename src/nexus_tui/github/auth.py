"""Finding the user's GitHub token, and keeping it out of every message.

The token comes from GH_TOKEN, then GITHUB_TOKEN, then `gh auth token` when the GitHub CLI is
installed. It lives only in memory, inside a `Token` whose repr and str never show it; the client
reads it with `reveal()` at the moment it builds a request for the API's own host.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable, Mapping
from urllib.parse import urlsplit

# `gh` answers from its own config file at once; waiting longer would only delay the start.
GH_TIMEOUT_SECONDS = 3.0
ENVIRONMENT_VARIABLES = ("GH_TOKEN", "GITHUB_TOKEN")


class Token:
    """A secret that does not print itself."""

    __slots__ = ("__value", "source")

    def __init__(self, value: str, source: str) -> None:
        self.__value = value
        self.source = source
        """Where it came from, to name in messages: "GH_TOKEN", "GITHUB_TOKEN", "gh auth token"."""

    def reveal(self) -> str:
        return self.__value

    def __repr__(self) -> str:
        return f"Token(source={self.source!r}, value=<hidden>)"

    __str__ = __repr__

    def __reduce__(self):
        # Pickling would write the secret wherever the pickle goes.
        raise TypeError("a Token cannot be pickled")


Runner = Callable[..., subprocess.CompletedProcess]


def find_token(
    api_url: str = "https://api.github.com",
    environ: Mapping[str, str] | None = None,
    *,
    which: Callable[[str], str | None] = shutil.which,
    run: Runner = subprocess.run,
) -> Token | None:
    """The token to use, or None to ask GitHub without one (60 requests an hour).

    An empty or blank variable counts as unset. Anything going wrong with `gh` (not installed,
    not logged in, slow, broken) means no token from it, silently: it is only a fallback.
    """
    env = os.environ if environ is None else environ
    for name in ENVIRONMENT_VARIABLES:
        value = (env.get(name) or "").strip()
        if value:
            return Token(value, name)
    gh = which("gh")
    if gh is None:
        return None
    command = [gh, "auth", "token"]
    host = (urlsplit(api_url).hostname or "").lower()
    if host and host != "api.github.com":
        # GitHub Enterprise Server: gh keeps one token per host, named by the web host.
        command += ["--hostname", host]
    try:
        result = run(
            command,
            capture_output=True,
            text=True,
            timeout=GH_TIMEOUT_SECONDS,
            stdin=subprocess.DEVNULL,
            check=False,
        )
    except (OSError, subprocess.SubprocessError, ValueError):
        return None
    value = (result.stdout or "").strip() if result.returncode == 0 else ""
    # One line of printable characters, or it is not a token (an error message, a prompt).
    if not value or any(char.isspace() or not char.isprintable() for char in value):
        return None
    return Token(value, "gh auth token")
