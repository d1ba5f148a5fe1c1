"""Layouts on a phone (390 × 844) and a desktop (1366 × 900), issue 15 points 1, 2 and 5 (focus return).

Measured in headless Chromium on the built site: bounding boxes of the cells a reader needs first, the
document's width against the viewport's, computed font sizes, the directory's first row on the first
screen, the charts' orientation and axes as ECharts drew them, and the focus after going back from a record.
"""

from __future__ import annotations

import json

import pytest

from builder.settings import PROJECT_ROOT
from helpers import DESKTOP, PHONE

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = pytest.mark.browser

HEADER = 48  # Material's fixed header: a table's scrollbar under it is not in sight

# One page of each kind that holds tables, charts or the directory.
PAGE_KINDS = [
    "",
    "guide/",
    "policies/",
    "policies/gd-2022-cleaner-production-notice/",
    "policies/targets-2025/",
    "cities/",
    "cities/440300/",
    "cities/notices/",
    "partners/",
    "enterprises/",
    "cases/",
    "cases/TC-001/",
    "sectors/",
    "data/",
    "data/enterprises/",
    "data/audit-statistics/",
    "data/public-record/",
    "data/policies/changelog/",
    "api/",
    "search/",
    "about/",
]

# Every table cell on screen (not in a closed <details>): its font size; and the document's width.
MEASURE = """() => {
  const cells = Array.from(document.querySelectorAll('.md-content table :is(td, th)'))
    .filter((c) => !c.closest('details:not([open])') && c.getClientRects().length);
  return {scrollWidth: document.documentElement.scrollWidth,
          small: cells.map((c) => [c.closest('table').id, c.textContent.slice(0, 20), parseFloat(getComputedStyle(c).fontSize)])
                      .filter(([, , size]) => size < 15)};
}"""


def in_view(box, viewport) -> bool:
    return box is not None and box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"] + 0.5


def field_title(package: str, field: str) -> str:
    descriptor = json.loads((PROJECT_ROOT / "datapackages" / package / "datapackage.json").read_text(encoding="utf-8"))
    for resource in descriptor["resources"]:
        for f in resource["schema"]["fields"]:
            if f["name"] == field:
                return f["title"]
    raise KeyError(field)


# --- phones: no sideways page, readable table text, the first cells in view ------------------------------


def test_no_page_scrolls_sideways_on_a_phone_and_table_text_is_at_least_15px(phone, site_url):
    failures = []
    for path in PAGE_KINDS:
        phone.goto(f"{site_url}/{path}")
        if path == "enterprises/":
            phone.locator("#enterprise-directory.dir-ready").wait_for()
        found = phone.evaluate(MEASURE)
        if found["scrollWidth"] > PHONE["width"]:
            failures.append((path, "document width", found["scrollWidth"]))
        if found["small"]:
            failures.append((path, "table text under 15 px", found["small"][:3]))
    assert not failures, failures


def test_a_city_pages_ten_column_tables_keep_the_row_and_its_first_figures_in_view(phone, site_url):
    phone.goto(site_url + "/cities/440300/")
    table = phone.locator("#city-registry-by-year")
    row = table.locator("tbody tr").first
    label, count, co2 = row.locator("th"), row.locator("td").nth(0), row.locator("td").nth(1)
    for cell in (label, count, co2):
        assert in_view(cell.bounding_box(), PHONE), cell.inner_text()
    header = table.locator("thead th")
    assert header.nth(1).inner_text().startswith("企业数") and header.nth(2).inner_text().startswith("减碳量")
    # The table is wider than the phone: its region scrolls, shows so at its edge, and the row's name stays.
    wrap = phone.locator("div.md-typeset__scrollwrap[role='region']", has=table)
    assert wrap.evaluate("w => w.scrollWidth > w.clientWidth && getComputedStyle(w).overflowX === 'auto'")
    assert "radial-gradient" in wrap.evaluate("w => getComputedStyle(w).backgroundImage")
    wrap.evaluate("w => { w.scrollLeft = w.scrollWidth; }")
    phone.wait_for_timeout(100)
    assert in_view(label.bounding_box(), PHONE), "the row's name scrolled away with the figures"
    assert not in_view(count.bounding_box(), PHONE) or count.bounding_box()["x"] < label.bounding_box()["x"] + 1
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_a_data_dictionary_is_one_block_per_field_on_a_phone(phone, site_url):
    phone.goto(site_url + "/data/enterprises/")
    row = phone.locator("table[data-dictionary] tbody tr").first
    cells = row.locator("th, td")
    shown = 0
    for i in range(cells.count()):
        cell = cells.nth(i)
        if cell.evaluate("c => c.getClientRects().length > 0"):
            shown += 1
            assert in_view(cell.bounding_box(), PHONE), cell.inner_text()
    assert shown >= 3  # the field, its Chinese name and the description at least
    description = cells.nth(6)
    assert description.inner_text() and in_view(description.bounding_box(), PHONE)


