"""The one place that knows the order of the stages.

packages → validate → load → derive → render / export → site
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from builder import api, catalogue, charts, derive, export, glossary, layout, load, public_record, releases, render, sitegen
from builder.sitedata import SiteData
from builder.settings import Settings
from builder.validate import Validation, validate


@dataclass(frozen=True)
class BuildResult:
    validation: Validation
    site: Path | None
    pages: int = 0
    files: int = 0


def derive_all(settings: Settings, validation: Validation) -> SiteData:
    """Derive everything the pages and files show from the packages validation read."""
    catalog = validation.catalog
    stats = derive.city_statistics(catalog)
    registry = derive.registry_summary(catalog)
    cases = derive.technology_cases(catalog)
    sectors = derive.sectors_with_cases(catalog, cases, registry)
    sector_names = dict(zip(catalog["reference"].tables["sectors"].frame["sector_code"],
                            catalog["reference"].tables["sectors"].frame["name_zh"]))
    figures = charts.Figures(charts.province_charts(stats, registry, sector_names),
                             {row.city["city_code"]: charts.city_charts(row.city, registry, sector_names)
                              for row in stats.cities},
                             charts.tiles(stats, registry), charts.tile_indicators(stats, registry))
    kept = load.load_releases(settings.releases_dir)
    city_names = dict(zip(catalog["reference"].tables["cities"].frame["city_code"],
                          catalog["reference"].tables["cities"].frame["city_name"]))
    datasets = [catalogue.dataset(package, settings.site_url, settings.publisher, dict(settings.default_license),
                                  kept.get(package.name, []), city_names)
                for package in catalog.values()]
    changelogs = {name: releases.changelog(package, kept.get(name, [])) for name, package in catalog.items()}
    return SiteData(catalog, validation, stats, derive.policies(catalog), registry, derive.reconciliation(catalog),
                    cases, sectors, figures, datasets,
                    api.documents(stats, registry, sectors, derive.sample_note(catalog.get("technology-cases"))),
                    kept, changelogs, glossary.entries(catalog), public_record.public_record(catalog))


def generate(settings: Settings, validation: Validation) -> tuple[render.Rendered, int]:
    """Write build/docs from the (already validated) packages; returns the pages and the number of data files."""
    data = derive_all(settings, validation)
    pages = render.render(settings, data)
    documents = {**data.api, api.OPENAPI_PATH: api.openapi(data.api, settings.site_url),
                 **{layout.changelog_json(name): derive.with_sample_mark(log, data.catalog[name])
                                for name, log in data.changelogs.items()}}
    record_charts = [data.public_record.chart] if data.public_record else []
    files = export.export(settings, data.catalog, data.figures.all() + record_charts, data.datasets, documents,
                          data.releases)
    return pages, len(files)


def build(settings: Settings) -> BuildResult:
    validation = validate(settings.data_dir, settings.releases_dir)
    if not validation.valid:
        # Nothing is generated or published: the existing site stays exactly as it was.
        return BuildResult(validation, None)
    pages, files = generate(settings, validation)
    site = sitegen.build_site(settings, pages.direct)
    return BuildResult(validation, site, pages.count, files)


def clean(settings: Settings) -> list[Path]:
    removed = []
    for path in sitegen.owned_paths(settings):
        if path.exists():
            shutil.rmtree(path)
            removed.append(path)
    return removed
