"""Without JavaScript (issue 15, point 6): every list is in the HTML, every chart slot offers its data
table, and each page says which of its features need JavaScript. With JavaScript, the case finder takes
over the cards the page already holds, so nothing shifts when its script starts."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from playwright.sync_api import expect

from builder.settings import PROJECT_ROOT
from helpers import DESKTOP, PHONE

pytestmark = pytest.mark.browser

DATA = PROJECT_ROOT / "datapackages"
SITE_NOTE = "站内搜索和“长辈模式”需要启用 JavaScript"
# The header names its own features that need JavaScript (generated text under it, site.css).
HEADER_NOTE = (
    "(() => { const s = getComputedStyle(document.querySelector('.md-header'), '::after');"
    " return s.display === 'none' ? '' : s.content; })()"
)


@pytest.fixture(scope="module")
def cases() -> pd.DataFrame:
    frame = pd.read_csv(DATA / "technology-cases" / "technology_cases.csv", dtype=str, keep_default_na=False)
    frame["sectors"] = frame["sector_codes"].str.split(";")
    return frame


@pytest.fixture
def nojs(browser, site_url):
    context = browser.new_context(viewport=PHONE, java_script_enabled=False, locale="zh-CN")
    tab = context.new_page()
    tab.site = site_url
    yield tab
    context.close()


def _open(tab, path):
    response = tab.goto(tab.site + "/" + path)
    assert response.ok, path
    # Proof that scripting really is off: Material's no-js class stays on <html>.
    assert "no-js" in tab.locator("html").get_attribute("class")
    return tab


def _case_links(tab, selector) -> list[str]:
    hrefs = tab.locator(selector).evaluate_all("links => links.map(a => a.getAttribute('href'))")
    return [re.search(r"(TC-\d+)/$", h).group(1) for h in hrefs]


def test_the_case_index_lists_its_cases_without_javascript(nojs, cases):
    tab = _open(nojs, "cases/")
    cards = tab.locator("#case-list > li.case-card")
    listed = _case_links(tab, "#case-list > li.case-card h2 a")
    assert listed == cases["case_id"].tolist()[: cards.count()]
    assert cards.count() == min(len(cases), 150)
    first = cases.iloc[0]
    expect(cards.first).to_contain_text(first["title"])
    expect(cards.first).to_contain_text(first["summary"])
    # The controls only a script drives are not offered; the page says what needs JavaScript instead.
    expect(tab.locator(".case-finder__controls")).to_be_hidden()
    expect(tab.locator("#case-finder .nojs-note")).to_be_visible()
    expect(tab.locator("#case-finder .nojs-note")).to_contain_text("筛选、排序和关键词检索需要启用 JavaScript")
    expect(tab.locator("#case-count")).to_contain_text(f"共 {len(cases)} 个案例")


def test_a_sector_page_lists_its_cases_without_javascript(nojs, cases):
    code = cases["sectors"].explode().value_counts().index[0]  # the sector with the most cases
    tab = _open(nojs, f"sectors/{code}/")
    own = set(cases[cases["sectors"].apply(lambda s: code in s)]["case_id"])
    listed = _case_links(tab, "article ul a[href*='/cases/TC-']")
    assert set(listed) == own and len(listed) == len(own)
    assert SITE_NOTE in tab.evaluate(HEADER_NOTE)


def test_the_directory_shows_its_first_page_without_javascript(nojs):
    records = pd.read_csv(DATA / "enterprises" / "accepted_enterprises.csv", dtype=str, keep_default_na=False)
    tab = _open(nojs, "enterprises/")
    rows = tab.locator("#dir-table tbody tr")
    expect(rows.first).to_be_visible()
    names = rows.evaluate_all("rows => rows.map(r => r.cells[0].textContent.trim())")
    assert names == records["enterprise_name"].tolist()[: len(names)]
    assert len(names) == min(len(records), 50)  # directory.js PAGE_SIZE, builder's first page
    expect(tab.locator("#enterprise-directory noscript p")).to_contain_text("需要启用 JavaScript")


@pytest.mark.parametrize("path", ["cities/440300/", "cities/"])
def test_every_chart_slot_points_at_its_data_table_without_javascript(nojs, path):
    tab = _open(nojs, path)
    figures = tab.locator("figure.chart-figure")
    assert figures.count() > 0
    for i in range(figures.count()):
        figure = figures.nth(i)
        expect(figure.locator(".chart[data-chart]")).to_be_hidden()  # no empty box where the chart would be
        link = figure.locator(".nojs-note a")
        expect(link).to_be_visible()
        target = link.get_attribute("href")
        table = figure.locator(target)
        expect(table).to_have_count(1)
        assert table.locator("tbody tr").count() > 0
    # Following a link opens the folded table it points at.
    link = figures.first.locator(".nojs-note a")
    table = figures.first.locator(link.get_attribute("href"))
    expect(table).to_be_hidden()
    link.click()
    expect(table).to_be_visible()
    assert SITE_NOTE in tab.evaluate(HEADER_NOTE)


def test_the_tile_map_says_what_needs_javascript(nojs):
    tab = _open(nojs, "cities/")
    expect(tab.locator(".tile-map__controls")).to_be_hidden()
    expect(tab.locator("#tile-map .nojs-note")).to_contain_text("需要启用 JavaScript")
    tiles = tab.locator("#tile-map .tile")
    cities = pd.read_csv(DATA / "reference" / "cities.csv", dtype=str)
    expect(tiles).to_have_count(len(cities))


def test_the_home_page_lists_its_ways_in_and_names_what_needs_javascript(nojs):
    cities = pd.read_csv(DATA / "reference" / "cities.csv", dtype=str)
    sectors = pd.read_csv(DATA / "reference" / "sectors.csv", dtype=str)
    tab = _open(nojs, "")
    expect(tab.locator("#home-entry a[href*='cities/44']")).to_have_count(len(cities))
    expect(tab.locator("#home-entry a[href*='sectors/']")).to_have_count(len(sectors))
    assert SITE_NOTE in tab.evaluate(HEADER_NOTE)
    assert (
        tab.locator(".md-header").bounding_box()["height"] > tab.locator(".md-header__inner").bounding_box()["height"]
    )
    # The controls that cannot work without scripting are not offered.
    expect(tab.locator("[data-elder-toggle]")).to_be_hidden()


def test_with_javascript_the_notes_are_not_shown(page, site_url):
    page.goto(site_url + "/cases/")
    page.locator("#case-finder[data-ready='true']").wait_for()
    expect(page.locator(".nojs-note")).to_have_count(0)  # <noscript> is parsed as text when scripting is on
    expect(page.locator(".case-finder__controls")).to_be_visible()
    expect(page.locator("[data-elder-toggle]")).to_be_visible()
    assert page.evaluate(HEADER_NOTE) in ("", "none", "normal")


# Layout shifts not caused by the reader, summed as Lighthouse's CLS does for a short page load.
RECORD_SHIFTS = """
window.__shifts = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    if (!entry.hadRecentInput) window.__shifts.push({ value: entry.value,
      nodes: entry.sources.map((s) => s.node ? (s.node.id || s.node.className || s.node.nodeName) : "") });
  }
}).observe({ type: "layout-shift", buffered: true });
"""


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_case_index_does_not_shift_when_its_script_starts(browser, site_url, viewport):
    context = browser.new_context(viewport=viewport, locale="zh-CN")
    try:
        tab = context.new_page()
        tab.add_init_script(RECORD_SHIFTS)
        tab.goto(site_url + "/cases/")
        tab.locator("#case-finder[data-ready='true']").wait_for()  # the finder has taken the page over
        tab.wait_for_timeout(500)
        shifts = tab.evaluate("window.__shifts")
        cls = sum(s["value"] for s in shifts)
        assert cls < 0.1, shifts
        assert tab.locator("#case-list > li").count() == int(tab.locator("#case-count").get_attribute("data-count"))
    finally:
        context.close()


def test_the_finder_keeps_a_choice_made_before_its_script_arrived(browser, site_url, cases):
    """The controls are in the page before the script: a choice made in that moment is not lost."""
    context = browser.new_context(viewport=DESKTOP, locale="zh-CN")
    try:
        tab = context.new_page()
        held = []  # the finder's data, held back until the reader has chosen
        tab.route("**/cases/cases.json", lambda route: held.append(route))
        tab.goto(site_url + "/cases/")
        maturity = cases["maturity"].value_counts().index[-1]  # the rarest: a real narrowing
        tab.select_option("#case-facet-maturity", maturity)
        while not held:
            tab.wait_for_timeout(50)
        assert tab.locator("#case-finder").get_attribute("data-ready") == "loading"
        held[0].continue_()
        tab.locator("#case-finder[data-ready='true']").wait_for()
        expected = set(cases[cases["maturity"] == maturity]["case_id"])
        assert 0 < len(expected) < len(cases)
        shown = set(tab.locator("#case-list > li").evaluate_all("els => els.map(e => e.dataset.caseId)"))
        assert shown == expected
        assert "maturity=" in tab.url
    finally:
        context.close()
