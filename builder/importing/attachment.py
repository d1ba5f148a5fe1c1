"""An official attachment table as it is printed: the 附件 line and title above, a 序号 column, a one- or
two-row header, the data rows, a 合计 row and 注 lines below — each recognised and reported as what it is.

In: the source's records and the column labels a profile expects (see `profiles`).
Out: an `Attachment` (title lines, column → label, data rows, the 合计 row, note lines) and its problems:
the recognised parts as warnings (so the maintainer sees what was read as a title, a total or a note), and as
errors a 序号 that does not run 1…n, a 合计 that differs from the sum of the rows it totals (naming both
numbers), and a per-row total (e.g. the 合计 column) that differs from its parts.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from builder.importing.findings import ImportProblem, Place, make
from builder.importing.source import Record

TOTAL = re.compile(r"^(合计|总计|全省合计|全省总计|全省)$")
SERIAL = "序号"


def label_key(text: str) -> str:
    """A header label compared without spaces, line breaks or full-width forms (PDF and Word break them)."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


@dataclass
class Attachment:
    titles: list[Record] = field(default_factory=list)
    header: list[Record] = field(default_factory=list)
    labels: dict[int, str] = field(default_factory=dict)  # column → label key
    rows: list[Record] = field(default_factory=list)
    total: Record | None = None
    notes: list[Record] = field(default_factory=list)

    def column(self, label: str) -> int | None:
        return next((c for c, text in self.labels.items() if text == label_key(label)), None)

    def cell(self, record: Record, label: str) -> str:
        column = self.column(label)
        return "" if column is None or column >= len(record.cells) else record.cells[column].strip()


def _filled(record: Record) -> list[str]:
    return [cell.strip() for cell in record.cells if cell and cell.strip()]


def _is_header(record: Record, expected: set[str]) -> bool:
    return len({label_key(c) for c in record.cells} & expected) >= 2


def _first(record: Record) -> str:
    filled = _filled(record)
    return label_key(filled[0]) if filled else ""


def combine(upper: Record, lower: Record, expected: set[str]) -> dict[int, str]:
    """A two-row header: each column's label is the upper and lower text read together (a label wrapped over
    two rows), or the lower one alone (under a merged group heading), or the upper one (merged down), whichever
    the profile expects; a merged cell is empty, or repeats its text, in the row it covers."""
    labels = {}
    for column in range(max(len(upper.cells), len(lower.cells))):
        top = label_key(upper.cells[column]) if column < len(upper.cells) else ""
        bottom = label_key(lower.cells[column]) if column < len(lower.cells) else ""
        candidates = [top + bottom, bottom, top] if bottom != top else [top]
        labels[column] = next((c for c in candidates if c in expected), candidates[0])
    return labels


def _continues_header(record: Record, serial: int) -> bool:
    """The row below the header is more header when its 序号 cell holds no number and it is no 合计 row."""
    cell = label_key(record.cells[serial]) if serial < len(record.cells) else ""
    return bool(_filled(record)) and not cell.isdigit() and not TOTAL.match(_first(record))


def parse(records: list[Record], expected: list[str], place: Place) -> tuple[Attachment | None, list[ImportProblem]]:
    keys = {label_key(label) for label in expected}
    start = next((i for i, record in enumerate(records) if _is_header(record, keys)), None)
    if start is None:
        return None, [make("attachment-no-header", place, labels="、".join(expected))]
    found = Attachment(titles=[r for r in records[:start] if _filled(r)], header=[records[start]])
    labels = {c: label_key(text) for c, text in enumerate(records[start].cells)}
    serial = next((c for c, text in labels.items() if text == SERIAL), 0)
    after = start + 1
    if after < len(records) and _continues_header(records[after], serial):
        found.header.append(records[after])
        labels = combine(records[start], records[after], keys)
        after += 1
    found.labels = labels
    for record in records[after:]:
        if not _filled(record):
            continue
        if found.total is not None or found.notes:
            found.notes.append(record)
        elif TOTAL.match(_first(record)):
            found.total = record
        elif len(_filled(record)) == 1 and not _first(record).isdigit():
            found.notes.append(record)
        else:
            found.rows.append(record)
    return found, _recognised(found, place)


def _recognised(found: Attachment, place: Place) -> list[ImportProblem]:
    problems = [
        make("attachment-title", place.at(row=r.row, line=r.line, column=0), " ".join(_filled(r))) for r in found.titles
    ]
    if len(found.header) == 2:
        first, second = found.header
        problems.append(
            make(
                "attachment-two-row-header",
                place.at(row=first.row, line=first.line),
                rows=f"{first.row}–{second.row}",
                labels="、".join(label for label in found.labels.values() if label),
            )
        )
    problems += [
        make("attachment-note", place.at(row=r.row, line=r.line, column=0), " ".join(_filled(r))) for r in found.notes
    ]
    return problems


def _number(text: str) -> Decimal | None:
    try:
        return Decimal(label_key(text))
    except InvalidOperation:
        return None


def check_serial(found: Attachment, place: Place) -> list[ImportProblem]:
    column = found.column(SERIAL)
    if column is None:
        return []
    problems = []
    for expected, record in enumerate(found.rows, 1):
        value = found.cell(record, SERIAL)
        if label_key(value) != str(expected):
            problems.append(
                make(
                    "serial-number", place.at(row=record.row, line=record.line, column=column), value, expected=expected
                )
            )
    return problems


def _every_number(values: list[Decimal | None]) -> list[Decimal] | None:
    """The values when each is a number; None when one is not (its sum would mean nothing)."""
    numbers = [v for v in values if v is not None]
    return numbers if len(numbers) == len(values) else None


def check_totals(
    found: Attachment, labels: list[str], row_totals: dict[str, list[str]], place: Place
) -> list[ImportProblem]:
    """The 合计 row against the sum of the data rows, column by column; each row's total against its parts."""
    problems = []
    for total_label, parts in row_totals.items():
        for record in found.rows:
            printed = _number(found.cell(record, total_label))
            values = _every_number([_number(found.cell(record, p)) for p in parts])
            if printed is not None and values is not None and printed != sum(values):
                problems.append(
                    make(
                        "row-total-mismatch",
                        place.at(row=record.row, line=record.line, column=found.column(total_label)),
                        str(printed),
                        label=total_label,
                        parts="＋".join(parts),
                        computed=str(sum(values)),
                    )
                )
    if found.total is None:
        return problems + [make("attachment-no-total", place)]
    record = found.total
    checked = []
    for label in labels:
        printed = _number(found.cell(record, label))
        column = _every_number([_number(found.cell(row, label)) for row in found.rows])
        if printed is None or column is None or label_key(label) == SERIAL:
            continue
        where = place.at(row=record.row, line=record.line, column=found.column(label))
        if printed != sum(column):
            problems.append(
                make("total-mismatch", where, str(printed), label=label, computed=str(sum(column)), count=len(column))
            )
        else:
            checked.append(f"{label} {printed}")
    if checked:
        problems.append(
            make(
                "total-checked",
                place.at(row=record.row, line=record.line, column=0),
                "；".join(checked),
                count=len(found.rows),
            )
        )
    return problems
