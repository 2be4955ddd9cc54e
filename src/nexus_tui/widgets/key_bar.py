"""The footer line: the keys that work here, drawn as one line of text.

Textual's `Footer` is a widget per key, composed again whenever the keys change (each focus
change): about 40 ms a time, and the largest single cost of the first frame. `KeyBar` reads the
same bindings (`Screen.active_bindings`, shown ones only, grouped as `Binding.group` says) and
repaints one line instead. A click on a key presses it, as in the Footer.
"""

from itertools import groupby
from typing import NamedTuple

from textual import events
from textual.binding import Binding
from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget

KEY_STYLE = "bold $footer-key-foreground on $footer-key-background"
DESCRIPTION_STYLE = "$footer-description-foreground"
DISABLED_STYLE = "dim"
HOVER_STYLE = "on $block-hover-background"
SEPARATOR_STYLE = "$foreground 20%"


class KeySpot(NamedTuple):
    """Where a key is drawn on the line, so a click can press it."""

    start: int
    end: int
    key: str


class KeyEntry(NamedTuple):
    key: str
    display: str
    description: str
    enabled: bool


class KeyBar(Widget):
    """The screen's shown keys: `key description` each, grouped keys share one description, and
    the command palette's key at the right end."""

    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        background: $footer-background;
        color: $footer-foreground;
    }
    """

    ALLOW_SELECT = False
    hover_key: reactive[str | None] = reactive(None)

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._spots: list[KeySpot] = []

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def _bindings_changed(self, _screen: object) -> None:
        self.refresh()

    def entries(self) -> tuple[list[tuple[Binding, list[KeyEntry]]], KeyEntry | None]:
        """The shown keys, one per action, in runs that share a group; and the palette's key."""
        app = self.app
        by_action: dict[str, tuple[Binding, KeyEntry]] = {}
        palette: KeyEntry | None = None
        for _node, binding, enabled, _tooltip in self.screen.active_bindings.values():
            entry = KeyEntry(
                binding.key, app.get_key_display(binding), binding.description, enabled
            )
            if binding.key == app.COMMAND_PALETTE_BINDING:
                if app.ENABLE_COMMAND_PALETTE:
                    palette = entry
                continue
            if binding.show and binding.action not in by_action:
                by_action[binding.action] = (binding, entry)
        runs = [
            (run[0][0], [entry for _binding, entry in run])
            for run in (
                list(items)
                for _group, items in groupby(by_action.values(), lambda item: item[0].group)
            )
        ]
        return runs, palette

    def render(self) -> Content:
        runs, palette = self.entries()
        width = self.size.width
        # The spacious line when it fits; on a narrow terminal one space less around each key,
        # then without the palette's key (ctrl+p still opens it), then without the names of key
        # groups (`?` lists them), so that every key of the screen shows.
        for compact, with_palette, group_names in (
            (False, True, True),
            (True, True, True),
            (True, False, True),
            (True, False, False),
        ):
            parts, spots, used = self._line(
                runs, palette if with_palette else None, compact, group_names
            )
            if used <= width:
                break
        self._spots = spots
        return Content.assemble(*parts)

    def _line(
        self,
        runs: list[tuple[Binding, list[KeyEntry]]],
        palette: KeyEntry | None,
        compact: bool,
        group_names: bool,
    ) -> tuple[list[tuple[str, str] | str], list[KeySpot], int]:
        """The line's parts, where its keys are, and its width (the palette's key right-aligned
        when there is room)."""
        parts: list[tuple[str, str] | str] = []
        spots: list[KeySpot] = []
        column = 0
        pad = "" if compact else " "

        def add(text: str, style: str = "") -> None:
            nonlocal column
            parts.append((text, style) if style else text)
            column += len(text)

        def add_key(entry: KeyEntry, text: str) -> None:
            style = KEY_STYLE
            if not entry.enabled:
                style = f"{style} {DISABLED_STYLE}"
            if entry.key == self.hover_key:
                style = f"{style} {HOVER_STYLE}"
            spots.append(KeySpot(column, column + len(text), entry.key))
            add(text, style)

        def description_style(entry: KeyEntry) -> str:
            return DESCRIPTION_STYLE if entry.enabled else f"{DESCRIPTION_STYLE} {DISABLED_STYLE}"

        for first, entries in runs:
            group = first.group
            if group is not None and len(entries) > 1:
                # Grouped keys share the group's one description: " a f2 m x Topic ".
                add(" ")
                for index, entry in enumerate(entries):
                    if index:
                        add(" ")
                    add_key(entry, entry.display)
                if group_names:
                    add(" ")
                    add(f"{group.description}{pad}", DESCRIPTION_STYLE)
            else:
                for entry in entries:
                    add_key(entry, f" {entry.display}{pad}")
                    # " n New " spacious, " n New" compact: the key's own padding goes.
                    label = f" {entry.description}" if compact else f"{entry.description} "
                    add(label, description_style(entry))
        if palette is not None:
            tail_width = 1 + len(palette.display) + len(palette.description) + 2
            room = self.size.width - column - tail_width
            add(" " * max(room, 1))
            add("▏", SEPARATOR_STYLE)
            add_key(palette, palette.display)
            add(f" {palette.description} ", description_style(palette))
        return parts, spots, column

    def _spot_at(self, x: int) -> str | None:
        for spot in self._spots:
            if spot.start <= x < spot.end:
                return spot.key
        return None

    def on_click(self, event: events.Click) -> None:
        key = self._spot_at(event.x)
        if key is not None:
            event.stop()
            self.app.simulate_key(key)

    def on_mouse_move(self, event: events.MouseMove) -> None:
        self.hover_key = self._spot_at(event.x)

    def on_leave(self) -> None:
        self.hover_key = None

    def watch_hover_key(self) -> None:
        self.refresh()
