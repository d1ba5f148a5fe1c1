"""The enterprise directory (/enterprises/) in headless Chromium, checked against the CSV with pandas.

Every expected figure is computed from datapackages/enterprises/accepted_enterprises.csv here,
never copied from the page or written down by hand.
"""

import csv
import io
import json
from pathlib import Path

import pandas as pd
import pytest

from builder.settings import PROJECT_ROOT

pytestmark = pytest.mark.browser
expect = pytest.importorskip("playwright.sync_api").expect

DATA = PROJECT_ROOT / "datapackages"
PACKAGE = DATA / "enterprises"
DIRECTORY = "/enterprises/"
SHENZHEN = "440300"


@pytest.fixture(scope="module")
def records() -> pd.DataFrame:
    return pd.read_csv(PACKAGE / "accepted_enterprises.csv", dtype=str)


@pytest.fixture(scope="module")
def city_names() -> dict[str, str]:
    cities = pd.read_csv(DATA / "reference" / "cities.csv", dtype=str)
    return dict(zip(cities["city_code"], cities["city_name"]))


def visit(page, site_url: str, path: str):
    page.goto(site_url + path)
    page.wait_for_load_state("networkidle")
    return page


def open_directory(page, site_url: str, query: str = ""):
    visit(page, site_url, DIRECTORY + query)
    page.locator("#enterprise-directory.dir-ready").wait_for()
    return page


def assert_stayed_on_site(page, site_url: str):
    # Downloads are same-origin blob: URLs made in the page; anything else must come from the site.
    outside = [url for url in page.requests
               if not url.startswith((site_url, "data:", "blob:" + site_url))]
    assert not outside, f"requests left the site: {outside}"
    assert not page.console_errors, page.console_errors


def shown_count(page) -> int:
    return int(page.locator("#dir-count").get_attribute("data-count"))


def expect_count(page, expected: int):
    expect(page.locator("#dir-count")).to_have_attribute("data-count", str(expected))
    expect(page.locator("#dir-count")).to_have_text(f"共 {expected} 条记录")


def wait_for_query(tab, **expected: str | None):
    """Waits until the address bar holds these query parameters (None: absent); the page updates it lazily."""
    tab.wait_for_function("""expected => {
        const params = new URLSearchParams(location.search);
        return Object.entries(expected).every(([key, value]) => params.get(key) === value);
    }""", arg=expected)


def busiest_sector(records: pd.DataFrame, city: str) -> str:
    return records.loc[records["city_code"] == city, "sector_code"].dropna().value_counts().idxmax()


def choose(page, facet: str, value: str):
    page.select_option(f"#dir-facet-{facet}", value)


def download(page, button: str) -> Path:
    with page.expect_download() as info:
        page.click(button)
    return Path(info.value.path())


def test_sample_banner_is_shown_above_the_directory(page, site_url):
    descriptor = json.loads((PACKAGE / "datapackage.json").read_text(encoding="utf-8"))
    assert descriptor.get("x-sample"), "the enterprises package is no longer marked as sample"
    open_directory(page, site_url)
    banner = page.locator(".sample-banner")
    expect(banner).to_be_visible()
    assert "示例数据" in banner.inner_text()
    assert banner.evaluate("e => getComputedStyle(e).fontWeight") in ("700", "bold")
    assert_stayed_on_site(page, site_url)


def test_city_and_sector_filters_match_pandas(page, site_url, records, city_names):
    sector = busiest_sector(records, SHENZHEN)
    in_city = records["city_code"] == SHENZHEN
    expected = int((in_city & (records["sector_code"] == sector)).sum())
    open_directory(page, site_url)
    expect_count(page, len(records))

    choose(page, "city", SHENZHEN)
    expect_count(page, int(in_city.sum()))
    choose(page, "sector", sector)
    expect_count(page, expected)
    # Each option counts what choosing it would show, given the other filters.
    city_option = page.locator(f"#dir-facet-city option[value='{SHENZHEN}']").inner_text()
    assert city_option == f"{city_names[SHENZHEN]}（{expected}）"
    no_sector = int((in_city & records["sector_code"].isna()).sum())
    assert page.locator("#dir-facet-sector option[value='__none__']").inner_text() == f"非重点行业（{no_sector}）"

    rows = page.locator("#dir-table tbody tr")
    assert rows.count() == min(expected, 50)
    assert set(rows.locator("td:nth-child(2)").all_inner_texts()) == {city_names[SHENZHEN]}
    assert_stayed_on_site(page, site_url)


