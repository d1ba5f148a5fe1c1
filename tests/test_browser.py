"""The built site as a person meets it, in headless Chromium on loopback."""

import csv
import io
from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def visit(page, site_url: str, path: str):
    page.goto(site_url + path)
    page.wait_for_load_state("networkidle")
    return page


def assert_stayed_on_site(page, site_url: str):
    outside = [url for url in page.requests if not url.startswith(site_url) and not url.startswith("data:")]
    assert not outside, f"requests left the site: {outside}"
    assert not page.console_errors, page.console_errors


def test_home_page_shows_the_headline_figures(page, site_url, screenshots):
    visit(page, site_url, "/")
    figures = page.locator(".headline .number").all_inner_texts()
    assert figures == ["1901", "925", "1275"]
    assert "来源" in page.locator(".data-source").first.inner_text()
    page.screenshot(path=str(screenshots / "home.png"), full_page=True)
    assert_stayed_on_site(page, site_url)


def test_search_finds_the_notice_for_a_chinese_query(page, site_url):
    visit(page, site_url, "/")
    search = page.locator("input.md-search__input")
    search.click()
    # fill() gives an input event and no key events, as an IME's commit of Chinese text does.
    search.fill("清洁生产审核")
    results = page.locator(".md-search-result__link")
    results.first.wait_for(timeout=10_000)
    # Titles and summaries answer first; the ranking is final once the pages' text has arrived too.
    expect(page.locator(".md-search-result__meta")).not_to_contain_text("正在检索全文")
    # The guide explains what an audit is; the notice, the one full-text document on audits, follows it.
    hrefs = [link.get_attribute("href") for link in results.all()[:3]]
    assert hrefs[0].endswith("/guide/"), hrefs
    assert any("/policies/gd-2022-cleaner-production-notice/" in href for href in hrefs[1:]), hrefs
    page.locator(".md-search-result__link[href*='gd-2022-cleaner-production-notice']").first.click()
    page.wait_for_url("**/policies/gd-2022-cleaner-production-notice/**")
    # Instant navigation changes the address before it swaps the content: wait for the content.
    expect(page.locator(".md-content article h1")).to_contain_text("关于2022年清洁生产推行工作的通知")
    assert_stayed_on_site(page, site_url)


def test_shenzhen_page_shows_its_figures(page, site_url):
    visit(page, site_url, "/cities/440300/")
    assert page.locator("h1").inner_text() == "深圳市"
    cells = {
        cell.get_attribute("data-measure"): cell.inner_text()
        for cell in page.locator("#city-figures td[data-measure]").all()
    }
    assert cells == {
        "accepted-industry_it": "37",
        "accepted-ecology_environment": "66",
        "accepted-total": "103",
        "platform-completions": "170",
        "target": "100",
    }
    assert "口径不同" in page.locator(".data-note").first.inner_text()
    assert "附件 1" in page.locator(".data-source").first.inner_text()
    assert_stayed_on_site(page, site_url)


def test_city_table_leads_to_each_city_page(page, site_url):
    visit(page, site_url, "/cities/")
    rows = page.locator("#city-table tbody tr")
    assert rows.count() == 22  # 21 cities and the province total
    # City, total, target first (what a phone shows without scrolling), then the parts, the platform, the region.
    assert rows.last.locator("td").all_inner_texts() == ["全省合计", "1901", "1275", "861", "1040", "925", ""]
    shenzhen = rows.filter(has_text="深圳市").locator("td").all_inner_texts()
    assert shenzhen == ["深圳市", "103", "100", "37", "66", "170", "珠三角"]
    page.locator("#city-table").get_by_role("link", name="深圳市", exact=True).click()
    page.wait_for_url("**/cities/440300/")
    expect(page.locator(".md-content article h1")).to_have_text("深圳市")
    assert_stayed_on_site(page, site_url)


def test_csv_download_from_the_data_page_parses_to_the_published_numbers(page, site_url):
    visit(page, site_url, "/data/")
    link = page.locator("a[href$='audit-statistics/targets.csv']")
    with page.expect_download() as download_info:
        link.click(modifiers=["Alt"])  # Alt-click asks Chromium to save the link target
    path = Path(download_info.value.path())
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    assert len(rows) == 21
    assert sum(int(r["target"]) for r in rows) == 1275
    assert next(r for r in rows if r["city_code"] == "440300")["target"] == "100"


def test_policy_page_shows_the_notice_and_its_tables(page, site_url):
    visit(page, site_url, "/policies/gd-2022-cleaner-production-notice/")
    text = page.locator("article").inner_text()
    for expected in ("一、总体要求", "附件 1", "附件 2", "1901", "1275", "《清洁生产促进法》"):
        assert expected in text
    page.get_by_role("link", name="《清洁生产促进法》").click()
    page.wait_for_url("**/policies/cleaner-production-promotion-law/")
    assert_stayed_on_site(page, site_url)
