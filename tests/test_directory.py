"""The enterprise directory (/enterprises/) in headless Chromium, checked against the CSV with pandas.

Every expected figure is computed from datapackages/enterprises/accepted_enterprises.csv (or the
package's JSON download, which carries the same values typed) here, never copied from the page or
written down by hand. The page downloads the list (directory.json) at once and a details file only
when a record of its range is opened or downloaded: the tests watch which files it asks for.
"""

import csv
import io
import json
from pathlib import Path

import pandas as pd
import pytest

from builder.derive.enterprise_directory import DETAIL_CHUNK
from builder.settings import PROJECT_ROOT

pytestmark = pytest.mark.browser
expect = pytest.importorskip("playwright.sync_api").expect

DATA = PROJECT_ROOT / "datapackages"
PACKAGE = DATA / "enterprises"
DIRECTORY = "/enterprises/"
SHENZHEN = "440300"
DETAILS = "/enterprises/directory/details-"


@pytest.fixture(scope="module")
def records() -> pd.DataFrame:
    return pd.read_csv(PACKAGE / "accepted_enterprises.csv", dtype=str)


@pytest.fixture(scope="module")
def city_names() -> dict[str, str]:
    cities = pd.read_csv(DATA / "reference" / "cities.csv", dtype=str)
    return dict(zip(cities["city_code"], cities["city_name"]))


@pytest.fixture(scope="module")
def typed_records(built_site) -> dict[str, dict]:
    """The package's JSON download by record_id: every field, typed as the directory's downloads type it."""
    items = json.loads((built_site / "downloads/enterprises/accepted_enterprises.json").read_text(encoding="utf-8"))
    return {item["record_id"]: item for item in items}


@pytest.fixture(scope="module")
def fields() -> list[dict]:
    descriptor = json.loads((PACKAGE / "datapackage.json").read_text(encoding="utf-8"))
    return next(r for r in descriptor["resources"] if r["name"] == "accepted_enterprises")["schema"]["fields"]


def details_requested(page) -> list[str]:
    return [url for url in page.requests if DETAILS in url]


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
    outside = [url for url in page.requests if not url.startswith((site_url, "data:", "blob:" + site_url))]
    assert not outside, f"requests left the site: {outside}"
    assert not page.console_errors, page.console_errors


def shown_count(page) -> int:
    return int(page.locator("#dir-count").get_attribute("data-count"))


def expect_count(page, expected: int):
    expect(page.locator("#dir-count")).to_have_attribute("data-count", str(expected))
    expect(page.locator("#dir-count")).to_have_text(f"共 {expected} 条记录")


def wait_for_query(tab, **expected: str | None):
    """Waits until the address bar holds these query parameters (None: absent); the page updates it lazily."""
    tab.wait_for_function(
        """expected => {
        const params = new URLSearchParams(location.search);
        return Object.entries(expected).every(([key, value]) => params.get(key) === value);
    }""",
        arg=expected,
    )


def busiest_sector(records: pd.DataFrame, city: str) -> str:
    return records.loc[records["city_code"] == city, "sector_code"].dropna().value_counts().idxmax()


def choose(page, facet: str, value: str):
    page.select_option(f"#dir-facet-{facet}", value)


def download(page, button: str) -> Path:
    with page.expect_download() as info:
        page.click(button)
    return Path(info.value.path())