def test_filters_survive_in_the_url(page, browser, site_url, records):
    query = "有限"
    sector = busiest_sector(records, SHENZHEN)
    year = records.loc[records["city_code"] == SHENZHEN, "acceptance_year"].max()
    expected = int((records["enterprise_name"].str.contains(query, regex=False) & (records["city_code"] == SHENZHEN)
                    & (records["sector_code"] == sector) & (records["acceptance_year"] == year)).sum())
    assert expected > 0
    open_directory(page, site_url)
    page.fill("#dir-q", query)
    choose(page, "city", SHENZHEN)
    choose(page, "sector", sector)
    choose(page, "year", year)
    page.locator("th button[data-sort='co2_reduction_t']").click()
    expect_count(page, expected)
    wait_for_query(page, q=query, city=SHENZHEN, sector=sector, year=year, sort="co2_reduction_t", basin=None)
    url = page.url

    context = browser.new_context(locale="zh-CN")
    fresh = context.new_page()
    errors, requests = [], []
    fresh.on("pageerror", lambda error: errors.append(str(error)))
    fresh.on("console", lambda message: message.type == "error" and errors.append(message.text))
    fresh.on("request", lambda request: requests.append(request.url))
    try:
        fresh.goto(url)
        fresh.locator("#enterprise-directory.dir-ready").wait_for()
        assert shown_count(fresh) == expected
        assert fresh.locator("#dir-q").input_value() == query
        # The theme's own search also reads ?q=; on this page it must stay closed and leave q in place.
        assert not fresh.locator("input[data-md-toggle='search']").is_checked()
        assert fresh.url == url
        assert fresh.locator("#dir-facet-city").input_value() == SHENZHEN
        assert fresh.locator("#dir-facet-sector").input_value() == sector
        assert fresh.locator("#dir-facet-year").input_value() == year
        assert fresh.locator("#dir-facet-basin").input_value() == ""
        assert fresh.locator("th:has(button[data-sort='co2_reduction_t'])").get_attribute("aria-sort") == "ascending"
        assert fresh.locator("#dir-table tbody tr").all_inner_texts() == page.locator("#dir-table tbody tr").all_inner_texts()
        assert not errors, errors
        assert all(url.startswith(site_url) for url in requests), requests
    finally:
        context.close()
    assert_stayed_on_site(page, site_url)


def test_text_search_matches_pandas_substring(page, site_url, records):
    query = "电镀"
    hit = (records["enterprise_name"].str.contains(query, case=False, regex=False, na=False)
           | records["uscc"].str.contains(query, case=False, regex=False, na=False))
    assert hit.sum() > 0, f"no record contains {query}: pick another query"
    open_directory(page, site_url)
    page.fill("#dir-q", query)
    expect_count(page, int(hit.sum()))
    wait_for_query(page, q=query)
    names = page.locator("#dir-table tbody td:first-child").all_inner_texts()
    assert names and all(query in name for name in names)

    page.fill("#dir-q", "不可能出现的名称")
    expect_count(page, 0)
    assert page.locator("#dir-table tbody").inner_text().strip() == "没有符合条件的记录。"
    assert_stayed_on_site(page, site_url)


def test_downloads_hold_exactly_the_filtered_rows(page, site_url, records):
    # The largest city has more than one page of rows: downloads must hold all pages, not the one shown.
    city = records["city_code"].value_counts().idxmax()
    chosen = records[records["city_code"] == city]
    assert len(chosen) > 50
    open_directory(page, site_url, f"?city={city}")
    expect_count(page, len(chosen))
    page.locator("th button[data-sort='co2_reduction_t']").click()
    page.locator("th button[data-sort='co2_reduction_t']").click()

    csv_path = download(page, "#dir-download-csv")
    assert csv_path.read_bytes()[:3] != b"\xef\xbb\xbf"
    text = csv_path.read_text(encoding="utf-8")
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader)
    assert header == list(records.columns)
    got = pd.read_csv(io.StringIO(text), dtype=str)
    assert len(got) == len(chosen)
    assert set(got["record_id"]) == set(chosen["record_id"])
    expected = chosen.set_index("record_id").loc[got["record_id"]]
    assert list(got["enterprise_name"]) == list(expected["enterprise_name"])
    assert got["sector_code"].isna().sum() == expected["sector_code"].isna().sum()
    co2 = pd.to_numeric(got["co2_reduction_t"])
    assert co2.dropna().is_monotonic_decreasing  # the table's order: largest reduction first

    json_path = download(page, "#dir-download-json")
    items = json.loads(json_path.read_text(encoding="utf-8"))
    assert len(items) == len(chosen)
    assert {item["record_id"] for item in items} == set(chosen["record_id"])
    assert all(list(item) == list(records.columns) for item in items)
    assert [item["record_id"] for item in items] == list(got["record_id"])
    first = chosen.set_index("record_id").loc[items[0]["record_id"]]
    assert items[0]["acceptance_year"] == int(first["acceptance_year"])
    assert items[0]["co2_reduction_t"] == pytest.approx(float(first["co2_reduction_t"]))
    assert_stayed_on_site(page, site_url)


