import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from nexus_tui.config import (
    APP_NAME,
    AppPaths,
    ConfigError,
    GithubSettings,
    Settings,
    StoreSettings,
    UiSettings,
    UserSettings,
    load_settings,
    load_store_url,
    save_settings,
    update_theme,
)

FULL_FILE = """\
[github]
api_url = "https://github.example.com/api/v3"
repos = ["textualize/textual", "my-org/my.repo_name-2"]
poll_seconds = 120

[ui]
theme = "nord"

[keys]
show-topics = "f1"
quit = "ctrl+q,ctrl+c"
"""

FULL_SETTINGS = Settings(
    github=GithubSettings(
        api_url="https://github.example.com/api/v3",
        repos=("textualize/textual", "my-org/my.repo_name-2"),
        poll_seconds=120,
    ),
    ui=UiSettings(theme="nord"),
    keys={"show-topics": "f1", "quit": "ctrl+q,ctrl+c"},
)


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def load_error(path: Path) -> ConfigError:
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    return caught.value


# --- loading -----------------------------------------------------------------


def test_missing_file_gives_defaults_and_creates_nothing(tmp_path):
    path = tmp_path / "nested" / "config.toml"
    assert load_settings(path) == Settings()
    assert not path.parent.exists()


def test_empty_file_gives_defaults(tmp_path):
    assert load_settings(write(tmp_path / "config.toml", "")) == Settings()


def test_full_file_loads(tmp_path):
    settings = load_settings(write(tmp_path / "config.toml", FULL_FILE))
    assert settings == FULL_SETTINGS
    assert settings.github.repos == ("textualize/textual", "my-org/my.repo_name-2")
    assert dict(settings.keys) == {"show-topics": "f1", "quit": "ctrl+q,ctrl+c"}


def test_settings_are_immutable_hashable_values():
    settings = Settings(keys={"quit": "ctrl+q"}, github=GithubSettings(repos=["a/b"]))
    assert settings == Settings(keys={"quit": "ctrl+q"}, github=GithubSettings(repos=("a/b",)))
    assert hash(settings) == hash(
        Settings(keys={"quit": "ctrl+q"}, github=GithubSettings(repos=("a/b",)))
    )
    with pytest.raises(TypeError):
        settings.keys["quit"] = "q"  # type: ignore[index]


def test_utf8_bom_is_accepted(tmp_path):
    path = tmp_path / "config.toml"
    path.write_bytes(b'\xef\xbb\xbf[ui]\ntheme = "nord"\n')
    assert load_settings(path).ui.theme == "nord"


def test_malformed_toml_names_file_and_line(tmp_path):
    path = write(tmp_path / "config.toml", '[ui]\ntheme = "nord"\npoll_seconds = \n')
    err = load_error(path)
    assert err.path == path
    assert err.line == 3
    assert err.key is None
    message = str(err)
    assert message.startswith(f"{path}, line 3: ")
    assert "not valid TOML" in message
    assert len(message.splitlines()) <= 2


def test_unterminated_string_reports_last_line(tmp_path):
    path = write(tmp_path / "config.toml", '[ui]\n\ntheme = "nord\n')
    err = load_error(path)
    assert err.line == 3
    assert str(err).startswith(f"{path}, line 3: ")


def test_wrong_type_names_key_and_line(tmp_path):
    path = write(
        tmp_path / "config.toml",
        '# my settings\n[github]\nrepos = ["a/b"]\npoll_seconds = "soon"\n',
    )
    err = load_error(path)
    assert err.line == 4
    assert err.key == "github.poll_seconds"
    message = str(err)
    assert message.startswith(f"{path}, line 4: github.poll_seconds ")
    assert "at least 15" in message
    assert '"soon"' in message


