"""Every download read back with the tools researchers use, called the way they call them by default.

pandas (`read_csv`, `read_excel`, `read_parquet`), pyarrow, DuckDB and frictionless (its Python API and its
command line) read the files of the built site and must find the table the validated CSV holds.
"""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow.parquet as pq
import pytest
from frictionless import Package
from openpyxl import load_workbook

from builder.export import downloads
from helpers import DATA

PACKAGES = {p.parent.name: json.loads(p.read_text(encoding="utf-8")) for p in DATA.glob("*/datapackage.json")}
RESOURCES = [(package, resource) for package, meta in sorted(PACKAGES.items()) for resource in meta["resources"]]
IDS = [f"{package}/{resource['name']}" for package, resource in RESOURCES]


def fields_of(built_site: Path, package: str, name: str) -> list[dict]:
    """The published schema's fields (a sample package's start with data_status)."""
    descriptor = json.loads((built_site / "downloads" / package / "datapackage.json").read_text(encoding="utf-8"))
    return next(r for r in descriptor["resources"] if r["name"] == name)["schema"]["fields"]


def as_text(value):
    if isinstance(value, str) and value == "":
        return None  # pyarrow's CSV reader keeps an empty cell as "" where the others read a missing value
    if isinstance(value, str) or (value is not None and hasattr(value, "__len__")):
        return value if isinstance(value, str) else list(value)
    if value is None or pd.isna(value):
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def assert_same_table(theirs: pd.DataFrame, csv: pd.DataFrame, fields: list[dict], what: str) -> None:
    """The same columns, rows and values as read_csv gives; numeric columns numeric; dates the same days."""
    assert list(theirs.columns) == list(csv.columns) == [f["name"] for f in fields], what
    assert len(theirs) == len(csv), what
    for field in fields:
        name, kind = field["name"], field["type"]
        mine, reference = theirs[name], csv[name]
        if kind in ("integer", "number"):
            assert pd.api.types.is_numeric_dtype(mine), (what, name, mine.dtype)
            pd.testing.assert_series_equal(
                mine.astype(float), reference.astype(float), check_names=False, obj=f"{what}.{name}"
            )
        elif kind == "date":
            days = [None if pd.isna(v) else pd.Timestamp(v).date() for v in mine]
            assert days == [None if pd.isna(v) else pd.Timestamp(v).date() for v in reference], (what, name)
        elif kind == "boolean":
            assert mine.tolist() == reference.tolist(), (what, name)
        else:
            # read_csv and read_excel turn a column of codes with gaps into floats (440100.0): compare as text
            assert list(map(as_text, mine)) == list(map(as_text, reference)), (what, name)


# --- 1. XLSX ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("package", "resource"), RESOURCES, ids=IDS)
def test_read_excel_with_no_arguments_gives_the_csv_table(built_site, package, resource):
    folder = built_site / "downloads" / package
    name = resource["name"]
    excel = pd.read_excel(folder / f"{name}.xlsx")
    csv = pd.read_csv(folder / f"{name}.csv")
    assert_same_table(excel, csv, fields_of(built_site, package, name), f"{package}/{name}.xlsx")


def test_the_xlsx_joins_a_list_as_the_schema_says(built_site):
    book = load_workbook(built_site / "downloads/technology-cases/technology_cases.xlsx", read_only=True)
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    column = rows[0].index("sector_codes")
    csv = pd.read_csv(built_site / "downloads/technology-cases/technology_cases.csv", dtype=str)
    assert [r[column] for r in rows[1:]] == csv["sector_codes"].tolist()
    assert any(";" in r[column] for r in rows[1:]) and not any(", " in r[column] for r in rows[1:])


@pytest.mark.parametrize("package", sorted(PACKAGES))
def test_the_xlsx_files_pass_frictionless_against_the_published_schema(built_site, package, tmp_path):
    """The published descriptor with every table read from its XLSX instead: frictionless finds no error
    (types, constraints and foreign keys between the workbooks)."""
    folder = built_site / "downloads" / package
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    tables = [r for r in descriptor["resources"] if "schema" in r]
    for resource in tables:
        resource["path"] = f"{resource['name']}.xlsx"
        (tmp_path / resource["path"]).write_bytes((folder / resource["path"]).read_bytes())
        resource["format"] = "xlsx"
        for key in ("mediatype", "encoding", "bytes", "hash"):
            resource.pop(key, None)
    descriptor["resources"] = tables
    (tmp_path / "datapackage.json").write_text(json.dumps(descriptor, ensure_ascii=False), encoding="utf-8")
    report = Package(str(tmp_path / "datapackage.json")).validate()
    assert report.valid, report.flatten(["taskName", "rowNumber", "fieldName", "cell", "note"])[:5]
    assert {task.name: task.stats["rows"] for task in report.tasks} == {
        r["name"]: len(pd.read_csv(folder / f"{r['name']}.csv")) for r in tables
    }


