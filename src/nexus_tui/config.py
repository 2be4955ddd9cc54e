"""Where nexus-tui keeps its files, and the user's ``config.toml``.

This module is imported before the first screen paints, so it sticks to the
standard library; platformdirs and tomli_w are imported by the functions that
need them. Its values are named tuples, not frozen dataclasses: a frozen dataclass
costs a millisecond or more to define, a named tuple a tenth of that.
"""

import contextlib
import os
import re
import stat
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, NamedTuple

__all__ = [
    "APP_NAME",
    "AppPaths",
    "ConfigError",
    "GithubSettings",
    "Settings",
    "StoreSettings",
    "UiSettings",
    "UserSettings",
    "load_settings",
    "load_store_url",
    "save_settings",
    "update_theme",
]

APP_NAME = "nexus-tui"


class AppPaths(NamedTuple):
    """The files and directories nexus-tui uses, resolved once at start-up."""

    data_dir: Path
    config_file: Path
    cache_dir: Path
    state_dir: Path
    log_dir: Path
    database: str
    database_given: bool = True
    """Whether --db or NEXUS_TUI_DB named the database; if not, `[store] url` may (see
    `with_store_url`)."""

    @classmethod
    def from_environment(
        cls, db: str | None = None, environ: Mapping[str, str] | None = None
    ) -> "AppPaths":
        """Resolve the paths for this user; nothing is created on disk.

        ``environ`` is only consulted for the NEXUS_TUI_* overrides: the
        directories themselves come from platformdirs, which reads the XDG
        variables from ``os.environ``. An empty value counts as unset, so
        ``NEXUS_TUI_DB= nexus-tui`` behaves like not setting it at all.
        """
        # platformdirs costs more to import than the rest of this module, and
        # only this function needs it.
        import platformdirs

        env = os.environ if environ is None else environ
        data_dir = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
        config_dir = Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))
        config_override = env.get("NEXUS_TUI_CONFIG")
        given = db or env.get("NEXUS_TUI_DB")
        database = given or str(data_dir / "nexus.db")
        return cls(
            data_dir=data_dir,
            # "~" is not expanded by service files or .env loaders, only by shells.
            config_file=(
                Path(config_override).expanduser()
                if config_override
                else config_dir / "config.toml"
            ),
            cache_dir=Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False)),
            state_dir=Path(platformdirs.user_state_dir(APP_NAME, appauthor=False)),
            log_dir=Path(platformdirs.user_log_dir(APP_NAME, appauthor=False)),
            # Only a leading "~" is touched, so SQLAlchemy URLs pass unchanged.
            database=os.path.expanduser(database),
            database_given=bool(given),
        )

    def __repr__(self) -> str:
        # Paths end up in logs and test reports; a password in the database URL must not.
        shown = self._asdict()
        shown["database"] = _without_password(self.database)
        return f"AppPaths({', '.join(f'{name}={value!r}' for name, value in shown.items())})"

    def with_store_url(self, url: str | None) -> "AppPaths":
        """These paths with the database of the config's `[store] url`, unless --db or
        NEXUS_TUI_DB named one: an option or variable set for one run beats the file."""
        if self.database_given or url is None:
            return self
        return self._replace(database=os.path.expanduser(url))


class _GithubFields(NamedTuple):
    api_url: str
    repos: tuple[str, ...]
    poll_seconds: int


class GithubSettings(_GithubFields):
    __slots__ = ()

    def __new__(
        cls,
        api_url: str = "https://api.github.com",
        repos: Iterable[str] = (),
        poll_seconds: int = 60,
    ) -> "GithubSettings":
        # Callers naturally pass lists; a tuple keeps equality and hashing sane.
        return super().__new__(cls, api_url, tuple(repos), poll_seconds)


class UiSettings(NamedTuple):
    theme: str = "textual-dark"


class StoreSettings(NamedTuple):
    # None: the SQLite file in the data folder.
    url: str | None = None

    def __repr__(self) -> str:
        # Settings end up in logs and tracebacks; a password in the URL must not.
        url = None if self.url is None else _without_password(self.url)
        return f"StoreSettings(url={url!r})"


