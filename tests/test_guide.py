"""The guide for enterprises and the public, the glossary behind it, and the home page's first screen."""

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

from builder import pipeline
from builder.render.formatting import number
from builder.validate import validate
from helpers import DATA, settings_for

GLOSSARY = DATA / "reference" / "glossary.csv"
PLATFORM = "http://www.gdqjsc.com/"


def glossary() -> pd.DataFrame:
    return pd.read_csv(GLOSSARY, dtype=str, keep_default_na=False)


class Blocks(HTMLParser):
    """The guide's article as (section id, block tag, text, links, has citation) for p/li/dd blocks."""

    BLOCKS = {"p", "li", "dd"}

    def __init__(self):
        super().__init__()
        self.section, self.blocks, self.stack, self.in_nav = None, [], [], False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "nav":
            self.in_nav = True
        if tag == "h2":
            self.section = attrs.get("id")
        if tag in self.BLOCKS and not self.in_nav:
            self.stack.append({"section": self.section, "tag": tag, "text": "", "links": [], "cited": False})
        if self.stack:
            if tag == "a" and attrs.get("href"):
                self.stack[-1]["links"].append(attrs["href"])
            if "cite" in (attrs.get("class") or "").split():
                self.stack[-1]["cited"] = True

    def handle_endtag(self, tag):
        if tag == "nav":
            self.in_nav = False
        if tag in self.BLOCKS and self.stack and self.stack[-1]["tag"] == tag:
            block = self.stack.pop()
            if self.stack:  # a nested block's citation covers its parent too
                self.stack[-1]["cited"] |= block["cited"]
                self.stack[-1]["links"] += block["links"]
            self.blocks.append(block)

    def handle_data(self, data):
        for block in self.stack:
            block["text"] += data


def article(html: str) -> str:
    return html[html.index("<article") : html.index("</article>")]


@pytest.fixture(scope="module")
def guide_html(built_site) -> str:
    return (built_site / "guide" / "index.html").read_text(encoding="utf-8")


def test_every_statement_of_the_guide_cites_its_source(guide_html):
    parser = Blocks()
    parser.feed(article(guide_html))
    statements = [
        b
        for b in parser.blocks
        if b["section"] in {"what", "who", "modes", "steps", "acceptance", "published", "example"}
        and b["tag"] in {"p", "li"}
        and b["text"].strip()
    ]
    assert len(statements) >= 15
    # A statement cites a document of the site (a .cite span), or is a step/fact of a block whose lead-in cites,
    # or links an official page directly (the Zhongshan bureau's own report).
    uncited = []
    for section in {b["section"] for b in statements}:
        blocks = [b for b in statements if b["section"] == section]
        section_cited = any(b["cited"] or any(".gov.cn" in link for link in b["links"]) for b in blocks)
        uncited += [b["text"][:40] for b in blocks if not section_cited]
    assert not uncited
    cited_paragraphs = [b for b in statements if b["tag"] == "p" and b["cited"]]
    assert len(cited_paragraphs) >= 8


def test_the_guide_states_the_steps_deadlines_and_the_real_failed_acceptance(guide_html):
    text = re.sub(r"<[^>]+>", "", article(guide_html))
    for fact in ("一个月内", "两个月内", "一年内", "3 月 15 日", "粤工信节能函〔2023〕4号"):
        assert fact in text, fact
    assert f'href="{PLATFORM}"' in guide_html
    # The real example comes from the public record's audit_outcomes, an official (O) page, linked.
    outcomes = pd.read_csv(DATA / "public-record" / "audit_outcomes.csv", dtype=str, keep_default_na=False)
    assert len(outcomes) >= 1
    for o in outcomes.itertuples():
        for value in (
            o.enterprise_name,
            o.list_doc_number,
            f"共提出 {o.measures_total} 项方案",
            f"{number(int(o.wastewater_t))} 吨",
            f"每年 {number(int(o.approved_wastewater_t_a))} 吨",
            o.outcome,
            o.consequence,
            *o.high_cost_measures.split(";"),
        ):
            assert value in text, value
        assert (f'href="{o.read_at}"' in guide_html) == (o.trust in {"O", "A"})
    # The audit modes come from the reference data, not the template.
    modes = pd.read_csv(DATA / "reference" / "audit_modes.csv")
    for name, description in zip(modes["name_zh"], modes["description"]):
        assert f'<th scope="row">{name}</th><td>{description}</td>' in guide_html


