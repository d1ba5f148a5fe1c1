"""Who runs the site, said on every page from the settings, and 纠错 (report an error) links that name
the page, dataset, version and figure.

The built site (`built_site`) uses the shipped settings' defaults: not the official platform, no e-mail.
A project copy built with `official = true` and a contact e-mail shows the other side.
"""

from __future__ import annotations

import dataclasses
import functools
import http.server
import json
import re
import threading
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pandas as pd
import pytest

from builder import pipeline
from builder.publish import SiteBuildError, generator, privacy
from builder.settings import PROJECT_ROOT, Contact, Settings, _contact, _flag, make_settings
from builder.validate import checks
from helpers import DATA, settings_for

DEFAULTS = Settings(root=PROJECT_ROOT, data_dir=DATA, out_dir=PROJECT_ROOT / "site", source_date_epoch=0)
LICENSE = dict(DEFAULTS.default_license)
PLATFORM = dict(DEFAULTS.official_platform)
# Pages of every kind that shows data, plus hand-written ones, a page filled into a shell and the 404 page.
SAMPLE_PAGES = [
    "index.html",
    "cities/index.html",
    "cities/440300/index.html",
    "policies/gd-2022-cleaner-production-notice/index.html",
    "data/index.html",
    "data/audit-statistics/index.html",
    "data/validation/index.html",
    "enterprises/index.html",
    "cases/index.html",
    "cases/TC-001/index.html",
    "sectors/index.html",
    "about/index.html",
    "feedback/index.html",
    "404.html",
]
TEST_EMAIL = "corrections@example.org"  # example.org is reserved for documentation: nobody's address


def version_of(package: str) -> str:
    return json.loads((DATA / package / "datapackage.json").read_text(encoding="utf-8"))["version"]


def footer(html: str) -> str:
    match = re.search(r'<div class="md-copyright site-identity">(.*?)</div>', html, re.S)
    assert match, "no site-identity footer"
    return match.group(1)


def feedback_query(html: str) -> dict[str, str]:
    href = re.search(r'<a class="feedback-link" data-feedback[^>]* href="([^"]+)"', html).group(1)
    return {
        key: values[0]
        for key, values in parse_qs(urlsplit(href.replace("&amp;", "&")).query, keep_blank_values=True).items()
    }


# --- settings ------------------------------------------------------------------------------------


def test_the_shipped_settings_publish_no_email_and_do_not_claim_to_be_official():
    shipped = make_settings(environ={})
    assert shipped.contact.email == "" and shipped.contact.name
    assert shipped.official is False
    assert dict(shipped.official_platform)["url"] == "http://www.gdqjsc.com/"
    assert shipped.publishable_contacts == shipped.public_contacts


def test_settings_refuse_a_quoted_boolean_and_unknown_contact_keys():
    with pytest.raises(ValueError, match="official 必须是 true 或 false"):
        _flag({"official": "false"}, "official", False)
    with pytest.raises(ValueError, match="phone"):
        _contact({"name": "维护组", "phone": "020-1234"})
    assert _contact({"email": TEST_EMAIL}) == Contact(name=DEFAULTS.contact.name, email=TEST_EMAIL)