def login_name() -> str:
    """The name the operating system knows the user by, or "unknown" when it has none (a
    container's user id without a passwd entry)."""
    import getpass

    try:
        name = getpass.getuser()
    except (OSError, KeyError, ImportError):
        return "unknown"
    return name if name.strip() and name.isprintable() else "unknown"


class _UserFields(NamedTuple):
    name: str


class UserSettings(_UserFields):
    __slots__ = ()

    def __new__(cls, name: str | None = None) -> "UserSettings":
        # Read when a Settings is made, not when this module is imported.
        return super().__new__(cls, login_name() if name is None else name)


class _FrozenMap(Mapping[str, str]):
    """A read-only mapping that, unlike a dict or (before 3.12) a
    MappingProxyType, can be hashed, so Settings stays a hashable value."""

    __slots__ = ("_data",)

    def __init__(self, data: Mapping[str, str] | None = None) -> None:
        self._data = dict(data or {})

    def __getitem__(self, key: str) -> str:
        return self._data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __hash__(self) -> int:
        return hash(frozenset(self._data.items()))

    def __repr__(self) -> str:
        return repr(self._data)


class _SettingsFields(NamedTuple):
    github: GithubSettings
    ui: UiSettings
    store: StoreSettings
    user: UserSettings
    keys: Mapping[str, str]
    """Binding id -> comma-separated key names, e.g. {"quit": "ctrl+q"}."""


class Settings(_SettingsFields):
    __slots__ = ()

    def __new__(
        cls,
        github: GithubSettings | None = None,
        ui: UiSettings | None = None,
        store: StoreSettings | None = None,
        user: UserSettings | None = None,
        keys: Mapping[str, str] | None = None,
    ) -> "Settings":
        # A caller's dict must not be able to change a frozen Settings later.
        frozen_keys = keys if isinstance(keys, _FrozenMap) else _FrozenMap(keys)
        return super().__new__(
            cls,
            GithubSettings() if github is None else github,
            UiSettings() if ui is None else ui,
            StoreSettings() if store is None else store,
            UserSettings() if user is None else user,
            frozen_keys,
        )

    @property
    def user_name(self) -> str:
        """Who is making changes in this app: recorded with the entries they change."""
        return self.user.name


class ConfigError(Exception):
    """A config file that cannot be used.

    ``str(err)`` reads "<file>[, line N]: [<dotted.key> ]<what is wrong>", with
    at most a second line saying what to do.
    """

    def __init__(
        self,
        path: Path,
        problem: str,
        *,
        line: int | None = None,
        key: str | None = None,
    ) -> None:
        self.path = Path(path)
        self.line = line
        self.key = key
        self.problem = problem
        where = str(self.path) if line is None else f"{self.path}, line {line}"
        super().__init__(f"{where}: {key} {problem}" if key else f"{where}: {problem}")


# --------------------------------------------------------------------------
# Loading


def load_settings(path: Path) -> Settings:
    """Read the settings in ``path``; a missing file means the defaults."""
    path = Path(path)
    text = _read_text(path)
    if text is None:
        return Settings()
    document = _parse(path, text)
    try:
        return _settings_from_document(document)
    except _Invalid as err:
        raise _config_error(path, text, err) from None


def load_store_url(path: Path) -> str | None:
    """The `[store] url` of the config file, if it has one, read on its own: a mistake in another
    setting must not send the app to another database. ConfigError when the file cannot be read
    or parsed, or when this setting is wrong."""
    path = Path(path)
    text = _read_text(path)
    if text is None:
        return None
    document = _parse(path, text)
    if "store" not in document:
        return None
    try:
        table = _table("store", document["store"])
        url = table.get("url")
        return None if url is None else _check_store_url(("store", "url"), url)
    except _Invalid as err:
        raise _config_error(path, text, err) from None


def _config_error(path: Path, text: str, err: "_Invalid") -> ConfigError:
    line = _line_for(_find_key_lines(text), err.key)
    problem = err.problem
    if "\n" not in problem:
        problem += "\nFix it, or remove it to use the default; nexus-tui has not changed the file."
    return ConfigError(path, problem, line=line, key=_dotted(err.key))


