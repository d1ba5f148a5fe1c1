"""The XLSX downloads are byte for byte what openpyxl writes for the same rows."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import UTC, date, datetime

import pytest
from openpyxl import Workbook

from builder.data import load
from builder.export import downloads
from builder.formats import workbook
from helpers import DATA, FIXED_EPOCH


def openpyxl_xlsx(title: str, rows: list[list], epoch: int, note: list[list] | None = None) -> bytes:
    """How the downloads were written before: every cell through openpyxl (the note rows on a sheet 说明)."""
    book = Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    if note is not None:
        about = book.create_sheet(downloads.NOTE_SHEET)
        for row in note:
            about.append(row)
    moment = datetime.fromtimestamp(epoch, tz=UTC).replace(tzinfo=None)
    book.properties.created = book.properties.modified = moment
    book.properties.creator = "builder"
    buffer = io.BytesIO()
    book.save(buffer)
    stamp = moment.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as packed:
        entries = [(info.filename, packed.read(info.filename)) for info in packed.infolist()]
    entries = [
        (
            name,
            re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + stamp, data)
            if name == "docProps/core.xml"
            else data,
        )
        for name, data in entries
    ]
    return downloads.normalised_zip(entries, epoch)


def table_rows(table: load.Table) -> list[list]:
    """One header row (the field names), then the rows, a list joined by its field's delimiter."""
    delimiters = [f.get("delimiter", ",") for f in table.fields]
    return [[f["name"] for f in table.fields]] + [
        [d.join(v) if isinstance(v, list) else v for d, v in zip(delimiters, row)]
        for row in table.frame.itertuples(index=False, name=None)
    ]


def columns(rows: list[list]) -> list[list]:
    return [list(column) for column in zip(*rows)]


SHIPPED = [table for package in load.load(DATA).values() for table in package.tables.values()]
NOTE = [["项目", "内容"], ["数据集", "示例 & <说明>"], [""], downloads.DICTIONARY_HEADER]


@pytest.mark.parametrize("table", SHIPPED, ids=lambda t: f"{t.package}/{t.name}")
def test_every_shipped_table_as_openpyxl_writes_it(table):
    assert downloads.xlsx(table, FIXED_EPOCH) == openpyxl_xlsx(table.name[:31], table_rows(table), FIXED_EPOCH)
    assert downloads.xlsx(table, FIXED_EPOCH, NOTE) == openpyxl_xlsx(
        table.name[:31], table_rows(table), FIXED_EPOCH, NOTE
    )


AWKWARD = [
    ["text", "number", "flag", "day", "empty"],
    [" lead", 1.5, True, date(2021, 3, 4), None],
    ["trail ", 10**20, False, date(1900, 1, 1), ""],
    ["x&<>\"'", 0.1 + 0.2, None, None, "  "],
    ["a\r\nb\u3000", -3, 1e-7, 12345678901234567890, "\x85"],
    [None, None, None, None, None],
    ["=", "#", "中文（示例）", 2**53 + 1, -0.0],
    [date(1900, 2, 28), date(1900, 3, 1), date(1899, 12, 31), date(1899, 12, 30), date(1, 1, 1)],
]
TABLE = (
    [["id", "n", "day", "note"], ["编号", "数量", "日期", "备注"]]
    + [
        [f"x{i}", i * 0.5 if i % 3 else i, date(2020, 1, 1 + i % 28), None if i % 2 else f"第{i}条 & <注>"]
        for i in range(40)
    ]
    + [[None, None, None, None]]
)
NEEDS_OPENPYXL = [
    ["=SUM(A1:A2)"],
    ["#N/A"],
    ["bell\x07"],
    ["x" * 40000],
    [float("nan")],
    [float("inf")],
    [datetime(2021, 3, 4, 5, 6)],
    [b"bytes"],
]


@pytest.mark.parametrize(
    "rows",
    [AWKWARD, AWKWARD[:1], [["only"], [date(2022, 1, 1)]], [["a", 1]] * 30, TABLE, []],
    ids=["awkward", "header", "date", "long", "table", "empty"],
)
def test_awkward_values_as_openpyxl_writes_them(rows):
    assert downloads.normalised_zip(workbook.entries("t", columns(rows), FIXED_EPOCH), FIXED_EPOCH) == openpyxl_xlsx(
        "t", rows, FIXED_EPOCH
    )


@pytest.mark.parametrize("row", NEEDS_OPENPYXL, ids=repr)
def test_values_openpyxl_treats_specially_go_through_openpyxl(row):
    rows = [["a"], row]
    try:
        expected = openpyxl_xlsx("t", rows, FIXED_EPOCH)
    except Exception as error:  # openpyxl refuses it: so must the download
        with pytest.raises(type(error)):
            workbook.entries("t", columns(rows), FIXED_EPOCH)
    else:
        assert downloads.normalised_zip(workbook.entries("t", columns(rows), FIXED_EPOCH), FIXED_EPOCH) == expected