@pytest.mark.parametrize(
    ("text", "key", "line", "shown"),
    [
        ("[github]\npoll_seconds = 14\n", "github.poll_seconds", 2, "14"),
        ("[github]\npoll_seconds = true\n", "github.poll_seconds", 2, "true"),
        ("[github]\npoll_seconds = 60.0\n", "github.poll_seconds", 2, "60.0"),
        ('[github]\napi_url = "ftp://example.com"\n', "github.api_url", 2, "ftp://"),
        ('[github]\napi_url = "https://"\n', "github.api_url", 2, "https://"),
        ('[github]\nrepos = "a/b"\n', "github.repos", 2, '"a/b"'),
        ("[github]\nrepos = [1]\n", "github.repos", 2, "1"),
        ('[github]\nrepos = ["a/b", "A/B"]\n', "github.repos", 2, '"A/B"'),
        ('[ui]\ntheme = ""\n', "ui.theme", 2, '""'),
        ('[ui]\ntheme = "   "\n', "ui.theme", 2, '"   "'),
        ("[ui]\ntheme = 3\n", "ui.theme", 2, "3"),
        ('[keys]\nquit = ""\n', "keys.quit", 2, '""'),
        ('[keys]\nquit = "f1,,f2"\n', "keys.quit", 2, "f1,,f2"),
        ("[keys]\nquit = 1\n", "keys.quit", 2, "1"),
        ('[keys]\n"my binding" = ["q"]\n', 'keys."my binding"', 2, "a list"),
        ("\n\ngithub = 5\n", "github", 3, "5"),
        ("ui = []\n", "ui", 1, "a list"),
        ('\nkeys = "q"\n', "keys", 2, '"q"'),
        ("[store]\nurl = 5\n", "store.url", 2, "5"),
        ('[store]\nurl = "~/hub.db"\n', "store.url", 2, '"~/hub.db"'),
        ('[store]\nurl = "sqlite:///"\n', "store.url", 2, '"sqlite:///"'),
        ('[store]\nurl = "postgresql://h:port/db"\n', "store.url", 2, "h:port"),
        ('[store]\nurl = " postgresql://h/db"\n', "store.url", 2, '" postgresql'),
        ('[user]\nname = ""\n', "user.name", 2, '""'),
        ('[user]\nname = "Ada\\nLovelace"\n', "user.name", 2, "Ada\\nLovelace"),
        ("[user]\nname = 7\n", "user.name", 2, "7"),
    ],
)
def test_invalid_values_name_key_and_line(tmp_path, text, key, line, shown):
    path = write(tmp_path / "config.toml", text)
    err = load_error(path)
    assert (err.key, err.line) == (key, line)
    assert str(err).startswith(f"{path}, line {line}: {key} ")
    assert shown in str(err)


def test_whole_table_of_wrong_kind_points_at_its_header(tmp_path):
    path = write(tmp_path / "config.toml", '[ui]\ntheme = "nord"\n\n[keys.quit]\nkey = "q"\n')
    err = load_error(path)
    assert (err.key, err.line) == ("keys.quit", 4)


def test_line_finder_is_not_fooled_by_strings_comments_and_arrays(tmp_path):
    text = (
        "[ui]\n"  # 1
        'theme = """nord \\"""\n'  # 2: an escaped quote run does not close it
        "[github]\n"  # 3
        "poll_seconds = 1\n"  # 4
        '"""\n'  # 5
        "[keys]\n"  # 6
        'quit = "ctrl+q" # [github]\n'  # 7
        "\"a \\\" = b\" = '''f1''''\n"  # 8: a closing run may carry a quote
        "[github]\n"  # 9
        'api_url = "https://x/\\"#poll_seconds=1"\n'  # 10
        "repos = [\n"  # 11
        '  "a/b",  # poll_seconds = 1\n'  # 12
        '  \'c/d\', """e/f""",\n'  # 13
        "]\n"  # 14
        "poll_seconds = 2\n"  # 15
    )
    path = write(tmp_path / "config.toml", text)
    assert tomllib.loads(text)["keys"]['a " = b'] == "f1'"
    err = load_error(path)
    assert (err.key, err.line) == ("github.poll_seconds", 15)


def test_key_inside_inline_table_reports_the_line_of_the_table(tmp_path):
    path = write(tmp_path / "config.toml", "\n\ngithub = { repos = [], poll_seconds = 5 }\n")
    err = load_error(path)
    assert (err.key, err.line) == ("github.poll_seconds", 3)


def test_dotted_top_level_keys_report_their_own_line(tmp_path):
    path = write(tmp_path / "config.toml", 'ui.theme = "nord"\ngithub.poll_seconds = 3\n')
    err = load_error(path)
    assert (err.key, err.line) == ("github.poll_seconds", 2)


def test_error_in_multiline_array_points_at_the_key(tmp_path):
    path = write(
        tmp_path / "config.toml",
        '[github]\nrepos = [\n  "ok/fine",\n  "not-a-repo",\n]\npoll_seconds = 30\n',
    )
    err = load_error(path)
    assert (err.key, err.line) == ("github.repos", 2)
    assert '"not-a-repo"' in str(err)