def test_the_real_outcome_is_transcribed_from_real_data_exactly():
    notes = (Path(__file__).parent / "sources" / "REAL-DATA.md").read_text(encoding="utf-8")
    paragraph = notes[notes.index("One real enterprise-level outcome") : notes.index("## 4.")]
    outcome = pd.read_csv(DATA / "public-record" / "audit_outcomes.csv", dtype=str, keep_default_na=False).iloc[0]
    for field in (
        "enterprise_name",
        "list_doc_number",
        "audit_start",
        "audit_end",
        "measures_total",
        "measures_high_cost",
        "wastewater_t",
        "approved_wastewater_t_a",
        "published_date",
        "read_at",
    ):
        assert outcome[field] in paragraph, field
    for measure in outcome["high_cost_measures"].split(";"):
        assert measure in paragraph
    assert outcome["trust"] == "O" and "评估验收不通过" in paragraph and outcome["outcome"] == "评估验收不通过"


def test_the_glossary_section_lists_every_term_with_its_synonyms_and_sources(guide_html):
    terms = glossary()
    policies = pd.read_csv(DATA / "policies" / "policies.csv", dtype=str).set_index("policy_id")["title"]
    for row in terms.itertuples():
        entry = re.search(rf'<dt id="term-{row.term_id}">(.*?)</dd>', guide_html, re.S)
        assert entry, row.term_id
        assert row.term in entry.group(1)
        for synonym in filter(None, row.synonyms.split(";")):
            assert synonym in entry.group(1)
        for policy_id in filter(None, row.source_policy_ids.split(";")):
            assert f"../policies/{policy_id}/" in entry.group(1) and policies[policy_id] in entry.group(1)
        assert row.source_policy_ids or row.source_note, f"{row.term_id}: no source at all"


def test_glossary_abbreviations_become_tooltips_on_pages(built_site):
    notice = (built_site / "policies/gd-2022-cleaner-production-notice/index.html").read_text(encoding="utf-8")
    assert '<abbr title="挥发性有机物">VOCs</abbr>' in notice
    # Only Latin abbreviations: a Chinese synonym never becomes an <abbr> (no word boundaries in Chinese).
    for title in re.findall(r'<abbr title="[^"]*">([^<]*)</abbr>', notice):
        assert re.fullmatch(r"[A-Za-z][A-Za-z0-9₂₃\-]*", title)


def test_search_finds_the_glossary_by_abbreviation_and_by_full_term(built_site):
    pages = json.loads((built_site / "search/pages.json").read_text(encoding="utf-8"))["pages"]
    sections = json.loads((built_site / "search/text.json").read_text(encoding="utf-8"))["sections"]
    guide = [page[0] for page in pages].index("guide/")
    guide_text = " ".join(section[3] for section in sections if section[0] == guide)
    for word in ("VOCs", "挥发性有机物", "COD", "化学需氧量", "TRT", "高炉煤气余压透平发电"):
        assert word in guide_text, word


@pytest.mark.parametrize(
    "page", ["index.html", "sectors/electroplating/index.html", "policies/gd-2022-cleaner-production-notice/index.html"]
)
def test_the_guide_is_linked_from_home_every_sector_page_and_the_notice(built_site, page):
    html = (built_site / page).read_text(encoding="utf-8")
    assert re.search(r'href="(\.\./)*guide/"', html), page


def test_every_sector_page_links_the_guide(built_site):
    sectors = pd.read_csv(DATA / "reference" / "sectors.csv", dtype=str)["sector_code"]
    missing = [
        code
        for code in sectors
        if 'href="../../guide/"' not in (built_site / f"sectors/{code}/index.html").read_text(encoding="utf-8")
    ]
    assert not missing


