"""Render stage: Markdown pages from jinja2 templates, written into the generated docs folder.

In: settings, the loaded catalog and derived figures.
Out: build/docs/ = a copy of the hand-written docs/ plus one Markdown file per generated page.
Every data value passes through an autoescaping environment; Markdown punctuation in inline
values is escaped too, so data can never become markup.
"""

from __future__ import annotations

import functools
import json
import re
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Any

import rcssmin
import rjsmin
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

from builder import layout
from builder.data import sample_mark
from builder.data.load import Packages
from builder.derive import api, catalogue, enterprise_directory, glossary, public_record
from builder.derive.catalogue import script_json
from builder.derive.sitedata import SiteData
from builder.derive.statistics import PERFORMANCE_FIELDS, SAVING_FIELDS
from builder.export.downloads import SAMPLE_FIELD, SAMPLE_MARKS
from builder.render import html_pages
from builder.render.formatting import date_zh, number
from builder.settings import Settings

# Characters Python-Markdown (with the tables extension) accepts a backslash escape for.
_MARKDOWN_ESCAPABLE = set("\\`*_{}[]()>#+-.!|")
# HTML specials become numeric references, which Markdown passes through untouched.
_HTML_SPECIAL = {"<": "&#60;", ">": "&#62;", "&": "&#38;", '"': "&#34;", "'": "&#39;"}


def markdown_inline(value: object) -> Markup:
    """Text that Markdown and HTML will both show literally (one pass, so escapes never stack)."""
    out = []
    for char in str(value):
        if char in _HTML_SPECIAL:
            out.append(_HTML_SPECIAL[char])
        elif char in _MARKDOWN_ESCAPABLE:
            out.append("\\" + char)
        else:
            out.append(char)
    return Markup("".join(out))


def front_matter_title(value: object) -> Markup:
    """A YAML front-matter title. The theme prints page titles as HTML, so escape them first."""
    return Markup(json.dumps(str(escape(value)), ensure_ascii=False))


def count(value: Any) -> str:
    return "—" if value is None else number(int(value))


# Copies whose addresses may be links: official (O) and semi-official (A) hosts. Reprint (M) and
# spam or mirror (S) addresses are provenance text only: some of those hosts are spam.
LINKABLE_TRUST = frozenset({"O", "A"})
_ADDRESS = re.compile(r"https?://[^\s，；。、（）()<>\"'“”]+")


def provenance(text: object, trust: str) -> Markup:
    """Where a record was read, as inline HTML: its addresses are links only if the copy's trust allows.

    Unlinked addresses sit in a span, never bare in Markdown text, so nothing can autolink them."""
    text, out, last = str(text or ""), [], 0
    for match in _ADDRESS.finditer(text):
        address = match.group()
        out += [
            escape(text[last : match.start()]),
            Markup('<a href="{0}" rel="noopener">{0}</a>').format(address)
            if trust in LINKABLE_TRUST
            else Markup('<span class="provenance-address" translate="no">{0}</span>').format(address),
        ]
        last = match.end()
    out.append(escape(text[last:]))
    return Markup("").join(out)


def md_link(target: str, page: str) -> str:
    """Link from one docs-relative page to another file, as MkDocs expects (relative to the .md file)."""
    start = PurePosixPath(page).parent
    parts = PurePosixPath(target).parts
    up = len(start.parts)
    common = 0
    while common < min(up, len(parts) - 1) and start.parts[common] == parts[common]:
        common += 1
    return "/".join([".."] * (up - common) + list(parts[common:]))


# One per templates folder and process: the live preview renders on every change, and compiling the templates
# was half of that (the loader still reloads a template whose file changed).
@functools.lru_cache(maxsize=8)
def make_environment(templates_dir: Path) -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(templates_dir)),
        autoescape=True,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["md"] = markdown_inline
    env.filters["front_matter_title"] = front_matter_title
    env.filters["count"] = count
    env.filters["provenance"] = provenance
    # How figures and dates are written for readers: builder/render/formatting.py (issue 15, point 10).
    env.filters["number"] = number
    env.filters["date_zh"] = date_zh
    env.filters["sector_name"] = lambda code, names: names.get(code, code)
    return env


def _schema_titles(catalog: Packages, package: str, resource: str) -> dict[str, str]:
    return {f["name"]: f["title"] for f in catalog[package].tables[resource].fields}


def quantity(value: float | None) -> str:
    """A figure in base units, scaled to 万/亿 for reading (the data keep base units)."""
    if value is None:
        return "—"
    if abs(value) >= 1e8:
        return f"{value / 1e8:.2f} 亿"
    if abs(value) >= 1e4:
        return f"{value / 1e4:.2f} 万"
    return f"{value:.1f}"