def test_unknown_key_is_named_and_close_match_suggested(tmp_path):
    path = write(tmp_path / "config.toml", '[github]\nrepos = ["a/b"]\npol_seconds = 30\n')
    err = load_error(path)
    assert (err.key, err.line) == ("github.pol_seconds", 3)
    assert str(err).startswith(f"{path}, line 3: github.pol_seconds ")
    assert 'did you mean "poll_seconds"?' in str(err)


def test_unknown_table_suggests_close_match(tmp_path):
    path = write(tmp_path / "config.toml", '[ui]\ntheme = "nord"\n[gihub]\nrepos = []\n')
    err = load_error(path)
    assert (err.key, err.line) == ("gihub", 3)
    assert 'did you mean "github"?' in str(err)


def test_setting_in_the_wrong_table_says_where_it_belongs(tmp_path):
    path = write(tmp_path / "config.toml", 'theme = "nord"\n')
    err = load_error(path)
    assert (err.key, err.line) == ("theme", 1)
    assert "[ui]" in str(err)


def test_unknown_key_without_close_match_lists_known_keys(tmp_path):
    err = load_error(write(tmp_path / "config.toml", "[ui]\nzzz = 1\n"))
    assert err.key == "ui.zzz"
    assert "did you mean" not in str(err)
    assert "theme" in str(err)


@pytest.mark.parametrize(
    "repo",
    [
        "noslash",
        "a/b/c",
        "/name",
        "owner/",
        "-owner/name",
        "owner-/name",
        "own--er/name",
        "own_er/name",
        "o" * 40 + "/name",
        "owner/.",
        "owner/..",
        "owner/" + "n" * 101,
        "owner/na me",
        "ownér/name",
        " owner/name",
    ],
)
def test_bad_repo_names_are_rejected(tmp_path, repo):
    path = write(tmp_path / "config.toml", f'[github]\nrepos = ["ok/ok", "{repo}"]\n')
    err = load_error(path)
    assert (err.key, err.line) == ("github.repos", 2)
    assert "owner/name" in str(err)


@pytest.mark.parametrize(
    "repo",
    [
        "a/b",
        "a-b-c/x",
        "Textualize/textual",
        "o" * 39 + "/" + "n" * 100,
        "o/.github",
        "o/..x",
        "9/_",
    ],
)
def test_good_repo_names_are_accepted(tmp_path, repo):
    path = write(tmp_path / "config.toml", f'[github]\nrepos = ["{repo}"]\n')
    assert load_settings(path).github.repos == (repo,)


def test_non_utf8_file_is_an_error(tmp_path):
    path = tmp_path / "config.toml"
    path.write_bytes(b'[ui]\ntheme = "caf\xe9"\n')
    err = load_error(path)
    assert err.line == 2
    assert str(err).startswith(f"{path}, line 2: ")
    assert "UTF-8" in str(err)


def test_directory_is_an_error(tmp_path):
    path = tmp_path / "config.toml"
    path.mkdir()
    err = load_error(path)
    assert str(err).startswith(f"{path}: ")
    assert "is a directory, not a TOML config file" in str(err)


def test_unreadable_file_is_an_error(tmp_path, monkeypatch):
    path = write(tmp_path / "config.toml", "")

    # Permission bits cannot make a file unreadable for root (as CI runs), so the denial is
    # simulated where the operating system would raise it.
    def denied(self):
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(type(path), "read_bytes", denied)
    err = load_error(path)
    first, what_to_do = str(err).split("\n")
    assert first == f"{path}: cannot read this file (Permission denied)."
    assert "NEXUS_TUI_CONFIG" in what_to_do


@pytest.mark.skipif(sys.platform == "win32", reason="Windows reports a missing file")
def test_path_below_a_regular_file_is_an_error(tmp_path):
    path = write(tmp_path / "not-a-dir", "") / "config.toml"
    err = load_error(path)
    assert str(err).startswith(f"{path}: cannot read this file")


# --- saving ------------------------------------------------------------------


def test_full_settings_round_trip(tmp_path):
    path = tmp_path / "config.toml"
    save_settings(path, FULL_SETTINGS)
    assert load_settings(path) == FULL_SETTINGS
    # And a file written by hand survives load -> save -> load.
    hand_written = write(tmp_path / "hand.toml", FULL_FILE)
    save_settings(hand_written, load_settings(hand_written))
    assert load_settings(hand_written) == FULL_SETTINGS