def _read_text(path: Path) -> str | None:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as err:
        if path.is_dir():
            problem = "this is a directory, not a TOML config file."
        else:
            problem = (
                f"cannot read this file ({err.strerror or err}).\n"
                "Check that it and its folders can be read, or name another file with "
                "NEXUS_TUI_CONFIG; nexus-tui has not changed it."
            )
        raise ConfigError(path, problem) from None
    # Some Windows editors prepend a byte-order mark, which TOML does not allow.
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise ConfigError(
            path,
            f"this file is not UTF-8 text (byte 0x{data[err.start]:02x}).\n"
            "Re-save it with UTF-8 encoding.",
            line=data.count(b"\n", 0, err.start) + 1,
        ) from None


_TOML_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)\s*$")
_TOML_AT_END = re.compile(r"\s*\(at end of document\)\s*$")


def _parse(path: Path, text: str) -> dict[str, Any]:
    # Imported only when there is a file to read: most starts have none.
    import tomllib

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        # tomllib only reports the position inside its message text.
        message = str(err)
        line: int | None = None
        if match := _TOML_POSITION.search(message):
            line = int(match[1])
            what = f"{message[: match.start()]} at column {match[2]}"
        elif match := _TOML_AT_END.search(message):
            line = max(1, len(text.splitlines()))
            what = f"{message[: match.start()]} at the end of the file"
        else:
            what = message
        what = what[:1].lower() + what[1:]
        raise ConfigError(
            path,
            f"this is not valid TOML: {what}.\n"
            "Fix it, or delete the file to start from the defaults; "
            "nexus-tui has not changed it.",
            line=line,
        ) from None


# --------------------------------------------------------------------------
# Validation: one code path checks both what was read and what is to be saved.


class _Invalid(Exception):
    def __init__(self, key: tuple[str, ...], problem: str) -> None:
        super().__init__(problem)
        self.key = key
        self.problem = problem


