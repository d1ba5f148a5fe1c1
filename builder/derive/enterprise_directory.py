"""The enterprise directory's data: what the directory page filters in the browser, and the rest on demand.

In: the loaded catalog. Out: in the generated docs, enterprises/directory.json (the list: the fields
the table shows, searches and filters on, for every record) and enterprises/directory/details-<i>.json
(every other field, in chunks of DETAIL_CHUNK records by position in the resource).

directory.json, which every visitor of /enterprises/ downloads::

    {"format": 3, "package": …, "resource": …, "sample": {"note": …, "mark": {"name", "title", "value"}} | null,
     "count": N,
     "table": {"columns": [{"field", "label"?, "link"?}, …], "page_size": n, "search_fields": [field, …]},
     "fields": [{"name", "title", "type", "unit"?, "labels"?}, …],   every field, in schema order
     "codes": {field: {code: name}},                                 reference code tables
     "columns": {field: column, …},                                  LIST_FIELDS only
     "details": {"size": DETAIL_CHUNK, "fields": [the other fields], "files": ["directory/details-0.json", …]}}

`table` is what the table shows (TABLE_COLUMNS: a label shorter than the field's title, and the column that
links to a record), how many rows a page has (PAGE_SIZE) and which fields the keyword box searches
(SEARCH_FIELDS): the script reads it, and `first_page` renders the same into the page itself.

`sample` is the package's x-sample (null for real data) with the per-row mark every download of it
carries: the filtered CSV and JSON downloads start each record with the field `mark.name` = `mark.value`,
as the package's own downloads do (builder/export/downloads.py SAMPLE_FIELD).

A details file: {"start": first row, "count": rows, "sample": true | false, "columns": {field: column, …}};
file i holds the rows i*size … i*size+size-1, and its paths are relative to directory.json. A column holds one value per
row in one of three forms, whichever `encode_column` picks:

    {"values": [v, …]}                    the JSON values themselves (numbers as numbers, null if none)
    {"dict": [v, …], "codes": [i, …]}     few distinct values (at most one per DICTIONARY_SHARE rows):
                                          per row an index into dict, in order of first appearance
    {"runs": [[prefix, first, count, width], …]}
                                          the key field, when its identifiers run in sequence (such as
                                          GD-2021-00001, -00002 …): `count` rows numbered from `first`,
                                          each prefix + the number zero-padded to `width` digits
                                          (width 0: the prefix alone)

Values are those of the package's JSON download (dates as ISO text), so the browser rebuilds every
record exactly, for the detail view and for the filtered CSV and JSON downloads. The page
(templates/enterprises/index.md.j2) preloads directory.json and starts parsing it while it loads;
docs/assets/directory.js fetches a details file only when a record in its range is opened or
downloaded. tests/test_enterprises.py reads the files back as the browser does.
"""

from __future__ import annotations

import json
import re
from pathlib import Path, PurePosixPath

from builder import layout
from builder.data.load import Packages
from builder.data.sample_mark import SAMPLE_LABEL, is_sample
from builder.derive.code_names import field_names
from builder.export.downloads import SAMPLE_FIELD, json_value

# What docs/assets/directory.js shows in the table (TABLE_COLUMNS), searches (SEARCH_FIELDS), filters on
# (docs/assets/lib/directory-state.js FACETS) and links by (record_id); every other field waits in the details files.
# industry_name is listed because the keyword box matches it (电镀 finds 金属表面处理 records' industry too);
# dictionary-encoded, it costs a few kB at province scale.
LIST_FIELDS = [
    "record_id",
    "enterprise_name",
    "uscc",
    "city_code",
    "sector_code",
    "industry_name",
    "basin_code",
    "acceptance_year",
    "audit_mode",
    "lead_department",
    "audit_nature",
    "co2_reduction_t",
]
KEY_FIELD = "record_id"
DETAIL_CHUNK = 1000  # records per details file: opening one record fetches about 20 kB (gzip)
DETAILS_FOLDER = PurePosixPath(layout.DIRECTORY_JSON).with_suffix("")  # enterprises/directory/
DICTIONARY_SHARE = 4  # a column is dictionary-encoded when it has at most one distinct value per 4 rows
_NUMBERED = re.compile(r"(.*?)([0-9]+)", re.DOTALL)  # ASCII digits only: the browser counts them


