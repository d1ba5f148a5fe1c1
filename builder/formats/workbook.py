"""The XLSX download of one table: the bytes openpyxl writes, in a fraction of its time.

In: the sheet's title, its columns (equal-length lists of str, int, float, bool, datetime.date or None, the
header rows at the top) and the build date.
Out: the .xlsx file, dated with the build date, so that the same rows give the same bytes.

openpyxl builds a Python object for each cell and serialises it element by element: 8 s for the province's
600,000 cells. Here openpyxl still writes every part of the workbook (styles, theme, properties …) from a
workbook holding only what those parts depend on; the sheet's rows are written as text, cell by cell as
openpyxl writes them (tests/test_workbook.py compares the two on every shipped table and on awkward values).
A value openpyxl would store differently (a formula, an error code, a character it refuses, text over
32,767 characters, another type) sends the whole sheet through openpyxl itself.
The text written is what openpyxl's standard-library writer writes; with lxml installed openpyxl would write
other bytes (and the sheet's dimension would not be replaced), so builder/__init__.py keeps openpyxl on the
standard writer and this module refuses to load if openpyxl was imported in lxml mode first.
"""

from __future__ import annotations

import io
import math
import re
import zipfile
from datetime import UTC, date, datetime
from itertools import chain
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter
from openpyxl.xml import LXML

SHEET = "xl/worksheets/sheet1.xml"
CORE = "docProps/core.xml"
_DIMENSION = re.compile(r'<dimension ref="[^"]*" ?/>')


if LXML:  # builder/__init__.py turns it off; a process that imported openpyxl first must not write other bytes
    raise ImportError("openpyxl 已在 lxml 模式下载入：请先导入 builder（它设置 OPENPYXL_LXML=False），再导入 openpyxl")


class _NeedsOpenpyxl(Exception):
    """A value the direct writer does not handle exactly as openpyxl does."""


def _text(value: str) -> str:
    if (
        len(value) > 32767
        or ILLEGAL_CHARACTERS_RE.search(value)
        or (len(value) > 1 and value[0] == "=")
        or value in ERROR_CODES
    ):
        raise _NeedsOpenpyxl(value)
    if "&" in value or "<" in value or ">" in value:
        value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return value


_EPOCH = date(1899, 12, 30).toordinal()  # openpyxl's (and Excel's) day 0


def _serial(day: date) -> int:
    """openpyxl's to_excel(day): days since 1899-12-30, one less up to 1900-02-28 (Excel's 1900-02-29)."""
    serial = day.toordinal() - _EPOCH
    return serial - 1 if 0 < serial <= 60 else serial


def _cell(reference: str, value: Any) -> str:
    kind = type(value)
    if kind is str:
        if not value:
            return f'<c r="{reference}" t="inlineStr" />'
        stripped = value.strip()
        space = ' xml:space="preserve"' if stripped and stripped != value else ""
        return f'<c r="{reference}" t="inlineStr"><is><t{space}>{_text(value)}</t></is></c>'
    if kind is bool:
        return f'<c r="{reference}" t="b"><v>{int(value)}</v></c>'
    if kind is int or (kind is float and value - value == 0):  # not NaN or infinite
        return f'<c r="{reference}" t="n"><v>{"%.16g" % value}</v></c>'  # noqa: UP031 (as openpyxl writes it)
    if kind is date:
        return f'<c r="{reference}" s="1" t="n"><v>{_serial(value)}</v></c>'
    raise _NeedsOpenpyxl(value)


_ESCAPED_OR_REFUSED = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f&<>]")


def _plain(texts: list[str]) -> bool:
    """None of these texts needs more than <t>text</t>: no character openpyxl refuses or escapes, no formula or
    error code's first character, no space at either end (xml:space="preserve"), none empty or overlong."""
    return (
        "" not in texts
        and max(map(len, texts)) <= 32767
        and not _ESCAPED_OR_REFUSED.search("\n".join(texts))
        and not any(c in "=#" or c.isspace() for c in {text[0] for text in texts})
        and not any(c.isspace() for c in {text[-1] for text in texts})
    )


