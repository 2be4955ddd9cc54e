"""How much the user wrote lately: notes written or changed per week, as a one-line bar chart."""

from __future__ import annotations

from textual.widgets import Sparkline

WEEKS = 26
"""Weeks the chart shows, about half a year: one bar each, the current week last."""


class ActivityChart(Sparkline):
    """Weekly counts as bars, in a bordered box whose titles give the numbers in words. One widget
    rather than a box holding a Sparkline: each widget of the first screen delays its frame."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__([], id=id)

    def on_mount(self) -> None:
        self.border_title = "Activity"

    def show(self, counts: list[int]) -> None:
        """Counts per week, oldest first (as `queries.notes_per_week` gives them)."""
        self.data = counts
        total = sum(counts)
        if total == 0:
            self.border_subtitle = f"no notes in {len(counts)} weeks"
        else:
            self.border_subtitle = f"{counts[-1]} this week · {total:,} in {len(counts)} weeks"
        self.tooltip = "Notes written or changed per week, oldest on the left"