def _show(value: object) -> str:
    """A value as the user would have written it in TOML."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        if len(value) > 60:
            value = value[:57] + "..."
        return _quote(value)
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    return str(value)


def _quote(text: str) -> str:
    escaped = (
        text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
    )
    return f'"{escaped}"'


_URL = re.compile(r"https?://[^\s/?#]+\S*", re.IGNORECASE)
# GitHub logins: no leading, trailing or doubled hyphen.
_OWNER = re.compile(r"[A-Za-z0-9](?:-?[A-Za-z0-9])*")
_REPO_NAME = re.compile(r"[A-Za-z0-9._-]+")


def _check_api_url(key: tuple[str, ...], value: object) -> str:
    if not isinstance(value, str) or not _URL.fullmatch(value):
        raise _Invalid(
            key,
            'must be an http:// or https:// address such as "https://api.github.com" '
            f"(got {_show(value)}).",
        )
    return value


def _is_repo(text: str) -> bool:
    owner, slash, name = text.partition("/")
    return bool(
        slash
        and len(owner) <= 39
        and _OWNER.fullmatch(owner)
        and len(name) <= 100
        and _REPO_NAME.fullmatch(name)
        and name not in {".", ".."}
    )


def _check_repos(key: tuple[str, ...], value: object) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise _Invalid(
            key,
            'must be a list of "owner/name" strings, e.g. ["textualize/textual"] '
            f"(got {_show(value)}).",
        )
    seen: set[str] = set()
    for repo in value:
        if not isinstance(repo, str) or not _is_repo(repo):
            raise _Invalid(
                key,
                f'has {_show(repo)}, which is not a GitHub repository as "owner/name".\n'
                "Owner: letters, digits and single hyphens, at most 39 characters; "
                'name: letters, digits, ".", "_" and "-", at most 100 characters.',
            )
        # GitHub names are case-insensitive: the same repository twice would
        # be polled twice.
        if repo.lower() in seen:
            raise _Invalid(key, f"lists {_show(repo)} more than once.")
        seen.add(repo.lower())
    return tuple(value)


def _check_poll_seconds(key: tuple[str, ...], value: object) -> int:
    # bool is an int subclass; rejected outright so the rule does not hinge
    # on True happening to be below the minimum.
    if isinstance(value, bool) or not isinstance(value, int) or value < 15:
        raise _Invalid(
            key,
            f"must be a whole number of seconds, at least 15 (got {_show(value)}).",
        )
    return value


def _check_theme(key: tuple[str, ...], value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _Invalid(
            key,
            f'must be the name of a theme such as "textual-dark" (got {_show(value)}).',
        )
    return value


def _check_key_names(key: tuple[str, ...], value: object) -> str:
    if not isinstance(value, str) or not all(part.strip() for part in value.split(",")):
        raise _Invalid(
            key,
            'must be a key such as "ctrl+q", or several separated by commas '
            f'such as "f1,ctrl+h" (got {_show(value)}).',
        )
    return value


def _check_store_url(key: tuple[str, ...], value: object) -> str:
    if isinstance(value, str) and _is_store_url(value):
        return value
    shown = _show(_without_password(value) if isinstance(value, str) else value)
    raise _Invalid(
        key,
        'must be a database URL such as "postgresql+psycopg://nexus@db.example.com/nexus" or '
        f'"sqlite:///~/notes/nexus.db" (got {shown}).',
    )


def _is_store_url(text: str) -> bool:
    from urllib.parse import urlsplit

    scheme, separator, rest = text.partition("://")
    kind = scheme.split("+", 1)[0].lower()
    if not separator or text != text.strip():
        return False
    if kind == "sqlite":
        return rest.startswith("/") and rest not in ("/", "/:memory:")
    if kind not in ("postgresql", "postgres"):
        return False
    try:
        # A port that is not a number is an error only when asked for.
        urlsplit(text).port  # noqa: B018
    except ValueError:
        return False
    return True


def _without_password(text: str) -> str:
    """A URL as an error message may show it: whatever stands between the user's name and the
    last "@" (a password, even one with a "/" or "@" in it) as ***."""
    return re.sub(r"(://[^/:@]*):.*@", r"\1:***@", text)


def _check_user_name(key: tuple[str, ...], value: object) -> str:
    if (
        not isinstance(value, str)
        or not value.strip()
        or not value.isprintable()
        or len(value) > 100
    ):
        raise _Invalid(
            key,
            'must be a name such as "Ada Lovelace": one line of text, at most 100 characters '
            f"(got {_show(value)}).",
        )
    return value


_Check = Callable[[tuple[str, ...], object], Any]

_SECTIONS: dict[str, tuple[type, dict[str, _Check]]] = {
    "github": (
        GithubSettings,
        {
            "api_url": _check_api_url,
            "repos": _check_repos,
            "poll_seconds": _check_poll_seconds,
        },
    ),
    "ui": (UiSettings, {"theme": _check_theme}),
    "store": (StoreSettings, {"url": _check_store_url}),
    "user": (UserSettings, {"name": _check_user_name}),
}
# [keys] is free-form: binding ids belong to the screens that declare them.
_TOP_LEVEL = (*_SECTIONS, "keys")


def _unknown(section: str | None, name: str) -> str:
    import difflib  # only needed for a bad file

    known = _TOP_LEVEL if section is None else tuple(_SECTIONS[section][1])
    close = difflib.get_close_matches(name, known, n=1)
    if close:
        return f'is not a known setting; did you mean "{close[0]}"?'
    for home, (_, checks) in _SECTIONS.items():
        if name in checks and home != section:
            return f"is not a known setting here; it belongs in the [{home}] table."
    return f"is not a known setting (known: {', '.join(known)})."


def _table(section: str, value: object) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _Invalid(
            (section,),
            f"must be a table: a [{section}] line followed by its settings (got {_show(value)}).",
        )
    return value


def _settings_from_document(document: Mapping[str, Any]) -> Settings:
    parts: dict[str, Any] = {}
    for section, value in document.items():
        if section == "keys":
            keys = {}
            for binding, key_names in _table(section, value).items():
                if not isinstance(binding, str) or not binding.strip():
                    raise _Invalid((section, str(binding)), "is not a usable binding id.")
                keys[binding] = _check_key_names((section, binding), key_names)
            parts[section] = keys
        elif section in _SECTIONS:
            cls, checks = _SECTIONS[section]
            fields = {}
            for name, item in _table(section, value).items():
                if name not in checks:
                    raise _Invalid((section, name), _unknown(section, name))
                fields[name] = checks[name]((section, name), item)
            parts[section] = cls(**fields)
        else:
            raise _Invalid((section,), _unknown(None, section))
    return Settings(**parts)


_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


def _dotted(key: tuple[str, ...]) -> str:
    return ".".join(part if _BARE_KEY.fullmatch(part) else _quote(part) for part in key)


# --------------------------------------------------------------------------
# Line numbers for validation errors


def _line_for(lines: Mapping[tuple[str, ...], int], key: tuple[str, ...]) -> int | None:
    # A key written inside an inline table or an array has no line of its own:
    # fall back to the nearest enclosing key or table that has one.
    for end in range(len(key), 0, -1):
        if key[:end] in lines:
            return lines[key[:end]]
    return None


def _find_key_lines(text: str) -> dict[tuple[str, ...], int]:
    """Map each key path in already-parsed TOML text to the line it is on.

    tomllib keeps no positions, so this re-reads the text with just enough of
    the grammar not to be fooled by strings, arrays or inline tables. Line
    numbers are a courtesy: on anything unexpected, return what was found.
    """
    finder = _KeyLineFinder(text)
    with contextlib.suppress(ValueError, IndexError):
        finder.run()
    return finder.lines


class _KeyLineFinder:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.line = 1
        self.lines: dict[tuple[str, ...], int] = {}

    def run(self) -> None:
        table: tuple[str, ...] = ()
        while True:
            self._skip_blank(newlines=True)
            if self.pos >= len(self.text):
                return
            if self.text[self.pos] == "[":
                brackets = 2 if self.text.startswith("[[", self.pos) else 1
                self.pos += brackets
                table = self._key_path()
                self._note(table)
                self.pos += brackets
            else:
                self._key_value(table)

    def _note(self, path: tuple[str, ...]) -> None:
        # "github.repos = [...]" also defines the github table on that line.
        for end in range(1, len(path) + 1):
            self.lines.setdefault(path[:end], self.line)

    def _peek(self) -> str:
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def _skip_blank(self, *, newlines: bool) -> None:
        text = self.text
        while self.pos < len(text):
            char = text[self.pos]
            if char in " \t" or (newlines and char == "\r"):
                self.pos += 1
            elif newlines and char == "\n":
                self.pos += 1
                self.line += 1
            elif char == "#":
                end = text.find("\n", self.pos)
                self.pos = len(text) if end < 0 else end
            else:
                return

    def _key_path(self) -> tuple[str, ...]:
        parts: list[str] = []
        while True:
            self._skip_blank(newlines=False)
            if self._peek() in ('"', "'"):
                start = self.pos
                self._skip_string()
                # Let tomllib undo any escapes rather than re-implement them.
                import tomllib

                parts.append(tomllib.loads(f"k = {self.text[start : self.pos]}")["k"])
            else:
                match = _BARE_KEY.match(self.text, self.pos)
                if match is None:
                    raise ValueError("expected a key")
                parts.append(match.group())
                self.pos = match.end()
            self._skip_blank(newlines=False)
            if self._peek() != ".":
                return tuple(parts)
            self.pos += 1

    def _key_value(self, table: tuple[str, ...]) -> None:
        path = table + self._key_path()
        self._note(path)
        if self._peek() != "=":
            raise ValueError("expected '='")
        self.pos += 1
        self._skip_blank(newlines=False)
        self._value(path)

    def _value(self, path: tuple[str, ...]) -> None:
        char = self._peek()
        if char in ('"', "'"):
            self._skip_string()
        elif char in ("[", "{"):
            closing = "]" if char == "[" else "}"
            self.pos += 1
            while True:
                self._skip_blank(newlines=True)
                if self._peek() == closing:
                    self.pos += 1
                    return
                before = self.pos
                if char == "[":
                    self._value(path)
                else:
                    self._key_value(path)
                self._skip_blank(newlines=True)
                if self._peek() == ",":
                    self.pos += 1
                if self.pos == before:
                    raise ValueError("no progress")
        else:
            # Numbers, booleans and dates; a date may contain a space.
            while self.pos < len(self.text) and self.text[self.pos] not in ",]}#\r\n":
                self.pos += 1

    def _skip_string(self) -> None:
        text = self.text
        quote = text[self.pos]
        if text.startswith(quote * 3, self.pos):
            self.pos += 3
            while not text.startswith(quote * 3, self.pos):
                if quote == '"' and text[self.pos] == "\\":
                    self.pos += 1
                self._step()
            self.pos += 3
            # A closing run may carry up to two quotes that belong to the string.
            while self._peek() == quote:
                self.pos += 1
        else:
            self.pos += 1
            while text[self.pos] != quote:
                if quote == '"' and text[self.pos] == "\\":
                    self.pos += 1
                self.pos += 1
            self.pos += 1

    def _step(self) -> None:
        if self.text[self.pos] == "\n":
            self.line += 1
        self.pos += 1


# --------------------------------------------------------------------------
# Saving


def settings_document(settings: Settings) -> dict[str, dict[str, Any]]:
    github = settings.github
    repos = github.repos
    document: dict[str, dict[str, Any]] = {
        "github": {
            "api_url": github.api_url,
            # A bare string would otherwise become a list of characters.
            "repos": list(repos) if isinstance(repos, (list, tuple)) else repos,
            "poll_seconds": github.poll_seconds,
        },
        "ui": {"theme": settings.ui.theme},
    }
    # TOML has no null: a setting without a value is left out.
    if settings.store.url is not None:
        document["store"] = {"url": settings.store.url}
    document["user"] = {"name": settings.user.name}
    document["keys"] = dict(settings.keys)
    return document


def _merge(existing: dict[str, Any], settings: Settings) -> dict[str, Any]:
    """Put ``settings`` into the parsed file, leaving everything else as is.

    A value equal to its default is only written when the file already has
    that key: that keeps new files minimal, yet still takes effect when the
    user resets a setting they had changed. ``keys`` is one value (the whole
    table), so a binding removed from ``settings.keys`` leaves the file too.
    """
    defaults = settings_document(Settings())
    document = settings_document(settings)
    for section in (*_SECTIONS, "keys"):
        values = document.get(section, {})
        current = existing.get(section)
        if section == "keys":
            if values or section in existing:
                existing[section] = values
            continue
        for name in _SECTIONS[section][1]:
            present = isinstance(current, dict) and name in current
            if name not in values:
                # No value (no [store] url): none in the file either.
                if present:
                    del current[name]
                continue
            value = values[name]
            if value == defaults.get(section, {}).get(name) and not present:
                continue
            if not isinstance(current, dict):
                current = existing[section] = {}
            current[name] = value
    return existing


def save_settings(path: Path, settings: Settings) -> None:
    """Write ``settings`` to ``path`` atomically.

    Every setting known here is taken from ``settings`` (start from
    :func:`load_settings` to change just one); any other content of the
    existing file is kept, but not its comments. An existing file that does
    not parse, or settings that could not be loaded back, raise ConfigError
    and nothing is written.
    """
    path = Path(path)
    try:
        _settings_from_document(settings_document(settings))
    except _Invalid as err:
        raise ConfigError(
            path, f"{err.problem}\nThe settings were not saved.", key=_dotted(err.key)
        ) from None
    text = _read_text(path)
    document = {} if text is None else _parse(path, text)

    import tomli_w  # only saving needs it

    payload = tomli_w.dumps(_merge(document, settings)).encode("utf-8")
    # Replacing a symlink would cut it loose from the dotfiles repo it points into.
    target = Path(os.path.realpath(path))
    try:
        _write_atomically(target, payload)
    except OSError as err:
        raise ConfigError(
            path,
            f"could not save the settings ({err.strerror or err}).\n"
            f"Check that the folder {target.parent} can be written.",
        ) from None


def _write_atomically(target: Path, payload: bytes) -> None:
    import tempfile

    target.parent.mkdir(parents=True, exist_ok=True)
    # Same directory, so os.replace never crosses a filesystem.
    fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(payload)
            file.flush()
            # Without this, a crash right after the rename can leave an empty file.
            os.fsync(file.fileno())
        # A new file keeps mkstemp's owner-only permissions.
        with contextlib.suppress(FileNotFoundError):
            os.chmod(temporary, stat.S_IMODE(os.stat(target).st_mode))
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def update_theme(path: Path, theme: str) -> None:
    """Remember ``theme`` in the config file, touching it only on a change."""
    settings = load_settings(path)
    if settings.ui.theme != theme:
        save_settings(path, settings._replace(ui=settings.ui._replace(theme=theme)))
