"""Form checks: each value the forms take, right and wrong, and the words that say what is wrong."""

from __future__ import annotations

from datetime import date

import pytest

from nexus_tui.validation import GITHUB_HANDLE_MAX, day, github_handle, repo_full_name, web_url

TODAY = date(2026, 11, 26)


@pytest.mark.parametrize(
    ("typed", "handle"),
    [
        ("octocat", "octocat"),
        ("  @Octo-Cat ", "Octo-Cat"),
        ("https://github.com/alx-dev/", "alx-dev"),
        ("a" * GITHUB_HANDLE_MAX, "a" * GITHUB_HANDLE_MAX),
        ("", ""),
    ],
)
def test_good_github_handles(typed, handle):
    assert github_handle(typed) == (handle, None)


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ("a" * (GITHUB_HANDLE_MAX + 1), "at most 39"),
        ("two--hyphens", "no two hyphens"),
        ("-leading", "neither starts nor ends"),
        ("trailing-", "neither starts nor ends"),
        ("under_score", "only letters, digits and hyphens"),
        ("café", "only letters, digits and hyphens"),
        ("[bold]x", "only letters, digits and hyphens"),
    ],
)
def test_bad_github_handles_say_why(typed, words):
    handle, problem = github_handle(typed)
    assert handle is None
    assert words in problem


def test_a_required_handle_must_be_there():
    assert github_handle(" ", required=True) == (None, "A GitHub handle is needed.")


@pytest.mark.parametrize(
    ("typed", "name"),
    [
        ("octocat/Hello-World", "octocat/Hello-World"),
        ("https://github.com/alx-dev/alx-project-nexus.git", "alx-dev/alx-project-nexus"),
        (" owner/name.js ", "owner/name.js"),
    ],
)
def test_good_repository_names(typed, name):
    assert repo_full_name(typed) == (name, None)


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ("octocat", '"owner/name"'),
        ("a/b/c", '"owner/name"'),
        ("bad--owner/x", "not a GitHub user"),
        ("owner/..", "only letters, digits"),
        ("owner/sp ace", "only letters, digits"),
    ],
)
def test_bad_repository_names_say_why(typed, words):
    name, problem = repo_full_name(typed)
    assert name is None
    assert words in problem


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("2026-12-03", date(2026, 12, 3)),
        ("today", TODAY),
        ("Tomorrow", date(2026, 11, 27)),
        ("+7", date(2026, 12, 3)),
        ("+2w", date(2026, 12, 10)),
        ("", None),
    ],
)
def test_good_dates(typed, expected):
    assert day(typed, TODAY) == (expected, None)


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ("2026-02-30", "not a day of the calendar"),
        ("next friday", "YYYY-MM-DD"),
        ("03/12/2026", "YYYY-MM-DD"),
    ],
)
def test_bad_dates_say_why(typed, words):
    value, problem = day(typed, TODAY)
    assert value is None
    assert words in problem


def test_a_required_date_must_be_there():
    assert day("", TODAY, required=True) == (None, "A date is needed.")


@pytest.mark.parametrize(
    ("typed", "url"),
    [
        ("https://github.com/o/r/pull/3", "https://github.com/o/r/pull/3"),
        ("github.com/o/r/actions/runs/1", "https://github.com/o/r/actions/runs/1"),
        ("http://localhost:8000/docs", "http://localhost:8000/docs"),
        ("", ""),
    ],
)
def test_good_urls(typed, url):
    assert web_url(typed) == (url, None)


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ("javascript:alert(1)", "starts with https://"),
        ("ftp://example.com/x", "starts with https://"),
        ("https://", "needs a host"),
        ("https://exa mple.com", "no spaces"),
        ("http://host:port/", "cannot be read"),
    ],
)
def test_bad_urls_say_why(typed, words):
    url, problem = web_url(typed)
    assert url is None
    assert words in problem
