"""The search results list: two lines a result, cut to the width, keys and clicks select."""

from __future__ import annotations

from textual.app import App, ComposeResult

from nexus_tui.store.records import SearchResult
from nexus_tui.widgets.result_list import ResultList


def result(number: int, title: str = "", snippet: str = "", highlights=()) -> SearchResult:
    return SearchResult("note", number, title or f"Note {number}", snippet, tuple(highlights))


class ResultsApp(App[None]):
    def __init__(self, results: list[SearchResult]) -> None:
        super().__init__()
        self.results = results
        self.selected: list[int] = []

    def compose(self) -> ComposeResult:
        yield ResultList(id="results")

    def on_mount(self) -> None:
        listing = self.query_one(ResultList)
        listing.show(self.results)
        listing.focus()

    def on_result_list_selected(self, event: ResultList.Selected) -> None:
        self.selected.append(event.index)


def line_text(listing: ResultList, y: int) -> str:
    return listing.render_line(y).text


async def test_each_result_is_two_lines_cut_to_the_width():
    long_title = "A title far longer than the list is wide " * 4
    app = ResultsApp([result(1, long_title, "the snippet line"), result(2)])
    async with app.run_test(size=(40, 10)) as pilot:
        await pilot.pause()
        listing = app.query_one(ResultList)
        first, second, third = (line_text(listing, y) for y in range(3))
        assert first.startswith("Note      A title far") and first.rstrip().endswith("…")
        assert len(first) == listing.scrollable_content_region.width
        assert second.strip() == "the snippet line"
        assert third.startswith("Note      Note 2")
        assert listing.virtual_size.height == 4


async def test_markup_in_results_is_shown_as_text():
    app = ResultsApp([result(1, "[bold]not bold[/]", "[link=x]y[/link] \x1b[31m")])
    async with app.run_test(size=(60, 10)) as pilot:
        await pilot.pause()
        listing = app.query_one(ResultList)
        assert "[bold]not bold[/]" in line_text(listing, 0)
        snippet = line_text(listing, 1)
        assert "[link=x]y[/link]" in snippet and "\x1b" not in snippet


async def test_highlights_mark_the_matched_words():
    app = ResultsApp([result(1, "Title", "find the needle here", [(9, 15)])])
    async with app.run_test(size=(60, 10)) as pilot:
        await pilot.pause()
        strip = app.query_one(ResultList).render_line(1)
        bold = "".join(segment.text for segment in strip if segment.style and segment.style.bold)
        assert bold == "needle"


async def test_keys_move_and_enter_selects():
    app = ResultsApp([result(n) for n in range(30)])
    async with app.run_test(size=(60, 12)) as pilot:
        await pilot.pause()
        listing = app.query_one(ResultList)
        assert listing.highlighted == 0
        await pilot.press("down", "j", "enter")
        assert listing.highlighted == 2
        await pilot.press("G")
        assert listing.highlighted == 29
        # The cursor's result is scrolled into view.
        assert listing.scroll_offset.y > 0
        await pilot.press("up", "pageup", "g", "k", "enter")
        await pilot.pause()
        assert listing.highlighted == 0
        assert app.selected == [2, 0]


async def test_a_click_selects_the_result_under_it():
    app = ResultsApp([result(n) for n in range(5)])
    async with app.run_test(size=(60, 12)) as pilot:
        await pilot.pause()
        # Lines 4 and 5 are the third result.
        await pilot.click(ResultList, offset=(3, 5))
        await pilot.pause()
        assert app.selected == [2]
        assert app.query_one(ResultList).highlighted == 2


async def test_new_results_replace_the_old_and_start_at_the_top():
    app = ResultsApp([result(n) for n in range(30)])
    async with app.run_test(size=(60, 12)) as pilot:
        await pilot.pause()
        listing = app.query_one(ResultList)
        await pilot.press("G")
        listing.show([result(100)])
        await pilot.pause()
        assert listing.highlighted == 0 and listing.scroll_offset.y == 0
        assert line_text(listing, 0).startswith("Note      Note 100")
        listing.show([])
        await pilot.pause()
        assert listing.highlighted is None
        await pilot.press("enter")
        assert app.selected == []