def code_names(catalog: Packages) -> dict[str, dict[str, str]]:
    """The registry's coded fields and the (short) name of each code, as its foreign keys declare them."""
    return field_names(catalog, catalog["enterprises"].tables["accepted_enterprises"], short=True)


# --- columns -----------------------------------------------------------------------------------------


def id_runs(values: list[str]) -> list[list]:
    """Identifiers as runs of consecutive numbers under one prefix: [[prefix, first, count, width], …]."""
    runs: list[list] = []
    for text in values:
        match = _NUMBERED.fullmatch(text)
        prefix, digits = (match.group(1), match.group(2)) if match else (text, "")
        number = int(digits) if digits else 0
        last = runs[-1] if runs else None
        if digits and last and last[0] == prefix and last[3] == len(digits) and last[1] + last[2] == number:
            last[2] += 1
        else:
            runs.append([prefix, number, 1, len(digits)])
    return runs


def encode_column(values: list, key: bool = False) -> dict:
    """One column in the smallest of the three forms that fits it (see the module docstring)."""
    if key and values and all(isinstance(v, str) for v in values):
        runs = id_runs(values)
        if len(runs) * DICTIONARY_SHARE <= len(values):
            return {"runs": runs}
    # Keyed by type too: 1, 1.0 and True are one key to a dict but three values to JSON.
    index: dict[tuple, int] = {}
    for value in values:
        index.setdefault((type(value), value), len(index))
    if len(index) * DICTIONARY_SHARE <= len(values):
        return {"dict": [value for _, value in index], "codes": [index[(type(v), v)] for v in values]}
    return {"values": values}


# --- documents ---------------------------------------------------------------------------------------


def field_entries(fields: list[dict]) -> list[dict]:
    entries = []
    for field in fields:
        entry = {"name": field["name"], "title": field["title"], "type": field["type"]}
        if "unit" in field:
            entry["unit"] = field["unit"]
        if "x-labels" in field:
            entry["labels"] = field["x-labels"]
        entries.append(entry)
    return entries


def sample_entry(descriptor: dict) -> dict:
    """The package's x-sample and the field every download of its records starts with."""
    marked = descriptor["x-sample"] if isinstance(descriptor["x-sample"], dict) else {}
    return {**marked, "mark": {"name": SAMPLE_FIELD["name"], "title": SAMPLE_FIELD["title"], "value": SAMPLE_LABEL}}


def detail_file(index: int) -> str:
    """The index-th details file, relative to the docs root."""
    return f"{DETAILS_FOLDER}/details-{index}.json"


def directory_documents(catalog: Packages) -> dict[str, dict]:
    """Every file of the directory's data, by path relative to the docs root: the list, then the details."""
    package = catalog["enterprises"]
    table = package.tables["accepted_enterprises"]
    names = [field["name"] for field in table.fields]
    values = {name: [json_value(v) for v in table.frame[name].tolist()] for name in names}
    count = len(table.frame)
    listed = [name for name in names if name in LIST_FIELDS]
    rest = [name for name in names if name not in LIST_FIELDS]
    chunks = range(0, count, DETAIL_CHUNK)
    relative = PurePosixPath(layout.DIRECTORY_JSON).parent
    sample = is_sample(package)
    details = {
        detail_file(i): {
            "start": start,
            "count": min(DETAIL_CHUNK, count - start),
            "sample": sample,
            "columns": {
                name: encode_column(values[name][start : start + DETAIL_CHUNK], name == KEY_FIELD) for name in rest
            },
        }
        for i, start in enumerate(chunks)
    }
    directory = {
        "format": 3,
        "package": package.name,
        "resource": table.name,
        "sample": sample_entry(package.descriptor) if sample else None,
        "count": count,
        "table": table_spec(),
        "fields": field_entries(table.fields),
        "codes": code_names(catalog),
        "columns": {name: encode_column(values[name], name == KEY_FIELD) for name in listed},
        "details": {
            "size": DETAIL_CHUNK,
            "fields": rest,
            "files": [str(PurePosixPath(path).relative_to(relative)) for path in details],
        },
    }
    return {layout.DIRECTORY_JSON: directory, **details}