@pytest.mark.parametrize(
    "path, table",
    [
        ("cities/notices/", "#notices-440300"),
        ("cities/440300/", "#city-list-notices"),
        ("partners/", "#cppp-recognitions"),
    ],
)
def test_tables_of_many_text_columns_become_cards_with_every_value_in_view(phone, desktop, site_url, path, table):
    for tab, viewport in ((phone, PHONE), (desktop, DESKTOP)):
        tab.goto(f"{site_url}/{path}")
        row = tab.locator(f"{table} tbody tr").first
        cells = row.locator("td")
        assert cells.count() >= 8
        for i in range(cells.count()):
            cell = cells.nth(i)
            box = cell.bounding_box()
            assert in_view(box, viewport), (viewport, i, box)
            # Each value under its column title.
            title = cell.evaluate("c => getComputedStyle(c, '::before').content")
            assert title.strip('"') == cell.get_attribute("data-label") and cell.get_attribute("data-label")
        wrap = tab.locator("div.md-typeset__scrollwrap[role='region']", has=tab.locator(table))
        assert wrap.evaluate("w => w.scrollWidth <= w.clientWidth"), viewport


# --- the directory -------------------------------------------------------------------------------------------


def open_directory(tab, site_url, query=""):
    tab.goto(f"{site_url}/enterprises/{query}")
    tab.locator("#enterprise-directory.dir-ready").wait_for()
    expect(tab.locator("#dir-table tbody tr").first).to_be_visible()


def column_index(tab, title: str) -> int:
    titles = tab.locator("#dir-table thead th").evaluate_all("ths => ths.map(th => th.textContent)")
    return next(i for i, text in enumerate(titles) if text.startswith(title))


def test_the_directory_shows_name_city_and_year_of_its_first_row_on_a_phones_first_screen(phone, site_url):
    open_directory(phone, site_url)
    filters = phone.locator("details.dir-filters")
    assert not filters.evaluate("d => d.open"), "the filters fold away on a phone"
    assert not phone.locator("#dir-facet-city").is_visible()
    row = phone.locator("#dir-table tbody tr").first
    box = row.bounding_box()
    assert box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"], box
    for title in (field_title("enterprises", "enterprise_name"), "地市", field_title("enterprises", "acceptance_year")):
        cell = row.locator("td").nth(column_index(phone, title))
        assert in_view(cell.bounding_box(), PHONE), (title, cell.bounding_box())
        assert float(cell.evaluate("c => parseFloat(getComputedStyle(c).fontSize)")) >= 15
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    # Opened, the filters work as on a desktop, and the summary counts the conditions chosen.
    filters.locator("summary").click()
    phone.select_option("#dir-facet-city", "440300")
    expect(filters.locator("summary")).to_have_text("检索与筛选（已选 1 项）")


def test_the_directory_filters_are_open_on_a_desktop(desktop, site_url):
    open_directory(desktop, site_url)
    assert desktop.locator("details.dir-filters").evaluate("d => d.open")
    expect(desktop.locator("#dir-facet-city")).to_be_visible()
    expect(desktop.locator("#dir-q")).to_be_visible()


@pytest.mark.parametrize("how", ["browser back", "the record's own back link"])
def test_going_back_from_a_record_restores_the_focus_and_the_scroll(desktop, site_url, how):
    open_directory(desktop, site_url)
    link = desktop.locator("#dir-table tbody tr").nth(30).locator("a")
    record = link.get_attribute("data-record")
    link.focus()
    before = (desktop.evaluate("window.scrollY"), link.bounding_box()["y"])
    assert before[0] > 0, "the link is down the page"
    desktop.keyboard.press("Enter")
    expect(desktop.locator("#dir-detail h2")).to_be_focused()
    if how == "browser back":
        desktop.go_back()
    else:
        desktop.locator("#dir-detail a.dir-back").click()
    expect(desktop.locator("#dir-table")).to_be_visible()
    focused = desktop.locator(f"#dir-table a[data-record='{record}']")
    expect(focused).to_be_focused()
    assert abs(desktop.evaluate("window.scrollY") - before[0]) <= 2, "the list is where the reader left it"
    assert abs(focused.bounding_box()["y"] - before[1]) <= 2
    assert "record=" not in desktop.url


# --- charts ----------------------------------------------------------------------------------------------------


def chart_options(tab, site_url, path):
    tab.goto(f"{site_url}/{path}")
    count = tab.locator(".chart[data-chart]").count()
    assert count >= 1
    tab.locator(".chart[data-chart]").first.scroll_into_view_if_needed()  # drawn once one is near the screen
    tab.wait_for_function(f"document.querySelectorAll('.chart[data-drawn] svg').length === {count}", timeout=15_000)
    return tab.evaluate("""() => Array.from(document.querySelectorAll('.chart[data-chart]'), (node) => {
      const option = echarts.getInstanceByDom(node).getOption();
      const box = node.getBoundingClientRect();
      const texts = Array.from(node.querySelectorAll('svg text'), (t) => {
        const r = t.getBoundingClientRect();
        return {text: t.textContent, left: r.left - box.left, right: r.right - box.left, transform: t.getAttribute('transform') || ''};
      });
      return {src: node.getAttribute('data-chart'), layout: node.getAttribute('data-layout'), width: box.width,
              legend: option.legend.map((l) => l.type), grids: option.grid.length,
              xAxis: option.xAxis.map((a) => ({type: a.type, rotate: (a.axisLabel || {}).rotate || 0})),
              yAxis: option.yAxis.map((a) => ({type: a.type, data: a.data || null})),
              series: option.series.map((s) => ({name: s.name, data: s.data, y: s.yAxisIndex || 0})), texts};
    })""")


