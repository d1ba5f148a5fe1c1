"""Search that Chinese readers can use (issue 14): folding, term splitting, synonyms, names in other
scripts, the directory offer, no dead end, and the relevance set (benchmarks/relevance.csv).

What the index carries is checked on the built files against the reference data (never copied from the
site); what a reader gets is checked by typing into the header search box in headless Chromium, and the
whole relevance set runs through the site's own search function (gdSearch.query, imported from its module) in one page.
"""

from __future__ import annotations

import gzip
import json
import re
from urllib.parse import quote

import pandas as pd
import pytest
from playwright.sync_api import expect

from builder.publish import search_index, search_terms
from helpers import DATA, EXPOSE_SEARCH

try:
    from benchmarks import recall
except ImportError:  # pytest run without the project root on sys.path (python -m pytest adds it)
    import sys

    from builder.settings import PROJECT_ROOT

    sys.path.insert(0, str(PROJECT_ROOT))
    from benchmarks import recall

CITIES = pd.read_csv(DATA / "reference" / "cities.csv", dtype=str)
SECTORS = pd.read_csv(DATA / "reference" / "sectors.csv", dtype=str)
GLOSSARY = pd.read_csv(DATA / "reference" / "glossary.csv", dtype=str).fillna("")
POLICIES = pd.read_csv(DATA / "policies" / "policies.csv", dtype=str)


def city(short: str) -> str:
    return "cities/" + CITIES.loc[CITIES["city_short"] == short, "city_code"].item() + "/"


def sector(name_zh: str) -> str:
    return "sectors/" + SECTORS.loc[SECTORS["name_zh"] == name_zh, "sector_code"].item() + "/"


@pytest.fixture(scope="module")
def index(built_site) -> dict:
    return json.loads((built_site / search_index.PAGES_JSON).read_text(encoding="utf-8"))


# --- folding and the index (no browser) --------------------------------------------------------------


def test_folding_drops_punctuation_width_case_tones_and_traditional_forms():
    assert search_terms.fold("《“十四五”全国清洁生产推行方案》") == "十四五全国清洁生产推行方案"
    assert search_terms.fold("清潔生產審核 電鍍、廣州。") == "清洁生产审核电镀广州"
    assert search_terms.fold("ＶＯＣｓ（挥发性有机物）") == "vocs挥发性有机物"
    assert search_terms.fold("发改环资〔2021〕1524号") == search_terms.fold("发改环资[2021]1524号")
    assert search_terms.fold("Zhànjiāng") == "zhanjiang"
    # A simplified character stays itself even where a regional table reads it as a variant (么 → 幺).
    assert search_terms.fold("什么是") == "什么是"


def test_the_index_ships_only_the_character_pairs_its_text_needs(index, built_site):
    pairs = index["t2s"]
    table = dict(zip(pairs[0::2], pairs[1::2]))
    assert {"潔": "洁", "鍍": "镀", "廣": "广", "審": "审"}.items() <= table.items()
    everything = search_terms.traditional_to_simplified()
    assert table.items() <= everything.items()
    assert len(table) < len(everything) / 2, "only the variants of characters the site's text holds"
    sections = json.loads((built_site / search_index.TEXT_JSON).read_text(encoding="utf-8"))["sections"]
    text = search_terms.fold(
        "".join(p[1] + p[2] for p in index["pages"])
        + "".join(s[2] + s[3] for s in sections)
        + "".join(f for g in index["terms"] for f in g[2:])
    )
    assert set(table.values()) <= set(text), "a pair whose simplified form the site never prints"
    assert len(gzip.compress(pairs.encode("utf-8"))) < 8_000


def test_every_city_sector_and_glossary_term_is_a_group_of_its_names(index):
    urls = [p[0] for p in index["pages"]]
    groups = {(urls[g[0]] if g[0] >= 0 else None, g[1]): g[2:] for g in index["terms"]}
    for row in CITIES.itertuples():
        forms = groups[(f"cities/{row.city_code}/", "")]
        assert {
            search_terms.fold(row.city_name),
            search_terms.fold(row.city_short),
            search_terms.fold(row.city_en),
        } <= set(forms)
    assert "shenzhenshi" in groups[(city("深圳"), "")], "pinyin of the full name"
    for row in SECTORS.itertuples():
        assert {search_terms.fold(row.name_zh), search_terms.fold(row.name_en)} <= set(
            groups[(f"sectors/{row.sector_code}/", "")]
        )
    for row in GLOSSARY.itertuples():
        expected = {search_terms.fold(f) for f in [row.term, *row.synonyms.split(";")] if f}
        assert expected <= set(groups[("guide/", f"term-{row.term_id}")]), row.term_id
    assert "余热" in index["words"].split(), "words of page titles split unspaced queries too"


def test_a_policy_page_is_keyed_by_its_document_number(index):
    urls = [p[0] for p in index["pages"]]
    keys = {urls[int(n)]: key for n, key in index["keys"].items()}
    numbered = POLICIES.dropna(subset=["doc_number"])
    assert keys == {f"policies/{row.policy_id}/": row.doc_number for row in numbered.itertuples()}