@pytest.mark.parametrize("package", sorted(PACKAGES))
def test_the_xlsx_note_sheet_describes_the_dataset_and_its_fields(built_site, package):
    meta = PACKAGES[package]
    for resource in meta["resources"]:
        book = load_workbook(built_site / "downloads" / package / f"{resource['name']}.xlsx", read_only=True)
        rows = [[c for c in row] for row in book[downloads.NOTE_SHEET].iter_rows(values_only=True)]
        facts = {row[0]: row[1] for row in rows if row and len(row) > 1}
        assert facts["数据集"] == meta["title"] and facts["版本"] == meta["version"]
        assert facts["发布日期"] == meta.get("x-releaseDate", None) or (
            facts["发布日期"] is None and not meta.get("x-releaseDate")
        )
        assert meta["licenses"][0]["name"] in facts["许可"]
        assert all(s["title"] in facts["来源"] for s in meta.get("sources", []))
        assert (facts.get("数据性质") == "示例数据") == bool(meta.get("x-sample"))
        header = rows.index(downloads.DICTIONARY_HEADER)
        dictionary = {row[0]: row for row in rows[header + 1 :]}
        for field in resource["schema"]["fields"]:
            entry = dictionary[field["name"]]
            assert entry[1] == field["title"] and entry[2].startswith(field["type"]), field["name"]
            assert (entry[3] or "") == field.get("unit", "") and entry[4] == field["description"]
            for value in field.get("constraints", {}).get("enum", []):
                label = field.get("x-labels", {}).get(value)
                assert (f"{value}（{label}）" if label else str(value)) in entry[5]


# --- 2. zip as a data package ----------------------------------------------------------------------------


def frictionless_cli() -> str:
    return str(Path(sys.executable).parent / "frictionless")


def validate_zip(path: Path) -> dict:
    result = subprocess.run([frictionless_cli(), "validate", "--json", str(path)], capture_output=True, text=True)
    return json.loads(result.stdout)


@pytest.mark.parametrize("package", sorted(PACKAGES))
def test_the_zip_is_a_data_package_frictionless_reads_row_by_row(built_site, package):
    path = built_site / "downloads" / package / PACKAGES[package]["version"] / f"{package}.zip"
    with zipfile.ZipFile(path) as archive:
        assert "datapackage.json" in archive.namelist()
    report = validate_zip(path)
    assert report["valid"], json.dumps(report)[-2000:]
    rows = {task["name"]: task["stats"].get("rows") for task in report["tasks"]}
    for resource in PACKAGES[package]["resources"]:
        assert rows[resource["name"]] == len(pd.read_csv(built_site / "downloads" / package / resource["path"]))
    opened = Package(str(path))
    assert [r.name for r in opened.resources if r.name in rows] == list(rows)
    first = PACKAGES[package]["resources"][0]
    assert len(opened.get_resource(first["name"]).read_rows()) == rows[first["name"]]


