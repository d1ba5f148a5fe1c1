"""Technology cases: schema rules, the finder, case and sector pages, the Atom feed, search."""

import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pandas as pd
import pytest

from builder.render.formatting import number
from builder.validate import validate
from helpers import DATA, only

CASES = DATA / "technology-cases" / "technology_cases.csv"
ATOM = {"a": "http://www.w3.org/2005/Atom"}


@pytest.fixture(scope="module")
def cases() -> pd.DataFrame:
    frame = pd.read_csv(CASES, dtype={"city_code": str})
    frame["sectors"] = frame["sector_codes"].str.split(";")
    return frame


def edit_case(data_dir: Path, case_id: str, field: str, value: str) -> int:
    path = data_dir / "technology-cases" / "technology_cases.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    index = frame.index[frame["case_id"] == case_id][0]
    frame.loc[index, field] = value
    frame.to_csv(path, index=False, lineterminator="\n")
    return int(index) + 2


# --- schema ---------------------------------------------------------------------------------------


def test_an_unknown_sector_is_rejected(data_copy):
    row = edit_case(data_copy, "TC-005", "sector_codes", "energy;shipbuilding")
    problem = only(validate(data_copy).problems, "cross-package-key")[0]
    assert (problem.row, problem.field, problem.value) == (row, "sector_codes", "shipbuilding")


def test_an_unknown_category_is_rejected(data_copy):
    row = edit_case(data_copy, "TC-005", "categories", "节能;美化")
    problem = only(validate(data_copy).problems, "list-item-enum")[0]
    assert (problem.row, problem.value) == (row, "美化")


def test_a_negative_payback_is_rejected(data_copy):
    row = edit_case(data_copy, "TC-006", "payback_years", "-1.5")
    problem = only(validate(data_copy).problems, "constraint-error")[0]
    assert (problem.row, problem.field, problem.value) == (row, "payback_years", "-1.5")


def test_an_empty_title_is_rejected(data_copy):
    row = edit_case(data_copy, "TC-007", "title", "")
    problem = only(validate(data_copy).problems, "constraint-error")[0]
    assert (problem.row, problem.field) == (row, "title")
    assert "必填" in problem.message


# --- pages -----------------------------------------------------------------------------------------


class _Hrefs(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)


def reachable_pages(site: Path, start: Path) -> set[Path]:
    """Pages reachable by following plain links (no JavaScript) from `start`."""
    seen, queue = set(), [start]
    while queue:
        page = queue.pop()
        if page in seen or not page.is_file():
            continue
        seen.add(page)
        parser = _Hrefs()
        parser.feed(page.read_text(encoding="utf-8"))
        for href in parser.hrefs:
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not parts.path:
                continue
            target = (page.parent / parts.path).resolve()
            if target.is_dir():
                target = target / "index.html"
            if target.suffix == ".html" and target.is_relative_to(site.resolve()):
                queue.append(target)
    return seen


def test_every_case_and_sector_page_is_reachable_from_an_index(built_site, cases):
    reached = reachable_pages(built_site, (built_site / "sectors" / "index.html").resolve())
    expected = {(built_site / "cases" / case_id / "index.html").resolve() for case_id in cases["case_id"]}
    sectors = pd.read_csv(DATA / "reference" / "sectors.csv")["sector_code"]
    expected |= {(built_site / "sectors" / code / "index.html").resolve() for code in sectors}
    assert not expected - reached


def test_every_generated_page_is_reachable_from_the_home_page(built_site):
    reached = reachable_pages(built_site, (built_site / "index.html").resolve())
    pages = {p.resolve() for p in built_site.rglob("index.html")}
    assert not pages - reached, sorted(str(p.relative_to(built_site.resolve())) for p in pages - reached)[:10]


