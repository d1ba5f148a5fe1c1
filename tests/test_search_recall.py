"""Chinese search recall on the shipped build: every page whose title or summary holds the query as a word
is found (place names, sector terms, technology terms; expected pages computed from the source data)."""

from __future__ import annotations

import pytest

from builder.data import load
from builder.settings import PROJECT_ROOT

try:
    from benchmarks import recall
except ImportError:  # pytest run without the project root on sys.path (python -m pytest adds it)
    import sys

    sys.path.insert(0, str(PROJECT_ROOT))
    from benchmarks import recall

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def catalog():
    # The same packages the built_site fixture builds from.
    return load.load(PROJECT_ROOT / "datapackages")


def test_at_least_twenty_queries_of_every_kind():
    kinds = list(recall.QUERIES.values())
    assert len(kinds) >= 20
    assert {kind: kinds.count(kind) >= 5 for kind in ("place", "sector", "technology")} == {
        "place": True,
        "sector": True,
        "technology": True,
    }


def test_every_query_expects_pages_computed_from_the_data(catalog):
    expected = recall.expected_pages(catalog)
    assert all(expected[q] for q in recall.QUERIES), [q for q in recall.QUERIES if not expected[q]]
    assert "cities/440300/" in expected["深圳市"]
    assert "sectors/electroplating/" in expected["电镀"]
    assert any(p.startswith("cases/") for p in expected["余热"])


def test_words_are_jieba_words_and_latin_words():
    assert "余热" in recall.words("焦炉上升管荒煤气余热回收")
    assert "vocs" in recall.words("焦化化产区域VOCs负压回收")
    assert "热" not in recall.words("余热发电"), "a character inside a word is not a word"


def test_every_page_with_the_query_as_a_word_is_found(page, site_url, catalog):
    page.goto(site_url + "/")
    result = recall.run_queries(page, catalog)
    missing = {r.query: r.missing for r in result.results if r.missing}
    assert not missing, f"recall {result.value:.1%}; not found: {missing}"
    assert not page.console_errors, page.console_errors


def test_the_runner_finds_what_the_search_box_shows(page, site_url, catalog):
    """The recall runner calls the search function directly; the search box must report the same count."""
    page.goto(site_url + "/")
    page.wait_for_load_state("networkidle")
    query = "余热"
    by_runner = recall.run_queries(page, catalog, {query: "technology"}).results[0].found
    assert recall.ui_result_count(page, query) == len(by_runner)
