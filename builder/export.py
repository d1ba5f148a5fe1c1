"""Export stage: the downloadable copies of every data package.

In: the loaded catalog. Out: under build/docs/downloads/<package>/: each resource as the
canonical CSV (byte-for-byte), as JSON (an array of records with typed values), the
package's datapackage.json, and any documents it references.
"""

from __future__ import annotations

import csv
import json
import shutil
from datetime import date
from pathlib import Path

import pandas as pd

from builder import layout
from builder.charts import Chart
from builder.load import Catalog, DataPackage
from builder.settings import Settings


def _json_value(value):
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    if isinstance(value, date):
        return value.isoformat()
    return value


def records(frame: pd.DataFrame) -> list[dict]:
    return [{k: _json_value(v) for k, v in row.items()} for row in frame.to_dict("records")]


def _referenced_documents(package: DataPackage) -> list[str]:
    documents = []
    for table in package.tables.values():
        if "body" in table.frame.columns:
            documents += [b for b in table.frame["body"] if isinstance(b, str) and b]
    return sorted(set(documents))


def export_package(package: DataPackage, docs_root: Path) -> list[Path]:
    written = []
    for table in package.tables.values():
        csv_target = docs_root / layout.download_path(package.name, table.name, "csv")
        csv_target.parent.mkdir(parents=True, exist_ok=True)
        # The published CSV is the validated file itself: no re-serialisation can alter it.
        shutil.copyfile(table.path, csv_target)
        json_target = docs_root / layout.download_path(package.name, table.name, "json")
        json_target.write_text(json.dumps(records(table.frame), ensure_ascii=False, indent=1) + "\n",
                               encoding="utf-8")
        written += [csv_target, json_target]
    descriptor_target = docs_root / layout.descriptor_download_path(package.name)
    shutil.copyfile(package.descriptor_path, descriptor_target)
    written.append(descriptor_target)
    for document in _referenced_documents(package):
        target = descriptor_target.parent / document
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(package.root / document, target)
        written.append(target)
    return written


def _code_names(catalog: Catalog) -> dict[str, dict[str, str]]:
    reference = catalog["reference"].tables
    pairs = {"city_code": ("cities", "city_code", "city_name"), "sector_code": ("sectors", "sector_code", "name_zh"),
             "basin_code": ("basins", "basin_code", "name_zh"), "audit_mode": ("audit_modes", "audit_mode_code", "name_zh"),
             "lead_department": ("departments", "department_code", "short_zh")}
    return {field: dict(zip(reference[res].frame[key], reference[res].frame[label]))
            for field, (res, key, label) in pairs.items()}


def directory_document(catalog: Catalog) -> dict:
    """The directory page's data: field metadata once, then one compact array per record."""
    package = catalog["enterprises"]
    table = package.tables["accepted_enterprises"]
    fields = []
    for field in table.fields:
        entry = {"name": field["name"], "title": field["title"], "type": field["type"]}
        if "unit" in field:
            entry["unit"] = field["unit"]
        if "x-labels" in field:
            entry["labels"] = field["x-labels"]
        fields.append(entry)
    names = [f["name"] for f in fields]
    rows = [[_json_value(v) for v in row] for row in table.frame[names].itertuples(index=False, name=None)]
    return {"package": package.name, "resource": table.name, "sample": package.descriptor.get("x-sample"),
            "fields": fields, "codes": _code_names(catalog), "rows": rows}


def export_directory(catalog: Catalog, docs_root: Path) -> list[Path]:
    if "enterprises" not in catalog:
        return []
    target = docs_root / layout.DIRECTORY_JSON
    target.parent.mkdir(parents=True, exist_ok=True)
    # Compact separators: this file is downloaded by every visitor of the directory.
    target.write_text(json.dumps(directory_document(catalog), ensure_ascii=False, separators=(",", ":")),
                      encoding="utf-8")
    return [target]


FINDER_FIELDS = ["case_id", "title", "sector_codes", "categories", "maturity", "summary", "city_code",
                 "investment_cny_10k", "payback_years", "annual_benefit_cny_10k", "co2_reduction_t"]


def finder_document(catalog: Catalog) -> dict:
    """The case finder's data: what a card shows and what the facets filter on, nothing more."""
    table = catalog["technology-cases"].tables["technology_cases"]
    codes = _code_names(catalog)
    return {
        "fields": {name: {"title": table.field(name)["title"], **({"unit": table.field(name)["unit"]}
                                                                   if "unit" in table.field(name) else {})}
                   for name in FINDER_FIELDS},
        "codes": {"sector_code": codes["sector_code"], "city_code": codes["city_code"]},
        "categories": table.field("categories")["x-itemEnum"],
        "maturities": table.field("maturity")["constraints"]["enum"],
        "cases": [{**{k: _json_value(v) for k, v in record.items()}, "url": f"{record['case_id']}/"}
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


def export(settings: Settings, catalog: Catalog, charts: list[Chart] = ()) -> list[Path]:
    written = [path for package in catalog.values() for path in export_package(package, settings.generated_docs)]
    return (written + export_directory(catalog, settings.generated_docs) + export_finder(catalog, settings.generated_docs)
            + export_charts(list(charts), settings.generated_docs))