def csv_text(value) -> str:
    """A typed value as the directory's CSV writes it (JavaScript's String(): 48.0 is "48")."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def test_sample_banner_is_shown_above_the_directory(page, site_url):
    descriptor = json.loads((PACKAGE / "datapackage.json").read_text(encoding="utf-8"))
    assert descriptor.get("x-sample"), "the enterprises package is no longer marked as sample"
    open_directory(page, site_url)
    banner = page.locator(".sample-banner")
    expect(banner).to_be_visible()
    assert "示例数据" in banner.inner_text()
    assert banner.evaluate("e => getComputedStyle(e).fontWeight") in ("700", "bold")
    assert_stayed_on_site(page, site_url)


def test_the_directory_stylesheet_stays_applied_once_the_directory_is_drawn(page, site_url):
    open_directory(page, site_url)
    assert page.locator(".dir-controls").evaluate("e => getComputedStyle(e).display") == "grid"
    assert page.locator(".dir-field--search").evaluate("e => getComputedStyle(e).gridColumnStart") == "1"


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
    expected = int(
        (
            records["enterprise_name"].str.contains(query, regex=False)
            & (records["city_code"] == SHENZHEN)
            & (records["sector_code"] == sector)
            & (records["acceptance_year"] == year)
        ).sum()
    )
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
        assert (
            fresh.locator("#dir-table tbody tr").all_inner_texts()
            == page.locator("#dir-table tbody tr").all_inner_texts()
        )
        assert not errors, errors
        assert all(url.startswith(site_url) for url in requests), requests
    finally:
        context.close()
    assert_stayed_on_site(page, site_url)


def _box_matches(records: pd.DataFrame, query: str) -> pd.Series:
    """What the keyword box finds: name, credit code, industry, and the key sector by its name (issue 14)."""
    sectors = pd.read_csv(DATA / "reference" / "sectors.csv", dtype=str)
    sector_name = records["sector_code"].map(dict(zip(sectors["sector_code"], sectors["name_zh"])))
    return (
        records["enterprise_name"].str.contains(query, case=False, regex=False, na=False)
        | records["uscc"].str.contains(query, case=False, regex=False, na=False)
        | records["industry_name"].str.contains(query, case=False, regex=False, na=False)
        | sector_name.str.contains(query, case=False, regex=False, na=False)
    )


def test_the_box_finds_an_industry_no_name_contains(page, site_url, records):
    industries = records["industry_name"].dropna()
    query = next(
        i for i in industries.value_counts().index if not records["enterprise_name"].str.contains(i, regex=False).any()
    )
    expected = int(_box_matches(records, query).sum())
    assert expected >= int((records["industry_name"] == query).sum()) > 0
    open_directory(page, site_url)
    page.fill("#dir-q", query)
    expect_count(page, expected)


def test_text_search_matches_pandas_substring(page, site_url, records):
    query = "有限"
    hit = _box_matches(records, query)
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


def test_downloads_hold_exactly_the_filtered_rows(page, site_url, records, typed_records, city_names):
    # The largest city has more than one page of rows: downloads must hold all pages, not the one shown.
    city = records["city_code"].value_counts().idxmax()
    chosen = records[records["city_code"] == city]
    assert len(chosen) > 50
    open_directory(page, site_url, f"?city={city}")
    expect_count(page, len(chosen))
    page.locator("th button[data-sort='co2_reduction_t']").click()
    page.locator("th button[data-sort='co2_reduction_t']").click()

    csv_path = download(page, "#dir-download-csv")
    assert csv_path.read_bytes()[:3] == b"\xef\xbb\xbf", "a BOM, so that Excel on Chinese Windows reads it"
    text = csv_path.read_text(encoding="utf-8-sig")
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader)
    # The registry is a sample: like the package's downloads, every record starts with the sample mark;
    # each coded field has its name beside it, as in the package's Excel CSV.
    named = {
        "city_code": "city_name",
        "sector_code": "sector_name",
        "basin_code": "basin_name",
        "audit_nature": "audit_nature_name",
        "audit_mode": "audit_mode_name",
        "lead_department": "lead_department_name",
        "status": "status_name",
    }
    assert [h for h in header if h not in named.values()] == ["data_status", *records.columns]
    for code, name in named.items():
        assert header.index(name) == header.index(code) + 1, name
    with_names = pd.read_csv(io.StringIO(text), dtype=str)
    assert set(with_names["city_name"]) == {city_names[city]}
    got = with_names.drop(columns=list(named.values()))
    assert set(got["data_status"]) == {"示例数据"}
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
    assert all(list(item) == ["data_status", *records.columns] and item["data_status"] == "示例数据" for item in items)
    assert [item["record_id"] for item in items] == list(got["record_id"])
    first = chosen.set_index("record_id").loc[items[0]["record_id"]]
    assert items[0]["acceptance_year"] == int(first["acceptance_year"])
    assert items[0]["co2_reduction_t"] == pytest.approx(float(first["co2_reduction_t"]))
    # Every field of every record, the details fetched for the download included, as the package publishes it.
    assert items == [typed_records[item["record_id"]] for item in items]
    assert got.fillna("").to_dict("records") == [
        {name: csv_text(value) for name, value in typed_records[record_id].items()} for record_id in got["record_id"]
    ]
    assert_stayed_on_site(page, site_url)


def test_detail_permalink_shows_every_field(page, site_url, records, city_names, fields):
    # The last record: its details come from the last details file, fetched for it alone.
    position = len(records) - 1
    last = records.iloc[position]
    open_directory(page, site_url, f"?record={last['record_id']}")
    detail = page.locator("#dir-detail")
    expect(detail).to_be_visible()
    assert detail.locator("h2").inner_text() == last["enterprise_name"]
    expect(detail.locator("dt")).to_have_count(len(records.columns))
    assert detail.get_attribute("aria-busy") is None
    assert [url.split("/")[-1] for url in details_requested(page)] == [f"details-{position // DETAIL_CHUNK}.json"]

    def value(field: str) -> str:
        return detail.locator(f"dd[data-field='{field}']").inner_text()

    assert detail.locator("dt").all_inner_texts() == [field["title"] for field in fields]
    for field in fields:
        raw, shown = last[field["name"]], value(field["name"])
        if pd.isna(raw):
            assert shown == "—", field["name"]
        elif field["type"] in ("number", "integer"):
            assert float(shown.split()[0].replace(",", "")) == pytest.approx(float(raw)), field["name"]
        else:
            assert raw in shown, field["name"]  # a code is shown beside its name
    assert value("city_code").startswith(city_names[last["city_code"]])
    assert value("co2_reduction_t").endswith("tCO2e/a")

    detail.locator("a.dir-back").click()
    page.locator("#dir-table").wait_for()
    wait_for_query(page, record=None)
    expect_count(page, len(records))

    open_directory(page, site_url, "?record=GD-0000-00000")
    assert "未找到" in page.locator("#dir-detail").inner_text()
    open_directory(page, site_url, f"?record={last['record_id']}x")
    assert "未找到" in page.locator("#dir-detail").inner_text()
    assert_stayed_on_site(page, site_url)


def test_the_list_comes_first_and_details_only_when_a_record_is_opened(page, site_url, records, typed_records):
    open_directory(page, site_url)
    expect_count(page, len(records))
    # One request for the list: the page's preload and the script's fetch are the same request.
    assert [url for url in page.requests if url.endswith("/enterprises/directory.json")] == [
        site_url + "/enterprises/directory.json"
    ]
    assert details_requested(page) == []
    # Searching, filtering and sorting need no details either.
    page.fill("#dir-q", "有限")
    choose(page, "city", SHENZHEN)
    page.locator("th button[data-sort='co2_reduction_t']").click()
    wait_for_query(page, q="有限", city=SHENZHEN, sort="co2_reduction_t")
    assert details_requested(page) == []

    link = page.locator("#dir-table tbody a").first
    record_id = link.get_attribute("data-record")
    link.click()
    expect(page.locator("#dir-detail dd[data-field='county']")).to_be_visible()
    position = int(records.index[records["record_id"] == record_id][0])
    assert [url.split("/")[-1] for url in details_requested(page)] == [f"details-{position // DETAIL_CHUNK}.json"]
    expected = typed_records[record_id]
    county = page.locator("#dir-detail dd[data-field='county']").inner_text()
    assert county == (expected["county"] or "—")
    assert_stayed_on_site(page, site_url)


def test_details_that_fail_to_load_are_reported_and_tried_again(page, site_url, records):
    failing = lambda route: route.fulfill(status=503, body="unavailable")  # noqa: E731
    page.route(f"**{DETAILS}*", failing)
    record_id = records.iloc[0]["record_id"]
    open_directory(page, site_url, f"?record={record_id}")
    expect(page.locator("#dir-detail [role='alert']")).to_contain_text("记录详情载入失败（HTTP 503）")
    page.locator("#dir-detail a.dir-back").click()
    page.click("#dir-download-csv")
    expect(page.locator("#dir-download-status")).to_contain_text("准备下载失败")

    page.unroute(f"**{DETAILS}*", failing)
    path = download(page, "#dir-download-csv")
    assert len(pd.read_csv(path, dtype=str)) == len(records)
    expect(page.locator("#dir-download-status")).to_have_text("")


def test_a_list_that_fails_to_load_is_reported(page, site_url):
    page.route("**/enterprises/directory.json", lambda route: route.fulfill(status=503, body="unavailable"))
    visit(page, site_url, DIRECTORY)
    expect(page.locator("#enterprise-directory [role='alert']")).to_contain_text("名录数据载入失败（HTTP 503）")
    assert page.locator("#enterprise-directory").get_attribute("aria-busy") is None
    assert not [error for error in page.console_errors if "503" not in error], page.console_errors


def test_the_directory_starts_when_its_script_arrives_after_the_page(page, site_url, records):
    # The page requests the script itself (async) and site.js asks for it again: held back until
    # after DOMContentLoaded, as on a slow network, it must still start, and only once.
    held, released = [], []

    def hold(route):
        if released:
            route.continue_()
        else:
            held.append(route)

    page.route("**/assets/directory.js", hold)
    page.goto(site_url + DIRECTORY + f"?city={SHENZHEN}", wait_until="domcontentloaded")
    assert page.evaluate("document.readyState") != "loading"
    assert page.locator("#enterprise-directory.dir-ready").count() == 0
    released.append(True)
    for route in held:
        route.continue_()
    page.locator("#enterprise-directory.dir-ready").wait_for()
    expect_count(page, int((records["city_code"] == SHENZHEN).sum()))
    assert page.locator("#enterprise-directory .dir-list").count() == 1
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


def _static_first_page(built_site) -> list[list[str]]:
    """The rows written into the directory page at build time, as text per cell."""
    import html as html_module
    import re

    page_html = (built_site / "enterprises/index.html").read_text(encoding="utf-8")
    block = page_html[page_html.index("data-dir-first-page") :]
    body = block[block.index("<tbody>") : block.index("</tbody>")]
    return [
        [html_module.unescape(re.sub(r"<[^>]+>", "", cell)) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row)]
        for row in re.findall(r"<tr>(.*?)</tr>", body)
    ]


def test_the_first_page_is_in_the_html_and_is_what_the_script_then_draws(page, site_url, built_site, records):
    static = _static_first_page(built_site)
    assert len(static) == min(50, len(records))
    open_directory(page, site_url)
    live = page.locator("#dir-table tbody tr").evaluate_all(
        "rows => rows.map(r => Array.from(r.cells, c => c.textContent))"
    )
    assert live == static
    assert page.locator("[data-dir-first-page]").count() == 0, "the live table replaced the static one"


def test_without_javascript_the_first_page_is_still_shown(browser, site_url, built_site, records):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(site_url + DIRECTORY)
        rows = page.locator("#dir-table tbody tr")
        expect(rows).to_have_count(min(50, len(records)))
        assert records.iloc[0]["enterprise_name"] in rows.first.inner_text()
        expect(page.locator("#enterprise-directory noscript")).to_have_count(1)  # the page's own note
    finally:
        context.close()


def test_an_address_with_filters_never_shows_the_static_first_page(page, site_url, records):
    page.goto(site_url + DIRECTORY + f"?city={SHENZHEN}")
    assert page.locator("[data-dir-first-page]").count() == 0
    page.locator("#enterprise-directory.dir-ready").wait_for()
    expect_count(page, int((records["city_code"] == SHENZHEN).sum()))
