"""Finds the header row and maps each column to a field, by field name or Chinese title.

In: the source's records and the target's labels.
Out: a `Header` (which record is the header, column → field) and the problems of the header area:
title rows above it, multi-row or merged headers, blank, duplicated, unknown or missing columns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from builder.importing.findings import ImportProblem, Place, column_letter, make
from builder.importing.normalize import trim
from builder.importing.source import Record, Source
from builder.importing.target import Target, normal_label

SCAN = 10  # a header further down than this is not a header
PERSONAL_LABEL = re.compile(r"电话|手机|联系人|联系方式|邮箱|e-?mail|身份证|姓名|住址", re.I)


@dataclass
class Header:
    index: int  # position of the header record in source.records
    columns: dict[int, str] = field(default_factory=dict)  # column index → field name
    ignored: set[int] = field(default_factory=set)  # columns with no label and no data
    sets: dict[str, str] = field(default_factory=dict)  # --set FIELD=VALUE: what the title states for every row

    def row(self, source: Source) -> Record:
        return source.records[self.index]


def score(record: Record, target: Target) -> int:
    """How many distinct fields the record's cells name."""
    return len({target.labels[normal_label(c)] for c in record.cells if normal_label(c) in target.labels})


def _blank(record: Record) -> bool:
    return not any(trim(cell) for cell in record.cells)


def _above(source: Source, header: int, place: Place) -> list[ImportProblem]:
    problems = []
    for record in source.records[:header]:
        filled = [cell for cell in record.cells if trim(cell)]
        where = place.at(row=record.row, line=record.line, column=0)
        if len(filled) >= 2:
            problems.append(make("merged-header", where, " | ".join(filled), where=f"（第 {record.row} 行也是表头）"))
        else:
            problems.append(
                make(
                    "title-row",
                    where,
                    filled[0] if filled else "",
                    header_row=source.records[header].row,
                    last=source.records[header - 1].row,
                )
            )
    return problems


def _merged(source: Source, header_row: int, place: Place) -> list[ImportProblem]:
    problems = []
    for merged in source.merged:
        where = place.at(row=merged.first_row, line=merged.first_row, column=merged.first_column)
        if merged.first_row <= header_row:
            problems.append(make("merged-header", where, merged.coordinate, where=f"（{merged.coordinate}）"))
        else:
            problems.append(make("merged-cell", where, merged.coordinate))
    return problems


def _column_has_data(source: Source, header: int, column: int) -> bool:
    return any(column < len(r.cells) and trim(r.cells[column]) for r in source.records[header + 1 :])


def _columns(source: Source, header: Header, target: Target, place: Place) -> list[ImportProblem]:
    problems = []
    record = header.row(source)
    seen: dict[str, int] = {}
    for column, label in enumerate(record.cells):
        where = place.at(row=record.row, line=record.line, column=column)
        name = target.labels.get(normal_label(label))
        if column == source.serial_column:
            header.ignored.add(column)  # 序号 of a printed attachment: checked to run 1…n, not data
        elif not trim(label):
            if _column_has_data(source, header.index, column):
                problems.append(make("blank-header", where, label, column=column_letter(column)))
            else:
                header.ignored.add(column)
                problems.append(make("blank-column", where, label, column=column_letter(column)))
        elif name is None:
            personal = "该列看起来是个人信息，不得发布。" if PERSONAL_LABEL.search(label) else ""
            problems.append(make("unknown-column", where, label, resource=target.label, personal=personal))
        elif name in seen:
            problems.append(
                make(
                    "duplicate-header",
                    where.at(field=name),
                    label,
                    field=name,
                    column=column_letter(column),
                    other=column_letter(seen[name]),
                )
            )
        else:
            seen[name] = column
            header.columns[column] = name
            if label not in target.labels:
                problems.append(make("header-normalized", where.at(field=name), label, after=name, field=name))
    for name in set(header.sets) & set(seen):
        problems.append(
            make(
                "set-and-column",
                place.at(row=record.row, line=record.line, column=seen[name], field=name),
                header.sets[name],
                field=name,
            )
        )
    for spec in target.fields:
        if spec.name not in seen and spec.name not in header.sets:
            problems.append(
                make(
                    "missing-column",
                    place.at(row=record.row, line=record.line, field=spec.name),
                    field=spec.name,
                    title=spec.title,
                )
            )
    return problems


def read_header(
    source: Source, target: Target, place: Place, sets: dict[str, str] | None = None
) -> tuple[Header | None, list[ImportProblem]]:
    candidates = [i for i, r in enumerate(source.records[:SCAN]) if not _blank(r)]
    if not candidates:
        return None, [make("empty-file", place.at(line=1))]
    scores = {i: score(source.records[i], target) for i in candidates}
    best = max(scores.values())
    index = next(i for i in candidates if scores[i] == best)
    problems = []
    if best == 0:
        index = candidates[0]
        first = target.fields[0]
        problems.append(
            make(
                "no-header",
                place.at(row=source.records[index].row, line=source.records[index].line),
                rows=SCAN,
                resource=target.label,
                example=first.name,
                example_title=first.title,
            )
        )
    header = Header(index, sets=dict(sets or {}))
    problems += _above(source, index, place)
    problems += _merged(source, source.records[index].row, place)
    if best:  # without a header, listing every cell of the first row as an unknown column helps no one
        problems += _columns(source, header, target, place)
    return header, problems
