"""Publishing guarantees: data cannot inject markup, links resolve, nothing leaves the site,
pages pass axe-core, and no personal data is published."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pandas as pd
import pytest

from builder import pipeline
from builder.publish import SiteBuildError, privacy
from helpers import copy_project, replace_once, settings_for, tree_digest

HOSTILE = [
    "<script>window.__pwned=1</script>",
    '"><img src=x onerror="window.__pwned=1">',
    '{ onclick="window.__pwned=1" }',
    "[x](javascript:window.__pwned=1)",
    "</script><script>window.__pwned=1</script>",
    "a | b | c",
    "**粗** _斜_ `码`",
]

# The pages a visitor meets first, one of each kind.
PAGES = [
    "/",
    "/policies/",
    "/policies/gd-2022-cleaner-production-notice/",
    "/cities/",
    "/cities/440300/",
    "/enterprises/",
    "/enterprises/reconciliation/",
    "/cases/",
    "/cases/TC-001/",
    "/sectors/",
    "/sectors/electroplating/",
    "/data/",
    "/data/audit-statistics/",
    "/data/reference/changelog/",
    "/data/validation/",
    "/api/",
    "/about/",
    "/search/?q=余热",
]


# --- no injection from data ---------------------------------------------------------------------


def _free_text_fields(descriptor: dict) -> dict[str, list[str]]:
    """String fields that are not keys, codes or paths: where a maintainer types free text."""
    fields = {}
    for resource in descriptor["resources"]:
        schema = resource["schema"]
        keyed = set(schema.get("primaryKey", []))
        for key in schema.get("foreignKeys", []) + schema.get("x-foreignKeys", []):
            keyed |= {key["fields"]} if isinstance(key["fields"], str) else set(key["fields"])
        for key in schema.get("foreignKeys", []):
            keyed.add(key["reference"]["fields"])
        fields[resource["name"]] = [
            f["name"]
            for f in schema["fields"]
            if f["type"] == "string"
            and f.get("format", "default") == "default"  # not uri, email
            and f["name"] not in keyed
            and f["name"] != "body"
            and not {"pattern", "enum"} & set(f.get("constraints", {}))
        ]
    return fields


def _poison(data_dir: Path) -> None:
    referenced = {
        (k["reference"].get("package"), k["reference"]["resource"], k["reference"]["fields"])
        for d in data_dir.glob("*/datapackage.json")
        for r in json.loads(d.read_text(encoding="utf-8"))["resources"]
        for k in r["schema"].get("x-foreignKeys", [])
    }
    # Names a transcribed table is matched by (e.g. 深圳 in reference/cities.city_short) must stay as printed.
    referenced |= {
        (m["rows"]["lookup"]["package"], m["rows"]["lookup"]["resource"], m["rows"]["lookup"]["match"])
        for d in data_dir.glob("*/datapackage.json")
        for r in json.loads(d.read_text(encoding="utf-8"))["resources"]
        for m in r.get("x-transcribedIn", [])
        if "lookup" in m["rows"]
    }
    for descriptor_path in sorted(data_dir.glob("*/datapackage.json")):
        descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
        for resource, fields in _free_text_fields(descriptor).items():
            fields = [f for f in fields if (descriptor["name"], resource, f) not in referenced]
            path = descriptor_path.parent / f"{resource}.csv"
            frame = pd.read_csv(path, dtype=str, keep_default_na=False)
            for field in fields:
                # Prefix the row number: some text fields must stay unique.
                frame[field] = [f"{i}{HOSTILE[i % len(HOSTILE)]}" for i in range(len(frame))]
            frame.to_csv(path, index=False, lineterminator="\n")


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    root = copy_project(tmp_path_factory.mktemp("hostile"))
    _poison(root / "datapackages")
    result = pipeline.build(settings_for(root, root / "site"))
    assert result.site is not None, result.validation.problems
    return result.site


@pytest.mark.browser
def test_hostile_strings_show_as_text_and_never_run(hostile_site, browser):
    import functools
    import http.server
    import threading

    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(hostile_site))
    handler.log_message = lambda *a: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    page = browser.new_page()
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    shown = set()
    try:
        for path in PAGES + ["/enterprises/?record=GD-2021-00001", "/enterprises/?q=script"]:
            page.goto(base + path)
            page.wait_for_load_state("networkidle")
            page.wait_for_timeout(200)
            assert page.evaluate("window.__pwned") is None, f"data ran as code on {path}"
            text = page.locator("body").inner_text()
            shown |= {h for h in HOSTILE if h in text}
            assert not page.locator("img[src='x']").count(), path
    finally:
        page.close()
        server.shutdown()
    assert not dialogs
    assert shown == set(HOSTILE), f"not shown literally: {set(HOSTILE) - shown}"


# --- links ---------------------------------------------------------------------------------------


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        for name in ("href", "src"):
            if attrs.get(name) and not (tag == "link" and attrs.get("rel") in ("canonical",)):
                self.links.append(attrs[name])


def _parse(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def _resolve(site: Path, page: Path, link: str) -> tuple[Path | None, str]:
    parts = urlsplit(link)
    if parts.scheme or parts.netloc or link.startswith(("mailto:", "javascript:", "data:")):
        return None, ""
    path = unquote(parts.path)
    if path.startswith("/"):  # root-relative (the 404 page): the site is served at /
        target = (site / path.lstrip("/")).resolve()
    else:
        target = (page.parent / path).resolve() if path else page
    if target.is_dir() or parts.path.endswith("/"):
        target = target / "index.html"
    return target, parts.fragment


def test_every_internal_link_anchor_and_asset_resolves(built_site):
    pages = sorted(built_site.rglob("*.html"))
    parsed = {page: _parse(page) for page in pages}
    broken = []
    for page, links in parsed.items():
        for link in links.links:
            target, fragment = _resolve(built_site, page, link)
            if target is None:
                continue
            if not target.is_file():
                broken.append(f"{page.relative_to(built_site)} → {link}")
            elif fragment and target.suffix == ".html":
                ids = parsed.get(target) or _parse(target)
                if fragment not in ids.ids:
                    broken.append(f"{page.relative_to(built_site)} → {link} (no #{fragment})")
    assert not broken, "\n".join(broken[:30])


def test_external_links_are_only_http_or_https(built_site):
    for page in built_site.rglob("*.html"):
        for link in _parse(page).links:
            scheme = urlsplit(link).scheme
            assert scheme in ("", "http", "https", "data"), f"{page}: {link}"


# --- offline and accessible ------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.parametrize("path", PAGES)
def test_page_makes_no_request_outside_the_site_and_passes_axe(page, site_url, path):
    from axe_playwright_python.sync_playwright import Axe

    page.goto(site_url + path)
    page.wait_for_load_state("networkidle")
    outside = [url for url in page.requests if not url.startswith(site_url) and not url.startswith("data:")]
    assert not outside, outside
    assert not page.console_errors, page.console_errors
    results = Axe().run(page)
    serious = [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert not serious, serious


# --- privacy ------------------------------------------------------------------------------------------


def test_published_files_hold_no_personal_data(built_site):
    assert privacy.audit(built_site) == []


def test_the_audit_finds_each_kind_of_personal_data():
    found = privacy.scan_text(
        "手机 13812345678；邮箱 someone@example.com；身份证 11010519491231002X；"
        "座机 020-83133361；编号 GD-2021-00001；数量 1981980 2021"
    )
    assert [kind for _, kind, _ in found] == ["手机号码", "电子邮箱", "身份证号码"]
    assert privacy.scan_text("someone@example.com", frozenset({"someone@example.com"})) == []


def test_personal_data_in_the_data_stops_publishing(project_copy):
    settings = settings_for(project_copy, project_copy / "site")
    assert pipeline.build(settings).site is not None
    before = tree_digest(settings.out_dir)
    policies = settings.data_dir / "policies" / "policies.csv"
    replace_once(policies, "修正。本站未收录其全文。", "修正。本站未收录其全文。联系人手机 13812345678。")
    result = pipeline.build(settings)
    assert result.site is None
    problem = next(p for p in result.validation.problems if p.rule == "personal-data")
    assert (problem.row, problem.field) == (3, "summary") and "13812345678" in problem.message
    assert tree_digest(settings.out_dir) == before


def test_personal_data_in_a_page_stops_publishing(project_copy):
    """Hand-written pages are not data packages: the audit of the built site catches them."""
    settings = settings_for(project_copy, project_copy / "site")
    assert pipeline.build(settings).site is not None
    before = tree_digest(settings.out_dir)
    about = settings.docs_dir / "about.md"
    about.write_text(about.read_text(encoding="utf-8") + "\n联系：someone@example.com\n", encoding="utf-8")
    with pytest.raises(SiteBuildError, match="someone@example.com"):
        pipeline.build(settings)
    assert tree_digest(settings.out_dir) == before


# --- keyboard ----------------------------------------------------------------------------------------


def _tab_to(page, selector: str, limit: int = 80) -> None:
    """Press Tab until the element matching `selector` has focus, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"document.activeElement && document.activeElement.matches({selector!r})"):
            return
    raise AssertionError(f"{selector} cannot be reached with Tab")


