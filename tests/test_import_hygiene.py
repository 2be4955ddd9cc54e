"""The layering rules, checked in a fresh interpreter so nothing imported by other tests counts."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

# Layers that must work without the UI: the command line, and later the GitHub client and hub
# import/export, use them alone.
TEXTUAL_FREE = [
    "nexus_tui.config",
    "nexus_tui.text",
    "nexus_tui.startup",
    "nexus_tui.drafts",
    "nexus_tui.editor",
    "nexus_tui.validation",
    "nexus_tui.store",
    "nexus_tui.store.database",
    "nexus_tui.store.migrations",
    "nexus_tui.store.queries",
    "nexus_tui.store.records",
    "nexus_tui.store.seed",
    "nexus_tui.store.search",
    "nexus_tui.store.changes",
    "nexus_tui.store.models",
    "nexus_tui.store.orm",
    "nexus_tui.store.ci",
    "nexus_tui.store.backups",
    "nexus_tui.store.hub_io",
    "nexus_tui.hub.backup",
    "nexus_tui.github",
    "nexus_tui.github.auth",
    "nexus_tui.github.cache",
    "nexus_tui.github.client",
    "nexus_tui.github.models",
    "nexus_tui.github.report",
    "nexus_tui.github.service",
    "nexus_tui.github.status",
    "nexus_tui.hub.decoding",
    "nexus_tui.hub.readme",
    "nexus_tui.hub.markdown",
]


def imported_after(modules: list[str]) -> set[str]:
    script = (
        "import importlib, json, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    return set(json.loads(result.stdout))


@pytest.mark.parametrize("module", TEXTUAL_FREE)
def test_core_layers_never_import_textual(module):
    loaded = imported_after([module])
    assert not {name for name in loaded if name == "textual" or name.startswith("textual.")}


def test_the_path_to_the_first_screen_does_not_load_the_orm_or_the_network():
    # What the app imports before its first frame: SQLAlchemy (~0.3 s), pydantic and httpx would
    # each make the first screen visibly slower.
    loaded = imported_after(
        ["nexus_tui.cli", "nexus_tui.startup", "nexus_tui.app", "nexus_tui.screens.topics"]
    )
    for heavy in (
        "sqlalchemy",
        "sqlmodel",
        "pydantic",
        "httpx",
        "markdown_it",
        "tomli_w",
        "textual.widgets._text_area",
    ):
        assert heavy not in loaded, f"{heavy} is imported on the way to the first screen"
