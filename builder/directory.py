"""The enterprise directory's data: the compact JSON the directory page filters in the browser.

In: the loaded catalog. Out: enterprises/directory.json in the generated docs.
"""

from __future__ import annotations

import json
from pathlib import Path

from builder import layout
from builder.downloads import json_value
from builder.load import Catalog


def code_names(catalog: Catalog) -> dict[str, dict[str, str]]:
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
    rows = [[json_value(v) for v in row] for row in table.frame[names].itertuples(index=False, name=None)]
    return {"package": package.name, "resource": table.name, "sample": package.descriptor.get("x-sample"),
            "fields": fields, "codes": code_names(catalog), "rows": rows}


def export_directory(catalog: Catalog, docs_root: Path) -> list[Path]:
    if "enterprises" not in catalog:
        return []
    target = docs_root / layout.DIRECTORY_JSON
    target.parent.mkdir(parents=True, exist_ok=True)
    # Compact separators: this file is downloaded by every visitor of the directory.
    target.write_text(json.dumps(directory_document(catalog), ensure_ascii=False, separators=(",", ":")),
                      encoding="utf-8")
    return [target]