def test_detail_permalink_shows_every_field(page, site_url, records, city_names):
    first = records.iloc[0]
    open_directory(page, site_url, f"?record={first['record_id']}")
    detail = page.locator("#dir-detail")
    expect(detail).to_be_visible()
    assert detail.locator("h2").inner_text() == first["enterprise_name"]
    assert detail.locator("dt").count() == len(records.columns)

    def value(field: str) -> str:
        return detail.locator(f"dd[data-field='{field}']").inner_text()

    assert value("record_id") == first["record_id"]
    assert value("enterprise_name") == first["enterprise_name"]
    assert value("city_code").startswith(city_names[first["city_code"]])
    assert value("acceptance_date") == first["acceptance_date"]
    co2 = value("co2_reduction_t")
    assert co2.endswith("tCO2e/a")
    assert float(co2.split()[0].replace(",", "")) == pytest.approx(float(first["co2_reduction_t"]))
    assert "记录编号" in detail.locator("dt").all_inner_texts()

    detail.locator("a.dir-back").click()
    page.locator("#dir-table").wait_for()
    wait_for_query(page, record=None)
    expect_count(page, len(records))

    open_directory(page, site_url, "?record=GD-0000-00000")
    assert "未找到" in page.locator("#dir-detail").inner_text()
    assert_stayed_on_site(page, site_url)


def test_name_link_opens_the_detail_and_back_returns_to_the_filtered_list(page, site_url, records):
    chosen = records[records["city_code"] == SHENZHEN]
    open_directory(page, site_url, f"?city={SHENZHEN}")
    link = page.locator("#dir-table tbody a").first
    name = link.inner_text()
    link.click()
    expect(page.locator("#dir-detail h2")).to_have_text(name)
    wait_for_query(page, city=SHENZHEN, record=page.locator("#dir-detail dd[data-field='record_id']").inner_text())
    page.go_back()
    expect(page.locator("#dir-table")).to_be_visible()
    expect_count(page, len(chosen))
    assert page.locator("#dir-facet-city").input_value() == SHENZHEN
    assert_stayed_on_site(page, site_url)


def test_sorting_by_co2_reduction_puts_the_extremes_first(page, site_url, records):
    co2 = pd.to_numeric(records["co2_reduction_t"])
    open_directory(page, site_url)
    button = page.locator("th button[data-sort='co2_reduction_t']")
    header = page.locator("th:has(button[data-sort='co2_reduction_t'])")

    def first_value() -> float:
        return float(page.locator("#dir-table tbody tr").first.locator("td").last.inner_text().replace(",", ""))

    button.click()
    expect(header).to_have_attribute("aria-sort", "ascending")
    assert first_value() == pytest.approx(co2.min())
    button.click()
    expect(header).to_have_attribute("aria-sort", "descending")
    assert first_value() == pytest.approx(co2.max())
    top = page.locator("#dir-table tbody tr").first.locator("td").first.inner_text()
    assert top in set(records.loc[co2 == co2.max(), "enterprise_name"])
    wait_for_query(page, sort="-co2_reduction_t")

    page.click("#dir-next")
    expect(page.locator("#dir-page")).to_contain_text("第 2 /")
    wait_for_query(page, sort="-co2_reduction_t", page="2")
    assert first_value() == pytest.approx(co2.sort_values(ascending=False).iloc[50])
    assert_stayed_on_site(page, site_url)


def test_hostile_text_in_the_query_string_stays_text(page, site_url):
    hostile = "<img src=x onerror=alert(1)>"
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    open_directory(page, site_url, "?q=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E&city=%3Cb%3E&sort=__proto__")
    assert page.locator("#dir-q").input_value() == hostile
    expect_count(page, 0)
    assert page.locator("#enterprise-directory img").count() == 0
    assert page.locator("#dir-facet-city option[value='<b>']").inner_text() == "<b>（0）"
    assert not dialogs
    assert_stayed_on_site(page, site_url)