def test_sector_page_shows_typical_figures_and_links_to_the_registry(built_site, cases):
    own = cases[cases["sectors"].apply(lambda s: "electroplating" in s)]
    html = (built_site / "sectors/electroplating/index.html").read_text(encoding="utf-8")
    assert f'data-measure="case-count">{len(own)}<' in html
    assert f'data-measure="median-payback">{number(round(own["payback_years"].median(), 1))}<' in html
    assert 'href="../../enterprises/?sector=electroplating"' in html
    ranked = re.findall(r'href="../../cases/(TC-\d+)/"', html)
    expected = own.assign(missing=own["co2_reduction_t"].isna()).sort_values(
        ["missing", "co2_reduction_t", "payback_years", "case_id"], ascending=[True, False, True, True]
    )["case_id"]
    assert ranked[: len(own)] == expected.tolist()


def test_case_page_shows_indicators_with_units_and_related_cases(built_site, cases):
    case = cases.set_index("case_id").loc["TC-010"]
    html = (built_site / "cases/TC-010/index.html").read_text(encoding="utf-8")
    assert case["title"] in html and case["principle"] in html and case["applicability"] in html
    assert 'data-measure="payback_years">1.4<' in html and "tCO2e/a" in html
    assert "同行业其他案例" in html and 'class="sample-banner"' in html


def test_atom_feed_lists_every_case_newest_first(built_site, cases):
    feed = ET.parse(built_site / "cases" / "feed.xml").getroot()
    entries = feed.findall("a:entry", ATOM)
    assert len(entries) == len(cases)
    dates = [e.find("a:updated", ATOM).text for e in entries]
    assert dates == sorted(dates, reverse=True)
    first = entries[0].find("a:link", ATOM).get("href")
    case_id = re.search(r"cases/(TC-\d+)/$", first).group(1)
    assert (built_site / "cases" / case_id / "index.html").is_file()


def test_finder_data_holds_every_case(built_site, cases):
    finder = json.loads((built_site / "cases" / "cases.json").read_text(encoding="utf-8"))
    assert [c["case_id"] for c in finder["cases"]] == cases["case_id"].tolist()
    assert all((built_site / "cases" / c["url"] / "index.html").is_file() for c in finder["cases"])


# --- in the browser --------------------------------------------------------------------------------


@pytest.mark.browser
def test_choosing_a_sector_shows_exactly_its_cases(page, site_url, cases):
    page.goto(site_url + "/cases/")
    page.locator("#case-finder[data-ready='true']").wait_for()  # the list is in the page before its script
    page.select_option("#case-facet-sector", "electroplating")
    expected = set(cases[cases["sectors"].apply(lambda s: "electroplating" in s)]["case_id"])
    shown = set(page.locator("#case-list li").evaluate_all("els => els.map(e => e.dataset.caseId)"))
    assert shown == expected
    assert page.locator("#case-count").get_attribute("data-count") == str(len(expected))
    assert "sector=electroplating" in page.url
    page.reload()
    page.locator("#case-finder[data-ready='true']").wait_for()
    assert page.locator("#case-facet-sector").input_value() == "electroplating"
    assert not page.console_errors


@pytest.mark.browser
def test_sorting_by_payback_puts_the_shortest_first(page, site_url, cases):
    page.goto(site_url + "/cases/?sort=payback")
    page.locator("#case-finder[data-ready='true']").wait_for()
    first = page.locator("#case-list li").first.get_attribute("data-case-id")
    assert cases.set_index("case_id").loc[first, "payback_years"] == cases["payback_years"].min()


@pytest.mark.browser
def test_search_finds_a_case_by_a_technical_term_first(page, site_url, cases):
    candidates = ["干熄焦", "全液面接触式浮盘", "蚀刻液", "TRT", "LDAR", "冷轧堆", "数码印花"]
    term = next(t for t in candidates if cases["title"].str.contains(t, regex=False).sum() == 1)
    expected = cases[cases["title"].str.contains(term, regex=False)]["case_id"].item()
    page.goto(site_url + "/")
    search = page.locator("input.md-search__input")
    search.click()
    search.fill(term)
    first = page.locator(".md-search-result__link").first
    first.wait_for()
    assert f"/cases/{expected}/" in first.get_attribute("href")
