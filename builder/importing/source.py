"""Reads the maintainer's file once: a CSV (decoded strictly, see `decode`) or one XLSX sheet.

In: the file's path, the declared encoding (CSV) or sheet name (XLSX).
Out: a `Source`: every record with its spreadsheet row and the physical line it starts on, plus what the
XLSX knows beyond text (merged ranges, formula and error cells). Nothing is dropped here, not even blank rows.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from builder.importing import documents, xlsx
from builder.importing.decode import decode
from builder.importing.findings import ImportProblem, Place, make
from builder.importing.limits import DEFAULT_LIMITS, FileRefused, Limits, check_container, check_count, check_size

XLSX_SUFFIXES = {".xlsx", ".xlsm"}
CSV_SUFFIXES = {".csv", ".txt"}


class SourceError(Exception):
    """The file cannot be imported at all: missing, or of a kind the importer does not read."""


@dataclass(frozen=True)
class Record:
    row: int  # as a spreadsheet numbers it: the first record is row 1
    line: int  # physical line of the file where the record starts (XLSX: the sheet row)
    cells: list[str]


@dataclass
class Source:
    label: str
    records: list[Record]
    encoding: str
    merged: list[xlsx.Merged] = field(default_factory=list)
    formulas: dict[tuple[int, int], str] = field(default_factory=dict)
    excel_errors: dict[tuple[int, int], str] = field(default_factory=dict)
    serial_column: int | None = None  # a printed attachment's 序号 column: checked, then not imported


def parse_csv(text: str, place: Place) -> tuple[list[Record], list[ImportProblem]]:
    if '"' not in text and "\r" not in text and "\x00" not in text:
        # Nothing quoted: each line is a record and each comma ends a cell, as the CSV reader would find.
        lines = text.split("\n")
        if lines[-1] == "":
            lines.pop()  # after the last line end
        if max(map(len, lines), default=0) <= csv.field_size_limit():
            return [Record(number, number, line.split(",") if line else []) for number, line in enumerate(lines, 1)], []
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    records: list[Record] = []
    problems: list[ImportProblem] = []
    start = 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            problems.append(make("csv-syntax", place.at(line=start), line=start, why=str(error)))
            break
        records.append(Record(len(records) + 1, start, cells))
        start = reader.line_num + 1
    return records, problems


def _crlf_warning(text: str, place: Place) -> list[ImportProblem]:
    return [make("line-endings", place.at(line=1))] if "\r\n" in text else []


def _check_records(records: list[Record], limits: Limits) -> None:
    check_count("行", len(records), limits.rows, "rows")
    check_count("单元格", sum(len(record.cells) for record in records), limits.cells, "cells")


def read_source(
    path: Path,
    place: Place,
    encoding: str | None = None,
    sheet: str | None = None,
    preferred_sheets: tuple[str, ...] = (),
    limits: Limits = DEFAULT_LIMITS,
    table: int | None = None,
) -> tuple[Source | None, list[ImportProblem]]:
    """Raises `FileRefused` for a file past a limit or that its parser cannot read."""
    suffix = path.suffix.lower()
    if not path.is_file():
        raise SourceError(f"找不到要导入的文件：{path}")
    check_size(path, limits)
    if suffix in documents.SUFFIXES:
        try:
            document = documents.read(path, table, sheet, preferred_sheets, limits)
        except documents.DocumentError as error:
            raise SourceError(f"{path}：{error}") from error
        records = [Record(number, number, cells) for number, cells in enumerate(document.rows, 1)]
        _check_records(records, limits)
        return Source(f"{place.path}[{document.name}]", records, suffix.lstrip("."), document.merged), []
    if suffix in XLSX_SUFFIXES:
        check_container(path, limits, "xl/worksheets/")
        try:
            book = xlsx.read_sheet(path, sheet, preferred_sheets)
        except xlsx.SheetError as error:
            raise SourceError(str(error)) from error
        except Exception as error:  # a hostile or broken part: whatever the XML or ZIP reader raises
            raise FileRefused("broken-file", why=f"{type(error).__name__}: {error}") from error
        records = [Record(number, number, cells) for number, cells in enumerate(book.rows, 1)]
        _check_records(records, limits)
        label = f"{place.path}[{book.name}]"
        return Source(label, records, "xlsx", book.merged, book.formulas, book.errors), []
    if suffix not in CSV_SUFFIXES:
        raise SourceError(
            f"不支持的文件类型 {suffix or '（无扩展名）'}：可导入 .csv、.xlsx、.xls、.docx、.pdf，"
            "以及安装 LibreOffice 后的 .doc、.et、.wps"
        )
    data = path.read_bytes()
    check_count("行", data.count(b"\n"), limits.rows, "rows")
    decoded, problems = decode(data, encoding, place)
    if decoded is None:
        return None, problems
    records, syntax = parse_csv(decoded.text, place)
    _check_records(records, limits)
    return Source(place.path or str(path), records, decoded.encoding), problems + _crlf_warning(
        decoded.text, place
    ) + syntax