def test_the_relevance_set_is_large_varied_and_names_real_pages(index):
    judgements = recall.load_relevance()
    assert len(judgements) >= 80
    kinds = [j.kind for j in judgements]
    assert all(kinds.count(kind) >= 4 for kind in recall.KINDS), {k: kinds.count(k) for k in recall.KINDS}
    urls = {p[0] for p in index["pages"]}
    assert not [(j.query, p) for j in judgements for p in j.expected if p not in urls]
    assert len({j.query for j in judgements}) == len(judgements)


def test_a_malformed_relevance_row_is_named_by_file_row_field_and_value(tmp_path):
    bad = tmp_path / "relevance.csv"
    bad.write_text(
        "query,kind,expected,within,note\n电镀,simplified,sectors/electroplating/,1,\n"
        "东莞电镀,unspaced,cities/441900/;sectors/electroplating/,5,\n",
        encoding="utf-8",
    )
    with pytest.raises(recall.RelevanceError, match=r"relevance.csv 第 3 行，字段 within，值 “5”"):
        recall.load_relevance(bad)
    bad.write_text("query,kind,expected,within,note\n电镀,chinese,sectors/electroplating/,1,\n", encoding="utf-8")
    with pytest.raises(recall.RelevanceError, match=r"第 2 行，字段 kind，值 “chinese”"):
        recall.load_relevance(bad)


# --- in the browser ----------------------------------------------------------------------------------


def open_box(page, site_url: str):
    page.goto(site_url + "/")
    page.keyboard.press("/")
    expect(page.locator("input.md-search__input")).to_be_focused()
    page.evaluate(EXPOSE_SEARCH)


def typed(page, query: str) -> list[str]:
    """Types a query into the header box (one input event, as an IME's commit) and returns the result links."""
    box = page.locator("input.md-search__input")
    box.fill(query)
    meta = page.locator(".md-search-result__meta")
    # A count first (before the module has come the box still says 键入以开始搜索), then the final one.
    expect(meta).to_have_text(re.compile("找到|没有找到"))
    expect(meta).not_to_contain_text("正在")
    links = page.locator("li:not(.site-search__more) > a.md-search-result__link")
    return [re.sub(r"^https?://[^/]+/", "", href) for href in links.evaluate_all("as => as.map(a => a.href)")]


def page_of(link: str) -> str:
    return link.split("#", 1)[0]


@pytest.mark.browser
def test_the_relevance_set_scores_and_finds_every_page_a_substring_scan_finds(page, site_url, built_site):
    page.goto(site_url + "/")
    result = recall.run_relevance(page, built_site)
    summary = result.summary()
    assert summary["success"] >= 0.95, summary["failed"]
    assert summary["at3"] >= 0.95, summary["failed"]
    assert summary["recall"] == 1.0, summary["missed"]
    assert summary["scanned"] > 500
    # The browser folds exactly as the build does.
    samples = [
        "《“十四五”全国清洁生产推行方案》",
        "清潔生產審核",
        "ＶＯＣｓ",
        "Zhànjiāng",
        "无/低费方案",
        "什么是",
        "NH₃-N",
    ]
    page.evaluate(EXPOSE_SEARCH)
    folded = page.evaluate("xs => Promise.all(xs.map(x => gdSearch.fold(x)))", samples)
    assert folded == [search_terms.fold(s) for s in samples]
    assert not page.console_errors, page.console_errors


@pytest.mark.browser
def test_unspaced_queries_split_into_the_sites_terms(page, site_url):
    open_box(page, site_url)
    links = typed(page, "东莞电镀")
    assert {page_of(x) for x in links[:2]} == {city("东莞"), sector("电镀")}
    assert page.locator(".md-search-result__link mark").first.is_visible()
    assert page_of(typed(page, "什么是清洁生产审核")[0]) == "guide/"
    # The fallback: words in no page as typed still find the pages holding half their two-character
    # pieces, ranked below every page that holds the query as typed.
    tiers = page.evaluate("gdSearch.query('蒸发零排放技术').then(r => r.map(x => x.tier))")
    assert 1 in tiers and 2 in tiers and tiers == sorted(tiers, reverse=True)


@pytest.mark.browser
def test_traditional_characters_find_and_mark_the_simplified_text(page, site_url):
    open_box(page, site_url)
    assert page_of(typed(page, "電鍍")[0]) == sector("电镀")
    expect(page.locator(".md-search-result__link").first.locator("h1 mark").first).to_have_text("电镀")
    assert page_of(typed(page, "廣州")[0]) == city("广州")
    simplified = page.evaluate("gdSearch.query('清洁生产审核').then(r => r.map(x => x.page))")
    assert page.evaluate("gdSearch.query('清潔生產審核').then(r => r.map(x => x.page))") == simplified


