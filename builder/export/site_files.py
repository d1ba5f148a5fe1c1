"""Export stage: data files the site serves.

In: the loaded catalog, the kept releases, the charts and the datasets (catalogue). Out: the package downloads
of every release (see `downloads`), the directory's and the case finder's compact JSON, each chart's contract
(charts/<id>.csv, .excel.csv, .metadata.json, .zip and the .json the browser draws), the JSON documents
(API, OpenAPI, changelogs) and, last, the DCAT catalogue with the size and SHA-256 of every download just
written. Every file holding sample records says so: the downloads per row (downloads.SAMPLE_FIELD), the
directory's and finder's JSON in `sample`, a chart in its column titles (CSV), `sample` / `sample_note`
(JSON) and `sample` (metadata.json, README.txt).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence
from pathlib import Path

from builder import layout
from builder.data.load import Packages
from builder.data.sample_mark import SAMPLE_LABEL, sample_note
from builder.derive import catalogue
from builder.derive.charts import Chart
from builder.derive.enterprise_directory import code_names, export_directory
from builder.export import downloads
from builder.export.downloads import json_value
from builder.formats import jsontext
from builder.settings import Settings


def export_packages(catalog: Packages, docs_root: Path, epoch: int, default_license: dict | None = None) -> list[Path]:
    names = downloads.code_labels(catalog)
    return [
        path
        for package in catalog.values()
        for path in downloads.export_package(package, docs_root, epoch, default_license, names)
    ]


FINDER_FIELDS = [
    "case_id",
    "title",
    "sector_codes",
    "categories",
    "maturity",
    "summary",
    "city_code",
    "investment_cny_10k",
    "payback_years",
    "annual_benefit_cny_10k",
    "co2_reduction_t",
]


def finder_document(catalog: Packages) -> dict:
    """The case finder's data: what a card shows and what the facets filter on, nothing more; and, for
    sample cases, their note (the finder's count and anyone holding the file see it)."""
    package = catalog["technology-cases"]
    table = package.tables["technology_cases"]
    codes = code_names(catalog)
    note = sample_note(package)
    return {
        "sample": None if note is None else {"label": SAMPLE_LABEL, "note": note},
        "fields": {
            name: {
                "title": table.field(name)["title"],
                **({"unit": table.field(name)["unit"]} if "unit" in table.field(name) else {}),
            }
            for name in FINDER_FIELDS
        },
        "codes": {"sector_code": codes["sector_code"], "city_code": codes["city_code"]},
        "categories": table.field("categories")["x-itemEnum"],
        "maturities": table.field("maturity")["constraints"]["enum"],
        "cases": [
            {**{k: json_value(v) for k, v in record.items()}, "url": f"{record['case_id']}/"}
            for record in table.frame[FINDER_FIELDS].to_dict("records")
        ],
    }


def export_finder(catalog: Packages, docs_root: Path) -> list[Path]:
    if "technology-cases" not in catalog:
        return []
    target = docs_root / layout.CASES_JSON
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(finder_document(catalog), ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    return [target]


CHART_FILES = ("csv", downloads.EXCEL_SUFFIX, "metadata.json", "zip", "json")


def chart_csv(chart: Chart) -> bytes:
    """The table under the chart, RFC 4180 (CRLF)."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(chart.header())
    writer.writerows([["" if v is None else v for v in row] for row in chart.rows()])
    return out.getvalue().encode("utf-8")


def chart_metadata(chart: Chart, catalog: Packages, site_url: str, publisher: str, default_license: dict) -> dict:
    """What a chart's data are, for whoever holds the CSV: title, subtitle, units, source, citation,
    licence, last update (the release date of the dataset it draws on) and the sample mark where it applies."""
    package = catalog.get(chart.dataset)
    descriptor = package.descriptor if package is not None else {}
    licence = (descriptor.get("licenses") or [default_license])[0]
    released, version = descriptor.get("x-releaseDate", ""), descriptor.get("version", "")
    address = site_url + layout.chart_data_path(chart.chart_id, "csv")
    dataset = descriptor.get("title", chart.dataset)
    return {
        "id": chart.chart_id,
        "url": address,
        "title": chart.title,
        "subtitle": chart.caption,
        "notes": chart.notes,
        "columns": [{"name": chart.category_title, "role": "category", "codes": chart.category_codes}]
        + [{"name": chart.series_label(s), "series": s.name, "unit": s.unit} for s in chart.series],
        "units": sorted({s.unit for s in chart.series}),
        "source": chart.source,
        "dataset": {
            "name": chart.dataset,
            "title": dataset,
            "version": version,
            "url": site_url + layout.page_url(layout.package_page(chart.dataset)) if package else None,
        },
        "citation": f"{publisher}. {chart.title}[DS/OL]. 数据来自《{dataset}》{version} 版（{released}）. {address}.",
        "license": {"name": licence.get("name", ""), "url": licence.get("path", "")},
        "last_updated": released,
        "sample": {"label": SAMPLE_LABEL, "note": chart.sample_note} if chart.sample else False,
        "files": {ext: site_url + layout.chart_data_path(chart.chart_id, ext) for ext in CHART_FILES},
    }


def chart_readme(metadata: dict) -> bytes:
    """README.txt of a chart's zip, in Chinese."""
    lines = [
        metadata["title"],
        "",
        metadata["subtitle"],
        "",
        f"来源：{metadata['source']}",
        f"数据集：{metadata['dataset']['title']} {metadata['dataset']['version']} 版",
        f"最后更新：{metadata['last_updated']}",
        f"许可：{metadata['license']['name']} {metadata['license']['url']}",
        f"引用：{metadata['citation']}",
        f"固定地址：{metadata['url']}",
    ]
    if metadata["sample"]:
        lines += ["", f"{SAMPLE_LABEL}：{metadata['sample']['note']}"]
    lines += [
        "",
        "文件：",
        f"- {metadata['id']}.csv：图表数据表（UTF-8）",
        f"- {metadata['id']}.metadata.json：上述说明（机器可读）",
    ]
    return ("\n".join(lines) + "\n").encode("utf-8")


def chart_files(chart: Chart, metadata: dict, epoch: int) -> dict[str, bytes]:
    """A chart's files by extension: its data (CSV, Excel CSV with BOM), metadata, a zip of both with a
    README, and the JSON the browser draws."""
    table = chart_csv(chart)
    described = (jsontext.text(metadata, 1) + "\n").encode("utf-8")
    return {
        "csv": table,
        downloads.EXCEL_SUFFIX: downloads.excel_csv(table),
        "metadata.json": described,
        "zip": downloads.normalised_zip(
            [
                (f"{chart.chart_id}.csv", table),
                (f"{chart.chart_id}.metadata.json", described),
                (downloads.README, chart_readme(metadata)),
            ],
            epoch,
        ),
        "json": json.dumps(chart.to_json(), ensure_ascii=False, separators=(",", ":")).encode("utf-8"),
    }


def export_charts(charts: list[Chart], catalog: Packages, settings: Settings) -> list[Path]:
    """Each chart's contract at charts/<id>.*: CSV (the table under the chart), Excel CSV, metadata.json,
    zip (both with a README) and JSON (what the browser draws)."""
    written = []
    for chart in charts:
        metadata = chart_metadata(chart, catalog, settings.site_url, settings.publisher, dict(settings.default_license))
        for ext, data in chart_files(chart, metadata, settings.source_date_epoch).items():
            target = settings.generated_docs / layout.chart_data_path(chart.chart_id, ext)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            written.append(target)
    return written


def digests(docs_root: Path, written: list[Path]) -> dict[str, tuple[int, str]]:
    """Site path → (bytes, SHA-256) of the files written under downloads/, for the DCAT catalogue."""
    found = {}
    for path in written:
        relative = path.relative_to(docs_root).as_posix()
        if relative.startswith(layout.DOWNLOADS + "/"):
            data = path.read_bytes()
            found[relative] = (len(data), downloads.sha256(data))
    return found


def export_dcat(document: dict | None, docs_root: Path) -> list[Path]:
    if document is None:
        return []
    target = docs_root / layout.CATALOG_JSONLD
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(jsontext.text(document, 1) + "\n", encoding="utf-8")
    return [target]


def export_json_documents(documents: Mapping[str, object], docs_root: Path) -> list[Path]:
    written = []
    for path, document in sorted(documents.items()):
        target = docs_root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(jsontext.text(document, 1) + "\n", encoding="utf-8")
        written.append(target)
    return written


def export_earlier_releases(
    catalog: Packages, kept: dict, docs_root: Path, epoch: int, default_license: dict | None = None
) -> list[Path]:
    """Earlier releases stay downloadable at /downloads/<package>/<version>/ as their zip and descriptor (a
    sample release with its mark: downloads.earlier_release_files)."""
    written = []
    for name, package in catalog.items():
        for release in kept.get(name, []):
            if release.version == package.descriptor.get("version"):
                continue  # the current release is exported in full by export_packages
            written += downloads.write_files(
                downloads.earlier_release_files(release, epoch, default_license),
                docs_root / layout.download_folder(name, release.version),
            )
    return written


def export(
    settings: Settings,
    catalog: Packages,
    charts: Sequence[Chart] = (),
    datasets: Sequence[dict] = (),
    documents: Mapping[str, object] | None = None,
    kept: dict | None = None,
) -> list[Path]:
    """Every data file, then the DCAT catalogue describing the downloads just written (sizes, checksums)."""
    docs = settings.generated_docs
    written = export_packages(catalog, docs, settings.source_date_epoch, dict(settings.default_license))
    written += export_earlier_releases(
        catalog, kept or {}, docs, settings.source_date_epoch, dict(settings.default_license)
    )
    dcat = (
        catalogue.dcat_catalog(
            list(datasets), settings.site_url, settings.publisher, settings.contact, digests(docs, written)
        )
        if datasets
        else None
    )
    return (
        written
        + export_directory(catalog, docs)
        + export_finder(catalog, docs)
        + export_charts(list(charts), catalog, settings)
        + export_dcat(dcat, docs)
        + export_json_documents(documents or {}, docs)
    )