def spec_of(built_site, src: str) -> dict:
    name = src.rsplit("/", 1)[-1]
    return json.loads((built_site / "charts" / name).read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", ["cities/", "cities/440300/"])
def test_charts_on_a_phone_are_horizontal_bars_sorted_by_value_with_one_value_axis_each(
    phone, site_url, built_site, path
):
    charts = chart_options(phone, site_url, path)
    for chart in charts:
        spec = spec_of(built_site, chart["src"])
        assert chart["layout"] == "bars"
        assert all(axis["type"] == "value" for axis in chart["xAxis"]) and all(
            axis["type"] == "category" for axis in chart["yAxis"]
        )
        # No second axis: one value axis per panel, a panel per axis the chart had.
        axes = sorted({s["axis"] for s in spec["series"]})
        assert chart["grids"] == len(chart["xAxis"]) == len(chart["yAxis"]) == len(axes)
        for k, axis in enumerate(axes):
            members = [i for i, s in enumerate(spec["series"]) if s["axis"] == axis]
            totals = {
                spec["categories"][j]: sum(spec["series"][i]["values"][j] or 0 for i in members)
                for j in range(len(spec["categories"]))
            }
            shown = chart["yAxis"][k]["data"]
            assert sorted(shown) == sorted(spec["categories"]), "every full name, once"
            assert [totals[name] for name in shown] == sorted(totals.values(), reverse=True), (chart["src"], k)
        # The legend lists every series and fits: not paged, and no label runs outside the chart; no text is turned.
        assert "scroll" not in chart["legend"]
        labels = {s["name"] for s in chart["series"]}
        legend_texts = [t for t in chart["texts"] if t["text"] in labels]
        assert {t["text"] for t in legend_texts} == labels
        for text in chart["texts"]:
            assert text["left"] >= -1 and text["right"] <= chart["width"] + 1, text
            assert "rotate" not in text["transform"] and not any(axis["rotate"] for axis in chart["xAxis"]), text
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_charts_on_a_desktop_keep_their_columns(desktop, site_url):
    charts = chart_options(desktop, site_url, "cities/")
    assert {chart["layout"] for chart in charts} == {"columns"}
    assert all(chart["xAxis"][0]["type"] == "category" for chart in charts)
    assert all("scroll" not in chart["legend"] for chart in charts)


# --- desktop: no table clipped without a scrollbar in sight --------------------------------------------------

DESKTOP_TABLES = """(limit) => Array.from(document.querySelectorAll('.md-content .md-typeset__scrollwrap'))
  .filter((w) => !w.parentElement.closest('.md-typeset__scrollwrap') && !w.closest('details:not([open])'))
  .filter((w) => w.scrollWidth > w.clientWidth + 1)
  .map((w) => ({table: (w.querySelector('table') || {}).id || w.getAttribute('aria-label'), height: w.getBoundingClientRect().height,
               ownScroll: w.clientHeight < w.scrollHeight && getComputedStyle(w).overflowY === 'auto'}))
  .filter((w) => w.height > limit && !w.ownScroll)"""


def test_on_a_desktop_no_table_is_clipped_without_a_scrollbar_in_sight(desktop, site_url, built_site):
    """A table wider than the column either fits in the window's height (so its scrollbar shows with it) or
    scrolls in a box of its own; data dictionaries fit the column and wrap their descriptions."""
    packages = sorted(
        p.parent.name for p in (built_site / "data").glob("*/index.html") if p.parent.name != "validation"
    )
    failures = []
    for path in PAGE_KINDS + [f"data/{name}/" for name in packages]:
        desktop.goto(f"{site_url}/{path}")
        hidden = desktop.evaluate(DESKTOP_TABLES, DESKTOP["height"] - HEADER)
        if hidden:
            failures.append((path, hidden))
    assert not failures, failures
    desktop.goto(site_url + "/data/enterprises/")
    for wrap in desktop.locator("div.md-typeset__scrollwrap[role='region']:has(table[data-dictionary])").all():
        assert wrap.evaluate("w => w.scrollWidth <= w.clientWidth"), wrap.get_attribute("aria-label")
    wrap = desktop.locator("div.md-typeset__scrollwrap[role='region']:has(table[data-dictionary])").first.bounding_box()
    description = desktop.locator("table[data-dictionary] tbody tr").first.locator("td").nth(5)
    box = description.bounding_box()
    assert description.inner_text() and box["x"] + box["width"] <= wrap["x"] + wrap["width"], (box, wrap)
    assert desktop.evaluate("document.documentElement.scrollWidth") <= DESKTOP["width"]