def export_directory(catalog: Packages, docs_root: Path) -> list[Path]:
    if "enterprises" not in catalog:
        return []
    written = []
    for path, document in directory_documents(catalog).items():
        target = docs_root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        # Compact separators: the list is downloaded by every visitor of the directory.
        target.write_text(json.dumps(document, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
        written.append(target)
    return written


# The table, stated once: directory.json carries it to docs/assets/directory.js (table_spec), and the
# first page is written into the page itself from it, so it shows before any script has run. Name, city
# and year first: what a phone shows without scrolling sideways. A label replaces a field's title.
TABLE_COLUMNS = [
    {"field": "enterprise_name", "link": True},
    {"field": "city_code", "label": "地市"},
    {"field": "acceptance_year"},
    {"field": "sector_code"},
    {"field": "audit_mode"},
    {"field": "lead_department", "label": "牵头部门"},
    {"field": "co2_reduction_t"},
]
PAGE_SIZE = 50
# The keyword box matches names, codes and, by their names, the industry and the key sector (电镀 finds
# every electroplating record, not only the names that contain it); a field the list lacks is skipped.
SEARCH_FIELDS = ["enterprise_name", "uscc", "industry_name", "sector_code"]


def table_spec() -> dict:
    """directory.json's "table": the columns, page size and searched fields the script and first_page share."""
    return {"columns": TABLE_COLUMNS, "page_size": PAGE_SIZE, "search_fields": SEARCH_FIELDS}


def format_number(value: float) -> str:
    """docs/assets/lib/format.js formatNumber: at most six decimals, trailing zeros dropped, thousands grouped by commas
    from five integer digits up, as every page writes figures (render/formatting.py: 12,345 but 5545.1)."""
    whole, _, fraction = f"{abs(value):.6f}".rstrip("0").rstrip(".").partition(".")
    sign = "-" if value < 0 and (whole != "0" or fraction) else ""
    return sign + (f"{int(whole):,}" if len(whole) >= 5 else whole) + (f".{fraction}" if fraction else "")


def first_page(catalog: Packages) -> dict | None:
    """The directory's first page (file order, no filter) as directory.js displays it: headers and cells."""
    if "enterprises" not in catalog:
        return None
    table = catalog["enterprises"].tables["accepted_enterprises"]
    fields = {f["name"]: f for f in table.fields}
    codes = code_names(catalog)

    def display(name: str, value: object) -> str:
        value = json_value(value)
        if value is None or value == "":
            return ""
        key = str(value)
        field = fields[name]
        if key in codes.get(name, {}):
            return codes[name][key]
        if key in field.get("x-labels", {}):
            return field["x-labels"][key]
        if (
            isinstance(value, (int, float))
            and not isinstance(value, bool)
            and (field["type"] == "number" or "unit" in field)
        ):
            return format_number(value)
        return key

    spec = table_spec()
    columns = [column["field"] for column in spec["columns"] if column["field"] in fields]
    labels = {column["field"]: column.get("label") for column in spec["columns"]}
    headers = [
        {
            "title": labels[name] or fields[name]["title"],
            "unit": fields[name].get("unit"),
            "numeric": fields[name]["type"] in ("number", "integer"),
        }
        for name in columns
    ]
    frame = table.frame.head(spec["page_size"])
    rows = [
        {"record_id": record[KEY_FIELD], "cells": [display(name, record[name]) for name in columns]}
        for record in frame.to_dict("records")
    ]
    return {"headers": headers, "rows": rows, "total": len(table.frame)}
