"""One XLSX sheet as rows of text, written the way Excel shows each cell.

In: the path of an .xlsx workbook and, when it has several sheets, the sheet's name.
Out: a `Sheet`: its rows as text (numbers as Excel displays them with simple formats, dates as ISO 8601),
the merged ranges, and the cells that hold formulas or Excel error values (which the rules refuse).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet


class SheetError(Exception):
    """The workbook cannot be opened, or the sheet to import is not clear."""


@dataclass(frozen=True)
class Merged:
    coordinate: str  # e.g. "A1:D1"
    first_row: int
    last_row: int
    first_column: int  # 0-based
    last_column: int


@dataclass
class Sheet:
    name: str
    rows: list[list[str]]
    merged: list[Merged] = field(default_factory=list)
    formulas: dict[tuple[int, int], str] = field(default_factory=dict)  # (row, 0-based column) → formula
    errors: dict[tuple[int, int], str] = field(default_factory=dict)  # (row, 0-based column) → "#DIV/0!"


_FIXED = re.compile(r"^[#0,]*0(?:\.(0+))?(%?)$")  # 0, 0.0, #,##0.00, 0%, 0.0% …


def number_text(value: float | int, number_format: str) -> str:
    """The number as Excel displays it: fixed decimals for simple formats, otherwise as 'General' would."""
    match = _FIXED.match(number_format or "")
    if match:
        decimals = len(match.group(1) or "")
        if match.group(2):
            return f"{value * 100:.{decimals}f}%"
        return f"{value:.{decimals}f}"
    if isinstance(value, int):
        return str(value)
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    # Python's shortest round-trip form; a code Excel could not hold (≥ 15 digits) shows as 9.14401e+17.
    return repr(value)


def cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return str(value)


def _pick(workbook: Workbook, name: str | None, preferred: tuple[str, ...]) -> Worksheet:
    if name is not None:
        if name not in workbook.sheetnames:
            raise SheetError(f"工作簿中没有名为 {name!r} 的工作表；现有：{'、'.join(workbook.sheetnames)}")
        return workbook[name]
    if len(workbook.sheetnames) == 1:
        return workbook.worksheets[0]
    for candidate in preferred:
        if candidate in workbook.sheetnames:
            return workbook[candidate]
    raise SheetError(f"工作簿有多个工作表（{'、'.join(workbook.sheetnames)}），请用 --sheet 指定要导入的一个")


def read_sheet(path: Path, name: str | None = None, preferred: tuple[str, ...] = ()) -> Sheet:
    try:
        workbook = openpyxl.load_workbook(path, data_only=False)
    except (InvalidFileException, KeyError, OSError, ValueError) as error:
        raise SheetError(f"无法打开工作簿 {path}：{error}") from error
    sheet = _pick(workbook, name, preferred)
    result = Sheet(sheet.title, [])
    for row in sheet.iter_rows(min_row=1, max_row=sheet.max_row, max_col=sheet.max_column):
        texts = []
        for index, cell in enumerate(row):
            value = cell.value
            if cell.data_type == "f":
                result.formulas[(cell.row, index)] = str(getattr(value, "text", value))
                texts.append(str(getattr(value, "text", value)))
            elif cell.data_type == "e":
                result.errors[(cell.row, index)] = str(value)
                texts.append(str(value))
            elif isinstance(value, (int, float)) and not isinstance(value, bool):
                texts.append(number_text(value, cell.number_format))
            else:
                texts.append(cell_text(value))
        result.rows.append(texts)
    for merged in sheet.merged_cells.ranges:
        result.merged.append(
            Merged(merged.coord, merged.min_row, merged.max_row, merged.min_col - 1, merged.max_col - 1)
        )
    workbook.close()
    return result