def case_headings(case_fields: dict) -> dict[str, str]:
    """A case page's sections by heading id: its template and its shell share them."""
    return {
        "indicators": "技术指标",
        "principle": case_fields["principle"]["title"],
        "process": case_fields["process"]["title"],
        "applicability": case_fields["applicability"]["title"],
        "related": "同行业其他案例",
    }


def _common_context(data: SiteData, built: str) -> dict:
    catalog, stats, registry = data.catalog, data.stats, data.registry
    enterprises = catalog.get("enterprises")
    return {
        "stats": stats,
        "built": built,
        "figures": data.figures,
        "tile_indicators": data.figures.indicators,
        "is_sample": sample_mark.is_sample,
        "sample_marks": {"field": SAMPLE_FIELD, "formats": SAMPLE_MARKS, "label": sample_mark.SAMPLE_LABEL},
        "enterprises": enterprises,
        "registry": registry,
        # Each package's version, for the 纠错 link of the pages that show it (front matter `feedback`).
        "versions": {name: package.descriptor.get("version") for name, package in catalog.items()},
        "performance_fields": [enterprises.tables["accepted_enterprises"].field(n) for n in PERFORMANCE_FIELDS]
        if enterprises
        else [],
        "sector_names": data.code_names["sectors"],
        "city_names": data.code_names["cities"],
        "department_names": data.code_names["departments"],
        # The public record's pages and rows: the city pages and indexes link and list them.
        "public_record": data.public_record,
        "public_record_pages": {
            "targets": public_record.TARGETS_PAGE,
            "notices": public_record.NOTICES_PAGE,
            "partners": public_record.PARTNERS_PAGE,
        }
        if data.public_record
        else {},
        "labels": {
            "cities": _schema_titles(catalog, "reference", "cities"),
            "platform": _schema_titles(catalog, "audit-statistics", "platform_completions"),
            "targets": _schema_titles(catalog, "audit-statistics", "targets"),
            "acceptances": _schema_titles(catalog, "audit-statistics", "acceptances"),
            "policies": _schema_titles(catalog, "policies", "policies"),
        },
    }


# Sections whose records come from one package: the home page names those that are samples.
_PACKAGE_SECTIONS = {"enterprises": layout.DIRECTORY_PAGE, "technology-cases": layout.CASES_PAGE}


def sample_sections(catalog: Packages) -> list[str]:
    """Titles of the site sections that show a sample package's records (e.g. 企业名录, 技术案例)."""
    return [
        layout.SECTION_TITLES[page.split("/")[0]]
        for name, page in _PACKAGE_SECTIONS.items()
        if name in catalog and catalog[name].descriptor.get("x-sample")
    ]


def _records_of(catalog: Packages, package: str, resource: str) -> list[dict]:
    return sample_mark.records(catalog[package].tables[resource].frame)


@dataclass(frozen=True)
class PlannedPage:
    """One page of the site the build generates: where it goes, the template and the context it receives.

    `path` is docs-relative (`cities/440300.md` is served at `cities/440300/`). A template of None is a shell
    for the pages rendered directly (builder/render/html_pages.py); a `direct` page is rendered straight to
    HTML and filled into its shell after the site generator ran.
    """

    path: str
    template: str | None
    context: dict
    direct: bool = False

    @property
    def url(self) -> str:
        return layout.page_url(self.path)