def _sweep(letter: str, values: list, first: int) -> list[str]:
    """Cells of one kind (None aside), from row `first` down ("" for None), written in one sweep."""
    kinds = set(map(type, values)) - {type(None)}
    numbered = enumerate(values, first)
    if kinds == {str}:
        if _plain([v for v in values if v is not None]):
            return [
                f'<c r="{letter}{n}" t="inlineStr"><is><t>{v}</t></is></c>' if v is not None else ""
                for n, v in numbered
            ]
    elif kinds <= {int, float} and math.isfinite(sum(v for v in values if type(v) is float)):
        return [f'<c r="{letter}{n}" t="n"><v>{"%.16g" % v}</v></c>' if v is not None else "" for n, v in numbered]  # noqa: UP031
    elif kinds == {date}:
        return [f'<c r="{letter}{n}" s="1" t="n"><v>{_serial(v)}</v></c>' if v is not None else "" for n, v in numbered]
    return [_cell(f"{letter}{n}", v) if v is not None else "" for n, v in numbered]


def _column(letter: str, values: list) -> list[str]:
    """One column's cells, top to bottom: the texts at its head (a table's header rows) one by one, the rest
    in one sweep."""
    head = next((i for i, v in enumerate(values) if type(v) is not str), len(values))
    if head == len(values):
        return _sweep(letter, values, 1)
    return [_cell(f"{letter}{n}", v) for n, v in enumerate(values[:head], 1)] + _sweep(letter, values[head:], head + 1)


def sheet_data(columns: list[list]) -> str:
    """<sheetData> as openpyxl writes it for the rows of these columns appended to an empty sheet (a None cell
    is left out)."""
    letters = [get_column_letter(i) for i in range(1, len(columns) + 1)]
    cells = [_column(letter, values) for letter, values in zip(letters, columns)]
    return (
        "<sheetData>"
        + "".join([f'<row r="{n}">{"".join(row)}</row>' for n, row in enumerate(zip(*cells), 1)])
        + "</sheetData>"
    )


def _saved(book: Workbook, moment: datetime) -> list[tuple[str, bytes]]:
    book.properties.created = book.properties.modified = moment
    book.properties.creator = "builder"
    buffer = io.BytesIO()
    book.save(buffer)
    # openpyxl stamps docProps' "modified" with the current time: the build date replaces it.
    stamp = moment.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as packed:
        entries = [(info.filename, packed.read(info.filename)) for info in packed.infolist()]
    return [
        (name, re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + stamp, data) if name == CORE else data)
        for name, data in entries
    ]


def _through_openpyxl(title: str, rows: list[list], moment: datetime) -> list[tuple[str, bytes]]:
    book = Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    return _saved(book, moment)


def entries(title: str, columns: list[list], epoch: int) -> list[tuple[str, bytes]]:
    """The workbook's parts (name, bytes) in openpyxl's order, for a sheet `title` holding these columns."""
    moment = datetime.fromtimestamp(epoch, tz=UTC).replace(tzinfo=None)
    try:
        data = sheet_data(columns)
    except _NeedsOpenpyxl:
        return _through_openpyxl(title, [list(row) for row in zip(*columns)], moment)
    # What the other parts depend on: the title, and whether a date's number format is among the styles.
    height = len(columns[0]) if columns else 0
    skeleton = [[values[0] for values in columns]] if height else []
    if date in set(map(type, chain.from_iterable(columns))):
        skeleton.append([date(2000, 1, 1)])
    parts = _through_openpyxl(title, skeleton, moment)
    dimension = f"A1:{get_column_letter(len(columns))}{height}" if height else "A1:A1"
    for index, (name, xml) in enumerate(parts):
        if name == SHEET:
            head, _, rest = xml.decode("utf-8").partition("<sheetData>")
            _, _, tail = rest.partition("</sheetData>")
            head = _DIMENSION.sub(f'<dimension ref="{dimension}" />', head, count=1)
            parts[index] = (name, (head + data + tail).encode("utf-8"))
    return parts
