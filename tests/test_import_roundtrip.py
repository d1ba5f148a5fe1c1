"""Every shipped resource, exported the ways a maintainer's Excel exports it (UTF-8, UTF-8 with BOM and CRLF,
GBK or GB18030, XLSX with typed cells), imports back to the committed file byte for byte."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re

import openpyxl
import pytest

from builder.importing.run import import_file
from builder.settings import PROJECT_ROOT

DATA = PROJECT_ROOT / "datapackages"
RESOURCES = [
    (d.parent.name, r["name"], r["path"], r["schema"]["fields"])
    for d in sorted(DATA.glob("*/datapackage.json"))
    for r in json.loads(d.read_text(encoding="utf-8"))["resources"]
]
IDS = [f"{package}/{resource}" for package, resource, _, _ in RESOURCES]


def _chinese_windows(text: str) -> tuple[bytes, str]:
    """GBK, as Excel on Chinese Windows saves "CSV (逗号分隔)"; GB18030 when a character is not in GBK."""
    try:
        return text.replace("\n", "\r\n").encode("gbk"), "gbk"
    except UnicodeEncodeError:
        return text.replace("\n", "\r\n").encode("gb18030"), "gb18030"


ENCODINGS = {
    "utf-8": lambda text: text.encode("utf-8"),
    "utf-8-bom-crlf": lambda text: b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"),
    "chinese-windows": lambda text: _chinese_windows(text)[0],
}


@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize("package,resource,path,fields", RESOURCES, ids=IDS)
def test_shipped_resource_reimports_byte_identically(data_copy, tmp_path, encoding, package, resource, path, fields):
    committed = (DATA / package / path).read_bytes()
    exported = tmp_path / "export.csv"
    exported.write_bytes(ENCODINGS[encoding](committed.decode("utf-8")))
    (data_copy / package / path).write_text("stale\n", encoding="utf-8")
    report = import_file(exported, f"{package}/{resource}", data_copy)
    assert report.errors == [], report.errors[:3]
    assert (data_copy / package / path).read_bytes() == committed
    expected = {"bom-removed", "line-endings", "decoded"}
    if encoding == "chinese-windows" and b"?" in committed:
        # A `?` in a GBK file may be a character GBK lacks, so the importer asks to check it (web addresses
        # in the policies' provenance hold real ones): a warning, never a change.
        expected.add("question-mark")
    assert {p.rule for p in report.warnings} <= expected
    assert report.counts.rows_read == report.counts.rows_written == committed.count(b"\n") - 1


def _excel_cell(text: str, field: dict):
    """The value and number format Excel would hold for a cell typed in by hand."""
    if text == "":
        return None, "General"
    kind = field.get("type")
    if kind == "integer" or (kind == "string" and re.fullmatch(r"[1-9]\d{0,14}", text)):
        return int(text), "General"
    if kind == "number":
        decimals = len(text.partition(".")[2])
        return float(text), "0" + ("." + "0" * decimals if decimals else "")
    if kind == "date":
        return dt.date.fromisoformat(text), "yyyy-mm-dd"
    if kind == "boolean":
        return text == "true", "General"
    return text, "@"


def _write_xlsx(csv_text: str, fields: list[dict], path) -> None:
    import csv
    import io

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Sheet1"
    records = list(csv.reader(io.StringIO(csv_text)))
    sheet.append(records[0])
    for number, record in enumerate(records[1:], 2):
        for column, (text, field) in enumerate(zip(record, fields), 1):
            value, number_format = _excel_cell(text, field)
            cell = sheet.cell(row=number, column=column, value=value)
            cell.number_format = number_format
    book.save(path)


@pytest.mark.parametrize("package,resource,path,fields", RESOURCES, ids=IDS)
def test_shipped_resource_reimports_from_xlsx(data_copy, tmp_path, package, resource, path, fields):
    committed = (DATA / package / path).read_bytes()
    workbook = tmp_path / "export.xlsx"
    _write_xlsx(committed.decode("utf-8"), fields, workbook)
    (data_copy / package / path).unlink()
    report = import_file(workbook, f"{package}/{resource}", data_copy)
    assert report.errors == [], report.errors[:3]
    assert report.warnings == []
    assert (data_copy / package / path).read_bytes() == committed


def test_importing_twice_changes_nothing_the_second_time(data_copy, tmp_path):
    source = tmp_path / "targets.csv"
    source.write_bytes(
        _chinese_windows(
            (DATA / "audit-statistics" / "targets.csv").read_text(encoding="utf-8").replace("440100", "广州")
        )[0]
    )
    (data_copy / "audit-statistics" / "targets.csv").write_text("stale\n", encoding="utf-8")
    first = import_file(source, "audit-statistics/targets", data_copy)
    written = (data_copy / "audit-statistics" / "targets.csv").read_bytes()
    second = import_file(source, "audit-statistics/targets", data_copy)
    assert first.valid and second.valid and first.changed and not second.changed
    assert written == (DATA / "audit-statistics" / "targets.csv").read_bytes()
    assert (data_copy / "audit-statistics" / "targets.csv").read_bytes() == written
    assert [p.rule for p in second.warnings] == [p.rule for p in first.warnings]


def test_an_allowed_value_typed_with_half_width_punctuation_takes_the_schema_s_spelling(data_copy, tmp_path):
    committed = (DATA / "policies" / "policies.csv").read_text(encoding="utf-8")
    spelled = "仅见转载，待核对原件"
    assert spelled in committed
    rows = list(csv.reader(io.StringIO(committed)))
    typed = tmp_path / "policies.csv"
    with typed.open("w", encoding="utf-8", newline="") as out:  # as Excel writes it: the cell quoted
        csv.writer(out, lineterminator="\n").writerows(
            [[c.replace(spelled, "仅见转载,待核对原件") for c in row] for row in rows]
        )
    report = import_file(typed, "policies/policies", data_copy)
    assert report.errors == []
    assert (data_copy / "policies" / "policies.csv").read_text(encoding="utf-8") == committed
    folded = [p for p in report.warnings if p.rule == "nfkc" and p.field == "verification"]
    assert len(folded) == committed.count(spelled)
    assert all((p.value, p.after) == ("仅见转载,待核对原件", spelled) for p in folded)
