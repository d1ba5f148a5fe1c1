"""The site's own search: what it indexes (builder/publish/search_index.py) and how a reader uses it in Chromium."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest
from playwright.sync_api import expect

from builder.publish import search_index
from builder.render import html_pages
from helpers import DATA, EXPOSE_SEARCH

# What the results line says once a query has run (the dialog's and the search page's).
RESULT_COUNT = re.compile("找到|没有找到")

SITE_DESCRIPTION = "本站简介"


def page_html(article: str, description: str = SITE_DESCRIPTION) -> str:
    return (
        f'<html><head><meta name="description" content="{description}"></head><body>'
        f'<nav><a href="/">首页导航</a></nav><article class="md-content__inner">{article}</article>'
        "<footer>页脚</footer></body></html>"
    )


def test_a_page_is_indexed_by_title_first_paragraph_and_sections():
    html = page_html(
        '<h1 id="t">余热回收</h1><p>第一段<b>说明</b>。</p><h2 id="principle">原理</h2>'
        '<p>烟气</p><table><tr><td>甲</td><td>乙</td></tr></table><h3 id="more">细节</h3><p>换热器</p>'
    )
    document = search_index.document_from_html("cases/x/", html, SITE_DESCRIPTION)
    assert (document.title, document.summary) == ("余热回收", "第一段说明。")
    assert [(s.anchor, s.heading, s.text) for s in document.sections] == [
        ("", "", "第一段说明。"),
        ("principle", "原理", "烟气 甲 乙"),
        ("more", "细节", "换热器"),
    ]
    assert "首页导航" not in json.dumps(document.__dict__, default=str, ensure_ascii=False), "only the article"


def test_excluded_parts_scripts_and_the_site_description_are_left_out():
    html = page_html(
        '<h1>标题</h1><div class="sample-banner" data-search-exclude><p>示例数据横幅</p><div>嵌套</div></div>'
        "<script>var secret = 1;</script><p>正文</p>",
        description="页面摘要",
    )
    document = search_index.document_from_html("p/", html, SITE_DESCRIPTION)
    text = " ".join(s.text for s in document.sections)
    assert "示例数据横幅" not in text and "嵌套" not in text and "secret" not in text
    assert "正文" in text
    assert document.summary == "页面摘要"
    plain = search_index.document_from_html("q/", page_html("<h1>标题</h1><p>第一段</p>"), SITE_DESCRIPTION)
    assert plain.summary == "第一段", "the site-wide description is no page's summary"


def test_the_index_keeps_the_tab_order_and_the_weights():
    documents = [
        search_index.SearchDocument("cases/TC-002/", "乙"),
        search_index.SearchDocument("", "首页"),
        search_index.SearchDocument("policies/p/", "通知", "摘要", [html_pages.SearchSection("a", "一", "正文")], 4.0),
    ]
    files = search_index.index_files(documents)
    pages = json.loads(files[search_index.PAGES_JSON])
    assert [p[0] for p in pages["pages"]] == ["", "policies/p/", "cases/TC-002/"]
    assert pages["pages"][1] == ["policies/p/", "通知", "摘要", 4.0]
    text = json.loads(files[search_index.TEXT_JSON])
    assert text["sections"] == [[1, "a", "一", "正文"]]


@pytest.fixture(scope="module")
def cases() -> pd.DataFrame:
    return pd.read_csv(DATA / "technology-cases" / "technology_cases.csv", dtype=str)


def test_the_built_index_covers_every_page_once(built_site, cases):
    pages = json.loads((built_site / search_index.PAGES_JSON).read_text(encoding="utf-8"))["pages"]
    urls = [p[0] for p in pages]
    assert len(urls) == len(set(urls))
    html_pages = {p.parent.relative_to(built_site).as_posix() + "/" for p in built_site.rglob("index.html")}
    html_pages = {"" if u == "./" else u for u in html_pages} - {"search/"}
    assert set(urls) == html_pages
    assert {f"cases/{case_id}/" for case_id in cases["case_id"]} <= set(urls)
    assert "__page__" not in "".join(urls)


@pytest.mark.browser
def test_a_page_loads_no_search_files_until_the_reader_searches(page, site_url):
    page.goto(site_url + "/cases/TC-001/")
    page.wait_for_load_state("networkidle")
    assert not [u for u in page.requests if "/search/" in u or u.endswith("search.js")]
    page.keyboard.press("/")
    expect(page.locator("input.md-search__input")).to_be_focused()
    page.keyboard.type("余热")
    expect(page.locator(".md-search-result__link").first).to_be_visible()
    assert any(u.endswith("/search/pages.json") for u in page.requests)
    page.keyboard.press("Escape")
    assert page.locator("#__search").is_checked() is False
    assert not page.console_errors


@pytest.mark.browser
def test_a_word_only_in_a_case_text_is_found_at_its_section(page, site_url, cases):
    # A technical term that is in one case's principle text but in no title or summary anywhere.
    for case in cases.itertuples():
        for size in (4, 5, 6):
            term = next(
                (
                    case.principle[i : i + size]
                    for i in range(len(case.principle) - size)
                    if case.principle[i : i + size].isalnum()
                    and not cases["title"].str.contains(case.principle[i : i + size], regex=False).any()
                    and not cases["summary"].str.contains(case.principle[i : i + size], regex=False).any()
                    and cases["principle"].str.contains(case.principle[i : i + size], regex=False).sum() == 1
                ),
                None,
            )
            if term:
                break
        if term:
            break
    page.goto(site_url + "/")
    search = page.locator("input.md-search__input")
    search.click()
    search.fill(term)
    # Nothing in titles or summaries: the results come once the pages' text has arrived.
    expect(page.locator(".md-search-result__meta")).to_have_text(re.compile(r"^找到 \d+ 个结果$"))
    link = page.locator(f".md-search-result__link[href$='/cases/{case.case_id}/#principle']")
    expect(link).to_have_count(1)
    expect(link.locator("mark").first).to_have_text(term)
    link.click()
    page.wait_for_url(f"**/cases/{case.case_id}/#principle")
    expect(page.locator("#principle")).to_be_visible()


@pytest.mark.browser
def test_enter_opens_the_search_page_with_every_result(page, site_url, cases):
    term = "余热"
    expected = cases["title"].str.contains(term).sum()
    page.goto(site_url + "/")
    search = page.locator("input.md-search__input")
    search.click()
    search.fill(term)
    # A count first (before the module has come the box still says 键入以开始搜索), then the final one.
    expect(page.locator(".md-search-result__meta")).to_have_text(RESULT_COUNT)
    expect(page.locator(".md-search-result__meta")).not_to_contain_text("正在")
    shown = page.locator(".md-search-result__meta").inner_text()
    search.press("Enter")
    page.wait_for_url("**/search/?q=*")
    meta = page.locator(".site-search-page__meta")
    expect(meta).to_have_text(shown)
    items = page.locator(".site-search-page__list > li:not(.site-search__offer)")
    total = int("".join(ch for ch in shown if ch.isdigit()))
    assert total >= expected
    expect(items).to_have_count(min(total, 20))
    if total > 20:
        page.locator(".site-search-page__more").click()
        expect(items).to_have_count(min(total, 40))
    # Another query from the page's own box updates the results and the address.
    box = page.locator("#site-search-page-input")
    box.fill("深圳")
    expect(page.locator(".site-search-page__list a[href$='/cities/440300/']")).to_have_count(1)
    assert "q=%E6%B7%B1%E5%9C%B3" in page.url
    assert not page.console_errors


@pytest.mark.browser
def test_terms_separated_by_a_space_must_all_be_present(page, site_url):
    page.goto(site_url + "/search/?q=" + "深圳 目标")
    page.locator(".site-search-page__list li").first.wait_for()
    page.evaluate(EXPOSE_SEARCH)
    both = page.evaluate("gdSearch.query('深圳 目标').then(r => r.map(x => x.page))")
    one = page.evaluate("gdSearch.query('深圳').then(r => r.map(x => x.page))")
    assert set(both) <= set(one) and len(both) < len(one)
    assert "cities/440300/" in both


@pytest.mark.browser
def test_the_open_search_dialog_with_results_passes_axe_and_works_by_keyboard(page, site_url):
    from axe_playwright_python.sync_playwright import Axe

    page.goto(site_url + "/cities/")
    page.wait_for_load_state("networkidle")
    page.keyboard.press("s")
    page.keyboard.type("深圳")
    expect(page.locator(".md-search-result__meta")).to_have_text(RESULT_COUNT)
    expect(page.locator(".md-search-result__meta")).not_to_contain_text("正在")
    results = Axe().run(page)
    serious = [
        (v["id"], [n["target"] for n in v["nodes"]][:3])
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert not serious, serious
    page.keyboard.press("ArrowDown")
    focused = page.evaluate("document.activeElement.getAttribute('href')")
    assert focused == page.locator(".md-search-result__link").first.get_attribute("href")
    page.keyboard.press("Enter")
    page.wait_for_url(focused)
    assert not page.console_errors