def page_plan(data: SiteData, site_url: str, common: dict) -> list[PlannedPage]:
    """Every page the build generates, in the order it renders them: the Markdown pages the site generator
    turns into HTML, the shells, and the pages rendered directly (`python -m builder pages` prints it)."""
    catalog, stats, policies = data.catalog, data.stats, data.policies
    cases, sectors, datasets = data.cases, data.sectors, data.datasets
    enterprises = catalog.get("enterprises")
    plan: list[tuple[str, str | None, dict]] = [  # (path, template or None for a shell, context)
        (
            "index.md",
            "index.md.j2",
            {
                "catalog_has_cases": bool(cases),
                "home_cities": _records_of(catalog, "reference", "cities"),
                "sample_sections": sample_sections(catalog),
            },
        ),
        ("policies/index.md", "policies/index.md.j2", {"policies": policies}),
        ("cities/index.md", "cities/index.md.j2", {}),
        (
            "data/index.md",
            "data/index.md.j2",
            {"packages": list(catalog.values()), "datasets": {ds["name"]: ds for ds in datasets or []}},
        ),
        (
            "data/validation.md",
            "data/validation.md.j2",
            {"validation": data.validation, "checks": data.validation.checks_run},
        ),
        (
            "api/index.md",
            "api/index.md.j2",
            {"api": data.api, "site_url": site_url, "openapi": api.OPENAPI_PATH, "api_example": api.example},
        ),
    ]
    for ds in datasets or []:
        plan.append(
            (
                layout.package_page(ds["name"]),
                "data/package.md.j2",
                {
                    "ds": {**ds, "jsonld_script": script_json(ds["jsonld"])},
                    "package": catalog[ds["name"]],
                    "log": data.changelogs[ds["name"]],
                    "feeds": catalogue.FEEDS,
                },
            )
        )
        plan.append(
            (
                layout.changelog_page(ds["name"]),
                "data/changelog.md.j2",
                {"ds": ds, "package": catalog[ds["name"]], "log": data.changelogs[ds["name"]]},
            )
        )
        # The download folders' index pages: the latest release, and each release at its stable address.
        for release in [None] + ds["releases"]:
            plan.append(
                (
                    catalogue.folder_index_page(ds["name"], release and release["version"]),
                    "data/versions.md.j2",
                    {
                        "ds": ds,
                        "package": catalog[ds["name"]],
                        "release": release,
                        "files": catalogue.folder_files(ds, release),
                    },
                )
            )
    if datasets:
        feeds = {"feeds": catalogue.FEEDS, "site_url": site_url}
        plan.append(
            (
                catalogue.FEEDS["releases"],
                "data/releases.xml.j2",
                {**feeds, "entries": catalogue.release_feed(datasets)},
            )
        )
        plan.append((catalogue.FEEDS["policies"], "data/policies.xml.j2", {**feeds, "policies": policies}))
    for policy in policies:
        body = (catalog["policies"].root / policy["body"]).read_text(encoding="utf-8") if policy["body"] else None
        plan.append(
            (
                layout.policy_page(policy["policy_id"]),
                "policies/policy.md.j2",
                {"policy": policy, "body": Markup(body) if body else None},
            )
        )
    for row in stats.cities:
        plan.append((layout.city_page(row.city["city_code"]), "cities/city.md.j2", {"row": row}))
    if data.glossary:
        plan.append(
            (
                layout.GUIDE_PAGE,
                "guide/index.md.j2",
                {
                    "glossary": data.glossary,
                    "glossary_by_id": {e["term_id"]: e for e in data.glossary},
                    "audit_modes": _records_of(catalog, "reference", "audit_modes"),
                    "policies_by_id": {p["policy_id"]: p for p in policies},
                    "notices_page": public_record.NOTICES_PAGE,
                },
            )
        )
    if data.public_record:
        plan += [
            (public_record.TARGETS_PAGE, "record/targets.md.j2", {}),
            (public_record.NOTICES_PAGE, "record/notices.md.j2", {}),
            (public_record.PARTNERS_PAGE, "record/partners.md.j2", {}),
        ]
    if enterprises is not None:
        plan.append(
            (layout.DIRECTORY_PAGE, "enterprises/index.md.j2", {"first_page": enterprise_directory.first_page(catalog)})
        )
        plan.append(
            (layout.RECONCILIATION_PAGE, "enterprises/reconciliation.md.j2", {"reconciliation": data.reconciliation})
        )
    if cases:
        case_fields = {f["name"]: f for f in catalog["technology-cases"].tables["technology_cases"].fields}
        shared = {"technology": catalog["technology-cases"], "case_fields": case_fields, "sectors": sectors or []}
        plan.append((layout.CASES_PAGE, "cases/index.md.j2", {**shared, "cases": cases}))
        plan.append((layout.CASES_FEED, "cases/feed.xml.j2", {**shared, "cases": cases, "site_url": site_url}))
        plan.append((layout.SECTORS_PAGE, "sectors/index.md.j2", shared))
        plan.append(
            (
                html_pages.shell_path("cases"),
                None,
                {
                    "headings": case_headings(case_fields),
                    "dataset": "technology-cases",
                    "version": catalog["technology-cases"].descriptor.get("version"),
                },
            )
        )
        for sector in sectors or []:
            plan.append(
                (layout.sector_page(sector.sector["sector_code"]), "sectors/sector.md.j2", {**shared, "entry": sector})
            )
    pages = [PlannedPage(path, template, {**common, **context, "page_path": path}) for path, template, context in plan]
    return pages + _direct_plan(data, common)


def _direct_plan(data: SiteData, common: dict) -> list[PlannedPage]:
    """The case pages: a thousand of them would cost the site generator seconds, so they are rendered directly."""
    if not data.cases:
        return []
    case_fields = {f["name"]: f for f in data.catalog["technology-cases"].tables["technology_cases"].fields}
    context = {
        **common,
        "technology": data.catalog["technology-cases"],
        "case_fields": case_fields,
        "headings": case_headings(case_fields),
    }
    return [
        PlannedPage(
            layout.case_page(case["case_id"]),
            "cases/case.html.j2",
            {**context, "case": case, "page_path": layout.case_page(case["case_id"])},
            direct=True,
        )
        for case in data.cases
    ]