def test_an_unknown_source_document_in_the_glossary_is_a_validation_error(data_copy):
    path = data_copy / "reference" / "glossary.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("vocs,挥发性有机物,VOCs;VOC,", "vocs,挥发性有机物,VOCs;VOC,", 1).replace(
            ",gd-2022-cleaner-production-notice,二、（一）,\ncod", ",gd-2099-notice,二、（一）,\ncod", 1
        ),
        encoding="utf-8",
    )
    result = validate(data_copy)
    errors = [p for p in result.problems if p.rule == "cross-package-key"]
    assert len(errors) == 1
    assert errors[0].field == "source_policy_ids" and errors[0].value == "gd-2099-notice"
    assert errors[0].row == glossary().index[glossary()["term_id"] == "vocs"][0] + 2  # header is row 1


# --- Home page --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def home(built_site) -> str:
    return (built_site / "index.html").read_text(encoding="utf-8")


def test_home_says_when_the_latest_official_figures_were_published_and_by_whom(home):
    sources = pd.read_csv(DATA / "audit-statistics" / "sources.csv", dtype=str)
    latest = sources.sort_values("issued_date").iloc[-1]
    year, month, day = (int(x) for x in latest["issued_date"].split("-"))
    facts = re.sub(r"<[^>]+>", "", home[home.index('id="home-facts"') :])
    facts = facts[: facts.index("查地市")]
    assert f"{latest['title']}》（{year}年{month}月{day}日）" in facts  # as running text writes dates
    assert "发布者" in facts and "不是官方平台" in facts
    assert "企业名录和技术案例目前是" in facts and "示例" in facts


def test_home_offers_every_city_the_guide_sectors_and_open_data(built_site, home):
    cities = pd.read_csv(DATA / "reference" / "cities.csv", dtype=str)
    picker = home[home.index('id="home-entry"') :]
    for code, short in zip(cities["city_code"], cities["city_short"]):
        assert f'<a href="cities/{code}/">{short}</a>' in picker
        assert (built_site / f"cities/{code}/index.html").is_file()
    for code in pd.read_csv(DATA / "reference" / "sectors.csv", dtype=str)["sector_code"]:
        assert f'href="sectors/{code}/"' in picker
    assert 'href="guide/"' in picker and 'href="data/"' in picker


def test_home_names_no_sample_section_once_the_packages_are_not_samples(project_copy, tmp_path):
    for name in ("enterprises", "technology-cases"):
        path = project_copy / "datapackages" / name / "datapackage.json"
        descriptor = json.loads(path.read_text(encoding="utf-8"))
        descriptor.pop("x-sample")
        path.write_text(json.dumps(descriptor, ensure_ascii=False, indent=2), encoding="utf-8")
    result = pipeline.build(settings_for(project_copy, tmp_path / "site"))
    assert result.site is not None
    home = (result.site / "index.html").read_text(encoding="utf-8")
    assert "示例数据" not in home[home.index('id="home-facts"') : home.index('id="home-entry"')]
    assert "最新官方数字" in home


@pytest.mark.browser
def test_a_phone_reader_reaches_a_city_and_the_guide_from_the_first_screen(browser, site_url):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    tab = context.new_page()
    tab.goto(site_url)
    link = tab.get_by_role("link", name="深圳", exact=True)
    link.scroll_into_view_if_needed()
    link.click()
    tab.wait_for_url("**/cities/440300/")
    assert tab.locator("h1").inner_text() == "深圳市"
    tab.goto(site_url)
    tab.get_by_role("link", name="阅读办事指南").click()
    tab.wait_for_url("**/guide/")
    assert tab.locator("h1").inner_text() == "清洁生产审核办事指南"
    width = tab.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "the guide scrolls sideways on a phone"
    tab.locator("nav.guide-contents").get_by_role("link", name="术语").click()
    assert tab.locator("#term-vocs").is_visible()
    context.close()


def test_the_guide_has_no_duplicate_ids(guide_html):
    ids = re.findall(r'\sid="([^"]+)"', guide_html)
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})