def test_save_writes_only_values_that_differ_from_defaults(tmp_path):
    path = tmp_path / "config.toml"
    save_settings(path, Settings(ui=UiSettings(theme="nord")))
    assert tomllib.loads(path.read_text("utf-8")) == {"ui": {"theme": "nord"}}


def test_save_to_new_nested_directory_leaves_no_temporary_files(tmp_path):
    path = tmp_path / "a" / "b" / "config.toml"
    save_settings(path, FULL_SETTINGS)
    assert load_settings(path) == FULL_SETTINGS
    assert [p.name for p in path.parent.iterdir()] == ["config.toml"]


def test_save_keeps_other_content_of_the_existing_file(tmp_path):
    path = write(
        tmp_path / "config.toml",
        'editor = "vim"\n[github]\nrepos = ["a/b"]\nextra = 1\n[plugins]\nx = true\n',
    )
    save_settings(path, Settings(ui=UiSettings(theme="nord")))
    assert tomllib.loads(path.read_text("utf-8")) == {
        "editor": "vim",
        "github": {"repos": [], "extra": 1},
        "plugins": {"x": True},
        "ui": {"theme": "nord"},
    }


def test_save_resets_a_value_back_to_its_default(tmp_path):
    path = write(tmp_path / "config.toml", "[github]\npoll_seconds = 30\n")
    save_settings(path, Settings())
    assert load_settings(path) == Settings()


def test_save_replaces_the_keys_table(tmp_path):
    path = write(tmp_path / "config.toml", '[keys]\nquit = "q"\nhelp = "f1"\n')
    save_settings(path, Settings(keys={"quit": "ctrl+q"}))
    assert dict(load_settings(path).keys) == {"quit": "ctrl+q"}


def test_save_with_no_bindings_empties_the_keys_table(tmp_path):
    path = write(tmp_path / "config.toml", '[keys]\nquit = "q"\n')
    save_settings(path, Settings())
    assert load_settings(path).keys == {}


def test_save_refuses_settings_that_could_not_be_loaded_back(tmp_path):
    path = tmp_path / "config.toml"
    with pytest.raises(ConfigError) as caught:
        save_settings(path, Settings(github=GithubSettings(poll_seconds=5)))
    assert caught.value.key == "github.poll_seconds"
    assert str(caught.value).startswith(f"{path}: github.poll_seconds ")
    assert not path.exists()


def test_save_over_unparsable_file_leaves_it_byte_identical(tmp_path):
    path = tmp_path / "config.toml"
    original = b"[ui\ntheme = 'nord'\n# keep me\n"
    path.write_bytes(original)
    with pytest.raises(ConfigError) as caught:
        save_settings(path, Settings(ui=UiSettings(theme="x")))
    assert caught.value.line == 1
    assert path.read_bytes() == original


@pytest.mark.skipif(sys.platform == "win32", reason="symlinks need privileges")
def test_save_through_a_symlink_updates_its_target(tmp_path):
    (tmp_path / "dotfiles").mkdir()
    real = write(tmp_path / "dotfiles" / "nexus.toml", "")
    link = tmp_path / "config.toml"
    link.symlink_to(real)
    save_settings(link, Settings(ui=UiSettings(theme="nord")))
    assert link.is_symlink()
    assert load_settings(real).ui.theme == "nord"


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_save_keeps_the_existing_file_permissions(tmp_path):
    path = write(tmp_path / "config.toml", "")
    path.chmod(0o640)
    save_settings(path, Settings(ui=UiSettings(theme="nord")))
    assert path.stat().st_mode & 0o777 == 0o640


# --- update_theme --------------------------------------------------------------


def test_update_theme_keeps_other_settings(tmp_path):
    path = write(tmp_path / "config.toml", '[github]\nrepos = ["a/b", "c/d"]\n')
    update_theme(path, "gruvbox")
    settings = load_settings(path)
    assert settings.ui.theme == "gruvbox"
    assert settings.github.repos == ("a/b", "c/d")


def test_update_theme_with_same_theme_does_not_rewrite(tmp_path):
    original = '# chosen by hand\n[ui]\ntheme = "nord"\n'
    path = write(tmp_path / "config.toml", original)
    update_theme(path, "nord")
    assert path.read_text("utf-8") == original


def test_update_theme_to_default_on_missing_file_creates_nothing(tmp_path):
    path = tmp_path / "config.toml"
    update_theme(path, UiSettings().theme)
    assert not path.exists()


