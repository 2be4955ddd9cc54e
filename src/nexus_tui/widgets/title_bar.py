"""The top line of every screen: the command palette's icon, the app's name and the screen's."""

from __future__ import annotations

from textual.app import RenderResult
from textual.content import Content
from textual.events import Click, MouseMove
from textual.widget import Widget

ICON = "⭘"
# Laid out as Textual's Header lays it out: the icon in a box of 8 cells on the left, the title
# centred between it and 10 cells kept free on the right.
ICON_CELLS = 8
RIGHT_CELLS = 10


class TitleBar(Widget):
    """What Textual's Header shows ("nexus-tui — Topics", the icon that opens the command palette),
    drawn as one line by one widget: the Header is four widgets, and every widget of the first
    screen delays its frame."""

    DEFAULT_CSS = """
    TitleBar {
        dock: top;
        width: 100%;
        height: 1;
        background: $panel;
        color: $foreground;
    }
    """

    def on_mount(self) -> None:
        for target in (self.app, self.screen):
            self.watch(target, "title", self._title_changed, init=False)
            self.watch(target, "sub_title", self._title_changed, init=False)

    def _title_changed(self) -> None:
        self.refresh()

    def render(self) -> RenderResult:
        screen, app = self.screen, self.app
        title = screen.title if screen.title is not None else app.title
        sub_title = screen.sub_title if screen.sub_title is not None else app.sub_title
        # Content, never markup: a title is shown as it is written.
        heading = app.format_title(title, sub_title)
        room = max(0, self.size.width - ICON_CELLS - RIGHT_CELLS)
        heading = heading.truncate(room, ellipsis=True)
        icon = Content(f" {ICON}").pad_right(ICON_CELLS - 2)
        return Content.assemble(icon, " " * ((room - heading.cell_length) // 2), heading)

    def _on_icon(self, x: int) -> bool:
        return x < ICON_CELLS and self.app.ENABLE_COMMAND_PALETTE

    def on_mouse_move(self, event: MouseMove) -> None:
        self.tooltip = "Open the command palette" if self._on_icon(event.x) else None

    async def on_click(self, event: Click) -> None:
        if self._on_icon(event.x):
            event.stop()
            await self.run_action("app.command_palette")
