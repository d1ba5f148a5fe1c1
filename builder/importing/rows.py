"""The records below the header, each either a data row (cleaned cell by cell) or refused as a whole.

In: the source, its header and the target.
Out: every record below the header as a `Row` (nothing is dropped: blank, footer, ragged and repeated-header
rows are rows refused with an error), the number of blank rows at the very end (ignored, with a warning),
and the problems found.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from builder.importing import cells, rules
from builder.importing.findings import ImportProblem, Place, make
from builder.importing.header import Header, score
from builder.importing.normalize import trim
from builder.importing.source import Record, Source
from builder.importing.target import Target

# Excel saves characters its ANSI code page lacks as "?": in such a file a "?" may be a lost character.
LEGACY_ENCODINGS = {"gb18030", "gbk", "gb2312", "cp936"}


@dataclass
class Row:
    record: Record
    values: dict[str, str] = field(default_factory=dict)
    bad_fields: set[str] = field(default_factory=set)  # fields whose cell was refused
    whole: bool = False  # refused as a whole (blank, footer, ragged, repeated header): not a data row

    @property
    def number(self) -> int:
        return self.record.row


def _blank(record: Record) -> bool:
    return not any(trim(cell) for cell in record.cells)


def _ragged(record: Record, width: int, header: Header) -> bool:
    if len(record.cells) > width:
        return True
    return any(column not in header.ignored for column in range(len(record.cells), width))


def _whole_row_problem(
    record: Record, width: int, header: Header, target: Target, place: Place
) -> ImportProblem | None:
    where = place.at(row=record.row, line=record.line)
    if _blank(record):
        return make("blank-row", where)
    kinds = [target.spec(header.columns[c]).kind if c in header.columns else None for c in range(len(record.cells))]
    text = rules.footer(record.cells, kinds)
    if text is not None:
        return make("footer-row", where.at(column=0), text)
    if score(record, target) >= 2:
        return make("extra-header-row", where.at(column=0), " | ".join(c for c in record.cells if trim(c)))
    if _ragged(record, width, header):
        return make("ragged-row", where, count=len(record.cells), expected=width)
    return None


def _clean_row(
    record: Record, header: Header, source: Source, target: Target, place: Place
) -> tuple[Row, list[ImportProblem]]:
    row, problems = Row(record), []
    for column, name in header.columns.items():
        where = place.at(row=record.row, line=record.line, column=column, field=name)
        raw = record.cells[column] if column < len(record.cells) else ""
        if (record.row, column) in source.formulas:
            found = [make("formula-cell", where, source.formulas[(record.row, column)])]
        elif (record.row, column) in source.excel_errors:
            found = [make("excel-error", where, raw)]
        else:
            value, found = cells.clean(raw, target.spec(name), target, where)
            row.values[name] = value
            if "?" in raw and source.encoding in LEGACY_ENCODINGS:
                found.append(make("question-mark", where, raw))
        if any(p.is_error for p in found):
            row.bad_fields.add(name)
            row.values[name] = raw
        problems += found
    for (
        name,
        raw,
    ) in header.sets.items():  # --set: cleaned like a cell, so 2021 and 广州 mean what they mean in a column
        value, found = cells.clean(
            raw, target.spec(name), target, place.at(row=record.row, line=record.line, field=name)
        )
        row.values[name] = value
        if any(p.is_error for p in found):
            row.bad_fields.add(name)
        problems += [p for p in found if p.is_error]
    return row, problems


def read_rows(
    source: Source, header: Header, target: Target, place: Place
) -> tuple[list[Row], int, list[ImportProblem]]:
    below = source.records[header.index + 1 :]
    last = max((i for i, record in enumerate(below) if not _blank(record)), default=-1)
    data, trailing = below[: last + 1], below[last + 1 :]
    width = len(header.row(source).cells)
    rows, problems = [], []
    for record in data:
        whole = _whole_row_problem(record, width, header, target, place)
        if whole is not None:
            rows.append(Row(record, whole=True))
            problems.append(whole)
            continue
        row, found = _clean_row(record, header, source, target, place)
        rows.append(row)
        problems += found
    if trailing:
        problems.append(
            make("trailing-blank-rows", place.at(row=trailing[0].row, line=trailing[0].line), count=len(trailing))
        )
    return rows, len(trailing), problems