def test_update_theme_on_unparsable_file_leaves_it_byte_identical(tmp_path):
    path = tmp_path / "config.toml"
    original = b'[github]\nrepos = ["a/b"\n[ui]\ntheme = "nord"\n'
    path.write_bytes(original)
    with pytest.raises(ConfigError) as caught:
        update_theme(path, "gruvbox")
    assert str(caught.value).startswith(f"{path}, line ")
    assert path.read_bytes() == original


def test_update_theme_on_invalid_file_leaves_it_byte_identical(tmp_path):
    path = tmp_path / "config.toml"
    original = b"[github]\npol_seconds = 30\n"
    path.write_bytes(original)
    with pytest.raises(ConfigError):
        update_theme(path, "gruvbox")
    assert path.read_bytes() == original


# --- AppPaths ----------------------------------------------------------------


def test_database_prefers_argument_then_environment_then_default():
    default = AppPaths.from_environment(environ={})
    assert default.database == str(default.data_dir / "nexus.db")
    env = {"NEXUS_TUI_DB": "/srv/env.db"}
    assert AppPaths.from_environment(environ=env).database == "/srv/env.db"
    assert (
        AppPaths.from_environment(db="sqlite:///arg.db", environ=env).database == "sqlite:///arg.db"
    )
    empty = {"NEXUS_TUI_DB": ""}
    assert AppPaths.from_environment(environ=empty).database == default.database


def test_config_file_honours_nexus_tui_config():
    default = AppPaths.from_environment(environ={})
    assert default.config_file.name == "config.toml"
    assert APP_NAME in default.config_file.parts
    paths = AppPaths.from_environment(environ={"NEXUS_TUI_CONFIG": "/etc/nexus/alt.toml"})
    assert paths.config_file == Path("/etc/nexus/alt.toml")
    assert (
        AppPaths.from_environment(environ={"NEXUS_TUI_CONFIG": ""}).config_file
        == default.config_file
    )


def test_environment_defaults_to_os_environ(monkeypatch, tmp_path):
    monkeypatch.setenv("NEXUS_TUI_DB", str(tmp_path / "x.db"))
    monkeypatch.setenv("NEXUS_TUI_CONFIG", str(tmp_path / "c.toml"))
    paths = AppPaths.from_environment()
    assert paths.database == str(tmp_path / "x.db")
    assert paths.config_file == tmp_path / "c.toml"


@pytest.mark.skipif(sys.platform == "win32", reason="HOME is not the Windows profile")
def test_leading_tilde_is_expanded_but_urls_are_not(monkeypatch, tmp_path):
    monkeypatch.setenv("HOME", str(tmp_path))
    env = {"NEXUS_TUI_CONFIG": "~/nexus.toml", "NEXUS_TUI_DB": "~/nexus.db"}
    paths = AppPaths.from_environment(environ=env)
    assert paths.config_file == tmp_path / "nexus.toml"
    assert paths.database == str(tmp_path / "nexus.db")
    url = "sqlite:///~/nexus.db"
    assert AppPaths.from_environment(db=url, environ=env).database == url


def test_from_environment_creates_nothing(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    AppPaths.from_environment(environ={})
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="XDG is Linux-only")
def test_xdg_variables_move_the_directories(monkeypatch, tmp_path):
    for name in ("DATA", "CONFIG", "CACHE", "STATE"):
        monkeypatch.setenv(f"XDG_{name}_HOME", str(tmp_path / name.lower()))
    paths = AppPaths.from_environment(environ={})
    assert paths.data_dir == tmp_path / "data" / APP_NAME
    assert paths.database == str(tmp_path / "data" / APP_NAME / "nexus.db")
    assert paths.config_file == tmp_path / "config" / APP_NAME / "config.toml"
    assert paths.cache_dir == tmp_path / "cache" / APP_NAME
    assert paths.state_dir == tmp_path / "state" / APP_NAME
    assert paths.log_dir.is_relative_to(tmp_path / "state" / APP_NAME)


# --- start-up cost ---------------------------------------------------------------


def test_import_pulls_in_no_heavy_modules():
    heavy = ["textual", "sqlmodel", "sqlalchemy", "httpx", "pydantic", "tomli_w"]
    code = (
        f"import sys, nexus_tui.config\nprint(','.join(m for m in {heavy!r} if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""


# --- [store] and [user] ------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "postgresql+psycopg://alice@db.example.org:5432/hub",
        "postgresql://alice@db.example.org/hub?options=-csearch_path%3Dnexus",
        "postgres://db/hub",
        "sqlite:///home/alice/hub.db",
        "sqlite:///~/hub.db",
    ],
)
def test_a_store_url_loads(tmp_path, url):
    path = write(tmp_path / "config.toml", f'[store]\nurl = "{url}"\n')
    assert load_settings(path).store == StoreSettings(url=url)
    assert load_store_url(path) == url


