"""Export stage: data files the site serves.

In: the loaded catalog and the charts. Out: the package downloads (see `downloads`), the
directory's and the case finder's compact JSON, and each chart's CSV and JSON. Every file holding sample
records says so: the downloads per row (downloads.SAMPLE_FIELD), the directory's and finder's JSON in
`sample`, a chart in its column titles (CSV) and `sample` / `sample_note` (JSON).
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

from builder import downloads, jsontext, layout
from builder.directory import code_names, export_directory
from builder.charts import Chart
from builder.derive import SAMPLE_LABEL, sample_note
from builder.downloads import json_value
from builder.load import Catalog
from builder.settings import Settings


def export_packages(catalog: Catalog, docs_root: Path, epoch: int, default_license: dict | None = None) -> list[Path]:
    return [path for package in catalog.values()
            for path in downloads.export_package(package, docs_root, epoch, default_license)]


FINDER_FIELDS = ["case_id", "title", "sector_codes", "categories", "maturity", "summary", "city_code",
                 "investment_cny_10k", "payback_years", "annual_benefit_cny_10k", "co2_reduction_t"]


def finder_document(catalog: Catalog) -> dict:
    """The case finder's data: what a card shows and what the facets filter on, nothing more; and, for
    sample cases, their note (the finder's count and anyone holding the file see it)."""
    package = catalog["technology-cases"]
    table = package.tables["technology_cases"]
    codes = code_names(catalog)
    note = sample_note(package)
    return {
        "sample": None if note is None else {"label": SAMPLE_LABEL, "note": note},
        "fields": {name: {"title": table.field(name)["title"], **({"unit": table.field(name)["unit"]}
                                                                   if "unit" in table.field(name) else {})}
                   for name in FINDER_FIELDS},
        "codes": {"sector_code": codes["sector_code"], "city_code": codes["city_code"]},
        "categories": table.field("categories")["x-itemEnum"],
        "maturities": table.field("maturity")["constraints"]["enum"],
        "cases": [{**{k: json_value(v) for k, v in record.items()}, "url": f"{record['case_id']}/"}
                  for record in table.frame[FINDER_FIELDS].to_dict("records")],
    }


def export_finder(catalog: Catalog, docs_root: Path) -> list[Path]:
    if "technology-cases" not in catalog:
        return []
    target = docs_root / layout.CASES_JSON
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(finder_document(catalog), ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    return [target]


def export_charts(charts: list[Chart], docs_root: Path) -> list[Path]:
    """Each chart's own data: CSV (the table under the chart) and JSON (what the browser draws)."""
    written = []
    for chart in charts:
        csv_target = docs_root / layout.chart_data_path(chart.chart_id, "csv")
        csv_target.parent.mkdir(parents=True, exist_ok=True)
        with csv_target.open("w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out, lineterminator="\r\n")  # RFC 4180
            writer.writerow(chart.header())
            writer.writerows([["" if v is None else v for v in row] for row in chart.rows()])
        json_target = docs_root / layout.chart_data_path(chart.chart_id, "json")
        json_target.write_text(json.dumps(chart.to_json(), ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
        written += [csv_target, json_target]
    return written


def export_dcat(document: dict | None, docs_root: Path) -> list[Path]:
    if document is None:
        return []
    target = docs_root / layout.CATALOG_JSONLD
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(jsontext.text(document, 1) + "\n", encoding="utf-8")
    return [target]


def export_json_documents(documents: dict[str, object], docs_root: Path) -> list[Path]:
    written = []
    for path, document in sorted(documents.items()):
        target = docs_root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(jsontext.text(document, 1) + "\n", encoding="utf-8")
        written.append(target)
    return written


def export_earlier_releases(catalog: Catalog, kept: dict, docs_root: Path) -> list[Path]:
    """Earlier releases stay downloadable at /downloads/<package>/<version>/, as they were published
    (a sample release with its mark: downloads.earlier_release_files)."""
    written = []
    for name, package in catalog.items():
        for release in kept.get(name, []):
            if release.version == package.descriptor.get("version"):
                continue  # the current release is exported in full by export_packages
            for relative, data in downloads.earlier_release_files(release).items():
                target = docs_root / layout.download_folder(name, release.version) / relative
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
                written.append(target)
    return written


def export(settings: Settings, catalog: Catalog, charts: list[Chart] = (), dcat: dict | None = None,
           documents: dict[str, object] | None = None) -> list[Path]:
    written = export_packages(catalog, settings.generated_docs, settings.source_date_epoch, dict(settings.default_license))
    return (written + export_directory(catalog, settings.generated_docs) + export_finder(catalog, settings.generated_docs)
            + export_charts(list(charts), settings.generated_docs) + export_dcat(dcat, settings.generated_docs)
            + export_json_documents(documents or {}, settings.generated_docs))