# Front-end libraries installed from npm (package-lock.json) and served from the site itself.
VENDOR_ASSETS = {
    layout.VENDOR_ECHARTS: "node_modules/echarts/dist/echarts.common.min.js",
    "assets/vendor/LICENSE-echarts.txt": "node_modules/echarts/LICENSE",
}


def minify_assets(assets: Path) -> None:
    """The site's own CSS and JavaScript without comments and spaces (the sources keep them for readers of
    the code): every page loads site.css and site.js, and a page without charts has a 70 kB budget."""
    for path in sorted(assets.glob("*.css")):
        path.write_text(rcssmin.cssmin(path.read_text(encoding="utf-8")), encoding="utf-8")
    for path in sorted(assets.rglob("*.js")):  # ES modules too (lib/): rjsmin keeps import/export as written
        path.write_text(rjsmin.jsmin(path.read_text(encoding="utf-8")), encoding="utf-8")


def copy_handwritten(settings: Settings) -> None:
    out = settings.generated_docs
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(settings.docs_dir, out)
    minify_assets(out / "assets")  # vendor files are copied below, already minified
    for target, source in VENDOR_ASSETS.items():
        path = settings.root / source
        if not path.is_file():
            raise FileNotFoundError(f"缺少前端依赖 {source}：请先运行 `npm ci`（`make site` 会自动运行）。")
        (out / target).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, out / target)


def direct_page(env: Environment, page: PlannedPage) -> html_pages.DirectPage:
    """A case page rendered to HTML, with what its shell and the search index need."""
    assert page.template is not None, "a page rendered directly has its own template (only shells have none)"
    case, headings = page.context["case"], page.context["headings"]
    sections = [
        html_pages.SearchSection(anchor, headings[anchor], text)
        for anchor, text in (
            ("indicators", case["key_indicators"]),
            ("principle", case["principle"]),
            ("process", case["process"]),
            ("applicability", case["applicability"]),
        )
        if text
    ]
    return html_pages.DirectPage(
        page.path,
        html_pages.shell_path("cases"),
        case["title"],
        case["summary"] or case["title"],
        env.get_template(page.template).render(page.context),
        case["summary"] or "",
        tuple(sections),
        item=f"技术案例 {case['case_id']}",
    )


@dataclass(frozen=True)
class Rendered:
    markdown: list[Path]  # pages for the site generator
    direct: list[html_pages.DirectPage]  # pages written straight into the site afterwards

    @property
    def count(self) -> int:
        """Pages a reader can open: Markdown pages (not the shells, not other files) and direct pages."""
        markdown = [p for p in self.markdown if p.suffix == ".md" and p.stem != html_pages.SHELL_SLUG]
        return len(markdown) + len(self.direct)


def common_context(settings: Settings, data: SiteData) -> dict:
    """What every page's template receives."""
    built = datetime.fromtimestamp(settings.source_date_epoch, tz=UTC).date().isoformat()
    return {**_common_context(data, built), "publisher": settings.publisher, "official": settings.official}


def plan(settings: Settings, data: SiteData) -> list[PlannedPage]:
    return page_plan(data, settings.site_url, common_context(settings, data))


def render(settings: Settings, data: SiteData) -> Rendered:
    copy_handwritten(settings)
    env = make_environment(settings.templates_dir)
    env.globals["link"] = lambda target, page: md_link(target, page)
    env.globals["layout"] = layout
    env.globals["saving_fields"] = SAVING_FIELDS
    # Latin abbreviations of the glossary become tooltips on every page rendered from Markdown.
    abbreviations = glossary.abbreviation_block(data.glossary)
    written, direct = [], []
    for page in plan(settings, data):
        if page.direct:
            direct.append(direct_page(env, page))
            continue
        path, template, context = page.path, page.template, page.context
        target = settings.generated_docs / path
        if target.exists():
            raise FileExistsError(f"生成的页面 {path} 与 docs/ 中手写的页面同名")
        target.parent.mkdir(parents=True, exist_ok=True)
        text = (
            html_pages.shell_markdown(
                [(anchor, markdown_inline(heading)) for anchor, heading in context["headings"].items()],
                context.get("dataset"),
                context.get("version"),
            )
            if template is None
            else env.get_template(template).render(context)
        )
        if template is not None and path.endswith(".md"):
            text += "\n" + abbreviations
        target.write_text(text, encoding="utf-8")
        written.append(target)
    return Rendered(written, direct)