def test_a_corrupted_row_inside_the_zip_fails_validation(built_site, tmp_path):
    source = built_site / "downloads/reference" / PACKAGES["reference"]["version"] / "reference.zip"
    with zipfile.ZipFile(source) as archive:
        entries = {name: archive.read(name) for name in archive.namelist()}
    descriptor = json.loads(entries["datapackage.json"])
    for resource in descriptor["resources"]:  # the checksums would fail anyway: make the row itself fail
        resource.pop("bytes", None), resource.pop("hash", None)
    entries["datapackage.json"] = json.dumps(descriptor, ensure_ascii=False).encode("utf-8")
    lines = entries["cities.csv"].decode("utf-8").split("\n")
    lines[3] = "不是代码" + lines[3][lines[3].index(",") :]
    entries["cities.csv"] = "\n".join(lines).encode("utf-8")
    broken = tmp_path / "reference.zip"
    with zipfile.ZipFile(broken, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    report = validate_zip(broken)
    assert not report["valid"]
    errors = [(task["name"], e["rowNumber"]) for task in report["tasks"] for e in task["errors"] if "rowNumber" in e]
    assert ("cities", 4) in errors


# --- 3. Parquet ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("package", "resource"), RESOURCES, ids=IDS)
def test_parquet_read_by_pandas_pyarrow_and_duckdb_gives_the_csv_table(built_site, package, resource):
    folder = built_site / "downloads" / package
    name = resource["name"]
    fields = fields_of(built_site, package, name)
    csv = pd.read_csv(folder / f"{name}.csv")
    lists = {f["name"]: f.get("delimiter", ",") for f in fields if f["type"] == "list"}
    for reader, frame in (
        ("pandas", pd.read_parquet(folder / f"{name}.parquet")),
        ("pyarrow", pq.read_table(folder / f"{name}.parquet").to_pandas()),
        ("duckdb", duckdb.sql(f"select * from read_parquet('{folder / name}.parquet')").df()),
    ):
        for column, delimiter in lists.items():  # a list is a list: joined here only to compare with the CSV
            assert all(as_text(v) is None or hasattr(v, "__len__") and not isinstance(v, str) for v in frame[column]), (
                column
            )
            frame[column] = [None if as_text(v) is None else delimiter.join(v) for v in frame[column]]
        assert_same_table(frame, csv, fields, f"{reader} {package}/{name}.parquet")
    schema = pq.read_schema(folder / f"{name}.parquet")
    for field in fields:
        expected = {
            "integer": "int64",
            "number": "double",
            "boolean": "bool",
            "date": "date32[day]",
            "list": "list<element: string>",
        }.get(field["type"], "string")
        assert str(schema.field(field["name"]).type) == expected, field["name"]
        assert schema.field(field["name"]).metadata[b"title"].decode("utf-8") == field["title"]


@pytest.mark.parametrize("package", sorted(PACKAGES))
def test_parquet_is_listed_in_the_descriptor_and_on_the_dataset_page(built_site, package):
    folder = built_site / "downloads" / package
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    listed = {r["path"]: r for r in descriptor["resources"] if r.get("format") == "parquet"}
    page = (built_site / "data" / package / "index.html").read_text(encoding="utf-8")
    for resource in PACKAGES[package]["resources"]:
        entry = listed[f"{resource['name']}.parquet"]
        data = (folder / entry["path"]).read_bytes()
        assert entry["bytes"] == len(data) and entry["hash"] == f"sha256:{downloads.sha256(data)}"
        assert f'{resource["name"]}.parquet"' in page


# --- every other format, read by default ------------------------------------------------------------------


def joined_lists(frame: pd.DataFrame, fields: list[dict]) -> pd.DataFrame:
    """A list read as a list (JSON) joined by its delimiter, only to compare with the CSV's cell."""
    for field in fields:
        if field["type"] == "list":
            delimiter = field.get("delimiter", ",")
            frame[field["name"]] = [
                v if as_text(v) is None or isinstance(v, str) else delimiter.join(v) for v in frame[field["name"]]
            ]
    return frame


@pytest.mark.parametrize(("package", "resource"), RESOURCES, ids=IDS)
def test_csv_excel_csv_and_json_read_by_default_give_the_csv_table(built_site, package, resource):
    import pyarrow.csv as pv

    folder = built_site / "downloads" / package
    name = resource["name"]
    fields = fields_of(built_site, package, name)
    csv = pd.read_csv(folder / f"{name}.csv")
    readers = {
        # the names beside codes are the Excel CSV's own columns (tests/test_catalogue.py)
        "pandas excel.csv": pd.read_csv(folder / f"{name}.excel.csv")[list(csv.columns)],
        "duckdb csv": duckdb.sql(f"select * from read_csv('{folder / name}.csv')").df(),
        "pyarrow csv": pv.read_csv(folder / f"{name}.csv").to_pandas(),
        "pandas json": joined_lists(pd.read_json(folder / f"{name}.json"), fields),
    }
    for reader, frame in readers.items():
        assert_same_table(frame, csv, fields, f"{reader} {package}/{name}")
