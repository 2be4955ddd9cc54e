"""Showing user and GitHub text safely, and the small formatters the screens share."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from nexus_tui.text import age, due_label, markdown_literal, one_line, safe_text


def test_escape_sequences_and_control_characters_become_visible_symbols():
    hostile = "a\x1b[31mred\x1b]0;title\x07b\x00c\x7fd\x9be"
    shown = safe_text(hostile)
    assert shown == "a␛[31mred␛]0;title␇b␀c␡d\ufffde"
    assert not any(ord(ch) < 32 or 0x7F <= ord(ch) <= 0x9F for ch in shown)


def test_newlines_and_tabs_survive_safe_text_but_not_one_line():
    assert safe_text("a\n\tb") == "a\n\tb"
    assert one_line("a\n\tb   c") == "a b c"


def test_text_that_is_already_fine_is_unchanged():
    text = "Django’s select_related → fewer queries 🚀 مرحبا e\u0301"
    assert safe_text(text) == text
    assert one_line(text) == text


def test_one_line_cuts_long_text_with_an_ellipsis():
    assert one_line("x" * 500, limit=10) == "x" * 9 + "…"


def test_markdown_literal_escapes_everything_markdown_would_act_on():
    assert markdown_literal("*bold* _it_ [link](x) #h `c`") == (
        r"\*bold\* \_it\_ \[link\]\(x\) \#h \`c\`"
    )


@pytest.mark.parametrize(
    ("delta", "expected"),
    [
        (timedelta(seconds=5), "just now"),
        (timedelta(minutes=5), "5 min ago"),
        (timedelta(hours=3), "3 h ago"),
        (timedelta(days=1), "1 day ago"),
        (timedelta(days=12), "12 days ago"),
        (timedelta(days=90), "2026-08-28"),
    ],
)
def test_age(delta, expected):
    now = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
    assert age(now - delta, now) == expected


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (None, "no sync-up planned"),
        (date(2026, 11, 26), "due today"),
        (date(2026, 11, 25), "overdue 1 day"),
        (date(2026, 11, 20), "overdue 6 days"),
        (date(2026, 11, 27), "tomorrow"),
        (date(2026, 12, 3), "in 7 days"),
    ],
)
def test_due_label(day, expected):
    assert due_label(day, date(2026, 11, 26)) == expected