@pytest.mark.browser
def test_punctuation_and_width_do_not_block_a_match(page, site_url):
    plan = POLICIES.loc[POLICIES["title"].str.contains("十四五"), "policy_id"].item()
    open_box(page, site_url)
    assert page_of(typed(page, "十四五全国清洁生产推行方案")[0]) == f"policies/{plan}/"
    assert page_of(typed(page, "《“十四五”全国清洁生产推行方案》")[0]) == f"policies/{plan}/"
    expect(page.locator(".md-search-result__link").first.locator("h1 mark").first).to_contain_text("十四五")
    assert page_of(typed(page, "发改环资[2021]1524号")[0]) == f"policies/{plan}/"
    half = page.evaluate("gdSearch.query('VOCs').then(r => r.map(x => x.page))")
    assert page.evaluate("gdSearch.query('ＶＯＣｓ').then(r => r.map(x => x.page))") == half


@pytest.mark.browser
def test_an_abbreviation_and_its_full_term_find_the_same_pages_ranked_alike(page, site_url):
    open_box(page, site_url)
    for row in GLOSSARY[GLOSSARY["term_id"].isin(["vocs", "cod", "nox", "trt", "cdq"])].itertuples():
        abbreviation = row.synonyms.split(";")[0]
        short = page.evaluate(
            "q => gdSearch.query(q).then(r => r.filter(x => x.tier >= 3).map(x => x.page))", abbreviation
        )
        full = page.evaluate("q => gdSearch.query(q).then(r => r.filter(x => x.tier >= 3).map(x => x.page))", row.term)
        assert short == full and "guide/" in short[:2], (row.term, abbreviation)
    first = typed(page, "NOx")[0]
    assert first == "guide/#term-nox"


@pytest.mark.browser
def test_english_names_and_pinyin_find_cities_and_sectors(page, site_url):
    open_box(page, site_url)
    for query, expected in [
        ("Shenzhen", city("深圳")),
        ("shenzhen", city("深圳")),
        ("Zhànjiāng", city("湛江")),
        ("guangzhoushi", city("广州")),
        ("Iron and steel", sector("钢铁")),
        ("Electroplating", sector("电镀")),
    ]:
        assert page_of(typed(page, query)[0]) == expected, query


@pytest.mark.browser
def test_results_offer_the_directory_which_matches_names_and_sectors(page, site_url):
    records = pd.read_csv(DATA / "enterprises" / "accepted_enterprises.csv", dtype=str)
    name = records["enterprise_name"].iloc[0].replace("（示例）", "")
    open_box(page, site_url)
    typed(page, name)
    offer = page.locator("a.site-search__directory")
    expect(offer).to_have_text(f"在企业名录中搜索「{name}」")
    assert offer.get_attribute("href").endswith("enterprises/?q=" + quote(name))
    expect(offer.locator("xpath=..").locator(".site-search__sample")).to_have_text("含示例数据")
    offer.click()
    page.locator("#enterprise-directory.dir-ready").wait_for()
    expect(page.locator("#dir-q")).to_have_value(name)
    expected = int(records["enterprise_name"].str.contains(name, regex=False).sum())
    assert expected >= 1
    expect(page.locator("#dir-count")).to_have_attribute("data-count", str(expected))
    # The box also matches the key sector by name: Dongguan 电镀 counts as many as the sector filter.
    dongguan, plating = city("东莞").split("/")[1], sector("电镀").split("/")[1]
    by_sector = int(((records["city_code"] == dongguan) & (records["sector_code"] == plating)).sum())
    by_name = int(((records["city_code"] == dongguan) & records["enterprise_name"].str.contains("电镀")).sum())
    assert by_sector > by_name
    page.goto(site_url + f"/enterprises/?q={quote('电镀')}&city={dongguan}")
    page.locator("#enterprise-directory.dir-ready").wait_for()
    expect(page.locator("#dir-count")).to_have_attribute("data-count", str(by_sector))
    assert "重点行业" in page.locator("#dir-q").get_attribute("placeholder")
    assert not page.console_errors, page.console_errors


@pytest.mark.browser
def test_no_result_suggests_sections_and_the_directory(page, site_url):
    open_box(page, site_url)
    assert typed(page, "qqxyzzy") == []
    expect(page.locator(".md-search-result__meta")).to_have_text("没有找到符合条件的结果")
    suggested = page.locator(".site-search__suggest a").evaluate_all("as => as.map(a => a.getAttribute('href'))")
    assert {"guide/", "cities/", "sectors/"} <= {re.sub(r"^https?://[^/]+/", "", h) for h in suggested}
    expect(page.locator("a.site-search__directory")).to_have_text("在企业名录中搜索「qqxyzzy」")
    assert not page.console_errors, page.console_errors


def test_the_about_page_explains_what_search_folds_and_how_it_ranks(built_site):
    html = (built_site / "about" / "index.html").read_text(encoding="utf-8")
    section = html[re.search(r"<h2[^>]*>站内搜索", html).end() :]
    section = section.split("<h2")[0].split("</article>")[0]
    for said in (
        "繁体字转为简体字",
        "OpenCC",
        "全角和半角",
        "书名号",
        "东莞电镀",
        "挥发性有机物",
        "相邻两字",
        "排名",
        "在企业名录中搜索",
        "最接近的栏目",
    ):
        assert said in section, said