def test_a_store_url_that_cannot_be_used_is_named_without_its_password(tmp_path):
    path = write(tmp_path / "config.toml", '[ui]\n\n[store]\nurl = "mysql://ada:s3cr3t@db/hub"\n')
    for load in (load_settings, load_store_url):
        with pytest.raises(ConfigError) as caught:
            load(path)
        err = caught.value
        assert (err.key, err.line) == ("store.url", 4)
        assert '"mysql://ada:***@db/hub"' in str(err)
        assert "s3cr3t" not in str(err)


def test_settings_never_show_the_password_of_the_store_url():
    settings = Settings(store=StoreSettings(url="postgresql://ada:s3cr3t@db/hub"))
    assert "s3cr3t" not in repr(settings)
    assert "postgresql://ada:***@db/hub" in repr(settings)


def test_the_store_url_is_read_despite_mistakes_elsewhere_in_the_file(tmp_path):
    # The app then starts with the default settings, but on the database the file names.
    path = write(tmp_path / "config.toml", '[ui]\ntheme = 3\n[store]\nurl = "postgres://db/hub"\n')
    with pytest.raises(ConfigError):
        load_settings(path)
    assert load_store_url(path) == "postgres://db/hub"
    assert load_store_url(tmp_path / "missing.toml") is None
    assert load_store_url(write(tmp_path / "empty.toml", "[store]\n")) is None
    with pytest.raises(ConfigError) as caught:
        load_store_url(write(tmp_path / "broken.toml", "[store\n"))
    assert caught.value.line == 1


def test_the_user_name_defaults_to_the_login_name(monkeypatch, tmp_path):
    import getpass

    monkeypatch.setattr(getpass, "getuser", lambda: "ada")
    assert Settings().user_name == "ada"
    assert load_settings(tmp_path / "missing.toml").user_name == "ada"
    path = write(tmp_path / "config.toml", '[user]\nname = "Ada Lovelace"\n')
    assert load_settings(path).user_name == "Ada Lovelace"


def test_without_a_login_name_the_user_is_unknown(monkeypatch):
    import getpass

    def no_login() -> str:
        raise OSError("No username set in the environment")

    monkeypatch.setattr(getpass, "getuser", no_login)
    assert Settings().user_name == "unknown"


def test_store_and_user_are_saved_and_a_removed_url_leaves_the_file(tmp_path):
    path = tmp_path / "config.toml"
    settings = Settings(
        store=StoreSettings(url="postgresql://db/hub"), user=UserSettings(name="Ada")
    )
    save_settings(path, settings)
    assert tomllib.loads(path.read_text("utf-8")) == {
        "store": {"url": "postgresql://db/hub"},
        "user": {"name": "Ada"},
    }
    assert load_settings(path) == settings
    save_settings(path, Settings(user=UserSettings(name="Ada")))
    assert tomllib.loads(path.read_text("utf-8")) == {"store": {}, "user": {"name": "Ada"}}


def test_the_default_user_name_is_not_written(tmp_path):
    path = tmp_path / "config.toml"
    save_settings(path, Settings(ui=UiSettings(theme="nord")))
    assert "user" not in tomllib.loads(path.read_text("utf-8"))


def test_the_store_url_names_the_database_unless_the_option_or_variable_does():
    url = "postgresql://db/hub"
    default = AppPaths.from_environment(environ={})
    assert not default.database_given
    assert default.with_store_url(url).database == url
    assert default.with_store_url(None) == default
    from_env = AppPaths.from_environment(environ={"NEXUS_TUI_DB": "/srv/env.db"})
    assert from_env.with_store_url(url).database == "/srv/env.db"
    from_option = AppPaths.from_environment(db="/srv/option.db", environ={})
    assert from_option.with_store_url(url).database == "/srv/option.db"


def test_paths_never_show_the_password_of_the_database_url():
    paths = AppPaths.from_environment(db="postgresql://ada:s3cr3t@db/hub", environ={})
    assert paths.database == "postgresql://ada:s3cr3t@db/hub"
    assert "s3cr3t" not in repr(paths)
    assert "database='postgresql://ada:***@db/hub'" in repr(paths)
