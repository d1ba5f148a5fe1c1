"""The one place that knows the order of the stages, every step of them.

packages → validate (validate/) → load (data/) → derive (derive/) → render (render/) → export (export/)
→ publish (publish/: site generator, pages rendered directly, search index, raw downloads, privacy
audit, one swap). formats/ holds the byte-exact file writers the export stage uses; importing/ turns
official attachments into package rows, outside the build.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from builder import layout
from builder.data import load, releases, sample_mark
from builder.derive import api, catalogue, charts, code_names, glossary, public_record, statistics
from builder.derive.sitedata import SiteData
from builder.export import site_files
from builder.publish import generator, privacy, search_index, swap
from builder.render import html_pages, site_pages
from builder.settings import Settings
from builder.validate import Validation, validate
from builder.validate.checks import registry_reconciliation


@dataclass(frozen=True)
class BuildResult:
    validation: Validation
    site: Path | None
    pages: int = 0
    files: int = 0


def derive_all(settings: Settings, validation: Validation) -> SiteData:
    """Derive everything the pages and files show from the packages validation read."""
    catalog = validation.catalog
    assert catalog is not None, "only a valid validation is derived from, and it read every package"
    stats = statistics.city_statistics(catalog)
    registry = statistics.registry_summary(catalog)
    cases = statistics.technology_cases(catalog)
    sectors = statistics.sectors_with_cases(catalog, cases, registry)
    names = code_names.table_names(catalog, short=True)  # each code table's label field, declared once
    sector_names = names["sectors"]
    figures = charts.ChartSet(
        charts.province_charts(stats, registry, sector_names),
        {
            row.city["city_code"]: charts.city_history_charts(row, stats)
            + charts.city_charts(row.city, registry, sector_names)
            for row in stats.cities
        },
        charts.tiles(stats, registry),
        charts.tile_indicators(stats, registry),
    )
    kept = load.load_releases(settings.releases_dir)
    city_names = names["cities"]
    datasets = [
        catalogue.dataset(
            package,
            settings.site_url,
            settings.publisher,
            dict(settings.default_license),
            kept.get(package.name, []),
            city_names,
        )
        for package in catalog.values()
    ]
    changelogs = {name: releases.changelog(package, kept.get(name, [])) for name, package in catalog.items()}
    return SiteData(
        catalog=catalog,
        validation=validation,
        stats=stats,
        policies=statistics.policies(catalog),
        registry=registry,
        reconciliation=registry_reconciliation.reconciliation(catalog),
        cases=cases,
        sectors=sectors,
        figures=figures,
        datasets=datasets,
        api=api.documents(stats, registry, sectors, sample_mark.sample_note(catalog.get("technology-cases"))),
        releases=kept,
        changelogs=changelogs,
        glossary=glossary.entries(catalog),
        code_names=names,
        public_record=public_record.public_record(catalog),
    )


def generate(settings: Settings, validation: Validation) -> tuple[site_pages.Rendered, int]:
    """Derive, render and export: build/docs holds every page and file; returns the pages and the number of files."""
    data = derive_all(settings, validation)
    rendered = site_pages.render(settings, data)
    documents = {
        **data.api,
        api.OPENAPI_PATH: api.openapi(data.api, settings.site_url),
        **{
            layout.changelog_json(name): sample_mark.with_sample_mark(log, data.catalog[name])
            for name, log in data.changelogs.items()
        },
    }
    record_charts = [data.public_record.chart] if data.public_record else []
    files = site_files.export(
        settings, data.catalog, data.figures.all() + record_charts, data.datasets, documents, data.releases
    )
    return rendered, len(files)


def publish(settings: Settings, direct: list[html_pages.DirectPage]) -> Path:
    """Turn build/docs into the site, in a partial folder that replaces the site only when every step passed."""
    with swap.staged(settings.out_dir) as site:
        generator.run_generator(settings, site)  # MkDocs: every page but the direct ones
        shells = {layout.page_url(page.shell) for page in direct} | {layout.page_url(layout.SEARCH_PAGE)}
        indexed = search_index.generator_documents(site, shells, generator.site_description(settings))
        if direct:  # the pages rendered directly, into their shells (a build without them keeps the sitemap as is)
            html_pages.write_pages(site, direct)
        search_index.write_index(site, indexed, direct, settings.data_dir)
        generator.copy_raw_downloads(settings, site)
        privacy.refuse_personal_data(settings, site)
    return settings.out_dir


def build(settings: Settings) -> BuildResult:
    validation = validate(settings.data_dir, settings.releases_dir, public_contacts=settings.public_contacts)
    if not validation.valid:
        # Nothing is generated or published: the existing site stays exactly as it was.
        return BuildResult(validation, None)
    rendered, files = generate(settings, validation)
    site = publish(settings, rendered.direct)
    return BuildResult(validation, site, rendered.count, files)


def clean(settings: Settings) -> list[Path]:
    removed = []
    for path in swap.owned_paths(settings):
        if path.exists():
            shutil.rmtree(path)
            removed.append(path)
    return removed