def test_a_configured_contact_email_is_publishable_and_no_other_is(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text(f'<a href="mailto:{TEST_EMAIL}">{TEST_EMAIL}</a>', encoding="utf-8")
    configured = dataclasses.replace(DEFAULTS, contact=Contact(name="维护组", email=TEST_EMAIL))
    assert TEST_EMAIL in configured.publishable_contacts
    privacy.refuse_personal_data(configured, site)  # passes
    with pytest.raises(SiteBuildError, match=re.escape(TEST_EMAIL)):
        privacy.refuse_personal_data(DEFAULTS, site)


def test_the_identity_reaches_mkdocs_as_variables_mkdocs_yml_reads():
    variables = generator.identity_environment(DEFAULTS)
    config = (PROJECT_ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    for name in variables:
        assert f"!ENV [{name}," in config, name
    assert variables["GD_OFFICIAL"] == "false" and variables["GD_CONTACT_EMAIL"] == ""
    assert variables["GD_OFFICIAL_URL"] == PLATFORM["url"]


def test_no_email_address_is_written_into_code_templates_or_pages():
    roots = ["builder", "templates", "overrides", "docs", "mkdocs.yml", "pyproject.toml"]
    found = []
    for root in roots:
        path = PROJECT_ROOT / root
        for file in [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file()):
            if file.suffix in {".py", ".j2", ".html", ".md", ".js", ".css", ".yml", ".toml", ".json", ".svg"}:
                text = file.read_text(encoding="utf-8")
                found += [(str(file.relative_to(PROJECT_ROOT)), m.group(0)) for m in privacy.EMAIL.finditer(text)]
    assert found == []


# --- the built site -------------------------------------------------------------------------------


def test_every_page_has_the_footer_with_publisher_contact_licence_and_disclaimer(built_site):
    pages = sorted(built_site.rglob("*.html"))
    assert len(pages) > 100
    for path in pages:
        html = path.read_text(encoding="utf-8")
        if 'http-equiv="refresh"' in html:
            continue  # a redirect stub, not a page
        text = footer(html)
        where = str(path.relative_to(built_site))
        assert f"发布：{DEFAULTS.publisher}" in text, where
        assert f"联系：{DEFAULTS.contact.name}" in text, where
        assert f'<a href="{LICENSE["path"]}" rel="license">{LICENSE["title"]}</a>' in text, where
        assert "本站不是官方平台" in text and f'<a href="{PLATFORM["url"]}">{PLATFORM["name"]}</a>' in text, where
        assert "mailto:" not in text, where


def test_the_feedback_link_names_the_page_and_its_dataset_and_version(built_site):
    def query(page):
        return feedback_query((built_site / page).read_text(encoding="utf-8"))

    assert query("data/audit-statistics/index.html") == {
        "page": "/data/audit-statistics/",
        "dataset": "audit-statistics",
        "version": version_of("audit-statistics"),
    }
    assert query("cities/440300/index.html") == {
        "page": "/cities/440300/",
        "dataset": "audit-statistics",
        "version": version_of("audit-statistics"),
    }
    for page, dataset in [
        ("index.html", "audit-statistics"),
        ("guide/index.html", "reference"),
        ("partners/index.html", "public-record"),
        ("cities/notices/index.html", "public-record"),
        ("policies/targets-2025/index.html", "public-record"),
        ("policies/index.html", "policies"),
    ]:
        assert query(page)["dataset"] == dataset and query(page)["version"] == version_of(dataset), page
    assert query("policies/gd-2022-cleaner-production-notice/index.html")["dataset"] == "policies"
    assert query("enterprises/index.html") == {
        "page": "/enterprises/",
        "dataset": "enterprises",
        "version": version_of("enterprises"),
    }
    assert query("sectors/index.html")["version"] == version_of("technology-cases")
    # A page filled into a shell names itself, not the shell, and the record it shows.
    assert query("cases/TC-001/index.html") == {
        "page": "/cases/TC-001/",
        "dataset": "technology-cases",
        "version": version_of("technology-cases"),
        "item": "技术案例 TC-001",
    }
    assert query("cases/TC-002/index.html")["item"] == "技术案例 TC-002"
    # Its one record is the page: the footer link does not ask for the per-table script.
    assert "data-dataset=" not in footer((built_site / "cases/TC-001/index.html").read_text(encoding="utf-8"))
    for page in SAMPLE_PAGES:
        expected = "" if page == "404.html" else "/" + page.removesuffix("index.html")  # the referrer names it
        assert feedback_query((built_site / page).read_text(encoding="utf-8"))["page"] == expected, page


def test_the_about_page_says_who_maintains_the_site_and_how_to_report_an_error(built_site):
    html = (built_site / "about/index.html").read_text(encoding="utf-8")
    identity = re.search(r'<div id="site-identity">(.*?)</div>', html, re.S).group(1)
    assert f"本站由{DEFAULTS.contact.name}维护" in identity and DEFAULTS.publisher in identity
    assert "本站不是官方平台" in identity and f'href="{PLATFORM["url"]}"' in identity
    assert "尚未公布收件邮箱或网址" in identity
    assert 'id="更正"' in html and 'href="../feedback/"' in html and "纠错" in html


def test_the_feedback_page_without_an_email_says_so_and_offers_copying(built_site):
    html = (built_site / "feedback/index.html").read_text(encoding="utf-8")
    assert 'id="feedback-message"' in html and 'id="feedback-copy"' in html
    assert "feedback-mailto" not in html and "尚未公布收件邮箱或网址" in html


def test_the_validation_report_lists_the_transcription_check(built_site):
    html = (built_site / "data/validation/index.html").read_text(encoding="utf-8")
    assert "<code>check_transcriptions</code>" in html
    assert checks.transcriptions.TITLE in html


class _Markup(HTMLParser):
    """Elements inside the blocks this feature writes, for the Nu checker's rules on ARIA."""

    INTERACTIVE = {"a", "button", "input", "select", "textarea", "details", "summary"}

    def __init__(self, roots: set[str]) -> None:
        super().__init__()
        self.roots, self.depth, self.faults = roots, 0, []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        inside = (
            self.depth > 0
            or attributes.get("id") in self.roots
            or (tag == "div" and "site-identity" in (attributes.get("class") or ""))
        )
        if not inside:
            return
        if tag not in ("br", "input", "img"):
            self.depth += 1
        if tag == "a" and "role" in attributes:
            self.faults.append(f"role on a link: {attrs}")
        if "aria-label" in attributes and tag not in self.INTERACTIVE and "role" not in attributes:
            self.faults.append(f"aria-label on non-interactive <{tag}>")

    def handle_endtag(self, tag):
        if self.depth:
            self.depth -= 1


def test_the_footer_and_feedback_markup_follow_the_nu_checker_aria_rules(built_site):
    for page in SAMPLE_PAGES:
        parser = _Markup({"feedback-form", "site-identity"})
        parser.feed((built_site / page).read_text(encoding="utf-8"))
        assert parser.faults == [], page


# --- an official site with a configured e-mail -----------------------------------------------------


@pytest.fixture(scope="module")
def official_site(tmp_path_factory) -> Path:
    from helpers import copy_project

    root = copy_project(tmp_path_factory.mktemp("official-project"))
    settings = dataclasses.replace(
        settings_for(root, root / "site"), official=True, contact=Contact(name="测试维护组", email=TEST_EMAIL)
    )
    result = pipeline.build(settings)  # the privacy audit lets the configured address through
    assert result.validation.valid
    return result.site


def test_an_official_site_has_no_disclaimer_and_shows_the_configured_email(official_site):
    for page in SAMPLE_PAGES:
        html = (official_site / page).read_text(encoding="utf-8")
        text = footer(html)
        assert "本站不是官方平台" not in html, page
        assert f'<a href="mailto:{TEST_EMAIL}">{TEST_EMAIL}</a>' in text and "测试维护组" in text, page
    about = (official_site / "about/index.html").read_text(encoding="utf-8")
    assert f"本站是{PLATFORM['name']}的官方站点" in about
    feedback = (official_site / "feedback/index.html").read_text(encoding="utf-8")
    assert f'href="mailto:{TEST_EMAIL}?subject=' in feedback and "尚未公布" not in feedback


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def _serve(site: Path):
    handler = functools.partial(_Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.mark.browser
def test_a_configured_email_opens_prefilled_with_page_dataset_version_and_table(official_site, browser):
    server = _serve(official_site)
    url = f"http://127.0.0.1:{server.server_address[1]}"
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    try:
        tab = context.new_page()
        tab.goto(url + "/data/audit-statistics/", wait_until="networkidle")
        link = tab.locator("a.feedback-item").first
        item = link.get_attribute("data-item")
        assert item.startswith("表格：") and "#dataset-metadata" in item
        link.click()
        tab.wait_for_selector("#feedback-mailto")
        tab.wait_for_function("document.getElementById('feedback-message')?.value.includes('版本')")
        href = tab.locator("#feedback-mailto").get_attribute("href")
        assert href.startswith(f"mailto:{TEST_EMAIL}?subject=")
        query = parse_qs(urlsplit(href).query)
        subject, body = unquote(query["subject"][0]), unquote(query["body"][0])
        assert subject.startswith("纠错：") and item in subject
        assert f"{url}/data/audit-statistics/#dataset-metadata" in body
        assert f"数据集：audit-statistics，版本 {version_of('audit-statistics')}" in body
        assert f"位置：{item}" in body
        # An edit in the box goes into the e-mail.
        tab.locator("#feedback-message").fill(body + "\n附注：测试")
        assert "%E9%99%84%E6%B3%A8" in tab.locator("#feedback-mailto").get_attribute("href")
        # The footer's link of a page filled into a shell: the 纠错 page reads the title from the page.
        tab.goto(url + "/cases/TC-001/", wait_until="networkidle")
        title = tab.locator("article h1").inner_text().strip()
        tab.locator("a.feedback-link").click()
        tab.wait_for_url("**/feedback/**")  # the predicate below reads the 纠错 page, not the case page
        quoted = json.dumps(title, ensure_ascii=False)
        tab.wait_for_function(f"document.getElementById('feedback-message')?.value.startsWith('页面：' + {quoted})")
        body = unquote(parse_qs(urlsplit(tab.locator("#feedback-mailto").get_attribute("href")).query)["body"][0])
        assert body.startswith(f"页面：{title}（{url}/cases/TC-001/）")
        assert (
            f"数据集：technology-cases，版本 {version_of('technology-cases')}" in body
            and "位置：技术案例 TC-001" in body
        )
    finally:
        context.close()
        server.shutdown()


# --- 纠错 beside the figures of /cities/, on a phone ------------------------------------------------


@pytest.mark.browser
def test_feedback_on_a_chart_and_a_table_row_of_the_cities_page_on_a_phone(browser, site_url):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    try:
        tab = context.new_page()
        errors = []
        tab.on("pageerror", lambda error: errors.append(str(error)))
        tab.goto(site_url + "/cities/", wait_until="networkidle")
        links = tab.locator("a.feedback-item")
        assert links.count() >= 3
        # Nu checker's rules hold for what the script adds too.
        assert (
            tab.evaluate("""() => [...document.querySelectorAll('a.feedback-item, .feedback-item__wrap')]
            .filter(e => e.hasAttribute('role') || (e.tagName !== 'A' && e.hasAttribute('aria-label'))).length""")
            == 0
        )

        # A table row clicked first is named in the table's link.
        tab.locator("#city-table tbody tr", has_text="深圳市").locator("td").nth(1).click()  # not the city link
        table_link = tab.locator("a.feedback-item[data-item*='#city-table']")
        assert "深圳市" in table_link.inner_text()
        assert "深圳市" in parse_qs(urlsplit(table_link.get_attribute("href")).query)["item"][0]

        chart = tab.locator(".chart-figure").first
        caption = chart.locator("figcaption").inner_text().strip()
        chart.locator("a.feedback-item").click()
        tab.wait_for_url("**/feedback/**")
        tab.wait_for_function("document.getElementById('feedback-message')?.value.includes('版本')")
        message = tab.locator("#feedback-message").input_value()
        assert message.startswith("页面：地市统计（" + site_url + "/cities/#chart-")
        assert f"数据集：audit-statistics，版本 {version_of('audit-statistics')}" in message
        assert f"位置：图表：{caption}" in message
        assert tab.locator("#feedback-copy").is_visible()
        assert tab.locator("#feedback-message").bounding_box()["width"] <= 390
        assert errors == []
    finally:
        context.close()


def test_figures_drawn_from_another_package_name_theirs(built_site):
    """On a city page the official figures are audit-statistics, the registry's tables and charts enterprises."""
    html = (built_site / "cities/440300/index.html").read_text(encoding="utf-8")
    assert re.search(r'<table id="city-registry-by-year" data-dataset="enterprises">', html)
    charts = re.findall(r'<figure class="chart-figure" id="chart-([^"]+)" data-dataset="([^"]+)">', html)
    assert charts and all(dataset == "enterprises" for _, dataset in charts)
    province = (built_site / "cities/index.html").read_text(encoding="utf-8")
    datasets = dict(re.findall(r'<figure class="chart-figure" id="chart-([^"]+)" data-dataset="([^"]+)">', province))
    assert datasets["acceptances-2021-by-department"] == "audit-statistics"
    assert datasets["registry-reduction-by-city"] == "enterprises"


@pytest.mark.browser
def test_the_link_beside_a_registry_chart_names_the_registry_not_the_page_s_dataset(browser, site_url):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    try:
        tab = context.new_page()
        tab.goto(site_url + "/cities/440300/", wait_until="networkidle")

        def query_of(selector):
            href = tab.locator(selector).locator("a.feedback-item").first.get_attribute("href")
            return {k: v[0] for k, v in parse_qs(urlsplit(href).query).items()}

        registry = query_of("figure.chart-figure[data-dataset='enterprises']")
        assert registry["dataset"] == "enterprises" and "version" not in registry
        official = tab.locator("a.feedback-item[data-item*='#city-figures']").get_attribute("href")
        official = {k: v[0] for k, v in parse_qs(urlsplit(official).query).items()}
        assert official["dataset"] == "audit-statistics" and official["version"] == version_of("audit-statistics")
    finally:
        context.close()


@pytest.mark.browser
def test_a_directory_record_has_its_own_feedback_link(browser, site_url):
    record = pd.read_csv(DATA / "enterprises/accepted_enterprises.csv", dtype=str, nrows=1)["record_id"][0]
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    try:
        tab = context.new_page()
        tab.goto(f"{site_url}/enterprises/?record={record}", wait_until="networkidle")
        link = tab.get_by_role("link", name="纠错（此记录）")
        query = {k: v[0] for k, v in parse_qs(urlsplit(link.get_attribute("href")).query).items()}
        assert query == {
            "page": f"/enterprises/?record={record}",
            "dataset": "enterprises",
            "version": version_of("enterprises"),
            "item": f"名录记录 {record}",
        }
        link.click()
        tab.wait_for_function("document.getElementById('feedback-message')?.value.includes('名录记录')")
        message = tab.locator("#feedback-message").input_value()
        assert f"/enterprises/?record={record}" in message and f"位置：名录记录 {record}" in message
    finally:
        context.close()