@pytest.mark.browser
def test_directory_is_usable_by_keyboard(page, site_url):
    page.goto(site_url + "/enterprises/")
    page.locator("#dir-table tbody tr").first.wait_for()
    total = int(page.locator("#dir-count").get_attribute("data-count"))
    _tab_to(page, "#dir-facet-city")
    page.keyboard.press("ArrowDown")
    page.wait_for_function(f"Number(document.querySelector('#dir-count')?.dataset.count) < {total}")
    _tab_to(page, "#dir-table tbody a")
    page.keyboard.press("Enter")
    page.locator("#dir-detail").wait_for()


@pytest.mark.browser
def test_tile_map_and_chart_tables_are_usable_by_keyboard(page, site_url):
    page.goto(site_url + "/cities/")
    _tab_to(page, "#tile-indicator")
    page.keyboard.press("ArrowDown")
    assert page.locator("#tile-map").get_attribute("data-indicator") != "accepted"
    _tab_to(page, ".tile[data-city='440300']")
    _tab_to(page, "details.chart-data summary")
    page.keyboard.press("Enter")
    assert page.locator("details.chart-data").first.get_attribute("open") is not None
    page.locator(".tile[data-city='440300']").focus()  # reachable by Tab, shown above
    page.keyboard.press("Enter")
    page.wait_for_url("**/cities/440300/")
